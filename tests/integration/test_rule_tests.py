"""`stance-monitor rules test` as a user runs it: the bundled rule tests pass; a broken expectation fails
readably. Both load the real model (the cases run through the replay pipeline)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.integration.test_cli import ROOT, cli

pytestmark = pytest.mark.model


def test_the_bundled_rule_tests_pass_and_cover_every_rule() -> None:
    result = cli("rules", "test", "rules")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert all(line.startswith("PASS rules/geo.test.yaml:") for line in lines[:-2]), lines
    assert lines[-2] == "coverage: 5 of 5 enabled rules tested"
    assert lines[-1] == "5 cases: 5 passed, 0 failed"


def test_a_broken_expectation_fails_with_a_diff_that_names_the_rule(tmp_path: Path) -> None:
    # The bundled Turkey case, expected two days late and with evidence it does not quote.
    yaml = YAML()
    bundled = yaml.load((ROOT / "rules" / "geo.test.yaml").read_text(encoding="utf-8"))
    [case] = [c for c in bundled["tests"] if c["name"] == "Turkey condemns Israel"]
    case["expect"][0]["between"] = ["2025-04-17T00:00:00Z", "2025-04-18T00:00:00Z"]
    case["silent"] = ["qatar-mediation-stops"]
    broken = tmp_path / "broken.test.yaml"
    with broken.open("w", encoding="utf-8") as handle:
        yaml.dump({"rule_files": [str(ROOT / "rules")], "tests": [case]}, handle)

    text = broken.read_text(encoding="utf-8").splitlines()
    case_line = 1 + next(n for n, line in enumerate(text) if "name: Turkey condemns Israel" in line)
    expect_line = 1 + next(n for n, line in enumerate(text) if "rule: turkey-condemns-israel" in line)

    result = cli("rules", "test", str(broken))
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"FAIL {broken}:{case_line}: Turkey condemns Israel (5 articles, 1 alert)"), (
        lines
    )
    assert lines[1].startswith(
        "  ~ wrong time     turkey-condemns-israel between 2025-04-17T00:00:00Z and 2025-04-18T00:00:00Z "
        "with evidence tur-02: fired at 2025-04-15T"
    ), lines
    assert lines[1].endswith(f"[{broken}:{expect_line}]"), lines
    assert (
        "coverage: 2 of 5 enabled rules tested; no test: china-calls-ceasefire, russia-arms-iran, "
        in result.stdout
    )
    assert lines[-1] == "1 case: 0 passed, 1 failed"

    as_json = cli("rules", "test", str(broken), "--json")
    assert as_json.returncode == 1
    report = json.loads(as_json.stdout)
    assert report["passed"] is False
    [finding] = report["cases"][0]["findings"]
    assert (finding["kind"], finding["rule"]) == ("wrong_time", "turkey-condemns-israel")
    assert report["coverage"]["silent_only"] == ["qatar-mediation-stops"]
