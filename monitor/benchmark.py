"""`stance-monitor eval`: the product's quality figures on a labelled timeline.

With `holdout` (the default) every stance is scored by a head trained on the timeline's other
stances only, for both the sentence figures and the replayed alerts: that is what a new rule file
gets, so it is the honest figure when the shipped head was trained on this timeline.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from prometheus_client import CollectorRegistry

from monitor.alerting import JsonlSink
from monitor.articles import Article, parse_article
from monitor.embedding import SentenceTransformerEmbedder
from monitor.errors import ArticleError
from monitor.evaluation import (
    classification_report,
    leave_one_stance_out,
    per_stance_report,
    read_jsonl,
    score_alerts,
    sentence_table,
)
from monitor.metrics import Metrics
from monitor.pipeline import Pipeline
from monitor.rules import load_rules
from monitor.stance import StanceHead, StanceScorer
from monitor.types import Alert


def evaluate_timeline(
    timeline: Path, rules_path: Path, *, holdout: bool = True, alerts_out: Path | None = None
) -> dict[str, Any]:
    rules = load_rules(rules_path)
    embedder = SentenceTransformerEmbedder()
    sentences_path = timeline / "labels" / "sentences.jsonl"
    # With held-out heads for every labelled stance the shipped head goes unused: do not fit it.
    shipped = None if holdout and sentences_path.exists() else StanceHead.from_table()
    scorer = StanceScorer(rules, embedder, shipped)
    result: dict[str, Any] = {
        "timeline": str(timeline),
        "mode": "leave-one-stance-out" if holdout else "shipped",
    }

    if sentences_path.exists():
        started = time.perf_counter()
        rows = read_jsonl(sentences_path)
        table = sentence_table(scorer, rows)
        if holdout:
            predicted, scorer.stance_heads = leave_one_stance_out(table, scorer)
        else:
            assert scorer.head is not None
            predicted = np.zeros(len(rows), dtype=np.int64)
            predicted[table.scored] = scorer.head.probabilities(table.features).argmax(axis=1)
        sentences = classification_report(table.gold, predicted)
        sentences["per_stance"] = per_stance_report(rows, table.gold, predicted)
        sentences["seconds"] = round(time.perf_counter() - started, 1)
        result["sentences"] = sentences
    elif holdout:
        result["note"] = "no labels/sentences.jsonl: alerts scored with the shipped head"

    started = time.perf_counter()
    articles: list[Article] = []
    rejected = 0
    with open(timeline / "articles.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                try:
                    articles.append(parse_article(line))
                except ArticleError:
                    rejected += 1
    articles.sort(key=lambda a: (a.published_at, a.id))
    pipeline = Pipeline(rules, scorer, Metrics.create(CollectorRegistry()))
    alerts: list[Alert] = []
    for start in range(0, len(articles), 128):
        batch = articles[start : start + 128]
        alerts += pipeline.process(batch, now=batch[-1].published_at).alerts
    if alerts_out is not None:
        sink = JsonlSink(alerts_out)
        for alert in alerts:
            sink.send(alert)
        sink.close()
    shifts_path = timeline / "labels" / "shifts.json"
    shifts = json.loads(shifts_path.read_text(encoding="utf-8")) if shifts_path.exists() else []
    scored = score_alerts(alerts, shifts, [r.id for r in rules.rules if r.enabled], len(articles))
    scored["replay_seconds"] = round(time.perf_counter() - started, 1)
    scored["rejected_articles"] = rejected
    result["alert_details"] = scored.pop("details")
    result["alerts"] = scored
    return result
