from __future__ import annotations

import pytest

from monitor.text import split_sentences, strip_dateline


def test_splits_paragraphs_and_sentences() -> None:
    text = "First sentence here. Second one follows!\n\n  Third, in a new paragraph?  \nFourth without a stop"
    assert split_sentences(text) == [
        "First sentence here.",
        "Second one follows!",
        "Third, in a new paragraph?",
        "Fourth without a stop",
    ]


def test_empty_and_blank() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t") == []


def test_abbreviations_stay_inside_sentences() -> None:
    text = "The U.S. Secretary of State met Gen. Smith on Monday. He said nothing. Mr. Lavrov left."
    assert split_sentences(text) == [
        "The U.S. Secretary of State met Gen. Smith on Monday.",
        "He said nothing.",
        "Mr. Lavrov left.",
    ]


def test_decimals_are_not_boundaries() -> None:
    text = "Iran was allowed to enrich uranium only to 3.67 percent. In 2018, the US withdrew."
    assert split_sentences(text) == [
        "Iran was allowed to enrich uranium only to 3.67 percent.",
        "In 2018, the US withdrew.",
    ]


@pytest.mark.parametrize(
    "quoted",
    [
        '"We are ready to mediate. Russia has good relations with both sides," Lavrov said.',
        "Lavrov said: “We are ready to mediate. Russia has good relations with both.”",
    ],
)
def test_quoted_sentences_stay_whole(quoted: str) -> None:
    assert split_sentences(f"{quoted} Then he left.") == [quoted, "Then he left."]


def test_dateline_stays_with_its_sentence() -> None:
    text = "MOSCOW, June 16 (Meridian Wire) — Russia said it would help. The U.S. disagreed."
    assert split_sentences(text) == [
        "MOSCOW, June 16 (Meridian Wire) — Russia said it would help.",
        "The U.S. disagreed.",
    ]


@pytest.mark.parametrize(
    ("sentence", "prefix"),
    [
        (
            "MOSCOW, June 16 (Meridian Wire) — Russia offered to mediate.",
            "MOSCOW, June 16 (Meridian Wire) — ",
        ),
        ("ISTANBUL (CPA) - Turkish officials condemned the raid.", "ISTANBUL (CPA) - "),
        ("TEHRAN (ZNA) – Would Iran ever accept zero enrichment?", "TEHRAN (ZNA) – "),
        ("MOSCOW, July 28 /FNA/ – The Kremlin said no.", "MOSCOW, July 28 /FNA/ – "),
        ("DOHA: Qatar hosted the talks.", "DOHA: "),
        ("Beijing: China called for calm.", "Beijing: "),
        ("WASHINGTON — The Pentagon denied it.", "WASHINGTON — "),
        ("NEW YORK (CPA) - The council met.", "NEW YORK (CPA) - "),
        ("BEIJING, August 11 (SRNS) — China said so.", "BEIJING, August 11 (SRNS) — "),
        ("Abu Dhabi: The UAE said so.", "Abu Dhabi: "),
    ],
)
def test_strips_datelines_exactly(sentence: str, prefix: str) -> None:
    rest, offset = strip_dateline(sentence)
    assert offset == len(prefix)
    assert sentence[:offset] == prefix
    assert rest == sentence[len(prefix) :]


@pytest.mark.parametrize(
    "sentence",
    [
        "Moscow said it was ready to mediate.",
        "MOSCOW said it was ready to mediate.",
        "Russia - unlike China - offered help.",
        "US-China talks resumed on Monday.",
        "The Kremlin: a fortress of secrets.",
        "Analysis: what Russia wants.",
        "Putin said: we are ready.",
        "In Moscow, June 16 was a quiet day — mostly.",
        "NATO, the alliance, met.",
        "ISTANBUL",
        "DOHA: ",
        "",
    ],
)
def test_leaves_other_sentences_untouched(sentence: str) -> None:
    assert strip_dateline(sentence) == (sentence, 0)
