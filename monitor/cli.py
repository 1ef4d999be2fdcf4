"""The `stance-monitor` command line (also `python -m monitor`)."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TextIO, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from monitor.alerting import FanOut, build_sinks
from monitor.articles import Article, parse_article
from monitor.errors import ArticleError, RuleError, TimelineError
from monitor.limits import InputLimits
from monitor.metrics import Metrics
from monitor.rules import RuleSet, load_rules, rules_json_schema, rules_stamp
from monitor.types import Alert, StanceKey

log = logging.getLogger("stance_monitor")

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Watch a news stream and alert when an actor's stance shifts.",
)
rules_app = typer.Typer(no_args_is_help=True, help="Validate and test rule files; export their schema.")
app.add_typer(rules_app, name="rules")

err = Console(stderr=True)

RulesOption = Annotated[Path, typer.Option("--rules", "-r", help="A rule file or a folder of *.yaml files.")]
AlertsOut = Annotated[Path | None, typer.Option("--alerts-out", help="Append alerts as JSONL to this file.")]
MetricsPortOption = Annotated[
    int, typer.Option("--metrics-port", envvar="STANCE_MONITOR_METRICS_PORT", help="0 disables /metrics.")
]
DeadLetter = Annotated[
    Path | None, typer.Option("--dead-letter", help="Append rejected article lines (with the reason) here.")
]


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _load_rules_or_exit(path: Path) -> RuleSet:
    try:
        return load_rules(path)
    except RuleError as exc:
        for message in exc.messages:
            err.print(message, markup=False, highlight=False)
        raise typer.Exit(2) from exc


def _build_pipeline(rules: RuleSet, metrics: Metrics | None, limits: InputLimits) -> Any:
    # Imported here so `rules check` and `--help` stay fast (no torch import).
    from monitor.pipeline import Pipeline
    from monitor.stance import load_scorer

    return Pipeline(rules, load_scorer(rules), metrics, limits)


Settings = TypeVar("Settings")


def _settings_or_exit(read: Callable[[], Settings]) -> Settings:
    """Settings read from the environment once, at the start: a bad value stops the command at once with one
    line naming the variable, not a traceback later."""
    try:
        return read()
    except ValueError as exc:  # SlackConfigError is one too
        err.print(f"configuration error: {exc}", style="red", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc


def progress_bar(label: str) -> Progress:
    """A bar on stderr that goes away when done: label, bar, n of total, time elapsed."""
    return Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    )


class DeadLetters:
    """Rejected input: a clear line on stderr, a count in metrics, and the raw line kept in a JSONL file."""

    def __init__(self, path: Path | None, metrics: Metrics | None) -> None:
        self.path = path
        self.metrics = metrics
        self.count = 0
        self._file: TextIO | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a", encoding="utf-8")

    def reject(self, where: str, error: ArticleError, raw: str) -> None:
        self.count += 1
        err.print(f"{where}: rejected ({error.reason}): {error}", markup=False, highlight=False)
        if self.metrics:
            self.metrics.articles_rejected.labels(reason=error.reason).inc()
        if self._file is not None:
            record = {"where": where, "reason": error.reason, "error": str(error), "raw": raw.rstrip("\n")}
            self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def _parse_lines(
    lines: Iterable[tuple[str, str]], dead: DeadLetters, limits: InputLimits
) -> Iterator[Article]:
    for where, raw in lines:
        if not raw.strip():
            continue
        try:
            yield parse_article(raw, limits)
        except ArticleError as exc:
            dead.reject(where, exc, raw)


@app.command()
def replay(
    articles: Annotated[Path, typer.Argument(help="Articles as JSONL (one article per line).", exists=True)],
    rules: RulesOption,
    alerts_out: AlertsOut = None,
    dead_letter: DeadLetter = None,
    batch_size: Annotated[int, typer.Option(help="Articles embedded per batch.")] = 128,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print alerts on stdout.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
    explain: Annotated[
        bool,
        typer.Option(
            help='Add "explain" to each evidence quote of an alert: role, cues, nearest examples, features.'
        ),
    ] = False,
) -> None:
    """Process a file in event-time order as fast as possible, in-process (no Kafka); print and save alerts."""
    from monitor.slack import slack_from_env

    _setup_logging(verbose)
    started = time.perf_counter()
    limits = _settings_or_exit(InputLimits.from_env)
    slack = _settings_or_exit(slack_from_env)
    ruleset = _load_rules_or_exit(rules)
    metrics = Metrics.create(registry=_fresh_registry())
    dead = DeadLetters(dead_letter, metrics)
    # Like `run`: a stray invalid byte becomes U+FFFD in that line instead of stopping the whole replay.
    with articles.open(encoding="utf-8", errors="replace") as handle:
        lines = [(f"{articles}:{n}", line) for n, line in enumerate(handle, start=1)]
    parsed = list(_parse_lines(lines, dead, limits))  # Pipeline.replay puts them in event-time order
    err.print(f"loading the model and rules ({len(ruleset.rules)} rules)...", highlight=False)
    pipeline = _build_pipeline(ruleset, metrics, limits)
    sinks = FanOut(build_sinks(metrics, Console(), alerts_out, slack, stdout=not quiet))
    fired: list[Alert] = []
    with progress_bar("replay") as progress:
        task = progress.add_task("articles", total=len(parsed))
        for batch, result in pipeline.replay(parsed, batch_size):
            for alert in result.alerts:
                if explain:
                    _explain_evidence(pipeline.scoring.scorer, alert)
                sinks.send(alert)
                fired.append(alert)
            for update in result.updates:
                sinks.send_update(update)
            progress.advance(task, len(batch))
    sinks.close()
    dead.close()
    elapsed = time.perf_counter() - started
    err.print(
        f"{len(parsed)} articles, {dead.count} rejected, {len(fired)} alerts in {elapsed:.1f} s",
        highlight=False,
    )


def _explain_evidence(scorer: Any, alert: Alert) -> None:
    """Attach to each evidence quote why it counted for the alert's (actor, stance, target)."""
    from monitor.explain import explain

    key = StanceKey(alert.actor, alert.stance, alert.target)
    prepared = scorer.prepare([e.quote for e in alert.evidence])
    for evidence, sentence in zip(alert.evidence, prepared, strict=True):
        evidence.explain = explain(scorer, sentence, key)


@app.command()
def run(
    rules: RulesOption,
    source: Annotated[
        str, typer.Option("--source", "-s", help="A JSONL file to follow, a folder, or -.")
    ] = "-",
    alerts_out: AlertsOut = None,
    dead_letter: DeadLetter = None,
    metrics_port: MetricsPortOption = 9108,
    metrics_addr: Annotated[str, typer.Option(help="Address /metrics listens on.")] = "127.0.0.1",
    state: Annotated[
        Path | None, typer.Option(help="Keep pipeline state in this JSON file across restarts.")
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Most articles per batch.")] = 64,
    poll: Annotated[float, typer.Option(help="Seconds between checks for new data.")] = 0.5,
    idle_exit: Annotated[
        float | None,
        typer.Option(help="Stop after this many seconds without new data (default: follow forever)."),
    ] = None,
    reload_every: Annotated[float, typer.Option(help="Seconds between checks for changed rule files.")] = 5.0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """The live monitor, in-process: follow a file, a folder of new files, or stdin; alert; serve /metrics."""
    from monitor.slack import slack_from_env
    from monitor.sources import follow

    _setup_logging(verbose)
    limits = _settings_or_exit(InputLimits.from_env)
    slack = _settings_or_exit(slack_from_env)
    ruleset = _load_rules_or_exit(rules)
    metrics = Metrics.create()
    server = metrics.serve(metrics_port, metrics_addr) if metrics_port else None
    if server is not None:
        err.print(f"serving /metrics on http://{metrics_addr}:{server.server_port}/metrics", highlight=False)
    dead = DeadLetters(dead_letter, metrics)
    pipeline = _build_pipeline(ruleset, metrics, limits)
    if state is not None and state.exists():
        try:
            pipeline.load_state(json.loads(state.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as exc:
            err.print(f"{state}: cannot resume from this state file: {exc}", style="red", highlight=False)
            raise typer.Exit(2) from exc
        err.print(f"resumed from {state}", highlight=False)
    sinks = FanOut(build_sinks(metrics, Console(), alerts_out, slack))
    last_stamp = rules_stamp(rules)
    last_reload_check = time.monotonic()
    pending: list[Article] = []

    def flush() -> None:
        if not pending:
            return
        result = pipeline.process(pending, now=datetime.now(UTC))
        pending.clear()
        for alert in result.alerts:
            sinks.send(alert)
        for update in result.updates:
            sinks.send_update(update)
        if state is not None:
            _save_state(state, pipeline.to_state())

    try:
        for item in follow(source, poll=poll, idle_exit=idle_exit):
            if item is not None:
                pending.extend(_parse_lines([(item.where, item.text)], dead, limits))
                if len(pending) < batch_size:
                    continue
            flush()
            if time.monotonic() - last_reload_check >= reload_every:
                last_reload_check = time.monotonic()
                stamp = rules_stamp(rules)
                if stamp != last_stamp:
                    last_stamp = stamp
                    try:
                        ruleset = load_rules(rules)
                    except RuleError as exc:
                        metrics.rules_reload_failures.inc()
                        err.print(
                            "rule files changed but are invalid; keeping the previous rules:", style="red"
                        )
                        for message in exc.messages:
                            err.print(message, markup=False, highlight=False)
                    else:
                        pipeline.set_rules(ruleset)
                        err.print(f"reloaded rules: {len(ruleset.rules)} rules", highlight=False)
        flush()
    except KeyboardInterrupt:
        flush()
    finally:
        sinks.close()
        dead.close()
        if server is not None:
            server.shutdown()
            server.server_close()


def _save_state(path: Path, state: dict[str, Any]) -> None:
    # Write then rename, so a crash mid-write never leaves a broken state file.
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, path)


@app.command()
def classify(
    rules: RulesOption,
    input: Annotated[
        str, typer.Argument(help='JSONL of {"sentence", "actor", "stance", "target"?}; - is stdin.')
    ] = "-",
    batch_size: Annotated[int, typer.Option(help="Sentences per batch.")] = 512,
    top: Annotated[
        int,
        typer.Option(
            help='Rank the rule set\'s stances for each sentence: add "top", the N most probable '
            '(actor, stance) pairs for the actors it names (lines need only "sentence"; "actor" narrows it).'
        ),
    ] = 0,
    explain: Annotated[
        bool,
        typer.Option(
            help='Add "explain": role, predicate, cues, nearest examples, features that moved the score.'
        ),
    ] = False,
) -> None:
    """Judge sentences: add "predicted" (expresses|denies|none), "score" and the two probabilities to each line.

    The probabilities are calibrated (the same meaning for every stance); each distinct sentence is parsed
    and embedded once however many lines ask about it.
    """
    ruleset = _load_rules_or_exit(rules)
    from monitor.explain import explain as explain_judgement
    from monitor.stance import NOT_NAMED, load_scorer

    scorer = load_scorer(ruleset)
    handle = sys.stdin if input == "-" else open(input, encoding="utf-8")  # noqa: SIM115
    where = "<stdin>" if input == "-" else input
    failures = 0
    batch: list[dict[str, Any]] = []
    started = time.perf_counter()
    totals = {"rows": 0, "pairs": 0, "sentences": 0}

    def flush() -> None:
        prepared = scorer.prepare([row["sentence"] for row in batch])
        totals["rows"] += len(batch)
        totals["sentences"] += len({p.text for p in prepared})
        # The keys each line asks about; one feature row per distinct (sentence, key), one head call.
        asked: list[list[StanceKey]] = []
        wanted: dict[tuple[str, StanceKey], int] = {}
        pairs: list[tuple[Any, StanceKey]] = []
        for sentence, row in zip(prepared, batch, strict=True):
            keys = [StanceKey(row["actor"], row["stance"], row.get("target"))] if "stance" in row else []
            if top:
                actors = [row["actor"]] if row.get("actor") else sorted(sentence.attributions)
                keys += [StanceKey(a, s, row.get("target")) for a in actors for s in ruleset.stances]
            asked.append(list(dict.fromkeys(keys)))
            for key in asked[-1]:
                if key.actor in sentence.attributions and (sentence.text, key) not in wanted:
                    wanted[(sentence.text, key)] = len(pairs)
                    pairs.append((sentence, key))
        judged = scorer.judge_pairs(pairs)
        totals["pairs"] += len(pairs)

        for sentence, row, keys in zip(prepared, batch, asked, strict=True):
            found = {
                key: judged[wanted[(sentence.text, key)]] if (sentence.text, key) in wanted else NOT_NAMED
                for key in keys
            }
            if "stance" in row:
                key = keys[0]
                row["predicted"] = found[key].label
                row["score"] = round(found[key].score, 4)
                row["p_expresses"] = round(found[key].p_expresses, 4)
                row["p_denies"] = round(found[key].p_denies, 4)
                if explain:
                    row["explain"] = explain_judgement(scorer, sentence, key)
            if top:
                ranked = sorted(
                    (kj for kj in found.items() if kj[0].actor in sentence.attributions),
                    key=lambda kj: -kj[1].p_expresses,
                )
                row["top"] = [
                    {
                        "actor": key.actor,
                        "stance": key.stance,
                        "target": key.target,
                        "predicted": j.label,
                        "p_expresses": round(j.p_expresses, 4),
                        "p_denies": round(j.p_denies, 4),
                    }
                    for key, j in ranked[:top]
                ]
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        batch.clear()

    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                problem = _classify_problem(row, ruleset, need_stance=not top)
            except json.JSONDecodeError as exc:
                problem = f"not valid JSON ({exc.msg} at column {exc.colno})"
            if problem:
                failures += 1
                err.print(f"{where}:{number}: {problem}", markup=False, highlight=False)
                continue
            batch.append(row)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    elapsed = max(time.perf_counter() - started, 1e-9)
    err.print(
        f"{totals['rows']} lines, {totals['sentences']} distinct sentences, {totals['pairs']} (sentence, key) "
        f"judgements in {elapsed:.1f} s: {totals['rows'] / elapsed:.1f} lines/s, "
        f"{totals['sentences'] / elapsed:.1f} distinct sentences/s",
        highlight=False,
        soft_wrap=True,
    )
    if failures:
        raise typer.Exit(1)


def _classify_problem(row: Any, rules: RuleSet, *, need_stance: bool = True) -> str | None:
    if not isinstance(row, dict):
        return "expected a JSON object with sentence, actor, stance"
    required = ("sentence", "actor", "stance") if need_stance or "stance" in row else ("sentence",)
    for field in required:
        if not isinstance(row.get(field), str) or not row[field]:
            return f"{field}: required string field is missing"
    # each present field must name something the rule set defines (with --top, actor and stance may be absent)
    for field, known in (("actor", rules.actors), ("stance", rules.stances), ("target", rules.actors)):
        value = row.get(field)
        if value is not None and value not in known:
            kind = "stance" if field == "stance" else "actor"
            return f"{field}: unknown {kind} (got {value!r}; expected one of: {', '.join(sorted(known))})"
    return None


@rules_app.command("check")
def rules_check(path: Annotated[Path, typer.Argument(help="A rule file or a folder of rule files.")]) -> None:
    """Validate rule files: exit 0, or exit 2 with one `file:line: problem` line each."""
    ruleset = _load_rules_or_exit(path)
    typer.echo(
        f"{path}: ok ({len(ruleset.actors)} actors, {len(ruleset.stances)} stances, {len(ruleset.rules)} rules)"
    )


@rules_app.command("test")
def rules_test(
    path: Annotated[
        Path, typer.Argument(help="A rules folder (its *.test.yaml files are the tests) or one test file.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON report instead of text.")] = False,
) -> None:
    """Run rule tests (*.test.yaml beside the rules) through the replay pipeline: exit 0 all pass, 1 a case
    failed, 2 an invalid test or rule file (`file:line: problem`)."""
    from monitor.ruletest import main as run_rule_tests

    raise typer.Exit(run_rule_tests(path, as_json=as_json))


@rules_app.command("schema")
def rules_schema() -> None:
    """Print the JSON Schema of rule files (for editor autocompletion)."""
    typer.echo(json.dumps(rules_json_schema(), indent=2))


slack_app = typer.Typer(no_args_is_help=True, help="Check the Slack integration before going live.")
app.add_typer(slack_app, name="slack")


@slack_app.command("test")
def slack_test(
    channel: Annotated[
        str | None,
        typer.Option("--channel", "-c", help="Channel to post to (default: SLACK_DEFAULT_CHANNEL)."),
    ] = None,
) -> None:
    """Post an invented alert, clearly marked as a test, to see the message format (no mentions)."""
    from monitor.slack import SlackConfigError, SlackDeliveryError, send_test_alert, slack_from_env

    try:
        posted, target = send_test_alert(slack_from_env(), channel=channel)
    except (SlackConfigError, SlackDeliveryError) as exc:
        err.print(f"slack test failed: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    typer.echo(f"sent a test alert to {target} (channel {posted.channel}, ts {posted.ts})")


@app.command("eval")
def evaluate(
    timeline: Annotated[Path, typer.Argument(help="A timeline folder: articles.jsonl, rules.yaml, labels/.")],
    rules: Annotated[Path | None, typer.Option("--rules", "-r", help="Default: TIMELINE/rules.yaml.")] = None,
    holdout: Annotated[
        bool,
        typer.Option(
            help="Score with a head trained and calibrated without this timeline's domain (its rule file), "
            "if the shipped head saw it; --no-holdout scores with the shipped head as it is."
        ),
    ] = True,
    alerts_out: AlertsOut = None,
    report: Annotated[Path | None, typer.Option(help="Write the full report as JSON here.")] = None,
) -> None:
    """Measure quality: replay alerts against labels/shifts.json, sentences against labels/sentences.jsonl."""
    from monitor.benchmark import evaluate_timeline

    try:
        result = evaluate_timeline(
            timeline, rules or timeline / "rules.yaml", holdout=holdout, alerts_out=alerts_out
        )
    except (RuleError, TimelineError) as exc:
        for message in exc.messages:
            err.print(message, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    if report is not None:
        report.write_text(json.dumps(result, indent=2), encoding="utf-8")
    typer.echo(json.dumps({k: v for k, v in result.items() if k != "alert_details"}, indent=2))


def _fresh_registry() -> Any:
    from prometheus_client import CollectorRegistry

    return CollectorRegistry()


# Commands of other packages (the Kafka commands of `streams`, registered by its entry point): the core
# offers them its CLI without importing them, so `monitor` never depends on its transport.
COMMANDS_GROUP = "stance_monitor.commands"


def register_plugins(target: typer.Typer) -> None:
    from importlib.metadata import entry_points

    for entry in entry_points(group=COMMANDS_GROUP):
        try:
            register = entry.load()
        except ImportError as exc:  # a broken install must not take `replay` and `run` down with it
            err.print(f"commands of {entry.value} unavailable: {exc}", style="yellow", highlight=False)
            continue
        register(target)


def main() -> None:
    register_plugins(app)
    app()


__all__ = ["app", "main"]
