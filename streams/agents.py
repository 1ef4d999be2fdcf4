"""The Faust driver of monitor's two stages (monitor/pipeline.py): the worker keeps only what Kafka needs.

- `score`  (articles -> scored): parse (rejects -> dead-letter topic with the reason), run stage 1
  (`ArticleScorer`) on a batch in an executor so the event loop keeps heartbeating, publish one message per
  actor named, then progress marks (streams/progress.py).
- `detect` (scored -> alerts, updates): hold each scored article in its actor's record until the event-time
  watermark passes it (streams/holding.py), then run stage 2 (`Detection`) per actor in event-time order and
  publish what is new (streams/topics.py `Outputs`).

Delivery is at least once: an event's offset is committed only after its batch was handled and everything it
produced, table writes included, was acknowledged by the broker. Effects are idempotent: an article counts
once per detector (ids are in the state), and an id recorded as published is not published again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import faust

from monitor.articles import Article, parse_article
from monitor.errors import ArticleError, FileProblemsError, RuleError
from monitor.metrics import Metrics
from monitor.pipeline import ActorDetection, ArticleScorer, Detection, ScoredArticle
from monitor.rules import RuleSet, RuleWatcher
from monitor.silences import Silencer
from monitor.slack import SlackSettings
from streams.app import ConsumerLag, create_app
from streams.delivery import SlackDelivery
from streams.holding import ActorRecord, ActorStates, arrivals
from streams.ordering import Watermarks
from streams.progress import ScoringProgress
from streams.sequence import InOrder
from streams.settings import StreamSettings
from streams.tables import declare_state_table
from streams.topics import Outputs, dead_letter_record, declare_topics, ingest_time, json_bytes

log = logging.getLogger("stance_monitor.worker")

LAG_EVERY = 5.0  # seconds between consumer-lag readings
RELOAD_EVERY = 5.0  # seconds between checks for edited rule files
MARKS_EVERY = 0.5  # seconds between progress marks (also sent after every scored batch)
STALL_CHECK_EVERY = 5.0  # seconds between checks for fetched offsets that never reached an agent


class StanceWorker:
    """The Faust app with its topics, tables and agents around one scorer (one model per process)."""

    def __init__(
        self,
        settings: StreamSettings,
        rules: RuleSet,
        scoring: ArticleScorer,
        metrics: Metrics,
        slack: SlackSettings | None = None,
        rules_path: Path | None = None,
        silencer: Silencer | None = None,
    ) -> None:
        self.settings, self.scoring, self.metrics = settings, scoring, metrics
        self.silencer = silencer or Silencer(None)
        self.detection = Detection(rules, metrics)
        self.app = app = create_app(settings)
        self.topics = declare_topics(app, settings)
        self.in_order = InOrder(app, metrics)  # each partition's events once and in offset order
        self.slack = SlackDelivery(app, settings, slack, self.in_order, metrics=metrics) if slack else None
        self.outputs = Outputs(self.topics, self.slack, self.silencer, metrics)
        self.progress = ScoringProgress(app, settings, self.topics.scored)
        self.watermarks = Watermarks(sources=settings.partitions)
        self.states = ActorStates(
            declare_state_table(app, settings), self.detection, metrics, settings.max_hold
        )
        # one thread: the model is the bottleneck, batches keep their order, rules change between batches
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed")
        self.watcher = RuleWatcher(rules_path) if rules_path else None
        app.agent(self.topics.articles, name="score")(self.score)
        app.agent(self.topics.scored, name="detect")(self.detect)
        app.timer(MARKS_EVERY)(self.progress.send)
        app.timer(LAG_EVERY)(ConsumerLag(app, metrics).record)
        app.timer(STALL_CHECK_EVERY)(self.refetch_stalled)
        app.timer(RELOAD_EVERY)(self.reload_files)
        # /readyz: the consumer joined its group and recovered its tables (a rebalance began and ended)
        metrics.health.require("consumer", lambda: app.rebalancing_count > 0 and not app.rebalancing)

    async def score(self, stream: faust.StreamT[bytes]) -> None:
        topic = self.settings.articles_topic
        assert isinstance(stream, faust.Stream)
        async for batch in stream.take_events(self.settings.batch_size, within=self.settings.batch_within):
            events = await self.in_order.admit(topic, batch)
            acks: list[Any] = []
            parsed: dict[str, tuple[Article, faust.EventT[bytes]]] = {}  # by id: a re-sent id is scored once
            ingested: dict[str, float] = {}  # by id: the latest time it was sent (see streams/ordering.py)
            for event in events:
                try:
                    article = parse_article(event.value, self.scoring.limits)
                except ArticleError as exc:
                    acks.append(await self.dead_letter(event, exc.reason, str(exc)))
                else:
                    parsed.setdefault(article.id, (article, event))
                    ingested[article.id] = max(ingested.get(article.id, 0.0), ingest_time(event))
            generation = self.app.consumer_generation_id
            for item in await self._score(list(parsed.values())):
                message = {
                    **item.to_dict(),
                    "ingested_at": ingested[item.article_id],
                    "generation": generation,
                }
                acks.append(await self.topics.scored.send(key=item.actor, value=json_bytes(message)))
            await asyncio.gather(*acks)  # acknowledged by the broker before the offsets are committed
            self.progress.record(events, [(e.message.partition, a) for a, e in parsed.values()])
            await self.progress.send()
            self.in_order.finished(topic)

    async def _score(self, batch: list[tuple[Article, faust.EventT[bytes]]]) -> list[ScoredArticle]:
        """Stage 1 in the executor; if the batch fails, article by article (what still fails is dead-lettered)."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.executor, self.scoring.score, [a for a, _ in batch])
        except Exception:
            log.exception("scoring a batch of %d articles failed; retrying one by one", len(batch))
        scored: list[ScoredArticle] = []
        for article, event in batch:
            try:
                scored += await loop.run_in_executor(self.executor, self.scoring.score, [article])
            except Exception as exc:  # this article cannot be scored: keep it in the dead-letter topic
                await (await self.dead_letter(event, "processing_error", f"article {article.id!r}: {exc!r}"))
        return scored

    async def dead_letter(self, event: faust.EventT[bytes], reason: str, error: str) -> Any:
        self.metrics.articles_rejected.labels(reason=reason).inc()
        where = f"{event.message.topic}[{event.message.partition}]@{event.message.offset}"
        log.warning("%s rejected (%s): %s", where, reason, error)
        return await self.topics.dlq.send(
            key=event.key, value=json_bytes(dead_letter_record(event, reason, error))
        )

    async def detect(self, stream: faust.StreamT[bytes]) -> None:
        """Per batch, in three steps so that a kill at any point loses nothing: publish the alerts and updates
        and wait for the broker; then write the actors' records (which say what was published); then wait until
        those writes are stored, before this batch's offsets can be committed."""
        topic = self.settings.scored_topic
        assert isinstance(stream, faust.Stream)
        async for batch in stream.take_events(self.settings.batch_size, within=self.settings.batch_within):
            arrived = arrivals(await self.in_order.admit(topic, batch), self.watermarks)
            owned = {tp.partition for tp in self.app.consumer.assignment() if tp.topic == topic}
            generation = self.app.consumer_generation_id
            acks: list[Any] = []
            changed: dict[str, tuple[ActorRecord, ActorDetection]] = {}
            for actor, record, detection, ready in self.states.release(
                arrived, owned, generation, self.watermarks
            ):
                if ready:
                    result = detection.process(h.item for h in ready)
                    acks += await self.outputs.publish(result, record.sent, self.detection.active_rules)
                    done = time.time()
                    for held in ready:
                        self.metrics.end_to_end_latency.observe(max(0.0, done - held.ingested_at))
                changed[actor] = (record, detection)
            await asyncio.gather(*acks)
            await self.states.save(changed)
            self.in_order.finished(topic)

    async def reload_files(self) -> None:
        """Load edited rule and silence files; invalid ones are reported and the previous ones stay (as `run`
        does). Detectors of unchanged rules keep their state; new rules apply to articles scored from now on."""
        try:
            edited = self.watcher.changed() if self.watcher else None
        except RuleError as exc:
            self.metrics.rules_reload_failures.inc()
            log.error(
                "rule files changed but are invalid; keeping the previous rules:\n%s", "\n".join(exc.messages)
            )
            edited = None
        if edited is not None:
            # the scorer changes in its own thread, between batches, never under a running one
            await asyncio.get_running_loop().run_in_executor(self.executor, self.scoring.set_rules, edited)
            self.detection.set_rules(edited)
            log.warning("reloaded rules: %s", edited.describe())
        try:
            if self.silencer.reload():
                log.warning("reloaded silences: %d", len(self.silencer.silences))
        except FileProblemsError as exc:
            log.error("the silences file changed but is invalid; keeping the previous one:\n%s", exc)

    async def refetch_stalled(self) -> None:
        topics = [self.settings.articles_topic, self.settings.scored_topic]
        if self.slack:
            topics.append(self.settings.slack_topic)
        await self.in_order.refetch_stalled(topics)
