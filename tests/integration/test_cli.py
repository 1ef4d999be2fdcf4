"""The command line, run as a user runs it: exit codes, stdout, stderr and files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.streams import shift_stream, write_jsonl

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_RULES = ROOT / "tests" / "fixtures" / "rules.yaml"


def cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    # No Slack unless a test asks for it: a token in the developer's shell must not reach the tests.
    base = {k: v for k, v in os.environ.items() if k != "SLACK_BOT_TOKEN"}
    full_env = {**base, "HF_HUB_OFFLINE": "1", "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        timeout=600,
    )


def test_rules_check_accepts_the_shipped_rules() -> None:
    result = cli("rules", "check", "rules")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("rules: ok (")


def test_rules_check_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "actors:\n"
        "  russia:\n"
        "    name: Russia\n"
        "stances:\n"
        "  mediation:\n"
        "    label: offers mediation\n"
        "    examples: ['{actor} offered to mediate']\n"
        "rules:\n"
        "  - id: r1\n"
        "    title: R1\n"
        "    actor: russia\n"
        "    stance: mediation\n"
        "    direction: up\n"
        "    window: tomorrow\n",
        encoding="utf-8",
    )
    result = cli("rules", "check", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith(f"{bad}:13: rules[0].direction:") for line in lines), lines
    assert f'{bad}:14: rules[0].window: expected a duration like 24h (got "tomorrow")' in lines


def test_rules_check_yaml_syntax_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("rules:\n  - id: x\n    title: [unclosed\n", encoding="utf-8")
    result = cli("rules", "check", str(bad))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{bad}:"), result.stderr


@pytest.mark.model
def test_replay_prints_and_writes_alerts_and_dead_letters_bad_lines(tmp_path: Path) -> None:
    rows = shift_stream()
    path = write_jsonl(tmp_path / "articles.jsonl", rows)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
        handle.write(json.dumps({"id": "x1", "body": "Russia said nothing."}) + "\n")
        handle.write(json.dumps({"id": "x2", "body": "b", "published_at": "yesterday"}) + "\n")
    alerts_out = tmp_path / "alerts.jsonl"
    dead = tmp_path / "dead.jsonl"
    result = cli(
        "replay",
        str(path),
        "--rules",
        str(FIXTURE_RULES),
        "--alerts-out",
        str(alerts_out),
        "--dead-letter",
        str(dead),
    )
    assert result.returncode == 0, result.stderr
    n = len(rows)
    assert f"{path}:{n + 1}: rejected (invalid_json):" in result.stderr
    assert (
        f"{path}:{n + 2}: rejected (missing_field): published_at: required field is missing" in result.stderr
    )
    assert (
        f"{path}:{n + 3}: rejected (invalid_field): published_at: expected an RFC 3339 timestamp"
        in result.stderr
    )
    assert "Russia offers mediation" in result.stdout
    alerts = [json.loads(line) for line in alerts_out.read_text().splitlines()]
    assert [a["rule_id"] for a in alerts] == ["russia-offers-mediation"]
    assert set(alerts[0]) >= {
        "id",
        "rule_id",
        "title",
        "actor",
        "stance",
        "target",
        "direction",
        "severity",
        "fired_at",
        "window_start",
        "window_end",
        "score",
        "baseline",
        "evidence",
        "channel",
        "labels",
    }
    dead_rows = [json.loads(line) for line in dead.read_text().splitlines()]
    assert [d["reason"] for d in dead_rows] == ["invalid_json", "missing_field", "invalid_field"]
    assert dead_rows[0]["raw"] == "{not json"

    # Replaying again appends nothing: alert ids are stable and the file remembers them.
    again = cli(
        "replay", str(path), "--rules", str(FIXTURE_RULES), "--alerts-out", str(alerts_out), "--quiet"
    )
    assert again.returncode == 0
    assert len(alerts_out.read_text().splitlines()) == 1


@pytest.mark.model
def test_classify_adds_prediction_and_reports_bad_lines() -> None:
    lines = [
        {
            "sentence": "Putin offered to mediate between Israel and Iran.",
            "actor": "russia",
            "stance": "mediation",
        },
        {"sentence": "The Kremlin ruled out acting as a mediator.", "actor": "russia", "stance": "mediation"},
        {"sentence": "Qatar offered to host talks.", "actor": "russia", "stance": "mediation", "extra": 1},
        {"sentence": "x", "actor": "narnia", "stance": "mediation"},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines) + "not json\n"
    result = cli("classify", "--rules", str(FIXTURE_RULES), "-", stdin=stdin)
    assert result.returncode == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["predicted"] for o in out] == ["expresses", "denies", "none"]
    assert out[2]["extra"] == 1 and 0.0 <= out[2]["score"] <= 1.0
    assert (
        "<stdin>:4: actor: unknown actor (got 'narnia'; expected one of: iran, israel, qatar, russia)"
        in result.stderr
    )
    assert "<stdin>:5: not valid JSON" in result.stderr


@pytest.mark.model
def test_run_follows_a_folder_and_keeps_state_across_restarts(tmp_path: Path) -> None:
    rows = shift_stream()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    half = len(rows) // 2
    write_jsonl(inbox / "part1.jsonl", rows[:half])
    state = tmp_path / "state.json"
    alerts_out = tmp_path / "alerts.jsonl"
    common = [
        "run",
        "--source",
        str(inbox),
        "--rules",
        str(FIXTURE_RULES),
        "--state",
        str(state),
        "--alerts-out",
        str(alerts_out),
        "--metrics-port",
        "0",
        "--idle-exit",
        "1",
        "--poll",
        "0.2",
    ]
    first = cli(*common)
    assert first.returncode == 0, first.stderr
    assert state.exists()
    assert not alerts_out.exists() or alerts_out.read_text() == ""  # no shift in the first half
    write_jsonl(inbox / "part2.jsonl", rows[half:])
    second = cli(*common)
    assert second.returncode == 0, second.stderr
    assert "resumed from" in second.stderr
    alerts = [json.loads(line) for line in alerts_out.read_text().splitlines()]
    assert [a["rule_id"] for a in alerts] == ["russia-offers-mediation"]
