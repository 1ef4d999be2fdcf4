"""Alerts and follow-ups as plain text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from monitor.alerts import AlertUpdate, Evidence
from monitor.render import describe_counts, format_alert_text, format_time, format_update_line, trim_words
from tests.alerts import FIRED, make_alert


def test_format_alert_text() -> None:
    text = format_alert_text(make_alert())
    lines = text.splitlines()
    assert lines[0] == "Russia offers mediation"
    assert "severity: high" in text
    assert "target: Iran" in text and "direction: rise" in text
    assert "stance: offers mediation (mediation)" in text
    assert (
        "expressed in 6 of 9 articles mentioning Russia in the last 24 h; baseline 0 of 41 over 14 days"
        in text
    )
    assert "window: 2025-06-15 09:30 UTC – 2025-06-16 09:30 UTC (fired 2025-06-16 09:30 UTC)" in text
    assert (
        lines[-1] == '- "Moscow offered [b]x[/b]" — Example Wire, 2025-06-16 09:23 UTC, https://example.org/x'
    )


def test_format_time_shows_any_zone_in_utc() -> None:
    assert (
        format_time(datetime(2025, 6, 16, 11, 23, 41, tzinfo=timezone(timedelta(hours=2))))
        == "2025-06-16 09:23 UTC"
    )


def test_fall_alerts_say_denied_or_no_longer_expressed() -> None:
    alert = make_alert().model_copy(update={"direction": "fall", "window_count": 3, "baseline_count": 20})
    assert "denied in 3 of 9 articles mentioning Russia" in format_alert_text(alert)
    gone = alert.model_copy(update={"window_count": 0})
    assert "no longer expressed: 0 of 9 articles" in format_alert_text(gone)


def test_counts_without_a_window_span_or_counts() -> None:
    alert = make_alert().model_copy(update={"window_start": FIRED, "baseline_seconds": 0})
    assert describe_counts(alert) == (
        "expressed in 6 of 9 articles mentioning Russia in the window; baseline 0 of 41 before the window"
    )
    bare = alert.model_copy(update={"window_total": 0, "baseline_total": 0})
    assert describe_counts(bare) == "score 0.67 in the window; baseline 0.00 before the window"


def test_trim_words_cuts_at_a_word_boundary() -> None:
    assert trim_words("short  text\n here", 50) == "short text here"
    assert trim_words("the Kremlin offered to mediate between them", 25) == "the Kremlin offered to…"
    assert len(trim_words("x" * 100, 10)) == 10  # one long word: cut inside it
    assert trim_words("alpha, beta gamma", 13) == "alpha, beta…"


def test_one_line_per_update() -> None:
    at = datetime(2025, 6, 16, 12, tzinfo=UTC)
    ev = Evidence(article_id="a-9", source="Late Wire", published_at=at, quote="more")
    more = AlertUpdate(id="u1", alert_id="alert-1", rule_id="r", kind="evidence", at=at, evidence=(ev, ev))
    resolved = AlertUpdate(
        id="u2", alert_id="alert-1", kind="resolved", at=datetime(2025, 6, 20, 10, tzinfo=UTC)
    )
    assert format_update_line(more) == "↳ alert-1: 2 more articles (Late Wire)"
    assert format_update_line(resolved) == "↳ alert-1: resolved 2025-06-20 10:00 UTC (back at baseline)"
