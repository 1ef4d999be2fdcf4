"""Each partition's events once and in offset order, or a seek back to the first one missing.

Why: Faust (0.15) can drop messages it fetched just before a rebalance's recovery finished. Its fetch loop
marks a message as read even when the flow was suspended before the message reached the stream, and its seek
back to the committed offsets is then overwritten by the rest of that old fetch; the dropped offsets are never
delivered. It shows when a worker starts on a backlog while the machine is busy: a restarted worker skipped
about 20 articles per partition and missed an alert. The topics here are written without transactions and
never compacted, so their offsets are contiguous and a jump means messages went missing.

A jump is only seen when a later offset arrives. When the dropped messages are a partition's tail (the last
articles ingested before a takeover, say), nothing later comes to show the gap, and the partition would sit
idle with its last messages unprocessed. So a timer (`InOrder.refetch_stalled`) also compares, for each
partition an agent owns and is idle on, the consumer's fetch position and high watermark with the next offset
the agent needs: offsets that were fetched but have not arrived for `STALL_AFTER` seconds are fetched again.
If they still do not arrive, they hold no records (a transactional producer's commit markers take offsets) and
are passed over with a warning.

`OffsetSequence` admits the next offset of a partition, drops repeats, and reports a gap. `InOrder`, used by
all three agents (score, detect, slack), then seeks the partition back to the missing offset (Kafka delivers
it again) and drops events past the gap until it arrives. A gap that persists for `patience` seconds is taken as real (a topic written by a transactional
producer has offsets with no record) and accepted with a warning.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

import faust
from faust.types import TP

from monitor.metrics import Metrics
from streams.app import committed_offsets

log = logging.getLogger("stance_monitor.worker")

SEEK_EVERY = 1.0  # seconds between seeks back to the same skipped offset
STALL_AFTER = (
    20.0  # seconds that fetched offsets may fail to arrive at an idle agent before they are fetched again
)


class Admission(Enum):
    NEXT = "next"  # the expected offset: process it
    AFTER_GAP = "after_gap"  # past a gap that persisted `patience` seconds: process it, the gap is real
    REPEAT = "repeat"  # already processed (delivered again after a seek or a rebalance): drop it
    GAP = "gap"  # later than expected: drop it and seek back to `expected`


@dataclass
class OffsetSequence:
    patience: float = 30.0  # seconds a gap may persist before it is taken as real
    expected: dict[int, int] = field(default_factory=dict)  # next offset per partition
    generation: int | None = None
    gap_since: dict[int, float] = field(default_factory=dict)
    behind_since: dict[int, float] = field(default_factory=dict)  # fetched offsets waiting since then
    sought: dict[int, int] = field(default_factory=dict)  # offset a stall was fetched again from

    def start(self, generation: int, committed: Mapping[int, int | None]) -> bool:
        """On a new consumer-group generation, restart from the committed offsets. True if it was new."""
        if generation == self.generation:
            return False
        self.generation = generation
        self.expected = {p: o for p, o in committed.items() if o is not None}
        self.gap_since = {}
        self.behind_since = {}
        self.sought = {}
        return True

    def stalled(
        self, partition: int, fetched_to: int | None, now: float, after: float = STALL_AFTER
    ) -> int | None:
        """The offset to fetch again from, when the consumer fetched past the next offset this partition needs
        (up to `fetched_to`) and nothing has arrived for `after` seconds; else None.

        If that was fetched again once already and still nothing arrived, the offsets hold no records (the
        commit markers of a transactional producer do that): the partition goes on from `fetched_to`.
        """
        needed = self.expected.get(partition)
        if needed is None or fetched_to is None or fetched_to <= needed:
            self.behind_since.pop(partition, None)
            return None
        since = self.behind_since.setdefault(partition, now)
        if now - since < after:
            return None
        self.behind_since[partition] = now
        if self.sought.pop(partition, None) == needed:
            self.expected[partition] = fetched_to
            return None
        self.sought[partition] = needed
        return needed

    def admit(self, partition: int, offset: int, now: float) -> Admission:
        expected = self.expected.get(partition)
        if expected is None or offset == expected:
            self._advance(partition, offset)
            return Admission.NEXT
        if offset < expected:
            return Admission.REPEAT
        since = self.gap_since.setdefault(partition, now)
        if now - since >= self.patience:
            self._advance(partition, offset)
            return Admission.AFTER_GAP
        return Admission.GAP

    def _advance(self, partition: int, offset: int) -> None:
        self.expected[partition] = offset + 1
        self.gap_since.pop(partition, None)
        self.behind_since.pop(partition, None)
        self.sought.pop(partition, None)


class InOrder:
    """An agent's events through an `OffsetSequence` per input topic; seeks back where offsets were skipped."""

    def __init__(self, app: faust.App, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self.sequences: dict[str, OffsetSequence] = {}
        self.last_seek: dict[tuple[str, int], float] = {}
        self.working: set[str] = set()  # topics whose agent is handling a batch (see `finished`)

    def _sequence(self, topic: str) -> OffsetSequence:
        """The topic's sequence, restarted from the committed offsets (which Faust keeps) after a rebalance.

        A partition with no committed offset when the generation started takes one as soon as Faust knows it
        (it reads them from the broker while it recovers), so a dropped head of a partition is a gap too.
        """
        sequence = self.sequences.setdefault(topic, OffsetSequence())
        offsets = committed_offsets(self.app, topic)
        if not sequence.start(self.app.consumer_generation_id, offsets):
            for partition, offset in offsets.items():
                if offset is not None:
                    sequence.expected.setdefault(partition, offset)
        return sequence

    def finished(self, topic: str) -> None:
        """The agent of `topic` is done with its batch and waits for more (a stalled partition shows now)."""
        self.working.discard(topic)

    async def admit(self, topic: str, events: Sequence[faust.EventT[bytes]]) -> list[faust.EventT[bytes]]:
        """The events that are next in their partition, in order; repeats and events past a gap are dropped."""
        self.working.add(topic)
        sequence = self._sequence(topic)
        now = time.monotonic()
        admitted: list[faust.EventT[bytes]] = []
        skipped: dict[int, int] = {}
        for event in events:
            partition, offset = event.message.partition, event.message.offset
            expected = sequence.expected.get(partition)
            admission = sequence.admit(partition, offset, now)
            if admission is Admission.GAP:
                skipped.setdefault(partition, sequence.expected[partition])
                continue
            if admission is Admission.REPEAT:
                continue
            if admission is Admission.AFTER_GAP:
                log.warning(
                    "%s[%d]: offsets %s-%d never arrived after %.0f s of asking; going on without them",
                    topic,
                    partition,
                    expected,
                    offset - 1,
                    sequence.patience,
                )
            admitted.append(event)
        for partition, offset in skipped.items():
            if now - self.last_seek.get((topic, partition), -SEEK_EVERY) < SEEK_EVERY:
                continue
            self.last_seek[(topic, partition)] = now
            await self._seek_back(TP(topic, partition), offset, f"the consumer skipped offset {offset}")
        return admitted

    async def _seek_back(self, tp: TP, offset: int, why: str) -> None:
        """Count, log and make the consumer fetch `tp` again from `offset`."""
        self.metrics.kafka_refetches.labels(topic=tp.topic).inc()
        log.warning("%s[%d]: %s; seeking back to offset %d", tp.topic, tp.partition, why, offset)
        try:
            await self.app.consumer.seek(tp, offset)
        except Exception as exc:  # the partition moved meanwhile: its new owner starts from the commit
            log.warning("%s[%d]: seek to %d failed: %r", tp.topic, tp.partition, offset, exc)

    async def refetch_stalled(self, topics: Sequence[str]) -> None:
        """Fetch again what the consumer fetched for an idle agent but never delivered (see the module notes)."""
        consumer = self.app.consumer
        if getattr(self.app, "rebalancing", False):
            return  # Faust holds the partitions while it recovers and then seeks them itself
        now = time.monotonic()
        for topic in topics:
            if topic in self.working:
                continue  # a long batch (a Slack outage, a slow model) is not a stall
            sequence = self._sequence(topic)
            for tp in consumer.assignment():
                if tp.topic != topic:
                    continue
                needed, fetched_to = sequence.expected.get(tp.partition), await self._fetched_to(tp)
                offset = sequence.stalled(tp.partition, fetched_to, now)
                if offset is not None:
                    await self._seek_back(tp, offset, "offsets were fetched but never delivered")
                elif sequence.expected.get(tp.partition) != needed:  # stalled() moved on: passed over
                    log.warning(
                        "%s[%d]: offsets %s-%s were fetched twice and never delivered; taken as holding no records",
                        topic,
                        tp.partition,
                        needed,
                        sequence.expected[tp.partition] - 1,
                    )

    async def _fetched_to(self, tp: TP) -> int | None:
        """How far the consumer has fetched the partition: its position or last high watermark, if known."""
        consumer = self.app.consumer
        known: list[int] = []
        try:
            position = await consumer.position(tp)
            if position is not None:
                known.append(int(position))
        except Exception:  # no position yet, or the partition just moved
            pass
        try:
            highwater = consumer.highwater(tp)
            if highwater is not None:
                known.append(int(highwater))
        except Exception:
            pass
        return max(known) if known else None
