"""The on-disk outbox and the JSONL delivery log: order, dedupe, durability across reopen, dead letters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.errors import DeliveryError
from monitor.outbox import Outbox
from monitor.slack import JsonlDeliveryLog


def test_outbox_is_fifo_dedupes_and_survives_reopen(tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    assert box.put("alert", "alert:a", {"id": "a"})
    assert box.put("update", "update:u", {"id": "u"})
    assert not box.put("alert", "alert:a", {"id": "a"})  # already waiting
    first = box.peek()
    assert first is not None and first.key == "alert:a" and first.payload == {"id": "a"}
    box.remove(first)
    box.put("alert", "alert:b", {"id": "b"})
    box.close()

    again = Outbox(tmp_path)
    assert len(again) == 2
    keys = []
    while (entry := again.peek()) is not None:
        keys.append(entry.key)
        again.remove(entry)
    assert keys == ["update:u", "alert:b"]
    assert list((tmp_path / "pending").iterdir()) == []
    again.close()


def test_dead_letter_keeps_the_entry_with_its_error(tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    box.put("alert", "alert:a", {"id": "a"})
    entry = box.peek()
    assert entry is not None
    box.dead_letter(entry, "channel_not_found", "detail")
    assert len(box) == 0
    (record,) = box.dead_letters()
    assert (
        record["error"] == "channel_not_found"
        and record["payload"] == {"id": "a"}
        and record["key"] == "alert:a"
    )
    box.close()


def test_unreadable_entries_are_dead_lettered_on_open(tmp_path: Path) -> None:
    Outbox(tmp_path).close()
    (tmp_path / "pending" / "000000000007.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "pending" / "000000000009.tmp").write_text("half", encoding="utf-8")
    box = Outbox(tmp_path)
    assert len(box) == 0
    assert box.dead_letters()[0]["error"] == "corrupt_entry"
    assert list((tmp_path / "pending").iterdir()) == []
    box.put("alert", "k", {})
    entry = box.peek()
    assert entry is not None and entry.seq == 1
    box.close()


def test_a_second_process_cannot_share_the_outbox(tmp_path: Path) -> None:
    box = Outbox(tmp_path)
    with pytest.raises(DeliveryError, match="SLACK_OUTBOX_DIR"):
        Outbox(tmp_path)
    box.close()
    Outbox(tmp_path).close()  # free again once closed


def test_delivery_log_persists_and_skips_a_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "delivered.jsonl"
    log = JsonlDeliveryLog(path)
    log["alert:a"] = {"channel": "C1", "ts": "1.1"}
    log["alert:b"] = {"channel": "C1", "ts": "1.2"}
    del log["alert:b"]
    log.close()
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"key": "alert:c", "val')  # a crash mid-write
    again = JsonlDeliveryLog(path)
    assert dict(again) == {"alert:a": {"channel": "C1", "ts": "1.1"}}
    again["alert:d"] = {"ts": "2"}
    again.close()
    assert JsonlDeliveryLog(path).get("alert:d") == {"ts": "2"}


def test_delivery_log_compacts_and_evicts_the_oldest(tmp_path: Path) -> None:
    path = tmp_path / "delivered.jsonl"
    log = JsonlDeliveryLog(path, max_records=50)
    for i in range(400):
        log[f"alert:{i % 60}"] = {"n": i}
    assert len(log) == 50
    # the last 50 writes touched alert:50-59 and alert:0-39; alert:40-49 were written longest ago
    assert (
        log.get("alert:45") is None and log.get("alert:0") == {"n": 360} and log.get("alert:59") == {"n": 359}
    )
    log.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 2 * 50 + 101
    assert dict(JsonlDeliveryLog(path, max_records=50)) == dict(log)
    assert all("key" in json.loads(line) for line in lines)
