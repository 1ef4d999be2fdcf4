"""Slack settings: token, API URL, default channel, per-severity mentions; read from the environment.

| variable | meaning |
|---|---|
| SLACK_BOT_TOKEN | bot token (xoxb-...); kept as a SecretStr, never logged or echoed |
| SLACK_API_URL | base URL of the Web API (default https://slack.com/api/) |
| SLACK_DEFAULT_CHANNEL | channel for alerts whose rule names none |
| SLACK_MENTIONS | who to ping per severity: "critical=<!here>,high=<!subteam^S123>" |
| SLACK_OUTBOX_DIR | the in-process outbox and delivery log (see monitor.slack.SlackSink) |
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Final, get_args

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from monitor.slack._errors import SlackConfigError
from monitor.types import Severity

SEVERITIES: Final[tuple[str, ...]] = get_args(Severity)

# Slack's mention syntax: special mentions, user groups, users. Anything else in SLACK_MENTIONS is refused,
# so a typo cannot turn into stray text or a broken ping.
_MENTION = re.compile(r"<!(here|channel|everyone)>|<!subteam\^[A-Z0-9]+>|<@[UW][A-Z0-9]+>")
_SHORTHAND: Final = {"@here": "<!here>", "@channel": "<!channel>", "@everyone": "<!everyone>"}
_MENTION_FORMS: Final = "<!here>, <!channel>, <!subteam^S0123ABC>, <@U0123ABC> (or @here, @channel)"


def parse_mentions(spec: str) -> dict[str, str]:
    """Parse "critical=<!here>,high=<!subteam^S123> <@U42>" into {severity: mention text}.

    Several mentions for one severity are separated by spaces. Raises SlackConfigError naming the bad entry.
    """
    mentions: dict[str, str] = {}
    for raw in spec.split(","):
        entry = raw.strip()
        if not entry:
            continue
        severity, sep, value = entry.partition("=")
        severity = severity.strip().lower()
        if not sep or severity not in SEVERITIES:
            raise SlackConfigError(
                f"SLACK_MENTIONS: bad entry {entry!r}; expected severity=mention with severity one of "
                f"{'|'.join(SEVERITIES)}"
            )
        parts = [_SHORTHAND.get(p, p) for p in value.split()]
        bad = [p for p in parts if not _MENTION.fullmatch(p)]
        if not parts or bad:
            raise SlackConfigError(
                f"SLACK_MENTIONS: {severity}: not a Slack mention (got {' '.join(bad) or 'nothing'!r}; "
                f"expected {_MENTION_FORMS})"
            )
        mentions[severity] = " ".join(parts)
    return mentions


def default_outbox_dir(env: Mapping[str, str]) -> Path:
    """SLACK_OUTBOX_DIR, else $XDG_STATE_HOME/stance-monitor/slack (default ~/.local/state/...)."""
    explicit = env.get("SLACK_OUTBOX_DIR", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    state_home = env.get("XDG_STATE_HOME", "").strip() or str(Path.home() / ".local" / "state")
    return Path(state_home) / "stance-monitor" / "slack"


class SlackSettings(BaseModel):
    """How to reach Slack. Frozen; the token is a SecretStr, so repr() and logs show '**********'."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    token: SecretStr
    base_url: str | None = None
    default_channel: str | None = None
    #: Mention text per severity, e.g. {"critical": "<!here>"}; severities not listed ping nobody.
    mentions: dict[str, str] = Field(default_factory=dict)
    #: Seconds for one HTTP request.
    timeout: float = 10.0
    #: Quick in-call retries of one request (429, 5xx, connection) before the call fails as transient.
    max_retries: int = 2
    #: Backoff factor of those retries (0.5 -> about 0.5 s, 1 s, 2 s ...).
    retry_backoff: float = 0.5
    #: A 429 asking to wait longer than this fails the call as transient (with retry_after) instead of blocking.
    max_retry_after: float = 30.0

    @field_validator("token")
    @classmethod
    def _token_not_blank(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("the bot token is empty")
        return value

    @field_validator("mentions")
    @classmethod
    def _valid_mentions(cls, value: dict[str, str]) -> dict[str, str]:
        for severity, mention in value.items():
            if severity not in SEVERITIES:
                raise ValueError(f"unknown severity {severity!r}; expected one of {'|'.join(SEVERITIES)}")
            if not all(_MENTION.fullmatch(p) for p in mention.split()):
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

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SlackSettings | None:
        """Settings from SLACK_* variables; None when SLACK_BOT_TOKEN is unset or blank.

        Raises SlackConfigError for a bad SLACK_MENTIONS (the message never contains the token).
        """
        environ: Mapping[str, str] = os.environ if env is None else env
        token = environ.get("SLACK_BOT_TOKEN", "").strip()
        if not token:
            return None
        try:
            return cls(
                token=SecretStr(token),
                base_url=environ.get("SLACK_API_URL", "").strip() or None,
                default_channel=environ.get("SLACK_DEFAULT_CHANNEL", "").strip() or None,
                mentions=parse_mentions(environ.get("SLACK_MENTIONS", "")),
            )
        except ValidationError as exc:  # pragma: no cover - from_env builds only valid values
            raise SlackConfigError(f"Slack settings: {exc.errors()[0]['msg']}") from None
