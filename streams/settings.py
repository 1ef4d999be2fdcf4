"""Worker and ingest settings: Kafka connection, topic names and sizes, batching, from the environment.

Every field has an environment variable (see README, "Running on Kafka"): `STANCE_MONITOR_` plus the field's
name, or the `KAFKA_` name its alias gives; the command line may override some. Secrets (the SASL password) are
SecretStr, never printed: `describe()` leaves them out.
"""

from __future__ import annotations

import ssl
from typing import Any, Literal, Self

from pydantic import Field, PositiveFloat, PositiveInt, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from monitor.envvars import EnvSettings

# seconds a quiet alert thread's Slack delivery records are kept (streams/delivery.py)
SLACK_RETENTION = 30 * 86400.0


class Security(EnvSettings):
    """How to reach a real cluster: KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*."""

    model_config = SettingsConfigDict(env_prefix="KAFKA_")

    protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        default="PLAINTEXT", validation_alias="KAFKA_SECURITY_PROTOCOL"
    )
    sasl_mechanism: str = "PLAIN"  # PLAIN | SCRAM-SHA-256 | SCRAM-SHA-512
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None

    @field_validator("protocol", "sasl_mechanism", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _sasl_needs_credentials(self) -> Security:
        if self.protocol.startswith("SASL") and not (self.sasl_username and self.sasl_password):
            raise ValueError(
                f"KAFKA_SECURITY_PROTOCOL={self.protocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"
            )
        return self

    @property
    def password(self) -> str | None:
        """The SASL password itself, for the Kafka clients."""
        return self.sasl_password.get_secret_value() if self.sasl_password else None

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
                sasl_plain_password=self.password,
            )
        context = self.ssl_context()
        if context is not None:
            options["ssl_context"] = context
        return options


class StreamSettings(EnvSettings):
    model_config = SettingsConfigDict(env_prefix="STANCE_MONITOR_")

    brokers: str = Field(default="localhost:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS")
    app_id: str = "stance-monitor"
    articles_topic: str = "articles"
    alerts_topic: str = "alerts"
    updates_topic: str = "alert-updates"
    dlq_topic: str = "articles-dlq"
    scored_topic: str = "stance-monitor-scored"  # internal: scored articles keyed by actor
    slack_topic: str = "stance-monitor-slack"  # internal: alerts and updates waiting for Slack
    slack_dlq_topic: str = "stance-monitor-slack-dlq"  # what Slack refused, with the error code
    partitions: PositiveInt = 8
    replication: PositiveInt = 1
    batch_size: PositiveInt = 64  # articles embedded together
    batch_within: PositiveFloat = 0.5  # seconds to wait for a batch to fill
    # seconds taken off a "caught up" claim (streams/ordering.py): covers the age of the fetched high
    # watermark and clock differences between machines; longer is safer, shorter gives alerts sooner
    caught_up_margin: float = 1.0
    # seconds a scored article may wait for the watermark before it goes on anyway (logged and counted)
    max_hold: float = 60.0
    slack_retention: PositiveFloat = SLACK_RETENTION
    # Consumer-group timing. Kafka's defaults suit production; tests shorten them for a fast join/failover.
    session_timeout: PositiveFloat = Field(default=30.0, validation_alias="KAFKA_SESSION_TIMEOUT")
    heartbeat_interval: PositiveFloat = Field(default=3.0, validation_alias="KAFKA_HEARTBEAT_INTERVAL")
    producer_max_batch_size: PositiveInt = Field(
        default=16384, validation_alias="KAFKA_PRODUCER_MAX_BATCH_SIZE"
    )
    security: Security = Security()

    @classmethod
    def from_env(cls) -> Self:
        """The settings from `os.environ`, the security part from KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_* and
        KAFKA_SSL_*; ValueError naming each bad variable."""
        return super().from_env().model_copy(update={"security": Security.from_env()})

    @model_validator(mode="after")
    def _heartbeat_within_session(self) -> StreamSettings:
        if self.heartbeat_interval >= self.session_timeout:
            raise ValueError("KAFKA_HEARTBEAT_INTERVAL must be shorter than KAFKA_SESSION_TIMEOUT")
        return self

    def with_overrides(self, **changes: Any) -> StreamSettings:
        """These settings with the command line's values (None: not given) in place of the environment's."""
        return self.model_validate({**dict(self), **{k: v for k, v in changes.items() if v is not None}})

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
