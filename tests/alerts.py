"""A sample alert shared by the tests of the alert model, its text and the sinks."""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.alerts import Alert, Evidence

FIRED = datetime(2025, 6, 16, 9, 30, tzinfo=UTC)


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
        fired_at=FIRED,
        window_start=datetime(2025, 6, 15, 9, 30, tzinfo=UTC),
        window_end=FIRED,
        score=0.67,
        baseline=0.0,
        evidence=(
            Evidence(
                article_id="a-1",
                source="Example Wire",
                url="https://example.org/x",
                published_at=datetime(2025, 6, 16, 9, 23, 41, tzinfo=UTC),
                quote="Moscow offered [b]x[/b]",
            ),
        ),
        channel="#geo-alerts",
        labels={"region": "mena"},
        window_count=6,
        window_total=9,
        baseline_count=0,
        baseline_total=41,
        p_value=0.0012,
    )
