"""StanceScorer: sentences and stance keys in, calibrated judgements out.

It prepares each distinct sentence once (dateline stripped, aliases normalised to actor names, embedded
whole and by clause, parsed for each named actor's role), computes StanceFeatures per (sentence, key) and
asks the head, in one call, for calibrated probabilities; the label follows with the one threshold.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from monitor.actors import ActorMatcher
from monitor.attribution import Attributor
from monitor.limits import InputLimits
from monitor.rules import RuleSet
from monitor.stance.calibration import label_of
from monitor.stance.examples import ExampleBank
from monitor.stance.features import ExampleMatches, StanceFeatures, related_keys, stance_features
from monitor.stance.head import StanceHead
from monitor.stance.prepared import PreparedSentence, split_clauses
from monitor.text import cap_text, strip_dateline
from monitor.types import Embedder, Judgement, Label, Matrix, Mention, Sentence, StanceKey

__all__ = ["NOT_NAMED", "StanceScorer", "load_process_scorer", "load_scorer"]

_CLASSES: tuple[Label, ...] = ("none", "expresses", "denies")
# The judgement of a sentence that does not name the key's actor: not scored at all.
NOT_NAMED = Judgement("none", 1.0, 0.0, 0.0)
# Text given without a sentence splitter's cap (classify, explain, evaluation) gets the default one.
_MAX_SENTENCE_CHARS = InputLimits().max_sentence_chars


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
        self.examples = ExampleBank(rules, self.embedder)

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

    def _without_dateline(self, sentence: str | Sentence) -> tuple[str, tuple[Mention, ...]]:
        """The sentence without its dateline, and the mentions in what is left (offsets into it)."""
        if isinstance(sentence, str):
            text = strip_dateline(cap_text(sentence, _MAX_SENTENCE_CHARS)[0])[0]
            return text, tuple(self.matcher.find(text))
        text, offset = strip_dateline(sentence.text)
        if any(m.start < offset < m.end for m in sentence.mentions):
            # an alias ran across the dateline's end; without the dateline another alias may match there
            return text, tuple(self.matcher.find(text))
        return text, tuple(
            replace(m, start=m.start - offset, end=m.end - offset)
            for m in sentence.mentions
            if m.start >= offset
        )

    def prepare(self, sentences: Sequence[str | Sentence]) -> list[PreparedSentence]:
        """Strip datelines, find mentions, parse and embed, each distinct sentence once, in one batch.

        A `Sentence` (from this scorer's `matcher.mentioned`, as ArticleScorer has them) brings its mentions,
        which are not searched again. Plain text (classify, explain, evaluation) is capped to the default
        sentence length, as ArticleScorer's splitter caps an article's sentences, and searched here.
        """
        stripped = [self._without_dateline(s) for s in sentences]
        found: dict[str, tuple[Mention, ...]] = {}
        for text, own in stripped:
            found.setdefault(text, own)  # the same text has the same mentions
        distinct, mentions = list(found), list(found.values())
        normalised = [self.normalise(s, m) for s, m in zip(distinct, mentions, strict=True)]
        clauses = [split_clauses(s) for s in normalised]
        texts = normalised + [c for group in clauses for c in group]
        vectors = self.embedder.embed(texts) if texts else np.zeros((0, self.embedder.dimension), np.float32)
        named = [i for i, m in enumerate(mentions) if m]
        docs = dict(zip(named, self.attributor.parse([distinct[i] for i in named]), strict=True))
        by_text: dict[str, PreparedSentence] = {}
        offset = len(normalised)
        for i, (text, own) in enumerate(zip(distinct, mentions, strict=True)):
            group = clauses[i]
            names = {a: self._names.get(a, a) for a in {m.actor_id for m in own}}
            attributions = {
                actor: self.attributor.attribute(docs[i], [m for m in own if m.actor_id == actor])
                for actor in names
            }
            by_text[text] = PreparedSentence(
                text=text,
                mentions=own,
                vector=vectors[i],
                clause_vectors=vectors[offset : offset + len(group)],
                clause_actors=tuple(frozenset(a for a, n in names.items() if n in c) for c in group),
                attributions=attributions,
            )
            offset += len(group)
        return [by_text[text] for text, _ in stripped]

    # -- features -----------------------------------------------------------------------------

    def example_vectors(self, key: StanceKey) -> tuple[Matrix, Matrix, Matrix]:
        return self.examples.vectors(key)

    def features(
        self, sentence: PreparedSentence, key: StanceKey, memo: ExampleMatches | None = None
    ) -> StanceFeatures:
        return stance_features(sentence, key, self.examples, memo)

    def ensure_examples_for(self, pairs: Sequence[tuple[PreparedSentence, StanceKey]]) -> None:
        """Embed, in one batch, every example set that features() will need for these pairs."""
        self.examples.ensure(
            related
            for sentence, key in pairs
            if key.actor in {m.actor_id for m in sentence.mentions}
            for related in related_keys(sentence, key, self.examples.stances)
        )

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
        memo: ExampleMatches = {}  # lives as long as `pairs` holds the sentences (it is keyed by their ids)
        rows = np.vstack([self.features(sentence, key, memo).to_vector() for sentence, key in pairs])
        judged = []
        for p in head.probabilities(rows):
            label = label_of(float(p[1]), float(p[2]))
            judged.append(Judgement(label, float(p[_CLASSES.index(label)]), float(p[1]), float(p[2])))
        return judged


def load_scorer(rules: RuleSet, *, without_domain: str | None = None) -> StanceScorer:
    """The shipped scorer: the embedding model, the head fitted from the shipped table (without one domain
    for an honest figure on it), and the parser. Most of a process's start-up is here."""
    from monitor.embedding import SentenceTransformerEmbedder

    head = StanceHead.from_table(without_domain=without_domain)
    return StanceScorer(rules, SentenceTransformerEmbedder(), head, Attributor())


def load_process_scorer(rules: RuleSet) -> StanceScorer:
    """load_scorer for a process that keeps the scorer until it exits (replay, run, the worker)."""
    scorer = load_scorer(rules)
    # Take the model's and the parser's half a million objects out of the garbage collector's full passes,
    # which otherwise walk them again and again (about 3% of replay's time). Only for a scorer kept for
    # good: cyclic garbage among frozen objects is never collected.
    gc.freeze()
    return scorer
