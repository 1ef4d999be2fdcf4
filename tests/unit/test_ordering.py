"""Event-time order across partitions: marks and when a held article may go on (streams/ordering.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from streams.ordering import Mark, Watermarks, mark_message, parse_marks, parse_sources, progress_mark

T0 = datetime(2025, 3, 1, tzinfo=UTC)
NOW = 1_700_000_000.0  # wall clock, epoch seconds


def test_an_article_waits_until_every_partition_is_scored_through_its_time() -> None:
    marks = Watermarks(sources=2)
    marks.update(0, {0: Mark(T0 + timedelta(hours=5), None)}, generation=0)
    assert not marks.ready(0, T0 + timedelta(hours=1), NOW)  # partition 1 not heard of yet
    marks.update(0, {1: Mark(T0 + timedelta(hours=2), None)}, generation=0)
    assert marks.ready(0, T0 + timedelta(hours=1), NOW)
    assert marks.ready(0, T0 + timedelta(hours=2), NOW)
    assert not marks.ready(0, T0 + timedelta(hours=3), NOW)  # partition 1 may still hold something older
    assert not marks.ready(1, T0 + timedelta(hours=1), NOW)  # marks are per scored partition


def test_a_caught_up_partition_holds_back_only_what_arrived_after_its_claim() -> None:
    marks = Watermarks(sources=2)
    marks.update(0, {0: Mark(T0 + timedelta(days=9), None), 1: Mark(T0, caught_up_at=NOW)}, generation=0)
    # ingested before partition 1 was known to be empty: nothing it may still deliver comes first
    assert marks.ready(0, T0 + timedelta(days=3), NOW - 5)
    # ingested after that claim (say its worker died since): partition 1 may hold older articles
    assert not marks.ready(0, T0 + timedelta(days=3), NOW + 5)


def test_a_new_generation_forgets_the_previous_owners_marks() -> None:
    marks = Watermarks(sources=1)
    marks.update(0, {0: Mark(None, caught_up_at=NOW)}, generation=3)
    assert marks.ready(0, T0, NOW - 1)
    assert marks.seen(0, generation=4)  # a message from the group's next generation
    assert not marks.ready(0, T0, NOW - 1)
    marks.update(0, {0: Mark(T0, None)}, generation=3)  # a late message from the old owner is ignored
    assert not marks.ready(0, T0, NOW - 1)
    marks.update(0, {0: Mark(T0, None)}, generation=4)
    assert marks.ready(0, T0, NOW - 1)


def test_marks_round_trip_and_articles_are_not_marks() -> None:
    sent = {0: Mark(T0 + timedelta(seconds=1.5), None), 3: Mark(None, NOW)}
    message = json.loads(json.dumps(mark_message(sent, generation=2, sources=4)))
    assert message["generation"] == 2 and parse_sources(message) == 4
    assert parse_marks(message) == sent
    assert parse_marks({"article_id": "a1", "actor": "russia"}) is None


def test_the_number_of_articles_partitions_comes_from_the_marks() -> None:
    marks = Watermarks(sources=1)
    marks.update(0, {0: Mark(T0, None)}, generation=0, sources=2)  # the topic has two partitions, not one
    assert not marks.ready(0, T0, NOW)
    marks.update(0, {1: Mark(T0, None)}, generation=0, sources=2)
    assert marks.ready(0, T0, NOW)


def test_a_partition_reports_what_it_scored_before_its_high_watermark_is_known() -> None:
    # Right after a rebalance the consumer has not fetched the partition yet: no high watermark. What this
    # worker has scored through still holds, so detection need not wait for the first fetch to hear it.
    assert progress_mark(40, None, T0, NOW, margin=2.0) == Mark(T0, None)
    assert progress_mark(40, None, None, NOW, margin=2.0) is None
    # Caught up needs the high watermark, and covers only what was ingested `margin` seconds before now.
    assert progress_mark(40, 40, None, NOW, margin=2.0) == Mark(None, NOW - 2.0)
    assert progress_mark(40, 40, T0, NOW, margin=2.0) == Mark(T0, NOW - 2.0)
    assert progress_mark(39, 40, None, NOW, margin=2.0) is None
    assert progress_mark(39, 40, T0, NOW, margin=2.0) == Mark(T0, None)
