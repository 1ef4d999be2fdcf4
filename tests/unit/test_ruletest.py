"""Rule test files (`rules test`): loading and checking them, and comparing expected with fired alerts.

No model here: `load_suite` checks everything before the model loads, and `compare` is pure.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.alerts import Alert, Evidence
from monitor.errors import RuleTestError
from monitor.rules import RuleSet, load_rules
from monitor.ruletest import Expectation, RuleTestCase, compare, coverage, load_suite, main
from monitor.types import iso_utc

RULES = """\
actors:
  russia: {name: Russia, aliases: [Moscow]}
  qatar: {name: Qatar, aliases: [Doha]}
stances:
  mediation:
    label: offers mediation
    examples: ["{actor} offered to mediate"]
rules:
  - {id: russia-mediates, title: Russia mediates, actor: russia, stance: mediation, direction: rise}
  - {id: qatar-stops, title: Qatar stops, actor: qatar, stance: mediation, direction: fall}
  - {id: off, title: Off, actor: qatar, stance: mediation, direction: rise, enabled: false}
"""

ARTICLE = '{id: a1, published_at: 2025-03-01T09:00:00Z, source: Wire, body: "Moscow offered to mediate."}'


def write(tmp_path: Path, test: str, name: str = "rules.test.yaml") -> Path:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    path = tmp_path / name
    path.write_text(test, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(RuleTestError) as info:
        load_suite(path)
    return info.value.messages


def test_a_valid_file_loads_with_its_rules_articles_and_expectations(tmp_path: Path) -> None:
    (tmp_path / "stream.jsonl").write_text(
        '{"id": "f1", "published_at": "2025-03-02T10:00:00Z", "body": "Doha offered to mediate."}\n',
        encoding="utf-8",
    )
    path = write(
        tmp_path,
        "tests:\n"
        "  - name: inline and file\n"
        f"    articles: [{ARTICLE}]\n"
        "    articles_file: stream.jsonl\n"
        "    expect:\n"
        "      - {rule: russia-mediates, between: ['2025-03-01', 2025-03-02T12:00:00+02:00], evidence: [a1]}\n"
        "    silent: all\n",
    )
    [case] = load_suite(tmp_path)  # the folder: its *.test.yaml files, its rules
    assert case.where == f"{path}:2" and case.name == "inline and file"
    assert [a.id for a in case.articles] == ["a1", "f1"]
    assert case.expect == [
        Expectation(
            "russia-mediates",
            datetime(2025, 3, 1, tzinfo=UTC),  # a date is its midnight UTC
            datetime(2025, 3, 2, 10, tzinfo=UTC),
            ("a1",),
            line=6,
        )
    ]
    assert set(case.silent) == {"qatar-stops"}  # `all`: the enabled rules not expected
    assert case.silent_named == set()  # ... which is not a test of each rule for coverage


def test_the_rule_loader_skips_test_files(tmp_path: Path) -> None:
    write(tmp_path, "tests: []\n")
    assert [r.id for r in load_rules(tmp_path).rules] == ["russia-mediates", "qatar-stops", "off"]


@pytest.mark.parametrize(
    ("case", "line", "message"),
    [
        (
            "  - name: x\n    articles: [ART]\n    expect:\n      - {rule: russia-mediates, when: 2025-03-01}\n",
            6,
            "tests[0].expect[0].when: unknown field (expected one of: rule, between, evidence)",
        ),
        (
            "  - name: x\n    articles: [ART]\n    expect:\n      - rule: russia-mediates\n"
            "        between: [2025-03-01, tomorrow]\n",
            7,
            "tests[0].expect[0].between[1]: expected a time like 2025-03-16T12:00:00Z or a date like 2025-03-16"
            ' (got "tomorrow")',
        ),
        (
            "  - name: x\n    articles: [ART]\n    expect:\n      - rule: russia-mediates\n"
            "        between: [2025-03-02, 2025-03-01]\n",
            6,
            "tests[0].expect[0]: between: the start is after the end (got 2025-03-02T00:00:00Z .. 2025-03-01T00:00:00Z)",
        ),
        (
            "  - name: x\n    articles: [ART]\n    expect:\n      - rule: russia-mediate\n"
            "        between: [2025-03-01, 2025-03-02]\n",
            6,
            "tests[0].expect[0].rule: unknown rule (got 'russia-mediate'; expected one of: off, qatar-stops, "
            "russia-mediates)",
        ),
        (
            "  - name: x\n    articles: [ART]\n    silent: [qatar-stops, off]\n",
            5,
            "tests[0].silent[1]: the rule is disabled (enabled: false), so it never fires",
        ),
        (
            "  - name: x\n    articles: [ART]\n    silent: none\n",
            5,
            'tests[0].silent: expected a list of rule ids, or `all` (got text "none")',
        ),
        (
            "  - name: x\n    articles: [ART]\n",
            3,
            "tests[0]: a case needs something to check: `expect` (alerts) or `silent` (rule ids)",
        ),
        (
            "  - name: x\n    articles:\n      - id: a1\n        body: Moscow offered to mediate.\n"
            "        published_at: yesterday\n    silent: all\n",
            7,
            'tests[0].articles[0]: published_at: expected an RFC 3339 timestamp like 2025-06-13T14:22:00Z (got "yesterday")',
        ),
        (
            "  - name: x\n    articles:\n      - {id: a1, body: Moscow offered to mediate.}\n    silent: all\n",
            5,
            "tests[0].articles[0]: published_at: required field is missing",
        ),
        (
            "  - name: x\n    articles_file: missing.jsonl\n    silent: all\n",
            4,
            "tests[0].articles_file: no such file (got '",
        ),
    ],
)
def test_a_bad_case_is_reported_with_file_line_and_where(
    tmp_path: Path, case: str, line: int, message: str
) -> None:
    path = write(tmp_path, "# rule tests\ntests:\n" + case.replace("ART", ARTICLE))
    found = problems(path)
    assert any(m.startswith(f"{path}:{line}: {message}") for m in found), found


def test_yaml_syntax_errors_and_wrong_shapes_have_a_line(tmp_path: Path) -> None:
    path = write(tmp_path, "tests:\n  - name: [unclosed\n")
    assert problems(path)[0].startswith(f"{path}:3: invalid YAML:")
    path = write(tmp_path, "- just a list\n")
    assert problems(path) == [
        f"{path}:1: expected a mapping with `tests` (and optionally `rule_files`) (got a list)"
    ]
    path = write(tmp_path, "rule_file: [rules.yaml]\ntests: []\n")
    assert problems(path) == [
        f"{path}:1: rule_file: unknown field (expected one of: rule_files, tests)",
        f"{path}:2: tests: expected at least 1 item (got [])",
    ]


def test_rule_file_and_article_file_errors_point_at_their_own_files(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    bad_rules = tmp_path / "rules" / "bad.yaml"
    bad_rules.write_text("rules:\n  - id: r\n    title: R\n", encoding="utf-8")
    stream = tmp_path / "stream.jsonl"
    stream.write_text(
        '{"id": "ok", "published_at": "2025-03-01T09:00:00Z", "body": "x"}\nnot json\n', encoding="utf-8"
    )
    path = write(
        tmp_path,
        "rule_files: [rules]\ntests:\n  - name: x\n    articles_file: stream.jsonl\n    silent: all\n",
    )
    found = problems(path)
    assert any(m.startswith(f"{bad_rules}:2: rules[0].actor: required field is missing") for m in found), (
        found
    )
    assert any(m.startswith(f"{stream}:2: rejected (invalid_json)") for m in found), found
    path = write(
        tmp_path,
        "rule_files: [nowhere.yaml]\ntests:\n  - name: x\n    articles: [ART]\n    silent: all\n".replace(
            "ART", ARTICLE
        ),
    )
    assert problems(path) == [f"{path}:1: rule_files[0]: no such file or folder (got 'nowhere.yaml')"]


def test_no_test_files_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    assert problems(tmp_path) == [f"{tmp_path}: no rule test files (*.test.yaml, *.test.yml) found"]


def test_main_exits_2_on_an_invalid_file_before_loading_the_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path, "tests:\n  - name: x\n    articles: [ART]\n    silent: [nope]\n".replace("ART", ARTICLE)
    )
    assert main(tmp_path) == 2
    assert capsys.readouterr().err.startswith(f"{path}:4: tests[0].silent[0]: unknown rule")


# --- compare: expected against fired -------------------------------------------------------------


def alert(rule: str, fired_at: datetime, *evidence: str) -> Alert:
    return Alert(
        id=f"{rule}:{iso_utc(fired_at)}",
        rule_id=rule,
        title=rule,
        actor="russia",
        stance="mediation",
        target=None,
        direction="rise",
        severity="medium",
        fired_at=fired_at,
        window_start=fired_at,
        window_end=fired_at,
        score=1.0,
        baseline=0.0,
        evidence=tuple(
            Evidence(article_id=a, source="Wire", published_at=fired_at, quote="quote") for a in evidence
        ),
    )


def case(expect: list[Expectation], silent: dict[str, int] | None = None) -> RuleTestCase:
    # compare() reads only the expectations and the silent rules
    return RuleTestCase("t.test.yaml", 1, "case", RuleSet(), [], expect, silent or {}, set(silent or {}))


def day(d: int, h: int = 0) -> datetime:
    return datetime(2025, 3, d, h, tzinfo=UTC)


def test_compare_matches_each_expectation_to_an_alert_in_its_range() -> None:
    expected = [Expectation("r", day(16), day(17), ("a1",), line=5)]
    findings = compare(case(expected), [alert("r", day(16, 12), "a1", "a2")])
    assert [(f.kind, f.failed) for f in findings] == [("ok", False)]


def test_compare_reports_missing_wrong_time_evidence_and_unexpected() -> None:
    expected = [
        Expectation("r", day(16), day(17), line=5),  # fired, but on the 19th
        Expectation("s", day(16), day(17), ("a9",), line=8),  # fired in range, without a9
        Expectation("t", day(16), day(17), line=11),  # never fired
    ]
    alerts = [
        alert("r", day(19, 8), "a1"),
        alert("s", day(16, 8), "a2"),
        alert("q", day(18, 8), "a3"),  # named silent
        alert("z", day(18, 9), "a4"),  # not named anywhere: shown, not a failure
    ]
    findings = {f.rule: f for f in compare(case(expected, {"q": 14}), alerts)}
    assert {rule: f.kind for rule, f in findings.items()} == {
        "r": "wrong_time",
        "s": "wrong_evidence",
        "t": "missing",
        "q": "unexpected",
        "z": "unchecked",
    }
    assert findings["r"].text() == (
        "wrong time     r between 2025-03-16T00:00:00Z and 2025-03-17T00:00:00Z: "
        "fired at 2025-03-19T08:00:00Z (evidence a1)"
    )
    assert findings["r"].to_dict()["fired_at"] == "2025-03-19T08:00:00Z"
    assert findings["s"].text().endswith("lacks a9")
    assert findings["t"].text().endswith("it did not fire")
    assert (findings["q"].line, findings["q"].failed) == (14, True)
    assert not findings["z"].failed


def test_compare_a_second_alert_of_an_expected_rule_is_unexpected() -> None:
    expected = [Expectation("r", day(16), day(17), line=5)]
    alerts = [alert("r", day(16, 8)), alert("r", day(16, 20))]
    assert [f.kind for f in compare(case(expected), alerts)] == ["ok", "unexpected"]


def test_coverage_lists_rules_without_a_test(tmp_path: Path) -> None:
    write(
        tmp_path,
        "tests:\n  - name: x\n    articles: [ART]\n    silent: [qatar-stops]\n".replace("ART", ARTICLE),
    )
    cover = coverage(load_suite(tmp_path))
    assert cover.rules == ["qatar-stops", "russia-mediates"]  # enabled rules only
    assert (cover.silent_only, cover.untested) == (["qatar-stops"], ["russia-mediates"])
    assert cover.text() == (
        "coverage: 1 of 2 enabled rules tested; no test: russia-mediates; only tested silent: qatar-stops"
    )
