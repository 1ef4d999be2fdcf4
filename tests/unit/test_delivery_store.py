"""The worker's Slack delivery store over a table."""

from __future__ import annotations

from typing import Any

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
    assert table["alert:a2"]["ts"] == "2.0" and store.writes == {}


def test_apply_notes_when_and_from_which_partition_each_record_was_written() -> None:
    table: dict[str, Any] = {}
    store = TableStore(table, now=lambda: 500.0)  # type: ignore[arg-type]
    store["alert:a1"] = {"channel": "C1", "ts": "1.0"}
    store.apply(3)
    assert table["alert:a1"] == {"channel": "C1", "ts": "1.0", "_stored_at": 500.0, "_partition": 3}


def test_prune_deletes_the_threads_of_a_partition_that_were_quiet_past_the_retention() -> None:
    clock = [0.0]
    table: dict[str, Any] = {}
    store = TableStore(table, retention=100.0, now=lambda: clock[0])  # type: ignore[arg-type]

    def write(key: str, value: dict[str, Any], partition: int) -> None:
        store[key] = value
        store.apply(partition)

    write("alert:old", {"channel": "C1", "ts": "1.0"}, 0)
    write("update:old/evidence/a1", {"alert_id": "old", "ts": "1.1", "done": True}, 0)
    write("alert:busy", {"channel": "C1", "ts": "2.0"}, 0)
    write("alert:elsewhere", {"channel": "C1", "ts": "3.0"}, 1)
    table["alert:legacy"] = {"channel": "C1", "ts": "4.0"}  # written before records noted their partition
    clock[0] = 90.0
    write(
        "update:busy/evidence/a2", {"alert_id": "busy", "ts": "2.1", "done": True}, 0
    )  # its thread is alive

    clock[0] = 150.0
    assert store.prune(0) == 2
    assert sorted(table) == ["alert:busy", "alert:elsewhere", "alert:legacy", "update:busy/evidence/a2"]
    # the other partition is pruned in its own events only
    assert store.prune(1) == 1 and "alert:elsewhere" not in table
    # a partition is looked over at most every min(PRUNE_EVERY, retention / 4) seconds
    clock[0] = 195.0
    store.pruned_at[0] = 180.0
    assert store.prune(0) == 0 and "alert:busy" in table  # quiet for 105 s, but looked over 15 s ago
    clock[0] = 205.0
    assert store.prune(0) == 2
    assert sorted(table) == ["alert:legacy"]
