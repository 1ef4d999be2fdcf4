"""Silences (monitor/silences.py) and `stance-monitor silence add|list|expire`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli import app
from monitor.rules import load_rules
from monitor.silences import Silence, SilenceError, Silencer, load_silences, save_silences

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2025, 3, 1, tzinfo=UTC)
RULES = load_rules(ROOT / "rules")


def silence(**matchers: str) -> Silence:
    return Silence(matchers=matchers, starts_at=T0, ends_at=T0 + timedelta(days=1))


def test_a_silence_matches_rules_by_exact_values_patterns_and_labels() -> None:
    rule = RULES.rules[0]
    assert silence(rule=rule.id).matches(rule)
    assert silence(rule=rule.id[:4] + "*", actor=rule.actor).matches(rule)
    assert not silence(rule=rule.id, actor="nobody").matches(rule)  # every matcher must hold
    assert not silence(target="*").matches(RULES.rules[0].model_copy(update={"target": None}))
    labelled = rule.model_copy(update={"labels": {"team": "europe"}})
    assert silence(**{"label.team": "europe"}).matches(labelled)
    assert not silence(**{"label.team": "asia"}).matches(labelled)


def test_it_mutes_only_inside_its_event_time_span() -> None:
    silencer = Silencer(None)
    silencer.silences = [silence(rule=RULES.rules[0].id)]
    rule = RULES.rules[0]
    assert silencer.silenced_by(rule, T0 - timedelta(seconds=1)) is None
    assert silencer.silenced_by(rule, T0) is silencer.silences[0]
    assert silencer.silenced_by(rule, T0 + timedelta(days=1)) is None  # the end is not included


@pytest.mark.parametrize(
    ("matchers", "message"),
    [({}, "at least one matcher"), ({"colour": "red"}, "unknown field 'colour'")],
)
def test_a_silence_must_say_what_it_mutes(matchers: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Silence(matchers=matchers, starts_at=T0, ends_at=T0 + timedelta(hours=1))


def test_the_file_round_trips_and_its_errors_point_at_the_line(tmp_path: Path) -> None:
    path = tmp_path / "silences.yaml"
    saved = [silence(rule="a"), silence(actor="russia")]
    save_silences(path, saved)
    assert load_silences(path) == saved
    path.write_text(
        "silences:\n"
        "  - matchers: {rule: a}\n"
        "    starts_at: 2025-03-02T00:00:00Z\n"
        "    ends_at: 2025-03-01T00:00:00Z\n",
        encoding="utf-8",
    )
    with pytest.raises(SilenceError) as info:
        load_silences(path)
    assert info.value.messages[0].startswith(f"{path}:2: silences[0]")
    assert "must be after starts_at" in info.value.messages[0]


def test_the_silencer_reloads_an_edited_file(tmp_path: Path) -> None:
    path = tmp_path / "silences.yaml"
    silencer = Silencer(path)  # no file yet: nothing is silenced
    assert silencer.silences == [] and not silencer.reload()
    save_silences(path, [silence(rule="a")])
    assert silencer.reload() and [s.matchers for s in silencer.silences] == [{"rule": "a"}]
    assert not silencer.reload()


def test_the_cli_adds_lists_and_expires(tmp_path: Path) -> None:
    path = str(tmp_path / "silences.yaml")
    runner = CliRunner()
    added = runner.invoke(
        app, ["silence", "add", "-f", path, "-m", "rule=russia-*", "--for", "1h", "--comment", "x"]
    )
    assert added.exit_code == 0, added.output
    silence_id = added.stdout.strip().splitlines()[0]
    listed = runner.invoke(app, ["silence", "list", "-f", path, "--json"])
    assert [json.loads(line)["state"] for line in listed.stdout.splitlines()] == ["active"]
    assert runner.invoke(app, ["silence", "expire", silence_id, "-f", path]).exit_code == 0
    assert runner.invoke(app, ["silence", "list", "-f", path, "--json"]).stdout.strip() == ""
    everything = runner.invoke(app, ["silence", "list", "-f", path, "--json", "--all"]).stdout.splitlines()
    assert [json.loads(line)["id"] for line in everything] == [silence_id]
    missing = runner.invoke(app, ["silence", "expire", "nope", "-f", path])
    assert missing.exit_code == 1
    bad = runner.invoke(app, ["silence", "add", "-f", path, "-m", "rule"])
    assert bad.exit_code == 2 and "FIELD=VALUE" in bad.output
