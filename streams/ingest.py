"""`stance-monitor ingest`: produce articles to Kafka with kafka-python.

Each line is validated first: a bad line gets a clear `file:line:` error and is skipped, never sent. Good
lines are sent as they are (unknown fields kept), keyed by article id, with acks=all and one request in
flight per connection so the topic keeps the file's order within a partition. Missing topics are created
with the configured partitions.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from monitor.articles import parse_article
from monitor.errors import ArticleError
from monitor.limits import InputLimits
from streams.settings import StreamSettings


@dataclass
class IngestReport:
    sent: int = 0
    rejected: list[str] = field(default_factory=list)  # "file:line: reason: detail"


def read_lines(source: str) -> Iterator[tuple[str, str]]:
    """(where, line) from a JSONL file, every *.jsonl file in a folder (sorted), or stdin ("-")."""
    if source == "-":
        for n, line in enumerate(sys.stdin, start=1):
            yield f"<stdin>:{n}", line
        return
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"{source}: no such file or folder")
    files = sorted(p for p in path.iterdir() if p.suffix in (".jsonl", ".json")) if path.is_dir() else [path]
    for file in files:
        with file.open(encoding="utf-8", errors="replace") as handle:
            for n, line in enumerate(handle, start=1):
                yield f"{file}:{n}", line


def count_lines(source: str) -> int | None:
    if source == "-":
        return None
    path = Path(source)
    files = sorted(p for p in path.iterdir() if p.suffix in (".jsonl", ".json")) if path.is_dir() else [path]
    total = 0
    for file in files:
        with file.open("rb") as handle:
            total += sum(1 for line in handle if line.strip())
    return total


def ensure_topics(settings: StreamSettings, names: Iterable[str]) -> list[str]:
    """Create the topics that do not exist yet; return the ones created."""
    admin = KafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers,
        client_id=f"{settings.app_id}-admin",
        **settings.security.kafka_python(),
    )
    try:
        existing = set(admin.list_topics())
        missing = [n for n in dict.fromkeys(names) if n not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another process won the race
                admin.create_topics(
                    [
                        NewTopic(
                            n, num_partitions=settings.partitions, replication_factor=settings.replication
                        )
                        for n in missing
                    ]
                )
        return missing
    finally:
        admin.close()


def producer(settings: StreamSettings) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=settings.bootstrap_servers,
        client_id=f"{settings.app_id}-ingest",
        acks="all",
        retries=10,
        max_in_flight_requests_per_connection=1,  # retries cannot reorder
        linger_ms=5,
        **settings.security.kafka_python(),
    )


def ingest(
    lines: Iterable[tuple[str, str]],
    settings: StreamSettings,
    topic: str,
    *,
    on_reject: Callable[[str], None] | None = None,
    on_sent: Callable[[int], None] | None = None,
    limits: InputLimits | None = None,
) -> IngestReport:
    """Validate and send every line; report what was sent and what was rejected (with where and why)."""
    report = IngestReport()
    client = producer(settings)
    futures: list[Any] = []
    try:
        for where, line in lines:
            if not line.strip():
                continue
            try:
                article = parse_article(line, limits)
            except ArticleError as exc:
                message = f"{where}: rejected ({exc.reason}): {exc}"
                report.rejected.append(message)
                if on_reject:
                    on_reject(message)
                continue
            futures.append(
                client.send(topic, key=article.id.encode("utf-8"), value=line.strip().encode("utf-8"))
            )
            report.sent += 1
            if on_sent:
                on_sent(1)
        client.flush()
        for future in futures:
            future.get(timeout=30)  # raises the broker's error, if any
    except KafkaError as exc:
        raise RuntimeError(
            f"sending to {topic} on {','.join(settings.bootstrap_servers)} failed: {exc}"
        ) from exc
    finally:
        client.close()
    return report
