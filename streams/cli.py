"""The Kafka commands (`worker`, `ingest`, `tail`), registered into `stance-monitor` by the entry point
`stance_monitor.commands` (see pyproject.toml): the core CLI offers them without importing `streams`.

Heavy imports (faust, kafka-python) happen inside each command, so `stance-monitor replay` never pays for them.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from monitor.cli import (
    MetricsPortOption,
    RulesOption,
    SilencesOption,
    _load_rules_or_exit,
    _settings_or_exit,
    _silencer_or_exit,
    progress_bar,
)
from monitor.console import err
from monitor.limits import InputLimits
from monitor.metrics import Metrics


def register(app: typer.Typer) -> None:
    """Add the Kafka commands to the main CLI."""
    app.command()(worker)
    app.command()(ingest)
    app.command()(tail)


BrokerOption = Annotated[
    str | None,
    typer.Option(
        "--broker",
        "-b",
        help="Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or localhost:9092).",
    ),
]
PartitionsOption = Annotated[
    int | None,
    typer.Option(
        min=1, help="Partitions for topics created when missing (default: $STANCE_MONITOR_PARTITIONS or 8)."
    ),
]


def _stream_settings(broker: str | None, partitions: int | None) -> Any:
    from streams.settings import StreamSettings

    settings = _settings_or_exit(StreamSettings.from_env)
    return settings.with_overrides(brokers=broker, partitions=partitions)


def worker(
    rules: RulesOption,
    broker: BrokerOption = None,
    partitions: PartitionsOption = None,
    metrics_port: MetricsPortOption = 9108,
    metrics_addr: Annotated[str, typer.Option(help="Address /metrics listens on.")] = "0.0.0.0",
    loglevel: Annotated[str, typer.Option(help="Faust log level: debug, info, warning, error.")] = "warning",
    silences: SilencesOption = None,
) -> None:
    """The Faust worker: read `articles` from Kafka, write `alerts` and `alert-updates`; rejects to `articles-dlq`."""
    from monitor.slack import slack_from_env

    settings = _stream_settings(broker, partitions)
    limits = _settings_or_exit(InputLimits.from_env)
    slack = _settings_or_exit(slack_from_env)
    ruleset = _load_rules_or_exit(rules)
    silencer = _silencer_or_exit(silences)
    from streams.ingest import ensure_topics
    from streams.worker import run_worker

    try:
        ensure_topics(
            settings,
            [
                settings.articles_topic,
                settings.scored_topic,
                settings.alerts_topic,
                settings.updates_topic,
                settings.dlq_topic,
                settings.slack_topic,
                settings.slack_dlq_topic,
            ],
        )
    except Exception as exc:
        err.print(f"cannot reach Kafka at {settings.brokers}: {exc}", style="red", highlight=False)
        raise typer.Exit(1) from exc
    metrics = Metrics.create()
    for check in ("model", "rules", "consumer"):  # what /readyz waits for; the worker sets each
        metrics.health.require(check)
    metrics.health.mark("rules")  # loaded and valid above; a broken reload keeps them
    server = metrics.serve(metrics_port, metrics_addr) if metrics_port else None
    if server is not None:
        err.print(
            f"serving /metrics, /healthz, /readyz on http://{metrics_addr}:{server.server_port}",
            highlight=False,
        )
    try:
        run_worker(
            settings,
            ruleset,
            metrics,
            loglevel=loglevel,
            rules_path=rules,
            limits=limits,
            slack=slack,
            silencer=silencer,
        )
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()


def ingest(
    source: Annotated[str, typer.Argument(help="A JSONL file, a folder of *.jsonl files, or - for stdin.")],
    topic: Annotated[
        str | None,
        typer.Option(help="Topic to produce to (default: $STANCE_MONITOR_ARTICLES_TOPIC or articles)."),
    ] = None,
    broker: BrokerOption = None,
    partitions: PartitionsOption = None,
) -> None:
    """Produce articles to Kafka (kafka-python), keyed by id; a bad line is reported and skipped, not sent."""
    settings = _stream_settings(broker, partitions)
    limits = _settings_or_exit(InputLimits.from_env)
    from streams.ingest import count_lines, ensure_topics, read_lines
    from streams.ingest import ingest as produce

    target = topic or settings.articles_topic
    try:
        total = count_lines(source)
        created = ensure_topics(settings, [target])
    except FileNotFoundError as exc:
        err.print(str(exc), style="red", highlight=False)
        raise typer.Exit(2) from exc
    except Exception as exc:
        err.print(f"cannot reach Kafka at {settings.brokers}: {exc}", style="red", highlight=False)
        raise typer.Exit(1) from exc
    if created:
        err.print(f"created topic {target} ({settings.partitions} partitions)", highlight=False)
    with progress_bar("ingest") as progress:
        task = progress.add_task("articles", total=total)

        def reject(message: str) -> None:
            progress.console.print(message, markup=False, highlight=False)
            progress.advance(task, 1)

        try:
            report = produce(
                read_lines(source),
                settings,
                target,
                on_reject=reject,
                on_sent=lambda n: progress.advance(task, n),
                limits=limits,
            )
        except RuntimeError as exc:
            err.print(str(exc), style="red", highlight=False)
            raise typer.Exit(1) from exc
    err.print(f"sent {report.sent} articles to {target}; {len(report.rejected)} rejected", highlight=False)
    if report.rejected:
        raise typer.Exit(1)


def tail(
    topic: Annotated[str | None, typer.Argument(help="Topic to read (default: the alerts topic).")] = None,
    broker: BrokerOption = None,
    from_beginning: Annotated[
        bool, typer.Option("--from-beginning", help="Start at the oldest message.")
    ] = False,
    idle_exit: Annotated[
        float | None, typer.Option(help="Stop after this many seconds without a message (default: follow).")
    ] = None,
) -> None:
    """Print the messages of a topic (alerts by default) as JSON lines; joins no consumer group."""
    settings = _stream_settings(broker, None)
    from streams.tail import tail as follow_topic

    try:
        follow_topic(
            settings, topic or settings.alerts_topic, from_beginning=from_beginning, idle_exit=idle_exit
        )
    except KeyboardInterrupt:
        pass
    except Exception as exc:
        err.print(
            f"cannot read {topic or settings.alerts_topic} from {settings.brokers}: {exc}",
            style="red",
            highlight=False,
        )
        raise typer.Exit(1) from exc
