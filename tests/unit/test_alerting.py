"""Alert JSON form, readable text, Slack escaping and the stdout sink (no network)."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from monitor.alerting import (
    FanOut,
    JsonlSink,
    StdoutSink,
    UpdateSink,
    alert_from_dict,
    alert_to_dict,
    escape_mrkdwn,
    format_alert_text,
    trim_words,
)
from monitor.types import Alert, AlertUpdate, Evidence


def make_alert() -> Alert:
    return Alert(
        id="russia-offers-mediation:2025-06-13",
        rule_id="russia-offers-mediation",
        title="Russia offers mediation",
        actor="russia",
        stance="mediation",
        target="iran",
        actor_name="Russia",
        target_name="Iran",
        stance_label="offers mediation",
        baseline_seconds=14 * 86400,
        direction="rise",
        severity="high",
        fired_at="2025-06-16T09:30:00Z",
        window_start="2025-06-15T09:30:00Z",
        window_end="2025-06-16T09:30:00Z",
        score=0.67,
        baseline=0.0,
        evidence=[
            Evidence(
                "a-1",
                "Example Wire",
                "https://example.org/x",
                "2025-06-16T09:23:41Z",
                "Moscow offered [b]x[/b]",
            )
        ],
        channel="#geo-alerts",
        labels={"region": "mena"},
        window_count=6,
        window_total=9,
        baseline_count=0,
        baseline_total=41,
        p_value=0.0012,
    )


def test_dict_round_trip_is_json_and_keeps_design_keys_first() -> None:
    alert = make_alert()
    data = json.loads(json.dumps(alert_to_dict(alert)))
    assert list(data)[:16] == [
        "id", "rule_id", "title", "actor", "stance", "target", "direction", "severity", "fired_at",
        "window_start", "window_end", "score", "baseline", "evidence", "channel", "labels",
    ]  # fmt: skip
    assert data["window_count"] == 6 and data["baseline_total"] == 41
    assert alert_from_dict(data) == alert


def test_from_dict_accepts_the_design_form_without_counts() -> None:
    data = alert_to_dict(make_alert())
    for key in ("window_count", "window_total", "baseline_count", "baseline_total", "p_value"):
        del data[key]
    alert = alert_from_dict(data)
    assert alert.window_count == 0 and alert.p_value == 1.0


def test_from_dict_names_the_bad_field() -> None:
    data = alert_to_dict(make_alert())
    data["direction"] = "sideways"
    with pytest.raises(ValueError, match="direction"):
        alert_from_dict(data)
    del data["title"]
    with pytest.raises(ValueError, match="'title'"):
        alert_from_dict(data)


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
    assert "2025-06-15 09:30 UTC – 2025-06-16 09:30 UTC" in text
    assert (
        lines[-1] == '- "Moscow offered [b]x[/b]" — Example Wire, 2025-06-16 09:23 UTC, https://example.org/x'
    )


def test_fall_alerts_say_denied_or_no_longer_expressed() -> None:
    alert = replace(make_alert(), direction="fall", window_count=3, baseline_count=20)
    assert "denied in 3 of 9 articles mentioning Russia" in format_alert_text(alert)
    gone = replace(alert, window_count=0)
    assert "no longer expressed: 0 of 9 articles" in format_alert_text(gone)


def test_escape_mrkdwn() -> None:
    assert escape_mrkdwn("a & <!here> <@U1|x>") == "a &amp; &lt;!here&gt; &lt;@U1|x&gt;"
    assert escape_mrkdwn("&lt;") == "&amp;lt;"


def test_trim_words_cuts_at_a_word_boundary() -> None:
    assert trim_words("short  text\n here", 50) == "short text here"
    assert trim_words("the Kremlin offered to mediate between them", 25) == "the Kremlin offered to…"
    assert len(trim_words("x" * 100, 10)) == 10  # one long word: cut inside it
    assert trim_words("alpha, beta gamma", 13) == "alpha, beta…"


def test_stdout_sink_prints_article_text_verbatim() -> None:
    out = io.StringIO()
    sink = StdoutSink(Console(file=out, width=200, color_system=None))
    sink.send(make_alert())
    assert "Moscow offered [b]x[/b]" in out.getvalue()
    assert "target: Iran" in out.getvalue()


def test_stdout_sink_prints_one_line_per_update() -> None:
    out = io.StringIO()
    sink = StdoutSink(Console(file=out, width=200, color_system=None))
    ev = Evidence("a-9", "Late [b]Wire[/b]", None, "2025-06-16T12:00:00Z", "more")
    sink.send_update(AlertUpdate("u1", "alert-1", "r", "evidence", "2025-06-16T12:00:00Z", evidence=[ev, ev]))
    sink.send_update(AlertUpdate("u2", "alert-1", "r", "resolved", "2025-06-20T10:00:00Z"))
    assert out.getvalue().splitlines() == [
        "↳ alert-1: 2 more articles (Late [b]Wire[/b])",
        "↳ alert-1: resolved 2025-06-20 10:00 UTC (back at baseline)",
    ]


def test_fan_out_gives_updates_only_to_sinks_that_take_them(tmp_path: Path) -> None:
    class Recorder:
        def __init__(self) -> None:
            self.updates: list[str] = []

        def send(self, alert: Alert) -> None: ...

        def send_update(self, update: AlertUpdate) -> None:
            self.updates.append(update.id)

        def close(self) -> None: ...

    class Broken(Recorder):
        def send_update(self, update: AlertUpdate) -> None:
            raise RuntimeError("boom")

    recorder, jsonl = Recorder(), JsonlSink(tmp_path / "alerts.jsonl")
    assert isinstance(recorder, UpdateSink) and not isinstance(jsonl, UpdateSink)
    failures = FanOut([Broken(), jsonl, recorder]).deliver_update(
        AlertUpdate("u1", "a", "r", "resolved", "2025-06-20T10:00:00Z")
    )
    assert recorder.updates == ["u1"]
    assert [type(sink).__name__ for sink, _ in failures] == ["Broken"]
    jsonl.close()
    assert (tmp_path / "alerts.jsonl").read_text() == ""
