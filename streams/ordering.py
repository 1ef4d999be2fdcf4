"""Event-time order across Kafka partitions: progress marks, and when a held article may go on.

Detection must see one actor's articles in event-time order, as `replay` does, or a partition that is read
ahead (a backlog, a slow or dead worker) would judge a baseline before the articles that belong in it arrived.
Kafka orders each partition, not the topic. So the scoring stage sends every partition of the scored topic a
*mark* for each `articles` partition it owns, after each batch and on a timer:

- `through`: the newest event time it has scored from that partition (what is older has been scored, as
  far as the partition itself is in event-time order), and
- `caught_up_at`: if it has scored everything the partition held, the wall-clock time up to which that is
  known to be true (the check uses the high watermark of the last fetch, so a safety margin is taken off).

The detection stage holds each scored article until, for every articles partition, either the partition has
been scored through the article's event time, or the partition was caught up with everything ingested before
the article was (its Kafka timestamp): an idle partition does not hold the others back, and a dead worker's
last "caught up" does not let through articles that arrived after it died.

Marks travel on the same partitions as the scored articles and after them. Marks and articles carry the
consumer-group generation they were produced in; after a rebalance a scored partition uses only marks of the
newest generation it has seen, so each articles partition must be reported by its new owner first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Mark:
    through: datetime | None  # newest event time scored from the partition
    caught_up_at: float | None  # epoch seconds: everything ingested before then has been scored

    def passes(self, published_at: datetime, ingested_at: float) -> bool:
        """Whether nothing this partition may still deliver should come before this article."""
        if self.through is not None and published_at <= self.through:
            return True
        return self.caught_up_at is not None and ingested_at <= self.caught_up_at


def progress_mark(
    scored_to: int, highwater: int | None, through: datetime | None, now: float, margin: float
) -> Mark | None:
    """What the scoring stage can claim about one articles partition it owns (None: nothing yet).

    `through` holds whether or not the partition's high watermark is known. "Caught up" needs the high
    watermark, which the consumer only knows after a fetch of that partition (so not right after a rebalance);
    the claim covers what was ingested `margin` seconds before `now`.
    """
    caught_up = highwater is not None and scored_to >= highwater
    if not caught_up and through is None:
        return None
    return Mark(through, now - margin if caught_up else None)


def mark_message(marks: Mapping[int, Mark], generation: int, sources: int) -> dict[str, Any]:
    """A mark message; `sources` is how many partitions the articles topic has (all must be heard from)."""
    return {
        "sources": sources,
        "marks": {
            str(p): {"through": _iso(m.through) if m.through else None, "caught_up_at": m.caught_up_at}
            for p, m in marks.items()
        },
        "generation": generation,
    }


def parse_sources(data: Mapping[str, Any]) -> int | None:
    sources = data.get("sources")
    return int(sources) if sources is not None else None


def parse_marks(data: Mapping[str, Any]) -> dict[int, Mark] | None:
    """The marks of a mark message, or None when the message is a scored article."""
    marks = data.get("marks")
    if not isinstance(marks, dict):
        return None
    return {
        int(p): Mark(_parse(m["through"]) if m.get("through") else None, m.get("caught_up_at"))
        for p, m in marks.items()
    }


@dataclass
class Watermarks:
    """Per scored partition: the latest mark of every source (`articles`) partition, in the newest generation."""

    sources: int  # partitions of the articles topic (updated from the marks, which know it from metadata)
    marks: dict[int, dict[int, Mark]] = field(default_factory=dict)
    generations: dict[int, int] = field(default_factory=dict)

    def seen(self, partition: int, generation: int) -> bool:
        """Note a message of `generation` on `partition`; False when it is from an older generation."""
        current = self.generations.get(partition, -1)
        if generation > current:
            self.generations[partition] = generation
            self.marks[partition] = {}  # the previous owners' marks no longer hold
        return generation >= current

    def update(
        self, partition: int, marks: Mapping[int, Mark], generation: int, sources: int | None = None
    ) -> None:
        if self.seen(partition, generation):
            self.marks.setdefault(partition, {}).update(marks)
            if sources:
                self.sources = sources

    def ready(self, partition: int, published_at: datetime, ingested_at: float) -> bool:
        """Whether an article held on this scored partition may go on to detection."""
        return not self.blocking(partition, published_at, ingested_at)

    def blocking(self, partition: int, published_at: datetime, ingested_at: float) -> list[int]:
        """The articles partitions that may still deliver something older than this article."""
        known = self.marks.get(partition, {})
        return [
            p for p in range(self.sources) if p not in known or not known[p].passes(published_at, ingested_at)
        ]
