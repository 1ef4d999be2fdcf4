"""Third-party check of the sentence classifier: who criticises or praises whom, in news sentences.

    python scripts/bench_directed.py ../shared/data/directed-sentiment-news [--split test] [--limit N]

The set (Park, Pan & Joo 2021, "Who Blames or Endorses Whom?") labels news sentences that name two
entities p and q with the direction and polarity of the sentiment between them. Here it becomes what a new
rule file looks like to stance-monitor: two stances it was never trained on (`criticises` and `praises`,
defined only by the examples below, written without looking at the data), the two entities as actors, and
for every sentence four questions: does p criticise q, q criticise p, p praise q, q praise p? Gold is
`expresses` for the one the label names and `none` for the other three, so a sentence read in the wrong
direction counts as a false alarm and a miss. The shipped head judges with its calibrated probabilities and
the one threshold, exactly as `classify` would with such a rule file.

It prints expresses precision/recall/F1 per stance and overall (and, for scale, those of saying that the
first-named entity takes both stances in every sentence), how many of the false alarms are the right
polarity in the wrong direction (attribution errors), and how many rows were skipped because an entity is
not a whole word in its sentence (the set's entity spans come from an automatic tagger: "[Los Angele]s").
Nothing from the data is written anywhere.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from ruamel.yaml import YAML

from monitor.actors import ActorMatcher
from monitor.embedding import SentenceTransformerEmbedder
from monitor.evaluation import SentenceTable, save_table
from monitor.rules import ActorDef, RuleSet, StanceDef, load_rules
from monitor.stance import StanceHead, StanceScorer, label_of
from monitor.types import StanceKey

STANCES = YAML(typ="safe").load(
    """
criticises:
  label: criticises
  examples:
    - "{actor} sharply criticised {target}"
    - "{actor} blamed {target} for the failure"
    - "{actor} accused {target} of lying to the public"
    - "{actor} condemned the decision taken by {target}"
    - "{actor} said {target} had betrayed the country"
    - "{actor} attacked {target} over the handling of the crisis"
  counter_examples:
    - "{actor} refused to criticise {target}"
    - "{actor} denied blaming {target} for the failure"
    - "{actor} said it was not accusing {target} of anything"
praises:
  label: praises or endorses
  examples:
    - "{actor} praised {target} for the agreement"
    - "{actor} endorsed {target} in the election"
    - "{actor} thanked {target} for its support"
    - "{actor} defended {target} against the accusations"
    - "{actor} said {target} had done an excellent job"
    - "{actor} backed the plan put forward by {target}"
  counter_examples:
    - "{actor} declined to endorse {target}"
    - "{actor} withdrew its support for {target}"
    - "{actor} denied praising {target}"
"""
)

# label -> (stance, agent entity) that it names; neutral names none
GOLD = {
    "negative_e1_to_e2": ("criticises", "p"),
    "negative_e2_to_e1": ("criticises", "q"),
    "positive_e1_to_e2": ("praises", "p"),
    "positive_e2_to_e1": ("praises", "q"),
    "neutral": None,
}


def clean_entity(text: str) -> str:
    return text.strip().strip("’'\"“”‘").strip()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path, help="the directed-sentiment-news folder")
    parser.add_argument("--split", default="test", help="train, valid or test (default test)")
    parser.add_argument("--limit", type=int, default=0, help="score N rows spread evenly over the split")
    parser.add_argument(
        "--background",
        type=Path,
        default=None,
        help="also define the stances of this rule file or folder (not judged: only the contrast the scorer sees)",
    )
    parser.add_argument("--report", type=Path, default=None, help="write the figures as JSON here")
    parser.add_argument(
        "--table",
        type=Path,
        default=None,
        help="also write the split's feature table (derived numbers only) for scripts/train_head.py --table",
    )
    parser.add_argument(
        "--without-domain",
        default=None,
        help="judge with the shipped head refitted without this domain (e.g. directed-sentiment): held out",
    )
    args = parser.parse_args()
    started = time.perf_counter()

    rows = [json.loads(line) for line in (args.folder / "directed_sentiment.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if r["split"] == args.split]
    if args.limit:  # evenly spaced: the file is grouped by label
        rows = rows[:: max(1, len(rows) // args.limit)][: args.limit]
    stances = {sid: StanceDef(id=sid, **spec) for sid, spec in STANCES.items()}
    defined = dict(stances)
    if args.background:
        defined.update(
            {sid: s for sid, s in load_rules(args.background).stances.items() if sid not in stances}
        )
    head = StanceHead.from_table(without_domain=args.without_domain)
    scorer = StanceScorer(RuleSet(), SentenceTransformerEmbedder(), head)
    feature_rows: list[np.ndarray] = []
    gold_rows: list[int] = []
    tallies: list[tuple[str, bool, bool]] = []  # (stance, wanted, right polarity in the wrong direction)

    counts = {s: {"tp": 0, "fp": 0, "fn": 0, "wrong_direction": 0} for s in stances}
    gold_by_direction = {(s, agent): 0 for s in stances for agent in ("p", "q")}
    denies = 0
    skipped = 0
    groups: list[int] = []  # the dataset row each feature row asks about
    asked: list[StanceKey] = []
    for number, row in enumerate(rows):
        sentence = row["text"].replace("[", "").replace("]", "")
        p, q = clean_entity(row["entity1"]), clean_entity(row["entity2"])
        named = {m.actor_id for m in ActorMatcher({"p": [p], "q": [q]}).find(sentence)} if p and q else set()
        if p == q or p in q or q in p or named != {"p", "q"}:
            skipped += 1
            continue
        actors = {"p": ActorDef(id="p", name=p, aliases=[p]), "q": ActorDef(id="q", name=q, aliases=[q])}
        scorer.set_rules(RuleSet(actors=actors, stances=defined))
        [prepared] = scorer.prepare([sentence])
        keys = [StanceKey(agent, s, "q" if agent == "p" else "p") for s in stances for agent in ("p", "q")]
        scorer.ensure_examples_for([(prepared, key) for key in keys])
        gold = GOLD[row["label"]]
        if gold is not None:
            gold_by_direction[gold] += 1
        for key in keys:
            wanted = gold == (key.stance, key.actor)
            feature_rows.append(scorer.features(prepared, key).to_vector())
            groups.append(number)
            asked.append(key)
            gold_rows.append(1 if wanted else 0)
            tallies.append((key.stance, wanted, gold is not None and gold[0] == key.stance))

    probabilities = head.probabilities(np.vstack(feature_rows))
    for (stance, wanted, same_polarity), p in zip(tallies, probabilities, strict=True):
        label = label_of(float(p[1]), float(p[2]))
        said = label == "expresses"
        denies += label == "denies"
        tally = counts[stance]
        if said and wanted:
            tally["tp"] += 1
        elif said:
            tally["fp"] += 1
            tally["wrong_direction"] += same_polarity
        elif wanted:
            tally["fn"] += 1
    if args.table:
        n = len(gold_rows)
        save_table(
            SentenceTable(
                features=np.vstack(feature_rows),
                labels=np.asarray(gold_rows, dtype=np.int64),
                stances=np.asarray([t[0] for t in tallies]),
                scored=np.arange(n),
                gold=np.asarray(gold_rows, dtype=np.int64),
                keys=asked,
                groups=np.asarray(groups, dtype=np.int64),
            ),
            args.table,
        )

    def figures(tp: int, fp: int, fn: int) -> dict[str, float]:
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}

    report: dict[str, Any] = {
        "split": args.split,
        "held_out_domain": args.without_domain,
        "rows": len(rows),
        "scored": len(rows) - skipped,
        "skipped_entity_not_a_word": skipped,
        "denies_predicted": denies,
        "per_stance": {},
    }
    for stance, tally in counts.items():
        report["per_stance"][stance] = {**figures(tally["tp"], tally["fp"], tally["fn"]), **tally}
    scored = len(rows) - skipped
    # for scale: a "classifier" that says p takes both stances towards q in every sentence (the first-named
    # entity is usually the one speaking)
    report["baseline_first_entity_always"] = {
        stance: figures(
            gold_by_direction[(stance, "p")],
            scored - gold_by_direction[(stance, "p")],
            gold_by_direction[(stance, "q")],
        )
        for stance in stances
    }
    total = {k: sum(t[k] for t in counts.values()) for k in ("tp", "fp", "fn", "wrong_direction")}
    report["overall_expresses"] = {**figures(total["tp"], total["fp"], total["fn"]), **total}
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2))
    if args.report:
        args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
