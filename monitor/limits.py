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

from datetime import timedelta

from pydantic import Field, PositiveInt, field_validator
from pydantic_settings import SettingsConfigDict

from monitor.envvars import EnvSettings

__all__ = ["InputLimits"]


class InputLimits(EnvSettings):
    """The limits; `InputLimits.from_env()` reads them from STANCE_MONITOR_MAX_*."""

    model_config = SettingsConfigDict(env_prefix="STANCE_MONITOR_")

    max_body_chars: PositiveInt = 50_000
    max_sentence_chars: PositiveInt = 1_000
    max_future_skew: timedelta = Field(default=timedelta(days=1), gt=timedelta(0))

    @field_validator("max_future_skew", mode="before")
    @classmethod
    def _seconds(cls, value: object) -> object:
        # the variable is in seconds ("600.5"), where pydantic would read a string as an ISO 8601 duration
        return float(value) if isinstance(value, str) else value
