"""`stance-monitor slack test`: an invented alert, clearly marked as a test, to see the format before going live."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.alerts import Alert, Evidence
from monitor.slack._errors import SlackConfigError
from monitor.slack._notifier import Posted, SlackNotifier
from monitor.slack._settings import SlackSettings
from monitor.types import iso_utc


def sample_alert(now: datetime) -> Alert:
    """An invented alert in the DESIGN.md format; its title, labels and outlets say it is a test."""
    at = now.replace(microsecond=0)
    return Alert(
        id=f"slack-test:{iso_utc(at)}",
        rule_id="slack-test",
        title="TEST ALERT (not real): Russia offers mediation",
        actor="russia",
        actor_name="Russia",
        stance_label="offers mediation",
        baseline_seconds=14 * 86400,
        stance="mediation",
        target=None,
        direction="rise",
        severity="high",
        fired_at=at,
        window_start=at - timedelta(hours=24),
        window_end=at,
        score=0.67,
        baseline=0.0,
        evidence=(
            Evidence(
                article_id="test-1",
                source="Example Wire (test)",
                url="https://example.org/test-1",
                published_at=at - timedelta(hours=1),
                quote="Invented for a test: the Kremlin said it was ready to mediate between the two sides.",
            ),
            Evidence(
                article_id="test-2",
                source="Sample Daily (test)",
                url="https://example.org/test-2",
                published_at=at - timedelta(hours=3),
                quote="Invented for a test: Moscow offered to host talks.",
            ),
        ),
        channel=None,
        labels={"test": "true"},
        window_count=6,
        window_total=9,
        baseline_count=0,
        baseline_total=41,
        p_value=0.0012,
    )


def send_test_alert(
    settings: SlackSettings | None, *, channel: str | None = None, now: datetime | None = None
) -> tuple[Posted, str]:
    """Post the sample alert (no mentions, no delivery log) to `channel` or SLACK_DEFAULT_CHANNEL.

    `settings` is None when SLACK_BOT_TOKEN is not set (see `slack_from_env`). Returns (where it went, the
    channel as given). Raises SlackConfigError when the token or a channel is missing, SlackDeliveryError when
    Slack refuses or cannot be reached.
    """
    if settings is None:
        raise SlackConfigError("SLACK_BOT_TOKEN is not set: export the bot token (xoxb-...) first")
    target = channel or settings.default_channel
    if not target:
        raise SlackConfigError("no channel: pass --channel or set SLACK_DEFAULT_CHANNEL")
    notifier = SlackNotifier(settings, {})
    return notifier.post_test(sample_alert(now or datetime.now(UTC)), target), target
