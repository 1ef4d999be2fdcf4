"""SlackNotifier: post an alert once, thread its follow-ups, mark it resolved; idempotent across restarts.

The one place that calls the Slack Web API (slack_sdk's WebClient with a bot token). What was delivered is kept
in a `DeliveryStore` under these keys (values replaced whole, never mutated):

    "alert:<alert id>"   {"channel": "C123", "ts": "1700000000.000001", "channel_name": "#geo-alerts",
                          "alert": {...alert_to_dict...}, "resolved_at": null | "2025-06-20T10:00:00Z"}
    "update:<update id>" {"alert_id": ..., "kind": "evidence" | "resolved", "ts": reply ts, "done": bool}

So `post_alert` / `post_update` can be called again for the same id (a re-delivered Kafka message, a restart)
and nothing is posted twice, except in the window between Slack accepting a message and the store write
(at-least-once). Failures raise `SlackTransientError` (retry later) or `SlackPermanentError` (give up, keep
it); both carry the Slack error code, never the token.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError, SlackObjectFormationError

from monitor.alerts import Alert, AlertUpdate, alert_from_dict, alert_to_dict
from monitor.metrics import Metrics
from monitor.slack._delivery_log import DeliveryStore
from monitor.slack._errors import SlackPermanentError, SlackTransientError, delivery_error
from monitor.slack._message import SlackMessage, alert_message, evidence_reply
from monitor.slack._message import resolved_reply as build_resolved_reply
from monitor.slack._retry import Sleep, retry_after_seconds, retry_handlers
from monitor.slack._settings import SlackSettings
from monitor.types import iso_utc

log = logging.getLogger(__name__)

_SAFE_CODE = re.compile(r"[a-z0-9_]{1,64}")


def alert_key(alert_id: str) -> str:
    return f"alert:{alert_id}"


def update_key(update_id: str) -> str:
    return f"update:{update_id}"


@dataclass(frozen=True)
class Posted:
    """Where a message went: Slack's channel id and the message ts (the thread parent for replies)."""

    channel: str
    ts: str
    already: bool = False  # True when the store said it was delivered before; nothing was posted now


def _error_code(err: SlackApiError) -> str:
    """A bounded error code: Slack's own ("channel_not_found"), "http_5xx", "ratelimited", "http_<status>"."""
    status = err.response.status_code
    if status >= 500:
        return "http_5xx"
    if status == 429:
        return "ratelimited"
    data = err.response.data
    code = data.get("error") if isinstance(data, dict) else None
    if isinstance(code, str) and _SAFE_CODE.fullmatch(code):
        return code
    return f"http_{status}" if 400 <= status < 500 else "invalid_response"


class SlackNotifier:
    """Posts alerts and their follow-ups to Slack. Synchronous; one call at a time per instance.

    An alert describes itself (names, stance wording, baseline span); `sleep` is used between in-call
    retries (tests pass a fake clock's).
    """

    def __init__(
        self,
        settings: SlackSettings,
        store: DeliveryStore,
        *,
        metrics: Metrics | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.settings = settings
        self.store = store
        self._metrics = metrics
        self._client = WebClient(
            token=settings.token.get_secret_value(),
            base_url=settings.api_base,
            timeout=int(max(settings.timeout, 1)),
            retry_handlers=retry_handlers(
                max_retries=settings.max_retries,
                backoff=settings.retry_backoff,
                max_retry_after=settings.max_retry_after,
                sleep=sleep,
                on_retry=lambda: self._count("retry"),
            ),
        )

    def __repr__(self) -> str:  # never show the token
        return f"SlackNotifier(base_url={self.settings.api_base!r}, default_channel={self.settings.default_channel!r})"

    # -- public API --------------------------------------------------------------------------------

    def delivered(self, alert_id: str) -> bool:
        """Whether the alert is already in Slack (per the store)."""
        return self.store.get(alert_key(alert_id)) is not None

    def post_alert(self, alert: Alert) -> Posted:
        """Post the alert's headline message, once. Raises SlackTransientError / SlackPermanentError."""
        key = alert_key(alert.id)
        done = self.store.get(key)
        if done is not None:
            log.debug(
                "alert %s already in Slack (%s %s); not posted again", alert.id, done["channel"], done["ts"]
            )
            return Posted(done["channel"], done["ts"], already=True)
        channel = alert.channel or self.settings.default_channel
        if not channel:
            raise self._failed(SlackPermanentError("no_channel", alert.id, None))
        message = alert_message(alert, mention=self.settings.mention_for(alert.severity))
        response = self._call("chat.postMessage", message, alert.id, channel, "alert")
        posted = Posted(str(response.get("channel") or channel), str(response["ts"]))
        self.store[key] = {
            "channel": posted.channel,
            "ts": posted.ts,
            "channel_name": channel,
            "alert": alert_to_dict(alert),
            "resolved_at": None,
        }
        self._count("ok")
        log.info("alert %s posted to Slack channel %s (ts %s)", alert.id, channel, posted.ts)
        return posted

    def post_update(self, update: AlertUpdate) -> Posted:
        """Post follow-up evidence, or the resolution, in the alert's thread, once.

        "resolved" also edits the headline message (chat.update) to say so. The alert must have been posted
        first; if the store has no record of it, SlackPermanentError("unknown_alert") is raised.
        """
        ukey = update_key(update.id)
        done = self.store.get(ukey)
        if done is not None and done.get("done"):
            return Posted(str(done.get("channel", "")), str(done["ts"]), already=True)
        parent = self.store.get(alert_key(update.alert_id))
        if parent is None:
            raise self._failed(SlackPermanentError("unknown_alert", update.id, None, what="update"))
        alert = alert_from_dict(parent["alert"])
        channel, parent_ts = str(parent["channel"]), str(parent["ts"])
        if done is None:  # the reply is not in the thread yet
            reply = (
                build_resolved_reply(update, alert.title)
                if update.kind == "resolved"
                else evidence_reply(update, alert.title)
            )
            response = self._call(
                "chat.postMessage", reply, update.id, channel, "update", thread_ts=parent_ts
            )
            done = {
                "alert_id": update.alert_id,
                "kind": update.kind,
                "channel": channel,
                "ts": str(response["ts"]),
                "done": update.kind != "resolved",
            }
            self.store[ukey] = done
            self._count("ok")
        if update.kind == "resolved":
            headline = alert_message(alert, resolved_at=update.at)
            self._call("chat.update", headline, update.id, channel, "update", ts=parent_ts)
            self.store[alert_key(update.alert_id)] = {**parent, "resolved_at": iso_utc(update.at)}
            self.store[ukey] = {**done, "done": True}
            self._count("ok")
        log.info("update %s (%s) posted in the thread of alert %s", update.id, update.kind, update.alert_id)
        return Posted(channel, str(done["ts"]))

    def post_test(self, alert: Alert, channel: str | None = None) -> Posted:
        """Post `alert` without mentions and without touching the store (for `stance-monitor slack test`)."""
        target = channel or alert.channel or self.settings.default_channel
        if not target:
            raise SlackPermanentError("no_channel", alert.id, None)
        message = alert_message(alert)
        response = self._call("chat.postMessage", message, alert.id, target, "alert")
        self._count("ok")
        return Posted(str(response.get("channel") or target), str(response["ts"]))

    # -- the Web API -------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        message: SlackMessage,
        item_id: str,
        channel: str,
        what: str,
        *,
        thread_ts: str | None = None,
        ts: str = "",
    ) -> Mapping[str, Any]:
        try:
            blocks = message.blocks_as_dicts()
        except SlackObjectFormationError as exc:  # a Slack limit broken: retrying cannot help
            log.error("%s %s: the message breaks a Block Kit limit: %s", what, item_id, exc)
            raise self._failed(SlackPermanentError("invalid_blocks", item_id, channel, what=what)) from None
        try:
            if method == "chat.update":
                response = self._client.chat_update(
                    channel=channel, ts=ts, text=message.text, blocks=blocks, parse="none", link_names=False
                )
            else:
                response = self._client.chat_postMessage(
                    channel=channel,
                    text=message.text,
                    blocks=blocks,
                    mrkdwn=True,
                    parse="none",
                    link_names=False,
                    unfurl_links=False,
                    unfurl_media=False,
                    thread_ts=thread_ts,
                )
        except SlackApiError as exc:
            code = _error_code(exc)
            wait = retry_after_seconds(exc.response.headers) if code == "ratelimited" else None
            raise self._failed(delivery_error(code, item_id, channel, what=what, retry_after=wait)) from None
        except (SlackClientError, OSError) as exc:
            code = "timeout" if isinstance(exc, TimeoutError) else "connection"
            raise self._failed(delivery_error(code, item_id, channel, what=what)) from None
        data = response.data
        if not isinstance(data, dict) or not data.get("ts"):
            raise self._failed(SlackTransientError("invalid_response", item_id, channel, what=what))
        return data

    def _count(self, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.slack_deliveries.labels(outcome=outcome).inc()

    def _failed(self, err: SlackTransientError | SlackPermanentError) -> Exception:
        """Count and log a failed call; return the error to raise. Transient ones count as a retry."""
        if self._metrics is not None:
            self._metrics.slack_delivery_failures.labels(error=err.code).inc()
        self._count("failed" if err.permanent else "retry")
        if err.permanent:
            log.error("%s (permanent: retrying cannot fix it)", err)
        else:
            log.warning("%s (transient)", err)
        return err
