"""`stance-monitor slack test` as a user runs it: a subprocess against the local Slack Web API."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.slack_server import SlackServer

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def slack_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return subprocess.run(
        [sys.executable, "-m", "monitor", "slack", "test", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**base, "PYTHONPATH": str(ROOT), "COLUMNS": "200", **env},
        timeout=120,
    )


def test_slack_test_posts_a_sample_alert_marked_as_a_test(slack_server: SlackServer) -> None:
    env = {
        "SLACK_BOT_TOKEN": slack_server.token,
        "SLACK_API_URL": slack_server.url,
        "SLACK_MENTIONS": "high=@here",
    }
    result = slack_cli("--channel", "#try-out", env=env)
    assert result.returncode == 0, result.stderr
    assert "sent a test alert to #try-out" in result.stdout
    (body,) = slack_server.messages
    assert body["channel"] == "#try-out"
    assert body["blocks"][0]["text"]["text"] == ":red_circle: TEST ALERT (not real): Russia offers mediation"
    assert body["text"].startswith("TEST ALERT (not real)")
    assert "<!here>" not in str(body)  # a test never pings anyone
    assert slack_server.token not in result.stdout + result.stderr


def test_slack_test_uses_the_default_channel(slack_server: SlackServer) -> None:
    env = {"SLACK_BOT_TOKEN": slack_server.token, "SLACK_API_URL": slack_server.url,
           "SLACK_DEFAULT_CHANNEL": "#alerts"}  # fmt: skip
    assert slack_cli(env=env).returncode == 0
    assert [m["channel"] for m in slack_server.messages] == ["#alerts"]


def test_slack_test_without_a_token_fails_clearly(slack_server: SlackServer) -> None:
    result = slack_cli("--channel", "#x", env={"SLACK_API_URL": slack_server.url})
    assert result.returncode == 1
    assert "SLACK_BOT_TOKEN is not set" in result.stderr
    assert slack_server.requests == []


def test_slack_test_reports_what_slack_refused(slack_server: SlackServer) -> None:
    slack_server.error_for_channel("#secret", "not_in_channel")
    env = {"SLACK_BOT_TOKEN": slack_server.token, "SLACK_API_URL": slack_server.url}
    result = slack_cli("--channel", "#secret", env=env)
    assert result.returncode == 1
    assert "not_in_channel" in result.stderr and "#secret" in result.stderr
    assert slack_server.token not in result.stdout + result.stderr
