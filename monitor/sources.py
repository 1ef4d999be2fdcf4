"""Where `run` reads articles from: a growing file, a folder of new files, or stdin.

Each source yields raw lines with a location ("file:line") for error messages. Following stops
after `idle_exit` seconds without new data when that is set (used by tests and batch jobs).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RawLine:
    where: str
    text: str


def follow(source: str, *, poll: float = 0.5, idle_exit: float | None = None) -> Iterator[RawLine | None]:
    """Yield lines from `source` as they appear; yield None when there is nothing new (a chance to flush)."""
    if source == "-":
        yield from _stdin()
        return
    path = Path(source)
    if path.is_dir():
        yield from _folder(path, poll, idle_exit)
    else:
        yield from _file(path, poll, idle_exit)


def _stdin() -> Iterator[RawLine | None]:
    for number, line in enumerate(sys.stdin, start=1):
        yield RawLine(f"<stdin>:{number}", line)
    yield None


class _Tail:
    """Reads whole lines appended to one file; a partial last line waits until its newline arrives."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.line = 0
        self._partial = ""

    def read(self) -> list[RawLine]:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return []
        if size < self.offset:  # truncated or replaced: start again
            self.offset, self.line, self._partial = 0, 0, ""
        if size == self.offset:
            return []
        with self.path.open("r", encoding="utf-8", errors="replace") as handle:
            handle.seek(self.offset)
            chunk = handle.read()
            self.offset = handle.tell()
        text = self._partial + chunk
        lines = text.split("\n")
        self._partial = lines.pop()  # "" when the chunk ended with a newline
        out = []
        for line in lines:
            self.line += 1
            out.append(RawLine(f"{self.path}:{self.line}", line))
        return out


def _file(path: Path, poll: float, idle_exit: float | None) -> Iterator[RawLine | None]:
    tail = _Tail(path)
    yield from _loop(tail.read, poll, idle_exit)


def _folder(folder: Path, poll: float, idle_exit: float | None) -> Iterator[RawLine | None]:
    tails: dict[Path, _Tail] = {}

    def read() -> list[RawLine]:
        for path in sorted(folder.glob("*.jsonl")):
            if path not in tails:
                tails[path] = _Tail(path)
        out: list[RawLine] = []
        for tail in tails.values():
            out += tail.read()
        return out

    yield from _loop(read, poll, idle_exit)


def _loop(
    read: Callable[[], list[RawLine]], poll: float, idle_exit: float | None
) -> Iterator[RawLine | None]:
    last_data = time.monotonic()
    while True:
        lines = read()
        if lines:
            last_data = time.monotonic()
            yield from lines
            continue
        yield None
        if idle_exit is not None and time.monotonic() - last_data >= idle_exit:
            return
        time.sleep(poll)
