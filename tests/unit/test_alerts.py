"""The alert model and its JSON: DESIGN.md's format exactly, aware UTC times, older records, clear errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from monitor.alerts import (
    Alert,
    AlertUpdate,
    Evidence,
    alert_from_dict,
    alert_to_dict,
    update_from_dict,
    update_to_dict,
)
from tests.alerts import FIRED, make_alert

# What the alert JSON looked like before the model moved to pydantic (dataclasses.asdict): byte for byte.
DESIGN_JSON = (
    '{"id": "russia-offers-mediation:2025-06-13", "rule_id": "russia-offers-mediation", '
    '"title": "Russia offers mediation", "actor": "russia", "stance": "mediation", "target": "iran", '
    '"direction": "rise", "severity": "high", "fired_at": "2025-06-16T09:30:00Z", '
    '"window_start": "2025-06-15T09:30:00Z", "window_end": "2025-06-16T09:30:00Z", "score": 0.67, '
    '"baseline": 0.0, "evidence": [{"article_id": "a-1", "source": "Example Wire", '
    '"url": "https://example.org/x", "published_at": "2025-06-16T09:23:41Z", '
    '"quote": "Moscow offered [b]x[/b]"}], "channel": "#geo-alerts", "labels": {"region": "mena"}, '
    '"window_count": 6, "window_total": 9, "baseline_count": 0, "baseline_total": 41, "p_value": 0.0012, '
    '"actor_name": "Russia", "target_name": "Iran", "stance_label": "offers mediation", '
    '"baseline_seconds": 1209600}'
)


def test_json_is_the_design_format_byte_for_byte_and_round_trips() -> None:
    alert = make_alert()
    assert json.dumps(alert_to_dict(alert), ensure_ascii=False) == DESIGN_JSON
    assert alert_from_dict(json.loads(DESIGN_JSON)) == alert


def test_times_are_aware_utc_datetimes_to_the_second() -> None:
    alert = alert_from_dict({**json.loads(DESIGN_JSON), "fired_at": "2025-06-16T11:30:00.750+02:00"})
    assert alert.fired_at == FIRED and alert.fired_at.tzinfo is UTC
    assert alert.evidence[0].published_at == datetime(2025, 6, 16, 9, 23, 41, tzinfo=UTC)
    east = timezone(timedelta(hours=3))
    fields = make_alert().model_dump()
    built = Alert(**{**fields, "fired_at": datetime(2025, 6, 16, 12, 30, 0, 999, tzinfo=east)})
    assert built.fired_at == FIRED and built.fired_at.tzinfo is UTC
    assert alert_to_dict(built)["fired_at"] == "2025-06-16T09:30:00Z"
    later = Alert(**{**fields, "fired_at": "2025-06-16T09:30:01Z"})
    assert sorted([later, make_alert()], key=lambda a: a.fired_at) == [make_alert(), later]


def test_a_time_without_a_zone_or_not_a_time_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="fired_at"):
        Alert(**{**make_alert().model_dump(), "fired_at": datetime(2025, 6, 16, 9, 30)})  # noqa: DTZ001
    data = json.loads(DESIGN_JSON)
    with pytest.raises(ValueError, match="alert: field 'window_end': the time has no zone"):
        alert_from_dict({**data, "window_end": "2025-06-16T09:30:00"})
    with pytest.raises(
        ValueError, match="field 'fired_at': expected an RFC 3339 time .* \\(got 1750066200\\)"
    ):
        alert_from_dict({**data, "fired_at": 1750066200})  # seconds since the epoch are not a time here
    data["evidence"][0]["published_at"] = "yesterday"
    with pytest.raises(ValueError, match=r"field 'evidence\[0\]\.published_at': .* \(got 'yesterday'\)"):
        alert_from_dict(data)


def test_from_dict_names_the_bad_field() -> None:
    data = json.loads(DESIGN_JSON)
    with pytest.raises(ValueError, match="field 'direction'.*sideways"):
        alert_from_dict({**data, "direction": "sideways"})
    with pytest.raises(ValueError, match="field 'window_count'.*True"):
        alert_from_dict({**data, "window_count": True})  # a bool is not a count
    with pytest.raises(ValueError, match="field 'score'"):
        alert_from_dict({**data, "score": "0.67"})
    del data["title"]
    with pytest.raises(ValueError, match="^alert: field 'title': Field required$"):
        alert_from_dict(data)
    with pytest.raises(ValueError, match="alert: .*valid dictionary"):
        alert_from_dict(["not", "an", "object"])


def test_older_records_get_the_defaults_of_the_newer_fields() -> None:
    newer = ("window_count", "window_total", "baseline_count", "baseline_total", "p_value", "actor_name",
             "target_name", "stance_label", "baseline_seconds")  # fmt: skip
    data = {k: v for k, v in json.loads(DESIGN_JSON).items() if k not in newer}
    alert = alert_from_dict({**data, "an_unknown_key": 1})
    assert (alert.window_count, alert.window_total, alert.baseline_count, alert.baseline_total) == (
        0,
        0,
        0,
        0,
    )
    assert alert.p_value == 1.0 and alert.baseline_seconds == 0
    assert (alert.actor_name, alert.target_name, alert.stance_label) == ("", None, "")
    assert alert.evidence[0].explain is None
    nulls = alert_from_dict(
        {**data, "evidence": None, "labels": None, "actor_name": None, "stance_label": None, "target": None}
    )
    assert (nulls.evidence, nulls.labels, nulls.actor_name, nulls.stance_label, nulls.target) == (
        (),
        {},
        "",
        "",
        None,
    )
    bare = {k: data[k] for k in ("id", "rule_id", "title", "actor", "stance", "direction", "severity",
                                 "fired_at", "window_start", "window_end")}  # fmt: skip
    assert alert_from_dict(bare).score == 0.0 and alert_from_dict(bare).channel is None


def test_explain_is_in_the_json_only_when_set() -> None:
    alert = make_alert()
    explained = alert.model_copy(
        update={"evidence": (alert.evidence[0].model_copy(update={"explain": {"role": "agent"}}),)}
    )
    assert "explain" not in alert_to_dict(alert)["evidence"][0]
    assert alert_to_dict(explained)["evidence"][0]["explain"] == {"role": "agent"}
    assert alert_from_dict(alert_to_dict(explained)) == explained


def test_alerts_are_frozen() -> None:
    alert = make_alert()
    with pytest.raises(ValidationError, match="frozen"):
        alert.title = "changed"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        alert.evidence[0].quote = "changed"  # type: ignore[misc]


def test_updates_round_trip_through_json_and_name_the_bad_field() -> None:
    update = AlertUpdate(
        id="r:2025-06-16T09:30:00Z/evidence/a9",
        alert_id="r:2025-06-16T09:30:00Z",
        rule_id="r",
        kind="evidence",
        at=FIRED + timedelta(hours=3),
        evidence=(
            Evidence(
                article_id="a9", source="Wire", url=None, published_at=FIRED + timedelta(hours=3), quote="q"
            ),
        ),
        channel="#geo",
    )
    data = update_to_dict(update)
    assert json.dumps(data) == (
        '{"id": "r:2025-06-16T09:30:00Z/evidence/a9", "alert_id": "r:2025-06-16T09:30:00Z", "rule_id": "r", '
        '"kind": "evidence", "at": "2025-06-16T12:30:00Z", "evidence": [{"article_id": "a9", "source": "Wire", '
        '"url": null, "published_at": "2025-06-16T12:30:00Z", "quote": "q"}], "channel": "#geo"}'
    )
    assert update_from_dict(json.loads(json.dumps(data))) == update
    # written before evidence items could carry an explanation
    data["evidence"][0]["explain"] = None
    assert update_from_dict(data) == update
    with pytest.raises(ValueError, match="update: field 'kind'"):
        update_from_dict({**data, "kind": "reopened"})
    with pytest.raises(ValueError, match="update: field 'at': Field required"):
        update_from_dict({k: v for k, v in data.items() if k != "at"})
