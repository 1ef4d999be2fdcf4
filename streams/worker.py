"""`stance-monitor worker`: load rules and the model, serve /metrics, run the Faust worker until stopped."""

from __future__ import annotations

import logging
from pathlib import Path

import faust

from monitor.embedding import SentenceTransformerEmbedder
from monitor.metrics import Metrics
from monitor.pipeline import ArticleScorer
from monitor.rules import RuleSet
from monitor.stance import StanceHead, StanceScorer
from streams.agents import StanceWorker
from streams.settings import StreamSettings

log = logging.getLogger("stance_monitor.worker")


def build_worker(settings: StreamSettings, rules: RuleSet, metrics: Metrics) -> StanceWorker:
    scorer = StanceScorer(rules, SentenceTransformerEmbedder(), StanceHead.from_table())
    scorer.prepare(["Warm-up sentence so the first batch does not pay for loading the model."])
    return StanceWorker(settings, rules, ArticleScorer(rules, scorer, metrics), metrics)


def run_worker(
    settings: StreamSettings,
    rules: RuleSet,
    metrics: Metrics,
    *,
    loglevel: str = "warning",
    workdir: Path | None = None,
) -> None:
    worker = build_worker(settings, rules, metrics)
    metrics.rules_loaded.set(len(worker.rules))
    log.warning("worker starting: %s; %d rules", settings.describe(), len(worker.rules))
    faust.Worker(worker.app, loglevel=loglevel, workdir=str(workdir) if workdir else None).execute_from_commandline()
