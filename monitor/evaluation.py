"""Measuring quality: sentence stance labels against gold, and alerts against labelled shifts.

Used by `stance-monitor eval` and scripts/train_head.py. Nothing here is on the alerting path.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from monitor.alerts import Alert
from monitor.articles import Article, parse_article
from monitor.errors import TimelineError
from monitor.rules import RuleSet
from monitor.stance import THRESHOLD, StanceScorer
from monitor.types import LABELS, StanceKey, iso_utc

LABEL_INDEX = {"none": 0, "expresses": 1, "denies": 2}
HIT_WINDOW = timedelta(hours=72)


MAX_PROBLEMS = 20  # listed per file; more than that is one broken file, not twenty separate mistakes


def _numbered_objects(path: str | Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """The objects of a JSONL file with their line numbers, and `file:line:` problems (a missing file raises)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise TimelineError([f"{path}: no such file"]) from None
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: invalid JSON ({exc.msg})")
            continue
        if isinstance(row, dict):
            rows.append((number, row))
        else:
            problems.append(f"{path}:{number}: expected an object, got {type(row).__name__}")
    return rows, problems[:MAX_PROBLEMS]


def read_sentence_labels(path: str | Path, rules: RuleSet) -> list[dict[str, Any]]:
    """labels/sentences.jsonl, checked against the rules: every row names a known actor and stance and a label."""
    rows, problems = _numbered_objects(path)
    for number, row in rows:
        where = f"{path}:{number}"
        missing = [field for field in ("sentence", "actor", "stance", "label") if not row.get(field)]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
        elif row["label"] not in LABEL_INDEX:
            problems.append(f"{where}: label {row['label']!r} is not one of {', '.join(LABELS)}")
        elif row["actor"] not in rules.actors:
            problems.append(f"{where}: actor {row['actor']!r} is not defined in the rules")
        elif row["stance"] not in rules.stances:
            problems.append(f"{where}: stance {row['stance']!r} is not defined in the rules")
        elif row.get("target") is not None and row["target"] not in rules.actors:
            problems.append(f"{where}: target {row['target']!r} is not defined in the rules")
    if problems:
        raise TimelineError(problems[:MAX_PROBLEMS])
    return [row for _, row in rows]


def read_shifts(path: str | Path) -> list[dict[str, Any]]:
    """labels/shifts.json: a list of {"rule_id", "start" (ISO 8601 time), ...}."""
    try:
        shifts = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TimelineError([f"{path}: no such file"]) from None
    except json.JSONDecodeError as exc:
        raise TimelineError([f"{path}:{exc.lineno}: invalid JSON ({exc.msg})"]) from None
    if not isinstance(shifts, list):
        raise TimelineError([f"{path}: expected a list of shifts, got {type(shifts).__name__}"])
    problems = []
    for index, shift in enumerate(shifts):
        where = f"{path}: shift #{index + 1}"
        if not isinstance(shift, dict) or not shift.get("rule_id") or not shift.get("start"):
            problems.append(f"{where}: needs rule_id and start")
            continue
        try:
            start = _parse_time(str(shift["start"]))
        except ValueError:
            problems.append(f"{where}: start {shift['start']!r} is not an ISO 8601 time")
            continue
        if start.tzinfo is None:
            problems.append(
                f"{where}: start {shift['start']!r} needs a time zone (e.g. 2025-06-13T00:00:00Z)"
            )
    if problems:
        raise TimelineError(problems[:MAX_PROBLEMS])
    return shifts


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def in_stream_order(rows: list[dict[str, Any]], articles: Sequence[Article]) -> list[dict[str, Any]]:
    """Labelled rows in their articles' event-time order (stable within an article; unknown articles last).

    A fixed order, so that `eval` and scripts/train_head.py build the same table (the batch a sentence is
    embedded in moves the last float bits).
    """
    ordered = sorted(articles, key=lambda a: (a.published_at, a.id))
    position = {a.id: i for i, a in enumerate(ordered)}
    return sorted(rows, key=lambda row: position.get(str(row.get("article_id")), len(position)))


def timeline_rows(timeline: Path, rules: RuleSet) -> list[dict[str, Any]]:
    """A timeline's labelled rows (labels/sentences.jsonl, checked), in their articles' event-time order, as
    `eval` reads them: for the scripts that rebuild eval's sentence table."""
    rows = read_sentence_labels(timeline / "labels" / "sentences.jsonl", rules)
    lines = (timeline / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return in_stream_order(rows, [parse_article(line) for line in lines if line.strip()])


def domain_fingerprint(rules_path: str | Path) -> str:
    """A timeline's domain, as the shipped head's table records it: a hash of its rule file(s)' text."""
    path = Path(rules_path)
    files = sorted(path.rglob("*.y*ml")) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


# -- sentences -------------------------------------------------------------------------------


@dataclass
class SentenceTable:
    """Feature rows for the labelled rows whose actor is named outside the dateline (the others are "none")."""

    features: np.ndarray
    labels: np.ndarray  # 0 none, 1 expresses, 2 denies
    stances: np.ndarray  # stance id per scored row, for leave-one-stance-out
    scored: np.ndarray  # index into the labelled rows of each feature row
    gold: np.ndarray  # gold label of every labelled row
    keys: list[StanceKey]  # stance key of each scored row
    # which sentence of which article each scored row asks about (rows of one sentence share an id)
    groups: np.ndarray


def sentence_table(scorer: StanceScorer, rows: Sequence[dict[str, Any]]) -> SentenceTable:
    texts = list(dict.fromkeys(row["sentence"] for row in rows))
    prepared = dict(zip(texts, scorer.prepare(texts), strict=True))
    # in file order, not a set's: the examples are embedded in one batch, and its make-up moves the last float bits
    keys = list(dict.fromkeys(StanceKey(r["actor"], r["stance"], r.get("target")) for r in rows))
    scorer.ensure_examples_for([(p, k) for p in prepared.values() for k in keys])
    features, labels, stances, scored, groups = [], [], [], [], []
    group_ids: dict[tuple[str, str], int] = {}
    row_keys: list[StanceKey] = []
    for i, row in enumerate(rows):
        sentence = prepared[row["sentence"]]
        key = StanceKey(row["actor"], row["stance"], row.get("target"))
        if key.actor not in {m.actor_id for m in sentence.mentions}:
            continue
        features.append(scorer.features(sentence, key).to_vector())
        labels.append(LABEL_INDEX[row["label"]])
        stances.append(row["stance"])
        scored.append(i)
        row_keys.append(key)
        groups.append(group_ids.setdefault((str(row.get("article_id")), row["sentence"]), len(group_ids)))
    return SentenceTable(
        features=np.vstack(features) if features else np.zeros((0, 0), dtype=np.float32),
        labels=np.asarray(labels, dtype=np.int64),
        stances=np.asarray(stances),
        scored=np.asarray(scored, dtype=np.int64),
        gold=np.asarray([LABEL_INDEX[row["label"]] for row in rows], dtype=np.int64),
        keys=row_keys,
        groups=np.asarray(groups, dtype=np.int64),
    )


def predict_labels(probabilities: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """Labels (0 none, 1 expresses, 2 denies) from calibrated probabilities, as `label_of` gives them."""
    p_expresses, p_denies = probabilities[:, 1], probabilities[:, 2]
    expresses = (p_expresses >= threshold) & (p_expresses >= p_denies)
    denies = (p_denies >= threshold) & (p_denies > p_expresses)
    return np.where(expresses, 1, np.where(denies, 2, 0)).astype(np.int64)


def save_table(table: SentenceTable, path: Path) -> None:
    np.savez_compressed(
        path,
        features=table.features,
        labels=table.labels,
        stances=table.stances,
        scored=table.scored,
        gold=table.gold,
        keys=np.asarray([[k.actor, k.stance, k.target or ""] for k in table.keys], dtype=str).reshape(-1, 3),
        groups=table.groups,
    )


def load_table(path: Path) -> SentenceTable:
    data = np.load(path)
    return SentenceTable(
        features=data["features"],
        labels=data["labels"],
        stances=data["stances"],
        scored=data["scored"],
        gold=data["gold"],
        keys=[StanceKey(a, s, t or None) for a, s, t in data["keys"].tolist()],
        groups=data["groups"],
    )


def classification_report(gold: np.ndarray, predicted: np.ndarray) -> dict[str, Any]:
    """Per-class precision/recall/F1, stance-F1 (mean F1 of expresses and denies), macro-F1, confusion."""
    report: dict[str, Any] = {"rows": int(len(gold)), "per_class": {}}
    f1s = {}
    for name, index in LABEL_INDEX.items():
        tp = int(np.sum((gold == index) & (predicted == index)))
        fp = int(np.sum((gold != index) & (predicted == index)))
        fn = int(np.sum((gold == index) & (predicted != index)))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s[name] = f1
        report["per_class"][name] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
        }
    report["stance_f1"] = round((f1s["expresses"] + f1s["denies"]) / 2, 4)
    report["macro_f1"] = round(sum(f1s.values()) / 3, 4)
    order = [LABEL_INDEX[label] for label in LABELS]
    report["confusion"] = {
        "labels": list(LABELS),
        "rows_gold_cols_predicted": [
            [int(np.sum((gold == g) & (predicted == p))) for p in order] for g in order
        ],
    }
    return report


def per_stance_report(
    rows: Sequence[dict[str, Any]], gold: np.ndarray, predicted: np.ndarray
) -> dict[str, Any]:
    stances = np.asarray([row["stance"] for row in rows])
    out = {}
    for stance in sorted(set(stances.tolist())):
        mask = stances == stance
        rep = classification_report(gold[mask], predicted[mask])
        out[stance] = {
            "expresses_f1": rep["per_class"]["expresses"]["f1"],
            "denies_f1": rep["per_class"]["denies"]["f1"],
            "support": {k: v["support"] for k, v in rep["per_class"].items()},
        }
    return out


# -- alerts against shifts -------------------------------------------------------------------


def score_alerts(
    alerts: Iterable[Alert], shifts: Sequence[dict[str, Any]], rule_ids: Sequence[str], n_articles: int
) -> dict[str, Any]:
    """Score alerts against labelled shifts.

    Per rule, the first alert within 72 h of a shift's start is a hit; a second alert for the same
    shift is a repeat and counts against precision; any other alert is false.
    """
    by_rule: dict[str, list[Alert]] = {}
    for alert in alerts:
        by_rule.setdefault(alert.rule_id, []).append(alert)
    hits, repeats, false_alerts, missed = 0, 0, 0, 0
    delays: list[float] = []
    details: list[dict[str, Any]] = []
    for shift in shifts:
        start = _parse_time(shift["start"])
        matched = [a for a in by_rule.get(shift["rule_id"], []) if start <= a.fired_at <= start + HIT_WINDOW]
        matched.sort(key=lambda a: a.fired_at)
        if matched:
            hits += 1
            repeats += len(matched) - 1
            delay = (matched[0].fired_at - start).total_seconds() / 3600
            delays.append(delay)
            details.append({"rule_id": shift["rule_id"], "start": shift["start"], "delay_h": round(delay, 2)})
        else:
            missed += 1
            details.append({"rule_id": shift["rule_id"], "start": shift["start"], "delay_h": None})
    for rule_id, rule_alerts in by_rule.items():
        rule_shifts = [_parse_time(s["start"]) for s in shifts if s["rule_id"] == rule_id]
        for alert in rule_alerts:
            if not any(start <= alert.fired_at <= start + HIT_WINDOW for start in rule_shifts):
                false_alerts += 1
                details.append({"rule_id": rule_id, "false_alert_at": iso_utc(alert.fired_at)})
    shifted_rules = {s["rule_id"] for s in shifts}
    quiet_rules = [r for r in rule_ids if r not in shifted_rules]
    alerts_on_quiet = sum(len(by_rule.get(r, [])) for r in quiet_rules)
    fired = hits + repeats + false_alerts
    precision = hits / fired if fired else 0.0
    recall = hits / len(shifts) if shifts else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "shifts": len(shifts),
        "alerts": fired,
        "hits": hits,
        "repeats": repeats,
        "false_alerts": false_alerts,
        "missed": missed,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "median_delay_h": round(statistics.median(delays), 2) if delays else None,
        "false_alerts_per_1000_articles": round(1000 * false_alerts / max(1, n_articles), 3),
        "quiet_rules": len(quiet_rules),
        "alerts_on_quiet_rules": alerts_on_quiet,
        "details": details,
    }


def label_counts(rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    return dict(Counter(row["label"] for row in rows))


def top_stance_accuracy(table: SentenceTable, probabilities: np.ndarray) -> dict[str, float | int]:
    """For sentences where an actor expresses some stance: is that stance the one ranked first among all
    the actor's keys in the table (by P(expresses))? With the chance rate of a random pick for comparison."""
    asked: dict[tuple[int, str], list[int]] = {}  # (sentence, actor) -> its scored rows
    for i, (group, key) in enumerate(zip(table.groups.tolist(), table.keys, strict=True)):
        asked.setdefault((group, key.actor), []).append(i)
    right = total = 0
    chance = 0.0
    for rows in asked.values():
        expressing = [bool(table.labels[i] == 1) for i in rows]
        if len(rows) < 2 or not any(expressing):
            continue
        total += 1
        right += int(table.labels[max(rows, key=lambda i: probabilities[i, 1])] == 1)
        chance += sum(expressing) / len(rows)
    return {
        "sentences": total,
        "top1": round(right / total, 4) if total else 0.0,
        "chance": round(chance / total, 4) if total else 0.0,
    }
