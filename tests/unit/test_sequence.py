"""Each partition's events once and in offset order (streams/sequence.py)."""

from __future__ import annotations

from streams.sequence import Admission, OffsetSequence


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
