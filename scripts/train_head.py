"""Build the stance head's training table from a labelled timeline and report leave-one-stance-out quality.

    python scripts/train_head.py ../shared/data/timeline-dev [--out monitor/data/stance_head.npz]

The table holds only derived numbers (feature rows and labels), never sentence text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from monitor.embedding import SentenceTransformerEmbedder
from monitor.evaluation import (
    classification_report,
    fit_line,
    leave_one_stance_out,
    per_stance_report,
    sentence_table,
    stream_line_points,
    timeline_rows,
)
from monitor.rules import load_rules
from monitor.stance import FEATURE_NAMES, StanceScorer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("timeline", type=Path, help="folder with rules.yaml and labels/sentences.jsonl")
    parser.add_argument("--out", type=Path, default=None, help="write the head's training table here")
    args = parser.parse_args()
    started = time.perf_counter()
    rules = load_rules(args.timeline / "rules.yaml")
    rows = timeline_rows(args.timeline, rules)  # checked and ordered as eval reads them
    scorer = StanceScorer(rules, SentenceTransformerEmbedder())
    table = sentence_table(scorer, rows)
    predicted, heads = leave_one_stance_out(table, scorer)
    report = classification_report(table.gold, predicted)
    report["per_stance"] = per_stance_report(rows, table.gold, predicted)
    points = stream_line_points(table, scorer, heads)
    line = fit_line(list(points.values()))
    shapes, needed = zip(*points.values(), strict=True)
    report["stream_calibration_line"] = {
        "intercept": round(line.intercept, 4),
        "slope": round(line.slope, 4),
        # per stance: its stream shape under its held-out head, and the offset it needed beyond its examples'
        "points": {s: [round(x, 3), round(y, 3)] for s, (x, y) in points.items()},
        "correlation": round(float(np.corrcoef(shapes, needed)[0, 1]), 3),
    }
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2))
    if args.out:
        np.savez_compressed(
            args.out,
            X=table.features,
            y=table.labels,
            feature_names=np.asarray(FEATURE_NAMES),
            # the ids of the stances it was trained on: the scorer does not recalibrate those
            stances=np.asarray(sorted(set(table.stances.tolist()))),
            # the stream calibration of stances it was not trained on (monitor/calibration.py)
            line=np.asarray([line.intercept, line.slope]),
        )
        print(
            f"wrote {args.out}: {len(table.labels)} rows x {table.features.shape[1]} features",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
