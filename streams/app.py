"""The Faust app and its settings (consumer-group timing, serialisation, security)."""

from __future__ import annotations

import faust

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
