"""Slack delivery in the worker: an agent on an internal topic, with the delivery records in a Faust table.

The detection stage writes each new alert and update to `stance-monitor-slack` keyed by alert id, so an
alert and its follow-ups share a partition and arrive in order. The `slack` agent posts them one at a time
with monitor.slack's `SlackNotifier` (in an executor: slack-sdk is synchronous):

- delivered, or already delivered per the `slack-deliveries` table: the record is saved, the offset moves on;
- transient failure (5xx, timeouts, 429 beyond slack-sdk's own retries): wait with backoff and try again. The
  offset is not committed meanwhile, so an outage loses nothing; scoring and detection go on in their agents;
- permanent failure (`channel_not_found`, `invalid_auth`, ...): logged, counted, and the message goes to the
  dead-letter topic `stance-monitor-slack-dlq` with the error code; it is not retried forever.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import faust

from monitor.alerting import alert_from_dict, update_from_dict
from monitor.slack import SlackNotifier, SlackPermanentError, SlackSettings, SlackTransientError
from streams.sequence import InOrder
from streams.settings import StreamSettings
from streams.tables import DurableTable, declare_table

log = logging.getLogger("stance_monitor.worker")

MAX_BACKOFF = 60.0


class TableStore:
    """monitor.slack's DeliveryStore over a Faust table, safe to use from the notifier's thread.

    Reads see the table and this call's own writes; writes are kept until `apply()` runs them on the event
    loop, inside the agent's event (which puts them on the event's changelog partition).
    """

    def __init__(self, table: DurableTable) -> None:
        self.table = table
        self.writes: dict[str, dict[str, Any]] = {}

    def get(self, key: str, /) -> dict[str, Any] | None:
        if key in self.writes:
            return self.writes[key]
        value = self.table.get(key)
        return dict(value) if value is not None else None

    def __setitem__(self, key: str, value: dict[str, Any], /) -> None:
        self.writes[key] = value

    def apply(self) -> None:
        for key, value in self.writes.items():
            self.table[key] = value
        self.writes.clear()


class SlackDelivery:
    def __init__(
        self,
        app: faust.App,
        settings: StreamSettings,
        slack: SlackSettings,
        in_order: InOrder,
        *,
        metrics: Any = None,
        names: dict[str, str] | None = None,
        baseline_spans: dict[str, timedelta] | None = None,
    ) -> None:
        self.settings = settings
        self.in_order = in_order
        self.topic = app.topic(
            settings.slack_topic, partitions=settings.partitions, replicas=settings.replication,
            key_serializer="raw", value_serializer="raw",
        )
        self.dlq = app.topic(
            settings.slack_dlq_topic, partitions=settings.partitions, replicas=settings.replication,
            key_serializer="raw", value_serializer="raw",
        )
        self.table = declare_table(
            app, "slack-deliveries", default=None, partitions=settings.partitions, key_type=str,
            help="What is already in Slack: alert id -> channel and ts; update ids sent.",
        )
        self.store = TableStore(self.table)
        self.notifier = SlackNotifier(slack, self.store, metrics=metrics, names=names, baseline_span=baseline_spans)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slack")
        app.agent(self.topic, name="slack")(self.deliver)

    async def publish(self, kind: str, key: str, payload: dict[str, Any]) -> Any:
        """Queue an alert or update for Slack (called by the detection stage)."""
        value = json.dumps({"type": kind, kind: payload}, ensure_ascii=False).encode("utf-8")
        return await self.topic.send(key=key.encode("utf-8"), value=value)

    async def deliver(self, stream: faust.StreamT[bytes]) -> None:
        async for event in stream.events():
            if not await self.in_order.admit(self.settings.slack_topic, [event]):
                continue  # delivered already, or past offsets the consumer skipped (sought back to them)
            value = event.value
            message = json.loads(value)
            kind = message["type"]
            if kind == "alert":
                alert = alert_from_dict(message["alert"])
                await self._with_retries(functools.partial(self.notifier.post_alert, alert), alert.id, value)
            else:
                update = update_from_dict(message["update"])
                await self._with_retries(functools.partial(self.notifier.post_update, update), update.id, value)
            await self.table.written()  # stored before this message's offset can be committed

    async def _with_retries(self, post: Callable[[], Any], item_id: str, value: bytes) -> None:
        loop = asyncio.get_running_loop()
        delay = 1.0
        while True:
            try:
                await loop.run_in_executor(self.executor, post)
                self.store.apply()
                return
            except SlackTransientError as exc:
                self.store.apply()  # a resolved alert's thread reply may be in while its headline edit failed
                wait = max(exc.retry_after or 0.0, delay)
                log.warning("Slack delivery of %s failed (%s); retrying in %.0f s", item_id, exc.code, wait)
                await asyncio.sleep(wait)
                delay = min(MAX_BACKOFF, delay * 2)
            except SlackPermanentError as exc:
                self.store.apply()
                log.error("Slack refused %s (%s); kept in %s", item_id, exc.code, self.settings.slack_dlq_topic)
                record = {
                    "error": exc.code,
                    "id": item_id,
                    "value": value.decode("utf-8", errors="replace"),
                    "failed_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                }
                await self.dlq.send(key=item_id.encode("utf-8"), value=json.dumps(record).encode("utf-8"))
                return
