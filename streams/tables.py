"""Worker state in Faust tables (changelog-backed, so a restarted worker or a moved partition recovers it).

`actor-state`: per actor, one record: the detection state (near-duplicate stories, repeated quotes, each rule's
baselines, cooldown and episode, and the ids of articles already counted), the ids of alerts and updates
already published, and the scored articles held until the event-time watermark passes them. Values are zlib-compressed JSON, base64 in a JSON string: a busy actor's two weeks of baseline
stay far below Kafka's message size limit.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import faust
from faust.types import TableT

from streams.settings import StreamSettings

SENT_IDS_KEPT = 2000  # ids of published alerts/updates kept per actor: far more than one baseline produces


def declare_state_table(app: faust.App, settings: StreamSettings) -> TableT[str, str]:
    return app.Table(
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
