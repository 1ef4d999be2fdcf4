"""Slack messages, without a network: mentions, links, escaping, Block Kit limits."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from monitor.alerts import Alert, AlertUpdate, Evidence
from monitor.slack import alert_message, escape_mrkdwn, evidence_reply, sample_alert
from monitor.slack._message import MAX_QUOTES, distinct_outlets, safe_url, slack_link

AT = datetime(2025, 6, 14, 8, tzinfo=UTC)


def make_alert(**changes: object) -> Alert:
    base = Alert(
        id="r1:2025-06-13", rule_id="r1", title="Russia offers mediation", actor="russia", stance="mediation",
        target=None, direction="rise", severity="high", fired_at=datetime(2025, 6, 14, 9, 10, tzinfo=UTC),
        window_start=datetime(2025, 6, 13, 9, 10, tzinfo=UTC), window_end=datetime(2025, 6, 14, 9, 10, tzinfo=UTC),
        score=0.6, baseline=0.1,
        evidence=(Evidence(article_id="a-1", source="Wire", url="https://example.org/a", published_at=AT,
                           quote="Moscow offered talks."),),
    )  # fmt: skip
    return base.model_copy(update=changes)


def test_escape_mrkdwn() -> None:
    assert escape_mrkdwn("a & <!here> <@U1|x>") == "a &amp; &lt;!here&gt; &lt;@U1|x&gt;"
    assert escape_mrkdwn("&lt;") == "&amp;lt;"


def test_only_plain_http_urls_become_links() -> None:
    assert (
        slack_link("https://example.org/x?a=1&b=2", "A <b>")
        == "<https://example.org/x?a=1&amp;b=2|A &lt;b&gt;>"
    )
    for bad in (
        "javascript:alert(1)",
        "https://evil|x",
        "https://e.org/a>b",
        "ftp://e.org",
        "https://e.org/ x",
        None,
    ):
        assert safe_url(bad) is None
        assert slack_link(bad, "Label") == "Label"
    assert safe_url("https://e.org/" + "a" * 2000) is None  # too long to link: left out, never cut


def test_distinct_outlets_keeps_the_first_of_each() -> None:
    ev = [Evidence(article_id=str(i), source=src, published_at=AT, quote=f"q{i}") for i, src in
          enumerate(["Wire", "wire", "Daily", "Post", "Times"])]  # fmt: skip
    assert [e.article_id for e in distinct_outlets(ev)] == ["0", "2", "3"][:MAX_QUOTES]


def test_rule_text_is_escaped_too() -> None:
    alert = make_alert(title="<!everyone> offers", labels={"r": "<@U9>"}, rule_id="<x>", stance="<!here>")
    message = alert_message(
        alert.model_copy(update={"actor_name": "<!channel>", "stance_label": "<!here> too"})
    )
    payload = json.dumps([message.text, message.blocks_as_dicts()])
    for live in ("<!everyone>", "<!here>", "<!channel>", "<@U9>", "<x>"):
        assert live not in payload
    assert payload.count("<") == 1  # the one evidence link


def test_huge_input_stays_within_block_kit_limits() -> None:
    quote = "&<>" * 2000  # worst case for escaping
    evidence = tuple(Evidence(article_id=str(i), source=f"Outlet {i} " + "&" * 500,
                              url="https://example.org/" + "&" * 900, published_at=AT, quote=quote)
                     for i in range(30))  # fmt: skip
    alert = make_alert(title="T" * 400, evidence=evidence, labels={f"k{i}": "v" * 50 for i in range(20)})
    blocks = alert_message(alert, mention="<!here>").blocks_as_dicts()  # raises if a limit is broken
    assert len(blocks[0]["text"]["text"]) <= 150
    assert blocks[-2]["elements"][0]["text"] == "+ 27 more articles in the evidence"
    reply = evidence_reply(
        AlertUpdate(id="u", alert_id="a", rule_id="r", kind="evidence", at=AT, evidence=evidence), "T"
    )
    assert len(reply.blocks_as_dicts()) == 1 + MAX_QUOTES + 1


def test_sample_alert_is_marked_as_a_test() -> None:
    alert = sample_alert(datetime(2025, 6, 14, 9, 10, tzinfo=UTC))
    assert alert.title.startswith("TEST ALERT") and alert.labels == {"test": "true"}
    assert all("test" in ev.source and "Invented" in ev.quote for ev in alert.evidence)
    assert alert.id == "slack-test:2025-06-14T09:10:00Z"


def test_public_api_and_lazy_slack_import() -> None:
    import subprocess
    import sys

    import monitor.slack

    assert {"SlackNotifier", "SlackSettings", "SlackSink", "DeliveryStore", "JsonlDeliveryLog",
            "SlackTransientError", "SlackPermanentError", "SlackConfigError"} <= set(monitor.slack.__all__)  # fmt: skip
    assert all(hasattr(monitor.slack, name) for name in monitor.slack.__all__)
    # the alert, its text and the generic sinks do not pull in slack_sdk (only a configured Slack sink does)
    code = "import sys, monitor.alerts, monitor.render, monitor.sinks; print('slack_sdk' in sys.modules)"
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": root}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root, env=env
    ).stdout
    assert out.split() == ["False"]
