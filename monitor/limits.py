"""Limits on what one article may cost or change, so bad input cannot stall or poison the stream.

The variables (STANCE_MONITOR_MAX_BODY_CHARS, _MAX_SENTENCE_CHARS, _MAX_FUTURE_SKEW) and their defaults are in
the README's environment table; cuts are counted in `stance_monitor_articles_truncated_total{reason}`.
The defaults sit far above real news: the longest body of the dev timeline is under 1,000 characters and its
longest sentence under 200; 50,000 characters is about 8,000 words, and the first part of a long read holds
its news. The sentence model reads at most 256 word pieces (about 1,000 characters) of a sentence anyway.
Scoring cost is linear in what is left, so the worst article costs seconds instead of stalling the stream
(`scripts/bench_hostile.py`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from monitor.envvars import env_float, env_int

__all__ = ["InputLimits"]


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
            max_body_chars=env_int(env, "STANCE_MONITOR_MAX_BODY_CHARS", cls.max_body_chars, positive=True),
            max_sentence_chars=env_int(
                env, "STANCE_MONITOR_MAX_SENTENCE_CHARS", cls.max_sentence_chars, positive=True
            ),
            max_future_skew=timedelta(
                seconds=env_float(
                    env, "STANCE_MONITOR_MAX_FUTURE_SKEW", cls.max_future_skew.total_seconds(), positive=True
                )
            ),
        )
