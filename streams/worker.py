"""`stance-monitor worker`: load rules and the model, serve /metrics, run the Faust worker until stopped."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import faust

from monitor.limits import InputLimits
from monitor.metrics import Metrics
from monitor.pipeline import ArticleScorer
from monitor.rules import RuleSet
from monitor.silences import Silencer
from monitor.slack import SlackSettings
from monitor.stance import load_process_scorer
from streams.agents import StanceWorker
from streams.settings import StreamSettings

log = logging.getLogger("stance_monitor.worker")


def build_worker(
    settings: StreamSettings,
    rules: RuleSet,
    metrics: Metrics,
    rules_path: Path | None,
    limits: InputLimits,
    slack: SlackSettings | None,
    silencer: Silencer,
) -> StanceWorker:
    """The worker; with `slack` None (SLACK_BOT_TOKEN not set) alerts go to the topics only."""
    scorer = load_process_scorer(rules)
    scorer.prepare(["Warm-up sentence so the first batch does not pay for loading the model."])
    metrics.health.mark("model")
    scoring = ArticleScorer(rules, scorer, metrics, limits)
    return StanceWorker(settings, rules, scoring, metrics, slack, rules_path, silencer)


def run_worker(
    settings: StreamSettings,
    rules: RuleSet,
    metrics: Metrics,
    *,
    loglevel: str = "warning",
    workdir: Path | None = None,
    rules_path: Path | None = None,
    limits: InputLimits,
    slack: SlackSettings | None,
    silencer: Silencer,
) -> None:
    # our own messages can be turned up without Faust's (e.g. STANCE_MONITOR_LOG_LEVEL=debug shows the marks)
    logging.getLogger("stance_monitor").setLevel(os.environ.get("STANCE_MONITOR_LOG_LEVEL", loglevel).upper())
    worker = build_worker(settings, rules, metrics, rules_path, limits, slack, silencer)
    log.warning(
        "worker starting: %s; %s; Slack %s",
        settings.describe(),
        rules.describe(),
        "on" if worker.slack else "off (SLACK_BOT_TOKEN not set)",
    )
    faust.Worker(
        worker.app, loglevel=loglevel, workdir=str(workdir) if workdir else None
    ).execute_from_commandline()
