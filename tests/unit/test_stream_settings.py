"""Worker/ingest settings from the environment (streams/settings.py)."""

from __future__ import annotations

import pytest

from streams.settings import StreamSettings


def test_defaults_and_overrides_from_the_environment() -> None:
    assert StreamSettings.from_env({}).articles_topic == "articles"
    assert StreamSettings.from_env({}).slack_retention == 30 * 86400
    assert StreamSettings.from_env({"STANCE_MONITOR_SLACK_RETENTION": "3600"}).slack_retention == 3600
    settings = StreamSettings.from_env(
        {
            "KAFKA_BOOTSTRAP_SERVERS": "kafka://k1:9092, k2:9092",
            "STANCE_MONITOR_ARTICLES_TOPIC": "news",
            "STANCE_MONITOR_PARTITIONS": "12",
            "KAFKA_SESSION_TIMEOUT": "2.0",
            "KAFKA_HEARTBEAT_INTERVAL": "0.5",
        }
    )
    assert settings.bootstrap_servers == ["k1:9092", "k2:9092"]
    assert (settings.articles_topic, settings.partitions, settings.session_timeout) == ("news", 12, 2.0)
    assert settings.with_overrides(partitions=3, brokers=None).partitions == 3


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"STANCE_MONITOR_PARTITIONS": "many"},
            "STANCE_MONITOR_PARTITIONS must be a whole number (got 'many')",
        ),
        ({"KAFKA_SECURITY_PROTOCOL": "TLS"}, "KAFKA_SECURITY_PROTOCOL must be"),
        ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL"}, "needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"),
        (
            {"KAFKA_SESSION_TIMEOUT": "1", "KAFKA_HEARTBEAT_INTERVAL": "3"},
            "shorter than KAFKA_SESSION_TIMEOUT",
        ),
        ({"STANCE_MONITOR_SLACK_RETENTION": "0"}, "STANCE_MONITOR_SLACK_RETENTION must be a positive number"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        StreamSettings.from_env(env)


def test_the_sasl_password_is_never_shown() -> None:
    env = {
        "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "KAFKA_SASL_USERNAME": "svc",
        "KAFKA_SASL_PASSWORD": "hunter2",
    }
    settings = StreamSettings.from_env(env)
    assert settings.security.kafka_python()["sasl_plain_password"] == "hunter2"
    assert "hunter2" not in repr(settings) and "hunter2" not in settings.describe()
