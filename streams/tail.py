"""`stance-monitor tail`: print what is on a topic (alerts by default), one JSON message per line."""

from __future__ import annotations

import sys
from collections.abc import Iterator

from kafka import KafkaConsumer

from streams.settings import StreamSettings


def messages(
    settings: StreamSettings, topic: str, *, from_beginning: bool, idle_exit: float | None
) -> Iterator[str]:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=settings.bootstrap_servers,
        group_id=None,  # a reader, not a member of the workers' group: commits nothing
        auto_offset_reset="earliest" if from_beginning else "latest",
        consumer_timeout_ms=int(idle_exit * 1000) if idle_exit else float("inf"),
        **settings.security.kafka_python(),
    )
    try:
        for message in consumer:
            yield message.value.decode("utf-8", errors="replace")
    finally:
        consumer.close()


def tail(settings: StreamSettings, topic: str, *, from_beginning: bool, idle_exit: float | None) -> int:
    count = 0
    for line in messages(settings, topic, from_beginning=from_beginning, idle_exit=idle_exit):
        sys.stdout.write(line.rstrip("\n") + "\n")
        sys.stdout.flush()
        count += 1
    return count
