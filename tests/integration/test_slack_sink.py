"""Slack delivery against a local Slack Web API (tests/slack_server.py), through the real slack_sdk client.

SlackNotifier (the message, threads, chat.update, retries, error classes) and SlackSink (the on-disk outbox,
its thread, the dead-letter record, restarts). Waits are simulated with a FakeClock, never slept for real.
"""

from __future__ import annotations

import json
import logging
import re
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from monitor.alerts import Alert, AlertUpdate, Evidence
from monitor.metrics import Metrics
from monitor.sinks import FanOut, StdoutSink, build_sinks
from monitor.slack import (
    SlackNotifier,
    SlackPermanentError,
    SlackSettings,
    SlackSink,
    SlackTransientError,
    slack_from_env,
)
from tests.slack_server import FakeClock

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

    from tests.slack_server import SlackServer

pytestmark = pytest.mark.integration

EVIL_QUOTE = "Moscow said <!channel> and <@U123> should see <https://evil|click> & more"


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, 6, day, hour, minute, tzinfo=UTC)


def evidence(article_id: str, source: str, url: str | None, published_at: datetime, quote: str) -> Evidence:
    return Evidence(article_id=article_id, source=source, url=url, published_at=published_at, quote=quote)


def resolved(update_id: str, alert_id: str, rule_id: str = "r") -> AlertUpdate:
    return AlertUpdate(id=update_id, alert_id=alert_id, rule_id=rule_id, kind="resolved", at=utc(20, 10))


def make_alert(
    alert_id: str = "russia-offers-mediation:2025-06-13",
    channel: str | None = "#geo-alerts",
    severity: Any = "high",
) -> Alert:
    return Alert(
        id=alert_id,
        rule_id="russia-offers-mediation",
        title="Russia offers mediation",
        actor="russia",
        stance="mediation",
        target="iran",
        actor_name="Russia",
        target_name="Iran",
        baseline_seconds=14 * 86400,
        direction="rise",
        severity=severity,
        fired_at=utc(14, 9, 10),
        window_start=utc(13, 9, 10),
        window_end=utc(14, 9, 10),
        score=0.67,
        baseline=0.0,
        evidence=(
            evidence(
                "a-1",
                "Example Wire",
                "https://example.org/x?a=1&b=2",
                utc(14, 8),
                "The Kremlin said it was ready to mediate between Israel and Iran.",
            ),
            evidence(
                "a-2",
                "Example Wire",
                "https://example.org/y",
                utc(14, 7, 30),
                "A second story from the same outlet.",
            ),
            evidence("a-3", "Daily Sample", None, utc(14, 7), "Moscow offered to host talks."),
        ),  # fmt: skip
        channel=channel,
        labels={"region": "mena"},
        window_count=6,
        window_total=9,
        baseline_count=0,
        baseline_total=41,
        p_value=0.0012,
    )


def evil_alert() -> Alert:
    evil = (
        evidence("a-1", "Example Wire", "https://example.org/x", utc(14, 8), EVIL_QUOTE),
        evidence("a-2", "Other <!here> News", "https://evil|x>", utc(14, 7), "<@U999> said so"),
        evidence("a-3", "Feed", "javascript:alert(1)", utc(14, 6), "<#C123|general> & co"),
    )
    return make_alert().model_copy(update={"evidence": evil})


def settings(server: SlackServer, **overrides: Any) -> SlackSettings:
    values: dict[str, Any] = {"token": SecretStr(server.token), "base_url": server.url, "retry_backoff": 0.01}
    return SlackSettings(**{**values, **overrides})


def notifier(
    server: SlackServer,
    store: dict[str, Any] | None = None,
    *,
    metrics: Metrics | None = None,
    sleep: Any = None,
    **overrides: Any,
) -> SlackNotifier:
    return SlackNotifier(
        settings(server, **overrides),
        {} if store is None else store,
        metrics=metrics,
        sleep=sleep or FakeClock().sleep,
    )


def sink(
    server: SlackServer, directory: Path, *, clock: FakeClock | None = None, metrics: Metrics | None = None,
    close_timeout: float = 5.0, **overrides: Any,
) -> SlackSink:  # fmt: skip
    clock = clock or FakeClock()
    return SlackSink.open(
        settings(server, **overrides),
        directory,
        metrics=metrics,
        sleep=clock.sleep,
        backoff=lambda attempt: 5.0,
        close_timeout=close_timeout,
    )


def posted_alert_ids(server: SlackServer) -> list[str]:
    """The alert id of every headline message Slack accepted (from its context line)."""
    ids = []
    for body in server.messages:
        if body.get("thread_ts"):
            continue
        context = json.dumps(body["blocks"][-1])
        match = re.search(r"alert `([^`]+)`", context)
        assert match, context
        ids.append(match.group(1))
    return ids


def sample(metrics: Metrics, name: str, **labels: str) -> float:
    return metrics.registry.get_sample_value(name, labels) or 0.0


# -- the message -------------------------------------------------------------------------------------


def test_posts_the_exact_blocks_for_a_sample_alert(slack_server: SlackServer) -> None:
    metrics = Metrics.create(CollectorRegistry())
    posted = notifier(slack_server, metrics=metrics, mentions={"high": "<!subteam^S123>"}).post_alert(
        make_alert()
    )

    assert [r.api_method for r in slack_server.requests] == ["chat.postMessage"]
    body = slack_server.messages[0]
    assert body["channel"] == "#geo-alerts"
    assert posted.channel == slack_server.channel_id("#geo-alerts") and posted.ts == "1700000000.000001"
    counts = "Expressed in 6 of 9 articles mentioning Russia in the last 24 h; baseline 0 of 41 over 14 days"
    assert body["blocks"] == [
        {"type": "header", "text": {"type": "plain_text", "text": ":red_circle: Russia offers mediation"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"<!subteam^S123> *{counts}*"}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": "*Severity*\n:red_circle: high"},
                {"type": "mrkdwn", "text": "*Actor*\nRussia"},
                {"type": "mrkdwn", "text": "*Stance*\nmediation"},
                {"type": "mrkdwn", "text": "*Target*\nIran"},
                {"type": "mrkdwn", "text": "*Direction*\nrise"},
                {"type": "mrkdwn", "text": "*Score*\n0.67 (baseline 0.00, p = 0.0012)"},
            ],
        },
        {"type": "divider"},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "verbatim": True,
                "text": ">“The Kremlin said it was ready to mediate between Israel and Iran.”\n"
                "— <https://example.org/x?a=1&amp;b=2|Example Wire> · 2025-06-14 08:00 UTC",
            },
        },
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "verbatim": True,
                "text": ">“Moscow offered to host talks.”\n— Daily Sample · 2025-06-14 07:00 UTC",
            },
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "+ 1 more article in the evidence"}]},
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "rule `russia-offers-mediation`"},
                {"type": "mrkdwn", "text": "window 2025-06-13 09:10 UTC – 2025-06-14 09:10 UTC"},
                {"type": "mrkdwn", "text": "alert `russia-offers-mediation:2025-06-13`"},
                {"type": "mrkdwn", "text": "labels: region=mena"},
            ],
        },
    ]
    assert body["text"] == (
        f"<!subteam^S123> Russia offers mediation (high): {counts}"
        " — “The Kremlin said it was ready to mediate between Israel and Iran.” (Example Wire)"
    )
    assert body["unfurl_links"] is False and body["link_names"] is False and body["parse"] == "none"
    assert sample(metrics, "stance_monitor_slack_deliveries_total", outcome="ok") == 1


def test_long_quotes_are_trimmed_at_a_word_boundary(slack_server: SlackServer) -> None:
    words = " ".join(f"word{i}" for i in range(200))
    alert = make_alert().model_copy(update={"evidence": (evidence("a-1", "Wire", None, utc(14, 8), words),)})
    notifier(slack_server).post_alert(alert)
    quote = slack_server.messages[0]["blocks"][4]["text"]["text"].split("\n")[0]
    shown = quote.removeprefix(">“").removesuffix("…”")
    assert len(shown) < 280 and quote.endswith("…”")
    assert words.startswith(shown + " ")  # ends with a whole word


def test_routing_default_channel_and_mentions_by_severity(slack_server: SlackServer) -> None:
    n = notifier(slack_server, default_channel="#default", mentions={"critical": "<!here>"})
    n.post_alert(make_alert("a", channel=None, severity="critical"))
    n.post_alert(make_alert("b", channel="#rule-channel", severity="high"))
    first, second = slack_server.messages
    assert first["channel"] == "#default" and second["channel"] == "#rule-channel"
    assert first["text"].startswith("<!here> ") and first["blocks"][1]["text"]["text"].startswith("<!here> ")
    assert "<!" not in json.dumps(second)
    again = n.post_alert(make_alert("a", channel=None, severity="critical"))  # the same id again
    assert again.already and len(slack_server.messages) == 2


def test_no_channel_at_all_is_permanent(slack_server: SlackServer) -> None:
    with pytest.raises(SlackPermanentError, match="no_channel"):
        notifier(slack_server).post_alert(make_alert(channel=None))
    assert slack_server.requests == []


def test_article_text_cannot_mention_anyone_or_forge_a_link(slack_server: SlackServer) -> None:
    n = notifier(slack_server)
    n.post_alert(evil_alert())
    n.post_update(AlertUpdate(id="u1", alert_id=evil_alert().id, rule_id="r", kind="evidence", at=utc(15, 0),
                              evidence=evil_alert().evidence))  # fmt: skip
    payload = json.dumps([r.body for r in slack_server.requests], ensure_ascii=False)
    for live in ("<!channel>", "<!here>", "<@U123>", "<@U999>", "<#C123", "<https://evil", "<javascript"):
        assert live not in payload, live
    # every `<` left opens a link we built to the one clean URL
    assert re.findall(r"<[^>]*>", payload) == ["<https://example.org/x|Example Wire>"] * 2
    assert "&lt;!channel&gt;" in payload and "&lt;https://evil|click&gt; &amp; more" in payload
    for body in slack_server.messages:  # the fallback text too
        assert "<" not in body["text"]


# -- threads -----------------------------------------------------------------------------------------


def test_follow_up_evidence_is_a_reply_in_the_alert_thread(slack_server: SlackServer) -> None:
    store: dict[str, Any] = {}
    n = notifier(slack_server, store)
    parent = n.post_alert(make_alert())
    more = (evidence("a-9", "Late Wire", "https://example.org/late", utc(14, 12), "Lavrov repeated it."),)
    update = AlertUpdate(id="u-ev-1", alert_id=make_alert().id, rule_id="russia-offers-mediation", kind="evidence",
                         at=utc(14, 12), evidence=more)  # fmt: skip
    n.post_update(update)
    n.post_update(update)  # the same update again: nothing new

    assert len(slack_server.messages) == 2
    reply = slack_server.messages[1]
    assert reply["thread_ts"] == parent.ts and reply["channel"] == parent.channel
    assert reply["text"] == "More evidence for Russia offers mediation: “Lavrov repeated it.” (Late Wire)"
    assert reply["blocks"][1]["text"]["text"] == (
        ">“Lavrov repeated it.”\n— <https://example.org/late|Late Wire> · 2025-06-14 12:00 UTC"
    )
    assert slack_server.updates == []


def test_resolved_replies_in_the_thread_and_updates_the_headline(slack_server: SlackServer) -> None:
    store: dict[str, Any] = {}
    n = notifier(slack_server, store, mentions={"high": "<!here>"})
    parent = n.post_alert(make_alert())
    done = resolved("u-res", make_alert().id, "russia-offers-mediation")
    n.post_update(done)
    n.post_update(done)

    reply = slack_server.messages[1]
    assert reply["thread_ts"] == parent.ts
    assert reply["text"].startswith("Resolved: Russia offers mediation.")
    assert [u["ts"] for u in slack_server.updates] == [parent.ts]
    edited = slack_server.channel_messages[parent.channel][parent.ts]
    assert edited["blocks"][0]["text"]["text"] == ":white_check_mark: Resolved: Russia offers mediation"
    assert "Resolved 2025-06-20 10:00 UTC" in edited["blocks"][1]["elements"][0]["text"]
    assert edited["text"].startswith("Resolved: Russia offers mediation")
    assert "<!here>" not in json.dumps(edited)  # editing must not ping again
    assert store[f"alert:{make_alert().id}"]["resolved_at"] == "2025-06-20T10:00:00Z"


def test_update_for_an_alert_never_posted_is_permanent(slack_server: SlackServer) -> None:
    with pytest.raises(SlackPermanentError) as info:
        notifier(slack_server).post_update(resolved("u", "nope"))
    assert info.value.code == "unknown_alert"
    assert slack_server.requests == []


# -- retries and errors ---------------------------------------------------------------------------------


def test_rate_limited_then_success_delivers_exactly_once(slack_server: SlackServer) -> None:
    metrics = Metrics.create(CollectorRegistry())
    clock = FakeClock()
    slack_server.rate_limit_next(1, retry_after=7)
    notifier(slack_server, metrics=metrics, sleep=clock.sleep).post_alert(make_alert())
    assert [r.status for r in slack_server.requests] == [429, 200]
    assert clock.sleeps == [7.0]  # Retry-After honoured, by slack_sdk's retry handler
    assert len(slack_server.messages) == 1
    assert sample(metrics, "stance_monitor_slack_deliveries_total", outcome="retry") == 1
    assert sample(metrics, "stance_monitor_slack_deliveries_total", outcome="ok") == 1


def test_a_long_retry_after_is_not_waited_in_the_call(slack_server: SlackServer) -> None:
    clock = FakeClock()
    slack_server.rate_limit_next(1, retry_after=120)
    with pytest.raises(SlackTransientError) as info:
        notifier(slack_server, sleep=clock.sleep, max_retry_after=30).post_alert(make_alert())
    assert info.value.code == "ratelimited" and info.value.retry_after == 120
    assert clock.sleeps == []


def test_the_outbox_waits_out_a_long_retry_after(slack_server: SlackServer, tmp_path: Path) -> None:
    clock = FakeClock()
    slack_server.rate_limit_next(1, retry_after=120)
    s = sink(slack_server, tmp_path, clock=clock, max_retry_after=30)  # backoff: 5 s
    s.send(make_alert())
    assert s.flush(timeout=10)
    s.close()
    assert clock.sleeps == [120.0] and [r.status for r in slack_server.requests] == [429, 200]


def test_persistent_server_errors_are_transient(slack_server: SlackServer) -> None:
    metrics = Metrics.create(CollectorRegistry())
    slack_server.fail_next(10, status=503)
    with pytest.raises(SlackTransientError) as info:
        notifier(slack_server, metrics=metrics, max_retries=2).post_alert(make_alert())
    assert info.value.code == "http_5xx" and not info.value.permanent
    assert len(slack_server.requests) == 3
    assert sample(metrics, "stance_monitor_slack_delivery_failures_total", error="http_5xx") == 1


def test_wrong_token_is_permanent_and_never_shown(
    slack_server: SlackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bad = "xoxb-wrong-token-value"
    n = SlackNotifier(SlackSettings(token=SecretStr(bad), base_url=slack_server.url), {})
    with pytest.raises(SlackPermanentError) as info:
        n.post_alert(make_alert())
    assert info.value.code == "invalid_auth"
    for shown in (caplog.text, str(info.value), repr(info.value), repr(n), repr(n.settings)):
        assert bad not in shown


def test_connection_refused_is_transient(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    n = SlackNotifier(
        SlackSettings(token=SecretStr("xoxb-secret-x"), base_url="http://127.0.0.1:9/api/", max_retries=1), {},
        sleep=FakeClock().sleep,
    )  # fmt: skip
    with pytest.raises(SlackTransientError) as info:
        n.post_alert(make_alert())
    assert info.value.code == "connection"
    assert "xoxb-secret-x" not in caplog.text


# -- the outbox ----------------------------------------------------------------------------------------


def test_a_60_second_outage_then_recovery_delivers_every_alert_once(
    slack_server: SlackServer, tmp_path: Path
) -> None:
    metrics = Metrics.create(CollectorRegistry())
    clock = FakeClock()
    slack_server.outage(60, status=500, clock=clock.now)
    s = sink(slack_server, tmp_path / "outbox", clock=clock, metrics=metrics)
    started = time.monotonic()
    for i in range(5):
        s.send(make_alert(f"alert-{i}"))
    assert time.monotonic() - started < 0.5  # queued, not waited for: scoring goes on
    assert s.flush(timeout=20)
    s.close()

    statuses = [r.status for r in slack_server.requests]
    first_ok = statuses.index(200)
    assert first_ok >= 3 and set(statuses[:first_ok]) == {500} and set(statuses[first_ok:]) == {200}
    assert clock.now() >= 60  # the outage ran its full (simulated) minute
    assert posted_alert_ids(slack_server) == [f"alert-{i}" for i in range(5)]
    assert s.outbox.dead_letters() == [] and len(s.outbox) == 0
    assert sample(metrics, "stance_monitor_slack_deliveries_total", outcome="ok") == 5
    assert sample(metrics, "stance_monitor_slack_delivery_failures_total", error="http_5xx") >= 1
    assert sample(metrics, "stance_monitor_slack_outbox_pending") == 0


def test_channel_not_found_is_reported_counted_dead_lettered_and_later_alerts_go_out(
    slack_server: SlackServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    metrics = Metrics.create(CollectorRegistry())
    slack_server.error_for_channel("#nope", "channel_not_found")
    s = sink(slack_server, tmp_path, metrics=metrics)
    s.send(make_alert("lost", channel="#nope"))
    s.send(make_alert("fine", channel="#ok"))
    assert s.flush(timeout=10)
    s.close()

    assert posted_alert_ids(slack_server) == ["fine"]
    assert len(slack_server.calls("chat.postMessage", ok_only=False)) == 2  # not retried
    (dead,) = s.outbox.dead_letters()
    assert dead["error"] == "channel_not_found" and dead["payload"]["id"] == "lost"
    assert "slack delivery of alert 'lost' to #nope failed: channel_not_found" in caplog.text
    assert sample(metrics, "stance_monitor_slack_delivery_failures_total", error="channel_not_found") == 1
    assert sample(metrics, "stance_monitor_slack_deliveries_total", outcome="failed") == 1
    assert slack_server.token not in caplog.text
    assert slack_server.token not in (tmp_path / "dead-letter.jsonl").read_text()


def test_restart_sends_what_was_left_and_nothing_twice(slack_server: SlackServer, tmp_path: Path) -> None:
    first = sink(slack_server, tmp_path, close_timeout=0.1)
    first.send(make_alert("delivered"))
    assert first.flush(timeout=10)
    slack_server.down(503)
    first.send(make_alert("delivered"))  # already in Slack: not even queued
    assert len(first.outbox) == 0
    first.send(make_alert("left-behind"))
    first.close()  # Slack still down: the entry stays on disk
    assert len(list((tmp_path / "pending").glob("*.json"))) == 1
    slack_server.up()

    second = sink(slack_server, tmp_path)
    second.send(make_alert("delivered"))  # replayed input: already in Slack
    second.send(make_alert("new"))
    assert second.flush(timeout=10)
    second.close()
    assert posted_alert_ids(slack_server) == ["delivered", "left-behind", "new"]


def test_updates_follow_their_alert_through_the_outbox(slack_server: SlackServer, tmp_path: Path) -> None:
    s = sink(slack_server, tmp_path)
    slack_server.fail_next(3)  # the alert fails once; the update must still come after it
    s.send(make_alert())
    s.send_update(resolved("u1", make_alert().id))
    assert s.flush(timeout=10)
    s.close()
    parent, reply = slack_server.messages
    assert "thread_ts" not in parent and reply["thread_ts"] == slack_server.updates[0]["ts"]


def test_the_sinks_from_the_environment_wire_the_outbox_and_updates(
    slack_server: SlackServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    environ: Callable[[Mapping[str, str]], None],
) -> None:
    environ(
        {
            "SLACK_BOT_TOKEN": slack_server.token,
            "SLACK_API_URL": slack_server.url.rstrip("/"),
            "SLACK_DEFAULT_CHANNEL": "#default",
            "SLACK_MENTIONS": "critical=@here",
            "SLACK_OUTBOX_DIR": str(tmp_path / "outbox"),
        }
    )
    assert [type(s).__name__ for s in build_sinks(None, None, None, None)] == ["StdoutSink"]
    sinks = build_sinks(None, None, tmp_path / "alerts.jsonl", slack_from_env())
    assert [type(s).__name__ for s in sinks] == ["StdoutSink", "JsonlSink", "SlackSink"]
    fan = FanOut(sinks)
    fan.send(make_alert(channel=None, severity="critical"))
    fan.send_update(resolved("u1", make_alert().id))
    slack = sinks[2]
    assert isinstance(slack, SlackSink) and slack.flush(timeout=10)
    fan.close()
    assert slack_server.messages[0]["channel"] == "#default"
    assert slack_server.messages[0]["text"].startswith("<!here> ")
    assert slack_server.messages[1]["thread_ts"] and len(slack_server.updates) == 1
    # the alerts file holds only DESIGN-format alert lines
    lines = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert [line["id"] for line in lines] == [make_alert().id] and "kind" not in lines[0]
    assert f"↳ {make_alert().id}: resolved 2025-06-20 10:00 UTC" in capsys.readouterr().out
    assert (tmp_path / "outbox" / "delivered.jsonl").exists()
    assert isinstance(sinks[0], StdoutSink)
