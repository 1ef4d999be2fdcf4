"""The `stance-monitor` command line (also `python -m monitor`)."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TextIO, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from monitor.alerts import Alert
from monitor.articles import Article, parse_article
from monitor.backtest import Backtest
from monitor.console import err, or_exit
from monitor.errors import ArticleError
from monitor.limits import InputLimits
from monitor.live import Outlets
from monitor.metrics import Metrics
from monitor.rules import RuleSet, RuleWatcher, load_rules, rules_json_schema
from monitor.silence_cli import silence_app
from monitor.silences import Silencer
from monitor.sinks import FanOut, JsonlSink, Sink, build_sinks
from monitor.types import StanceKey, iso_utc

log = logging.getLogger("stance_monitor")

app = typer.Typer(
    no_args_is_help=True,  # --install-completion / --show-completion give bash, zsh and fish completion
    help="Watch a news stream and alert when an actor's stance shifts.",
)
rules_app = typer.Typer(no_args_is_help=True, help="Validate and test rule files; export their schema.")
app.add_typer(rules_app, name="rules")
app.add_typer(silence_app, name="silence")


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"stance-monitor {version('stance-monitor')}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Watch a news stream and alert when an actor's stance shifts."""


RulesOption = Annotated[Path, typer.Option("--rules", "-r", help="A rule file or a folder of *.yaml files.")]
AlertsOut = Annotated[Path | None, typer.Option("--alerts-out", help="Append alerts as JSONL to this file.")]
UpdatesOut = Annotated[
    Path | None,
    typer.Option("--updates-out", help="Append alerts' follow-ups and resolutions as JSONL to this file."),
]


def _records(alerts_out: Path | None, updates_out: Path | None) -> list[Sink]:
    """The sinks that keep a record of everything, silenced or not: the alerts file, the updates file."""
    files: list[Sink] = [JsonlSink(alerts_out)] if alerts_out else []
    return files + ([JsonlSink(updates_out, updates=True)] if updates_out else [])


MetricsPortOption = Annotated[
    int, typer.Option("--metrics-port", envvar="STANCE_MONITOR_METRICS_PORT", help="0 disables /metrics.")
]
SilencesOption = Annotated[
    Path | None,
    typer.Option(
        "--silences",
        envvar="STANCE_MONITOR_SILENCES",
        help="Silences file (see `stance-monitor silence`): matching alerts are recorded, not notified.",
    ),
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
    return or_exit(lambda: load_rules(path))


def _build_pipeline(rules: RuleSet, metrics: Metrics | None, limits: InputLimits) -> Any:
    # Imported here so `rules check` and `--help` stay fast (no torch import).
    from monitor.pipeline import Pipeline
    from monitor.stance import load_process_scorer

    return Pipeline(rules, load_process_scorer(rules), metrics, limits)


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
    updates_out: UpdatesOut = None,
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
    silences: SilencesOption = None,
    summary_json: Annotated[
        Path | None, typer.Option(help="Write the per-rule summary (the backtest) to this JSON file.")
    ] = None,
    allow_rejects: Annotated[
        bool, typer.Option(help="Exit 0 even when articles were rejected (default: exit 1).")
    ] = False,
) -> None:
    """Process a file in event-time order as fast as possible, in-process (no Kafka); print and save alerts.

    Ends with a per-rule summary (the backtest); exits 1 when articles were rejected (see --allow-rejects).
    """
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
    outlets = Outlets(
        notify=FanOut(build_sinks(metrics, Console(), None, slack, stdout=not quiet)),
        record=FanOut(_records(alerts_out, updates_out)),
        silencer=_silencer_or_exit(silences),
        metrics=metrics,
    )
    backtest = Backtest(ruleset.active())
    with progress_bar("replay") as progress:
        task = progress.add_task("articles", total=len(parsed))
        for batch, result in pipeline.replay(parsed, batch_size):
            if explain:
                result.alerts = [_explained(pipeline.scoring.scorer, alert) for alert in result.alerts]
            muted = outlets.send(result, pipeline)
            for alert in result.alerts:
                backtest.alert(alert, silenced=alert.id in muted)
            for update in result.updates:
                backtest.update(update)
            progress.advance(task, len(batch))
    outlets.close()
    dead.close()
    for line in backtest.lines():
        err.print(line, markup=False, highlight=False)
    if summary_json is not None:
        summary = backtest.to_json(articles=len(parsed), rejected=dead.count)
        summary_json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    elapsed = time.perf_counter() - started
    fired = sum(row.alerts for row in backtest.rules.values())
    err.print(
        f"{len(parsed)} articles, {dead.count} rejected, {fired} alerts in {elapsed:.1f} s", highlight=False
    )
    if dead.count and not allow_rejects:
        err.print(f"exit 1: {dead.count} articles were rejected (see above; --allow-rejects to exit 0)")
        raise typer.Exit(1)


def _explained(scorer: Any, alert: Alert) -> Alert:
    """The alert with each evidence quote saying why it counted for the alert's (actor, stance, target)."""
    from monitor.explain import explain

    key = StanceKey(alert.actor, alert.stance, alert.target)
    prepared = scorer.prepare([e.quote for e in alert.evidence])
    evidence = tuple(
        item.model_copy(update={"explain": explain(scorer, sentence, key)})
        for item, sentence in zip(alert.evidence, prepared, strict=True)
    )
    return alert.model_copy(update={"evidence": evidence})


@app.command()
def run(
    rules: RulesOption,
    source: Annotated[
        str, typer.Option("--source", "-s", help="A JSONL file to follow, a folder, or -.")
    ] = "-",
    alerts_out: AlertsOut = None,
    updates_out: UpdatesOut = None,
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
    reload_every: Annotated[
        float, typer.Option(help="Seconds between checks for changed rule and silence files.")
    ] = 5.0,
    silences: SilencesOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """The live monitor, in-process: follow a file, a folder of new files, or stdin; alert; serve /metrics."""
    from monitor.live import GracefulStop, LiveMonitor
    from monitor.slack import slack_from_env
    from monitor.sources import follow

    _setup_logging(verbose)
    limits = _settings_or_exit(InputLimits.from_env)
    slack = _settings_or_exit(slack_from_env)
    ruleset = _load_rules_or_exit(rules)
    metrics = Metrics.create()
    metrics.health.require("model")  # /readyz: rules are valid already; the model is next
    metrics.health.mark("rules")
    server = metrics.serve(metrics_port, metrics_addr) if metrics_port else None
    if server is not None:
        err.print(
            f"serving /metrics, /healthz, /readyz on http://{metrics_addr}:{server.server_port}",
            highlight=False,
        )
    dead = DeadLetters(dead_letter, metrics)
    pipeline = _build_pipeline(ruleset, metrics, limits)
    metrics.health.mark("model")
    if state is not None and state.exists():
        try:
            pipeline.load_state(json.loads(state.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as exc:
            err.print(f"{state}: cannot resume from this state file: {exc}", style="red", highlight=False)
            raise typer.Exit(2) from exc
        err.print(f"resumed from {state}", highlight=False)
    outlets = Outlets(
        notify=FanOut(build_sinks(metrics, Console(), None, slack)),
        record=FanOut(_records(alerts_out, updates_out)),
        silencer=_silencer_or_exit(silences),
        metrics=metrics,
    )
    monitor = LiveMonitor(
        pipeline,
        outlets,
        RuleWatcher(rules),
        metrics=metrics,
        state=state,
        batch_size=batch_size,
        reload_every=reload_every,
        report=lambda line: err.print(line, markup=False, highlight=False),
    )
    stop = GracefulStop()
    lines = follow(source, poll=poll, idle_exit=idle_exit)
    try:
        monitor.run(
            (
                None if item is None else list(_parse_lines([(item.where, item.text)], dead, limits))
                for item in lines
            ),
            stop,
        )
    except KeyboardInterrupt:
        monitor.flush()
    finally:
        stop.restore()
        outlets.close()
        dead.close()
        if server is not None:
            server.shutdown()
            server.server_close()


def _silencer_or_exit(path: Path | None) -> Silencer:
    return or_exit(lambda: Silencer(path))


@app.command("explain")
def explain_command(
    rules: RulesOption,
    text: Annotated[str | None, typer.Argument(help="A sentence or a paragraph to explain.")] = None,
    article: Annotated[
        Path | None,
        typer.Option(help="A file holding one article as JSON (as in a JSONL stream); - is stdin."),
    ] = None,
    state: Annotated[
        Path | None, typer.Option(help="A `run --state` file: also show where each rule's detector stands.")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(help="Event time of TEXT (RFC 3339; default now): where the detectors are read."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The report as one JSON object.")] = False,
) -> None:
    """Why a sentence or an article counts, or not: actors and aliases, each stance's judgement and why, and
    what each enabled rule (and, with --state, its detector) makes of it."""
    from monitor.explain_article import explain_article, render

    limits = _settings_or_exit(InputLimits.from_env)
    ruleset = _load_rules_or_exit(rules)
    if (text is None) == (article is None):
        err.print("give TEXT or --article (one of them)")
        raise typer.Exit(2)
    try:
        if article is not None:
            raw = sys.stdin.read() if str(article) == "-" else article.read_text(encoding="utf-8")
            parsed = parse_article(raw.strip(), limits)
        else:
            published = at or iso_utc(datetime.now(UTC))
            parsed = parse_article(
                json.dumps({"id": "text", "body": text, "published_at": published}), limits
            )
    except ArticleError as exc:
        err.print(f"{article or '--at'}: {exc}", markup=False, highlight=False)
        raise typer.Exit(2) from exc
    pipeline = _build_pipeline(ruleset, None, limits)
    if state is not None:
        try:
            pipeline.load_state(json.loads(state.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            err.print(f"{state}: cannot read this state file: {exc}", highlight=False)
            raise typer.Exit(2) from exc
    report = explain_article(pipeline, parsed)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
    else:
        for line in render(report):
            typer.echo(line)


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

    with progress_bar("eval") as progress:
        result = or_exit(
            lambda: evaluate_timeline(
                timeline,
                rules or timeline / "rules.yaml",
                holdout=holdout,
                alerts_out=alerts_out,
                progress=progress,
            )
        )
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
