"""The alert, its follow-ups and their quoted evidence, and the JSON form of each (DESIGN.md's alert format).

`Alert`, `AlertUpdate` and `Evidence` are frozen pydantic models. Their times are timezone-aware UTC
datetimes, to the second (the precision of the JSON), from the moment they are built; in JSON they are
RFC 3339 text, "2025-06-14T09:10:00Z". `alert_to_dict` / `alert_from_dict` and `update_to_dict` /
`update_from_dict` convert to and from JSON-ready dicts; reading accepts records written before the newer
fields existed and names the field of any bad input.
"""

from __future__ import annotations

import contextlib
import reprlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictFloat,
    StrictInt,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from monitor.types import Direction, Severity, iso_utc

__all__ = [
    "Alert",
    "AlertUpdate",
    "Evidence",
    "UpdateKind",
    "UtcTime",
    "alert_from_dict",
    "alert_to_dict",
    "update_from_dict",
    "update_to_dict",
]


def _utc_time(value: object) -> datetime:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):  # then reported below, as any other non-time
            value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise PydanticCustomError("utc_time", "expected an RFC 3339 time such as 2025-06-14T09:10:00Z")
    if value.tzinfo is None:
        raise PydanticCustomError("utc_time", "the time has no zone (e.g. 2025-06-14T09:10:00Z)")
    return value.astimezone(UTC).replace(microsecond=0)


#: A moment in UTC to the second; RFC 3339 text (or an aware datetime) in, "...Z" text out in JSON.
UtcTime = Annotated[
    datetime, BeforeValidator(_utc_time), PlainSerializer(iso_utc, return_type=str, when_used="json")
]


def _null_as(empty: Callable[[], object]) -> BeforeValidator:
    # Older writers put null where the field now has an empty default ("evidence": null, "source": null).
    return BeforeValidator(lambda value: empty() if value is None else value)


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Evidence(_Record):
    """One quoted sentence of an article that supports an alert."""

    article_id: str
    source: Annotated[str, _null_as(str)] = ""
    url: str | None = None
    published_at: UtcTime
    quote: str
    # Why the quote counted (monitor/explain.py), only when asked for (`replay --explain`); absent from the
    # JSON otherwise.
    explain: dict[str, Any] | None = Field(default=None, exclude_if=lambda value: value is None)


class Alert(_Record):
    """An alert in the DESIGN.md format (its fields in that order), plus the counts and wording behind it."""

    id: str
    rule_id: str
    title: str
    actor: str
    stance: str
    target: str | None = None
    direction: Direction
    severity: Severity
    fired_at: UtcTime
    window_start: UtcTime
    window_end: UtcTime
    score: StrictFloat = 0.0
    baseline: StrictFloat = 0.0
    evidence: Annotated[tuple[Evidence, ...], _null_as(tuple)] = ()
    channel: str | None = None
    labels: Annotated[dict[str, str], _null_as(dict)] = Field(default_factory=dict)
    # Counts behind score/baseline, so a person can read "6 of 9 articles" rather than 0.67.
    window_count: StrictInt = 0
    window_total: StrictInt = 0
    baseline_count: StrictInt = 0
    baseline_total: StrictInt = 0
    p_value: StrictFloat = 1.0
    # How to describe it, fixed when it fired (a later rule reload cannot change what it says): display
    # names and the stance's wording from the rules, and the span of baseline the detector had watched.
    actor_name: Annotated[str, _null_as(str)] = ""
    target_name: str | None = None
    stance_label: Annotated[str, _null_as(str)] = ""
    baseline_seconds: StrictInt = 0


UpdateKind = Literal["evidence", "resolved"]


class AlertUpdate(_Record):
    """News about an alert that already fired, for its Slack thread (not a new alert).

    kind="evidence": another independent story supports the open episode (`evidence` holds it).
    kind="resolved": the episode ended; the stance is back at its baseline (`evidence` is empty).
    `id` is stable (alert id + kind + event time) so a re-delivered update is recognised.
    """

    id: str
    alert_id: str
    rule_id: str = ""
    kind: UpdateKind
    at: UtcTime  # event time
    evidence: Annotated[tuple[Evidence, ...], _null_as(tuple)] = ()
    channel: str | None = None


def alert_to_dict(alert: Alert) -> dict[str, Any]:
    """The alert as a JSON-ready dict in the DESIGN.md key order, plus the count and wording fields."""
    return alert.model_dump(mode="json")


def alert_from_dict(data: object) -> Alert:
    """An Alert from `alert_to_dict` output, or a DESIGN.md alert without the newer fields (their defaults).

    Unknown keys are ignored. Raises ValueError naming each field that is missing or wrong.
    """
    try:
        return Alert.model_validate(data)
    except ValidationError as exc:
        raise ValueError(_problems("alert", exc)) from None


def update_to_dict(update: AlertUpdate) -> dict[str, Any]:
    return update.model_dump(mode="json")


def update_from_dict(data: object) -> AlertUpdate:
    """An AlertUpdate from `update_to_dict` output; raises ValueError naming each field that is wrong."""
    try:
        return AlertUpdate.model_validate(data)
    except ValidationError as exc:
        raise ValueError(_problems("update", exc)) from None


def _problems(what: str, exc: ValidationError) -> str:
    """One line: "alert: field 'evidence[0].published_at': <what is wrong> (got '...')"; ..."""
    found = []
    for err in exc.errors(include_url=False):
        path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in err["loc"]).lstrip(
            "."
        )
        where = f"{what}: field {path!r}" if path else what
        got = "" if err["type"] == "missing" else f" (got {reprlib.repr(err['input'])})"
        found.append(f"{where}: {err['msg']}{got}")
    return "; ".join(found)
