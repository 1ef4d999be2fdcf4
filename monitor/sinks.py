"""Where alerts and their follow-ups go: one small interface, `Sink`, and the generic sinks.

- `StdoutSink`: readable text on a rich Console (article text printed verbatim, never as markup).
- `JsonlSink`: one JSON line per alert (the DESIGN.md format); an id already in the file is not written again.
- `monitor.slack.SlackSink`: Block Kit messages, threads, an on-disk outbox (Slack code lives in monitor.slack).
- `FanOut`: sends to several sinks; one failing sink is logged, never raised, and never stops the others.

`build_sinks` builds the usual set: stdout, a JSONL file, Slack when it is configured.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rich.console import Console

from monitor.alerts import Alert, AlertUpdate, alert_to_dict, update_to_dict
from monitor.errors import DeliveryError
from monitor.metrics import Metrics
from monitor.render import format_alert_text, format_update_line

if TYPE_CHECKING:  # a type only: slack_sdk loads when Slack is configured
    from monitor.slack import SlackSettings

log = logging.getLogger(__name__)

__all__ = ["FanOut", "JsonlSink", "Sink", "StdoutSink", "build_sinks"]


class Sink(Protocol):
    """Where alerts go, and follow-ups to alerts it was sent (more evidence, resolution)."""

    def send(self, alert: Alert) -> None: ...

    def send_update(self, update: AlertUpdate) -> None: ...

    def close(self) -> None: ...


class StdoutSink:
    """Prints each alert as readable text; article text is shown verbatim (no markup or emoji codes)."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console if console is not None else Console()

    def send(self, alert: Alert) -> None:
        self._print(format_alert_text(alert))
        self.console.print()

    def send_update(self, update: AlertUpdate) -> None:
        self._print(format_update_line(update))

    def _print(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)

    def close(self) -> None:
        return None


class JsonlSink:
    """Appends one JSON line per alert (or, with `updates=True`, per follow-up or resolution) to `path`.

    Ids already in the file when it is opened (and ids written since) are not written again, so a replay or a
    restart does not duplicate lines. A file holds one kind only (DESIGN.md alert lines, or the update lines
    of the `alert-updates` topic), so every reader of it keeps working.
    """

    def __init__(self, path: Path | str, *, updates: bool = False) -> None:
        self.path = Path(path)
        self.updates = updates
        self._lock = threading.Lock()
        self._seen: set[str] = set()
        needs_newline = False
        if self.path.exists():
            with self.path.open("rb") as fh:
                data = fh.read()
            needs_newline = bool(data) and not data.endswith(b"\n")
            for lineno, raw in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw)
                except json.JSONDecodeError:
                    log.warning(
                        "%s:%d: not a JSON line; ignored when reading existing alert ids", self.path, lineno
                    )
                    continue
                if isinstance(record, dict) and isinstance(record.get("id"), str):
                    self._seen.add(record["id"])
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("a", encoding="utf-8")
        if needs_newline:  # a line cut short by a crash: start ours on a fresh line
            self._file.write("\n")
            self._file.flush()

    def __contains__(self, alert_id: object) -> bool:
        return alert_id in self._seen

    def send(self, alert: Alert) -> None:
        if not self.updates:
            self._write(alert.id, alert_to_dict(alert))

    def send_update(self, update: AlertUpdate) -> None:
        if self.updates:
            self._write(update.id, update_to_dict(update))

    def _write(self, item_id: str, record: dict[str, Any]) -> None:
        with self._lock:
            if item_id in self._seen:
                log.debug("%s already in %s; not written again", item_id, self.path)
                return
            self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._file.flush()
            self._seen.add(item_id)

    def close(self) -> None:
        with self._lock:
            if not self._file.closed:
                self._file.close()


class FanOut:
    """Sends each alert (and update) to every sink; a sink that fails is logged and skipped, never raised."""

    def __init__(self, sinks: Iterable[Sink]) -> None:
        self.sinks: list[Sink] = list(sinks)

    def send(self, alert: Alert) -> None:
        self._each(alert.id, lambda sink: sink.send(alert))

    def send_update(self, update: AlertUpdate) -> None:
        self._each(update.id, lambda sink: sink.send_update(update))

    def _each(self, item_id: str, send: Callable[[Sink], None]) -> None:
        for sink in self.sinks:
            try:
                send(sink)
            except DeliveryError as exc:
                log.error("%s: %s failed: %s", item_id, type(sink).__name__, exc)
            except Exception:  # one broken sink must not stop the others
                log.exception("%s: %s failed unexpectedly", item_id, type(sink).__name__)

    def close(self) -> None:
        for sink in self.sinks:
            try:
                sink.close()
            except Exception:
                log.exception("closing %s failed", type(sink).__name__)


def build_sinks(
    metrics: Metrics | None,
    console: Console | None,
    alerts_out: Path | None,
    slack: SlackSettings | None,
    *,
    stdout: bool = True,
) -> list[Sink]:
    """Stdout (unless `stdout=False`), JSONL when `alerts_out` is given, Slack when `slack` is given (see
    `monitor.slack.slack_from_env`), with its outbox and delivery log in `slack.outbox_dir`."""
    sinks: list[Sink] = []
    if stdout:
        sinks.append(StdoutSink(console))
    if alerts_out is not None:
        sinks.append(JsonlSink(alerts_out))
    if slack is not None:
        # Imported only when Slack is configured: slack_sdk is not loaded for a run that never uses it.
        from monitor.slack import SlackSink

        sinks.append(SlackSink.open(slack, slack.outbox_dir, metrics=metrics))
    return sinks
