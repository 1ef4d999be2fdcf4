"""Slack delivery in the worker: an agent on an internal topic, with the delivery records in a Faust table.

The detection stage writes each new alert and update to `stance-monitor-slack` keyed by alert id, so an
alert and its follow-ups share a partition and arrive in order. The `slack` agent posts them one at a time
with monitor.slack's `SlackNotifier` (in an executor: slack-sdk is synchronous):

- delivered, or already delivered per the `slack-deliveries` table: the record is saved, the offset moves on;
- transient failure (5xx, timeouts, 429 beyond slack-sdk's own retries): wait as the in-process outbox does
  (monitor.slack.retry_wait) and try again. The offset is not committed meanwhile, so an outage loses nothing;
  scoring and detection go on in their agents;
- permanent failure (`channel_not_found`, `invalid_auth`, ...): logged, counted, and the message goes to the
  dead-letter topic `stance-monitor-slack-dlq` with the error code; it is not retried forever.

The table does not grow for ever: an alert's records (its headline and every reply in its thread) are deleted
once none of them was written for `STANCE_MONITOR_SLACK_RETENTION` seconds (30 days by default; keep it longer
than the Slack topic's own retention, or a message re-read from the topic after that would be posted again).
A table row can only be deleted while the agent handles a message of the row's partition (Faust writes the
deletion to that partition of the changelog), so each record notes its partition, and the records of a
partition are looked over when one of its messages is delivered, at most every `PRUNE_EVERY` seconds.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import faust

from monitor.alerts import alert_from_dict, update_from_dict
from monitor.slack import SlackNotifier, SlackPermanentError, SlackSettings, SlackTransientError, retry_wait
from streams.sequence import InOrder
from streams.settings import SLACK_RETENTION, StreamSettings
from streams.tables import DurableTable, declare_table

log = logging.getLogger("stance_monitor.worker")

PRUNE_EVERY = 3600.0  # seconds between looks over one partition's delivery records for old ones
# Kept in each record next to what the notifier writes: when it was stored, and the partition of its message.
STORED_AT = "_stored_at"
PARTITION = "_partition"


class TableStore:
    """monitor.slack's DeliveryStore over a Faust table, safe to use from the notifier's thread.

    Reads see the table and this call's own writes; writes are kept until `apply()` runs them on the event
    loop, inside the agent's event (which puts them on the event's changelog partition). `prune()` deletes the
    records of alerts whose thread has been quiet for `retention` seconds.
    """

    def __init__(
        self,
        table: DurableTable,
        retention: float = SLACK_RETENTION,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.table = table
        self.retention = retention
        self.now = now
        self.writes: dict[str, dict[str, Any]] = {}
        self.pruned_at: dict[int, float] = {}

    def get(self, key: str, /) -> dict[str, Any] | None:
        if key in self.writes:
            return self.writes[key]
        value = self.table.get(key)
        return dict(value) if value is not None else None

    def __setitem__(self, key: str, value: dict[str, Any], /) -> None:
        self.writes[key] = value

    def apply(self, partition: int | None = None) -> None:
        """Write what the notifier stored, noting when and (if known) the partition of the message."""
        stamp: dict[str, Any] = {STORED_AT: self.now()}
        if partition is not None:
            stamp[PARTITION] = partition
        for key, value in self.writes.items():
            self.table[key] = {**value, **stamp}
        self.writes.clear()

    def prune(self, partition: int) -> int:
        """Delete the records of `partition`'s alerts whose thread has been quiet for `retention` seconds.

        Call it inside an event of that partition. Returns how many records were deleted.
        """
        now = self.now()
        if now - self.pruned_at.get(partition, float("-inf")) < min(PRUNE_EVERY, self.retention / 4):
            return 0
        self.pruned_at[partition] = now
        groups: dict[str, list[str]] = {}  # alert id -> its records' keys
        latest: dict[str, float] = {}  # alert id -> when its thread was last written
        for key, value in list(self.table.items()):
            if not isinstance(value, dict) or value.get(PARTITION) != partition:
                continue  # another partition's, or written before records noted their partition
            alert_id = (
                key.removeprefix("alert:") if key.startswith("alert:") else str(value.get("alert_id", key))
            )
            groups.setdefault(alert_id, []).append(key)
            latest[alert_id] = max(latest.get(alert_id, 0.0), float(value.get(STORED_AT, now)))
        old = [
            key
            for alert_id, keys in groups.items()
            if now - latest[alert_id] > self.retention
            for key in keys
        ]
        for key in old:
            del self.table[key]
        return len(old)


class SlackDelivery:
    def __init__(
        self,
        app: faust.App,
        settings: StreamSettings,
        slack: SlackSettings,
        in_order: InOrder,
        *,
        metrics: Any = None,
    ) -> None:
        self.settings = settings
        self.in_order = in_order
        self.topic = app.topic(
            settings.slack_topic,
            partitions=settings.partitions,
            replicas=settings.replication,
            key_serializer="raw",
            value_serializer="raw",
        )
        self.dlq = app.topic(
            settings.slack_dlq_topic,
            partitions=settings.partitions,
            replicas=settings.replication,
            key_serializer="raw",
            value_serializer="raw",
        )
        self.table = declare_table(
            app,
            "slack-deliveries",
            default=None,
            partitions=settings.partitions,
            key_type=str,
            help="What is already in Slack: alert id -> channel and ts; update ids sent.",
        )
        self.store = TableStore(self.table, retention=settings.slack_retention)
        self.notifier = SlackNotifier(slack, self.store, metrics=metrics)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slack")
        app.agent(self.topic, name="slack")(self.deliver)

    async def publish(self, kind: str, key: str, payload: dict[str, Any]) -> Any:
        """Queue an alert or update for Slack (called by the detection stage)."""
        value = json.dumps({"type": kind, kind: payload}, ensure_ascii=False).encode("utf-8")
        return await self.topic.send(key=key.encode("utf-8"), value=value)

    async def deliver(self, stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            if not await self.in_order.admit(self.settings.slack_topic, [event]):
                self.in_order.finished(self.settings.slack_topic)
                continue  # delivered already, or past offsets the consumer skipped (sought back to them)
            partition = event.message.partition
            value = event.value
            message = json.loads(value)
            kind = message["type"]
            if kind == "alert":
                alert = alert_from_dict(message["alert"])
                await self._with_retries(
                    functools.partial(self.notifier.post_alert, alert), alert.id, value, partition
                )
            else:
                update = update_from_dict(message["update"])
                await self._with_retries(
                    functools.partial(self.notifier.post_update, update), update.id, value, partition
                )
            pruned = self.store.prune(partition)
            if pruned:
                log.info(
                    "deleted %d Slack delivery records of threads quiet for %.0f s",
                    pruned,
                    self.store.retention,
                )
            await self.table.written()  # stored before this message's offset can be committed
            self.in_order.finished(self.settings.slack_topic)

    async def _with_retries(
        self, post: Callable[[], Any], item_id: str, value: bytes, partition: int
    ) -> None:
        loop = asyncio.get_running_loop()
        failures = 0
        while True:
            try:
                await loop.run_in_executor(self.executor, post)
                self.store.apply(partition)
                return
            except SlackTransientError as exc:
                self.store.apply(
                    partition
                )  # a resolved alert's reply may be in while its headline edit failed
                failures += 1
                wait = retry_wait(exc, failures)
                log.warning("Slack delivery of %s failed (%s); retrying in %.1f s", item_id, exc.code, wait)
                await asyncio.sleep(wait)
            except SlackPermanentError as exc:
                self.store.apply(partition)
                log.error(
                    "Slack refused %s (%s); kept in %s", item_id, exc.code, self.settings.slack_dlq_topic
                )
                record = {
                    "error": exc.code,
                    "id": item_id,
                    "value": value.decode("utf-8", errors="replace"),
                    "failed_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
                await self.dlq.send(key=item_id.encode("utf-8"), value=json.dumps(record).encode("utf-8"))
                return
