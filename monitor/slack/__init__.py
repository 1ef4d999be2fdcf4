"""Slack delivery: Block Kit alerts with evidence, threaded follow-ups, no duplicates, nothing lost.

For the in-process monitor (`run`, `replay`): `SlackSink` (via `monitor.sinks.build_sinks`) queues each
alert in an on-disk outbox and a background thread delivers it. For the Kafka worker: `SlackNotifier` with a
`DeliveryStore` (e.g. a Faust table)::

    notifier = SlackNotifier(SlackSettings.from_env(), table, metrics=metrics, names=actor_names)
    notifier.post_alert(alert)      # idempotent by alert.id
    notifier.post_update(update)    # idempotent by update.id; thread reply (+ chat.update when resolved)

Both raise `SlackTransientError` (retry later; `retry_after` may say when) or `SlackPermanentError` (keep the
message in a dead-letter record; do not retry).
"""

from monitor.slack._delivery_log import DeliveryStore, JsonlDeliveryLog
from monitor.slack._errors import (
    PERMANENT_SLACK_ERRORS,
    TRANSIENT_SLACK_ERRORS,
    SlackConfigError,
    SlackDeliveryError,
    SlackPermanentError,
    SlackTransientError,
)
from monitor.slack._message import SlackMessage, alert_message, escape_mrkdwn, evidence_reply, resolved_reply
from monitor.slack._notifier import Posted, SlackNotifier
from monitor.slack._retry import exponential_backoff, retry_wait
from monitor.slack._sample import sample_alert, send_test_alert
from monitor.slack._settings import SlackSettings, slack_from_env
from monitor.slack._sink import SlackSink

__all__ = [
    "PERMANENT_SLACK_ERRORS",
    "TRANSIENT_SLACK_ERRORS",
    "DeliveryStore",
    "JsonlDeliveryLog",
    "Posted",
    "SlackConfigError",
    "SlackDeliveryError",
    "SlackMessage",
    "SlackNotifier",
    "SlackPermanentError",
    "SlackSettings",
    "SlackSink",
    "SlackTransientError",
    "alert_message",
    "escape_mrkdwn",
    "evidence_reply",
    "exponential_backoff",
    "resolved_reply",
    "retry_wait",
    "sample_alert",
    "send_test_alert",
    "slack_from_env",
]
