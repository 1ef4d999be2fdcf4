"""Stance scoring: does the actor in this sentence express the stance, deny it, or neither?

A rule file brings only example statements, so the method has to work for stances it never saw.
It does so in two layers:

1. Stance-specific evidence, computed from the rule's own examples: how close the sentence is to
   the examples and to the counter-examples, how much closer to this stance than to the other
   stances in the rule set, and whether the examples fit better with *our* actor as the agent than
   with another actor the sentence names (attribution: "Oman, not Russia, carried messages").
2. Stance-independent cues of modality and attribution that hold for any stance: the actor's role in
   the predicate from a dependency parse (agent, speaker, patient, only mentioned; monitor/attribution.py),
   and how the predicate is said (negated, refused, conditional, hedged, reported, alleged, urged, asked),
   plus surface cues (history, speculation, where the actor stands in the sentence).

A small gradient-boosted head combines both. It is trained *across* domains and stances (labelled
timelines in several domains, scripts/train_head.py), so what it learns is how evidence and cues
combine, not what any stance means. Its outputs are calibrated on leave-one-domain-out predictions into
probabilities that mean the same for every stance and every rule file; the label follows from them with one
threshold (THRESHOLD). Nothing depends on the order of the stream. The head is fitted at start-up from a
shipped feature table (no pickles, no version skew).
"""

from __future__ import annotations

import hashlib
import logging
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from monitor.actors import ActorMatcher
from monitor.attribution import FLAGS, ROLES, Attribution, Attributor
from monitor.rules import RuleSet
from monitor.text import strip_dateline
from monitor.types import Embedder, Judgement, Label, Matrix, Mention, StanceKey, Vector

logger = logging.getLogger(__name__)

# Generic English cues. They describe how a sentence says something, never what the stance is.
_CUES: dict[str, str] = {
    "negation": r"\b(not|no|never|n't|without|nor)\b",
    "refusal_verb": (
        r"\b(denied|denies|deny|rejected|rejects|ruled out|rules out|refused|refuses|declined|declines|"
        r"dismissed|suspended|froze|frozen|halted|shelved|scrapped|withdrew|pulled out|off the table|"
        r"not on the table)\b"
    ),
    "question_mark": r"\?",
    "question_start": r"^(would|could|will|can|should|is|are|does|do|did|has|have|why|what|how|who|whether)\b",
    "modal": r"\b(would|could|might|may|if|unless|whether|should)\b",
    "urging": (
        r"\b(urged|urges|urging|called on|calls on|calling on|pressed|presses|pressing|asked|asks|appealed|"
        r"demanded|demands|pushed for|encouraged|want(s|ed)? .{0,20} to|pressure)\b"
    ),
    "history": (
        r"\b(19\d\d|20[01]\d|202[0-4]|ago|decade|former|history|historically|previously|in the past|"
        r"last year|since)\b"
        # "once" as "formerly" ("Russia once supplied"), not "at once", "once again" or "once the war ends"
        r"|(?<!\bat )\bonce\b(?!\s+(again|more|the|they|it|its|we|a|an|this|that|there|all)\b)"
    ),
    "allegation": (
        r"\b(accused|accuses|alleged|allegedly|allegations?|claimed|claims?|reportedly|sources|unverified|"
        r"could not be (independently )?verified|rumou?rs?)\b"
    ),
    "speculation": r"\b(analysts?|experts?|observers?|commentators?|likely|expected to|possibly|perhaps|speculat\w*)\b",
    "intention": r"\b(threaten\w*|warned|warns|vowed|vows|ready to|prepared to|plans? to|intends? to|considering)\b",
    "speech": r"\b(said|says|told|announced|confirmed|stated|statement|according to)\b",
}
_CUE_RES = [re.compile(pattern, re.IGNORECASE) for pattern in _CUES.values()]

# Cues read relative to the actor's mention: who does what to whom.
_BEFORE_ACTOR: dict[str, str] = {
    # "called on Moscow to", "urged Russia to": the actor is asked, not acting.
    "urged_actor": (
        r"\b(urged|urges|urging|called on|calls on|calling on|pressed|presses|pressing|asked|asks|appealed to|"
        r"pushed|encouraged|invited|implored|wants|wanted|challenged)\s+(the\s+)?$"
    ),
    # "accused Moscow of", "alleged that Beijing": someone else's claim about the actor.
    "accused_actor": r"\b(accused|accuses|accusing|blamed|blames|alleged that|claimed that|suspect|suspected|suspects)\s+(that\s+)?(the\s+)?$",
    # "whether Russia", "if Moscow": the actor inside a question or condition.
    "conditional_actor": r"\b(if|whether|unless|once|should)\s+(the\s+)?$",
}
_AFTER_ACTOR: dict[str, str] = {
    # "Russia could send", "Moscow might": a hypothetical about the actor.
    "actor_modal": r"^(?:'s|’s)?\s*(\w+\s+){0,2}?(could|might|may|would|should|can)\b",
    # "Russia said", "Moscow offered", "Lavrov has proposed": the actor as the agent of a verb.
    "actor_verb": r"^(?:'s|’s)?\s*(\w+\s+){0,2}?(said|says|has|have|had|is|was|will|\w+ed)\b",
    "actor_negated": r"^(?:'s|’s)?\s*(\w+\s+){0,2}?(has not|had not|did not|does not|will not|would not|is not|was not|has no|had no|never|won't|didn't|doesn't|isn't|wasn't)\b",
}
_BEFORE_RES = [re.compile(pattern, re.IGNORECASE) for pattern in _BEFORE_ACTOR.values()]
_AFTER_RES = [re.compile(pattern, re.IGNORECASE) for pattern in _AFTER_ACTOR.values()]

_TEXT_FEATURES: tuple[str, ...] = (
    "example_max",
    "example_mean",
    "example_top2",
    "counter_max",
    "counter_mean",
    "example_minus_counter",
    "label_sim",
    "margin_over_other_stances",
    "own_agent_minus_other_agent",
    "other_agent_max",
    *(f"cue_{name}" for name in _CUES),
    "actor_position",
    "actor_first",
    "other_actor_before",
    "other_actors",
    "target_mentioned",
    "not_actor",
    "actor_possessive",
    *_BEFORE_ACTOR,
    *_AFTER_ACTOR,
    "clause_example_max",
    "clause_counter_max",
    "clause_example_minus_counter",
    "actor_clause_example_max",
    "actor_clause_counter_max",
    "actor_clause_example_minus_counter",
    "actor_clause_share",
    # The same matches relative to how alike the rule's own examples are to each other: wording styles differ
    # by domain, and a rule file's examples show its own scale (the rule file alone, never the stream).
    "example_max_over_own",
    "clause_example_max_over_own",
)

# Attribution from the parse (monitor/attribution.py): the actor's role, the target's, and the cues of the
# predicate the actor is agent of.
ATTRIBUTION_FEATURES: tuple[str, ...] = (
    *(f"role_{role}" for role in ROLES),
    *(f"parse_{flag}" for flag in FLAGS),
    "target_role_agent",
    "target_role_patient",
    "other_actor_agent",
)
FEATURE_NAMES: tuple[str, ...] = (*_TEXT_FEATURES, *ATTRIBUTION_FEATURES)

HEAD_TABLE = "stance_head.npz"
FITTED_HEAD = "stance_head.skops"  # the same head already fitted (optional)

# The label follows from the calibrated probabilities with one threshold: expresses (or denies) when its
# probability is at least this and above the other's, else none. Chosen once on the pooled
# leave-one-domain-out predictions of scripts/train_head.py (never per stance or per domain).
THRESHOLD = 0.5
_CLASSES: tuple[Label, ...] = ("none", "expresses", "denies")
# The judgement of a sentence that does not name the key's actor: not scored at all.
NOT_NAMED = Judgement("none", 1.0, 0.0, 0.0)


def label_of(p_expresses: float, p_denies: float, threshold: float = THRESHOLD) -> Label:
    """The label that calibrated probabilities give under the one documented threshold."""
    if p_expresses >= threshold and p_expresses >= p_denies:
        return "expresses"
    if p_denies >= threshold and p_denies > p_expresses:
        return "denies"
    return "none"


@dataclass(frozen=True)
class PreparedSentence:
    """A sentence ready for scoring: dateline removed, mentions found, aliases normalised, embedded, parsed."""

    text: str
    mentions: tuple[Mention, ...]
    vector: Vector
    # Clauses (and pairs of neighbouring clauses) embedded on their own: a stance is often carried by a
    # phrase ("its attacks on Iran") that a whole-sentence vector dilutes. `clause_actors` names the
    # actors each clause mentions.
    clause_vectors: Matrix
    clause_actors: tuple[frozenset[str], ...]
    # Each mentioned actor's role and predicate cues, from the dependency parse.
    attributions: Mapping[str, Attribution]


_CLAUSE_BREAK = re.compile(
    r"\s*[;:,()\"“”—–]\s*|\s+(?=(?:saying|after|while|but|and|which|as|when|because|although|despite|"
    r"whereas|before|until|in retaliation for)\b)"
)


def split_clauses(text: str) -> list[str]:
    """Clauses of two words or more, plus each clause joined with the next (so a split phrase is not lost)."""
    pieces = [p.strip() for p in _CLAUSE_BREAK.split(text) if p and len(p.split()) >= 2]
    if len(pieces) < 2:
        return []
    return pieces + [f"{a} {b}" for a, b in zip(pieces, pieces[1:], strict=False)]


def _cue_before(text: str, mentions: Sequence[Mention], pattern: re.Pattern[str]) -> float:
    """1.0 if the cue ends right before any of the mentions (within 40 characters)."""
    return 1.0 if any(pattern.search(text[max(0, m.start - 40) : m.start]) for m in mentions) else 0.0


def _cue_after(text: str, mentions: Sequence[Mention], pattern: re.Pattern[str]) -> float:
    """1.0 if the cue starts right after any of the mentions (within 40 characters)."""
    return 1.0 if any(pattern.search(text[m.end : m.end + 40]) for m in mentions) else 0.0


# The stance classes are rare (a few percent of scored rows each). Square-root balancing (weights
# proportional to 1 / sqrt(class frequency)) keeps them heard without making the head say `expresses` for
# everything; the calibration below turns its outputs back into probabilities.
CLASS_WEIGHT_POWER = 0.5


def _class_weights(labels: np.ndarray) -> dict[int, float]:
    counts = np.bincount(labels.astype(np.int64), minlength=3)
    present = [c for c in range(3) if counts[c]]
    n = float(counts.sum())
    return {c: (n / (len(present) * float(counts[c]))) ** CLASS_WEIGHT_POWER for c in present}


@dataclass(frozen=True)
class Calibration:
    """Multinomial logistic map from the head's log-probabilities to calibrated probabilities.

    Fitted by scripts/train_head.py on leave-one-domain-out predictions (each domain scored by a head that
    never saw it), so it says how sure to be on a domain the head has not seen. One map for every stance.
    """

    coef: np.ndarray  # (3, 3)
    intercept: np.ndarray  # (3,)

    def apply(self, raw: np.ndarray) -> np.ndarray:
        z = np.log(np.clip(raw, 1e-6, 1.0)) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    @classmethod
    def fit(cls, raw: np.ndarray, labels: np.ndarray) -> Calibration:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=100.0, max_iter=1000)
        model.fit(np.log(np.clip(raw, 1e-6, 1.0)), labels)
        coef = np.zeros((3, 3))
        intercept = np.full(3, -20.0)  # a class absent from the labels stays (almost) impossible
        classes = [int(c) for c in model.classes_]
        if len(classes) == 2:  # sklearn's binary model: one row, for the second class against the first
            coef[classes[0]], intercept[classes[0]] = 0.0, 0.0
            coef[classes[1]], intercept[classes[1]] = model.coef_[0], model.intercept_[0]
        else:
            for row, c in enumerate(classes):
                coef[c], intercept[c] = model.coef_[row], model.intercept_[row]
        return cls(coef, intercept)


class StanceHead:
    """The cross-stance classifier over FEATURE_NAMES: calibrated label probabilities from a feature row."""

    def __init__(
        self,
        features: np.ndarray,
        labels: np.ndarray,
        domains: Iterable[str] = (),
        calibration: Calibration | None = None,
        fitted: Any = None,
    ) -> None:
        if features.shape[1] != len(FEATURE_NAMES):
            raise ValueError(
                f"stance head table has {features.shape[1]} features (expected {len(FEATURE_NAMES)}); "
                "retrain it with scripts/train_head.py"
            )
        # The domains (rule-file fingerprints) whose labelled rows trained the head: eval holds a timeline's
        # own domain out when the head saw it.
        self.domains = frozenset(str(d) for d in domains)
        self.calibration = calibration
        self.medians = np.median(features, axis=0)  # the neutral values `explain` substitutes
        # `fitted`: the same model already fitted on exactly these rows (the shipped one, saved by
        # scripts/train_head.py), which saves the fit at start-up.
        self._model: Any = fitted if fitted is not None else self._fit(features, labels)
        # Column order of predict_proba for labels 0=none, 1=expresses, 2=denies.
        self._columns = [
            list(self._model.classes_).index(c) if c in self._model.classes_ else -1 for c in range(3)
        ]

    @staticmethod
    def _fit(features: np.ndarray, labels: np.ndarray) -> Any:
        from sklearn.ensemble import HistGradientBoostingClassifier

        model = HistGradientBoostingClassifier(
            max_iter=200,
            learning_rate=0.08,
            max_leaf_nodes=15,
            min_samples_leaf=40,
            l2_regularization=5.0,  # smaller, smoother trees transfer better to unseen domains
            class_weight=_class_weights(labels),
            # No early stopping: it would hold out a random tenth of the rows, so the head would hang on
            # that draw. Without it the head is deterministic and uses every row.
            early_stopping=False,
        )
        with threadpool_limits(1):  # OpenMP spin-waits crawl when the model shares the cores
            return model.fit(features, labels)

    @classmethod
    def from_table(cls, path: str | Path | None = None, *, without_domain: str | None = None) -> StanceHead:
        """Fit the head from a feature table (.npz); default: the one shipped with the package.

        `without_domain` (a rules fingerprint) leaves that domain's rows out, for an honest figure on it.
        """
        if path is None:
            data = resources.files("monitor.data")
            with (
                resources.as_file(data / HEAD_TABLE) as table,
                resources.as_file(data / FITTED_HEAD) as fitted,
            ):
                if without_domain:
                    return cls._from_npz(np.load(table), without_domain)
                return cls._from_npz(np.load(table), None, load_fitted(fitted, table))
        return cls._from_npz(np.load(path), without_domain)

    @classmethod
    def _from_npz(cls, data: Any, without_domain: str | None, fitted: Any = None) -> StanceHead:
        features, labels = data["X"], data["y"]
        domains = data["domains"] if "domains" in data.files else np.full(len(labels), "")
        calibration = (
            Calibration(data["calibration_coef"], data["calibration_intercept"])
            if "calibration_coef" in data.files
            else None
        )
        if without_domain and "held_out_domains" in data.files:
            # the map fitted without this domain's predictions, so no label of it is used at all
            names = data["held_out_domains"].tolist()
            if without_domain in names:
                i = names.index(without_domain)
                calibration = Calibration(data["held_out_coef"][i], data["held_out_intercept"][i])
        keep = domains != without_domain if without_domain else np.ones(len(labels), dtype=bool)
        return cls(
            features[keep],
            labels[keep],
            domains=set(domains[keep].tolist()),
            calibration=calibration,
            fitted=fitted,
        )

    def save_fitted(self, path: Path, table: Path) -> None:
        """Save the fitted trees for `table` (skops: no pickle, loads only the types it expects)."""
        import sklearn
        import skops.io

        record = {"model": self._model, "table_sha256": _sha256(table), "sklearn": sklearn.__version__}
        skops.io.dump(record, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)

    def raw_probabilities(self, features: np.ndarray) -> np.ndarray:
        """The boosted trees' probabilities (none, expresses, denies), before calibration."""
        with threadpool_limits(1):
            raw = self._model.predict_proba(features)
        out = np.zeros((len(features), 3))
        for label, column in enumerate(self._columns):
            if column >= 0:
                out[:, label] = raw[:, column]
        return out

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probabilities (none, expresses, denies): the same meaning for every stance."""
        raw = self.raw_probabilities(features)
        return self.calibration.apply(raw) if self.calibration is not None else raw


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# The only type a fitted head holds beyond plain sklearn estimators and numpy arrays.
_TRUSTED_HEAD_TYPES = ["sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor"]


def load_fitted(path: Path, table: Path) -> Any:
    """The shipped fitted trees, or None when they cannot be trusted to be the fit of `table` under this
    scikit-learn (another version, another table, a missing or unreadable file): the caller fits instead."""
    import sklearn
    import skops.io

    if not path.exists():
        return None
    try:
        untrusted = set(skops.io.get_untrusted_types(file=path)) - set(_TRUSTED_HEAD_TYPES)
        if untrusted:
            logger.warning(
                "fitted stance head %s holds unexpected types %s; fitting instead", path, untrusted
            )
            return None
        record = skops.io.load(path, trusted=_TRUSTED_HEAD_TYPES)
    except Exception as exc:  # a corrupt file must not stop the process: the table still fits a head
        logger.warning("fitted stance head %s unreadable (%s); fitting instead", path, exc)
        return None
    if record.get("sklearn") != sklearn.__version__ or record.get("table_sha256") != _sha256(table):
        logger.info("fitted stance head is for another scikit-learn or table; fitting from the table")
        return None
    return record["model"]


def _own_similarity(examples: Matrix) -> float:
    """Mean similarity of each example to its nearest other example."""
    if len(examples) < 2:
        return 0.5
    sims = examples @ examples.T
    np.fill_diagonal(sims, -1.0)
    return float(sims.max(axis=1).mean())


class StanceScorer:
    """Scores sentences against the stance keys of a rule set."""

    def __init__(
        self,
        rules: RuleSet,
        embedder: Embedder,
        head: StanceHead | None = None,
        attributor: Attributor | None = None,
    ) -> None:
        self.embedder = embedder
        self.head = head
        self.attributor = attributor if attributor is not None else Attributor()
        self.set_rules(rules)

    def require_head(self) -> StanceHead:
        if self.head is None:
            raise RuntimeError("StanceScorer has no head: pass StanceHead.from_table()")
        return self.head

    def set_rules(self, rules: RuleSet) -> None:
        if getattr(self, "rules", None) is rules:
            return  # the same rule set again (each `rules test` case): keep the embedded examples
        self.rules = rules
        self.matcher = ActorMatcher({a.id: a.aliases for a in rules.actors.values()})
        self._names = {a.id: a.name for a in rules.actors.values()}
        self._examples: dict[StanceKey, tuple[Matrix, Matrix, Matrix]] = {}
        self._own_similarity: dict[StanceKey, float] = {}  # how alike each key's examples are (per rule load)

    # -- preparing sentences ------------------------------------------------------------------

    def normalise(self, text: str, mentions: Sequence[Mention]) -> str:
        """Replace each alias by its actor's name, so "Peskov said" reads like the examples' "Russia said"."""
        parts: list[str] = []
        last = 0
        for m in mentions:
            if m.start < last:  # an alias shared by two actors yields two mentions on one span
                continue
            parts.append(text[last : m.start])
            parts.append(self._names.get(m.actor_id, m.alias))
            last = m.end
        parts.append(text[last:])
        return "".join(parts)

    def prepare(self, sentences: Sequence[str]) -> list[PreparedSentence]:
        """Strip datelines, find mentions, parse and embed, each distinct sentence once, in one batch."""
        stripped = [strip_dateline(s)[0] for s in sentences]
        distinct = list(dict.fromkeys(stripped))
        mentions = [tuple(self.matcher.find(s)) for s in distinct]
        normalised = [self.normalise(s, m) for s, m in zip(distinct, mentions, strict=True)]
        clauses = [split_clauses(s) for s in normalised]
        texts = normalised + [c for group in clauses for c in group]
        vectors = self.embedder.embed(texts) if texts else np.zeros((0, self.embedder.dimension), np.float32)
        named = [i for i, found in enumerate(mentions) if found]
        docs = dict(zip(named, self.attributor.parse([distinct[i] for i in named]), strict=True))
        by_text: dict[str, PreparedSentence] = {}
        offset = len(normalised)
        for i, (text, found) in enumerate(zip(distinct, mentions, strict=True)):
            group = clauses[i]
            names = {a: self._names.get(a, a) for a in {m.actor_id for m in found}}
            attributions = {
                actor: self.attributor.attribute(docs[i], [m for m in found if m.actor_id == actor])
                for actor in names
            }
            by_text[text] = PreparedSentence(
                text=text,
                mentions=found,
                vector=vectors[i],
                clause_vectors=vectors[offset : offset + len(group)],
                clause_actors=tuple(frozenset(a for a, n in names.items() if n in c) for c in group),
                attributions=attributions,
            )
            offset += len(group)
        return [by_text[text] for text in stripped]

    # -- features -----------------------------------------------------------------------------

    def _ensure_examples(self, keys: Sequence[StanceKey]) -> None:
        """Embed the filled examples of every key not yet cached, in one model call."""
        missing = [k for k in dict.fromkeys(keys) if k not in self._examples]
        if not missing:
            return
        texts: list[str] = []
        spans: list[tuple[StanceKey, int, int, int]] = []
        for key in missing:
            examples, counters = self.rules.examples_for(key)
            label = f"{self._names[key.actor]} {self.rules.stances[key.stance].label}"
            start = len(texts)
            texts.extend(examples + counters + [label])
            spans.append((key, start, start + len(examples), start + len(examples) + len(counters)))
        embedded = self.embedder.embed(texts)
        for key, start, mid, end in spans:
            self._examples[key] = (embedded[start:mid], embedded[mid:end], embedded[end : end + 1])
            self._own_similarity[key] = _own_similarity(embedded[start:mid])

    def _related_keys(self, sentence: PreparedSentence, key: StanceKey) -> list[StanceKey]:
        """The keys whose examples the features of (sentence, key) compare against."""
        related = [key]
        related += [StanceKey(key.actor, s, key.target) for s in self.rules.stances if s != key.stance]
        mentioned = {m.actor_id for m in sentence.mentions}
        related += [self._swap_agent(key, agent) for agent in sorted(mentioned - {key.actor})]
        return related

    def example_vectors(self, key: StanceKey) -> tuple[Matrix, Matrix, Matrix]:
        self._ensure_examples([key])
        return self._examples[key]

    def features(self, sentence: PreparedSentence, key: StanceKey) -> np.ndarray:
        v = sentence.vector
        examples, counters, label = self.example_vectors(key)
        ex = examples @ v
        co = counters @ v if len(counters) else np.zeros(1, dtype=np.float32)
        top = np.sort(ex)[-2:]

        # How much closer to this stance than to the other stances the rule set defines.
        other_stances = [
            float((self.example_vectors(StanceKey(key.actor, s, key.target))[0] @ v).max())
            for s in self.rules.stances
            if s != key.stance
        ]
        margin = float(ex.max()) - max(other_stances) if other_stances else 0.0

        # Attribution: do the examples fit better with another named actor as the agent?
        mentioned = {m.actor_id for m in sentence.mentions}
        other_agents = [
            float((self.example_vectors(self._swap_agent(key, agent))[0] @ v).max())
            for agent in sorted(mentioned - {key.actor})
        ]
        own_minus_other = float(ex.max()) - max(other_agents) if other_agents else 0.2
        other_max = max(other_agents) if other_agents else 0.0

        clause_block = self._clause_features(
            sentence, key, examples, counters, float(ex.max()), float(co.max())
        )

        text = sentence.text
        own = [m for m in sentence.mentions if m.actor_id == key.actor]
        first = own[0] if own else None
        others = [m for m in sentence.mentions if m.actor_id not in (key.actor, key.target)]
        position = first.start / max(1, len(text)) if first else 1.0
        actor_first = 1.0 if first is not None and first.start < 3 else 0.0
        other_before = 1.0 if first is not None and any(m.start < first.start for m in others) else 0.0
        if key.target is None:
            target_mentioned = 0.5
        else:
            target_mentioned = 1.0 if key.target in mentioned else 0.0
        not_actor = 0.0
        possessive = 0.0
        if first is not None:
            before = text[max(0, first.start - 6) : first.start]
            not_actor = 1.0 if re.search(r",? not $", before) else 0.0
            possessive = 1.0 if text[first.end : first.end + 2] in ("'s", "’s") else 0.0

        row = [
            float(ex.max()),
            float(ex.mean()),
            float(top.mean()),
            float(co.max()),
            float(co.mean()),
            float(ex.max() - co.max()),
            float((label @ v).max()),
            margin,
            own_minus_other,
            other_max,
            *(1.0 if cue.search(text) else 0.0 for cue in _CUE_RES),
            position,
            actor_first,
            other_before,
            float(len({m.actor_id for m in others})),
            target_mentioned,
            not_actor,
            possessive,
            *(_cue_before(text, own, pattern) for pattern in _BEFORE_RES),
            *(_cue_after(text, own, pattern) for pattern in _AFTER_RES),
            *clause_block,
            float(ex.max()) - self._own_similarity[key],
            clause_block[0] - self._own_similarity[key],
            *self._attribution_features(sentence, key),
        ]
        return np.asarray(row, dtype=np.float32)

    @staticmethod
    def _attribution_features(sentence: PreparedSentence, key: StanceKey) -> list[float]:
        own = sentence.attributions.get(key.actor, Attribution())
        target = sentence.attributions.get(key.target) if key.target else None
        others = [a for actor, a in sentence.attributions.items() if actor not in (key.actor, key.target)]
        return [
            *(1.0 if own.role == role else 0.0 for role in ROLES),
            *(1.0 if getattr(own, flag) else 0.0 for flag in FLAGS),
            1.0 if target is not None and target.role == "agent" else 0.0,
            1.0 if target is not None and target.role in ("patient", "mentioned") else 0.0,
            1.0 if any(a.role == "agent" for a in others) else 0.0,
        ]

    @staticmethod
    def _clause_features(
        sentence: PreparedSentence,
        key: StanceKey,
        examples: Matrix,
        counters: Matrix,
        ex_max: float,
        co_max: float,
    ) -> list[float]:
        """Best clause-level matches overall and among clauses that name the actor (sentence values if none)."""
        if len(sentence.clause_vectors) == 0:
            return [ex_max, co_max, ex_max - co_max, ex_max, co_max, ex_max - co_max, 1.0]
        ex = (sentence.clause_vectors @ examples.T).max(axis=1)
        co = (sentence.clause_vectors @ counters.T).max(axis=1) if len(counters) else np.zeros(len(ex))
        own = np.asarray([key.actor in actors for actors in sentence.clause_actors])
        own_ex = float(ex[own].max()) if own.any() else 0.0
        own_co = float(co[own].max()) if own.any() else 0.0
        return [
            max(ex_max, float(ex.max())),
            max(co_max, float(co.max())),
            float(ex.max() - co.max()),
            own_ex,
            own_co,
            own_ex - own_co,
            float(own.mean()),
        ]

    def _swap_agent(self, key: StanceKey, agent: str) -> StanceKey:
        # With the target as agent, the roles reverse: "Iran struck Israel" for israel/military_action/iran.
        target = key.actor if agent == key.target else key.target
        return StanceKey(agent, key.stance, target)

    # -- judging ------------------------------------------------------------------------------

    def judge(
        self, sentences: Sequence[PreparedSentence], keys: Sequence[StanceKey]
    ) -> list[list[Judgement]]:
        """Judge every sentence against every key: result[i][j] is sentence i under key j.

        A sentence that does not name the key's actor (outside its dateline) is "none" without scoring.
        """
        result = [[NOT_NAMED] * len(keys) for _ in sentences]
        todo = [
            (i, j)
            for i, sentence in enumerate(sentences)
            for j, key in enumerate(keys)
            if key.actor in sentence.attributions
        ]
        judged = self.judge_pairs([(sentences[i], keys[j]) for i, j in todo])
        for (i, j), judgement in zip(todo, judged, strict=True):
            result[i][j] = judgement
        return result

    def judge_pairs(self, pairs: Sequence[tuple[PreparedSentence, StanceKey]]) -> list[Judgement]:
        """Judge (sentence, key) pairs whose actor the sentence names, in one head call."""
        if not pairs:
            return []
        head = self.require_head()
        self.ensure_examples_for(pairs)
        rows = np.vstack([self.features(sentence, key) for sentence, key in pairs])
        judged = []
        for p in head.probabilities(rows):
            label = label_of(float(p[1]), float(p[2]))
            judged.append(Judgement(label, float(p[_CLASSES.index(label)]), float(p[1]), float(p[2])))
        return judged

    def ensure_examples_for(self, pairs: Sequence[tuple[PreparedSentence, StanceKey]]) -> None:
        """Embed, in one batch, every example set that features() will need for these pairs."""
        self._ensure_examples(
            [
                related
                for sentence, key in pairs
                if key.actor in {m.actor_id for m in sentence.mentions}
                for related in self._related_keys(sentence, key)
            ]
        )


def load_scorer(rules: RuleSet, *, without_domain: str | None = None) -> StanceScorer:
    """The shipped scorer: the embedding model, the head fitted from the shipped table (without one domain
    for an honest figure on it), and the parser. Most of a process's start-up is here."""
    from monitor.embedding import SentenceTransformerEmbedder

    head = StanceHead.from_table(without_domain=without_domain)
    return StanceScorer(rules, SentenceTransformerEmbedder(), head, Attributor())
