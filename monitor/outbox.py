"""A small on-disk outbox: messages wait here, durably, until a deliverer has sent them.

One JSON file per entry under `<dir>/pending/`, named by a sequence number, so entries are taken oldest first.
An entry is written to a temporary file, fsynced and renamed into place (a crash never leaves half an entry),
and removed only after delivery. An entry that can never be delivered moves to `<dir>/dead-letter.jsonl`
with its error code, where a person can read it and send it again. A lock file keeps a second process off
the same directory.

Nothing here knows about Slack: an entry is (kind, key, payload), and `key` dedupes (putting a key that is
already waiting does nothing).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from monitor.errors import DeliveryError

log = logging.getLogger(__name__)

PENDING = "pending"
DEAD_LETTER = "dead-letter.jsonl"
LOCK = ".lock"


@dataclass(frozen=True)
class OutboxEntry:
    seq: int
    kind: str  # what the payload is, e.g. "alert" or "update"
    key: str  # the dedupe key, e.g. the alert id
    payload: dict[str, Any]
    enqueued_at: str


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Outbox:
    """Durable FIFO of entries in `directory` (created if missing). Thread-safe; one process per directory."""

    def __init__(self, directory: Path | str, *, now: Callable[[], datetime] = _utc_now) -> None:
        self.directory = Path(directory)
        self._pending_dir = self.directory / PENDING
        self._pending_dir.mkdir(parents=True, exist_ok=True)
        self._now = now
        self._lock = threading.Lock()
        self._lock_file: TextIO | None = self._take_lock()
        self._entries: dict[int, OutboxEntry] = {}
        self._keys: dict[str, int] = {}
        self._next_seq = 1
        self._load()

    def _take_lock(self) -> TextIO:
        handle = (self.directory / LOCK).open("a", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise DeliveryError(
                f"outbox {self.directory} is in use by another stance-monitor process; "
                "give each process its own folder (SLACK_OUTBOX_DIR)"
            ) from None
        return handle

    def _path(self, seq: int) -> Path:
        return self._pending_dir / f"{seq:012d}.json"

    def _load(self) -> None:
        for path in sorted(self._pending_dir.glob("*.json")):
            try:
                seq = int(path.stem)
                data = json.loads(path.read_text(encoding="utf-8"))
                entry = OutboxEntry(seq, str(data["kind"]), str(data["key"]), dict(data["payload"]),
                                    str(data.get("enqueued_at", "")))  # fmt: skip
            except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
                log.error("outbox entry %s is unreadable (%s); moved to %s", path, exc, DEAD_LETTER)
                raw = path.read_text(encoding="utf-8", errors="replace")
                self._append_dead_letter({"kind": "unreadable", "key": path.name, "error": "corrupt_entry",
                                          "raw": raw})  # fmt: skip
                path.unlink()
                continue
            self._next_seq = max(self._next_seq, seq + 1)
            if entry.key in self._keys:  # only after a crash between two writes; the older one wins
                path.unlink()
                continue
            self._entries[seq] = entry
            self._keys[entry.key] = seq
        for stray in self._pending_dir.glob("*.tmp"):  # a write that never finished
            stray.unlink()

    def put(self, kind: str, key: str, payload: dict[str, Any]) -> bool:
        """Store an entry durably (fsynced) before returning; False if `key` is already waiting."""
        with self._lock:
            if key in self._keys:
                return False
            seq = self._next_seq
            self._next_seq += 1
            entry = OutboxEntry(seq, kind, key, payload, self._now().isoformat().replace("+00:00", "Z"))
            record = {"kind": kind, "key": key, "payload": payload, "enqueued_at": entry.enqueued_at}
            final = self._path(seq)
            tmp = final.with_suffix(".tmp")
            with tmp.open("w", encoding="utf-8") as fh:
                json.dump(record, fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, final)
            fsync_dir(self._pending_dir)
            self._entries[seq] = entry
            self._keys[key] = seq
            return True

    def peek(self) -> OutboxEntry | None:
        """The oldest waiting entry, left in place."""
        with self._lock:
            return self._entries[min(self._entries)] if self._entries else None

    def remove(self, entry: OutboxEntry) -> None:
        """Drop a delivered entry."""
        with self._lock:
            if self._entries.pop(entry.seq, None) is None:
                return
            self._keys.pop(entry.key, None)
            self._path(entry.seq).unlink(missing_ok=True)
            fsync_dir(self._pending_dir)

    def dead_letter(self, entry: OutboxEntry, error: str, detail: str = "") -> None:
        """Move an entry that cannot be delivered to dead-letter.jsonl, with its error code."""
        with self._lock:
            self._append_dead_letter(
                {
                    "kind": entry.kind,
                    "key": entry.key,
                    "error": error,
                    "detail": detail,
                    "enqueued_at": entry.enqueued_at,
                    "dead_at": self._now().isoformat().replace("+00:00", "Z"),
                    "payload": entry.payload,
                }
            )
        self.remove(entry)

    def _append_dead_letter(self, record: dict[str, Any]) -> None:
        with (self.directory / DEAD_LETTER).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def dead_letters(self) -> list[dict[str, Any]]:
        """The records in dead-letter.jsonl (for tools and tests)."""
        path = self.directory / DEAD_LETTER
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._keys

    def close(self) -> None:
        """Release the directory lock (entries stay on disk for the next start)."""
        with self._lock:
            if self._lock_file is not None:
                fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
                self._lock_file.close()
                self._lock_file = None

    def __repr__(self) -> str:
        return f"Outbox({str(self.directory)!r}, pending={len(self._entries)})"
