"""The rule set's examples per stance key, embedded once per rule set."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from monitor.rules import RuleSet
from monitor.types import Embedder, Matrix, StanceKey

__all__ = ["ExampleBank"]


def _own_similarity(examples: Matrix) -> float:
    """Mean similarity of each example to its nearest other example."""
    if len(examples) < 2:
        return 0.5
    sims = examples @ examples.T
    np.fill_diagonal(sims, -1.0)
    return float(sims.max(axis=1).mean())


class ExampleBank:
    """Embedded examples, counter-examples and label ("Russia mediation") of each stance key asked about.

    Keys are filled in with their actor and target (RuleSet.examples_for), so every (actor, stance, target)
    has its own vectors; they are embedded on first use and kept for the life of the rule set.
    """

    def __init__(self, rules: RuleSet, embedder: Embedder) -> None:
        self._rules = rules
        self.stances = tuple(rules.stances)  # the stance ids, in the rule files' order
        self._embedder = embedder
        self._names = {a.id: a.name for a in rules.actors.values()}
        self._vectors: dict[StanceKey, tuple[Matrix, Matrix, Matrix]] = {}
        self._own_similarity: dict[StanceKey, float] = {}

    def ensure(self, keys: Iterable[StanceKey]) -> None:
        """Embed the examples of every key not yet embedded, in one model call."""
        missing = [k for k in dict.fromkeys(keys) if k not in self._vectors]
        if not missing:
            return
        texts: list[str] = []
        spans: list[tuple[StanceKey, int, int, int]] = []
        for key in missing:
            examples, counters = self._rules.examples_for(key)
            label = f"{self._names[key.actor]} {self._rules.stances[key.stance].label}"
            start = len(texts)
            texts.extend(examples + counters + [label])
            spans.append((key, start, start + len(examples), start + len(examples) + len(counters)))
        embedded = self._embedder.embed(texts)
        for key, start, mid, end in spans:
            self._vectors[key] = (embedded[start:mid], embedded[mid:end], embedded[end : end + 1])
            self._own_similarity[key] = _own_similarity(embedded[start:mid])

    def vectors(self, key: StanceKey) -> tuple[Matrix, Matrix, Matrix]:
        """The key's example, counter-example and label vectors (one row each)."""
        if key not in self._vectors:  # asked once per (sentence, key) pair: skip ensure()'s set-up when known
            self.ensure([key])
        return self._vectors[key]

    def own_similarity(self, key: StanceKey) -> float:
        """How alike the key's examples are to each other: the scale of its matches in its own wording."""
        if key not in self._own_similarity:
            self.ensure([key])
        return self._own_similarity[key]
