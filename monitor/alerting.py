"""Alert delivery: the alert's JSON form, its readable text, and the generic sinks that send it.

Sinks share one small interface, `AlertSink` (`send(alert)`, `close()`); a sink may also take follow-ups
(`send_update(update)`, see `UpdateSink`):

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

from rich.console import Console

from monitor.errors import DeliveryError
from monitor.metrics import Metrics
from monitor.types import Alert, AlertUpdate, Evidence

if TYPE_CHECKING:
    from monitor.slack import SlackSettings

log = logging.getLogger(__name__)

__all__ = [
    "AlertSink",
    "FanOut",
    "JsonlSink",
    "StdoutSink",
    "UpdateSink",
    "alert_from_dict",
    "alert_to_dict",
    "build_sinks",
    "describe_counts",
    "escape_mrkdwn",
    "format_alert_text",
    "format_time",
    "send_all",
    "trim_words",
]

#: Evidence items shown per alert in text; the rest are counted ("... and 3 more").
MAX_EVIDENCE: Final = 10
#: Longest quote shown, in characters (cut before escaping, so an entity is never split).
MAX_QUOTE_CHARS: Final = 500


class AlertSink(Protocol):
    """Where alerts go."""

    def send(self, alert: Alert) -> None: ...

    def close(self) -> None: ...


@runtime_checkable
class UpdateSink(Protocol):
    """A sink that also takes follow-ups to alerts it was sent (more evidence, resolution). Optional."""

    def send_update(self, update: AlertUpdate) -> None: ...


def __getattr__(name: str) -> Any:
    # The Slack sink moved to monitor.slack; the old names still import from here (lazily, so importing
    # alerting does not import slack_sdk).
    if name in ("SlackSink", "SlackDeliveryError", "PERMANENT_SLACK_ERRORS"):
        import monitor.slack

        return getattr(monitor.slack, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ----------------------------------------------------------------------------------------------------
# JSON form


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    """The alert as a JSON-ready dict in the DESIGN.md key order, plus the count fields and p_value."""
    data = asdict(alert)
    for item in data["evidence"]:
        if item.get("explain") is None:  # present only when asked for
            item.pop("explain", None)
    return data


_REQUIRED_STR: Final = (
    "id", "rule_id", "title", "actor", "stance", "direction", "severity",
    "fired_at", "window_start", "window_end",
)  # fmt: skip


def _optional_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"alert: field {key!r} must be a string or null (got {value!r})")
    return value


def alert_from_dict(data: Mapping[str, Any]) -> Alert:
    """Build an Alert from `alert_to_dict` output (or a DESIGN.md alert without the count fields).

    Unknown keys are ignored. Raises ValueError naming the field that is missing or of the wrong type.
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"alert: expected a JSON object (got {type(data).__name__})")
    for key in _REQUIRED_STR:
        if not isinstance(data.get(key), str):
            raise ValueError(f"alert: field {key!r} must be a string (got {data.get(key)!r})")
    if data["direction"] not in ("rise", "fall"):
        raise ValueError(f"alert: direction must be rise or fall (got {data['direction']!r})")
    if data["severity"] not in ("info", "low", "medium", "high", "critical"):
        raise ValueError(f"alert: severity must be info|low|medium|high|critical (got {data['severity']!r})")
    target = data.get("target")
    channel = data.get("channel")
    if target is not None and not isinstance(target, str):
        raise ValueError(f"alert: field 'target' must be a string or null (got {target!r})")
    if channel is not None and not isinstance(channel, str):
        raise ValueError(f"alert: field 'channel' must be a string or null (got {channel!r})")
    evidence_raw = data.get("evidence") or []
    if not isinstance(evidence_raw, list):
        raise ValueError(f"alert: field 'evidence' must be a list (got {evidence_raw!r})")
    evidence = [_evidence_from_dict(item, f"alert: evidence[{i}]") for i, item in enumerate(evidence_raw)]
    labels_raw = data.get("labels") or {}
    if not isinstance(labels_raw, Mapping):
        raise ValueError(f"alert: field 'labels' must be an object (got {labels_raw!r})")

    def num(key: str, default: float) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"alert: field {key!r} must be a number (got {value!r})")
        return float(value)

    def count(key: str) -> int:
        value = data.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"alert: field {key!r} must be an integer (got {value!r})")
        return value

    return Alert(
        id=data["id"],
        rule_id=data["rule_id"],
        title=data["title"],
        actor=data["actor"],
        stance=data["stance"],
        target=target,
        direction=data["direction"],
        severity=data["severity"],
        fired_at=data["fired_at"],
        window_start=data["window_start"],
        window_end=data["window_end"],
        score=num("score", 0.0),
        baseline=num("baseline", 0.0),
        evidence=evidence,
        channel=channel,
        labels={str(k): str(v) for k, v in labels_raw.items()},
        window_count=count("window_count"),
        actor_name=_optional_str(data, "actor_name") or "",
        target_name=_optional_str(data, "target_name"),
        stance_label=_optional_str(data, "stance_label") or "",
        baseline_seconds=count("baseline_seconds"),
        window_total=count("window_total"),
        baseline_count=count("baseline_count"),
        baseline_total=count("baseline_total"),
        p_value=num("p_value", 1.0),
    )


def _evidence_from_dict(item: object, where: str) -> Evidence:
    if not isinstance(item, Mapping):
        raise ValueError(f"{where} must be an object (got {item!r})")
    url = item.get("url")
    return Evidence(
        article_id=str(item.get("article_id", "")),
        source=str(item.get("source") or ""),
        url=None if url is None else str(url),
        published_at=str(item.get("published_at", "")),
        quote=str(item.get("quote", "")),
        explain=dict(item["explain"]) if isinstance(item.get("explain"), Mapping) else None,
    )


def update_to_dict(update: AlertUpdate) -> dict[str, object]:
    return asdict(update)


def update_from_dict(data: Mapping[str, object]) -> AlertUpdate:
    evidence = data.get("evidence") or []
    kind = data.get("kind")
    if kind not in ("evidence", "resolved") or not isinstance(evidence, list):
        raise ValueError(f"update: bad kind or evidence (got kind={kind!r})")
    channel = data.get("channel")
    return AlertUpdate(
        id=str(data["id"]),
        alert_id=str(data["alert_id"]),
        rule_id=str(data.get("rule_id", "")),
        kind=kind,
        at=str(data.get("at", "")),
        evidence=[_evidence_from_dict(item, f"update: evidence[{i}]") for i, item in enumerate(evidence)],
        channel=None if channel is None else str(channel),
    )


# ----------------------------------------------------------------------------------------------------
# Readable text


def _parse_time(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_time(value: str) -> str:
    """Format "2025-06-16T09:23:41Z" as "2025-06-16 09:23 UTC"; return a non-time string unchanged."""
    parsed = _parse_time(value)
    return value if parsed is None else parsed.strftime("%Y-%m-%d %H:%M UTC")


def _fmt_span(span: timedelta) -> str:
    """24h -> "24 h", 14d -> "14 days", 90m -> "90 min"."""
    seconds = int(span.total_seconds())
    if seconds % 86400 == 0 and seconds > 2 * 86400:
        return f"{seconds // 86400} days"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    return f"{max(seconds // 60, 0)} min"


def _window_span(alert: Alert) -> timedelta | None:
    start, end = _parse_time(alert.window_start), _parse_time(alert.window_end)
    if start is None or end is None or end <= start:
        return None
    return end - start


def trim_words(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters: cut at a word boundary and ended with "…" if longer.

    A single word longer than half the limit is cut mid-word rather than leaving almost nothing.
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def describe_counts(alert: Alert) -> str:
    """The sentence behind the numbers, e.g.
    "expressed in 6 of 9 articles mentioning Russia in the last 24 h; baseline 0 of 41 over 14 days".

    For a `fall` alert, `window_count` is read as articles denying the stance ("denied in 3 of 9 ..."), and a
    window with none is "no longer expressed"; the baseline counts articles that expressed it.
    Without counts (all zero) it falls back to the score and baseline rates.
    """
    span = _window_span(alert)
    actor_name = alert.actor_name or alert.actor
    baseline_span = timedelta(seconds=alert.baseline_seconds) if alert.baseline_seconds > 0 else None
    in_window = f" in the last {_fmt_span(span)}" if span else " in the window"
    over = f" over {_fmt_span(baseline_span)}" if baseline_span else " before the window"
    if alert.window_total == 0 and alert.baseline_total == 0:
        return f"score {alert.score:.2f} in the window; baseline {alert.baseline:.2f}{over}"
    mentioning = f"articles mentioning {actor_name}{in_window}"
    if alert.direction == "rise":
        return (
            f"expressed in {alert.window_count} of {alert.window_total} {mentioning}; "
            f"baseline {alert.baseline_count} of {alert.baseline_total}{over}"
        )
    baseline = f"baseline: expressed in {alert.baseline_count} of {alert.baseline_total}{over}"
    if alert.window_count == 0:
        return f"no longer expressed: 0 of {alert.window_total} {mentioning}; {baseline}"
    return f"denied in {alert.window_count} of {alert.window_total} {mentioning}; {baseline}"


def format_alert_text(alert: Alert) -> str:
    """A readable multi-line plain-text rendering for a terminal or a log."""
    actor_name = alert.actor_name or alert.actor
    target = alert.target_name or alert.target
    stance = f"{alert.stance_label} ({alert.stance})" if alert.stance_label else alert.stance
    lines = [
        alert.title,
        f"severity: {alert.severity}",
        f"actor: {actor_name} ({alert.actor})  stance: {stance}"
        + (f"  target: {target}" if target else "")
        + f"  direction: {alert.direction}",
        describe_counts(alert),
        f"score {alert.score:.2f}, baseline {alert.baseline:.2f}, p = {alert.p_value:.3g}",
        f"window: {format_time(alert.window_start)} – {format_time(alert.window_end)}"
        f" (fired {format_time(alert.fired_at)})",
        f"rule: {alert.rule_id}  id: {alert.id}",
    ]
    if alert.labels:
        lines.append("labels: " + ", ".join(f"{k}={v}" for k, v in sorted(alert.labels.items())))
    if alert.evidence:
        lines.append("evidence:")
        for ev in alert.evidence[:MAX_EVIDENCE]:
            parts = [
                f'- "{trim_words(ev.quote, MAX_QUOTE_CHARS)}" — {ev.source or "unknown source"}',
                format_time(ev.published_at),
            ]
            if ev.url:
                parts.append(ev.url)
            lines.append(", ".join(parts))
        if len(alert.evidence) > MAX_EVIDENCE:
            lines.append(f"- ... and {len(alert.evidence) - MAX_EVIDENCE} more")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------
# Slack escaping


def escape_mrkdwn(text: str) -> str:
    """Escape Slack's control characters so text shows literally: `&`, `<`, `>` (in that order).

    After this no `<!channel>`, `<@U123>` or `<url|label>` in the input can form a mention or a link.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ----------------------------------------------------------------------------------------------------
# Sinks


class StdoutSink:
    """Prints each alert as readable text; article text is shown verbatim (no markup or emoji codes)."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console if console is not None else Console()

    def send(self, alert: Alert) -> None:
        text = format_alert_text(alert)
        self.console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)
        self.console.print()

    def send_update(self, update: AlertUpdate) -> None:
        """One line: "↳ alert-id: 2 more articles (Outlet, Outlet)" or "↳ alert-id: resolved at ..."."""
        if update.kind == "resolved":
            line = f"↳ {update.alert_id}: resolved {format_time(update.at)} (back at baseline)"
        else:
            n = len(update.evidence)
            outlets = ", ".join(dict.fromkeys(ev.source or "unknown source" for ev in update.evidence))
            line = f"↳ {update.alert_id}: {n} more article{'s' if n != 1 else ''} ({outlets})"
        self.console.print(line, markup=False, highlight=False, emoji=False, soft_wrap=True)

    def close(self) -> None:
        return None


class JsonlSink:
    """Appends one JSON line per alert to `path` and flushes it.

    Ids already in the file when it is opened (and ids written since) are not written again, so a replay or a
    restart does not duplicate alerts. It takes no updates (no `send_update`): the file holds only DESIGN.md
    alert lines, so every reader of it keeps working.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
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
        with self._lock:
            if alert.id in self._seen:
                log.debug("alert %s already in %s; not written again", alert.id, self.path)
                return
            self._file.write(json.dumps(alert_to_dict(alert), ensure_ascii=False) + "\n")
            self._file.flush()
            self._seen.add(alert.id)

    def close(self) -> None:
        with self._lock:
            if not self._file.closed:
                self._file.close()


class FanOut:
    """Sends each alert (and update) to every sink; a sink that fails is logged and skipped, never raised."""

    def __init__(self, sinks: Iterable[AlertSink]) -> None:
        self.sinks: list[AlertSink] = list(sinks)

    def send(self, alert: Alert) -> None:
        self.deliver(alert)

    def deliver(self, alert: Alert) -> list[tuple[AlertSink, Exception]]:
        """Send to every sink; return the (sink, error) pairs of those that failed."""
        return self._each(alert.id, lambda sink: sink.send(alert))

    def send_update(self, update: AlertUpdate) -> None:
        """Give the update to every sink that takes updates (`UpdateSink`); the others skip it."""
        self.deliver_update(update)

    def deliver_update(self, update: AlertUpdate) -> list[tuple[AlertSink, Exception]]:
        def send(sink: AlertSink) -> None:
            if isinstance(sink, UpdateSink):
                sink.send_update(update)

        return self._each(update.id, send)

    def _each(self, item_id: str, send: Callable[[AlertSink], None]) -> list[tuple[AlertSink, Exception]]:
        failures: list[tuple[AlertSink, Exception]] = []
        for sink in self.sinks:
            try:
                send(sink)
            except DeliveryError as exc:
                log.error("%s: %s failed: %s", item_id, type(sink).__name__, exc)
                failures.append((sink, exc))
            except Exception as exc:  # one broken sink must not stop the others
                log.exception("%s: %s failed unexpectedly", item_id, type(sink).__name__)
                failures.append((sink, exc))
        return failures

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
) -> list[AlertSink]:
    """Stdout (unless `stdout=False`), JSONL when `alerts_out` is given, Slack when `slack` is given (see
    `monitor.slack.slack_from_env`), with its outbox and delivery log in `slack.outbox_dir`."""
    sinks: list[AlertSink] = []
    if stdout:
        sinks.append(StdoutSink(console))
    if alerts_out is not None:
        sinks.append(JsonlSink(alerts_out))
    if slack is not None:
        from monitor.slack import SlackSink

        sinks.append(SlackSink.open(slack, slack.outbox_dir, metrics=metrics))
    return sinks


def send_all(sinks: Sequence[AlertSink], alert: Alert) -> list[tuple[AlertSink, Exception]]:
    """Send `alert` to every sink without raising; return the failures (see `FanOut.deliver`)."""
    return FanOut(sinks).deliver(alert)
