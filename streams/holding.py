"""Stage 2's state in the worker: one record per actor in the `actor-state` table, and what may go on now.

A record holds the actor's detection state, the ids of the alerts and updates already published, and the
scored articles still held for the event-time watermark (streams/ordering.py). One changelog write moves all
three together, so a kill between two writes cannot drop held articles or count them twice, and a worker that
takes the actor's partition over judges its articles as `replay` would.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import faust

from monitor.metrics import Metrics
from monitor.pipeline import ActorDetection, Detection, ScoredArticle
from streams.ordering import Watermarks, parse_marks, parse_sources
from streams.tables import SENT_IDS_KEPT, DurableTable, decode_state, encode_state

log = logging.getLogger("stance_monitor.worker")


@dataclass
class Held:
    """A scored article waiting until no articles partition may still deliver something older."""

    item: ScoredArticle
    ingested_at: float  # epoch seconds its article was produced to Kafka
    held_at: float  # epoch seconds a worker first held it (bounds the wait)

    def to_dict(self) -> dict[str, Any]:
        return {**self.item.to_dict(), "ingested_at": self.ingested_at, "held_at": self.held_at}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Held:
        return cls(ScoredArticle.from_dict(data), float(data.get("ingested_at", 0.0)), float(data["held_at"]))


@dataclass
class ActorRecord:
    """One actor's row of the `actor-state` table."""

    partition: int | None = None  # the scored partition the actor's articles arrive on
    pending: list[Held] = field(default_factory=list)
    detection: dict[str, Any] | None = None  # ActorDetection.to_state()
    sent: list[str] = field(default_factory=list)  # ids of alerts and updates already published

    def to_dict(self) -> dict[str, Any]:
        return {
            "partition": self.partition,
            "pending": [held.to_dict() for held in self.pending],
            "detection": self.detection,
            "sent": self.sent[-SENT_IDS_KEPT:],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ActorRecord:
        partition = data.get("partition")
        return cls(
            partition=int(partition) if partition is not None else None,
            pending=[Held.from_dict(d) for d in data.get("pending", [])],
            detection=data.get("detection") or None,
            sent=list(data.get("sent", [])),
        )


class ActorStates:
    """The `actor-state` table as the detect agent uses it: typed records and each actor's live detection.

    Decoding a record and rebuilding its detection is skipped while the table still holds what this worker
    wrote last (after a rebalance it may not: another worker moved on with the actor meanwhile).
    """

    def __init__(self, table: DurableTable, detection: Detection, metrics: Metrics, max_hold: float) -> None:
        self.table = table
        self.detection = detection
        self.metrics = metrics
        self.max_hold = max_hold
        self.written: dict[str, str] = {}  # per actor: the table value this worker wrote last
        self.records: dict[str, ActorRecord] = {}
        self.holding: set[str] = set()  # actors of our partitions with articles held
        self.holding_generation = -1

    def load(self, actor: str) -> tuple[ActorRecord, ActorDetection]:
        saved = self.table.get(actor)
        if saved is not None and saved == self.written.get(actor) and actor in self.detection.actors:
            return self.records[actor], self.detection.actors[actor]
        record = ActorRecord.from_dict(decode_state(saved)) if saved else ActorRecord()
        return record, self.detection.restore(actor, record.detection)

    def release(
        self, arrived: dict[str, tuple[int, list[Held]]], owned: set[int], generation: int, marks: Watermarks
    ) -> Iterator[tuple[str, ActorRecord, ActorDetection, list[Held]]]:
        """Per actor of our partitions that got articles or holds some: its record, its detection and, in
        event-time order, the held articles that may go on now (possibly none). Those stay held until saved."""
        self._refresh_holding(owned, generation)
        for actor in sorted(set(arrived) | self.holding):
            record, detection = self.load(actor)
            if actor in arrived:
                record.partition, items = arrived[actor]
                record.pending += items
            partition = record.partition
            if partition is None or partition not in owned:  # moved to another worker
                self.holding.discard(actor)
                continue
            record.pending.sort(key=lambda h: (h.item.published_at, h.item.article_id))
            count = self._releasable(partition, record.pending, marks)
            ready, record.pending = record.pending[:count], record.pending[count:]
            if record.pending:
                self.holding.add(actor)
            else:
                self.holding.discard(actor)
            if ready or actor in arrived:
                yield actor, record, detection, ready

    def _releasable(self, partition: int, held: list[Held], marks: Watermarks) -> int:
        """How many of the (sorted) held articles may go: up to the first that must wait."""
        now = time.time()
        for count, waiting in enumerate(held):
            blocking = marks.blocking(partition, waiting.item.published_at, waiting.ingested_at)
            if not blocking:
                continue
            held_for = now - waiting.held_at
            if held_for < self.max_hold:
                return count
            # a bound on waiting: an articles partition that never reports (its owner is gone and nobody took
            # over, a broker quirk) must not hold detection back for ever; late data stays counted
            self.metrics.articles_released_unordered.inc()
            log.warning(
                "article %s held %.0f s for articles partitions %s; released without their marks",
                waiting.item.article_id,
                held_for,
                blocking,
            )
        return len(held)

    def _refresh_holding(self, owned: set[int], generation: int) -> None:
        """After a rebalance, find the actors of our partitions that hold articles (from the table)."""
        if generation == self.holding_generation:
            return
        self.holding = set()
        for actor in list(self.table.keys()):
            record = decode_state(self.table[actor])
            if record.get("pending") and record.get("partition") in owned:
                self.holding.add(actor)
        self.holding_generation = generation

    async def save(self, changed: dict[str, tuple[ActorRecord, ActorDetection]]) -> None:
        """Write the records (after what they say was published was acknowledged) and wait until stored."""
        for actor, (record, detection) in changed.items():
            record.detection = detection.to_state()
            encoded = encode_state(record.to_dict())
            self.table[actor] = encoded
            self.written[actor] = encoded
            self.records[actor] = record
        await self.table.written()


def arrivals(events: list[faust.EventT[bytes]], watermarks: Watermarks) -> dict[str, tuple[int, list[Held]]]:
    """A batch of the scored topic: marks move the watermarks; scored articles come back grouped by actor,
    with the scored partition they arrived on."""
    arrived: dict[str, tuple[int, list[Held]]] = {}
    now = time.time()
    for event in events:
        data = json.loads(event.value)
        partition, generation = event.message.partition, int(data.get("generation", 0))
        marks = parse_marks(data)
        if marks is not None:
            watermarks.update(partition, marks, generation, parse_sources(data))
            continue
        watermarks.seen(partition, generation)
        held = Held(ScoredArticle.from_dict(data), float(data.get("ingested_at", 0.0)), now)
        arrived.setdefault(held.item.actor, (partition, []))[1].append(held)
    return arrived
