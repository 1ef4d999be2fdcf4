"""Limits on what one article may cost or change, so bad input cannot stall or poison the stream.

| variable | meaning |
|---|---|
| STANCE_MONITOR_MAX_BODY_CHARS | an article body longer than this is cut (at a space) before scoring (default 50000) |
| STANCE_MONITOR_MAX_SENTENCE_CHARS | a longer sentence is hard-split into pieces of at most this length (default 1000) |
| STANCE_MONITOR_MAX_FUTURE_SKEW | seconds `published_at` may lie ahead of the wall clock; later articles are rejected with reason `future_timestamp` (default 86400) |

Cuts are counted in `stance_monitor_articles_truncated_total{reason}` (`body_too_long`, `sentence_too_long`).
The defaults sit far above real news: the longest body of the dev timeline is under 1,000 characters and its
longest sentence under 200; 50,000 characters is about 8,000 words, and the first part of a long read holds
its news. The sentence model reads at most 256 word pieces (about 1,000 characters) of a sentence anyway.
Scoring cost is linear in what is left: about 0.13 s per 1,000 characters of text that names an actor in every
sentence (2 shared cores), so the worst article costs about 7 s instead of stalling the stream.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

__all__ = ["InputLimits", "TRUNCATION_REASONS"]

#: The values of `articles_truncated_total{reason}`.
TRUNCATION_REASONS: tuple[str, ...] = ("body_too_long", "sentence_too_long")


def _positive(env: Mapping[str, str], name: str, default: float, *, whole: bool) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        value = 0
    if not 0 < value < math.inf:
        kind = "whole number" if whole else "number of seconds"
        raise ValueError(f"{name} must be a positive {kind} (got {raw!r})")
    return value


@dataclass(frozen=True)
class InputLimits:
    max_body_chars: int = 50_000
    max_sentence_chars: int = 1_000
    max_future_skew: timedelta = timedelta(days=1)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> InputLimits:
        """The limits from STANCE_MONITOR_MAX_*; ValueError naming the variable for a bad value."""
        env = os.environ if env is None else env
        return cls(
            max_body_chars=int(
                _positive(env, "STANCE_MONITOR_MAX_BODY_CHARS", cls.max_body_chars, whole=True)
            ),
            max_sentence_chars=int(
                _positive(env, "STANCE_MONITOR_MAX_SENTENCE_CHARS", cls.max_sentence_chars, whole=True)
            ),
            max_future_skew=timedelta(
                seconds=_positive(
                    env,
                    "STANCE_MONITOR_MAX_FUTURE_SKEW",
                    cls.max_future_skew.total_seconds(),
                    whole=False,
                )
            ),
        )
