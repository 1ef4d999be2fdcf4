"""Worker state in Faust tables (changelog-backed, so a restarted worker or a moved partition recovers it).

`actor-state`: per actor, one record: the detection state (near-duplicate stories, repeated quotes, each rule's
baselines, cooldown and episode, and the ids of articles already counted), the ids of alerts and updates
already published, and the scored articles held until the event-time watermark passes them. Values are zlib-compressed JSON, base64 in a JSON string: a busy actor's two weeks of baseline
stay far below Kafka's message size limit.
"""

from __future__ import annotations

import asyncio
import base64
import json
import zlib
from typing import Any

import faust
from faust.types import FutureMessage

from streams.settings import StreamSettings

SENT_IDS_KEPT = 2000  # ids of published alerts/updates kept per actor: far more than one baseline produces


class DurableTable(faust.Table[str, Any]):
    """A Faust table whose changelog writes can be awaited.

    Faust flushes its producer before it commits a stream's offsets, but that flush gives up on its own buffer
    after 0.1 s (`ProducerBuffer.flush_atmost`), so the offset of the event that made a table write can be
    committed while the write still waits in that buffer; a kill -9 then loses the write. Agents await
    `written()` before they let an event go, so its writes are stored before its offset can be committed.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unsent: list[FutureMessage] = []

    def send_changelog(self, *args: Any, **kwargs: Any) -> FutureMessage:
        future: FutureMessage = super().send_changelog(*args, **kwargs)
        self.unsent.append(future)
        return future

    async def written(self) -> None:
        """Wait until every write so far is acknowledged by the broker."""
        futures, self.unsent = self.unsent, []
        if futures:
            await asyncio.gather(*futures)


def declare_table(app: faust.App, name: str, **options: Any) -> DurableTable:
    table = DurableTable(app, name=name, beacon=app.tables.beacon, **options)
    app.tables.add(table)
    return table


def declare_state_table(app: faust.App, settings: StreamSettings) -> DurableTable:
    return declare_table(
        app,
        "actor-state",
        default=None,
        partitions=settings.partitions,
        key_type=str,
        value_type=str,
        # the changelog partition comes from the key, like the scored topic's (both JSON-keyed by actor)
        use_partitioner=True,
        help="Per-actor detection state and published alert ids.",
    )


def encode_state(state: dict[str, Any]) -> str:
    raw = json.dumps(state, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 6)).decode("ascii")


def decode_state(value: str) -> dict[str, Any]:
    data = json.loads(zlib.decompress(base64.b64decode(value)))
    if not isinstance(data, dict):
        raise ValueError("actor-state: value is not an object")
    return data
