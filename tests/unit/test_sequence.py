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


def test_fetched_offsets_that_never_arrive_are_a_stall_after_the_grace_period() -> None:
    sequence = OffsetSequence()
    sequence.start(generation=1, committed={0: 40})
    assert sequence.stalled(0, fetched_to=40, now=0.0, after=20.0) is None  # nothing fetched past 40
    assert sequence.stalled(0, fetched_to=57, now=1.0, after=20.0) is None  # fetched: give it time to arrive
    assert sequence.stalled(0, fetched_to=57, now=20.0, after=20.0) is None
    assert sequence.stalled(0, fetched_to=57, now=21.0, after=20.0) == 40  # fetch again from 40
    assert sequence.stalled(0, fetched_to=57, now=30.0, after=20.0) is None  # one try per grace period
    # the fetch delivers 40 (and so on); an arrival resets the clock
    assert sequence.admit(0, 40, now=32.0) is Admission.NEXT
    assert sequence.stalled(0, fetched_to=57, now=33.0, after=20.0) is None
    assert sequence.stalled(0, fetched_to=57, now=52.0, after=20.0) is None
    assert sequence.stalled(0, fetched_to=57, now=53.0, after=20.0) == 41
    # a partition with no known next offset cannot be judged
    assert sequence.stalled(5, fetched_to=57, now=100.0, after=20.0) is None


def test_offsets_that_stay_undelivered_after_a_second_fetch_are_taken_as_holding_no_records() -> None:
    # a transactional producer's commit marker takes an offset but is never delivered as a record
    sequence = OffsetSequence()
    sequence.start(generation=1, committed={0: 99})
    assert sequence.stalled(0, fetched_to=100, now=0.0, after=20.0) is None
    assert sequence.stalled(0, fetched_to=100, now=20.0, after=20.0) == 99  # fetched again once
    assert sequence.stalled(0, fetched_to=100, now=40.0, after=20.0) is None  # still nothing: go on from 100
    assert sequence.expected[0] == 100
    assert sequence.admit(0, 100, now=41.0) is Admission.NEXT


class FetchingConsumer(FakeConsumer):
    """Also what the stall check reads: the assignment, fetch positions and high watermarks."""

    def __init__(self, committed: dict[Any, int | None], positions: dict[Any, int]) -> None:
        super().__init__(committed)
        self.positions = positions

    def assignment(self) -> set[Any]:
        return set(self.positions)

    async def position(self, tp: Any) -> int:
        return self.positions[tp]

    def highwater(self, tp: Any) -> int:
        raise RuntimeError("not fetched yet")  # the position alone must do


def test_in_order_fetches_again_a_partition_tail_that_was_fetched_but_never_delivered(
    monkeypatch: Any,
) -> None:
    # After a takeover, Faust fetched articles[1] up to 57 and dropped 40-56 (its race, with the partition's
    # tail: nothing later arrives to show a gap). articles[0] is delivered normally.
    clock = [1000.0]
    monkeypatch.setattr("streams.sequence.time.monotonic", lambda: clock[0])
    articles0, articles1 = TP("articles", 0), TP("articles", 1)
    consumer = FetchingConsumer({articles0: 10}, {articles0: 12, articles1: 57})
    app = SimpleNamespace(consumer=consumer, consumer_generation_id=2, rebalancing=False)
    guard = InOrder(app, Metrics.create(CollectorRegistry()))  # type: ignore[arg-type]

    delivered = [event("articles", 0, 10), event("articles", 0, 11)]
    assert asyncio.run(guard.admit("articles", delivered)) == delivered
    consumer._committed_offset[articles1] = 40  # Faust reads the previous owner's commit while it recovers
    asyncio.run(guard.refetch_stalled(["articles"]))  # the agent is still on its batch: not judged
    clock[0] += 60
    asyncio.run(guard.refetch_stalled(["articles"]))
    assert consumer.seeks == []
    guard.finished("articles")  # idle now
    asyncio.run(guard.refetch_stalled(["articles"]))
    clock[0] += 19
    asyncio.run(guard.refetch_stalled(["articles"]))
    assert consumer.seeks == []
    clock[0] += 2
    asyncio.run(guard.refetch_stalled(["articles"]))
    assert consumer.seeks == [(articles1, 40)]  # articles[0] is caught up (12 = next needed), left alone
    # delivered again: 40 goes through, and a later head-drop on it would now be a gap too
    assert [e.message.offset for e in asyncio.run(guard.admit("articles", [event("articles", 1, 40)]))] == [
        40
    ]
    assert asyncio.run(guard.admit("articles", [event("articles", 1, 45)])) == []
    assert consumer.seeks[-1] == (articles1, 41)


def test_a_partition_without_a_commit_at_the_rebalance_takes_it_once_faust_has_read_it() -> None:
    consumer = FakeConsumer({})
    app = SimpleNamespace(consumer=consumer, consumer_generation_id=3)
    guard = InOrder(app, Metrics.create(CollectorRegistry()))  # type: ignore[arg-type]
    assert asyncio.run(guard.admit("scored", [event("scored", 0, 0)]))  # generation 3 starts, nothing known
    consumer._committed_offset[TP("scored", 2)] = 30
    # the first delivery on partition 2 skipped 30-32: a gap, sought back to the commit
    assert asyncio.run(guard.admit("scored", [event("scored", 2, 33)])) == []
    assert consumer.seeks == [(TP("scored", 2), 30)]
