"""Stage 2's records in the worker (streams/holding.py) and the consumer-lag series (streams/app.py)."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from faust.types import TP
from prometheus_client import CollectorRegistry

from monitor.metrics import Metrics
from monitor.pipeline import Detection, ScoredArticle, Verdict
from monitor.rules import load_rules
from monitor.types import StanceKey
from streams.app import ConsumerLag
from streams.holding import ActorRecord, ActorStates, Held
from streams.ordering import Mark, Watermarks
from streams.tables import decode_state

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2025, 3, 1, tzinfo=UTC)


class Table(dict[str, str]):
    """The part of a DurableTable that ActorStates uses (a real one needs a running Faust app)."""

    async def written(self) -> None:
        return None


@pytest.fixture
def metrics() -> Metrics:
    return Metrics.create(CollectorRegistry())


def held(article_id: str, hours: int, held_at: float | None = None) -> Held:
    item = ScoredArticle(
        article_id=article_id,
        actor="russia",
        published_at=T0 + timedelta(hours=hours),
        source="wire",
        url=None,
        signature=None,
        verdicts=[
            Verdict(StanceKey("russia", "mediation", "iran"), "expresses", 0.9, "Russia offered talks.")
        ],
    )
    return Held(item, ingested_at=0.0, held_at=time.time() if held_at is None else held_at)


def states(metrics: Metrics, max_hold: float = 60.0) -> tuple[ActorStates, Table]:
    table = Table()
    detection = Detection(load_rules(ROOT / "rules"), metrics)
    return ActorStates(table, detection, metrics, max_hold), table  # type: ignore[arg-type]


def marks_through(hours: int) -> Watermarks:
    """Scored partition 0 has heard from both articles partitions, each scored through `hours`."""
    marks = Watermarks(sources=2)
    through = Mark(T0 + timedelta(hours=hours), None)
    marks.update(0, {0: through, 1: through}, generation=1)
    return marks


def test_a_record_round_trips_through_its_table_form() -> None:
    record = ActorRecord(partition=3, pending=[held("a", 1)], detection={"version": 1}, sent=["x", "y"])
    again = ActorRecord.from_dict(record.to_dict())
    assert again == record


def test_held_articles_go_in_event_time_order_up_to_the_first_the_marks_do_not_pass(metrics: Metrics) -> None:
    actors, table = states(metrics)
    arrived = {"russia": (0, [held("late", 5), held("early", 1), held("middle", 2)])}
    released = list(actors.release(arrived, owned={0}, generation=1, marks=marks_through(hours=3)))
    assert [(actor, [h.item.article_id for h in ready]) for actor, _, _, ready in released] == [
        ("russia", ["early", "middle"])
    ]
    _, record, detection, _ = released[0]
    assert [h.item.article_id for h in record.pending] == ["late"]
    asyncio.run(actors.save({"russia": (record, detection)}))
    saved = decode_state(table["russia"])
    assert [p["article_id"] for p in saved["pending"]] == ["late"] and saved["partition"] == 0
    # the next batch brings nothing for the actor, but the marks moved on: the held article goes now
    later = list(actors.release({}, owned={0}, generation=1, marks=marks_through(hours=6)))
    assert [[h.item.article_id for h in ready] for _, _, _, ready in later] == [["late"]]


def test_an_article_held_past_max_hold_goes_without_its_marks_and_is_counted(metrics: Metrics) -> None:
    actors, _ = states(metrics, max_hold=60.0)
    arrived = {"russia": (0, [held("stuck", 1, held_at=time.time() - 61), held("fresh", 2)])}
    released = list(actors.release(arrived, owned={0}, generation=1, marks=Watermarks(sources=2)))
    assert [h.item.article_id for h in released[0][3]] == ["stuck"]
    assert metrics.registry.get_sample_value("stance_monitor_articles_released_unordered_total") == 1


def test_an_actor_whose_partition_moved_is_left_to_its_new_owner(metrics: Metrics) -> None:
    actors, _ = states(metrics)
    arrived = {"russia": (1, [held("a", 1)])}
    assert list(actors.release(arrived, owned={0}, generation=1, marks=marks_through(hours=3))) == []


def test_after_a_rebalance_the_actors_holding_articles_are_found_in_the_table(metrics: Metrics) -> None:
    first, table = states(metrics)
    released = list(first.release({"russia": (0, [held("a", 5)])}, {0}, 1, marks_through(hours=3)))
    _, record, detection, _ = released[0]
    asyncio.run(first.save({"russia": (record, detection)}))
    # another worker takes partition 0 over: it knows the actor's held article from the table alone
    second = ActorStates(table, Detection(load_rules(ROOT / "rules"), metrics), metrics, 60.0)  # type: ignore[arg-type]
    resumed = list(second.release({}, owned={0}, generation=2, marks=marks_through(hours=6)))
    assert [[h.item.article_id for h in ready] for _, _, _, ready in resumed] == [["a"]]


def test_lag_series_of_partitions_that_moved_away_are_removed(metrics: Metrics) -> None:
    assigned = {TP("articles", 0), TP("articles", 1)}

    async def position(tp: TP) -> int:
        return 5

    consumer = SimpleNamespace(assignment=lambda: set(assigned), position=position, highwater=lambda tp: 9)
    lag = ConsumerLag(SimpleNamespace(consumer=consumer), metrics)  # type: ignore[arg-type]

    def series() -> dict[str, float]:
        return {
            sample.labels["partition"]: sample.value
            for family in metrics.registry.collect()
            for sample in family.samples
            if sample.name == "stance_monitor_kafka_consumer_lag"
        }

    asyncio.run(lag.record())
    assert series() == {"0": 4, "1": 4}
    assigned.discard(TP("articles", 1))  # a rebalance gave partition 1 to another worker
    asyncio.run(lag.record())
    assert series() == {"0": 4}
