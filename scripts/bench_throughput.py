"""Throughput against the model's own limit and against a naive pipeline, in one run on one input.

    python scripts/bench_throughput.py [TIMELINE_DIR] [--naive-articles 100]

TIMELINE_DIR holds articles.jsonl and rules.yaml (default ../shared/data/timeline-dev). One process, one
loaded model, three measurements on the same articles:

(a) roofline: the model's standalone `encode` (batch 64) of exactly the texts the pipeline asked it to embed
    during (b), recorded at the model call (sentences naming an actor, their clauses, the stances' examples);
(b) replay: `Pipeline.replay` in-process, model already loaded: articles/s, and embedded texts/s over the
    whole replay (everything else the pipeline does counts against it); then the peak RSS of a
    `stance-monitor replay` in a fresh process (model load included); and the garbage collector's seconds
    during (b) (--no-freeze: with the scorer not frozen out of its passes, to see what gc.freeze saves);
(c) naive: each sentence of N articles spread over the input, named actor or not, prepared (parsed, embedded)
    and judged on its own with the same scorer and no cache: the same judgements, none of the batching,
    pre-filtering or dedupe.

Prints the figures and the ratios (b)/(a) (texts/s) and (b)/(c) (articles/s) as a table and as JSON.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TIMELINE = ROOT.parent / "shared" / "data" / "timeline-dev"


def valid_articles(path: Path) -> list[Any]:
    """The articles of a JSONL file that parse (replay counts the others as rejected)."""
    from monitor.articles import read_articles
    from monitor.errors import ArticleError

    return [article for _, article, _ in read_articles(path) if not isinstance(article, ArticleError)]


class Recorder:
    """Wraps the embedder's model call to keep every text it is asked to embed, and the time spent in it."""

    def __init__(self, embedder: Any) -> None:
        self.embedder = embedder
        self.encode = embedder._encode
        self.texts: list[str] = []
        self.seconds = 0.0
        embedder._encode = self

    def __call__(self, texts: list[str]) -> Any:
        started = time.perf_counter()
        try:
            return self.encode(texts)
        finally:
            self.seconds += time.perf_counter() - started
            self.texts += list(texts)

    def restore(self) -> None:
        del self.embedder._encode  # the class's method again


class CollectorTime:
    """Seconds the garbage collector runs from now until stop() (gc.callbacks)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0
        gc.callbacks.append(self)

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started

    def stop(self) -> None:
        gc.callbacks.remove(self)


def roofline(embedder: Any, texts: list[str]) -> float:
    """Seconds for the model alone (the configured backend, batches of 64, no cache) to embed `texts`."""
    started = time.perf_counter()
    embedder._encode(texts)
    return time.perf_counter() - started


def naive(scorer: Any, articles: list[Any], keys: list[Any]) -> tuple[float, int]:
    """Seconds and sentences for the one-sentence-at-a-time pipeline on `articles` (no cache)."""
    from monitor.text import segment

    embedder = scorer.embedder
    embedder._cache_size, embedder._cache = 0, type(embedder._cache)()  # every sentence goes to the model
    sentences = 0
    started = time.perf_counter()
    for article in articles:
        texts, _ = segment(article.body, 1000)
        for text in texts:
            scorer.judge(scorer.prepare([text]), keys)
            sentences += 1
    return time.perf_counter() - started, sentences


def replay_rss(articles: Path, rules: Path) -> tuple[float, float]:
    """Peak RSS (GB) and wall seconds of `stance-monitor replay` in a fresh process, model load included."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    env.pop("SLACK_BOT_TOKEN", None)
    command = [sys.executable, "-m", "monitor", "replay", str(articles), "--rules", str(rules), "--quiet"]
    started = time.perf_counter()
    subprocess.run([*command, "--allow-rejects"], cwd=ROOT, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2, seconds


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("timeline", type=Path, nargs="?", default=DEFAULT_TIMELINE)
    parser.add_argument("--naive-articles", type=int, default=100, help="articles the naive pipeline gets")
    parser.add_argument("--batch-size", type=int, default=128, help="replay's articles per batch")
    parser.add_argument("--rules", type=Path, help="rule file or folder (default: TIMELINE_DIR/rules.yaml)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="instead: cProfile a replay of the first N articles, print the top",
    )
    parser.add_argument("--profile-sort", choices=("cumulative", "tottime"), default="cumulative")
    parser.add_argument("--profile-top", type=int, default=40, help="functions --profile prints")
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="load the scorer without gc.freeze (what load_process_scorer saves: compare gc_seconds)",
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    from prometheus_client import CollectorRegistry

    from monitor.metrics import Metrics
    from monitor.pipeline import Pipeline
    from monitor.rules import load_rules
    from monitor.stance import load_process_scorer, load_scorer

    articles_path, rules_path = args.timeline / "articles.jsonl", args.rules or args.timeline / "rules.yaml"
    articles = valid_articles(articles_path)
    rules = load_rules(rules_path)
    scorer = load_scorer(rules) if args.no_freeze else load_process_scorer(rules)
    embedder = scorer.embedder
    embedder._encode(["Warm-up so that neither measurement pays for the first call."] * 8)
    scorer.attributor.parse(["Warm-up so that the parser is loaded too."])

    pipeline = Pipeline(rules, scorer, Metrics.create(CollectorRegistry()))
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(lambda: list(pipeline.replay(articles[: args.profile], args.batch_size)))
        pstats.Stats(profiler).sort_stats(args.profile_sort).print_stats(args.profile_top)
        return 0
    recorder = Recorder(embedder)
    collector = CollectorTime()
    started = time.perf_counter()
    for _batch, _result in pipeline.replay(articles, args.batch_size):
        pass
    replay_seconds = time.perf_counter() - started
    collector.stop()
    recorder.restore()
    texts = recorder.texts
    roofline_seconds = roofline(embedder, texts)

    step = max(1, len(articles) // args.naive_articles)  # spread over the stream: article length varies
    subset = articles[::step][: args.naive_articles]
    naive_seconds, naive_sentences = naive(scorer, subset, rules.keys())
    rss_gb, process_seconds = replay_rss(articles_path, rules_path)

    figures = {
        "input": str(args.timeline),
        "backend": embedder.backend,
        "articles": len(articles),
        "texts_embedded": len(texts),
        "distinct_texts_embedded": len(set(texts)),
        "roofline_seconds": round(roofline_seconds, 2),
        "roofline_texts_per_s": round(len(texts) / roofline_seconds, 1),
        "replay_seconds": round(replay_seconds, 2),
        "replay_model_seconds": round(recorder.seconds, 2),
        "replay_articles_per_s": round(len(articles) / replay_seconds, 1),
        "replay_gc_seconds": round(collector.seconds, 2),
        "frozen_objects": gc.get_freeze_count(),
        "replay_texts_per_s": round(len(texts) / replay_seconds, 1),
        "replay_vs_roofline": round(roofline_seconds / replay_seconds, 3),
        "naive_articles": len(subset),
        "naive_sentences": naive_sentences,
        "naive_seconds": round(naive_seconds, 2),
        "naive_articles_per_s": round(len(subset) / naive_seconds, 2),
        "replay_vs_naive": round((len(articles) / replay_seconds) / (len(subset) / naive_seconds), 1),
        "replay_process_seconds": round(process_seconds, 1),
        "replay_peak_rss_gb": round(rss_gb, 2),
    }
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
