"""`stance-monitor eval`: the product's quality figures on a labelled timeline.

With `holdout` (the default), when the shipped head's table holds this timeline's domain (its rule file's
fingerprint), the head is refitted without that domain's rows and calibrated with the map fitted without
them, for both the sentence figures and the replayed alerts: that is what a rule file in an unseen domain
gets, so it is the honest figure. A timeline the head never saw is scored by the shipped head as it is.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
from prometheus_client import CollectorRegistry
from rich.progress import Progress

from monitor.alerts import Alert
from monitor.articles import Article, parse_article
from monitor.errors import ArticleError, TimelineError
from monitor.evaluation import (
    classification_report,
    domain_fingerprint,
    in_stream_order,
    per_stance_report,
    predict_labels,
    read_sentence_labels,
    read_shifts,
    score_alerts,
    sentence_table,
)
from monitor.metrics import Metrics
from monitor.pipeline import Pipeline
from monitor.rules import load_rules
from monitor.sinks import JsonlSink
from monitor.stance import load_scorer


def evaluate_timeline(
    timeline: Path,
    rules_path: Path,
    *,
    holdout: bool = True,
    alerts_out: Path | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The quality report of one labelled timeline; `progress` shows the replay's advance (the long part)."""
    rules = load_rules(rules_path)
    # Check every input before the model loads: a typo should cost a second, not a minute.
    articles_path = timeline / "articles.jsonl"
    if not articles_path.is_file():
        raise TimelineError([f"{articles_path}: no such file (a timeline folder holds articles.jsonl)"])
    shifts_path = timeline / "labels" / "shifts.json"
    shifts = read_shifts(shifts_path) if shifts_path.exists() else []
    unknown = sorted({s["rule_id"] for s in shifts} - {r.id for r in rules.rules})
    if unknown:
        raise TimelineError([f"{shifts_path}: shifts of rules not in {rules_path}: {', '.join(unknown)}"])
    sentences_path = timeline / "labels" / "sentences.jsonl"
    rows = read_sentence_labels(sentences_path, rules) if sentences_path.exists() else []
    articles: list[Article] = []
    rejected = 0
    with open(articles_path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                try:
                    articles.append(parse_article(line))
                except ArticleError:
                    rejected += 1
    articles.sort(key=lambda a: (a.published_at, a.id))
    rows = in_stream_order(rows, articles)

    fingerprint = domain_fingerprint(rules_path)
    scorer = load_scorer(rules, without_domain=fingerprint if holdout else None)
    head = scorer.require_head()
    result: dict[str, Any] = {
        "timeline": str(timeline),
        "domain": fingerprint,
        "mode": "leave-this-domain-out" if holdout else "shipped",
    }

    if rows:
        started = time.perf_counter()
        table = sentence_table(scorer, rows)
        predicted = np.zeros(len(rows), dtype=np.int64)
        predicted[table.scored] = predict_labels(head.probabilities(table.features))
        sentences = classification_report(table.gold, predicted)
        sentences["per_stance"] = per_stance_report(rows, table.gold, predicted)
        sentences["seconds"] = round(time.perf_counter() - started, 1)
        result["sentences"] = sentences

    started = time.perf_counter()
    pipeline = Pipeline(rules, scorer, Metrics.create(CollectorRegistry()))
    alerts: list[Alert] = []
    task = progress.add_task("articles", total=len(articles)) if progress else None
    for batch, batch_result in pipeline.replay(articles, 128):
        alerts += batch_result.alerts
        if progress and task is not None:
            progress.advance(task, len(batch))
    if alerts_out is not None:
        sink = JsonlSink(alerts_out)
        for alert in alerts:
            sink.send(alert)
        sink.close()
    scored = score_alerts(alerts, shifts, [r.id for r in rules.rules if r.enabled], len(articles))
    scored["replay_seconds"] = round(time.perf_counter() - started, 1)
    scored["rejected_articles"] = rejected
    result["alert_details"] = scored.pop("details")
    result["alerts"] = scored
    return result
