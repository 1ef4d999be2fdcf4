"""The records that flow through the pipeline, and the small protocols its parts implement.

Articles come in; sentences that mention a tracked actor are scored into observations;
the detector turns observations into alerts (those live in monitor.alerts). Everything here is plain data,
so it can be serialised into a Faust table or a JSONL line without knowing about either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

Label = Literal["expresses", "denies", "none"]
LABELS: tuple[Label, ...] = ("expresses", "denies", "none")
Direction = Literal["rise", "fall"]
Severity = Literal["info", "low", "medium", "high", "critical"]

Vector = npt.NDArray[np.float32]
Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Mention:
    """One occurrence of an actor's alias inside a sentence (character offsets into the sentence)."""

    actor_id: str
    alias: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article that mentions at least one tracked actor."""

    article_id: str
    index: int
    text: str
    mentions: tuple[Mention, ...]

    def actors(self) -> frozenset[str]:
        return frozenset(m.actor_id for m in self.mentions)


@dataclass(frozen=True)
class StanceKey:
    """What a rule watches: an actor taking a stance, optionally towards a target actor."""

    actor: str
    stance: str
    target: str | None = None

    def __str__(self) -> str:
        return f"{self.actor}/{self.stance}" + (f"/{self.target}" if self.target else "")


@dataclass(frozen=True)
class Judgement:
    """The scorer's verdict for one sentence and one stance key."""

    label: Label
    score: float  # probability of the label that was chosen
    p_expresses: float
    p_denies: float


@dataclass(frozen=True)
class Observation:
    """One article's evidence about one stance key, as the detector sees it.

    An article contributes at most one observation per key: its strongest sentence.
    `story_id` groups near-duplicate articles (one wire story republished), so they count once.
    """

    key: StanceKey
    article_id: str
    story_id: str
    source: str
    url: str | None
    published_at: datetime
    label: Label
    score: float
    quote: str


class Embedder(Protocol):
    """Turns sentences into unit-length vectors."""

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: list[str]) -> Matrix: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


def iso_utc(moment: datetime) -> str:
    """A moment as the RFC 3339 UTC text of alerts and state, to the second: 2025-06-14T09:10:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(value: str) -> datetime:
    """The inverse of `iso_utc` (any RFC 3339 text with a zone), in UTC."""
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def make_alert_id(rule_id: str, fired_at: datetime) -> str:
    """An alert's id: its rule and the event time that completed the condition (stable across replays)."""
    return f"{rule_id}:{iso_utc(fired_at)}"


def episode_of(alert_id: str) -> tuple[str, datetime]:
    """The rule id and firing time an alert id was made of (`make_alert_id`'s inverse; rule ids have no colon)."""
    rule_id, _, fired_at = alert_id.partition(":")
    return rule_id, parse_utc(fired_at)
