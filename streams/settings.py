"""Worker and ingest settings: Kafka connection, topic names and sizes, batching, from the environment.

Every field has an environment variable (see README, "Running on Kafka"); the command line may override some.
Secrets (SASL password) are read here and never printed: `describe()` leaves them out.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from monitor.envvars import env_float, env_int, env_text


@dataclass(frozen=True)
class Security:
    """How to reach a real cluster: KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*."""

    protocol: str = "PLAINTEXT"  # PLAINTEXT | SSL | SASL_PLAINTEXT | SASL_SSL
    sasl_mechanism: str = "PLAIN"  # PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512
    sasl_username: str | None = None
    sasl_password: str | None = field(default=None, repr=False)
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Security:
        protocol = env_text(env, "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT").upper()
        if protocol not in ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"):
            raise ValueError(
                f"KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (got {protocol!r})"
            )
        security = cls(
            protocol=protocol,
            sasl_mechanism=env_text(env, "KAFKA_SASL_MECHANISM", "PLAIN").upper(),
            sasl_username=env.get("KAFKA_SASL_USERNAME") or None,
            sasl_password=env.get("KAFKA_SASL_PASSWORD") or None,
            ssl_cafile=env.get("KAFKA_SSL_CAFILE") or None,
            ssl_certfile=env.get("KAFKA_SSL_CERTFILE") or None,
            ssl_keyfile=env.get("KAFKA_SSL_KEYFILE") or None,
        )
        if protocol.startswith("SASL") and not (security.sasl_username and security.sasl_password):
            raise ValueError(
                f"KAFKA_SECURITY_PROTOCOL={protocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"
            )
        return security

    def ssl_context(self) -> ssl.SSLContext | None:
        if not self.protocol.endswith("SSL"):
            return None
        context = ssl.create_default_context(cafile=self.ssl_cafile)
        if self.ssl_certfile:
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
        return context

    def kafka_python(self) -> dict[str, Any]:
        """Keyword arguments for kafka-python clients."""
        options: dict[str, Any] = {"security_protocol": self.protocol}
        if self.protocol.startswith("SASL"):
            options.update(
                sasl_mechanism=self.sasl_mechanism,
                sasl_plain_username=self.sasl_username,
                sasl_plain_password=self.sasl_password,
            )
        context = self.ssl_context()
        if context is not None:
            options["ssl_context"] = context
        return options


@dataclass(frozen=True)
class StreamSettings:
    brokers: str = "localhost:9092"
    app_id: str = "stance-monitor"
    articles_topic: str = "articles"
    alerts_topic: str = "alerts"
    updates_topic: str = "alert-updates"
    dlq_topic: str = "articles-dlq"
    scored_topic: str = "stance-monitor-scored"  # internal: scored articles keyed by actor
    slack_topic: str = "stance-monitor-slack"  # internal: alerts and updates waiting for Slack
    slack_dlq_topic: str = "stance-monitor-slack-dlq"  # what Slack refused, with the error code
    partitions: int = 8
    replication: int = 1
    batch_size: int = 64  # articles embedded together
    batch_within: float = 0.5  # seconds to wait for a batch to fill
    # seconds taken off a "caught up" claim (streams/ordering.py): covers the age of the fetched high
    # watermark and clock differences between machines; longer is safer, shorter gives alerts sooner
    caught_up_margin: float = 1.0
    # seconds a scored article may wait for the watermark before it goes on anyway (logged and counted)
    max_hold: float = 60.0
    # seconds a quiet alert thread's Slack delivery records are kept (streams/delivery.py)
    slack_retention: float = 30 * 86400.0
    # Consumer-group timing. Kafka's defaults suit production; tests shorten them for a fast join/failover.
    session_timeout: float = 30.0
    heartbeat_interval: float = 3.0
    producer_max_batch_size: int = 16384
    security: Security = field(default_factory=Security)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> StreamSettings:
        env = os.environ if env is None else env
        settings = cls(
            brokers=env_text(env, "KAFKA_BOOTSTRAP_SERVERS", cls.brokers),
            app_id=env_text(env, "STANCE_MONITOR_APP_ID", cls.app_id),
            articles_topic=env_text(env, "STANCE_MONITOR_ARTICLES_TOPIC", cls.articles_topic),
            alerts_topic=env_text(env, "STANCE_MONITOR_ALERTS_TOPIC", cls.alerts_topic),
            updates_topic=env_text(env, "STANCE_MONITOR_UPDATES_TOPIC", cls.updates_topic),
            dlq_topic=env_text(env, "STANCE_MONITOR_DLQ_TOPIC", cls.dlq_topic),
            scored_topic=env_text(env, "STANCE_MONITOR_SCORED_TOPIC", cls.scored_topic),
            slack_topic=env_text(env, "STANCE_MONITOR_SLACK_TOPIC", cls.slack_topic),
            slack_dlq_topic=env_text(env, "STANCE_MONITOR_SLACK_DLQ_TOPIC", cls.slack_dlq_topic),
            partitions=env_int(env, "STANCE_MONITOR_PARTITIONS", cls.partitions),
            replication=env_int(env, "STANCE_MONITOR_REPLICATION", cls.replication),
            batch_size=env_int(env, "STANCE_MONITOR_BATCH_SIZE", cls.batch_size),
            batch_within=env_float(env, "STANCE_MONITOR_BATCH_WITHIN", cls.batch_within),
            caught_up_margin=env_float(env, "STANCE_MONITOR_CAUGHT_UP_MARGIN", cls.caught_up_margin),
            max_hold=env_float(env, "STANCE_MONITOR_MAX_HOLD", cls.max_hold),
            slack_retention=env_float(env, "STANCE_MONITOR_SLACK_RETENTION", cls.slack_retention),
            session_timeout=env_float(env, "KAFKA_SESSION_TIMEOUT", cls.session_timeout),
            heartbeat_interval=env_float(env, "KAFKA_HEARTBEAT_INTERVAL", cls.heartbeat_interval),
            producer_max_batch_size=env_int(
                env, "KAFKA_PRODUCER_MAX_BATCH_SIZE", cls.producer_max_batch_size
            ),
            security=Security.from_env(env),
        )
        settings.check()
        return settings

    def check(self) -> None:
        if self.partitions < 1 or self.replication < 1:
            raise ValueError("partitions and replication must be at least 1")
        if self.batch_size < 1 or self.batch_within <= 0:
            raise ValueError("STANCE_MONITOR_BATCH_SIZE must be >= 1 and STANCE_MONITOR_BATCH_WITHIN > 0")
        if self.slack_retention <= 0:
            raise ValueError("STANCE_MONITOR_SLACK_RETENTION must be a positive number of seconds")
        if self.heartbeat_interval >= self.session_timeout:
            raise ValueError("KAFKA_HEARTBEAT_INTERVAL must be shorter than KAFKA_SESSION_TIMEOUT")

    def with_overrides(self, **changes: Any) -> StreamSettings:
        settings = replace(self, **{k: v for k, v in changes.items() if v is not None})
        settings.check()
        return settings

    @property
    def bootstrap_servers(self) -> list[str]:
        return [b.strip().removeprefix("kafka://") for b in self.brokers.split(",") if b.strip()]

    def describe(self) -> str:
        """One line for the log (no secrets)."""
        return (
            f"brokers={','.join(self.bootstrap_servers)} group={self.app_id} security={self.security.protocol} "
            f"topics: {self.articles_topic} -> {self.scored_topic} -> {self.alerts_topic}, "
            f"{self.updates_topic}, dlq {self.dlq_topic}; partitions={self.partitions}"
        )
