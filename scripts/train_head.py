"""Train the stance head across labelled domains and report leave-one-domain-out quality.

    python scripts/train_head.py ../shared/data/timeline-dev /work/domains/trade ... \
        [--out monitor/data/stance_head.npz] [--cache .cache/tables]

Each timeline folder (rules.yaml, articles.jsonl, labels/sentences.jsonl) is one domain. For every domain,
a head trained on the *other* domains scores it; a calibration map fitted on the other domains' held-out
predictions turns those scores into probabilities, and the label follows with the one threshold
(monitor.stance.THRESHOLD). That is what an unseen rule file in an unseen domain gets: the headline figure.
The shipped table holds every domain's feature rows (derived numbers, never sentence text), the calibration
fitted on all held-out predictions, and one map per domain without it (for `stance-monitor eval`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from monitor.embedding import SentenceTransformerEmbedder
from monitor.evaluation import (
    SentenceTable,
    classification_report,
    domain_fingerprint,
    load_table,
    predict_labels,
    save_table,
    sentence_table,
    timeline_rows,
    top_stance_accuracy,
)
from monitor.rules import RuleSet, load_rules
from monitor.stance import Calibration, StanceFeatures, StanceHead, StanceScorer


@lru_cache(maxsize=1)
def feature_version() -> str:
    """Changes whenever the features could: their names, or the code that computes them."""
    import monitor.attribution
    import monitor.evaluation
    import monitor.stance

    digest = hashlib.sha256("\n".join(StanceFeatures.names()).encode())
    package = sorted(Path(str(monitor.stance.__file__)).parent.glob("*.py"))
    for path in (Path(str(monitor.attribution.__file__)), *package, Path(str(monitor.evaluation.__file__))):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def cache_path(cache: Path, timeline: Path) -> Path:
    """Keyed by the rules, the labelled sentences and the feature code: a change to any rebuilds it."""
    labels = hashlib.sha256((timeline / "labels" / "sentences.jsonl").read_bytes()).hexdigest()[:8]
    rules = domain_fingerprint(timeline / "rules.yaml")
    return cache / f"{timeline.name}-{rules}-{labels}-{feature_version()}.npz"


def domain_table(timeline: Path, cached: Path, scorer: Callable[[], StanceScorer]) -> SentenceTable:
    """The feature table of one timeline, from the cache or built (then cached) with `scorer()`."""
    if cached.exists():
        return load_table(cached)
    rules = load_rules(timeline / "rules.yaml")
    built = scorer()
    built.set_rules(rules)
    table = sentence_table(built, timeline_rows(timeline, rules))
    cached.parent.mkdir(parents=True, exist_ok=True)
    save_table(table, cached)
    return table


def summary(table: SentenceTable, predicted_scored: np.ndarray) -> dict[str, Any]:
    """Sentence figures over all labelled rows (rows whose actor is not named are none)."""
    predicted = np.zeros(len(table.gold), dtype=np.int64)
    predicted[table.scored] = predicted_scored
    report = classification_report(table.gold, predicted)
    per = report["per_class"]
    return {
        "stance_f1": report["stance_f1"],
        "expresses": {k: per["expresses"][k] for k in ("precision", "recall", "f1", "support")},
        "denies": {k: per["denies"][k] for k in ("precision", "recall", "f1", "support")},
        "confusion": report["confusion"]["rows_gold_cols_predicted"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("timelines", type=Path, nargs="*", help="timeline folders, one per domain")
    parser.add_argument(
        "--table",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="a prebuilt feature table as one more domain (e.g. from scripts/bench_directed.py --table)",
    )
    parser.add_argument("--out", type=Path, default=None, help="write the shipped head's table here")
    parser.add_argument("--cache", type=Path, default=Path(".cache/tables"), help="feature tables cache")
    parser.add_argument("--report", type=Path, default=None, help="write the report as JSON here")
    parser.add_argument(
        "--ablate",
        action="append",
        default=[],
        metavar="PREFIX",
        help="measure without the features whose names start with PREFIX (repeatable; not with --out)",
    )
    args = parser.parse_args()
    if args.ablate and args.out:
        parser.error("--ablate measures a variant; it cannot write the shipped table")
    started = time.perf_counter()

    @lru_cache(maxsize=1)
    def scorer() -> StanceScorer:  # the model loads only when some table is not cached
        return StanceScorer(RuleSet(), SentenceTransformerEmbedder())

    tables: dict[str, SentenceTable] = {}
    fingerprints: dict[str, str] = {}
    for timeline in args.timelines:
        tables[timeline.name] = domain_table(timeline, cache_path(args.cache, timeline), scorer)
        fingerprints[timeline.name] = domain_fingerprint(timeline / "rules.yaml")
        print(f"{timeline.name}: {len(tables[timeline.name].labels)} scored rows", file=sys.stderr)

    for spec in args.table:
        name, _, path = spec.partition("=")
        tables[name], fingerprints[name] = load_table(Path(path)), name
        print(f"{name}: {len(tables[name].labels)} scored rows (prebuilt)", file=sys.stderr)

    if args.ablate:
        # the ablated columns are set to a constant: the head cannot split on them
        feature_names = StanceFeatures.names()
        dropped = [i for i, name in enumerate(feature_names) if name.startswith(tuple(args.ablate))]
        for table in tables.values():
            table.features = table.features.copy()
            table.features[:, dropped] = 0.0
        print(
            f"ablated {len(dropped)} features: {', '.join(feature_names[i] for i in dropped)}",
            file=sys.stderr,
        )

    names = list(tables)
    if len(names) < 2:
        print("one domain: tables built; leave-one-domain-out needs at least two", file=sys.stderr)
        return 0
    # Raw held-out probabilities of every domain, from a head trained on the others.
    raw: dict[str, np.ndarray] = {}
    for name in names:
        others = [n for n in names if n != name]
        head = StanceHead(
            np.vstack([tables[n].features for n in others]),
            np.concatenate([tables[n].labels for n in others]),
        )
        raw[name] = head.raw_probabilities(tables[name].features)
        print(f"held out {name}: head fitted", file=sys.stderr)

    # Calibration for each held-out domain from the others' held-out predictions only.
    held_out_maps: dict[str, Calibration] = {}
    report: dict[str, Any] = {"domains": {}, "threshold_sweep": {}}
    calibrated: dict[str, np.ndarray] = {}
    for name in names:
        others = [n for n in names if n != name]
        held_out_maps[name] = Calibration.fit(
            np.vstack([raw[n] for n in others]), np.concatenate([tables[n].labels for n in others])
        )
        calibrated[name] = held_out_maps[name].apply(raw[name])
        report["domains"][name] = summary(tables[name], predict_labels(calibrated[name]))
        report["domains"][name]["top_stance"] = top_stance_accuracy(tables[name], calibrated[name])
    report["leave_one_domain_out_mean_stance_f1"] = round(
        float(np.mean([d["stance_f1"] for d in report["domains"].values()])), 4
    )
    # How the one threshold trades precision for recall, pooled over the domains (documentation, not tuning).
    for threshold in (0.3, 0.4, 0.5, 0.6):
        report["threshold_sweep"][str(threshold)] = [
            summary(tables[name], predict_labels(calibrated[name], threshold))["stance_f1"] for name in names
        ]

    shipped = Calibration.fit(
        np.vstack(list(raw.values())), np.concatenate([tables[n].labels for n in names])
    )
    report["seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(report, indent=2)
    print(text)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    if args.out:
        np.savez_compressed(
            args.out,
            X=np.vstack([tables[n].features for n in names]),
            y=np.concatenate([tables[n].labels for n in names]),
            domains=np.concatenate([np.full(len(tables[n].labels), fingerprints[n]) for n in names]),
            domain_names=np.asarray([f"{n}:{fingerprints[n]}" for n in names]),
            feature_names=np.asarray(StanceFeatures.names()),
            calibration_coef=shipped.coef,
            calibration_intercept=shipped.intercept,
            held_out_domains=np.asarray([fingerprints[n] for n in names]),
            held_out_coef=np.stack([held_out_maps[n].coef for n in names]),
            held_out_intercept=np.stack([held_out_maps[n].intercept for n in names]),
        )
        # The same head already fitted, so a process loads it instead of fitting it at start-up.
        fitted = args.out.with_suffix(".skops")
        StanceHead.from_table(args.out).save_fitted(fitted, args.out)
        print(f"wrote {args.out} and {fitted}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
