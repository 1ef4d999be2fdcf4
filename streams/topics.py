"""The topics the worker reads and writes. Values are raw bytes (UTF-8 JSON) so that a malformed article
reaches our parser, gets its reason and goes to the dead-letter topic instead of crashing a codec."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import faust

from monitor.alerts import alert_to_dict, update_to_dict
from monitor.metrics import Metrics
from monitor.pipeline import DetectionResult
from monitor.rules import RuleDef
from monitor.silences import Silencer
from monitor.types import iso_utc
from streams.delivery import SlackDelivery
from streams.settings import StreamSettings
from streams.tables import SENT_IDS_KEPT

log = logging.getLogger("stance_monitor.worker")


@dataclass(frozen=True)
class Topics:
    articles: faust.TopicT
    scored: faust.TopicT
    alerts: faust.TopicT
    updates: faust.TopicT
    dlq: faust.TopicT


def declare_topics(app: faust.App, settings: StreamSettings) -> Topics:
    def topic(name: str, key_serializer: str = "raw") -> faust.TopicT:
        return app.topic(
            name,
            partitions=settings.partitions,
            replicas=settings.replication,
            key_serializer=key_serializer,
            value_serializer="raw",
        )

    return Topics(
        articles=topic(settings.articles_topic),
        # keyed by actor with the JSON key codec, the same as the state table's changelog, so one actor's
        # scored articles and its state land on the same partition number
        scored=topic(settings.scored_topic, key_serializer="json"),
        alerts=topic(settings.alerts_topic),
        updates=topic(settings.updates_topic),
        dlq=topic(settings.dlq_topic),
    )


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def ingest_time(event: faust.EventT[bytes]) -> float:
    """When the article was produced to Kafka (the record's timestamp), in epoch seconds."""
    stamp = event.message.timestamp
    return float(stamp) if stamp else time.time()


def dead_letter_record(event: faust.EventT[bytes], reason: str, error: str) -> dict[str, Any]:
    """What the dead-letter topic keeps of a message that could not be processed: the raw value and why."""
    value = event.value
    text = value.decode("utf-8", errors="replace") if isinstance(value, bytes | bytearray) else str(value)
    message = event.message
    return {
        "reason": reason,
        "error": error,
        "topic": message.topic,
        "partition": message.partition,
        "offset": message.offset,
        "value": text,
        "rejected_at": iso_utc(datetime.now(UTC)),
    }


class Outputs:
    """Where stage 2's results go: the alerts and updates topics (the record) and, with Slack on and no silence
    muting the alert, Slack's delivery topic.

    Effects are idempotent: an id already in `sent` (kept in the actor's record) is not published again.
    """

    def __init__(
        self, topics: Topics, slack: SlackDelivery | None, silencer: Silencer, metrics: Metrics
    ) -> None:
        self.topics = topics
        self.slack = slack
        self.silencer = silencer
        self.metrics = metrics

    async def publish(self, result: DetectionResult, sent: list[str], rules: Sequence[RuleDef]) -> list[Any]:
        """Send what is new in `result` and add its ids to `sent`; returns the broker acknowledgements."""
        already = set(sent)
        acks: list[Any] = []
        for alert in result.alerts:
            if alert.id not in already:
                notify = self._notify(rules, alert.id, alert.rule_id)
                acks += await self._send(self.topics.alerts, "alert", alert.id, alert_to_dict(alert), notify)
                sent.append(alert.id)
        for update in result.updates:
            if update.id not in already:
                # keyed by its alert: the same partition as the alert, so they arrive in order
                notify = self.silencer.silencing(rules, update.alert_id) is None
                payload = update_to_dict(update)
                acks += await self._send(self.topics.updates, "update", update.alert_id, payload, notify)
                sent.append(update.id)
        del sent[:-SENT_IDS_KEPT]
        return acks

    def _notify(self, rules: Sequence[RuleDef], alert_id: str, rule_id: str) -> bool:
        silence = self.silencer.silencing(rules, alert_id)
        if silence is None:
            return True
        log.warning(
            "alert %s silenced by %s (%s); recorded, not notified", alert_id, silence.id, silence.comment
        )
        self.metrics.alerts_suppressed.labels(rule=rule_id, reason="silenced").inc()
        return False

    async def _send(
        self, topic: faust.TopicT, kind: str, key: str, payload: dict[str, Any], notify: bool
    ) -> list[Any]:
        acks = [await topic.send(key=key.encode("utf-8"), value=json_bytes(payload))]
        if self.slack and notify:
            acks.append(await self.slack.publish(kind, key, payload))
        return acks
