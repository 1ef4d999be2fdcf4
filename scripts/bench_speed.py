"""Wall time of `replay` on the bundled sample and on a timeline, this tree against a baseline tree.

    python scripts/bench_speed.py ../shared/data/timeline-dev [--baseline /path/to/older/checkout] [--runs 2]

Each replay is a fresh process (model load included), as a user runs it; runs alternate between the trees
so that a busy machine slows both alike, and the best of `--runs` counts. With a baseline it prints each
ratio (this tree / baseline): the attribution issue's budget is 1.3x with the parser on.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_replay(
    tree: Path, articles: Path, rules: Path, timeout: float | None = None
) -> tuple[float, int | None]:
    """Wall seconds of one `replay` in a fresh process of `tree`, and its exit code (None: stopped at `timeout`)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    env.pop("SLACK_BOT_TOKEN", None)  # never post while measuring
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "monitor", "replay", str(articles), "--rules", str(rules), "--quiet"],
            cwd=tree,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - started, None
    return time.perf_counter() - started, done.returncode


def replay_seconds(tree: Path, articles: Path, rules: Path) -> float:
    seconds, code = run_replay(tree, articles, rules)
    if code != 0:
        raise RuntimeError(f"replay of {articles} in {tree} exited {code}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("timeline", type=Path, help="a timeline folder (articles.jsonl, rules.yaml)")
    parser.add_argument("--baseline", type=Path, default=None, help="an older checkout to compare with")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    # the rule files alone: an older checkout does not know the rule tests (*.test.yaml) beside them
    rules_only = Path(tempfile.mkdtemp(prefix="bench-rules-"))
    for path in (ROOT / "rules").glob("*.yaml"):
        if not path.name.endswith(".test.yaml"):
            shutil.copy(path, rules_only / path.name)
    inputs = {
        "sample": (ROOT / "examples" / "articles.jsonl", rules_only),
        "timeline": (args.timeline.resolve() / "articles.jsonl", args.timeline.resolve() / "rules.yaml"),
    }
    trees = {"this": ROOT} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    best: dict[str, dict[str, float]] = {name: {} for name in inputs}
    for _ in range(args.runs):
        for name, (articles, rules) in inputs.items():
            for tree_name, tree in trees.items():
                seconds = replay_seconds(tree, articles, rules)
                best[name][tree_name] = min(seconds, best[name].get(tree_name, float("inf")))
    report: dict[str, object] = {
        name: {k: round(v, 1) for k, v in times.items()}
        | ({"ratio": round(times["this"] / times["baseline"], 2)} if "baseline" in times else {})
        for name, times in best.items()
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
