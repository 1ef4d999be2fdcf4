"""Alert delivery: the alert's JSON form, its readable text, and the sinks that send it.

This is the only core module that imports slack_sdk. Sinks share one small interface, `AlertSink`
(`send(alert)`, `close()`):

- `StdoutSink`: readable text on a rich Console (article text printed verbatim, never as markup).
- `JsonlSink`: one JSON line per alert (the DESIGN.md format); an id already in the file is not written again.
- `SlackSink`: `chat.postMessage` with retries on 429/5xx/connection errors; every piece of article and rule
  text escaped, so a quoted sentence can never ping `<!channel>` or hide a link.
- `FanOut`: sends to several sinks; one failing sink is logged, never raised, and never stops the others.

`sinks_from_env` builds the usual set from the DESIGN.md environment variables.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final, Protocol
from urllib.error import URLError

from rich.console import Console
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import (
    BackoffRetryIntervalCalculator,
    ConnectionErrorRetryHandler,
    HttpRequest,
    HttpResponse,
    Jitter,
    RateLimitErrorRetryHandler,
    RetryHandler,
    RetryState,
)

from monitor.errors import DeliveryError
from monitor.metrics import Metrics
from monitor.types import Alert, Evidence

log = logging.getLogger(__name__)

__all__ = [
    "PERMANENT_SLACK_ERRORS",
    "AlertSink",
    "FanOut",
    "JsonlSink",
    "SlackDeliveryError",
    "SlackSink",
    "StdoutSink",
    "alert_from_dict",
    "alert_to_dict",
    "escape_mrkdwn",
    "format_alert_text",
    "format_slack_text",
    "send_all",
    "sinks_from_env",
]

#: Slack error codes that retrying cannot fix; `SlackDeliveryError.permanent` is true for them.
PERMANENT_SLACK_ERRORS: Final = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "is_archived",
    }
)

#: Evidence items shown per alert in text and Slack; the rest are counted ("... and 3 more").
MAX_EVIDENCE: Final = 10
#: Longest quote shown, in characters (cut before escaping, so an entity is never split).
MAX_QUOTE_CHARS: Final = 500

NameLookup = Callable[[str], str]


class AlertSink(Protocol):
    """Where alerts go."""

    def send(self, alert: Alert) -> None: ...

    def close(self) -> None: ...


class SlackDeliveryError(DeliveryError):
    """A Slack delivery that failed; `code` is the Slack error code, "http_5xx", "connection", "no_channel"...

    `permanent` is true for errors that retrying cannot fix (`PERMANENT_SLACK_ERRORS`, "no_channel").
    The message names the alert, the channel and the code; never the token.
    """

    def __init__(self, code: str, alert_id: str, channel: str | None) -> None:
        self.code = code
        self.alert_id = alert_id
        self.channel = channel
        self.permanent = code in PERMANENT_SLACK_ERRORS or code == "no_channel"
        where = f" to {channel}" if channel else ""
        super().__init__(f"slack delivery of alert {alert_id!r}{where} failed: {code}")


# ----------------------------------------------------------------------------------------------------
# JSON form


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    """The alert as a JSON-ready dict in the DESIGN.md key order, plus the count fields and p_value."""
    return asdict(alert)


_REQUIRED_STR: Final = (
    "id", "rule_id", "title", "actor", "stance", "direction", "severity",
    "fired_at", "window_start", "window_end",
)  # fmt: skip


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
    evidence: list[Evidence] = []
    for i, item in enumerate(evidence_raw):
        if not isinstance(item, Mapping):
            raise ValueError(f"alert: evidence[{i}] must be an object (got {item!r})")
        url = item.get("url")
        evidence.append(
            Evidence(
                article_id=str(item.get("article_id", "")),
                source=str(item.get("source") or ""),
                url=None if url is None else str(url),
                published_at=str(item.get("published_at", "")),
                quote=str(item.get("quote", "")),
            )
        )
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
        window_total=count("window_total"),
        baseline_count=count("baseline_count"),
        baseline_total=count("baseline_total"),
        p_value=num("p_value", 1.0),
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


def _fmt_time(value: str) -> str:
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


def _one_line(text: str, limit: int = MAX_QUOTE_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def describe_counts(alert: Alert, actor_name: str, *, baseline_span: timedelta | None = None) -> str:
    """The sentence behind the numbers, e.g.
    "expressed in 6 of 9 articles mentioning Russia in the last 24 h; baseline 0 of 41 over 14 days".

    For a `fall` alert, `window_count` is read as articles denying the stance ("denied in 3 of 9 ..."), and a
    window with none is "no longer expressed"; the baseline counts articles that expressed it.
    Without counts (all zero) it falls back to the score and baseline rates.
    """
    span = _window_span(alert)
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


def format_alert_text(
    alert: Alert,
    actor_name: str,
    *,
    target_name: str | None = None,
    baseline_span: timedelta | None = None,
) -> str:
    """A readable multi-line plain-text rendering for a terminal or a log."""
    target = target_name or alert.target
    lines = [
        alert.title,
        f"severity: {alert.severity}",
        f"actor: {actor_name} ({alert.actor})  stance: {alert.stance}"
        + (f"  target: {target}" if target else "")
        + f"  direction: {alert.direction}",
        describe_counts(alert, actor_name, baseline_span=baseline_span),
        f"score {alert.score:.2f}, baseline {alert.baseline:.2f}, p = {alert.p_value:.3g}",
        f"window: {_fmt_time(alert.window_start)} – {_fmt_time(alert.window_end)}"
        f" (fired {_fmt_time(alert.fired_at)})",
        f"rule: {alert.rule_id}  id: {alert.id}",
    ]
    if alert.labels:
        lines.append("labels: " + ", ".join(f"{k}={v}" for k, v in sorted(alert.labels.items())))
    if alert.evidence:
        lines.append("evidence:")
        for ev in alert.evidence[:MAX_EVIDENCE]:
            parts = [
                f'- "{_one_line(ev.quote)}" — {ev.source or "unknown source"}',
                _fmt_time(ev.published_at),
            ]
            if ev.url:
                parts.append(ev.url)
            lines.append(", ".join(parts))
        if len(alert.evidence) > MAX_EVIDENCE:
            lines.append(f"- ... and {len(alert.evidence) - MAX_EVIDENCE} more")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------
# Slack text


def escape_mrkdwn(text: str) -> str:
    """Escape Slack's control characters so text shows literally: `&`, `<`, `>` (in that order).

    After this no `<!channel>`, `<@U123>` or `<url|label>` in the input can form a mention or a link.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_SAFE_URL = re.compile(r"https?://[^\s<>|]+", re.IGNORECASE)


def _slack_link(url: str | None, label: str) -> str:
    """`<url|label>` for a plain http(s) URL; otherwise the escaped label and URL as text."""
    if url and _SAFE_URL.fullmatch(url):
        return f"<{url.replace('&', '&amp;')}|{escape_mrkdwn(label)}>"
    if url:
        return f"{escape_mrkdwn(label)} ({escape_mrkdwn(url)})"
    return escape_mrkdwn(label)


_SEVERITY_EMOJI: Final = {
    "info": ":information_source:",
    "low": ":large_blue_circle:",
    "medium": ":large_orange_circle:",
    "high": ":red_circle:",
    "critical": ":rotating_light:",
}


def format_slack_text(
    alert: Alert,
    actor_name: str,
    *,
    target_name: str | None = None,
    baseline_span: timedelta | None = None,
) -> str:
    """The Slack message (mrkdwn). Every piece of article and rule text goes through `escape_mrkdwn`."""
    e = escape_mrkdwn
    target = target_name or alert.target
    lines = [
        f"{_SEVERITY_EMOJI.get(alert.severity, '')} *{e(alert.title)}*  (severity: {e(alert.severity)})",
        f"*{e(actor_name)}* · {e(alert.stance)}"
        + (f" · target {e(target)}" if target else "")
        + f" · {e(alert.direction)}",
        e(describe_counts(alert, actor_name, baseline_span=baseline_span)),
        f"window {e(_fmt_time(alert.window_start))} – {e(_fmt_time(alert.window_end))}"
        f" · score {alert.score:.2f}, baseline {alert.baseline:.2f}, p = {alert.p_value:.3g}",
    ]
    if alert.evidence:
        lines.append("*Evidence*")
        for ev in alert.evidence[:MAX_EVIDENCE]:
            source = ev.source or "source"
            when = e(_fmt_time(ev.published_at))
            lines.append(f"• “{e(_one_line(ev.quote))}” — {_slack_link(ev.url, source)}, {when}")
        if len(alert.evidence) > MAX_EVIDENCE:
            lines.append(f"• … and {len(alert.evidence) - MAX_EVIDENCE} more")
    footer = f"rule `{e(alert.rule_id)}` · alert `{e(alert.id)}`"
    if alert.labels:
        footer += " · " + ", ".join(f"{e(k)}={e(v)}" for k, v in sorted(alert.labels.items()))
    lines.append(footer)
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------------
# Sinks


def _name_lookup(names: Mapping[str, str] | NameLookup | None) -> NameLookup:
    if names is None:
        return lambda key: key
    if isinstance(names, Mapping):
        mapping = names
        return lambda key: mapping.get(key, key)
    return names


class StdoutSink:
    """Prints each alert as readable text; article text is shown verbatim (no markup or emoji codes)."""

    def __init__(
        self,
        console: Console | None = None,
        *,
        names: Mapping[str, str] | NameLookup | None = None,
        baseline_span: timedelta | None = None,
    ) -> None:
        self.console = console if console is not None else Console()
        self._name = _name_lookup(names)
        self._baseline_span = baseline_span

    def send(self, alert: Alert) -> None:
        text = format_alert_text(
            alert,
            self._name(alert.actor),
            target_name=self._name(alert.target) if alert.target else None,
            baseline_span=self._baseline_span,
        )
        self.console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)
        self.console.print()

    def close(self) -> None:
        return None


class JsonlSink:
    """Appends one JSON line per alert to `path` and flushes it.

    Ids already in the file when it is opened (and ids written since) are not written again, so a replay or a
    restart does not duplicate alerts.
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


class _CountingRetryHandler(RetryHandler):
    """Wraps a slack_sdk retry handler and calls `on_retry` before each retry it makes."""

    def __init__(self, inner: RetryHandler, on_retry: Callable[[], None]) -> None:
        super().__init__(max_retry_count=inner.max_retry_count, interval_calculator=inner.interval_calculator)
        self._inner = inner
        self._on_retry = on_retry

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return self._inner.can_retry(state=state, request=request, response=response, error=error)

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        self._on_retry()
        self._inner.prepare_for_next_attempt(state=state, request=request, response=response, error=error)


class _ProportionalJitter(Jitter):
    """Jitter of 50-150% of the backoff (slack_sdk's default adds up to 1 s whatever the backoff)."""

    def recalculate(self, duration: float) -> float:
        return duration * (0.5 + random.random())


class _ServerErrorRetryHandler(RetryHandler):
    """Retries 500, 502, 503 and 504 (slack_sdk's own handler takes only 500 and 503)."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code in (500, 502, 503, 504)


class _BoundedRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Waits out a 429's Retry-After unless it asks for more than `max_wait` seconds (then the send fails)."""

    def __init__(self, max_retry_count: int, max_wait: float) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._max_wait = max_wait

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        for name, values in response.headers.items():
            if name.lower() == "retry-after":
                try:
                    return float(values[0]) <= self._max_wait
                except (ValueError, IndexError):
                    return True
        return True


_SAFE_CODE = re.compile(r"[a-z0-9_]{1,64}")


def _error_code(err: SlackApiError) -> str:
    """A bounded error label: the Slack error code, "http_5xx", "ratelimited", "http_<status>" or "other"."""
    status = err.response.status_code
    if status >= 500:
        return "http_5xx"
    if status == 429:
        return "ratelimited"
    data = err.response.data
    code = data.get("error") if isinstance(data, dict) else None
    if isinstance(code, str) and _SAFE_CODE.fullmatch(code):
        return code
    if status != 200:
        return f"http_{status}" if 400 <= status < 500 else "other"
    return "invalid_response"


def _api_base(base_url: str | None) -> str:
    """The Web API base URL with its trailing slash (slack_sdk joins method names onto it)."""
    url = base_url or WebClient.BASE_URL
    return url if url.endswith("/") else url + "/"


class SlackSink:
    """Posts each alert to Slack with `chat.postMessage`.

    Channel: the alert's, else `default_channel`; with neither, send raises SlackDeliveryError("no_channel").
    Rate limits (429 + Retry-After), server errors (500/502/503/504) and connection errors are retried up to
    `max_retries` times in all. Each alert id is posted at most once per process. A failed send raises
    `SlackDeliveryError` (a `DeliveryError`) carrying the error code; the token is never logged or echoed.
    """

    def __init__(
        self,
        token: str,
        default_channel: str | None = None,
        base_url: str | None = None,
        *,
        metrics: Metrics | None = None,
        names: Mapping[str, str] | NameLookup | None = None,
        baseline_span: timedelta | None = None,
        timeout: int = 10,
        max_retries: int = 3,
        retry_backoff: float = 0.5,
        max_retry_after: float = 60.0,
        remember: int = 10_000,
    ) -> None:
        if not token:
            raise DeliveryError("SlackSink needs a bot token (SLACK_BOT_TOKEN is empty)")
        self.default_channel = default_channel or None
        self._metrics = metrics
        self._name = _name_lookup(names)
        self._baseline_span = baseline_span
        self._remember = remember
        self._sent: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()
        backoff = BackoffRetryIntervalCalculator(backoff_factor=retry_backoff, jitter=_ProportionalJitter())
        handlers: list[RetryHandler] = [
            _BoundedRateLimitRetryHandler(max_retry_count=max_retries, max_wait=max_retry_after),
            _ServerErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
            ConnectionErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
        ]
        self._client = WebClient(
            token=token,
            base_url=_api_base(base_url),
            timeout=timeout,
            retry_handlers=[_CountingRetryHandler(h, self._count_retry) for h in handlers],
        )

    def __repr__(self) -> str:  # never show the token
        return f"SlackSink(default_channel={self.default_channel!r}, base_url={self._client.base_url!r})"

    def _count_retry(self) -> None:
        if self._metrics is not None:
            self._metrics.slack_deliveries.labels(outcome="retry").inc()

    def _fail(self, code: str, alert: Alert, channel: str | None) -> SlackDeliveryError:
        if self._metrics is not None:
            self._metrics.slack_deliveries.labels(outcome="failed").inc()
            self._metrics.slack_delivery_failures.labels(error=code).inc()
        err = SlackDeliveryError(code, alert.id, channel)
        log.error("%s", err)
        return err

    def send(self, alert: Alert) -> None:
        with self._lock:
            if alert.id in self._sent:
                log.debug("alert %s already posted to Slack; skipped", alert.id)
                return
            channel = alert.channel or self.default_channel
            if not channel:
                raise self._fail("no_channel", alert, None)
            text = format_slack_text(
                alert,
                self._name(alert.actor),
                target_name=self._name(alert.target) if alert.target else None,
                baseline_span=self._baseline_span,
            )
            try:
                self._client.chat_postMessage(
                    channel=channel,
                    text=text,
                    mrkdwn=True,
                    parse="none",
                    link_names=False,
                    unfurl_links=False,
                    unfurl_media=False,
                )
            except SlackApiError as exc:
                raise self._fail(_error_code(exc), alert, channel) from None
            except (SlackClientError, URLError, OSError):
                raise self._fail("connection", alert, channel) from None
            if self._metrics is not None:
                self._metrics.slack_deliveries.labels(outcome="ok").inc()
            self._sent[alert.id] = None
            while len(self._sent) > self._remember:
                self._sent.popitem(last=False)
            log.info("alert %s posted to Slack channel %s", alert.id, channel)

    def close(self) -> None:
        return None


class FanOut:
    """Sends each alert to every sink; a sink that fails is logged and skipped, never raised."""

    def __init__(self, sinks: Iterable[AlertSink]) -> None:
        self.sinks: list[AlertSink] = list(sinks)

    def send(self, alert: Alert) -> None:
        self.deliver(alert)

    def deliver(self, alert: Alert) -> list[tuple[AlertSink, Exception]]:
        """Send to every sink; return the (sink, error) pairs of those that failed."""
        failures: list[tuple[AlertSink, Exception]] = []
        for sink in self.sinks:
            try:
                sink.send(alert)
            except DeliveryError as exc:
                log.error("alert %s: %s failed: %s", alert.id, type(sink).__name__, exc)
                failures.append((sink, exc))
            except Exception as exc:  # one broken sink must not stop the others
                log.exception("alert %s: %s failed unexpectedly", alert.id, type(sink).__name__)
                failures.append((sink, exc))
        return failures

    def close(self) -> None:
        for sink in self.sinks:
            try:
                sink.close()
            except Exception:
                log.exception("closing %s failed", type(sink).__name__)


def sinks_from_env(
    metrics: Metrics | None,
    console: Console | None,
    alerts_out: Path | None,
    *,
    env: Mapping[str, str] | None = None,
    names: Mapping[str, str] | NameLookup | None = None,
    baseline_span: timedelta | None = None,
    stdout: bool = True,
) -> list[AlertSink]:
    """Stdout (unless `stdout=False`), JSONL when `alerts_out` is given, Slack when SLACK_BOT_TOKEN is set.

    Slack also reads SLACK_API_URL (base URL of the Web API, e.g. "http://127.0.0.1:8080/api/") and
    SLACK_DEFAULT_CHANNEL. `env` defaults to `os.environ`.
    """
    environ: Mapping[str, str] = os.environ if env is None else env
    sinks: list[AlertSink] = []
    if stdout:
        sinks.append(StdoutSink(console, names=names, baseline_span=baseline_span))
    if alerts_out is not None:
        sinks.append(JsonlSink(alerts_out))
    token = environ.get("SLACK_BOT_TOKEN", "").strip()
    if token:
        sinks.append(
            SlackSink(
                token,
                environ.get("SLACK_DEFAULT_CHANNEL") or None,
                environ.get("SLACK_API_URL") or None,
                metrics=metrics,
                names=names,
                baseline_span=baseline_span,
            )
        )
    return sinks


def send_all(sinks: Sequence[AlertSink], alert: Alert) -> list[tuple[AlertSink, Exception]]:
    """Send `alert` to every sink without raising; return the failures (see `FanOut.deliver`)."""
    return FanOut(sinks).deliver(alert)
