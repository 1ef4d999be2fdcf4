"""SlackSink against a local Slack Web API (tests/slack_server.py), through the real slack_sdk client."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import pytest
from prometheus_client import CollectorRegistry

from monitor.alerting import FanOut, JsonlSink, SlackDeliveryError, SlackSink, sinks_from_env
from monitor.errors import DeliveryError
from monitor.metrics import Metrics
from monitor.types import Alert, Evidence

if TYPE_CHECKING:
    from pathlib import Path

    from tests.slack_server import SlackServer

pytestmark = pytest.mark.integration

EVIL_QUOTE = "Moscow said <!channel> and <@U123> should see <https://evil|click> & more"


def make_alert(
    alert_id: str = "russia-offers-mediation:2025-06-13", channel: str | None = "#geo-alerts"
) -> Alert:
    return Alert(
        id=alert_id,
        rule_id="russia-offers-mediation",
        title="Russia offers mediation",
        actor="russia",
        stance="mediation",
        target=None,
        direction="rise",
        severity="high",
        fired_at="2025-06-14T09:10:00Z",
        window_start="2025-06-13T09:10:00Z",
        window_end="2025-06-14T09:10:00Z",
        score=0.67,
        baseline=0.0,
        evidence=[
            Evidence(
                "a-1", "Example Wire", "https://example.org/x?a=1&b=2", "2025-06-14T08:00:00Z", EVIL_QUOTE
            ),
            Evidence(
                "a-2", "Other <News>", "https://evil|x>", "2025-06-14T07:00:00Z", "Kremlin offered to mediate"
            ),
            Evidence("a-3", "Feed", "javascript:alert(1)", "2025-06-14T06:00:00Z", "Putin would mediate"),
        ],
        channel=channel,
        labels={"region": "mena"},
        window_count=6,
        window_total=9,
        baseline_count=0,
        baseline_total=41,
    )


def sink_for(
    server: SlackServer,
    metrics: Metrics | None = None,
    *,
    default_channel: str | None = None,
    max_retries: int = 3,
) -> SlackSink:
    return SlackSink(
        server.token,
        default_channel,
        server.url,
        metrics=metrics,
        names={"russia": "Russia"},
        max_retries=max_retries,
        retry_backoff=0.01,
    )


def test_posts_to_the_alert_channel_with_escaped_text(slack_server: SlackServer) -> None:
    metrics = Metrics.create(CollectorRegistry())
    sink = sink_for(slack_server, metrics)
    sink.send(make_alert())

    assert len(slack_server.messages) == 1
    body = slack_server.messages[0]
    assert body["channel"] == "#geo-alerts"
    text = body["text"]
    assert "Russia offers mediation" in text
    assert "expressed in 6 of 9 articles mentioning Russia in the last 24 h" in text
    # article text cannot mention or link anyone
    assert "<!channel>" not in text and "<@U123>" not in text and "<https://evil" not in text
    assert "&lt;!channel&gt;" in text and "&lt;@U123&gt;" in text
    assert "&lt;https://evil|click&gt; &amp; more" in text
    # a clean http(s) URL becomes a link labelled with the source; others are plain escaped text
    assert "<https://example.org/x?a=1&amp;b=2|Example Wire>" in text
    assert "Other &lt;News&gt; (https://evil|x&gt;)" in text
    assert "<javascript" not in text
    # every `<` left in the text opens the one link we made
    assert text.count("<") == 1
    assert body.get("link_names") in (False, 0, "0", "false")
    assert metrics.registry.get_sample_value("stance_monitor_slack_deliveries_total", {"outcome": "ok"}) == 1


def test_default_channel_and_dedupe_by_id(slack_server: SlackServer) -> None:
    sink = sink_for(slack_server, default_channel="#default")
    sink.send(make_alert(channel=None))
    sink.send(make_alert(channel=None))  # same id: not posted again
    sink.send(make_alert("other:2025-06-14", channel=None))
    assert [m["channel"] for m in slack_server.messages] == ["#default", "#default"]


def test_no_channel_at_all_raises(slack_server: SlackServer) -> None:
    with pytest.raises(DeliveryError, match="no_channel"):
        sink_for(slack_server).send(make_alert(channel=None))
    assert slack_server.requests == []


def test_rate_limited_then_success_delivers_exactly_once(slack_server: SlackServer) -> None:
    metrics = Metrics.create(CollectorRegistry())
    slack_server.rate_limit_next(1, retry_after=1)
    started = time.monotonic()
    sink_for(slack_server, metrics).send(make_alert())
    assert time.monotonic() - started >= 1.0  # Retry-After was honoured
    assert [r.status for r in slack_server.requests] == [429, 200]
    assert len(slack_server.messages) == 1
    get = metrics.registry.get_sample_value
    assert get("stance_monitor_slack_deliveries_total", {"outcome": "retry"}) == 1
    assert get("stance_monitor_slack_deliveries_total", {"outcome": "ok"}) == 1


def test_two_server_errors_then_success_delivers_once(slack_server: SlackServer) -> None:
    metrics = Metrics.create(CollectorRegistry())
    slack_server.fail_next(2, status=500)
    sink_for(slack_server, metrics).send(make_alert())
    assert [r.status for r in slack_server.requests] == [500, 500, 200]
    assert len(slack_server.messages) == 1
    assert (
        metrics.registry.get_sample_value("stance_monitor_slack_deliveries_total", {"outcome": "retry"}) == 2
    )


def test_persistent_server_errors_fail_with_http_5xx(slack_server: SlackServer) -> None:
    metrics = Metrics.create(CollectorRegistry())
    slack_server.fail_next(10, status=503)
    with pytest.raises(SlackDeliveryError) as info:
        sink_for(slack_server, metrics, max_retries=2).send(make_alert())
    assert info.value.code == "http_5xx" and not info.value.permanent
    assert len(slack_server.requests) == 3
    get = metrics.registry.get_sample_value
    assert get("stance_monitor_slack_delivery_failures_total", {"error": "http_5xx"}) == 1
    assert get("stance_monitor_slack_deliveries_total", {"outcome": "failed"}) == 1


def test_channel_not_found_raises_without_leaking_the_token(
    slack_server: SlackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    metrics = Metrics.create(CollectorRegistry())
    slack_server.error_for_channel("#nope", "channel_not_found")
    sink = sink_for(slack_server, metrics)
    with pytest.raises(DeliveryError) as info:
        sink.send(make_alert(channel="#nope"))
    err = info.value
    assert isinstance(err, SlackDeliveryError)
    assert err.code == "channel_not_found" and err.permanent
    assert "channel_not_found" in str(err)
    assert slack_server.token not in str(err) and slack_server.token not in repr(sink)
    assert slack_server.token not in caplog.text
    assert "channel_not_found" in caplog.text
    assert (
        metrics.registry.get_sample_value(
            "stance_monitor_slack_delivery_failures_total", {"error": "channel_not_found"}
        )
        == 1
    )


def test_wrong_token_is_invalid_auth(slack_server: SlackServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bad = "xoxb-wrong-token-value"
    sink = SlackSink(bad, base_url=slack_server.url)
    with pytest.raises(SlackDeliveryError) as info:
        sink.send(make_alert())
    assert info.value.code == "invalid_auth"
    assert bad not in caplog.text and bad not in str(info.value)


def test_connection_refused_is_a_connection_failure(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sink = SlackSink("xoxb-secret-x", base_url="http://127.0.0.1:9/api/", max_retries=1, retry_backoff=0.01)
    with pytest.raises(SlackDeliveryError) as info:
        sink.send(make_alert())
    assert info.value.code == "connection"
    assert "xoxb-secret-x" not in caplog.text


def test_sinks_from_env_fan_out_survives_a_failing_sink(slack_server: SlackServer, tmp_path: Path) -> None:
    env = {"SLACK_BOT_TOKEN": slack_server.token, "SLACK_API_URL": slack_server.url.rstrip("/")}
    sinks = sinks_from_env(None, None, tmp_path / "alerts.jsonl", env=env, stdout=False)
    assert [type(s).__name__ for s in sinks] == ["JsonlSink", "SlackSink"]
    fan = FanOut(sinks)
    failures = fan.deliver(make_alert(channel=None))  # no channel: Slack fails, JSONL still written
    assert [type(s).__name__ for s, _ in failures] == ["SlackSink"]
    fan.send(make_alert("b", channel="#ok"))
    fan.close()
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 2
    assert [m["channel"] for m in slack_server.messages] == ["#ok"]


def test_jsonl_sink_dedupes_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "out" / "alerts.jsonl"
    sink = JsonlSink(path)
    sink.send(make_alert("a"))
    sink.send(make_alert("a"))
    sink.close()
    again = JsonlSink(path)
    again.send(make_alert("a"))
    again.send(make_alert("b"))
    again.close()
    ids = [line.split('"id": "')[1].split('"')[0] for line in path.read_text().splitlines()]
    assert ids == ["a", "b"]
