"""Hostile input shared by the tests and scripts/bench_hostile.py."""

from __future__ import annotations

import random


def unpunctuated(n_bytes: int, seed: int = 7) -> str:
    """Words without a single punctuation mark, one in twenty an actor's alias."""
    rng = random.Random(seed)
    words = ["the", "minister", "said", "talks", "would", "continue", "on", "grain", "exports", "and"]
    actors = ["Russia", "Moscow", "Kremlin", "Putin", "Qatar", "Doha"]
    out: list[str] = []
    size = 0
    while size < n_bytes:
        word = rng.choice(actors) if rng.random() < 0.05 else rng.choice(words)
        out.append(word)
        size += len(word) + 1
    return " ".join(out)
