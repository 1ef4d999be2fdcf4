"""Metrics: names, units, labels, and the /metrics server, on a fresh registry."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from monitor.metrics import DELIVERY_OUTCOMES, REJECT_REASONS, TRUNCATION_REASONS, Metrics
from monitor.rules import load_rules
from monitor.types import LABELS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def metrics() -> Metrics:
    return Metrics.create(CollectorRegistry())


def value(m: Metrics, name: str, **labels: str) -> float | None:
    return m.registry.get_sample_value(name, labels)


def test_every_name_is_prefixed_and_counters_end_in_total(metrics: Metrics) -> None:
    families = list(metrics.registry.collect())
    assert families
    for family in families:
        assert family.name.startswith("stance_monitor_"), family.name
        for sample in family.samples:
            assert sample.name.startswith("stance_monitor_")
            if family.type == "counter" and not sample.name.endswith("_created"):
                assert sample.name.endswith("_total"), sample.name
            assert "_ms" not in sample.name and "_total_total" not in sample.name


def test_required_metrics_exist(metrics: Metrics) -> None:
    names = {s.name for f in metrics.registry.collect() for s in f.samples}
    for required in [
        "stance_monitor_articles_processed_total",
        "stance_monitor_articles_duplicate_total",
        "stance_monitor_sentences_total",
        "stance_monitor_sentences_matched_total",
        "stance_monitor_sentences_embedded_total",
        "stance_monitor_embedding_batch_size_bucket",
        "stance_monitor_embedding_duration_seconds_bucket",
        "stance_monitor_event_time_lag_seconds",
        "stance_monitor_last_event_time_seconds",
        "stance_monitor_rules_loaded",
        "stance_monitor_rules_reload_failures_total",
    ]:
        assert required in names, required


def test_counters_with_labels(metrics: Metrics) -> None:
    metrics.articles_processed.inc()
    metrics.articles_processed.inc()
    metrics.articles_rejected.labels(reason="invalid_json").inc()
    metrics.observations.labels(actor="russia", stance="mediation", label="expresses").inc(3)
    metrics.alerts_fired.labels(rule="russia-offers-mediation", severity="high").inc()
    metrics.slack_deliveries.labels(outcome="retry").inc()
    metrics.slack_delivery_failures.labels(error="channel_not_found").inc()
    metrics.kafka_consumer_lag.labels(topic="articles", partition="0").set(42)
    metrics.rules_loaded.set(5)

    assert value(metrics, "stance_monitor_articles_processed_total") == 2
    assert value(metrics, "stance_monitor_articles_rejected_total", reason="invalid_json") == 1
    assert (
        value(
            metrics,
            "stance_monitor_observations_total",
            actor="russia",
            stance="mediation",
            label="expresses",
        )
        == 3
    )
    assert (
        value(metrics, "stance_monitor_alerts_fired_total", rule="russia-offers-mediation", severity="high")
        == 1
    )
    assert value(metrics, "stance_monitor_slack_deliveries_total", outcome="retry") == 1
    assert value(metrics, "stance_monitor_slack_delivery_failures_total", error="channel_not_found") == 1
    assert value(metrics, "stance_monitor_kafka_consumer_lag", topic="articles", partition="0") == 42
    assert value(metrics, "stance_monitor_rules_loaded") == 5


def test_histograms(metrics: Metrics) -> None:
    metrics.embedding_batch_size.observe(1000)
    metrics.embedding_batch_size.observe(3)
    metrics.embedding_duration.observe(0.2)
    assert value(metrics, "stance_monitor_embedding_batch_size_bucket", le="1024.0") == 2
    assert value(metrics, "stance_monitor_embedding_batch_size_bucket", le="4.0") == 1
    assert value(metrics, "stance_monitor_embedding_batch_size_count") == 2
    assert value(metrics, "stance_monitor_embedding_duration_seconds_sum") == pytest.approx(0.2)


def test_record_event_time_uses_the_given_clock(metrics: Metrics) -> None:
    published = datetime(2025, 6, 13, 14, 22, tzinfo=UTC)
    metrics.record_event_time(published, now=published + timedelta(seconds=90))
    assert value(metrics, "stance_monitor_event_time_lag_seconds") == 90
    assert value(metrics, "stance_monitor_last_event_time_seconds") == published.timestamp()


def test_two_registries_do_not_clash() -> None:
    a, b = Metrics.create(CollectorRegistry()), Metrics.create(CollectorRegistry())
    a.articles_processed.inc()
    assert b.registry.get_sample_value("stance_monitor_articles_processed_total") == 0


def test_serve_exposes_this_registry(metrics: Metrics) -> None:
    metrics.articles_processed.inc()
    server = metrics.serve(0)
    try:
        port = server.server_port
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
            body = resp.read().decode()
    finally:
        server.shutdown()
        server.server_close()
    assert "stance_monitor_articles_processed_total 1.0" in body


def test_fixed_label_values_are_exported_at_zero_from_the_start(metrics: Metrics) -> None:
    # increase() needs a sample before the first increment: a series born at 1 shows no increase at all
    for reason in REJECT_REASONS:
        assert value(metrics, "stance_monitor_articles_rejected_total", reason=reason) == 0
    for outcome in DELIVERY_OUTCOMES:
        assert value(metrics, "stance_monitor_slack_deliveries_total", outcome=outcome) == 0
    for reason in TRUNCATION_REASONS:
        assert value(metrics, "stance_monitor_articles_truncated_total", reason=reason) == 0


def test_every_reject_reason_the_code_uses_is_pre_initialised() -> None:
    sources = [*(ROOT / "monitor").rglob("*.py"), *(ROOT / "streams").rglob("*.py")]
    used = {
        reason
        for path in sources
        for reason in re.findall(
            r'(?:ArticleError|dead_letter)\(\s*(?:event,\s*)?"([a-z_]+)"', path.read_text()
        )
    }
    assert "invalid_json" in used and "processing_error" in used  # the pattern still finds them
    assert used <= set(REJECT_REASONS), f"add to REJECT_REASONS: {sorted(used - set(REJECT_REASONS))}"


def test_set_rules_exports_each_rules_series_at_zero(metrics: Metrics) -> None:
    rules = [r for r in load_rules(ROOT / "rules").rules if r.enabled]
    assert rules
    metrics.set_rules(rules)
    assert value(metrics, "stance_monitor_rules_loaded") == len(rules)
    for rule in rules:
        assert value(metrics, "stance_monitor_alerts_fired_total", rule=rule.id, severity=rule.severity) == 0
        for label in LABELS:
            assert (
                value(
                    metrics,
                    "stance_monitor_observations_total",
                    actor=rule.actor,
                    stance=rule.stance,
                    label=label,
                )
                == 0
            )
    # a reload keeps counts already made and adds the new rules' series
    metrics.alerts_fired.labels(rule=rules[0].id, severity=rules[0].severity).inc()
    metrics.set_rules(rules[:1])
    assert value(metrics, "stance_monitor_rules_loaded") == 1
    assert (
        value(metrics, "stance_monitor_alerts_fired_total", rule=rules[0].id, severity=rules[0].severity) == 1
    )


def test_the_metrics_server_answers_probes_with_what_is_missing() -> None:
    metrics = Metrics.create(CollectorRegistry())
    metrics.health.require("model")
    metrics.health.require("consumer", lambda: joined)
    joined = False
    server = metrics.serve(0)

    def get(path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}{path}", timeout=5) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    try:
        assert get("/healthz") == (200, "ok\n")
        assert get("/readyz") == (503, "model: waiting\nconsumer: waiting\n")
        metrics.health.mark("model")
        assert get("/readyz") == (503, "model: ok\nconsumer: waiting\n")
        joined = True
        assert get("/readyz") == (200, "model: ok\nconsumer: ok\n")
        status, body = get("/metrics")
        assert status == 200 and "stance_monitor_articles_processed_total" in body
    finally:
        server.shutdown()
        server.server_close()
