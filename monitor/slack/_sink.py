"""SlackSink: the in-process Slack sink. `send` only writes the alert to the outbox; a background thread
delivers it, so `run` and `replay` keep scoring while Slack is slow or down.

    send(alert) / send_update(update) ─► Outbox (fsynced file per entry) ─► drainer thread ─► SlackNotifier
                                                                     │ transient error: wait (backoff, Retry-After), retry
                                                                     └ permanent error: dead-letter.jsonl, next entry

Entries go oldest first, so an alert goes before its follow-ups, and on a restart whatever was left in the
outbox goes before anything new. The delivery log (delivered.jsonl, beside the outbox) makes a restart or a
replay of the same input send nothing twice.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Final

from monitor.alerts import (
    Alert,
    AlertUpdate,
    alert_from_dict,
    alert_to_dict,
    update_from_dict,
    update_to_dict,
)
from monitor.metrics import Metrics
from monitor.outbox import Outbox, OutboxEntry
from monitor.slack._delivery_log import JsonlDeliveryLog
from monitor.slack._errors import SlackPermanentError, SlackTransientError
from monitor.slack._notifier import SlackNotifier
from monitor.slack._retry import Backoff, Sleep, exponential_backoff, retry_wait
from monitor.slack._settings import SlackSettings

log = logging.getLogger(__name__)

DELIVERY_LOG: Final = "delivered.jsonl"


class SlackSink:
    """A `monitor.sinks.Sink` that never blocks on Slack: outbox on disk, delivered by a thread.

    `backoff(attempt)` is the wait after the n-th transient failure in a row (at least a 429's Retry-After);
    `sleep` waits it out (default: an interruptible wait; tests pass a fake clock's). `close()` gives the
    thread up to `close_timeout` seconds to empty the outbox; what is left is sent on the next start.
    """

    def __init__(
        self,
        notifier: SlackNotifier,
        outbox: Outbox,
        *,
        metrics: Metrics | None = None,
        backoff: Backoff = exponential_backoff,
        sleep: Sleep | None = None,
        close_timeout: float = 10.0,
    ) -> None:
        self.notifier = notifier
        self.outbox = outbox
        self._metrics = metrics
        self._backoff = backoff
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._changed = threading.Condition()
        self._sleep: Sleep = sleep if sleep is not None else self._interruptible_sleep
        self._close_timeout = close_timeout
        self._closing = False
        self._closed = False
        self._update_gauge()
        if len(outbox):
            log.warning(
                "%d Slack message(s) left in %s from before; sending them first",
                len(outbox),
                outbox.directory,
            )
        self._thread = threading.Thread(target=self._drain, name="slack-outbox", daemon=True)
        self._thread.start()

    @classmethod
    def open(
        cls,
        settings: SlackSettings,
        directory: Path | str,
        *,
        metrics: Metrics | None = None,
        sleep: Sleep | None = None,
        backoff: Backoff = exponential_backoff,
        close_timeout: float = 10.0,
    ) -> SlackSink:
        """A sink whose outbox and delivery log (delivered.jsonl) live in `directory`."""
        outbox = Outbox(directory)
        store = JsonlDeliveryLog(Path(directory) / DELIVERY_LOG)
        notifier = SlackNotifier(
            settings,
            store,
            metrics=metrics,
            sleep=sleep or time.sleep,
        )
        return cls(
            notifier, outbox, metrics=metrics, backoff=backoff, sleep=sleep, close_timeout=close_timeout
        )

    def __repr__(self) -> str:  # never show the token
        return f"SlackSink({self.notifier!r}, {self.outbox!r})"

    # -- Sink -------------------------------------------------------------------------------------------

    def send(self, alert: Alert) -> None:
        """Queue the alert (durably) unless it was delivered before; returns without waiting for Slack."""
        if self.notifier.delivered(alert.id):
            log.debug("alert %s already in Slack; not queued again", alert.id)
            return
        if self.outbox.put("alert", f"alert:{alert.id}", alert_to_dict(alert)):
            self._queued()

    def send_update(self, update: AlertUpdate) -> None:
        """Queue a follow-up (thread reply; "resolved" also edits the headline)."""
        if self.outbox.put("update", f"update:{update.id}", update_to_dict(update)):
            self._queued()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until the outbox is empty (True) or `timeout` seconds pass (False)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while len(self.outbox):
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._changed.wait(0.05 if remaining is None else min(remaining, 0.05))
        return True

    @property
    def pending(self) -> int:
        return len(self.outbox)

    def close(self) -> None:
        """Give the thread `close_timeout` seconds to empty the outbox, then stop; the rest stays on disk."""
        if self._closed:
            return
        self._closed = True
        self._closing = True
        self._wake.set()
        self._thread.join(self._close_timeout)
        if self._thread.is_alive():
            self._stop.set()
            self._wake.set()
            self._thread.join(self.notifier.settings.timeout + 1.0)
        left = len(self.outbox)
        if left:
            log.warning(
                "%d Slack message(s) wait in %s; they are sent on the next start", left, self.outbox.directory
            )
        if not self._thread.is_alive():
            self.outbox.close()
            close_store = getattr(self.notifier.store, "close", None)
            if callable(close_store):
                close_store()

    # -- the drainer thread -----------------------------------------------------------------------------

    def _queued(self) -> None:
        self._update_gauge()
        self._wake.set()

    def _interruptible_sleep(self, seconds: float) -> None:
        self._stop.wait(seconds)

    def _update_gauge(self) -> None:
        if self._metrics is not None:
            self._metrics.slack_outbox_pending.set(len(self.outbox))

    def _drain(self) -> None:
        failures_in_row = 0
        while not self._stop.is_set():
            self._wake.clear()
            entry = self.outbox.peek()
            if entry is None:
                if self._closing:
                    return
                self._wake.wait()
                continue
            try:
                self._deliver(entry)
            except SlackTransientError as exc:
                failures_in_row += 1
                wait = retry_wait(exc, failures_in_row, self._backoff)
                log.warning("Slack unavailable (%s); retrying %s in %.1f s", exc.code, entry.key, wait)
                self._sleep(wait)
                continue
            except SlackPermanentError as exc:
                self._dead_letter(entry, exc.code, str(exc))
            except Exception as exc:  # a bug must not wedge the outbox: keep the entry where a person sees it
                log.exception("delivering %s failed unexpectedly; moved to the dead-letter record", entry.key)
                self._dead_letter(entry, "internal_error", type(exc).__name__)
            else:
                self.outbox.remove(entry)
            failures_in_row = 0
            self._update_gauge()
            with self._changed:
                self._changed.notify_all()

    def _deliver(self, entry: OutboxEntry) -> None:
        if entry.kind == "alert":
            self.notifier.post_alert(alert_from_dict(entry.payload))
        elif entry.kind == "update":
            self.notifier.post_update(update_from_dict(entry.payload))
        else:
            raise SlackPermanentError("unknown_entry", entry.key, None, what=entry.kind)

    def _dead_letter(self, entry: OutboxEntry, code: str, detail: str) -> None:
        self.outbox.dead_letter(entry, code, detail)
        log.error(
            "%s could not be delivered (%s); kept in %s",
            entry.key,
            code,
            self.outbox.directory / "dead-letter.jsonl",
        )
