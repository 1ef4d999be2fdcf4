"""The delivery log: which alerts went to Slack (channel, ts) and which updates were posted, across restarts.

The notifier needs only `DeliveryStore`: read a record by key, write a record. A plain dict (tests, one-off
sends), `JsonlDeliveryLog` (in-process, on disk) and a Faust table (the Kafka worker) all fit. Records are
small JSON objects that are always replaced whole, never mutated in place (a Faust table persists only
assignments).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any, Protocol

from monitor.outbox import fsync_dir

log = logging.getLogger(__name__)

Record = dict[str, Any]


class DeliveryStore(Protocol):
    """A string-keyed map of JSON records: all SlackNotifier reads and writes."""

    def get(self, key: str, /) -> Record | None: ...

    def __setitem__(self, key: str, value: Record, /) -> None: ...


class JsonlDeliveryLog(MutableMapping[str, Record]):
    """A `DeliveryStore` kept in a JSONL file: every write appends one line and fsyncs it.

    Line format: {"key": k, "value": {...}} or {"key": k, "deleted": true}; the last line for a key wins.
    A line cut short by a crash is skipped on load. When the file holds more than twice the live records it is
    rewritten (to a temporary file, fsynced, then renamed). At most `max_records` records are kept; the oldest
    written go first, so a record lives long after its alert's episode has ended.
    """

    def __init__(self, path: Path | str, *, max_records: int = 20_000) -> None:
        self.path = Path(path)
        self.max_records = max_records
        self._records: dict[str, Record] = {}
        self._lines = 0
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            self._load()
        self._file = self.path.open("a", encoding="utf-8")

    def _load(self) -> None:
        with self.path.open("rb") as fh:
            data = fh.read()
        for lineno, raw in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw)
                key = entry["key"]
            except (json.JSONDecodeError, KeyError, TypeError):
                log.warning("%s:%d: unreadable delivery-log line skipped", self.path, lineno)
                continue
            self._lines += 1
            self._records.pop(key, None)
            if not entry.get("deleted") and isinstance(entry.get("value"), dict):
                self._records[key] = entry["value"]
        while len(self._records) > self.max_records:  # evicted before the last compaction
            del self._records[next(iter(self._records))]
        if data and not data.endswith(b"\n"):  # a line cut short by a crash: start ours on a fresh line
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write("\n")

    def _append(self, entry: dict[str, Any]) -> None:
        self._file.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self._lines += 1

    def _compact_if_needed(self) -> None:
        while len(self._records) > self.max_records:
            del self._records[next(iter(self._records))]
        if self._lines <= 2 * len(self._records) + 100:
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for key, value in self._records.items():
                fh.write(json.dumps({"key": key, "value": value}, ensure_ascii=False, separators=(",", ":")))
                fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        self._file.close()
        os.replace(tmp, self.path)
        fsync_dir(self.path.parent)
        self._file = self.path.open("a", encoding="utf-8")
        self._lines = len(self._records)

    def __getitem__(self, key: str) -> Record:
        with self._lock:
            return dict(self._records[key])

    def __setitem__(self, key: str, value: Record) -> None:
        with self._lock:
            self._append({"key": key, "value": value})
            self._records.pop(key, None)  # re-insert: the newest record is the last to be evicted
            self._records[key] = dict(value)
            self._compact_if_needed()

    def __delitem__(self, key: str) -> None:
        with self._lock:
            if key not in self._records:
                raise KeyError(key)
            self._append({"key": key, "deleted": True})
            del self._records[key]

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(list(self._records))

    def __len__(self) -> int:
        return len(self._records)

    def close(self) -> None:
        with self._lock:
            if not self._file.closed:
                self._file.close()

    def __repr__(self) -> str:
        return f"JsonlDeliveryLog({str(self.path)!r}, records={len(self._records)})"
