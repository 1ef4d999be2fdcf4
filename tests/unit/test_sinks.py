"""The generic sinks: stdout, the JSONL file, and the fan-out that keeps one broken sink from the others."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.console import Console

from monitor.alerts import Alert, AlertUpdate, Evidence, alert_to_dict, update_to_dict
from monitor.sinks import FanOut, JsonlSink, StdoutSink
from tests.alerts import make_alert

RESOLVED = AlertUpdate(
    id="u1", alert_id="a", rule_id="r", kind="resolved", at=datetime(2025, 6, 20, 10, tzinfo=UTC)
)


def test_stdout_sink_prints_article_text_verbatim() -> None:
    out = io.StringIO()
    sink = StdoutSink(Console(file=out, width=200, color_system=None))
    sink.send(make_alert())
    assert "Moscow offered [b]x[/b]" in out.getvalue()
    assert "target: Iran" in out.getvalue()


def test_stdout_sink_prints_one_line_per_update() -> None:
    out = io.StringIO()
    sink = StdoutSink(Console(file=out, width=200, color_system=None))
    at = datetime(2025, 6, 16, 12, tzinfo=UTC)
    ev = Evidence(article_id="a-9", source="Late [b]Wire[/b]", published_at=at, quote="more")
    sink.send_update(AlertUpdate(id="u1", alert_id="alert-1", kind="evidence", at=at, evidence=(ev, ev)))
    sink.send_update(RESOLVED.model_copy(update={"alert_id": "alert-1"}))
    assert out.getvalue().splitlines() == [
        "↳ alert-1: 2 more articles (Late [b]Wire[/b])",
        "↳ alert-1: resolved 2025-06-20 10:00 UTC (back at baseline)",
    ]


def test_jsonl_sink_writes_each_alert_once_and_no_updates(tmp_path: Path) -> None:
    path = tmp_path / "alerts.jsonl"
    sink = JsonlSink(path)
    sink.send(make_alert())
    sink.send(make_alert())
    sink.send_update(RESOLVED)
    sink.close()
    again = JsonlSink(path)  # a restart: ids already in the file are not written again
    again.send(make_alert())
    assert make_alert().id in again
    again.close()
    assert [json.loads(line) for line in path.read_text().splitlines()] == [alert_to_dict(make_alert())]


def test_an_updates_file_keeps_each_follow_up_once_and_no_alerts(tmp_path: Path) -> None:
    path = tmp_path / "updates.jsonl"
    sink = JsonlSink(path, updates=True)
    sink.send(make_alert())
    sink.send_update(RESOLVED)
    sink.close()
    again = JsonlSink(path, updates=True)  # a restart: ids already in the file are not written again
    again.send_update(RESOLVED)
    again.close()
    assert [json.loads(line) for line in path.read_text().splitlines()] == [update_to_dict(RESOLVED)]


def test_fan_out_sends_to_every_sink_even_past_a_broken_one(caplog: pytest.LogCaptureFixture) -> None:
    class Recorder:
        def __init__(self) -> None:
            self.seen: list[str] = []

        def send(self, alert: Alert) -> None:
            self.seen.append(alert.id)

        def send_update(self, update: AlertUpdate) -> None:
            self.seen.append(update.id)

        def close(self) -> None: ...

    class Broken(Recorder):
        def send(self, alert: Alert) -> None:
            raise RuntimeError("boom")

        def send_update(self, update: AlertUpdate) -> None:
            raise RuntimeError("boom")

    recorder = Recorder()
    fan = FanOut([Broken(), recorder])
    fan.send(make_alert())
    fan.send_update(RESOLVED)
    assert recorder.seen == [make_alert().id, RESOLVED.id]
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR] == [
        f"{make_alert().id}: Broken failed unexpectedly",
        "u1: Broken failed unexpectedly",
    ]
