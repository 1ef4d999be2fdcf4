"""Builders for small article streams the tests own (no third-party data)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

START = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
OUTLETS = ["North Wire", "Harbour Daily", "Gulf Courier", "Plains Herald", "Capital Post"]

BACKGROUND = [
    "Russia's central bank left its key interest rate unchanged on {day}.",
    "Moscow hosted a trade fair for agricultural machinery this week.",
    "The Kremlin said Putin would travel to Kazakhstan for a regional summit.",
    "Qatar's foreign ministry said talks on the exchange of detainees were continuing.",
    "European leaders called on Moscow to use its influence to end the fighting.",
    "Could the Kremlin broker a truce between Israel and Iran?",
    "Oil prices rose after Iran warned of disruption to shipping.",
]
SHIFT = [
    "Putin offered to mediate between Israel and Iran, the Kremlin said.",
    "Russia said it was ready to host talks between the warring sides in Moscow.",
    "Lavrov told reporters that Moscow stood ready to broker a settlement between Israel and Iran.",
    "The Kremlin renewed its offer to act as a go-between for Israel and Iran.",
    "Peskov said Russia had proposed a mediation plan to both governments.",
    "Russia offered on {day} to host negotiations between Israel and Iran.",
]


def article(n: int, when: datetime, sentences: list[str], outlet: str) -> dict[str, Any]:
    day = when.strftime("%A")
    body = " ".join(s.format(day=day) for s in sentences)
    return {
        "id": f"t-{n:04d}",
        "title": "World news",
        "body": body,
        "published_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": outlet,
        "url": f"https://news.example/{n}",
        "lang": "en",
    }


def shift_stream(days: int = 20, shift_day: int = 15) -> list[dict[str, Any]]:
    """A quiet background with two articles a day, then Russia offering mediation from `shift_day`."""
    out: list[dict[str, Any]] = []
    n = 0
    for day in range(days):
        for slot in range(2):
            when = START + timedelta(days=day, hours=5 * slot)
            picks = [
                BACKGROUND[(day + slot) % len(BACKGROUND)],
                BACKGROUND[(day + slot + 3) % len(BACKGROUND)],
            ]
            out.append(article(n, when, picks, OUTLETS[n % len(OUTLETS)]))
            n += 1
        if day >= shift_day:
            for k in range(4):
                when = START + timedelta(days=day, hours=1 + 3 * k, minutes=7)
                sentence = SHIFT[(day * 4 + k) % len(SHIFT)]
                out.append(article(n, when, [sentence, BACKGROUND[k % 3]], OUTLETS[(n + k) % len(OUTLETS)]))
                n += 1
    out.sort(key=lambda a: a["published_at"])
    return out


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
