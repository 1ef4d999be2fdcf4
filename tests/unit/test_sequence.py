"""Each partition's events once and in offset order (streams/sequence.py)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from faust.types import TP
from prometheus_client import CollectorRegistry

from monitor.metrics import Metrics
from streams.sequence import Admission, InOrder, OffsetSequence


def admit_all(sequence: OffsetSequence, offsets: list[int], now: float = 0.0) -> list[Admission]:
    return [sequence.admit(0, offset, now) for offset in offsets]


def test_starts_at_the_committed_offset_and_admits_each_next_one() -> None:
    sequence = OffsetSequence()
    assert sequence.start(generation=1, committed={0: 26, 1: None})
    assert admit_all(sequence, [26, 27, 28]) == [Admission.NEXT] * 3
    assert sequence.expected == {0: 29}
    # a partition with nothing committed starts wherever the consumer starts
    assert sequence.admit(1, 7, 0.0) is Admission.NEXT


def test_a_skipped_offset_is_a_gap_until_it_arrives_and_repeats_are_dropped() -> None:
    # what a restarted worker saw: 26-41, then 63 onwards; 42-62 were dropped by the consumer
    sequence = OffsetSequence()
    sequence.start(generation=1, committed={0: 26})
    assert admit_all(sequence, list(range(26, 42))) == [Admission.NEXT] * 16
    assert admit_all(sequence, [63, 64], now=1.0) == [Admission.GAP, Admission.GAP]
    assert sequence.expected[0] == 42  # where the worker seeks back to
    # after the seek: the missing offsets, then 63 and 64 again (their first delivery was dropped)
    assert admit_all(sequence, list(range(42, 65)), now=2.0) == [Admission.NEXT] * 23
    assert admit_all(sequence, [40, 64], now=3.0) == [Admission.REPEAT, Admission.REPEAT]


def test_a_gap_that_persists_past_the_patience_is_taken_as_real() -> None:
    sequence = OffsetSequence(patience=30.0)
    sequence.start(generation=1, committed={0: 10})
    assert sequence.admit(0, 12, now=100.0) is Admission.GAP
    assert sequence.admit(0, 12, now=129.0) is Admission.GAP
    assert sequence.admit(0, 12, now=130.0) is Admission.AFTER_GAP
    assert sequence.admit(0, 13, now=130.0) is Admission.NEXT
    # the patience starts again for the next gap
    assert sequence.admit(0, 20, now=131.0) is Admission.GAP


def test_a_new_generation_restarts_from_the_committed_offsets() -> None:
    sequence = OffsetSequence()
    sequence.start(generation=1, committed={0: 5})
    admit_all(sequence, [5, 6, 7])
    assert not sequence.start(generation=1, committed={0: 0})  # same generation: nothing changes
    assert sequence.expected == {0: 8}
    assert sequence.start(generation=2, committed={0: 6})  # after a rebalance, from what was committed
    assert admit_all(sequence, [6, 7, 8]) == [Admission.NEXT] * 3


# -- InOrder: the glue to Faust's consumer. Faust's race cannot be triggered on demand, so its consumer is a
# stand-in here that records seeks; the Kafka tests run the real one (the restart scenario hits the race on a
# busy machine, and the worker logs "seeking back").


class FakeConsumer:
    def __init__(self, committed: dict[Any, int | None]) -> None:
        self._committed_offset = committed
        self.seeks: list[tuple[Any, int]] = []

    async def seek(self, tp: Any, offset: int) -> None:
        self.seeks.append((tp, offset))


def event(topic: str, partition: int, offset: int) -> Any:
    return SimpleNamespace(message=SimpleNamespace(topic=topic, partition=partition, offset=offset))


def test_in_order_seeks_back_to_a_skipped_offset_once_a_second_and_drops_what_is_past_it() -> None:
    consumer = FakeConsumer({TP("articles", 0): 26, TP("scored", 0): 3})
    app = SimpleNamespace(consumer=consumer, consumer_generation_id=1)
    metrics = Metrics.create(CollectorRegistry())
    guard = InOrder(app, metrics)  # type: ignore[arg-type]

    first = [event("articles", 0, o) for o in range(26, 42)]
    assert asyncio.run(guard.admit("articles", first)) == first
    after_gap = [event("articles", 0, o) for o in (63, 64)]
    assert asyncio.run(guard.admit("articles", after_gap)) == []
    assert consumer.seeks == [(TP("articles", 0), 42)]
    asyncio.run(guard.admit("articles", [event("articles", 0, 65)]))  # within the second: no second seek
    assert len(consumer.seeks) == 1
    assert metrics.kafka_refetches.labels(topic="articles")._value.get() == 1
    # the re-delivered offsets go through; the other topic keeps its own sequence
    again = [event("articles", 0, o) for o in range(42, 66)]
    assert asyncio.run(guard.admit("articles", again)) == again
    scored = [event("scored", 0, 3), event("scored", 0, 4)]
    assert asyncio.run(guard.admit("scored", scored)) == scored
