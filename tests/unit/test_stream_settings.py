"""Worker/ingest settings from the environment (streams/settings.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from streams.settings import Security, StreamSettings

Environ = Callable[[Mapping[str, str]], None]

# every variable and the default it stands for (README, "Running on Kafka")
DEFAULTS = {
    "KAFKA_BOOTSTRAP_SERVERS": ("brokers", "localhost:9092"),
    "STANCE_MONITOR_APP_ID": ("app_id", "stance-monitor"),
    "STANCE_MONITOR_ARTICLES_TOPIC": ("articles_topic", "articles"),
    "STANCE_MONITOR_ALERTS_TOPIC": ("alerts_topic", "alerts"),
    "STANCE_MONITOR_UPDATES_TOPIC": ("updates_topic", "alert-updates"),
    "STANCE_MONITOR_DLQ_TOPIC": ("dlq_topic", "articles-dlq"),
    "STANCE_MONITOR_SCORED_TOPIC": ("scored_topic", "stance-monitor-scored"),
    "STANCE_MONITOR_SLACK_TOPIC": ("slack_topic", "stance-monitor-slack"),
    "STANCE_MONITOR_SLACK_DLQ_TOPIC": ("slack_dlq_topic", "stance-monitor-slack-dlq"),
    "STANCE_MONITOR_PARTITIONS": ("partitions", 8),
    "STANCE_MONITOR_REPLICATION": ("replication", 1),
    "STANCE_MONITOR_BATCH_SIZE": ("batch_size", 64),
    "STANCE_MONITOR_BATCH_WITHIN": ("batch_within", 0.5),
    "STANCE_MONITOR_CAUGHT_UP_MARGIN": ("caught_up_margin", 1.0),
    "STANCE_MONITOR_MAX_HOLD": ("max_hold", 60.0),
    "STANCE_MONITOR_SLACK_RETENTION": ("slack_retention", 30 * 86400),
    "KAFKA_SESSION_TIMEOUT": ("session_timeout", 30.0),
    "KAFKA_HEARTBEAT_INTERVAL": ("heartbeat_interval", 3.0),
    "KAFKA_PRODUCER_MAX_BATCH_SIZE": ("producer_max_batch_size", 16384),
}
SECURITY_DEFAULTS = {
    "KAFKA_SECURITY_PROTOCOL": ("protocol", "PLAINTEXT"),
    "KAFKA_SASL_MECHANISM": ("sasl_mechanism", "PLAIN"),
    "KAFKA_SASL_USERNAME": ("sasl_username", None),
    "KAFKA_SASL_PASSWORD": ("sasl_password", None),
    "KAFKA_SSL_CAFILE": ("ssl_cafile", None),
    "KAFKA_SSL_CERTFILE": ("ssl_certfile", None),
    "KAFKA_SSL_KEYFILE": ("ssl_keyfile", None),
}


def test_the_defaults(environ: Environ) -> None:
    environ({})
    settings = StreamSettings.from_env()
    assert {name: getattr(settings, field) for name, (field, _) in DEFAULTS.items()} == {
        name: default for name, (_, default) in DEFAULTS.items()
    }
    assert {name: getattr(settings.security, field) for name, (field, _) in SECURITY_DEFAULTS.items()} == {
        name: default for name, (_, default) in SECURITY_DEFAULTS.items()
    }
    environ(dict.fromkeys(DEFAULTS, " "))  # blank is the default too
    assert StreamSettings.from_env() == settings


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("KAFKA_BOOTSTRAP_SERVERS", "k1:9092", "k1:9092"),
    ("STANCE_MONITOR_APP_ID", "monitor-b", "monitor-b"),
    ("STANCE_MONITOR_ARTICLES_TOPIC", " news ", "news"),
    ("STANCE_MONITOR_SLACK_DLQ_TOPIC", "refused", "refused"),
    ("STANCE_MONITOR_PARTITIONS", "12", 12),
    ("STANCE_MONITOR_BATCH_WITHIN", "0.25", 0.25),
    ("STANCE_MONITOR_MAX_HOLD", "5", 5.0),
    ("STANCE_MONITOR_SLACK_RETENTION", "3600", 3600.0),
    ("KAFKA_SESSION_TIMEOUT", "45", 45.0),
    ("KAFKA_PRODUCER_MAX_BATCH_SIZE", "1", 1),
])  # fmt: skip
def test_each_variable_sets_its_field(environ: Environ, variable: str, value: str, expected: object) -> None:
    environ({variable: value})
    assert getattr(StreamSettings.from_env(), DEFAULTS[variable][0]) == expected


def test_brokers_and_command_line_overrides(environ: Environ) -> None:
    environ({"KAFKA_BOOTSTRAP_SERVERS": "kafka://k1:9092, k2:9092", "STANCE_MONITOR_PARTITIONS": "12"})
    settings = StreamSettings.from_env()
    assert settings.bootstrap_servers == ["k1:9092", "k2:9092"]
    overridden = settings.with_overrides(partitions=3, brokers=None)
    assert (overridden.partitions, overridden.brokers) == (3, settings.brokers)
    assert settings.with_overrides(brokers="k3:9092").bootstrap_servers == ["k3:9092"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"STANCE_MONITOR_PARTITIONS": "many"},
            "STANCE_MONITOR_PARTITIONS: input should be a valid integer, unable to parse string as an integer "
            "(got 'many')",
        ),
        (
            {"STANCE_MONITOR_REPLICATION": "0"},
            "STANCE_MONITOR_REPLICATION: input should be greater than 0 (got '0')",
        ),
        ({"KAFKA_SESSION_TIMEOUT": "soon"}, "KAFKA_SESSION_TIMEOUT: input should be a valid number"),
        ({"KAFKA_SECURITY_PROTOCOL": "TLS"}, "KAFKA_SECURITY_PROTOCOL: input should be 'PLAINTEXT', 'SSL'"),
        (
            {"KAFKA_SECURITY_PROTOCOL": "sasl_ssl"},
            "KAFKA_SECURITY_PROTOCOL=SASL_SSL needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD",
        ),
        (
            {"KAFKA_SESSION_TIMEOUT": "1", "KAFKA_HEARTBEAT_INTERVAL": "3"},
            "KAFKA_HEARTBEAT_INTERVAL must be shorter than KAFKA_SESSION_TIMEOUT",
        ),
        (
            {"STANCE_MONITOR_SLACK_RETENTION": "0"},
            "STANCE_MONITOR_SLACK_RETENTION: input should be greater than 0",
        ),
        (
            {"STANCE_MONITOR_BATCH_SIZE": "0", "STANCE_MONITOR_BATCH_WITHIN": "-1"},
            "STANCE_MONITOR_BATCH_SIZE: input should be greater than 0 (got '0'); "
            "STANCE_MONITOR_BATCH_WITHIN: input should be greater than 0 (got '-1')",
        ),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable(
    environ: Environ, env: dict[str, str], message: str
) -> None:
    environ(env)
    with pytest.raises(ValueError) as caught:
        StreamSettings.from_env()
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_the_sasl_password_is_never_shown(environ: Environ) -> None:
    environ({
        "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "KAFKA_SASL_MECHANISM": "scram-sha-256",
        "KAFKA_SASL_USERNAME": "svc",
        "KAFKA_SASL_PASSWORD": "hunter2",
    })  # fmt: skip
    settings = StreamSettings.from_env()
    assert settings.security.kafka_python() == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-256",
        "sasl_plain_username": "svc",
        "sasl_plain_password": "hunter2",
    }
    shown = [repr(settings), str(settings), settings.describe(), str(settings.model_dump())]
    assert not [text for text in shown if "hunter2" in text]


def test_a_bad_password_setting_does_not_echo_it(environ: Environ) -> None:
    environ({"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_PASSWORD": "hunter2"})
    with pytest.raises(ValueError, match="needs KAFKA_SASL_USERNAME") as caught:
        StreamSettings.from_env()
    assert "hunter2" not in str(caught.value)


def test_built_in_code_settings_do_not_read_the_environment(environ: Environ) -> None:
    environ({"STANCE_MONITOR_PARTITIONS": "12", "KAFKA_SECURITY_PROTOCOL": "SSL"})
    assert StreamSettings().partitions == 8 and Security().protocol == "PLAINTEXT"
