"""The topics the worker reads and writes. Values are raw bytes (UTF-8 JSON) so that a malformed article
reaches our parser, gets its reason and goes to the dead-letter topic instead of crashing a codec."""

from __future__ import annotations

from dataclasses import dataclass

import faust

from streams.settings import StreamSettings


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
