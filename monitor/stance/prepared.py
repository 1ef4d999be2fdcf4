"""A sentence ready for scoring, and the clauses it is cut into."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from monitor.attribution import Attribution
from monitor.types import Matrix, Mention, Vector

__all__ = ["PreparedSentence", "split_clauses"]


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
