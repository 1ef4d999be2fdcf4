"""The Faust app and its settings (consumer-group timing, serialisation, security), and what we read of its
consumer: committed offsets and lag."""

from __future__ import annotations

import faust

from monitor.metrics import Metrics
from streams.settings import StreamSettings


def credentials(settings: StreamSettings) -> faust.auth.Credentials | None:
    security = settings.security
    if security.protocol == "PLAINTEXT":
        return None
    if security.protocol == "SSL":
        context = security.ssl_context()
        assert context is not None
        return faust.SSLCredentials(context)
    return faust.SASLCredentials(
        username=security.sasl_username,
        password=security.password,
        mechanism=security.sasl_mechanism,
        ssl_context=security.ssl_context(),
    )


def create_app(settings: StreamSettings) -> faust.App:
    return faust.App(
        settings.app_id,
        broker=[f"kafka://{b}" for b in settings.bootstrap_servers],
        broker_credentials=credentials(settings),
        store="memory://",  # tables are rebuilt from their changelog topics on start
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication,
        # At-least-once with idempotent effects (dedupe by article id and alert id): no transactions.
        processing_guarantee="at_least_once",
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.session_timeout,
        broker_heartbeat_interval=settings.heartbeat_interval,
        producer_max_batch_size=settings.producer_max_batch_size,
        producer_max_request_size=8 * 1024 * 1024,
        web_enabled=False,
        # A batch is embedded in an executor, but the first model call can take seconds: do not warn about it.
        stream_wait_empty=False,
    )


def committed_offsets(app: faust.App, topic: str) -> dict[int, int | None]:
    """The offsets committed for `topic`'s partitions as this consumer knows them (read from the broker when
    a partition is assigned, updated on each commit).

    Faust keeps them in a private attribute and has no public accessor; the aiokafka call would be a broker
    round trip per partition on every timer tick. This is the one place that reads it.
    """
    committed = getattr(app.consumer, "_committed_offset", {})
    return {tp.partition: offset for tp, offset in committed.items() if tp.topic == topic}


class ConsumerLag:
    """Kafka consumer lag per assigned partition, from the fetch high watermark (broker end offsets can be
    wrong on some brokers). Partitions that moved to another worker lose their series, so dashboards and
    alerts do not see a stale lag for ever."""

    def __init__(self, app: faust.App, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self.labelled: set[tuple[str, str]] = set()

    async def record(self) -> None:
        consumer = self.app.consumer
        assigned: set[tuple[str, str]] = set()
        for tp in consumer.assignment():
            labels = (tp.topic, str(tp.partition))
            assigned.add(labels)
            try:
                position = await consumer.position(tp)
                highwater = consumer.highwater(tp)
            except Exception:  # not fetched yet, or the partition just moved
                continue
            if position is None or highwater is None:
                continue
            self.metrics.kafka_consumer_lag.labels(topic=tp.topic, partition=labels[1]).set(
                max(0, highwater - position)
            )
            self.labelled.add(labels)
        for topic, partition in self.labelled - assigned:
            self.metrics.kafka_consumer_lag.remove(topic, partition)
        self.labelled &= assigned
