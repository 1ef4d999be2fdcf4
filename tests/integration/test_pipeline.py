"""The whole in-process pipeline with the real model: articles in, alerts out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from monitor.articles import parse_article
from monitor.metrics import Metrics
from monitor.pipeline import Pipeline
from monitor.stance import StanceScorer
from tests.streams import START, shift_stream

pytestmark = pytest.mark.model


def make_pipeline(rules: Any, embedder: Any, head: Any) -> Pipeline:
    return Pipeline(rules, StanceScorer(rules, embedder, head), Metrics.create(CollectorRegistry()))


def run(pipeline: Pipeline, rows: list[dict[str, Any]], batch: int = 16) -> list[Any]:
    articles = [parse_article(r) for r in rows]
    alerts = []
    for i in range(0, len(articles), batch):
        alerts += pipeline.process(articles[i : i + batch]).alerts
    return alerts


def test_a_shift_fires_one_alert_with_quoted_evidence(fixture_rules: Any, embedder: Any, head: Any) -> None:
    rows = shift_stream()
    alerts = run(make_pipeline(fixture_rules, embedder, head), rows)
    assert [a.rule_id for a in alerts] == ["russia-offers-mediation"]
    alert = alerts[0]
    shift_start = START.replace(day=START.day + 15)
    assert shift_start <= alert.fired_at <= shift_start.replace(hour=23), (
        "fires on the first day of the shift"
    )
    assert alert.id == f"russia-offers-mediation:{alert.fired_at:%Y-%m-%dT%H:%M:%SZ}"
    assert alert.window_count >= 3 and alert.baseline_count == 0
    assert len({e.source for e in alert.evidence}) >= 2
    by_id = {r["id"]: r for r in rows}
    for evidence in alert.evidence:
        assert evidence.quote in by_id[evidence.article_id]["body"]
        assert evidence.url == by_id[evidence.article_id]["url"]


def test_batching_and_redelivery_do_not_change_alerts(fixture_rules: Any, embedder: Any, head: Any) -> None:
    rows = shift_stream()
    once = run(make_pipeline(fixture_rules, embedder, head), rows, batch=len(rows))
    pipeline = make_pipeline(fixture_rules, embedder, head)
    redelivered = run(pipeline, rows[:30], batch=7) + run(pipeline, rows, batch=5)  # first 30 sent twice
    assert [a.id for a in redelivered] == [a.id for a in once]
    assert pipeline.metrics is not None
    assert pipeline.metrics.articles_duplicate._value.get() == 30  # type: ignore[attr-defined]


def test_state_round_trip_mid_stream(fixture_rules: Any, embedder: Any, head: Any) -> None:
    rows = shift_stream()
    expected = run(make_pipeline(fixture_rules, embedder, head), rows)
    first = make_pipeline(fixture_rules, embedder, head)
    before = run(first, rows[: len(rows) // 2 + 5])
    state = json.loads(json.dumps(first.to_state()))
    second = make_pipeline(fixture_rules, embedder, head)
    second.load_state(state)
    after = run(second, rows)  # the restarted worker sees the whole stream again
    assert [a.id for a in before + after] == [a.id for a in expected]


def test_a_quiet_stream_fires_nothing(fixture_rules: Any, embedder: Any, head: Any) -> None:
    rows = shift_stream(days=20, shift_day=99)
    assert run(make_pipeline(fixture_rules, embedder, head), rows) == []


def test_metrics_count_the_stages(fixture_rules: Any, embedder: Any, head: Any) -> None:
    registry = CollectorRegistry()
    pipeline = Pipeline(fixture_rules, StanceScorer(fixture_rules, embedder, head), Metrics.create(registry))
    # each loaded rule's series exists at 0 before its first alert, so increase() sees that alert
    fired = {"rule": "russia-offers-mediation", "severity": "medium"}
    assert registry.get_sample_value("stance_monitor_alerts_fired_total", fired) == 0
    rows = shift_stream(days=16, shift_day=15)
    run(pipeline, rows)
    assert registry.get_sample_value("stance_monitor_articles_processed_total") == len(rows)
    assert registry.get_sample_value("stance_monitor_sentences_matched_total") > len(rows)
    # every sentence split counts, the matched ones (naming an actor) among them
    assert registry.get_sample_value("stance_monitor_sentences_total") >= registry.get_sample_value(
        "stance_monitor_sentences_matched_total"
    )
    assert registry.get_sample_value("stance_monitor_embedding_batch_size_count") > 0
    assert (
        registry.get_sample_value(
            "stance_monitor_observations_total",
            {"actor": "russia", "stance": "mediation", "label": "expresses"},
        )
        >= 4
    )
    assert (
        registry.get_sample_value(
            "stance_monitor_alerts_fired_total", {"rule": "russia-offers-mediation", "severity": "medium"}
        )
        == 1
    )
