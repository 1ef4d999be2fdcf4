"""The in-process driver for a live stream (`stance-monitor run`): batches of new articles through the
pipeline, alerts to the sinks, edited rules and silences picked up, state saved, a clean stop on SIGTERM.

Sinks come in two kinds: those that keep a record of every alert (the `--alerts-out` file) and those that
notify people (stdout, Slack). An alert a silence mutes goes to the record only, and is counted.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from monitor.articles import Article
from monitor.errors import FileProblemsError, RuleError
from monitor.metrics import Metrics
from monitor.pipeline import BatchResult, Pipeline
from monitor.rules import RuleWatcher
from monitor.silences import Silencer
from monitor.sinks import FanOut

log = logging.getLogger("stance_monitor")


class Outlets:
    """Where a batch's alerts and updates go: every one to `record`, the unsilenced ones to `notify` too."""

    def __init__(self, notify: FanOut, record: FanOut, silencer: Silencer, metrics: Metrics | None) -> None:
        self.notify = notify
        self.record = record
        self.silencer = silencer
        self.metrics = metrics

    def send(self, result: BatchResult, pipeline: Pipeline) -> set[str]:
        """Send the batch's alerts and updates; return the ids of the alerts a silence muted."""
        rules = pipeline.detection.active_rules
        muted: set[str] = set()
        for alert in result.alerts:
            self.record.send(alert)
            silence = self.silencer.silencing(rules, alert.id)
            if silence is None:
                self.notify.send(alert)
                continue
            muted.add(alert.id)
            log.warning(
                "alert %s silenced by %s (%s); recorded, not notified", alert.id, silence.id, silence.comment
            )
            if self.metrics:
                self.metrics.alerts_suppressed.labels(rule=alert.rule_id, reason="silenced").inc()
        for update in result.updates:
            self.record.send_update(update)
            if self.silencer.silencing(rules, update.alert_id) is None:
                self.notify.send_update(update)
        return muted

    def close(self) -> None:
        self.notify.close()
        self.record.close()


class GracefulStop:
    """SIGTERM (how containers and systemd stop a process) asks the loop to stop after its current step."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self._previous = signal.signal(signal.SIGTERM, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        log.warning("SIGTERM: finishing the current batch, then stopping")
        self.requested.set()

    def restore(self) -> None:
        signal.signal(signal.SIGTERM, self._previous)


class LiveMonitor:
    def __init__(
        self,
        pipeline: Pipeline,
        outlets: Outlets,
        watcher: RuleWatcher,
        *,
        metrics: Metrics | None,
        state: Path | None,
        batch_size: int,
        reload_every: float,
        report: Callable[[str], None],
    ) -> None:
        self.pipeline = pipeline
        self.outlets = outlets
        self.watcher = watcher
        self.metrics = metrics
        self.state = state
        self.batch_size = batch_size
        self.reload_every = reload_every
        self.report = report  # one line for the operator (stderr)
        self.pending: list[Article] = []
        self.last_reload = time.monotonic()

    def run(self, items: Iterable[list[Article] | None], stop: GracefulStop) -> None:
        """`items`: each new line's articles, or None on an idle tick (what was gathered is processed then)."""
        for articles in items:
            if articles is not None:
                self.pending += articles
                if len(self.pending) < self.batch_size and not stop.requested.is_set():
                    continue
            self.flush()
            if stop.requested.is_set():
                return
            if time.monotonic() - self.last_reload >= self.reload_every:
                self.last_reload = time.monotonic()
                self.reload()
        self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        result = self.pipeline.process(self.pending, now=datetime.now(UTC))
        self.pending = []
        self.outlets.send(result, self.pipeline)
        if self.state is not None:
            save_state(self.state, self.pipeline.to_state())

    def reload(self) -> None:
        """Pick up edited rule and silence files; a broken edit is reported and the previous files stay."""
        try:
            edited = self.watcher.changed()
        except RuleError as exc:
            if self.metrics:
                self.metrics.rules_reload_failures.inc()
            self._problems("rule files changed but are invalid; keeping the previous rules:", exc)
        else:
            if edited is not None:
                self.pipeline.set_rules(edited)
                self.report(f"reloaded rules: {edited.describe()}")
        try:
            if self.outlets.silencer.reload():
                self.report(f"reloaded silences: {len(self.outlets.silencer.silences)}")
        except FileProblemsError as exc:
            self._problems("the silences file changed but is invalid; keeping the previous silences:", exc)

    def _problems(self, headline: str, exc: FileProblemsError) -> None:
        self.report(headline)
        for message in exc.messages:
            self.report(message)


def save_state(path: Path, state: dict[str, Any]) -> None:
    """Write then rename, so a crash mid-write never leaves a broken state file."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    tmp.replace(path)
