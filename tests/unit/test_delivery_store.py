"""The worker's Slack delivery store over a table, and the update message format it reads."""

from __future__ import annotations

import json
from typing import Any

from monitor.alerting import update_from_dict, update_to_dict
from monitor.types import AlertUpdate, Evidence
from streams.delivery import TableStore


def test_writes_wait_for_apply_but_reads_see_them() -> None:
    table: dict[str, Any] = {"alert:a1": {"channel": "C1", "ts": "1.0"}}
    store = TableStore(table)  # type: ignore[arg-type]  # a dict stands in for the Faust table
    store["alert:a2"] = {"channel": "C1", "ts": "2.0"}
    assert store.get("alert:a2") == {"channel": "C1", "ts": "2.0"}  # read your own write
    assert "alert:a2" not in table  # not yet: the table is written on the event loop, in the event
    assert store.get("alert:a1") == {"channel": "C1", "ts": "1.0"}
    assert store.get("alert:missing") is None
    store.apply()
    assert table["alert:a2"] == {"channel": "C1", "ts": "2.0"} and store.writes == {}


def test_updates_round_trip_through_json() -> None:
    update = AlertUpdate(
        id="r:2025-03-01T00:00:00Z/evidence/a9",
        alert_id="r:2025-03-01T00:00:00Z",
        rule_id="r",
        kind="evidence",
        at="2025-03-02T10:00:00Z",
        evidence=[Evidence("a9", "Wire", "https://example.org/9", "2025-03-02T10:00:00Z", "Russia offered <talks>.")],
        channel="#geo",
    )
    assert update_from_dict(json.loads(json.dumps(update_to_dict(update)))) == update
