"""Bad input cannot stall or poison the stream: every hostile line is rejected with a reason, the stream goes
on, an enormous body costs a bounded, linear time, and a far-future date cannot move the event-time clock.

No sentence model here (FakeEmbedder); spaCy's parser is real, as it is one of the stages that used to be
superlinear in sentence length.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from monitor.articles import parse_article, read_articles
from monitor.embedding import FakeEmbedder
from monitor.errors import ArticleError
from monitor.limits import InputLimits
from monitor.metrics import Metrics
from monitor.pipeline import Pipeline
from monitor.rules import load_rules
from monitor.stance import StanceHead, StanceScorer
from monitor.text import cap_text, hard_split, segment, split_sentences
from tests.hostile import unpunctuated

RULES = load_rules(Path(__file__).parents[1] / "fixtures" / "rules.yaml")
NOW = datetime(2025, 6, 14, 12, 0, tzinfo=UTC)


# -- text stages are linear ---------------------------------------------------------------------------


def test_a_huge_paragraph_without_punctuation_is_cut_into_capped_pieces() -> None:
    text = unpunctuated(1_400_000)
    sentences, long_sentences = segment(text, 1000)
    assert long_sentences > 0
    assert max(len(s) for s in sentences) <= 1000
    assert " ".join(sentences).split() == text.split()  # nothing lost, nothing cut mid-word


def test_a_huge_paragraph_that_needs_pysbd_splits_in_linear_time() -> None:
    # Quotes, brackets and abbreviations send a paragraph to pysbd, whose cost is quadratic in its length;
    # without the sentence cap this 240,000-character paragraph takes far longer; capped, about a second on a
    # quiet machine. The bound is loose so that a busy machine cannot fail it, only a quadratic split.
    rng = random.Random(1)
    text = " ".join(
        rng.choice(["said", "the", '"Russia"', "talks.", "Moscow", "(he)", "U.S."]) for _ in range(40_000)
    )
    started = time.perf_counter()
    sentences = split_sentences(text, 1000)
    assert time.perf_counter() - started < 30.0
    assert max(len(s) for s in sentences) <= 1000
    assert " ".join(sentences).split() == text.split()


def test_text_within_the_limits_splits_exactly_as_without_them() -> None:
    text = (
        'MOSCOW (Wire) - Russia offered to mediate. "We are ready," Peskov said. The U.S. declined.\n\n'
        "Qatar said talks would resume on Monday! Officials in Doha were not available?"
    )
    assert split_sentences(text, 1000) == split_sentences(text)
    assert segment(text, 1000)[1] == 0


def test_hard_split_cuts_at_spaces_and_mid_word_only_without_one() -> None:
    assert hard_split("aaa bbb ccc", 7) == ["aaa bbb", "ccc"]
    assert hard_split("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert hard_split("One two. Three four five six", 20, after_sentence=True) == [
        "One two.",
        "Three four five six",
    ]
    with pytest.raises(ValueError):
        hard_split("x", 0)


def test_cap_text_keeps_the_start_and_cuts_at_a_space() -> None:
    assert cap_text("short", 10) == ("short", False)
    assert cap_text("Russia offered to mediate today", 20) == ("Russia offered to", True)


# -- future timestamps --------------------------------------------------------------------------------


def _line(published_at: str) -> str:
    return json.dumps({"id": "a1", "body": "Russia offered to mediate.", "published_at": published_at})


def test_a_far_future_timestamp_is_rejected_and_the_past_is_not() -> None:
    with pytest.raises(ArticleError) as caught:
        parse_article(_line("9999-12-31T23:59:59Z"), now=NOW)
    assert caught.value.reason == "future_timestamp"
    assert "published_at" in str(caught.value) and "1 days ahead" in str(caught.value)
    # within the skew (clocks differ a little between outlets), and any past year (replay of old timelines)
    assert parse_article(_line("2025-06-15T11:00:00Z"), now=NOW).id == "a1"
    assert parse_article(_line("1999-01-01T00:00:00Z"), now=NOW).id == "a1"
    strict = InputLimits(max_future_skew=timedelta(minutes=5))
    with pytest.raises(ArticleError, match="0.0833333 hours ahead"):
        parse_article(_line("2025-06-14T12:06:00Z"), strict, now=NOW)


def test_the_default_clock_is_the_wall_clock() -> None:
    tomorrow_plus = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with pytest.raises(ArticleError, match="ahead of the clock"):
        parse_article(_line(tomorrow_plus))
    assert parse_article(_line(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))).id == "a1"


# -- settings -----------------------------------------------------------------------------------------


def test_input_limits_from_the_environment(environ: Callable[[Mapping[str, str]], None]) -> None:
    environ({})
    assert InputLimits.from_env() == InputLimits(
        max_body_chars=50_000, max_sentence_chars=1_000, max_future_skew=timedelta(days=1)
    )
    environ(
        {
            "STANCE_MONITOR_MAX_BODY_CHARS": "2000",
            "STANCE_MONITOR_MAX_SENTENCE_CHARS": " 300 ",
            "STANCE_MONITOR_MAX_FUTURE_SKEW": "600.5",
        }
    )
    limits = InputLimits.from_env()
    assert limits == InputLimits(
        max_body_chars=2000, max_sentence_chars=300, max_future_skew=timedelta(seconds=600.5)
    )
    assert InputLimits() == InputLimits(
        max_body_chars=50_000
    )  # built in code: the defaults, not the environment


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("STANCE_MONITOR_MAX_BODY_CHARS", "lots", "input should be a valid integer, unable to parse string as an integer (got 'lots')"),
        ("STANCE_MONITOR_MAX_BODY_CHARS", "0", "input should be greater than 0 (got '0')"),
        ("STANCE_MONITOR_MAX_SENTENCE_CHARS", "1.5", "input should be a valid integer, unable to parse string as an integer (got '1.5')"),
        ("STANCE_MONITOR_MAX_FUTURE_SKEW", "-1", "input should be greater than 0 seconds (got '-1')"),
        ("STANCE_MONITOR_MAX_FUTURE_SKEW", "inf", "durations may not exceed 999,999,999 days (got 'inf')"),
        ("STANCE_MONITOR_MAX_FUTURE_SKEW", "1d", "could not convert string to float: '1d'"),
    ],
)  # fmt: skip
def test_a_bad_limit_names_its_variable(
    environ: Callable[[Mapping[str, str]], None], name: str, value: str, problem: str
) -> None:
    environ({name: value})
    with pytest.raises(ValueError) as caught:
        InputLimits.from_env()
    assert str(caught.value).startswith(f"{name}: ") and str(caught.value).endswith(problem)


# -- the stream goes on -------------------------------------------------------------------------------

GOOD = [
    {"id": f"ok-{n}", "body": f"Russia offered to mediate between Israel and Iran, round {n}.",
     "published_at": f"2025-06-1{n}T10:00:00Z", "source": "Wire"}
    for n in range(3)
]  # fmt: skip
HOSTILE: list[tuple[bytes, str | None]] = [  # (line, reason it is rejected for; None: accepted)
    (b"{not json", "invalid_json"),
    (b"[1, 2, 3]", "not_an_object"),
    (b'"just a string"', "not_an_object"),
    (b"\xff\xfe{}", "invalid_json"),
    (b"[" * 100_000 + b"]" * 100_000, "invalid_json"),
    (json.dumps({"body": "x", "published_at": "2025-06-13T10:00:00Z"}).encode(), "missing_field"),
    (json.dumps({"id": "h1", "body": None, "published_at": "2025-06-13T10:00:00Z"}).encode(), "missing_field"),
    (json.dumps({"id": "h2", "body": 42, "published_at": "2025-06-13T10:00:00Z"}).encode(), "invalid_field"),
    (json.dumps({"id": "h3", "body": "   ", "published_at": "2025-06-13T10:00:00Z"}).encode(), "invalid_field"),
    (json.dumps({"id": "h4", "body": "x", "published_at": "2025-06-13T10:00:00"}).encode(), "invalid_field"),
    (json.dumps({"id": "h5", "body": "x", "published_at": "2025-02-30T10:00:00Z"}).encode(), "invalid_field"),
    (json.dumps({"id": "h6", "body": "x", "published_at": 1718272800}).encode(), "invalid_field"),
    (json.dumps({"id": "", "body": "x", "published_at": "2025-06-13T10:00:00Z"}).encode(), "invalid_field"),
    (json.dumps({"id": "h7", "body": "Russia offered to mediate.", "published_at": "9999-12-31T00:00:00Z"}).encode(),
     "future_timestamp"),
    (json.dumps({"id": "huge", "body": unpunctuated(1_400_000), "published_at": "2025-06-13T09:00:00Z"}).encode(),
     None),
]  # fmt: skip


def test_every_hostile_line_is_rejected_with_a_reason_and_the_stream_goes_on() -> None:
    lines = [
        json.dumps(GOOD[0]).encode(),
        *(line for line, _ in HOSTILE),
        *(json.dumps(g).encode() for g in GOOD[1:]),
    ]
    results = list(read_articles(lines, InputLimits()))
    assert len(results) == len(lines)  # one result per line, none lost, nothing raised
    reasons = [r.reason if isinstance(r, ArticleError) else None for _, r, _ in results]
    assert reasons == [None, *(reason for _, reason in HOSTILE), None, None]

    registry = CollectorRegistry()
    metrics = Metrics.create(registry)
    pipeline = Pipeline(RULES, StanceScorer(RULES, FakeEmbedder(), StanceHead.from_table()), metrics)
    articles = [r for _, r, _ in results if not isinstance(r, ArticleError)]
    started = time.perf_counter()
    result = pipeline.process(articles, now=NOW)
    elapsed = time.perf_counter() - started
    # Was minutes and then a spaCy E088 error (text over 1,000,000 characters) that ended a replay.
    assert elapsed < 20, f"the 1.4 MB article took {elapsed:.1f} s"
    assert result.processed == len(GOOD) + 1
    assert {o.article_id for o in result.observations} >= {g["id"] for g in GOOD} | {"huge"}

    def truncated(reason: str) -> float | None:
        return registry.get_sample_value("stance_monitor_articles_truncated_total", {"reason": reason})

    assert truncated("body_too_long") == 1
    assert truncated("sentence_too_long") == 1
