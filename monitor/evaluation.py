"""Measuring quality: sentence stance labels against gold, and alerts against labelled shifts.

Used by `stance-monitor eval` and scripts/train_head.py. Nothing here is on the alerting path.
"""

from __future__ import annotations

import json
import os
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from monitor.articles import Article, parse_article
from monitor.calibration import (
    CalibrationLine,
    StreamCalibration,
    band_counts,
    expresses_log_odds,
    stream_shape,
)
from monitor.errors import TimelineError
from monitor.rules import RuleSet
from monitor.stance import StanceHead, StanceScorer
from monitor.types import LABELS, Alert, StanceKey

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
            problems.append(f"{where}: start {shift['start']!r} needs a time zone (e.g. 2025-06-13T00:00:00Z)")
    if problems:
        raise TimelineError(problems[:MAX_PROBLEMS])
    return shifts


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def in_stream_order(rows: list[dict[str, Any]], articles: Sequence[Article]) -> list[dict[str, Any]]:
    """Labelled rows in their articles' event-time order (stable within an article; unknown articles last).

    The stream calibration of held-out stances reads the labelled rows as the stream, so their order counts.
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


# -- fitting the stream calibration's line -----------------------------------------------------

# The offsets the line is fitted to are searched on this grid.
_GRID = np.arange(-5.0, 5.01, 0.5)


def stance_f1(labels: np.ndarray, predicted: np.ndarray) -> float:
    """Mean F1 of expresses (1) and denies (2), the eval's stance-F1."""
    scores = []
    for label in (1, 2):
        tp = float(np.sum((predicted == label) & (labels == label)))
        wrong = float(np.sum((predicted == label) != (labels == label)))
        scores.append(2 * tp / (2 * tp + wrong) if tp else 0.0)
    return float(np.mean(scores))


def best_offset(probabilities: np.ndarray, labels: np.ndarray, rows: np.ndarray, offsets: np.ndarray) -> float:
    """The offset for `rows` (a mask) that gives the best stance-F1 over all rows, the others at `offsets`."""
    scores = []
    for offset in _GRID:
        shifted = probabilities.copy()
        shifted[:, 1] *= np.exp(np.where(rows, offset, offsets))
        scores.append(stance_f1(labels, shifted.argmax(axis=1)))
    return float(_GRID[int(np.argmax(scores))])


def shape_of(probabilities: np.ndarray) -> float:
    """The stream shape of a whole set of rows (raw probabilities)."""
    ambiguous, confident = band_counts(expresses_log_odds(probabilities))
    return float(stream_shape(ambiguous.sum(), confident.sum()))


def fit_line(points: Sequence[tuple[float, float]]) -> CalibrationLine:
    """Least squares through (shape, offset still needed) points, one per held-out stance."""
    if not points:
        return CalibrationLine(0.0, 0.0)
    shapes = np.asarray([p[0] for p in points])
    needed = np.asarray([p[1] for p in points])
    if len(points) < 2 or np.ptp(shapes) == 0:
        return CalibrationLine(float(needed.mean()), 0.0)
    slope, intercept = np.polyfit(shapes, needed, 1)
    return CalibrationLine(float(intercept), float(slope))


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


def sentence_table(scorer: StanceScorer, rows: Sequence[dict[str, Any]]) -> SentenceTable:
    texts = list(dict.fromkeys(row["sentence"] for row in rows))
    prepared = dict(zip(texts, scorer.prepare(texts), strict=True))
    # in file order, not a set's: the examples are embedded in one batch, and its make-up moves the last float bits
    keys = list(dict.fromkeys(StanceKey(r["actor"], r["stance"], r.get("target")) for r in rows))
    scorer.ensure_examples_for([(p, k) for p in prepared.values() for k in keys])
    features, labels, stances, scored = [], [], [], []
    row_keys: list[StanceKey] = []
    for i, row in enumerate(rows):
        sentence = prepared[row["sentence"]]
        key = StanceKey(row["actor"], row["stance"], row.get("target"))
        if key.actor not in {m.actor_id for m in sentence.mentions}:
            continue
        features.append(scorer.features(sentence, key))
        labels.append(LABEL_INDEX[row["label"]])
        stances.append(row["stance"])
        scored.append(i)
        row_keys.append(key)
    return SentenceTable(
        features=np.vstack(features) if features else np.zeros((0, 0), dtype=np.float32),
        labels=np.asarray(labels, dtype=np.int64),
        stances=np.asarray(stances),
        scored=np.asarray(scored, dtype=np.int64),
        gold=np.asarray([LABEL_INDEX[row["label"]] for row in rows], dtype=np.int64),
        keys=row_keys,
    )


def _fit_head(features: np.ndarray, labels: np.ndarray, stances: np.ndarray, without: frozenset[str]) -> StanceHead:
    train = ~np.isin(stances, list(without))
    return StanceHead(features[train], labels[train], stances=set(stances[train].tolist()))


def _trainable(table: SentenceTable, without: frozenset[str]) -> bool:
    """Whether the rows outside `without` can train a head (at least two labels among them)."""
    return len(set(table.labels[~np.isin(table.stances, list(without))].tolist())) >= 2


def _fit_heads(table: SentenceTable, held_out: Sequence[frozenset[str]]) -> list[StanceHead]:
    """One head per set of held-out stances, fitted in parallel processes (one thread each)."""
    from joblib import Parallel, delayed

    jobs = min(len(held_out), os.cpu_count() or 1)
    if jobs <= 1:
        return [_fit_head(table.features, table.labels, table.stances, w) for w in held_out]
    return list(
        Parallel(n_jobs=jobs)(
            delayed(_fit_head)(table.features, table.labels, table.stances, w) for w in held_out
        )
    )


def held_out_probabilities(
    table: SentenceTable, scorer: StanceScorer | None = None
) -> tuple[np.ndarray, dict[str, StanceHead]]:
    """Label probabilities (none, expresses, denies) for every scored row, each stance by a head trained without it.

    With a scorer, the rows are calibrated as the scorer calibrates a stream (StanceScorer.offsets): on their
    key's examples, and on the stream so far, the table's rows of the stance in order being the stream. The
    stream's calibration line for a held-out stance is fitted on the other stances only, each scored by a
    head trained without it *and* without the held-out stance, so no label of that stance is used.
    Without a scorer, uncalibrated. Returns the probabilities and the held-out heads (with their lines).
    """
    stance_ids = sorted(set(table.stances.tolist()))
    untrainable = [s for s in stance_ids if not _trainable(table, frozenset([s]))]
    if untrainable:
        raise TimelineError(
            [f"cannot hold out stance {untrainable[0]!r}: the other stances' labelled rows have fewer than two labels"]
        )
    heads = dict(zip(stance_ids, _fit_heads(table, [frozenset([s]) for s in stance_ids]), strict=True))
    raw = _held_out_raw(table, heads)
    if scorer is None:
        return raw / raw.sum(axis=1, keepdims=True), heads

    base = example_offsets(table, scorer, heads)
    # (with few labelled stances, some pairs leave too little to train on: those give no point, and a
    # stance with no point gets a flat line, i.e. the examples' calibration only)
    pairs = [(s, t) for s in stance_ids for t in stance_ids if t != s and _trainable(table, frozenset((s, t)))]
    nested = dict(zip(pairs, _fit_heads(table, [frozenset(pair) for pair in pairs]), strict=True))
    for stance in stance_ids:
        others = table.stances != stance
        heads[stance].line = fit_line(
            [stream_point(table, scorer, raw, base, t, nested[(stance, t)], others) for s, t in pairs if s == stance]
        )

    saved = scorer.stream
    scorer.stream = StreamCalibration()  # the table is its own stream
    try:
        offsets = np.zeros(len(table.labels))
        for stance in stance_ids:
            rows = np.flatnonzero(table.stances == stance)
            offsets[rows] = scorer.offsets([table.keys[i] for i in rows], heads[stance], raw[rows])
    finally:
        scorer.stream = saved
    probabilities = raw.copy()
    probabilities[:, 1] *= np.exp(offsets)
    return probabilities / probabilities.sum(axis=1, keepdims=True), heads


def example_offsets(
    table: SentenceTable, scorer: StanceScorer, heads: dict[str, StanceHead], rows: np.ndarray | None = None
) -> np.ndarray:
    """The examples' calibration (StanceScorer.expresses_offset) of each row in `rows` under its stance's head."""
    chosen = np.flatnonzero(rows) if rows is not None else np.arange(len(table.labels))
    return np.asarray(
        [scorer.expresses_offset(table.keys[i], heads[str(table.stances[i])]) for i in chosen], dtype=np.float64
    )


def stream_point(
    table: SentenceTable,
    scorer: StanceScorer,
    probabilities: np.ndarray,
    offsets: np.ndarray,
    stance: str,
    head: StanceHead,
    among: np.ndarray,
) -> tuple[float, float]:
    """A point for the stream calibration line: `stance` scored by `head` (which never saw it), its stream shape
    and the offset it still needs after its examples' calibration, judged by the stance-F1 over the rows
    `among` (a mask; the other rows keep `probabilities` and `offsets`, raw and the examples')."""
    rows = table.stances == stance
    probabilities, offsets = probabilities.copy(), offsets.copy()
    probabilities[rows] = head.probabilities(table.features[rows])
    offsets[rows] = example_offsets(table, scorer, {stance: head}, rows)
    needed = best_offset(probabilities[among], table.labels[among], rows[among], offsets[among])
    return shape_of(probabilities[rows]), needed - float(np.median(offsets[rows]))


def _held_out_raw(table: SentenceTable, heads: dict[str, StanceHead]) -> np.ndarray:
    """Uncalibrated probabilities of every scored row under its stance's head."""
    raw = np.zeros((len(table.labels), 3))
    for stance, head in heads.items():
        raw[table.stances == stance] = head.probabilities(table.features[table.stances == stance])
    return raw


def stream_line_points(
    table: SentenceTable, scorer: StanceScorer, heads: dict[str, StanceHead]
) -> dict[str, tuple[float, float]]:
    """The points of the stream calibration line for a head trained on every stance of the table, by stance:
    (shape, offset still needed), each stance scored by its held-out head (`heads`, from held_out_probabilities).
    fit_line() of the values is the shipped line."""
    raw = _held_out_raw(table, heads)
    base = example_offsets(table, scorer, heads)
    everything = np.ones(len(table.labels), dtype=bool)
    return {s: stream_point(table, scorer, raw, base, s, heads[s], everything) for s in sorted(heads)}


def leave_one_stance_out(
    table: SentenceTable, scorer: StanceScorer | None = None
) -> tuple[np.ndarray, dict[str, StanceHead]]:
    """Predicted labels for every labelled row (unscored rows are "none"), and the held-out heads by stance."""
    probabilities, heads = held_out_probabilities(table, scorer)
    predicted = np.zeros(len(table.gold), dtype=np.int64)
    predicted[table.scored] = probabilities.argmax(axis=1)
    return predicted, heads


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
        matched = [
            a
            for a in by_rule.get(shift["rule_id"], [])
            if start <= _parse_time(a.fired_at) <= start + HIT_WINDOW
        ]
        matched.sort(key=lambda a: a.fired_at)
        if matched:
            hits += 1
            repeats += len(matched) - 1
            delay = (_parse_time(matched[0].fired_at) - start).total_seconds() / 3600
            delays.append(delay)
            details.append({"rule_id": shift["rule_id"], "start": shift["start"], "delay_h": round(delay, 2)})
        else:
            missed += 1
            details.append({"rule_id": shift["rule_id"], "start": shift["start"], "delay_h": None})
    for rule_id, rule_alerts in by_rule.items():
        rule_shifts = [_parse_time(s["start"]) for s in shifts if s["rule_id"] == rule_id]
        for alert in rule_alerts:
            fired_at = _parse_time(alert.fired_at)
            if not any(start <= fired_at <= start + HIT_WINDOW for start in rule_shifts):
                false_alerts += 1
                details.append({"rule_id": rule_id, "false_alert_at": alert.fired_at})
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
