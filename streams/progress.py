"""The scoring stage's progress marks: how far each articles partition this worker owns has been scored.

Sent to every scored partition after each scored batch and on a timer (see streams/ordering.py for what a
mark claims and how the detection stage uses it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import datetime

import faust

from monitor.articles import Article
from streams.app import committed_offsets
from streams.ordering import Mark, mark_message, progress_mark
from streams.settings import StreamSettings
from streams.topics import json_bytes

log = logging.getLogger("stance_monitor.worker")


class ScoringProgress:
    def __init__(self, app: faust.App, settings: StreamSettings, scored: faust.TopicT) -> None:
        self.app = app
        self.settings = settings
        self.scored = scored
        self.scored_through: dict[int, datetime] = {}  # per articles partition: newest event time scored
        self.next_offset: dict[int, int] = {}  # per articles partition: offset after the last event scored

    def record(self, events: Sequence[faust.EventT[bytes]], articles: Sequence[tuple[int, Article]]) -> None:
        """After a batch's output was acknowledged: its events are scored, and its (partition, article)s."""
        for event in events:
            partition, offset = event.message.partition, event.message.offset
            self.next_offset[partition] = max(self.next_offset.get(partition, 0), offset + 1)
        for partition, article in articles:
            through = self.scored_through.get(partition)
            if through is None or article.published_at > through:
                self.scored_through[partition] = article.published_at

    async def send(self) -> None:
        """Tell every scored partition how far each of our articles partitions has been scored."""
        consumer = self.app.consumer
        topic = self.settings.articles_topic
        committed = committed_offsets(self.app, topic)
        marks: dict[int, Mark] = {}
        for tp in consumer.assignment():
            if tp.topic != topic:
                continue
            try:
                highwater = consumer.highwater(tp)
            except Exception:  # not fetched yet, or just moved
                highwater = None
            # Offsets count as scored once their batch's output is acknowledged (ours), or once committed (by
            # whoever owned the partition before); the fetch position is no proof: fetched is not scored.
            # The high watermark is from the last fetch, so "caught up" only covers what was ingested a margin
            # before now.
            scored_to = max(self.next_offset.get(tp.partition, 0), committed.get(tp.partition) or 0)
            mark = progress_mark(
                scored_to,
                highwater,
                self.scored_through.get(tp.partition),
                time.time(),
                self.settings.caught_up_margin,
            )
            if mark is not None:
                marks[tp.partition] = mark
        if not marks:
            return
        log.debug("marks %s", marks)
        sources = consumer.topic_partitions(topic) or self.settings.partitions
        value = json_bytes(mark_message(marks, self.app.consumer_generation_id, sources))
        for partition in range(self.settings.partitions):
            await self.scored.send(value=value, partition=partition)
