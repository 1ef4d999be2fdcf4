"""The command line, run as a user runs it: exit codes, stdout, stderr and files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor.evaluation import domain_fingerprint
from monitor.rules import load_rules
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


def test_version_and_shell_completion() -> None:
    from importlib.metadata import version

    shown = cli("--version")
    assert shown.returncode == 0 and shown.stdout == f"stance-monitor {version('stance-monitor')}\n"
    # what bash's completion hook asks: the commands starting with "si"
    env = {"_STANCE_MONITOR_COMPLETE": "complete_bash", "COMP_WORDS": "stance-monitor si", "COMP_CWORD": "1"}
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "stance-monitor")],  # the installed script: completion is by its name
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, **env}, timeout=120,
    )  # fmt: skip
    assert completed.stdout.split() == ["silence"]


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
    summary = tmp_path / "summary.json"
    updates_out = tmp_path / "updates.jsonl"
    result = cli(
        "replay",
        str(path),
        "--rules",
        str(FIXTURE_RULES),
        "--alerts-out",
        str(alerts_out),
        "--updates-out",
        str(updates_out),
        "--dead-letter",
        str(dead),
        "--summary-json",
        str(summary),
    )
    assert result.returncode == 1, result.stderr  # rejected articles fail a backtest unless allowed
    assert "3 articles were rejected" in result.stderr
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
    # the backtest: every active rule, with what it did (a quiet rule shows zeros rather than nothing)
    backtest = json.loads(summary.read_text())
    assert (backtest["articles"], backtest["rejected"], backtest["alerts"]) == (n, 3, 1)
    by_rule = {r["rule"]: r for r in backtest["rules"]}
    assert set(by_rule) == {r.id for r in load_rules(FIXTURE_RULES).active()}
    fired = by_rule["russia-offers-mediation"]
    assert fired["alerts"] == 1 and fired["first_alert"] == alerts[0]["fired_at"]
    assert fired["evidence"] >= len(alerts[0]["evidence"]) and fired["outlets"]
    assert all(r["alerts"] == 0 for rule_id, r in by_rule.items() if rule_id != "russia-offers-mediation")
    assert "russia-offers-mediation" in result.stderr and "first alert" in result.stderr
    # the follow-ups of the alert, in their own file, as the backtest counted them
    updates = [json.loads(line) for line in updates_out.read_text().splitlines()]
    assert {u["alert_id"] for u in updates} == {alerts[0]["id"]}
    assert len(updates) == fired["follow_ups"] + fired["resolved"]

    # Replaying again appends nothing: alert ids are stable and the file remembers them.
    again = cli(
        "replay", str(path), "--rules", str(FIXTURE_RULES), "--alerts-out", str(alerts_out), "--quiet",
        "--allow-rejects",
    )  # fmt: skip
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
    # calibrated probabilities, the label from the one threshold, whatever the order of the lines
    for o in out:
        assert 0.0 <= o["p_expresses"] + o["p_denies"] <= 1.0 + 1e-6
    reversed_out = cli(
        "classify",
        "--rules",
        str(FIXTURE_RULES),
        "-",
        stdin="".join(json.dumps(line) + "\n" for line in reversed(lines[:3])),
    )
    assert [json.loads(line)["p_expresses"] for line in reversed_out.stdout.splitlines()] == [
        o["p_expresses"] for o in reversed(out)
    ]
    assert "3 lines, 3 distinct sentences" in reversed_out.stderr


@pytest.mark.model
def test_classify_ranks_the_stances_and_explains_a_judgement() -> None:
    lines = [
        {
            "sentence": "Putin offered to mediate between Israel and Iran.",
            "actor": "russia",
            "stance": "mediation",
        },
        {"sentence": "Putin offered to mediate between Israel and Iran."},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    result = cli("classify", "--rules", str(FIXTURE_RULES), "--top", "2", "--explain", "-", stdin=stdin)
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    why = first["explain"]
    assert why["aliases"] == ["Putin"] and why["role"] == "agent" and why["predicate"] == "offered"
    assert {"text", "similarity"} <= set(why["nearest_example"]) and why["features"]
    assert why["p_expresses"] == first["p_expresses"]
    # the top stances are ranked by P(expresses), and the asked-for pair has the same score in both lines
    scores = [t["p_expresses"] for t in second["top"]]
    assert len(scores) == 2 and scores == sorted(scores, reverse=True)
    assert second["top"][0]["stance"] == "mediation" and scores[0] == first["p_expresses"]


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

    # the rule editor asks why a new sentence would count, and where the detector stands (run's state)
    last = rows[-1]["published_at"]
    sentence = "Russia offered to mediate between Iran and Israel, the Kremlin said."
    explained = cli(
        "explain", "--rules", str(FIXTURE_RULES), "--state", str(state), "--at", last, "--json", sentence
    )
    assert explained.returncode == 0, explained.stderr
    report = json.loads(explained.stdout)
    (only,) = report["sentences"]
    assert only["actors"]["russia"] == ["Kremlin", "Russia"]
    mediation = next(j for j in only["judgements"] if j["actor"] == "russia" and j["stance"] == "mediation")
    assert mediation["label"] == "expresses" and mediation["why"]["role"] == "agent"
    rule = next(r for r in report["rules"] if r["rule"] == "russia-offers-mediation")
    assert rule["counts"] is True and rule["sentence"] == sentence
    detector = rule["detector"]
    assert detector["at"] == last and detector["window_evidence"] >= 1
    assert detector["min_evidence"] == load_rules(FIXTURE_RULES).rule("russia-offers-mediation").min_evidence
    quiet = [r for r in report["rules"] if r["rule"] != "russia-offers-mediation" and not r["counts"]]
    assert quiet and all(r["why"] for r in quiet)


@pytest.mark.model
def test_run_records_a_silenced_alert_without_notifying_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_jsonl(inbox / "stream.jsonl", shift_stream())
    silences, alerts_out, state = (
        tmp_path / "silences.yaml",
        tmp_path / "alerts.jsonl",
        tmp_path / "state.json",
    )
    added = cli(
        "silence", "add", "--file", str(silences), "--match", "rule=russia-*",
        "--start", "2000-01-01T00:00:00Z", "--end", "2100-01-01T00:00:00Z", "--comment", "known story",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    env = {k: v for k, v in os.environ.items() if k != "SLACK_BOT_TOKEN"}
    process = subprocess.Popen(
        [sys.executable, "-m", "monitor", "run", "--source", str(inbox), "--rules", str(FIXTURE_RULES),
         "--alerts-out", str(alerts_out), "--state", str(state), "--silences", str(silences),
         "--metrics-port", "0", "--poll", "0.2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**env, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while not (alerts_out.exists() and alerts_out.read_text()) and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()[1]
            time.sleep(0.5)
        process.send_signal(signal.SIGTERM)  # as a container runtime stops it
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, stderr
    # recorded (the alerts file is the record) but not notified (stdout is a notifying sink), and counted
    assert [json.loads(line)["rule_id"] for line in alerts_out.read_text().splitlines()] == [
        "russia-offers-mediation"
    ]
    assert "Russia" not in stdout
    assert "silenced by" in stderr and "known story" in stderr
    assert json.loads(state.read_text())["version"] == 2  # state flushed on the way out


def sample_timeline(folder: Path) -> Path:
    """The bundled sample stream as a labelled timeline: its two shifts (by construction in
    scripts/make_sample.py) and a few hand-labelled sentences of three stances."""
    (folder / "labels").mkdir(parents=True)
    (folder / "articles.jsonl").write_text(
        (ROOT / "examples" / "articles.jsonl").read_text(encoding="utf-8"), encoding="utf-8"
    )
    shifts = [
        {"rule_id": "russia-offers-mediation", "start": "2025-03-16T00:00:00Z"},
        {"rule_id": "china-calls-ceasefire", "start": "2025-03-20T00:00:00Z"},
    ]
    (folder / "labels" / "shifts.json").write_text(json.dumps(shifts), encoding="utf-8")
    labelled = [
        (
            "Russia offered to mediate between Iran and Israel, Lavrov said.",
            "russia",
            "mediation",
            None,
            "expresses",
        ),
        ("Moscow ruled out any mediating role in the conflict.", "russia", "mediation", None, "denies"),
        ("Europe called on Moscow to mediate.", "russia", "mediation", None, "none"),
        ("Russian grain exports rose in March.", "russia", "mediation", None, "none"),
        ("China called for an immediate ceasefire.", "china", "ceasefire_call", None, "expresses"),
        ("Beijing hosted a trade fair on Monday.", "china", "ceasefire_call", None, "none"),
        (
            "Chinese officials said they saw no reason to call for a truce.",
            "china",
            "ceasefire_call",
            None,
            "denies",
        ),
        ("Russia delivered air defence systems to Iran.", "russia", "military_support", "iran", "expresses"),
        ("Moscow said it would not supply weapons to Iran.", "russia", "military_support", "iran", "denies"),
        ("Russia and Iran signed a tourism agreement.", "russia", "military_support", "iran", "none"),
    ]
    rows = [
        {"article_id": f"s-{i}", "sentence": s, "actor": a, "stance": st, "target": t, "label": label}
        for i, (s, a, st, t, label) in enumerate(labelled)
    ]
    write_jsonl(folder / "labels" / "sentences.jsonl", rows)
    return folder


@pytest.mark.model
def test_eval_scores_sentences_held_out_and_alerts_against_shifts(tmp_path: Path) -> None:
    timeline = sample_timeline(tmp_path / "timeline")
    report_path = tmp_path / "report.json"
    result = cli("eval", str(timeline), "--rules", "rules", "--report", str(report_path))
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert printed == {k: v for k, v in report.items() if k != "alert_details"}
    assert report["mode"] == "leave-this-domain-out"
    assert report["domain"] == domain_fingerprint(ROOT / "rules")
    sentences = report["sentences"]
    assert sentences["rows"] == 10
    confusion = sentences["confusion"]["rows_gold_cols_predicted"]
    assert [sum(row) for row in confusion] == [3, 3, 4]  # gold expresses / denies / none
    assert set(sentences["per_stance"]) == {"mediation", "ceasefire_call", "military_support"}
    enabled = [r for r in load_rules(ROOT / "rules").rules if r.enabled]
    alerts = report["alerts"]
    assert alerts["alerts"] == alerts["hits"] + alerts["repeats"] + alerts["false_alerts"]
    assert alerts["hits"] + alerts["missed"] == alerts["shifts"] == 2
    assert alerts["quiet_rules"] == len(enabled) - 2

    # The shipped head never saw the sample's rule files, so holding their domain out changes nothing.
    held_out = report
    result = cli("eval", str(timeline), "--rules", "rules", "--no-holdout", "--report", str(report_path))
    assert result.returncode == 0, result.stderr
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["mode"] == "shipped"
    assert report["sentences"]["confusion"] == held_out["sentences"]["confusion"]
    alerts = report["alerts"]
    assert (alerts["shifts"], alerts["hits"], alerts["missed"]) == (2, 2, 0)
    assert alerts["alerts"] == alerts["hits"] + alerts["repeats"] + alerts["false_alerts"]
    assert alerts["precision"] == round(alerts["hits"] / alerts["alerts"], 4)
    delays = {d["rule_id"]: d["delay_h"] for d in report["alert_details"] if "delay_h" in d}
    assert set(delays) == {"russia-offers-mediation", "china-calls-ceasefire"}
    assert all(0 < delay <= 72 for delay in delays.values())
    assert alerts["median_delay_h"] == pytest.approx(sum(delays.values()) / 2, abs=0.01)


def test_eval_rejects_an_unusable_timeline_before_loading_the_model(tmp_path: Path) -> None:
    timeline = sample_timeline(tmp_path / "timeline")
    (timeline / "labels" / "shifts.json").write_text(
        '[{"rule_id": "no-such-rule", "start": "2025-03-16T00:00:00Z"}]'
    )
    with (timeline / "labels" / "sentences.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"sentence": "x", "actor": "russia", "stance": "mediation", "label": "maybe"}\n{oops\n')
    result = cli("eval", str(timeline), "--rules", "rules")
    assert result.returncode == 2
    assert (
        result.stderr.strip() == f"{timeline}/labels/shifts.json: shifts of rules not in rules: no-such-rule"
    )

    (timeline / "labels" / "shifts.json").write_text("[]")
    result = cli("eval", str(timeline), "--rules", "rules")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"{timeline}/labels/sentences.jsonl:12: invalid JSON (Expecting property name enclosed in double quotes)",
        f"{timeline}/labels/sentences.jsonl:11: label 'maybe' is not one of expresses, denies, none",
    ]

    (timeline / "articles.jsonl").unlink()
    result = cli("eval", str(timeline), "--rules", "rules")
    assert (result.returncode, result.stdout) == (2, "")
    assert (
        result.stderr.strip()
        == f"{timeline}/articles.jsonl: no such file (a timeline folder holds articles.jsonl)"
    )


@pytest.mark.model
def test_replay_explains_each_alerts_evidence_on_request(tmp_path: Path) -> None:
    alerts_out = tmp_path / "alerts.jsonl"
    result = cli("replay", "examples/articles.jsonl", "--rules", "rules", "--quiet", "--explain",
                 "--alerts-out", str(alerts_out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    alerts = [json.loads(line) for line in alerts_out.read_text(encoding="utf-8").splitlines()]
    assert alerts
    for alert in alerts:
        for evidence in alert["evidence"]:
            why = evidence["explain"]
            assert why["role"] in ("agent", "speaker", "patient", "mentioned") and why["aliases"]
            assert why["p_expresses"] >= 0.5  # the quote counted as expressing the stance
