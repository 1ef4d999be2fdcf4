"""Prometheus metrics for stance-monitor, as one object on an injected registry.

Every name starts with `stance_monitor_`, uses base units (seconds, bytes), and counters end in `_total`
(prometheus-client adds the suffix to the names given below). Label values are bounded: rule ids, actor ids,
stance ids, severities, fixed reason/outcome codes, Kafka topics and partitions; never article ids or text.

Tests create `Metrics.create(CollectorRegistry())` and read values with `registry.get_sample_value(...)`;
the application uses the default `prometheus_client.REGISTRY`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIServer

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram

from monitor.errors import ARTICLE_REASONS
from monitor.health import Health, serve
from monitor.types import LABELS

if TYPE_CHECKING:
    from monitor.rules import RuleDef

PREFIX = "stance_monitor"

#: Buckets for the number of sentences in one embedding batch.
BATCH_SIZE_BUCKETS: tuple[float, ...] = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
#: Buckets for the wall time of one embedding batch, in seconds.
DURATION_BUCKETS: tuple[float, ...] = (
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
)  # fmt: skip

LATENCY_BUCKETS = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.5, 10.0, 20.0, 60.0, 300.0)

#: The values of `articles_truncated_total{reason}`: an article body cut to the limit, or a sentence of it
#: hard-split (monitor.limits).
TRUNCATION_REASONS: tuple[str, ...] = ("body_too_long", "sentence_too_long")
#: The values of `slack_deliveries_total{outcome}`.
DELIVERY_OUTCOMES: tuple[str, ...] = ("ok", "retry", "failed")
#: The values of `articles_rejected_total{reason}`: ArticleError reasons, and the worker's processing_error
#: (an article whose scoring raised). tests/unit/test_metrics.py checks the code raises no other.
REJECT_REASONS: tuple[str, ...] = (*ARTICLE_REASONS, "processing_error")


@dataclass(frozen=True)
class Metrics:
    """All of stance-monitor's metrics. Create with `Metrics.create(registry)`."""

    registry: CollectorRegistry
    # articles
    articles_processed: Counter
    articles_rejected: Counter  # {reason}
    articles_duplicate: Counter
    articles_truncated: Counter  # {reason}: TRUNCATION_REASONS
    # sentences and embedding
    sentences: Counter
    sentences_matched: Counter
    sentences_embedded: Counter
    embedding_batch_size: Histogram
    embedding_duration: Histogram
    # scoring, detection
    observations: Counter  # {actor, stance, label}
    alerts_fired: Counter  # {rule, severity}
    alerts_suppressed: Counter  # {rule, reason}
    # delivery
    slack_deliveries: Counter  # {outcome}
    slack_delivery_failures: Counter  # {error}
    slack_outbox_pending: Gauge
    # time and lag
    event_time_lag: Gauge
    last_event_time: Gauge
    kafka_consumer_lag: Gauge  # {topic, partition}
    end_to_end_latency: Histogram
    articles_released_unordered: Counter
    kafka_refetches: Counter  # {topic}
    # rules
    rules_loaded: Gauge
    rules_reload_failures: Counter
    # what /readyz reports (served with the metrics)
    health: Health = field(default_factory=Health)

    @classmethod
    def create(cls, registry: CollectorRegistry | None = None, prefix: str = PREFIX) -> Metrics:
        """Register every metric on `registry` (default: prometheus_client's global REGISTRY).

        A registry accepts each name once: create one `Metrics` per registry and pass it around.
        """
        reg = REGISTRY if registry is None else registry

        def n(name: str) -> str:
            return f"{prefix}_{name}"

        metrics = cls(
            registry=reg,
            articles_processed=Counter(
                n("articles_processed"), "Articles accepted and processed.", registry=reg
            ),
            articles_rejected=Counter(
                n("articles_rejected"),
                "Articles rejected as invalid (sent to the dead-letter topic or file), by reason code.",
                ["reason"],
                registry=reg,
            ),
            articles_duplicate=Counter(
                n("articles_duplicate"),
                "Articles skipped because their id was already processed.",
                registry=reg,
            ),
            articles_truncated=Counter(
                n("articles_truncated"),
                "Articles cut to fit the input limits (STANCE_MONITOR_MAX_BODY_CHARS, "
                "STANCE_MONITOR_MAX_SENTENCE_CHARS) and scored, by reason: body_too_long, sentence_too_long.",
                ["reason"],
                registry=reg,
            ),
            sentences=Counter(n("sentences"), "Sentences split from processed articles.", registry=reg),
            sentences_matched=Counter(
                n("sentences_matched"), "Sentences that mention at least one tracked actor.", registry=reg
            ),
            sentences_embedded=Counter(
                n("sentences_embedded"), "Sentences embedded by the sentence model.", registry=reg
            ),
            embedding_batch_size=Histogram(
                n("embedding_batch_size"),
                "Number of sentences per embedding batch.",
                buckets=BATCH_SIZE_BUCKETS,
                registry=reg,
            ),
            embedding_duration=Histogram(
                n("embedding_duration_seconds"),
                "Wall time of one embedding batch.",
                buckets=DURATION_BUCKETS,
                registry=reg,
            ),
            observations=Counter(
                n("observations"),
                "Per-article stance observations, by actor, stance and label.",
                ["actor", "stance", "label"],
                registry=reg,
            ),
            alerts_fired=Counter(
                n("alerts_fired"), "Alerts fired, by rule and severity.", ["rule", "severity"], registry=reg
            ),
            alerts_suppressed=Counter(
                n("alerts_suppressed"),
                "Alerts recorded but not notified, by rule and reason (silenced: muted by a silence).",
                ["rule", "reason"],
                registry=reg,
            ),
            slack_deliveries=Counter(
                n("slack_deliveries"),
                "Slack calls, by outcome: ok; retry (failed, will be retried); failed (permanent: dead-lettered).",
                ["outcome"],
                registry=reg,
            ),
            slack_delivery_failures=Counter(
                n("slack_delivery_failures"),
                "Failed Slack deliveries, by error (Slack error code, http_5xx, connection).",
                ["error"],
                registry=reg,
            ),
            slack_outbox_pending=Gauge(
                n("slack_outbox_pending"),
                "Slack messages waiting in the in-process outbox (grows while Slack is unreachable).",
                registry=reg,
            ),
            event_time_lag=Gauge(
                n("event_time_lag_seconds"),
                "Processing time minus published_at of the last processed article.",
                registry=reg,
            ),
            last_event_time=Gauge(
                n("last_event_time_seconds"),
                "published_at of the last processed article, as unix time.",
                registry=reg,
            ),
            kafka_consumer_lag=Gauge(
                n("kafka_consumer_lag"),
                "Messages behind the partition's high watermark (worker only).",
                ["topic", "partition"],
                registry=reg,
            ),
            end_to_end_latency=Histogram(
                n("end_to_end_latency_seconds"),
                "Seconds from an article's arrival on Kafka to the end of its detection (worker only).",
                buckets=LATENCY_BUCKETS,
                registry=reg,
            ),
            articles_released_unordered=Counter(
                n("articles_released_unordered"),
                "Scored articles detected after waiting STANCE_MONITOR_MAX_HOLD for the event-time watermark "
                "(worker only; should stay 0).",
                registry=reg,
            ),
            kafka_refetches=Counter(
                n("kafka_refetches"),
                "Seeks back to offsets the Kafka consumer skipped, or fetched and never delivered, so that they "
                "are delivered again (worker only; streams/sequence.py explains why).",
                ["topic"],
                registry=reg,
            ),
            rules_loaded=Gauge(n("rules_loaded"), "Rules currently loaded and active.", registry=reg),
            rules_reload_failures=Counter(
                n("rules_reload_failures"),
                "Rule reloads rejected (the previous good rules stay active).",
                registry=reg,
            ),
        )
        # A labelled series appears at its first increment, and increase()/rate() need a sample before it
        # to see that increment: export the fixed label values at 0 from the start.
        for counter, values in (
            (metrics.articles_rejected, REJECT_REASONS),
            (metrics.articles_truncated, TRUNCATION_REASONS),
            (metrics.slack_deliveries, DELIVERY_OUTCOMES),
        ):
            for label in values:
                counter.labels(label)
        return metrics

    def set_rules(self, rules: Sequence[RuleDef]) -> None:
        """Record the active rules: their count, and their labelled series at 0 (see `create`).

        Call on every (re)load with the enabled rules, so a rule's first alert and its key's first observation
        are visible to increase(). Series of rules removed later stay at their last value (counters never go down).
        """
        self.rules_loaded.set(len(rules))
        for rule in rules:
            self.alerts_fired.labels(rule=rule.id, severity=rule.severity)
            self.alerts_suppressed.labels(rule=rule.id, reason="silenced")
            for label in LABELS:
                self.observations.labels(actor=rule.actor, stance=rule.stance, label=label)

    def record_event_time(self, published_at: datetime, now: datetime) -> None:
        """Set the last event time and the event-time lag from one processed article.

        Both datetimes must be timezone-aware; `now` is passed in so tests can drive a fake clock.
        Ops alert on a stalled stream with `time() - stance_monitor_last_event_time_seconds`.
        """
        self.last_event_time.set(published_at.timestamp())
        self.event_time_lag.set((now - published_at).total_seconds())

    def serve(self, port: int, addr: str = "127.0.0.1") -> WSGIServer:
        """Serve /metrics for this registry, and /healthz and /readyz for `self.health` (monitor/health.py), on
        `addr:port` from a daemon thread; return the server.

        Port 0 picks a free port (`server.server_port`). Stop with `server.shutdown(); server.server_close()`.
        Bind "0.0.0.0" only where the port must be reachable from other hosts (containers).
        """
        return serve(self.registry, self.health, port, addr)
