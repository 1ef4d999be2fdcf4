"""How the head's class weights move the leave-one-stance-out figure: `eval`'s sentence figures at several powers.

    python scripts/bench_class_weights.py ../shared/data/timeline-dev [--powers 1 0.75 0.5 0.25]

The head weighs each class in proportion to frequency ** -power (monitor/stance.py, CLASS_WEIGHT_POWER; 1 is
fully balanced, 0.5 the shipped square root). For each power this rebuilds what `eval` measures on the
sentences: every stance scored by heads trained without it, calibrated on its examples and on the stream with
the strict stream-calibration lines. About 5 min per power on 2 cores (the sentence table is built once).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from joblib import parallel_config

import monitor.stance
from monitor.embedding import SentenceTransformerEmbedder
from monitor.evaluation import classification_report, leave_one_stance_out, sentence_table, timeline_rows
from monitor.rules import load_rules
from monitor.stance import StanceScorer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("timeline", type=Path, help="folder with rules.yaml, articles.jsonl and labels/sentences.jsonl")
    parser.add_argument("--powers", type=float, nargs="+", default=[1.0, 0.75, 0.5, 0.25])
    args = parser.parse_args()
    started = time.perf_counter()
    rules = load_rules(args.timeline / "rules.yaml")
    rows = timeline_rows(args.timeline, rules)
    scorer = StanceScorer(rules, SentenceTransformerEmbedder())
    table = sentence_table(scorer, rows)
    results = {}
    for power in args.powers:
        monitor.stance.CLASS_WEIGHT_POWER = power
        # threads, not processes: the heads are fitted in this interpreter, where the power was set
        with parallel_config(backend="threading"):
            predicted, _ = leave_one_stance_out(table, scorer)
        report = classification_report(table.gold, predicted)
        results[str(power)] = {
            "stance_f1": report["stance_f1"],
            "confusion": report["confusion"]["rows_gold_cols_predicted"],
        }
        print(f"power {power}: stance-F1 {report['stance_f1']:.4f}", flush=True)
    print(json.dumps({"powers": results, "seconds": round(time.perf_counter() - started, 1)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
