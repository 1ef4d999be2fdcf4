"""Event-time order across Kafka partitions: progress marks and the watermark they give.

Detection must see one actor's articles in event-time order, as `replay` does, or a partition that is read
ahead (a backlog, a slow consumer) would judge the baseline before the articles that belong in it arrived.
Kafka orders each partition, not the topic, so:

- the scoring stage, after each batch and on a timer, sends a *mark* to every partition of the scored topic:
  for each `articles` partition it owns, the newest event time it has scored there, or `None` once it has
  scored everything the partition holds (caught up: nothing older can still come from it);
- the detection stage keeps the marks per scored partition and holds each scored article until the
  partition's *watermark*, the oldest mark over all `articles` partitions, has passed its event time.

Marks travel on the same partitions as the scored articles and after them, so when a mark arrives every
article it speaks for has arrived before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

CAUGHT_UP = None  # a mark meaning: this source partition has nothing unscored


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def mark_message(marks: Mapping[int, datetime | None]) -> dict[str, Any]:
    return {"marks": {str(p): (_iso(t) if t is not None else None) for p, t in marks.items()}}


def parse_marks(data: Mapping[str, Any]) -> dict[int, datetime | None] | None:
    """The marks of a mark message, or None when the message is a scored article."""
    marks = data.get("marks")
    if not isinstance(marks, dict):
        return None
    return {int(p): (_parse(t) if t is not None else CAUGHT_UP) for p, t in marks.items()}


@dataclass
class Watermarks:
    """Per scored partition: the latest mark of every source (`articles`) partition."""

    sources: int  # partitions of the articles topic
    marks: dict[int, dict[int, datetime | None]] = field(default_factory=dict)

    def update(self, partition: int, marks: Mapping[int, datetime | None]) -> None:
        self.marks.setdefault(partition, {}).update(marks)

    def watermark(self, partition: int) -> datetime | None:
        """Event time up to which every source partition has been scored; None: not known yet for some.

        `datetime.max` (UTC) when every source partition is caught up: all held articles may go.
        """
        known = self.marks.get(partition, {})
        if len(known) < self.sources or any(p not in known for p in range(self.sources)):
            return None
        times = [t for t in known.values() if t is not CAUGHT_UP]
        return min(times) if times else datetime.max.replace(tzinfo=UTC)

    def forget(self, partitions: set[int]) -> None:
        """Partitions this worker no longer owns (their marks go to the new owner)."""
        for partition in list(self.marks):
            if partition not in partitions:
                del self.marks[partition]
