"""How much would a few labelled sentences per new stance buy? A what-if for a review queue.

    python scripts/bench_review_queue.py ../shared/data/timeline-dev [--labels 10 20 50] [--repeats 10]

The held-out heads' calibration from a rule's examples leaves much of the stance-F1 on the table: the best
threshold differs a lot between stances. This script simulates an editor who labels `k` of the sentences
the monitor flags most readily for each new stance (drawn from the top 3k by expresses odds, as a review
queue would show them), picks the stance's expresses threshold that fits those labels best, and scores
leave-one-stance-out stance-F1 on every *other* labelled row, next to the figure the same rows get without
the labels (the labelled rows are the most confident ones, so leaving them out lowers both). Nothing here is on the alerting path.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from monitor.embedding import SentenceTransformerEmbedder
from monitor.evaluation import (
    classification_report,
    held_out_probabilities,
    sentence_table,
    timeline_rows,
)
from monitor.rules import load_rules
from monitor.stance import StanceScorer

SHIFTS = np.linspace(-5.0, 5.0, 41)  # candidate extra expresses log-odds per stance


def predict(probabilities: np.ndarray, shift: np.ndarray | float) -> np.ndarray:
    scores = probabilities.copy()
    scores[:, 1] *= np.exp(shift)
    return scores.argmax(axis=1)


def fitted_shift(probabilities: np.ndarray, gold: np.ndarray) -> float:
    """The shift that fits the labelled rows best (the smallest one among ties)."""
    fits = []
    for shift in SHIFTS:
        report = classification_report(gold, predict(probabilities, shift))
        fits.append((report["per_class"]["expresses"]["f1"], -abs(shift), shift))
    return float(max(fits)[2])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("timeline", type=Path, help="folder with rules.yaml and labels/sentences.jsonl")
    parser.add_argument("--labels", type=int, nargs="+", default=[10, 20, 50], help="labelled rows per stance")
    parser.add_argument("--repeats", type=int, default=10, help="random draws per size")
    parser.add_argument("--pool", type=int, default=3, help="draw from the top POOL x k rows of each stance")
    args = parser.parse_args()
    started = time.perf_counter()
    rules = load_rules(args.timeline / "rules.yaml")
    rows = timeline_rows(args.timeline, rules)  # checked and ordered as eval reads them
    scorer = StanceScorer(rules, SentenceTransformerEmbedder())
    table = sentence_table(scorer, rows)
    probabilities, _ = held_out_probabilities(table, scorer)
    odds = np.log(probabilities[:, 1] + 1e-9) - np.log(np.maximum(probabilities[:, 0], probabilities[:, 2]) + 1e-9)

    def stance_f1(predicted_scored: np.ndarray, excluded: np.ndarray) -> float:
        predicted = np.zeros(len(table.gold), dtype=np.int64)  # rows not scored are "none"
        predicted[table.scored] = predicted_scored
        keep = np.ones(len(table.gold), dtype=bool)
        keep[table.scored[excluded]] = False
        return float(classification_report(table.gold[keep], predicted[keep])["stance_f1"])

    nothing = np.zeros(len(table.labels), dtype=bool)
    report: dict[str, object] = {"rows": len(rows), "no_labels": stance_f1(predict(probabilities, 0.0), nothing)}
    for k in args.labels:
        figures, unfitted = [], []
        for repeat in range(args.repeats):
            rng = np.random.default_rng(repeat)
            shift = np.zeros(len(table.labels))
            labelled = np.zeros(len(table.labels), dtype=bool)
            for stance in sorted(set(table.stances.tolist())):
                rows_of_stance = np.flatnonzero(table.stances == stance)
                queue = rows_of_stance[np.argsort(-odds[rows_of_stance])[: args.pool * k]]
                picked = rng.choice(queue, size=min(k, len(queue)), replace=False)
                labelled[picked] = True
                shift[rows_of_stance] = fitted_shift(probabilities[picked], table.labels[picked])
            figures.append(stance_f1(predict(probabilities, shift), labelled))
            unfitted.append(stance_f1(predict(probabilities, 0.0), labelled))  # same rows, no labels used
        report[f"{k}_labels_per_stance"] = {
            "stance_f1_mean": round(float(np.mean(figures)), 4),
            "min": round(min(figures), 4),
            "max": round(max(figures), 4),
            "same_rows_without_labels": round(float(np.mean(unfitted)), 4),
        }
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
