"""The worker's agents. Thin: they move bytes between topics and call monitor's two pipeline stages.

- `score`  (articles -> scored): parse (rejects -> dead-letter topic with the reason), embed and judge a batch
  in an executor so the event loop keeps heartbeating and committing, publish one message per actor named.
- `detect` (scored -> alerts, alert-updates): hold each scored article in its actor's `actor-state` record
  until the event-time watermark passes it (streams/ordering.py), then per actor, in event-time order: run
  `ActorDetection`, publish what is new, save the record.

Delivery is at least once: an event's offset is committed only after its batch was handled and everything it
produced, table writes included, was acknowledged by the broker. Effects are idempotent: an article counts once per detector (ids are
in the state), and an alert or update whose id is recorded as published is not published again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faust

from monitor.alerts import alert_to_dict, update_to_dict
from monitor.articles import Article, parse_article
from monitor.errors import ArticleError, RuleError
from monitor.metrics import Metrics
from monitor.pipeline import ActorDetection, ArticleScorer, ScoredArticle
from monitor.rules import RuleSet, load_rules, rules_stamp
from monitor.slack import SlackSettings
from streams.app import create_app
from streams.delivery import SlackDelivery
from streams.ordering import Mark, Watermarks, mark_message, parse_marks, parse_sources, progress_mark
from streams.sequence import InOrder
from streams.settings import StreamSettings
from streams.tables import (
    SENT_IDS_KEPT,
    declare_state_table,
    decode_state,
    encode_state,
)
from streams.topics import Topics, declare_topics

log = logging.getLogger("stance_monitor.worker")

LAG_EVERY = 5.0  # seconds between consumer-lag readings
RELOAD_EVERY = 5.0  # seconds between checks for edited rule files
MARKS_EVERY = 0.5  # seconds between progress marks (also sent after every scored batch)
STALL_CHECK_EVERY = 5.0  # seconds between checks for fetched offsets that never reached an agent


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _ingest_time(event: faust.EventT[bytes]) -> float:
    """When the article was produced to Kafka (the record's timestamp), in epoch seconds."""
    stamp = event.message.timestamp
    return float(stamp) if stamp else time.time()


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

    def __init__(
        self,
        settings: StreamSettings,
        rules: RuleSet,
        scoring: ArticleScorer,
        metrics: Metrics,
        slack: SlackSettings | None = None,
        rules_path: Path | None = None,
    ) -> None:
        self.settings = settings
        self.rules = [r for r in rules.rules if r.enabled]
        self.scoring = scoring
        self.metrics = metrics
        self.app = create_app(settings)
        self.topics: Topics = declare_topics(self.app, settings)
        self.state = declare_state_table(self.app, settings)
        self.holding: set[str] = set()  # actors of our partitions with articles held for the watermark
        self.holding_generation = -1
        # per actor: the table value we last wrote, and the record and detection it encodes
        self.live: dict[str, tuple[str, dict[str, Any], ActorDetection | None]] = {}
        # one thread: the model is the bottleneck, and batches keep their order
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed")
        # scoring progress per articles partition (for the marks)
        self.scored_through: dict[int, datetime] = {}  # newest event time scored
        self.next_offset: dict[int, int] = {}  # offset after the last event scored
        self.watermarks = Watermarks(sources=settings.partitions)
        self.in_order = InOrder(self.app, metrics)  # each partition's events once and in offset order
        self.app.agent(self.topics.articles, name="score")(self.score)
        self.app.agent(self.topics.scored, name="detect")(self.detect)
        self.app.timer(LAG_EVERY)(self.record_lag)
        self.app.timer(MARKS_EVERY)(self.send_marks)
        self.app.timer(STALL_CHECK_EVERY)(self.refetch_stalled)
        self.rules_path = rules_path
        self.rules_stamp = rules_stamp(rules_path) if rules_path else ()
        if rules_path is not None:
            self.app.timer(RELOAD_EVERY)(self.reload_rules)
        self.slack = (
            SlackDelivery(self.app, settings, slack, self.in_order, metrics=metrics) if slack else None
        )

    # -- stage 1 ------------------------------------------------------------------------------------

    async def score(self, stream: faust.StreamT[bytes]) -> None:
        settings = self.settings
        assert isinstance(stream, faust.Stream)
        async for batch in stream.take_events(settings.batch_size, within=settings.batch_within):
            events = await self.in_order.admit(settings.articles_topic, batch)
            pending: list[Any] = []
            parsed: dict[str, tuple[Article, faust.EventT[bytes]]] = {}  # by id: a re-sent id is scored once
            ingested: dict[str, float] = {}
            times: list[tuple[int, datetime]] = []
            for event in events:
                try:
                    article = parse_article(event.value, self.scoring.limits)
                except ArticleError as exc:
                    pending.append(await self._reject(event, exc.reason, str(exc)))
                else:
                    parsed.setdefault(article.id, (article, event))
                    ingested[article.id] = max(ingested.get(article.id, 0.0), _ingest_time(event))
                    times.append((event.message.partition, article.published_at))
            if parsed:
                for item in await self._score(list(parsed.values())):
                    message = {
                        **item.to_dict(),
                        "ingested_at": ingested[item.article_id],
                        "generation": self.app.consumer_generation_id,
                    }
                    pending.append(await self.topics.scored.send(key=item.actor, value=_json_bytes(message)))
                articles = [a for a, _ in parsed.values()]
                self.metrics.articles_processed.inc(len(articles))
                self.metrics.record_event_time(max(a.published_at for a in articles), datetime.now(UTC))
            await asyncio.gather(*pending)  # acknowledged by the broker before the offsets are committed
            self._record_progress(events, times)
            await self.send_marks()
            self.in_order.finished(settings.articles_topic)

    def _record_progress(
        self, events: Sequence[faust.EventT[bytes]], times: Sequence[tuple[int, datetime]]
    ) -> None:
        """After a batch was published: how far each articles partition has been scored (for the marks)."""
        offsets: dict[int, list[int]] = {}
        for event in events:
            offsets.setdefault(event.message.partition, []).append(event.message.offset)
        for partition, seen in offsets.items():
            log.debug(
                "scored articles[%d] offsets %d-%d (%d events)", partition, min(seen), max(seen), len(seen)
            )
            self.next_offset[partition] = max(self.next_offset.get(partition, 0), max(seen) + 1)
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
                await (await self._reject(event, "processing_error", f"article {article.id!r}: {exc!r}"))
        return scored

    async def _reject(self, event: faust.EventT[bytes], reason: str, error: str) -> Any:
        self.metrics.articles_rejected.labels(reason=reason).inc()
        log.warning(
            "%s[%s]@%s rejected (%s): %s",
            event.message.topic,
            event.message.partition,
            event.message.offset,
            reason,
            error,
        )
        record = dead_letter_record(event, reason, error)
        return await self.topics.dlq.send(key=event.key, value=_json_bytes(record))

    # -- stage 2 ------------------------------------------------------------------------------------
    #
    # One record per actor in the `actor-state` table holds its detection state, the ids already published
    # and the scored articles still held for the watermark, so a single changelog write moves all three
    # together: a kill between two writes cannot drop held articles or count them twice.

    async def detect(self, stream: faust.StreamT[bytes]) -> None:
        settings = self.settings
        assert isinstance(stream, faust.Stream)
        async for batch in stream.take_events(settings.batch_size, within=settings.batch_within):
            events = await self.in_order.admit(settings.scored_topic, batch)
            arrived: dict[str, tuple[int, list[dict[str, Any]]]] = {}
            for event in events:
                data = json.loads(event.value)
                marks = parse_marks(data)
                generation = int(data.get("generation", 0))
                if marks is not None:
                    self.watermarks.update(event.message.partition, marks, generation, parse_sources(data))
                else:
                    self.watermarks.seen(event.message.partition, generation)
                    data["held_at"] = time.time()
                    arrived.setdefault(str(data["actor"]), (event.message.partition, []))[1].append(data)
            await self._advance(arrived)
            self.in_order.finished(settings.scored_topic)

    def _owned_partitions(self) -> set[int]:
        """The scored-topic partitions this worker processes now (not its standby copies)."""
        return {
            tp.partition for tp in self.app.consumer.assignment() if tp.topic == self.settings.scored_topic
        }

    def _refresh_holding(self, owned: set[int]) -> None:
        """After a rebalance, find the actors of our partitions that hold articles (from the table)."""
        generation = self.app.consumer_generation_id
        if generation == self.holding_generation:
            return
        self.holding = set()
        for actor in list(self.state.keys()):
            record = decode_state(self.state[actor])
            if record.get("pending") and record.get("partition") in owned:
                self.holding.add(actor)
        self.holding_generation = generation

    async def _advance(self, arrived: dict[str, tuple[int, list[dict[str, Any]]]]) -> None:
        """Hold what arrived; detect, per actor in event-time order, what nothing unscored should precede.

        In three steps, so that a kill at any point loses nothing: publish the alerts and updates and wait for
        the broker; then write the actors' records (which say what was published); then wait until those
        writes are stored, before this batch's offsets can be committed.
        """
        owned = self._owned_partitions()
        self._refresh_holding(owned)
        published: list[Any] = []
        records: dict[str, tuple[dict[str, Any], ActorDetection | None]] = {}
        for actor in sorted(set(arrived) | self.holding):
            saved = self.state.get(actor)
            cached = self.live.get(actor)
            if cached is not None and saved is not None and cached[0] == saved:
                _, record, detection = cached  # what we wrote last: skip decoding and rebuilding it
            else:
                record, detection = (decode_state(saved) if saved else {"pending": []}), None
            if actor in arrived:
                record["partition"], items = arrived[actor]
                record["pending"] = record.get("pending", []) + items
            if record.get("partition") not in owned:  # moved to another worker
                self.holding.discard(actor)
                continue
            ready, later = self._split(int(record["partition"]), record["pending"])
            if ready:
                log.debug("release %s: %d of %d held", actor, len(ready), len(record["pending"]))
                detection, sent = await self._detect(record, actor, [item for item, _ in ready], detection)
                published += sent
                done = time.time()
                for _, ingested_at in ready:
                    self.metrics.end_to_end_latency.observe(max(0.0, done - ingested_at))
            record["pending"] = later
            if actor in arrived or ready:
                records[actor] = (record, detection)
            if later:
                self.holding.add(actor)
            else:
                self.holding.discard(actor)
        await asyncio.gather(*published)
        for actor, (record, detection) in records.items():
            encoded = encode_state(record)
            self.state[actor] = encoded
            self.live[actor] = (encoded, record, detection)
        await self.state.written()

    def _split(
        self, partition: int, held: list[dict[str, Any]]
    ) -> tuple[list[tuple[ScoredArticle, float]], list[dict[str, Any]]]:
        """In event-time order: the articles that may go now (with their ingest time), up to the first that
        must wait; the rest."""
        items = sorted(
            ((ScoredArticle.from_dict(d), d) for d in held),
            key=lambda pair: (pair[0].published_at, pair[0].article_id),
        )
        count = 0
        now = time.time()
        for item, data in items:
            blocking = self.watermarks.blocking(
                partition, item.published_at, float(data.get("ingested_at", 0.0))
            )
            if blocking:
                held_for = now - float(data.get("held_at", now))
                if held_for < self.settings.max_hold:
                    break
                # a bound on waiting: an articles partition that never reports (its owner is gone and nobody
                # took over, a broker quirk) must not hold detection back for ever; late data stays counted
                self.metrics.articles_released_unordered.inc()
                log.warning(
                    "article %s held %.0f s for articles partitions %s; released without their marks",
                    item.article_id,
                    held_for,
                    blocking,
                )
            count += 1
        ready = [(item, float(data.get("ingested_at", 0.0))) for item, data in items[:count]]
        return ready, [data for _, data in items[count:]]

    async def _detect(
        self, record: dict[str, Any], actor: str, items: list[ScoredArticle], detection: ActorDetection | None
    ) -> tuple[ActorDetection, list[Any]]:
        """Run the actor's detection on `items`, publish what was not published yet; update `record`."""
        if detection is None:
            if record.get("detection"):
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
            pending.append(
                await self.topics.alerts.send(key=alert.id.encode(), value=_json_bytes(alert_to_dict(alert)))
            )
            if self.slack:
                pending.append(await self.slack.publish("alert", alert.id, alert_to_dict(alert)))
            sent.append(alert.id)
        for update in result.updates:
            if update.id in already:
                continue
            key = update.alert_id.encode()  # with its alert's key: the same partition, in order
            pending.append(await self.topics.updates.send(key=key, value=_json_bytes(update_to_dict(update))))
            if self.slack:
                pending.append(await self.slack.publish("update", update.alert_id, update_to_dict(update)))
            sent.append(update.id)
        # acknowledged before the record is saved (see _advance): a kill in between republishes the same ids
        record["detection"] = detection.to_state()
        record["sent"] = sent[-SENT_IDS_KEPT:]
        return detection, pending

    async def send_marks(self) -> None:
        """Tell every scored partition how far each of our articles partitions has been scored."""
        consumer = self.app.consumer
        committed: dict[Any, int | None] = getattr(consumer, "_committed_offset", {})  # Faust keeps them here
        marks: dict[int, Mark] = {}
        for tp in consumer.assignment():
            if tp.topic != self.settings.articles_topic:
                continue
            partition = tp.partition
            try:
                highwater = consumer.highwater(tp)
            except Exception:  # not fetched yet, or just moved
                highwater = None
            # Caught up: everything the partition holds is scored. The high watermark is from the last fetch,
            # so the claim only covers what was ingested a margin before now.
            # Offsets count as scored once their batch's output is acknowledged (ours), or once committed (by
            # whoever owned the partition before); the fetch position is no proof: fetched is not scored.
            scored_to = max(self.next_offset.get(partition, 0), committed.get(tp) or 0)
            mark = progress_mark(
                scored_to,
                highwater,
                self.scored_through.get(partition),
                time.time(),
                self.settings.caught_up_margin,
            )
            if mark is not None:
                marks[partition] = mark
        if not marks:
            return
        log.debug("marks %s", marks)
        sources = consumer.topic_partitions(self.settings.articles_topic) or self.settings.partitions
        value = _json_bytes(mark_message(marks, self.app.consumer_generation_id, sources))
        for partition in range(self.settings.partitions):
            await self.topics.scored.send(value=value, partition=partition)

    async def reload_rules(self) -> None:
        """Load edited rule files; invalid ones are reported and the previous rules stay (as `run` does).

        Detectors of unchanged rules keep their state (ActorDetection.set_rules); the new rules apply to
        articles scored from now on.
        """
        assert self.rules_path is not None
        stamp = rules_stamp(self.rules_path)
        if stamp == self.rules_stamp:
            return
        self.rules_stamp = stamp
        try:
            ruleset = load_rules(self.rules_path)
        except RuleError as exc:
            self.metrics.rules_reload_failures.inc()
            log.error(
                "rule files changed but are invalid; keeping the previous rules:\n%s", "\n".join(exc.messages)
            )
            return
        # in the scoring thread, between batches: the scorer is never changed under a running batch
        await asyncio.get_running_loop().run_in_executor(self.executor, self.scoring.set_rules, ruleset)
        self.rules = [r for r in ruleset.rules if r.enabled]
        for _, _, detection in self.live.values():
            if detection is not None:
                detection.set_rules(self.rules)
        self.metrics.set_rules(self.rules)
        log.warning("reloaded rules from %s: %d active rules", self.rules_path, len(self.rules))

    # -- ops ----------------------------------------------------------------------------------------

    async def refetch_stalled(self) -> None:
        topics = [self.settings.articles_topic, self.settings.scored_topic]
        if self.slack:
            topics.append(self.settings.slack_topic)
        await self.in_order.refetch_stalled(topics)

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
