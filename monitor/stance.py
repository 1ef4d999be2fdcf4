"""Stance scoring: does the actor in this sentence express the stance, deny it, or neither?

A rule file brings only example statements, so the method has to work for stances it never saw.
It does so in two layers:

1. Stance-specific evidence, computed from the rule's own examples: how close the sentence is to
   the examples and to the counter-examples, how much closer to this stance than to the other
   stances in the rule set, and whether the examples fit better with *our* actor as the agent than
   with another actor the sentence names (attribution: "Oman, not Russia, carried messages").
2. Stance-independent cues of modality and attribution that hold for any stance: questions,
   conditionals, urging ("called on Moscow to"), allegations, history, speculation, negation, where
   the actor stands in the sentence.

A small gradient-boosted head combines both. It is trained *across* stances (on labelled sentences
of other stances), so what it learns is how evidence and cues combine, not what any stance means.
The head is fitted at start-up from a shipped feature table (no pickles, no version skew). For a
stance the head was not trained on, its expresses odds are calibrated twice: on the stance's own examples
(StanceScorer.expresses_offset), and on how the head's scores of that stance spread over the stream so far
(monitor/calibration.py). Together, StanceScorer.offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from monitor.actors import ActorMatcher
from monitor.calibration import CalibrationLine, StreamCalibration, expresses_log_odds
from monitor.rules import RuleSet
from monitor.text import strip_dateline
from monitor.types import Embedder, Judgement, Label, Matrix, Mention, StanceKey, Vector

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

FEATURE_NAMES: tuple[str, ...] = (
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
)

HEAD_TABLE = "stance_head.npz"

# Calibration from the rule's own examples. A head trained across stances is not equally sure of every new
# stance: some stances' wording sits far from everything, others close to much neutral news. Each example,
# scored against the other examples as if it were a sentence in the stream, shows where a real expressing
# sentence of *this* stance lands; the expresses log-odds are shifted by part of the gap between that
# (median) and the decision boundary. Only the rule file is used, never labels. A stance (by id) that the
# head was trained on is left as it is: there the head is calibrated by its labels already.
CALIBRATION_SHRINK = 0.25
CALIBRATION_LIMIT = 3.0
_CLASSES: tuple[Label, ...] = ("none", "expresses", "denies")


@dataclass(frozen=True)
class PreparedSentence:
    """A sentence ready for scoring: dateline removed, mentions found, aliases normalised, embedded."""

    text: str
    mentions: tuple[Mention, ...]
    vector: Vector
    # Clauses (and pairs of neighbouring clauses) embedded on their own: a stance is often carried by a
    # phrase ("its attacks on Iran") that a whole-sentence vector dilutes. `clause_actors` names the
    # actors each clause mentions.
    clause_vectors: Matrix
    clause_actors: tuple[frozenset[str], ...]


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


# The stance classes are rare (about 1.5% of scored rows each). Fully balanced class weights make a head
# trained on other stances say `expresses` too readily for a new one; square-root balancing (weights
# proportional to 1 / sqrt(class frequency)) keeps the rare classes heard without that.
CLASS_WEIGHT_POWER = 0.5


def _class_weights(labels: np.ndarray) -> dict[int, float]:
    counts = np.bincount(labels.astype(np.int64), minlength=3)
    present = [c for c in range(3) if counts[c]]
    n = float(counts.sum())
    return {c: (n / (len(present) * float(counts[c]))) ** CLASS_WEIGHT_POWER for c in present}


class StanceHead:
    """The cross-stance classifier over FEATURE_NAMES: label probabilities from a feature row."""

    def __init__(
        self,
        features: np.ndarray,
        labels: np.ndarray,
        stances: Iterable[str] = (),
        line: CalibrationLine | None = None,
    ) -> None:
        from sklearn.ensemble import HistGradientBoostingClassifier

        # The stream calibration of stances it was not trained on (None: the examples' calibration only).
        self.line = line

        # Ids of the stances whose labelled rows trained the head: those need no calibration.
        self.stances = frozenset(str(s) for s in stances)

        if features.shape[1] != len(FEATURE_NAMES):
            raise ValueError(
                f"stance head table has {features.shape[1]} features (expected {len(FEATURE_NAMES)}); "
                "retrain it with scripts/train_head.py"
            )
        self._model: Any = HistGradientBoostingClassifier(
            max_iter=300,
            learning_rate=0.05,
            max_leaf_nodes=15,
            l2_regularization=5.0,  # smaller, smoother trees transfer better to unseen stances
            class_weight=_class_weights(labels),
            # No early stopping: it would hold out a random tenth of the rows and stop on their loss, so the
            # head, and whether a borderline rule fires, would hang on that draw (three of four seeds fired a
            # false alert on the timeline). Without it the head is deterministic and uses every row.
            early_stopping=False,
        )
        with threadpool_limits(1):  # OpenMP spin-waits crawl when the model shares the cores
            self._model.fit(features, labels)
        # Column order of predict_proba for labels 0=none, 1=expresses, 2=denies.
        self._columns = [
            list(self._model.classes_).index(c) if c in self._model.classes_ else -1 for c in range(3)
        ]

    @classmethod
    def from_table(cls, path: str | Path | None = None) -> StanceHead:
        """Fit the head from a feature table (.npz with X, y); default: the one shipped with the package."""
        if path is None:
            with resources.as_file(resources.files("monitor.data") / HEAD_TABLE) as shipped:
                return cls._from_npz(np.load(shipped))
        return cls._from_npz(np.load(path))

    @classmethod
    def _from_npz(cls, data: Any) -> StanceHead:
        stances = data["stances"].tolist() if "stances" in data.files else []
        line = CalibrationLine(*(float(v) for v in data["line"])) if "line" in data.files else None
        return cls(data["X"], data["y"], stances=stances, line=line)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        with threadpool_limits(1):
            raw = self._model.predict_proba(features)
        out = np.zeros((len(features), 3))
        for label, column in enumerate(self._columns):
            if column >= 0:
                out[:, label] = raw[:, column]
        return out


def _wording(rules: RuleSet, stance: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    definition = rules.stances.get(stance)
    if definition is None:
        return None
    return definition.label, tuple(definition.examples), tuple(definition.counter_examples)


class StanceScorer:
    """Scores sentences against the stance keys of a rule set."""

    def __init__(self, rules: RuleSet, embedder: Embedder, head: StanceHead | None = None) -> None:
        self.embedder = embedder
        self.head = head
        # Optional per-stance heads; evaluation uses them to score each stance with a head that never saw it.
        self.stance_heads: dict[str, StanceHead] = {}
        self.stream = StreamCalibration()
        self.set_rules(rules)

    def head_for(self, key: StanceKey) -> StanceHead:
        head = self.stance_heads.get(key.stance, self.head)
        if head is None:
            raise RuntimeError("StanceScorer has no head: pass StanceHead.from_table()")
        return head

    def set_rules(self, rules: RuleSet) -> None:
        previous = getattr(self, "rules", None)
        if previous is not None:
            # A stance whose wording changed is a new stance to the stream calibration: its old counts were
            # of scores against the old examples.
            self.stream.forget(
                s for s in list(self.stream.counts) if _wording(previous, s) != _wording(rules, s)
            )
        self.rules = rules
        self.matcher = ActorMatcher({a.id: a.aliases for a in rules.actors.values()})
        self._names = {a.id: a.name for a in rules.actors.values()}
        self._examples: dict[StanceKey, tuple[Matrix, Matrix, Matrix]] = {}
        self._offsets: dict[tuple[StanceHead, StanceKey], float] = {}

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
        """Strip datelines, find mentions and embed all sentences in one batch."""
        stripped = [strip_dateline(s)[0] for s in sentences]
        mentions = [tuple(self.matcher.find(s)) for s in stripped]
        normalised = [self.normalise(s, m) for s, m in zip(stripped, mentions, strict=True)]
        clauses = [split_clauses(s) for s in normalised]
        texts = normalised + [c for group in clauses for c in group]
        vectors = self.embedder.embed(texts) if texts else np.zeros((0, self.embedder.dimension), np.float32)
        prepared = []
        offset = len(normalised)
        for i, (text, found) in enumerate(zip(stripped, mentions, strict=True)):
            group = clauses[i]
            names = {a: self._names.get(a, a) for a in {m.actor_id for m in found}}
            prepared.append(
                PreparedSentence(
                    text=text,
                    mentions=found,
                    vector=vectors[i],
                    clause_vectors=vectors[offset : offset + len(group)],
                    clause_actors=tuple(frozenset(a for a, n in names.items() if n in c) for c in group),
                )
            )
            offset += len(group)
        return prepared

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

    def _related_keys(self, sentence: PreparedSentence, key: StanceKey) -> list[StanceKey]:
        """The keys whose examples the features of (sentence, key) compare against."""
        related = [key]
        related += [StanceKey(key.actor, s, key.target) for s in self.rules.stances if s != key.stance]
        mentioned = {m.actor_id for m in sentence.mentions}
        related += [self._swap_agent(key, agent) for agent in sorted(mentioned - {key.actor})]
        return related

    def _example_vectors(self, key: StanceKey) -> tuple[Matrix, Matrix, Matrix]:
        self._ensure_examples([key])
        return self._examples[key]

    def features(self, sentence: PreparedSentence, key: StanceKey) -> np.ndarray:
        v = sentence.vector
        examples, counters, label = self._example_vectors(key)
        ex = examples @ v
        co = counters @ v if len(counters) else np.zeros(1, dtype=np.float32)
        top = np.sort(ex)[-2:]

        # How much closer to this stance than to the other stances the rule set defines.
        other_stances = [
            float((self._example_vectors(StanceKey(key.actor, s, key.target))[0] @ v).max())
            for s in self.rules.stances
            if s != key.stance
        ]
        margin = float(ex.max()) - max(other_stances) if other_stances else 0.0

        # Attribution: do the examples fit better with another named actor as the agent?
        mentioned = {m.actor_id for m in sentence.mentions}
        other_agents = [
            float((self._example_vectors(self._swap_agent(key, agent))[0] @ v).max())
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
        ]
        return np.asarray(row, dtype=np.float32)

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

    # -- calibration --------------------------------------------------------------------------

    def expresses_offset(self, key: StanceKey, head: StanceHead | None = None) -> float:
        """The shift of the expresses log-odds for `key` under `head` (see CALIBRATION_SHRINK)."""
        head = head or self.head_for(key)
        cached = self._offsets.get((head, key))
        if cached is not None:
            return cached
        examples_text, _ = self.rules.examples_for(key)
        offset = 0.0
        if len(examples_text) >= 2 and key.stance not in head.stances:
            prepared = self.prepare(examples_text)
            self._ensure_examples([k for p in prepared for k in self._related_keys(p, key)])
            examples, counters, label = self._examples[key]
            rows = []
            try:
                for i, sentence in enumerate(prepared):
                    if key.actor not in {m.actor_id for m in sentence.mentions}:
                        continue
                    self._examples[key] = (np.delete(examples, i, axis=0), counters, label)
                    rows.append(self.features(sentence, key))
            finally:
                self._examples[key] = (examples, counters, label)
            if rows:
                p = head.probabilities(np.vstack(rows))
                offset = float(
                    np.clip(
                        -CALIBRATION_SHRINK * np.median(expresses_log_odds(p)), -CALIBRATION_LIMIT, CALIBRATION_LIMIT
                    )
                )
        self._offsets[(head, key)] = offset
        return offset

    def offsets(self, keys: Sequence[StanceKey], head: StanceHead, probabilities: np.ndarray) -> np.ndarray:
        """Each row's expresses log-odds offset, rows in stream order: the examples' calibration, plus the stream's.

        Rows of stances the head was trained on get none. The others are counted into the stream calibration
        (monitor/calibration.py), when the head has its line.
        """
        offsets = np.asarray([self.expresses_offset(key, head) for key in keys])
        new = [i for i, key in enumerate(keys) if key.stance not in head.stances]
        if head.line is not None and new:
            offsets[new] += self.stream.offsets(
                [keys[i].stance for i in new], expresses_log_odds(probabilities[new]), head.line
            )
        return offsets

    def stream_offsets(self) -> dict[str, float]:
        """The stream calibration's current offset per stance it has counted (for the metrics)."""
        current = {}
        for stance in self.stream.counts:
            head = self.stance_heads.get(stance, self.head)
            if head is not None and head.line is not None:
                current[stance] = self.stream.offset(stance, head.line)
        return current

    # -- judging ------------------------------------------------------------------------------

    def judge(
        self, sentences: Sequence[PreparedSentence], keys: Sequence[StanceKey]
    ) -> list[list[Judgement]]:
        """Judge every sentence against every key: result[i][j] is sentence i under key j.

        A sentence that does not name the key's actor (outside its dateline) is "none" without scoring.
        """
        none = Judgement("none", 1.0, 0.0, 0.0)
        result = [[none] * len(keys) for _ in sentences]
        todo: list[tuple[int, int]] = []
        for i, sentence in enumerate(sentences):
            actors = {m.actor_id for m in sentence.mentions}
            todo += [(i, j) for j, key in enumerate(keys) if key.actor in actors]
        self._ensure_examples([k for i, j in todo for k in self._related_keys(sentences[i], keys[j])])
        by_head: dict[int, tuple[StanceHead, list[tuple[int, int]]]] = {}
        for i, j in todo:
            head = self.head_for(keys[j])
            by_head.setdefault(id(head), (head, []))[1].append((i, j))
        for head, pairs in by_head.values():
            rows = np.vstack([self.features(sentences[i], keys[j]) for i, j in pairs])
            probabilities = head.probabilities(rows)
            offsets = self.offsets([keys[j] for _, j in pairs], head, probabilities)
            probabilities[:, 1] *= np.exp(offsets)
            probabilities /= probabilities.sum(axis=1, keepdims=True)
            for (i, j), p in zip(pairs, probabilities, strict=True):
                best = int(np.argmax(p))
                result[i][j] = Judgement(_CLASSES[best], float(p[best]), float(p[1]), float(p[2]))
        return result

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
