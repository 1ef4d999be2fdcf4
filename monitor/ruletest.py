"""`stance-monitor rules test PATH`: unit tests for rule files, run through the real pipeline.

A rule test file sits beside the rules and is named `*.test.yaml` (or `*.test.yml`); the rule loader skips
such files, so `--rules rules/` never mistakes a test for a rule. Each file holds test cases: input articles
(inline, in the article format, or a JSONL file relative to the test file), the alerts expected (rule, a
time range the alert's `fired_at` must fall in, optionally article ids that must be among its evidence) and
the rules expected to stay silent::

    rule_files: [geo.yaml, actors.yaml, stances.yaml]  # optional, relative to this file; default: the
                                                       # rules path being tested
    tests:
      - name: Russia offers mediation in the sample stream
        articles_file: ../examples/articles.jsonl
        expect:
          - rule: russia-offers-mediation
            between: [2025-03-16T00:00:00Z, 2025-03-17T00:00:00Z]
            evidence: [a-000133]
        silent: [qatar-mediation-stops]   # or `silent: all`: every other enabled rule

Each case runs on a fresh `Pipeline` through `Pipeline.replay`, the code path of `replay`, with the shipped
scorer (loaded once for all cases). Every file is checked before the model loads: a bad file is reported as
`file:line: where: what is wrong`, with the position machinery of `monitor.rules`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    model_validator,
)
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from monitor.alerts import Alert
from monitor.articles import Article, parse_article, read_articles
from monitor.errors import ArticleError, RuleError, RuleTestError
from monitor.rules import (
    _ID_RE,
    Id,
    RuleSet,
    Text,
    YamlFileProblem,
    _kind,
    _line_of,
    _plain,
    load_rules,
    read_yaml,
    validation_problems,
    yaml_files,
)
from monitor.types import iso_utc

__all__ = [
    "CaseResult",
    "Expectation",
    "Finding",
    "RuleTestCase",
    "compare",
    "find_test_files",
    "load_suite",
    "main",
    "run_suite",
]


# --- the file format (pydantic) --------------------------------------------------------------------


def _to_moment(value: object) -> datetime:
    """An RFC 3339 time with a zone (YAML may give it as a datetime already), or a date: its midnight UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    elif isinstance(value, str):
        try:
            if len(value.strip()) == 10:  # "2025-03-16", quoted: a date as well
                return _to_moment(date.fromisoformat(value.strip()))
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("expected a time like 2025-03-16T12:00:00Z or a date like 2025-03-16") from None
    else:
        raise ValueError("expected a time like 2025-03-16T12:00:00Z or a date like 2025-03-16")
    if moment.tzinfo is None:
        raise ValueError("expected a time with a zone, like 2025-03-16T12:00:00Z")
    return datetime.fromisoformat(moment.isoformat()).astimezone(UTC)  # a plain datetime, not ruamel's


Moment = Annotated[datetime, BeforeValidator(_to_moment)]


def _some_ids(ids: list[str]) -> list[str]:
    if not ids:
        raise ValueError("expected at least one article id, or leave `evidence` out")
    return ids


def _silent(value: object) -> list[str] | Literal["all"]:
    # One validator rather than a pydantic union, whose errors would name the union's branches.
    if value == "all":
        return "all"
    if not isinstance(value, list):
        raise ValueError(f"expected a list of rule ids, or `all` (got {_kind(value)})")
    for item in value:
        if not isinstance(item, str) or not _ID_RE.match(item):
            raise ValueError(f"expected rule ids (got {_kind(item)})")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class ExpectDef(_Model):
    """An alert a case expects."""

    rule: Id = Field(description="The rule id.")
    between: tuple[Moment, Moment] = Field(
        description="[start, end]: the alert's fired_at (event time) must fall in it, both ends included."
    )
    evidence: Annotated[list[Text], AfterValidator(_some_ids)] | None = Field(
        default=None, description="Article ids that must be among the alert's quoted evidence (up to 5)."
    )

    @model_validator(mode="after")
    def _ordered(self) -> ExpectDef:
        if self.between[0] > self.between[1]:
            raise ValueError(
                f"between: the start is after the end (got {iso_utc(self.between[0])} .. {iso_utc(self.between[1])})"
            )
        return self


class CaseDef(_Model):
    """One test case: input articles, the alerts expected and the rules expected to stay silent."""

    name: Text
    articles: list[dict[str, Any]] = Field(default_factory=list, description="Inline articles.")
    articles_file: Text | None = Field(default=None, description="JSONL articles, relative to the test file.")
    expect: list[ExpectDef] = Field(default_factory=list)
    silent: Annotated[list[str] | Literal["all"], PlainValidator(_silent)] = Field(
        default_factory=list,
        description="Rule ids that must not fire, or `all`: every enabled rule not expected.",
    )

    @model_validator(mode="after")
    def _complete(self) -> CaseDef:
        if not self.articles and self.articles_file is None:
            raise ValueError("a case needs input: `articles` (inline) or `articles_file`")
        if not self.expect and not self.silent:
            raise ValueError("a case needs something to check: `expect` (alerts) or `silent` (rule ids)")
        return self


class RuleTestFileDef(_Model):
    rule_files: list[Text] | None = Field(
        default=None,
        description="Rule files or folders, relative to this file; default: the rules path tested.",
    )
    tests: list[CaseDef] = Field(min_length=1)


# --- loaded cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expectation:
    rule: str
    start: datetime
    end: datetime
    evidence: tuple[str, ...] = ()
    line: int = 0  # where it is written, for the diff

    def describe(self) -> str:
        text = f"{self.rule} between {iso_utc(self.start)} and {iso_utc(self.end)}"
        return text + (f" with evidence {', '.join(self.evidence)}" if self.evidence else "")


@dataclass
class RuleTestCase:
    """A case ready to run: its rule set and articles loaded, its rule ids checked against the rules."""

    file: str
    line: int
    name: str
    rules: RuleSet
    articles: list[Article]
    expect: list[Expectation]
    silent: dict[str, int]  # rule id -> line of the `silent` entry that names it
    silent_named: set[str] = field(default_factory=set)  # named one by one (`all` is not a test of each rule)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def find_test_files(path: Path) -> list[Path]:
    """PATH itself when it is a file; else every `*.test.yaml`/`*.test.yml` under it (hidden folders skipped)."""
    return yaml_files(path, tests=True)


def load_suite(path: Path) -> list[RuleTestCase]:
    """Every case of the test files at PATH, checked and with their rules and articles loaded.

    Raises RuleTestError listing every problem of every file (rule file errors included, as `rules check`
    words them), so one run shows all that needs fixing.
    """
    if not path.exists():
        raise RuleTestError([f"{path}: no such file or directory"])
    files = find_test_files(path)
    if not files:
        raise RuleTestError([f"{path}: no rule test files (*.test.yaml, *.test.yml) found"])
    default_rules = path if path.is_dir() else path.parent
    loader = _SuiteLoader(default_rules)
    for file in files:
        loader.load_file(file)
    if loader.problems:
        raise RuleTestError(list(dict.fromkeys(loader.problems)))  # a shared rule error once, not per file
    return loader.cases


class _SuiteLoader:
    def __init__(self, default_rules: Path) -> None:
        self.default_rules = default_rules
        self.problems: list[str] = []
        self.cases: list[RuleTestCase] = []
        self._rules: dict[tuple[Path, ...], RuleSet | None] = {}  # each rule set loaded once for all files
        self._files: dict[Path, list[Article]] = {}  # each articles file read once

    def error(self, file: str, line: int | None, text: str) -> None:
        self.problems.append(f"{file}:{line}: {text}" if line else f"{file}: {text}")

    def load_file(self, path: Path) -> None:
        name = str(path)
        try:
            doc = read_yaml(path)
        except YamlFileProblem as problem:
            self.error(name, problem.line, problem.text)
            return
        if not isinstance(doc, CommentedMap):
            self.error(
                name, 1, f"expected a mapping with `tests` (and optionally `rule_files`) (got {_kind(doc)})"
            )
            return
        try:
            parsed = RuleTestFileDef.model_validate(_plain(doc))
        except ValidationError as exc:
            found = validation_problems(exc, doc, 1, "", RuleTestFileDef)
            for line, text in sorted(found, key=lambda item: item[0]):  # line by line, as `rules check`
                self.error(name, line, text)
            return
        rules = self._rule_set(path, parsed.rule_files, doc)
        for index, case in enumerate(parsed.tests):
            self._load_case(path, index, case, doc["tests"], rules)

    def _rule_set(self, path: Path, names: list[str] | None, doc: CommentedMap) -> RuleSet | None:
        if names is None:
            paths: tuple[Path, ...] = (self.default_rules,)
        else:
            paths = tuple(path.parent / name for name in names)
            for index, (name, full) in enumerate(zip(names, paths, strict=True)):
                if not full.exists():
                    line = _line_of(doc, ("rule_files", index), 1)
                    self.error(str(path), line, f"rule_files[{index}]: no such file or folder (got {name!r})")
                    return None
        key = tuple(p.resolve() for p in paths)
        if key not in self._rules:
            try:
                self._rules[key] = load_rules(paths)
            except RuleError as exc:
                self.problems += exc.messages
                self._rules[key] = None
        return self._rules[key]

    def _load_case(
        self,
        path: Path,
        index: int,
        case: CaseDef,
        tests: CommentedSeq,
        rules: RuleSet | None,
    ) -> None:
        name = str(path)
        where = f"tests[{index}]"
        node = tests[index]
        line = _line_of(tests, (index,), 1)
        before = len(self.problems)
        articles = self._inline_articles(name, where, case, node)
        if case.articles_file is not None:
            source = path.parent / case.articles_file
            loaded = self._articles_file(source, name, _line_of(node, ("articles_file",), line), where)
            if loaded is not None:
                articles += loaded
        if rules is None:
            return  # the rule files' own errors are already listed
        known = {r.id: r for r in rules.rules}

        def check(rule_id: str, at: int, what: str) -> None:
            if rule_id not in known:
                expected = ", ".join(sorted(known)) or "none"
                self.error(name, at, f"{what}: unknown rule (got {rule_id!r}; expected one of: {expected})")
            elif not known[rule_id].enabled:
                self.error(name, at, f"{what}: the rule is disabled (enabled: false), so it never fires")

        expect = []
        for i, item in enumerate(case.expect):
            at = _line_of(node, ("expect", i), line)
            check(item.rule, _line_of(node, ("expect", i, "rule"), at), f"{where}.expect[{i}].rule")
            start, end = item.between
            expect.append(Expectation(item.rule, start, end, tuple(item.evidence or ()), at))
        silent: dict[str, int] = {}
        if case.silent == "all":
            expected_ids = {e.rule for e in expect}
            at = _line_of(node, ("silent",), line)
            silent = {r.id: at for r in rules.rules if r.enabled and r.id not in expected_ids}
        else:
            for i, rule_id in enumerate(case.silent):
                at = _line_of(node, ("silent", i), line)
                check(rule_id, at, f"{where}.silent[{i}]")
                if any(e.rule == rule_id for e in expect):
                    self.error(
                        name, at, f"{where}.silent[{i}]: {rule_id!r} is also expected to fire in this case"
                    )
                silent[rule_id] = at
        if len(self.problems) > before:
            return
        named = set(silent) if case.silent != "all" else set()
        self.cases.append(RuleTestCase(name, line, case.name, rules, articles, expect, silent, named))

    def _inline_articles(self, name: str, where: str, case: CaseDef, node: CommentedMap) -> list[Article]:
        articles = []
        for i, raw in enumerate(case.articles):
            try:
                articles.append(parse_article(raw))
            except ArticleError as exc:
                # "published_at: expected ...": the field's own line when it is there, else the article's
                at = _line_of(node, ("articles", i, exc.message.split(":", 1)[0]), 1)
                self.error(name, at, f"{where}.articles[{i}]: {exc.message}")
        return articles

    def _articles_file(self, source: Path, name: str, line: int, where: str) -> list[Article] | None:
        key = source.resolve()
        if key not in self._files:
            if not source.is_file():
                self.error(name, line, f"{where}.articles_file: no such file (got {str(source)!r})")
                return None
            articles: list[Article] = []
            for number, parsed, _raw in read_articles(source):
                if isinstance(parsed, ArticleError):
                    # A test's input must be clean: a rejected line would silently change what is tested.
                    self.problems.append(f"{source}:{number}: rejected ({parsed.reason}): {parsed.message}")
                else:
                    articles.append(parsed)
            self._files[key] = articles
        return list(self._files[key])


# --- comparing expected and fired alerts -----------------------------------------------------------

FindingKind = Literal["ok", "missing", "wrong_time", "wrong_evidence", "unexpected", "unchecked"]
_MARKS: dict[FindingKind, str] = {
    "ok": " ",
    "missing": "-",
    "wrong_time": "~",
    "wrong_evidence": "~",
    "unexpected": "+",
    "unchecked": "?",
}
FAILURES: frozenset[FindingKind] = frozenset({"missing", "wrong_time", "wrong_evidence", "unexpected"})


@dataclass(frozen=True)
class Finding:
    """One line of a case's diff: an expectation met or not, or an alert nobody expected."""

    kind: FindingKind
    rule: str
    line: int  # the test file line it concerns (0: none)
    expected: Expectation | None = None
    fired_at: datetime | None = None
    evidence: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.kind in FAILURES

    def text(self) -> str:
        fired = "-" if self.fired_at is None else iso_utc(self.fired_at)
        got = f"fired at {fired} (evidence {', '.join(self.evidence) or 'none'})"
        exp = self.expected
        if self.kind == "ok" and exp is not None:
            return f"ok             {self.rule} {got}"
        if self.kind == "missing" and exp is not None:
            return f"missing        {exp.describe()}: it did not fire"
        if self.kind == "wrong_time" and exp is not None:
            return f"wrong time     {exp.describe()}: {got}"
        if self.kind == "wrong_evidence" and exp is not None:
            lacking = [a for a in exp.evidence if a not in self.evidence]
            return f"wrong evidence {self.rule} {got}: lacks {', '.join(lacking)}"
        if self.kind == "unexpected":
            return f"unexpected     {self.rule} {got}"
        return f"not checked    {self.rule} {got} (name it in `expect` or `silent`)"

    def to_dict(self) -> dict[str, Any]:
        exp = self.expected
        return {
            "kind": self.kind,
            "rule": self.rule,
            "line": self.line or None,
            "expected": None
            if exp is None
            else {"between": [iso_utc(exp.start), iso_utc(exp.end)], "evidence": list(exp.evidence)},
            "fired_at": None if self.fired_at is None else iso_utc(self.fired_at),
            "evidence": list(self.evidence),
        }


def compare(case: RuleTestCase, alerts: Sequence[Alert]) -> list[Finding]:
    """What the case expected against what fired: one Finding per expectation and per alert it did not expect.

    Each expectation takes the earliest unclaimed alert of its rule inside its range; one with none takes the
    unclaimed alert of its rule nearest in time ("wrong time"), else it is "missing". An alert of a checked
    rule that nothing claimed is "unexpected"; alerts of rules the case does not name are "unchecked".
    """
    checked = {e.rule for e in case.expect} | set(case.silent)
    left = [a for a in sorted(alerts, key=lambda a: (a.fired_at, a.rule_id)) if a.rule_id in checked]
    findings: list[Finding] = []

    def take(alert: Alert) -> tuple[datetime, tuple[str, ...]]:
        left.remove(alert)
        return alert.fired_at, tuple(e.article_id for e in alert.evidence)

    unmet: list[Expectation] = []
    for exp in sorted(case.expect, key=lambda e: (e.start, e.line)):
        inside = [a for a in left if a.rule_id == exp.rule and exp.start <= a.fired_at <= exp.end]
        if not inside:
            unmet.append(exp)
            continue
        fired_at, evidence = take(inside[0])
        kind: FindingKind = "ok" if set(exp.evidence) <= set(evidence) else "wrong_evidence"
        findings.append(Finding(kind, exp.rule, exp.line, exp, fired_at, evidence))
    for exp in unmet:
        own = [a for a in left if a.rule_id == exp.rule]
        if not own:
            findings.append(Finding("missing", exp.rule, exp.line, exp))
            continue
        middle = exp.start + (exp.end - exp.start) / 2
        nearest = min(own, key=lambda a: abs(a.fired_at - middle))
        fired_at, evidence = take(nearest)
        findings.append(Finding("wrong_time", exp.rule, exp.line, exp, fired_at, evidence))
    for alert in left:
        evidence = tuple(e.article_id for e in alert.evidence)
        findings.append(
            Finding(
                "unexpected", alert.rule_id, case.silent.get(alert.rule_id, 0), None, alert.fired_at, evidence
            )
        )
    for alert in alerts:
        if alert.rule_id not in checked:
            evidence = tuple(e.article_id for e in alert.evidence)
            findings.append(Finding("unchecked", alert.rule_id, 0, None, alert.fired_at, evidence))
    return findings


# --- running ---------------------------------------------------------------------------------------


@dataclass
class CaseResult:
    case: RuleTestCase
    alerts: list[Alert]
    findings: list[Finding]

    @property
    def passed(self) -> bool:
        return not any(f.failed for f in self.findings)


def run_suite(
    cases: Sequence[RuleTestCase], on_case: Callable[[CaseResult], None] | None = None
) -> list[CaseResult]:
    """Run each case on a fresh pipeline (the code path of `replay`); the scorer is loaded once for all."""
    from monitor.pipeline import Pipeline  # imports the model's libraries: only once there is work to do
    from monitor.stance import load_scorer

    if not cases:
        return []
    scorer = load_scorer(cases[0].rules)
    results = []
    for case in cases:
        pipeline = Pipeline(case.rules, scorer)  # sets the scorer's rules to this case's
        alerts = [alert for _batch, result in pipeline.replay(case.articles) for alert in result.alerts]
        results.append(CaseResult(case, alerts, compare(case, alerts)))
        if on_case is not None:
            on_case(results[-1])
    return results


@dataclass(frozen=True)
class Coverage:
    rules: list[str]  # enabled rules of the rule sets the cases use
    fired: list[str]  # expected to fire in some case
    silent_only: list[str]  # named only as silent: never shown to fire
    untested: list[str]

    def text(self) -> str:
        tested = len(self.rules) - len(self.untested)
        line = f"coverage: {tested} of {len(self.rules)} enabled rules tested"
        if self.untested:
            line += f"; no test: {', '.join(self.untested)}"
        if self.silent_only:
            line += f"; only tested silent: {', '.join(self.silent_only)}"
        return line


def coverage(cases: Sequence[RuleTestCase]) -> Coverage:
    rules = sorted({r.id for case in cases for r in case.rules.rules if r.enabled})
    fired = {e.rule for case in cases for e in case.expect}
    silent = {rule for case in cases for rule in case.silent_named}
    return Coverage(
        rules=rules,
        fired=[r for r in rules if r in fired],
        silent_only=[r for r in rules if r in silent and r not in fired],
        untested=[r for r in rules if r not in fired and r not in silent],
    )


# --- the command -----------------------------------------------------------------------------------


def _case_text(result: CaseResult) -> list[str]:
    case = result.case
    status = "PASS" if result.passed else "FAIL"
    lines = [
        f"{status} {case.where}: {case.name} ({_count(len(case.articles), 'article')}, {_count(len(result.alerts), 'alert')})"
    ]
    for finding in result.findings:
        if result.passed and finding.kind == "ok":
            continue  # a passing case is one line; a failing one shows the whole diff
        where = f"  [{case.file}:{finding.line}]" if finding.line else ""
        lines.append(f"  {_MARKS[finding.kind]} {finding.text()}{where}")
    return lines


def _case_json(result: CaseResult) -> dict[str, Any]:
    case = result.case
    return {
        "file": case.file,
        "line": case.line,
        "name": case.name,
        "passed": result.passed,
        "articles": len(case.articles),
        "alerts": [
            {
                "rule_id": a.rule_id,
                "fired_at": iso_utc(a.fired_at),
                "evidence": [e.article_id for e in a.evidence],
            }
            for a in result.alerts
        ],
        "findings": [f.to_dict() for f in result.findings],
    }


def main(path: Path, *, as_json: bool = False) -> int:
    """The `rules test` command: 0 all passed, 1 a case failed, 2 a test or rule file is invalid."""
    try:
        cases = load_suite(path)
    except RuleTestError as exc:
        for message in exc.messages:
            print(message, file=sys.stderr)
        return 2
    print(f"loading the model for {len(cases)} cases...", file=sys.stderr)

    def show(result: CaseResult) -> None:
        if not as_json:
            print("\n".join(_case_text(result)), flush=True)

    results = run_suite(cases, on_case=show)
    cover = coverage(cases)
    failed = sum(not r.passed for r in results)
    if as_json:
        report = {
            "passed": failed == 0,
            "cases": [_case_json(r) for r in results],
            "coverage": asdict(cover),
        }
        print(json.dumps(report, indent=2))
    else:
        print(cover.text())
        print(f"{_count(len(results), 'case')}: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
