"""Checks and writes a generated labelled timeline in the format of ../shared/data/timeline-dev.

    articles.jsonl              one article per line, sorted by published_at
    rules.yaml                  the domain's rules (written from stance definitions before any sentence)
    labels/shifts.json          the ground-truth shifts
    labels/sentences.jsonl      one row per (sentence naming a tracked actor) x (rule key), label none unless set
    README.md                   the scenario, the definitions and the counts

A generator builds `Article`s out of `Line`s: each line is one sentence and says which (actor, stance, target)
keys it expresses or denies; every other key of a sentence that names an actor is "none".
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from monitor.actors import ActorMatcher
from monitor.rules import load_rules
from monitor.text import split_sentences

Key = tuple[str, str, str | None]  # (actor, stance, target)


@dataclass
class Line:
    """One sentence and its non-none labels: {(actor, stance, target): "expresses" | "denies"}."""

    text: str
    labels: dict[Key, str] = field(default_factory=dict)


@dataclass
class Article:
    id: str
    source: str
    url: str
    title: str
    published_at: datetime  # timezone-aware
    paragraphs: list[list[Line]]

    @property
    def body(self) -> str:
        return "\n".join(" ".join(line.text for line in paragraph) for paragraph in self.paragraphs)


def write_timeline(
    out: Path, rules_yaml: str, articles: list[Article], shifts: list[dict[str, object]], readme: str
) -> dict[str, int]:
    """Check everything, then write the timeline under `out`. Raises ValueError naming the first problem."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "labels").mkdir(exist_ok=True)
    rules_path = out / "rules.yaml"
    rules_path.write_text(rules_yaml, encoding="utf-8")
    rules = load_rules(rules_path)  # raises on a broken rule file
    matcher = ActorMatcher({a.id: a.aliases for a in rules.actors.values()})
    keys: list[Key] = list(dict.fromkeys((r.actor, r.stance, r.target) for r in rules.rules))
    rule_ids = {r.id for r in rules.rules}
    for shift in shifts:
        if shift.get("rule_id") not in rule_ids:
            raise ValueError(f"shift names unknown rule {shift.get('rule_id')!r}")

    articles = sorted(articles, key=lambda a: (a.published_at, a.id))
    ids = Counter(a.id for a in articles)
    duplicated = [i for i, n in ids.items() if n > 1]
    if duplicated:
        raise ValueError(f"duplicate article ids: {duplicated[:5]}")

    rows: list[dict[str, object]] = []
    counts: Counter[str] = Counter()
    for article in articles:
        lines = [line for paragraph in article.paragraphs for line in paragraph]
        split = split_sentences(article.body)
        if split != [line.text.strip() for line in lines]:
            raise ValueError(
                f"{article.id}: the monitor splits the body into other sentences than the lines: "
                f"{[s for s in split if s not in [x.text for x in lines]][:2]}"
            )
        for line in lines:
            mentioned = {m.actor_id for m in matcher.find(line.text)}
            for key, label in line.labels.items():
                if key not in keys:
                    raise ValueError(
                        f"{article.id}: {key} is labelled but no rule has that key: {line.text!r}"
                    )
                if key[0] not in mentioned:
                    raise ValueError(f"{article.id}: {key[0]} is labelled but not named: {line.text!r}")
                if label not in ("expresses", "denies"):
                    raise ValueError(f"{article.id}: label {label!r} (expected expresses or denies)")
            if not mentioned:
                continue
            for actor, stance, target in keys:
                label = line.labels.get((actor, stance, target), "none")
                counts[label] += 1
                rows.append(
                    {
                        "article_id": article.id,
                        "sentence": line.text,
                        "actor": actor,
                        "stance": stance,
                        "target": target,
                        "label": label,
                    }
                )

    with (out / "articles.jsonl").open("w", encoding="utf-8") as f:
        for a in articles:
            record = {
                "id": a.id,
                "source": a.source,
                "url": a.url,
                "title": a.title,
                "body": a.body,
                "published_at": a.published_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "lang": "en",
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    with (out / "labels" / "sentences.jsonl").open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    (out / "labels" / "shifts.json").write_text(json.dumps(shifts, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(readme, encoding="utf-8")
    summary = {"articles": len(articles), "rows": len(rows), **counts}
    print(json.dumps(summary))
    return summary
