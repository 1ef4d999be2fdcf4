"""Each partition's events once and in offset order, or a seek back to the first one missing.

Why: Faust (0.15) can drop messages it fetched just before a rebalance's recovery finished. Its fetch loop
marks a message as read even when the flow was suspended before the message reached the stream, and its seek
back to the committed offsets is then overwritten by the rest of that old fetch; the dropped offsets are never
delivered. It shows when a worker starts on a backlog while the machine is busy: a restarted worker skipped
about 20 articles per partition and missed an alert. The topics here are written without transactions and
never compacted, so their offsets are contiguous and a jump means messages went missing.

`OffsetSequence` admits the next offset of a partition, drops repeats, and reports a gap; the agent then
seeks the partition back to the missing offset (Kafka delivers it again) and drops events past the gap until
it arrives. A gap that persists for `patience` seconds is taken as real (a topic written by a transactional
producer has offsets with no record) and accepted with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum


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

    def start(self, generation: int, committed: Mapping[int, int | None]) -> bool:
        """On a new consumer-group generation, restart from the committed offsets. True if it was new."""
        if generation == self.generation:
            return False
        self.generation = generation
        self.expected = {p: o for p, o in committed.items() if o is not None}
        self.gap_since = {}
        return True

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
