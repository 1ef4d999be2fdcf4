"""Slack settings from the environment (monitor/slack/_settings.py): names, defaults, the token kept secret."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from monitor.slack import SlackConfigError, SlackSettings, slack_from_env

Environ = Callable[[Mapping[str, str]], None]
TOKEN = "xoxb-secret-123"


def test_slack_is_off_without_a_token(environ: Environ) -> None:
    environ({"SLACK_DEFAULT_CHANNEL": "#geo"})
    assert slack_from_env() is None
    environ({"SLACK_BOT_TOKEN": "  "})
    assert slack_from_env() is None


def test_the_defaults(environ: Environ) -> None:
    environ({"SLACK_BOT_TOKEN": TOKEN, "XDG_STATE_HOME": "/state"})
    settings = slack_from_env()
    assert settings is not None
    assert settings.token.get_secret_value() == TOKEN
    assert (settings.base_url, settings.api_base, settings.default_channel, settings.mentions) == (
        None, "https://slack.com/api/", None, {},
    )  # fmt: skip
    assert settings.outbox_dir == Path("/state/stance-monitor/slack")
    assert (settings.timeout, settings.max_retries, settings.retry_backoff, settings.max_retry_after) == (
        10.0, 2, 0.5, 30.0,
    )  # fmt: skip
    environ({"XDG_STATE_HOME": ""})
    assert slack_from_env() == settings.model_copy(
        update={"outbox_dir": Path.home() / ".local" / "state" / "stance-monitor" / "slack"}
    )


def test_every_variable(environ: Environ) -> None:
    environ(
        {
            "SLACK_BOT_TOKEN": f" {TOKEN} ",
            "SLACK_API_URL": "http://127.0.0.1:1/api",
            "SLACK_DEFAULT_CHANNEL": "#geo-alerts",
            "SLACK_MENTIONS": "critical=<!here>, high=<!subteam^S123> <@U42>,LOW=@channel",
            "SLACK_OUTBOX_DIR": "~/outbox",
            "SLACK_TIMEOUT": "2.5",
            "SLACK_MAX_RETRIES": "0",
            "SLACK_RETRY_BACKOFF": "0.1",
            "SLACK_MAX_RETRY_AFTER": "5",
        }
    )
    settings = slack_from_env()
    assert settings is not None
    assert settings.token.get_secret_value() == TOKEN
    assert settings.api_base == "http://127.0.0.1:1/api/"
    assert settings.default_channel == "#geo-alerts"
    assert settings.mentions == {"critical": "<!here>", "high": "<!subteam^S123> <@U42>", "low": "<!channel>"}
    assert settings.mention_for("critical") == "<!here>" and settings.mention_for("medium") is None
    assert settings.outbox_dir == Path.home() / "outbox"
    assert (settings.timeout, settings.max_retries, settings.retry_backoff, settings.max_retry_after) == (
        2.5, 0, 0.1, 5.0,
    )  # fmt: skip


def test_the_token_is_never_shown(environ: Environ) -> None:
    environ({"SLACK_BOT_TOKEN": TOKEN, "SLACK_MENTIONS": "critical=@here"})
    settings = slack_from_env()
    assert settings is not None
    shown = [repr(settings), str(settings), str(settings.model_dump()), settings.model_dump_json()]
    assert not [text for text in shown if TOKEN in text]


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("SLACK_MENTIONS", "urgent=<!here>", "unknown severity 'urgent'; expected one of info|low|medium|high|critical"),
        ("SLACK_MENTIONS", "critical=here please", "critical: not a Slack mention (got 'here please'; expected"),
        ("SLACK_MENTIONS", "critical=@bob", "critical: not a Slack mention (got '@bob'"),
        ("SLACK_MENTIONS", "critical=", "critical: not a Slack mention (got ''"),
        ("SLACK_MENTIONS", "<!here>", "bad entry '<!here>'; expected severity=mention"),
        ("SLACK_TIMEOUT", "0", "input should be greater than 0 (got '0')"),
        ("SLACK_MAX_RETRIES", "two", "input should be a valid integer"),
    ],
)  # fmt: skip
def test_a_bad_setting_is_one_line_naming_the_variable(
    environ: Environ, variable: str, value: str, problem: str
) -> None:
    environ({"SLACK_BOT_TOKEN": TOKEN, variable: value})
    with pytest.raises(SlackConfigError) as caught:
        slack_from_env()
    message = str(caught.value)
    assert message.startswith(f"{variable}: {problem}"), message
    assert "\n" not in message and TOKEN not in message


def test_built_in_code_settings_are_checked_and_do_not_read_the_environment(environ: Environ) -> None:
    environ({"SLACK_DEFAULT_CHANNEL": "#from-env", "SLACK_MENTIONS": "critical=<!here>"})
    settings = SlackSettings(token=SecretStr(TOKEN), base_url="http://127.0.0.1:1/api/")
    assert settings.default_channel is None and settings.mentions == {}
    with pytest.raises(ValidationError, match="the bot token is empty"):
        SlackSettings(token=SecretStr(" "))
    with pytest.raises(ValidationError, match="not a Slack mention"):
        SlackSettings(token=SecretStr("x"), mentions={"critical": "everyone!"})
