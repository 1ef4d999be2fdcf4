"""Silences: mute the notifications of matching alerts for a while, without editing a rule (like Alertmanager).

A silence has matchers on the alert's rule (`rule`, `actor`, `stance`, `target`, `severity`, `channel`, or a
label as `label.NAME`), each an exact value or a shell-style pattern (`russia-*`), and a span of event time
[`starts_at`, `ends_at`). An alert fired inside the span whose rule matches every matcher is *silenced*: it is
still recorded (the alerts topic, `--alerts-out`) and counted in `stance_monitor_alerts_suppressed_total
{reason="silenced"}`, but not posted to Slack or printed; its follow-ups are muted with it. Silences live in
one YAML file (`STANCE_MONITOR_SILENCES`) that `run` and the worker reload when it changes, and that
`stance-monitor silence add|list|expire` edits.
"""

from __future__ import annotations

import fnmatch
import os
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from ruamel.yaml import YAML

from monitor.errors import FileProblemsError
from monitor.rules import RuleDef, YamlFileProblem, read_yaml, validation_problems
from monitor.types import episode_of, iso_utc

RULE_FIELDS = ("rule", "actor", "stance", "target", "severity", "channel")
LABEL_PREFIX = "label."

State = Literal["active", "pending", "expired"]


class SilenceError(FileProblemsError):
    """The silences file is invalid; each message reads `file:line: where: what is wrong`."""


class Silence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:8])
    matchers: dict[str, str] = Field(description="Field of the alert's rule -> exact value or pattern.")
    starts_at: datetime
    ends_at: datetime
    comment: str = ""
    created_by: str = ""

    @field_validator("matchers")
    @classmethod
    def _known_fields(cls, matchers: dict[str, str]) -> dict[str, str]:
        if not matchers:
            raise ValueError(
                "at least one matcher is needed (a silence that matches everything mutes the tool)"
            )
        for name in matchers:
            if name not in RULE_FIELDS and not (
                name.startswith(LABEL_PREFIX) and len(name) > len(LABEL_PREFIX)
            ):
                raise ValueError(
                    f"unknown field {name!r} (expected one of {', '.join(RULE_FIELDS)} or label.NAME)"
                )
        return matchers

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _aware(cls, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("needs a timezone, e.g. 2025-03-01T00:00:00Z")
        return moment.astimezone(UTC).replace(microsecond=0)  # the file keeps whole seconds

    @model_validator(mode="after")
    def _ordered(self) -> Silence:
        if self.ends_at <= self.starts_at:
            raise ValueError(
                f"ends_at ({iso_utc(self.ends_at)}) must be after starts_at ({iso_utc(self.starts_at)})"
            )
        return self

    def matches(self, rule: RuleDef) -> bool:
        for name, pattern in self.matchers.items():
            value = _field(rule, name)
            if value is None or not fnmatch.fnmatchcase(
                value, pattern
            ):  # a field the rule lacks never matches
                return False
        return True

    def state(self, now: datetime) -> State:
        if now < self.starts_at:
            return "pending"
        return "active" if now < self.ends_at else "expired"

    def to_yaml(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "matchers": dict(self.matchers),
            "starts_at": iso_utc(self.starts_at),
            "ends_at": iso_utc(self.ends_at),
            "comment": self.comment,
            "created_by": self.created_by,
        }


def _field(rule: RuleDef, name: str) -> str | None:
    if name.startswith(LABEL_PREFIX):
        return rule.labels.get(name[len(LABEL_PREFIX) :])
    value = getattr(rule, "id" if name == "rule" else name)
    return None if value is None else str(value)


def load_silences(path: Path) -> list[Silence]:
    """The silences in `path` (none if the file does not exist); raises SilenceError with `file:line:`."""
    if not path.exists():
        return []
    try:
        doc = read_yaml(path)
    except YamlFileProblem as exc:
        raise SilenceError([f"{path}:{exc.line or 1}: {exc}"]) from exc
    if doc is None:
        return []
    items = doc.get("silences") if hasattr(doc, "get") else None
    if not isinstance(items, list):
        raise SilenceError([f"{path}:1: file: expected a mapping with a `silences:` list"])
    silences: list[Silence] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        line = item.lc.line + 1 if hasattr(item, "lc") else 1
        try:
            silences.append(Silence.model_validate(dict(item) if hasattr(item, "items") else item))
        except ValidationError as exc:
            problems += [
                f"{path}:{n}: {msg}"
                for n, msg in validation_problems(exc, item, line, f"silences[{index}]", Silence)
            ]
    if problems:
        raise SilenceError(problems)
    return silences


def save_silences(path: Path, silences: Sequence[Silence]) -> None:
    """Write the file whole (to a temporary file, then renamed: a reader never sees half of it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        yaml = YAML(typ="rt")
        yaml.default_flow_style = False
        yaml.dump({"silences": [s.to_yaml() for s in silences]}, handle)
    os.replace(temporary, path)


class Silencer:
    """The silences in force for a driver: reloads the file when it changes (a broken edit keeps the last)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.silences: list[Silence] = []
        self.stamp: tuple[float, int] | None = None
        self.reload()

    def reload(self) -> bool:
        """Read the file again if it changed; True if it did. Raises SilenceError for an invalid edit."""
        if self.path is None:
            return False
        try:
            info = self.path.stat()
            stamp: tuple[float, int] | None = (info.st_mtime, info.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp == self.stamp:
            return False
        self.stamp = stamp
        self.silences = load_silences(self.path)
        return True

    def silencing(self, rules: Sequence[RuleDef], alert_id: str) -> Silence | None:
        """The silence that mutes the alert `alert_id` and so its follow-ups too (decided from the alert's rule
        and firing time, both in its id, so a restarted driver decides the same without state)."""
        if not self.silences:
            return None
        rule_id, fired_at = episode_of(alert_id)
        rule = next((r for r in rules if r.id == rule_id), None)
        return self.silenced_by(rule, fired_at) if rule is not None else None

    def silenced_by(self, rule: RuleDef, fired_at: datetime) -> Silence | None:
        """The silence that mutes an alert of `rule` fired at `fired_at` (event time), if any."""
        for silence in self.silences:
            if silence.state(fired_at) == "active" and silence.matches(rule):
                return silence
        return None
