"""Wall time of `replay` on hostile articles: one body of 20,000 words without punctuation, one of 1.4 MB.

    python scripts/bench_hostile.py [--baseline /path/to/older/checkout] [--timeout 120]

Each article names tracked actors (one word in twenty is an alias), so every text stage sees it. Each replay
is a fresh process of the tree (model load included); the exit code is reported beside the time, and a replay
still running at `--timeout` is stopped and reported as such.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.bench_speed import run_replay  # noqa: E402
from tests.hostile import unpunctuated  # noqa: E402

CASES = {"130 kB (about 20,000 words)": 130_000, "1.4 MB": 1_400_000}  # body sizes in characters


def write_case(directory: Path, number: int, size: int) -> Path:
    path = directory / f"case-{number}.jsonl"
    article = {
        "id": f"hostile-{number}",
        "body": unpunctuated(size),
        "published_at": "2025-06-13T09:00:00Z",
        "source": "Hostile Wire",
    }
    path.write_text(json.dumps(article) + "\n", encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline", type=Path, default=None, help="an older checkout to compare with")
    parser.add_argument("--timeout", type=float, default=600.0, help="stop a replay after this many seconds")
    args = parser.parse_args()
    trees = {"this": ROOT} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
    report: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # the bundled rule files without their tests (*.test.yaml), which an older checkout would read as rules
        rules = Path(tmp) / "rules"
        rules.mkdir()
        for rule_file in (ROOT / "rules").glob("*.yaml"):
            if not rule_file.name.endswith(".test.yaml"):
                (rules / rule_file.name).write_bytes(rule_file.read_bytes())
        for number, (name, size) in enumerate(CASES.items()):
            articles = write_case(Path(tmp), number, size)
            report[name] = {}
            for tree_name, tree in trees.items():
                seconds, code = run_replay(tree, articles, rules, timeout=args.timeout)
                report[name][tree_name] = {
                    "seconds": round(seconds, 1),
                    "exit": code if code is not None else f"stopped at {args.timeout:.0f} s",
                }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
