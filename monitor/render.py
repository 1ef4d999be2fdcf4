"""Alerts and follow-ups as plain text (a terminal, a log), and the phrases the Slack messages reuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

from monitor.alerts import Alert, AlertUpdate

#: Evidence items shown per alert in text; the rest are counted ("... and 3 more").
MAX_EVIDENCE: Final = 10
#: Longest quote shown, in characters.
MAX_QUOTE_CHARS: Final = 500


def format_time(moment: datetime) -> str:
    """A moment as "2025-06-16 09:23 UTC"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _fmt_span(span: timedelta) -> str:
    """24h -> "24 h", 14d -> "14 days", 90m -> "90 min"."""
    seconds = int(span.total_seconds())
    if seconds % 86400 == 0 and seconds > 2 * 86400:
        return f"{seconds // 86400} days"
    if seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    return f"{max(seconds // 60, 0)} min"


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
    span = alert.window_end - alert.window_start
    actor_name = alert.actor_name or alert.actor
    baseline_span = timedelta(seconds=alert.baseline_seconds) if alert.baseline_seconds > 0 else None
    in_window = f" in the last {_fmt_span(span)}" if span > timedelta(0) else " in the window"
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


def format_update_line(update: AlertUpdate) -> str:
    """One line: "↳ alert-id: 2 more articles (Outlet, Outlet)" or "↳ alert-id: resolved ... (back at baseline)"."""
    if update.kind == "resolved":
        return f"↳ {update.alert_id}: resolved {format_time(update.at)} (back at baseline)"
    n = len(update.evidence)
    outlets = ", ".join(dict.fromkeys(ev.source or "unknown source" for ev in update.evidence))
    return f"↳ {update.alert_id}: {n} more article{'s' if n != 1 else ''} ({outlets})"
