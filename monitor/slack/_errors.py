"""Slack errors, split by what the caller should do next: retry later, or give up and keep the message.

    DeliveryError (monitor.errors)
     └── SlackDeliveryError      a Slack call failed; `code`, `permanent`, `item_id`, `channel`
          ├── SlackTransientError   retry later (5xx, 429, connection); `retry_after` when Slack said
          └── SlackPermanentError   retrying cannot fix it (channel_not_found, invalid_auth, ...)
    MonitorError, ValueError
     └── SlackConfigError        the Slack settings are unusable (no token, a bad SLACK_MENTIONS entry)

No message here ever contains the token: errors are built from our own words and Slack's error code.
"""

from __future__ import annotations

from typing import Final

from monitor.errors import DeliveryError, MonitorError

#: Slack error codes known to need a person (wrong channel, bot not invited, bad token...).
PERMANENT_SLACK_ERRORS: Final = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "is_archived",
        "missing_scope",
        "no_channel",
        "unknown_alert",
    }
)

#: Codes that are worth retrying. Any code not listed here is treated as permanent: a message Slack refuses
#: for a reason we do not know goes to the dead-letter record, where a person sees it, instead of looping.
TRANSIENT_SLACK_ERRORS: Final = frozenset(
    {
        "ratelimited",
        "http_5xx",
        "connection",
        "timeout",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
    }
)


def is_transient(code: str) -> bool:
    return code in TRANSIENT_SLACK_ERRORS


class SlackConfigError(MonitorError, ValueError):
    """The Slack settings cannot be used; the message says which variable and what is expected. A ValueError,
    as every bad setting is (monitor.envvars)."""


class SlackDeliveryError(DeliveryError):
    """A Slack delivery that failed. `code` is Slack's error code or one of ours ("http_5xx", "connection",
    "no_channel", "unknown_alert"); `item_id` is the alert or update id; `permanent` says whether a retry can help.
    """

    permanent: bool = False

    def __init__(self, code: str, item_id: str, channel: str | None = None, *, what: str = "alert") -> None:
        self.code = code
        self.item_id = item_id
        self.channel = channel
        where = f" to {channel}" if channel else ""
        super().__init__(f"slack delivery of {what} {item_id!r}{where} failed: {code}")

    @property
    def alert_id(self) -> str:  # the name the first SlackSink used
        return self.item_id


class SlackTransientError(SlackDeliveryError):
    """Retry later; `retry_after` is the wait Slack asked for (a 429's Retry-After), if any."""

    permanent = False

    def __init__(
        self,
        code: str,
        item_id: str,
        channel: str | None = None,
        *,
        what: str = "alert",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(code, item_id, channel, what=what)
        self.retry_after = retry_after


class SlackPermanentError(SlackDeliveryError):
    """Retrying cannot fix this; keep the message in a dead-letter record and tell a person."""

    permanent = True


def delivery_error(
    code: str, item_id: str, channel: str | None, *, what: str = "alert", retry_after: float | None = None
) -> SlackTransientError | SlackPermanentError:
    """The transient or permanent error for `code`."""
    if is_transient(code):
        return SlackTransientError(code, item_id, channel, what=what, retry_after=retry_after)
    return SlackPermanentError(code, item_id, channel, what=what)
