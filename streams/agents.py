"""The worker's agents. Thin: they move bytes between topics and call monitor's two pipeline stages.

- `score`  (articles -> scored): parse (rejects -> dead-letter topic with the reason), embed and judge a batch
  in an executor so the event loop keeps heartbeating and committing, publish one message per actor named.
- `detect` (scored -> alerts, alert-updates): hold each scored article in the `pending` table until the
  event-time watermark passes it (streams/ordering.py), then per actor, in event-time order: load its state
  from the `actor-state` table, run `ActorDetection`, publish what is new, save the state.

Delivery is at least once: an event's offset is committed only after its batch was handled and everything it
produced was acknowledged by the broker. Effects are idempotent: an article counts once per detector (ids are
in the state), and an alert or update whose id is recorded as published is not published again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import faust

from monitor.alerting import alert_to_dict
from monitor.articles import Article, parse_article
from monitor.errors import ArticleError
from monitor.metrics import Metrics
from monitor.pipeline import ActorDetection, ArticleScorer, ScoredArticle
from monitor.rules import RuleSet
from monitor.types import AlertUpdate
from streams.app import create_app
from streams.ordering import CAUGHT_UP, Watermarks, mark_message, parse_marks
from streams.settings import StreamSettings
from streams.tables import (
    SENT_IDS_KEPT,
    declare_pending_table,
    declare_state_table,
    decode_state,
    encode_state,
)
from streams.topics import Topics, declare_topics

log = logging.getLogger("stance_monitor.worker")

LAG_EVERY = 5.0  # seconds between consumer-lag readings
MARKS_EVERY = 1.0  # seconds between progress marks (also sent after every scored batch)


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def update_to_dict(update: AlertUpdate) -> dict[str, Any]:
    return {
        "id": update.id,
        "alert_id": update.alert_id,
        "rule_id": update.rule_id,
        "kind": update.kind,
        "at": update.at,
        "evidence": [vars(e) for e in update.evidence],
        "channel": update.channel,
    }


def dead_letter_record(event: faust.EventT[bytes], reason: str, error: str) -> dict[str, Any]:
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
        "rejected_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


class StanceWorker:
    """Builds the Faust app with its topics, table and agents around one scorer (one model per process)."""

    def __init__(self, settings: StreamSettings, rules: RuleSet, scoring: ArticleScorer, metrics: Metrics) -> None:
        self.settings = settings
        self.rules = [r for r in rules.rules if r.enabled]
        self.scoring = scoring
        self.metrics = metrics
        self.app = create_app(settings)
        self.topics: Topics = declare_topics(self.app, settings)
        self.state = declare_state_table(self.app, settings)
        self.pending = declare_pending_table(self.app, settings)
        # one thread: the model is the bottleneck, and batches keep their order
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed")
        # scoring progress per articles partition (for the marks)
        self.scored_through: dict[int, datetime] = {}  # newest event time scored
        self.next_offset: dict[int, int] = {}  # offset after the last event scored
        self.quiet_checks: dict[int, int] = {}
        self.scoring_busy = False
        self.watermarks = Watermarks(sources=settings.partitions)
        self.app.agent(self.topics.articles, name="score")(self.score)
        self.app.agent(self.topics.scored, name="detect")(self.detect)
        self.app.timer(LAG_EVERY)(self.record_lag)
        self.app.timer(MARKS_EVERY)(self.send_marks)

    # -- stage 1 ------------------------------------------------------------------------------------

    async def score(self, stream: faust.StreamT[bytes]) -> None:
        settings = self.settings
        assert isinstance(stream, faust.Stream)
        async for events in stream.take_events(settings.batch_size, within=settings.batch_within):
            self.scoring_busy = True
            pending: list[Any] = []
            parsed: dict[str, tuple[Article, faust.EventT[bytes]]] = {}  # by id: a re-sent id is scored once
            times: list[tuple[int, datetime]] = []
            for event in events:
                try:
                    article = parse_article(event.value)
                except ArticleError as exc:
                    pending.append(await self._reject(event, exc.reason, str(exc)))
                else:
                    parsed.setdefault(article.id, (article, event))
                    times.append((event.message.partition, article.published_at))
            if parsed:
                for item in await self._score(list(parsed.values())):
                    pending.append(await self.topics.scored.send(key=item.actor, value=_json_bytes(item.to_dict())))
                articles = [a for a, _ in parsed.values()]
                self.metrics.articles_processed.inc(len(articles))
                self.metrics.record_event_time(max(a.published_at for a in articles), datetime.now(UTC))
            await asyncio.gather(*pending)  # acknowledged by the broker before the offsets are committed
            self._record_progress(events, times)
            self.scoring_busy = False
            await self.send_marks()

    def _record_progress(self, events: Sequence[faust.EventT[bytes]], times: Sequence[tuple[int, datetime]]) -> None:
        """After a batch was published: how far each articles partition has been scored (for the marks)."""
        for event in events:
            partition = event.message.partition
            self.next_offset[partition] = max(self.next_offset.get(partition, 0), event.message.offset + 1)
        for partition, published_at in times:
            if partition not in self.scored_through or published_at > self.scored_through[partition]:
                self.scored_through[partition] = published_at

    async def _score(self, batch: Sequence[tuple[Article, faust.EventT[bytes]]]) -> list[ScoredArticle]:
        loop = asyncio.get_running_loop()
        articles = [a for a, _ in batch]
        try:
            return await loop.run_in_executor(self.executor, self.scoring.score, articles)
        except Exception:
            log.exception("scoring a batch of %d articles failed; retrying one by one", len(articles))
        scored: list[ScoredArticle] = []
        for article, event in batch:
            try:
                scored += await loop.run_in_executor(self.executor, self.scoring.score, [article])
            except Exception as exc:  # this article cannot be scored: keep it in the dead-letter topic
                await self._reject(event, "processing_error", f"article {article.id!r}: {exc!r}")
        return scored

    async def _reject(self, event: faust.EventT[bytes], reason: str, error: str) -> Any:
        self.metrics.articles_rejected.labels(reason=reason).inc()
        log.warning(
            "%s[%s]@%s rejected (%s): %s",
            event.message.topic, event.message.partition, event.message.offset, reason, error,
        )
        record = dead_letter_record(event, reason, error)
        return await self.topics.dlq.send(key=event.key, value=_json_bytes(record))

    # -- stage 2 ------------------------------------------------------------------------------------

    async def detect(self, stream: faust.StreamT[bytes]) -> None:
        settings = self.settings
        assert isinstance(stream, faust.Stream)
        async for events in stream.take_events(settings.batch_size, within=settings.batch_within):
            arrived: dict[str, tuple[int, list[dict[str, Any]]]] = {}
            for event in events:
                data = json.loads(event.value)
                marks = parse_marks(data)
                if marks is not None:
                    self.watermarks.update(event.message.partition, marks)
                else:
                    arrived.setdefault(str(data["actor"]), (event.message.partition, []))[1].append(data)
            for actor, (partition, items) in arrived.items():
                held = self._held(actor)
                held["partition"] = partition
                held["items"] += items
                self.pending[actor] = encode_state(held)
            pending = await self._release()
            await asyncio.gather(*pending)

    def _held(self, actor: str) -> dict[str, Any]:
        saved = self.pending.get(actor)
        return decode_state(saved) if saved else {"partition": None, "items": []}

    async def _release(self) -> list[Any]:
        """Detect, per actor, the held articles the watermark of their partition has passed."""
        sent: list[Any] = []
        for actor in sorted(self.pending.keys()):
            held = self._held(actor)
            watermark = self.watermarks.watermark(int(held["partition"]))
            if watermark is None:
                continue
            items = [ScoredArticle.from_dict(d) for d in held["items"]]
            ready = [i for i in items if i.published_at <= watermark]
            if not ready:
                continue
            sent += await self._detect(actor, ready)
            later = [d for d, i in zip(held["items"], items, strict=True) if i.published_at > watermark]
            if later:
                held["items"] = later
                self.pending[actor] = encode_state(held)
            else:
                del self.pending[actor]
        return sent

    async def _detect(self, actor: str, items: list[ScoredArticle]) -> list[Any]:
        saved = self.state.get(actor)
        record = decode_state(saved) if saved else {}
        if record:
            detection = ActorDetection.from_state(record["detection"], self.rules, self.metrics)
        else:
            detection = ActorDetection(actor, self.rules, self.metrics)
        sent: list[str] = list(record.get("sent", []))
        already = set(sent)
        result = detection.process(items)
        pending: list[Any] = []
        for alert in result.alerts:
            if alert.id in already:
                continue
            pending.append(await self.topics.alerts.send(key=alert.id.encode(), value=_json_bytes(alert_to_dict(alert))))
            sent.append(alert.id)
        for update in result.updates:
            if update.id in already:
                continue
            key = update.alert_id.encode()  # with its alert's key: the same partition, in order
            pending.append(await self.topics.updates.send(key=key, value=_json_bytes(update_to_dict(update))))
            sent.append(update.id)
        # published first, saved second: a crash in between republishes (same ids), it never loses
        self.state[actor] = encode_state({"detection": detection.to_state(), "sent": sent[-SENT_IDS_KEPT:]})
        return pending

    async def send_marks(self) -> None:
        """Tell every scored partition how far each of our articles partitions has been scored."""
        consumer = self.app.consumer
        marks: dict[int, datetime | None] = {}
        for tp in consumer.assignment():
            if tp.topic != self.settings.articles_topic:
                continue
            partition = tp.partition
            try:
                highwater = consumer.highwater(tp)
                position = await consumer.position(tp)
            except Exception:  # not fetched yet, or just moved
                continue
            if highwater is None:
                continue
            if partition in self.next_offset:
                caught_up = self.next_offset[partition] >= highwater
            else:
                # nothing scored here yet: caught up once the fetch position has reached the end and the
                # scoring agent has been idle for two checks (so nothing fetched is still in its buffer)
                quiet = position is not None and position >= highwater and not self.scoring_busy
                self.quiet_checks[partition] = self.quiet_checks.get(partition, 0) + 1 if quiet else 0
                caught_up = self.quiet_checks[partition] >= 2
            if caught_up:
                marks[partition] = CAUGHT_UP
            elif partition in self.scored_through:
                marks[partition] = self.scored_through[partition]
        if not marks:
            return
        value = _json_bytes(mark_message(marks))
        for partition in range(self.settings.partitions):
            await self.topics.scored.send(value=value, partition=partition)

    # -- ops ----------------------------------------------------------------------------------------

    async def record_lag(self) -> None:
        """Kafka consumer lag from the fetch high watermark (broker end offsets can be wrong on some brokers)."""
        consumer = self.app.consumer
        for tp in consumer.assignment():
            try:
                position = await consumer.position(tp)
                highwater = consumer.highwater(tp)
            except Exception:  # not fetched yet, or the partition just moved
                continue
            if position is None or highwater is None:
                continue
            self.metrics.kafka_consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(
                max(0, highwater - position)
            )
