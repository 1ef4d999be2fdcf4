"""Slack settings: token, API URL, default channel, per-severity mentions, outbox; read from the environment.

| variable | meaning |
|---|---|
| SLACK_BOT_TOKEN | bot token (xoxb-...); kept as a SecretStr, never logged or echoed; unset: Slack is off |
| SLACK_API_URL | base URL of the Web API (default https://slack.com/api/) |
| SLACK_DEFAULT_CHANNEL | channel for alerts whose rule names none |
| SLACK_MENTIONS | who to ping per severity: "critical=<!here>,high=<!subteam^S123>" |
| SLACK_OUTBOX_DIR | the in-process outbox and delivery log (see monitor.slack.SlackSink) |
| SLACK_TIMEOUT, SLACK_MAX_RETRIES, SLACK_RETRY_BACKOFF, SLACK_MAX_RETRY_AFTER | one call's timing (fields below) |
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Final, get_args

from pydantic import Field, NonNegativeFloat, NonNegativeInt, PositiveFloat, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from monitor.envvars import EnvSettings
from monitor.slack._errors import SlackConfigError
from monitor.types import Severity

SEVERITIES: Final[tuple[str, ...]] = get_args(Severity)

# Slack's mention syntax: special mentions, user groups, users. Anything else in SLACK_MENTIONS is refused,
# so a typo cannot turn into stray text or a broken ping.
_MENTION = re.compile(r"<!(here|channel|everyone)>|<!subteam\^[A-Z0-9]+>|<@[UW][A-Z0-9]+>")
_SHORTHAND: Final = {"@here": "<!here>", "@channel": "<!channel>", "@everyone": "<!everyone>"}
_MENTION_FORMS: Final = "<!here>, <!channel>, <!subteam^S0123ABC>, <@U0123ABC> (or @here, @channel)"


def _default_outbox_dir() -> Path:
    """$XDG_STATE_HOME/stance-monitor/slack (default ~/.local/state/...)."""
    state_home = os.environ.get("XDG_STATE_HOME", "").strip() or Path.home() / ".local" / "state"
    return Path(state_home) / "stance-monitor" / "slack"


class SlackSettings(EnvSettings):
    """How to reach Slack: SLACK_ plus the field's name, or its alias. Frozen; the token is a SecretStr, so
    repr() and logs show '**********'."""

    model_config = SettingsConfigDict(env_prefix="SLACK_")

    token: SecretStr = Field(validation_alias="SLACK_BOT_TOKEN")
    base_url: str | None = Field(default=None, validation_alias="SLACK_API_URL")
    default_channel: str | None = None
    #: Mention text per severity, e.g. {"critical": "<!here>"}; severities not listed ping nobody. The variable
    #: is "critical=<!here>,high=<!subteam^S123> <@U42>" (spaces between several), not JSON: hence NoDecode.
    mentions: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    #: Where `run` and `replay` keep the outbox and delivery log.
    outbox_dir: Path = Field(default_factory=_default_outbox_dir)
    #: Seconds for one HTTP request.
    timeout: PositiveFloat = 10.0
    #: Quick in-call retries of one request (429, 5xx, connection) before the call fails as transient.
    max_retries: NonNegativeInt = 2
    #: Backoff factor of those retries (0.5 -> about 0.5 s, 1 s, 2 s ...).
    retry_backoff: NonNegativeFloat = 0.5
    #: A 429 asking to wait longer than this fails the call as transient (with retry_after) instead of blocking.
    max_retry_after: NonNegativeFloat = 30.0

    @field_validator("token")
    @classmethod
    def _token_not_blank(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("the bot token is empty")
        return value

    @field_validator("outbox_dir")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("mentions", mode="before")
    @classmethod
    def _parse_mentions(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        mentions: dict[str, str] = {}
        for entry in filter(None, (raw.strip() for raw in value.split(","))):
            severity, sep, text = entry.partition("=")
            if not sep:
                raise ValueError(f"bad entry {entry!r}; expected severity=mention")
            mentions[severity.strip().lower()] = " ".join(_SHORTHAND.get(p, p) for p in text.split())
        return mentions

    @field_validator("mentions")
    @classmethod
    def _valid_mentions(cls, value: dict[str, str]) -> dict[str, str]:
        for severity, mention in value.items():
            if severity not in SEVERITIES:
                raise ValueError(f"unknown severity {severity!r}; expected one of {'|'.join(SEVERITIES)}")
            if not mention or not all(_MENTION.fullmatch(p) for p in mention.split()):
                raise ValueError(
                    f"{severity}: not a Slack mention (got {mention!r}; expected {_MENTION_FORMS})"
                )
        return value

    @property
    def api_base(self) -> str:
        """The Web API base URL with its trailing slash (slack_sdk joins method names onto it)."""
        url = self.base_url or "https://slack.com/api/"
        return url if url.endswith("/") else url + "/"

    def mention_for(self, severity: str) -> str | None:
        return self.mentions.get(severity)


def slack_from_env() -> SlackSettings | None:
    """The Slack settings from SLACK_* variables; None when SLACK_BOT_TOKEN is unset or blank (Slack is off).

    Raises SlackConfigError naming a bad variable (the message never contains the token).
    """
    if not os.environ.get("SLACK_BOT_TOKEN", "").strip():
        return None
    try:
        return SlackSettings.from_env()
    except ValueError as exc:
        raise SlackConfigError(str(exc)) from None
