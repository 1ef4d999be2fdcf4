from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from monitor.stories import NUM_PERM, StoryIndex, minhash, shingles, tokens

T0 = datetime(2025, 6, 16, 9, 0, tzinfo=UTC)

STORY = (
    "MOSCOW, June 16 (Meridian Wire) — President Vladimir Putin offered on Monday to mediate between Israel "
    "and Iran, saying Russia had good relations with both countries and was ready to host talks in Moscow. "
    "Kremlin spokesman Dmitry Peskov told reporters that the offer had been passed to both governments and "
    "that Russia expected an answer within days. The proposal came after 3 days of strikes.\n"
    "Western diplomats said they would study the offer carefully but doubted that either side would accept."
)
REPUBLISHED = (
    "MOSCOW (CPA) - President Vladimir Putin offered on Monday to mediate between Israel "
    "and Iran, saying Russia had good relations with both countries and was ready to host talks in Moscow. "
    "Kremlin spokesman Dmitry Peskov told journalists that the offer had been passed to both governments and "
    "that Russia expected an answer within days. The proposal came after 4 days of strikes!\n"
    "Western diplomats said they would study the offer carefully, "
    "but doubted that either side would accept it."
)
UNRELATED = (
    "BEIJING (SRNS) — China began evacuating its citizens from Iran and Israel on Sunday, the foreign "
    "ministry said, as chartered flights left Tehran for Urumqi. More than a thousand Chinese nationals "
    "had registered with the embassy, a spokeswoman told a regular briefing, adding that the operation "
    "would continue."
)


def test_tokens_drop_case_digits_punctuation_and_dateline() -> None:
    assert tokens("MOSCOW (CPA) - Russia's 2025 offer, again!") == ["russia", "s", "offer", "again"]


def test_signatures_are_deterministic() -> None:
    sig = minhash(shingles(tokens(STORY)))
    assert sig.shape == (NUM_PERM,)
    assert sig.tolist() == minhash(shingles(tokens(STORY))).tolist()
    assert int(sig.max()) < 2**32


def test_republished_story_with_small_edits_gets_same_id() -> None:
    index = StoryIndex()
    assert index.assign("wire-1", T0, STORY) == "wire-1"
    assert index.assign("cpa-7", T0 + timedelta(hours=5), REPUBLISHED) == "wire-1"
    assert index.assign("srns-2", T0 + timedelta(hours=6), UNRELATED) == "srns-2"
    # A third copy joins the same story, through either earlier copy.
    assert index.assign("blog-9", T0 + timedelta(days=1), REPUBLISHED) == "wire-1"
    assert len(index) == 4


def test_redelivery_returns_the_same_story() -> None:
    index = StoryIndex()
    index.assign("wire-1", T0, STORY)
    assert index.assign("cpa-7", T0, REPUBLISHED) == "wire-1"
    assert index.assign("cpa-7", T0, UNRELATED) == "wire-1"
    assert len(index) == 2


def test_out_of_order_event_time_still_matches_within_window() -> None:
    index = StoryIndex()
    index.assign("late-copy", T0 + timedelta(hours=10), REPUBLISHED)
    assert index.assign("original", T0, STORY) == "late-copy"


def test_short_texts_compare_on_their_word_set() -> None:
    index = StoryIndex()
    assert index.assign("a", T0, "Russia offers mediation") == "a"
    assert index.assign("b", T0, "RUSSIA offers mediation!") == "a"
    assert index.assign("c", T0, "China evacuates citizens") == "c"
    assert index.assign("d", T0, "123 ...") == "d"  # no words at all: its own story, not indexed
    assert "d" not in index


def test_eviction_after_window() -> None:
    index = StoryIndex(window=timedelta(days=3))
    index.assign("wire-1", T0, STORY)
    # Outside the window of the first article: its own story, and the first one is evicted.
    assert index.assign("cpa-7", T0 + timedelta(days=3, seconds=1), REPUBLISHED) == "cpa-7"
    assert "wire-1" not in index
    assert index.story_of("cpa-7") == "cpa-7"
    assert len(index) == 1


def test_state_round_trip() -> None:
    index = StoryIndex(window=timedelta(days=2), threshold=0.5)
    index.assign("wire-1", T0, STORY)
    index.assign("srns-2", T0 + timedelta(hours=1), UNRELATED)
    state = json.loads(json.dumps(index.to_state()))
    restored = StoryIndex.from_state(state)
    assert restored.window == timedelta(days=2)
    assert restored.threshold == 0.5
    assert restored.watermark == index.watermark
    assert len(restored) == 2
    assert restored.assign("cpa-7", T0 + timedelta(hours=2), REPUBLISHED) == "wire-1"
    assert restored.to_state()["entries"][:2] == state["entries"]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        StoryIndex(threshold=0.0)
    with pytest.raises(ValueError):
        StoryIndex(window=timedelta(0))
    with pytest.raises(ValueError):
        StoryIndex().assign("a", datetime(2025, 6, 16), STORY)  # noqa: DTZ001
    with pytest.raises(ValueError):
        StoryIndex.from_state({"version": 99})


def test_many_articles_stay_fast() -> None:
    import time

    index = StoryIndex()
    words = [f"w{chr(97 + i % 26)}{chr(97 + (i // 26) % 26)}" for i in range(2000)]
    start = time.perf_counter()
    for n in range(2000):
        text = " ".join(words[(n * 7 + k * 13) % 2000] for k in range(60))
        index.assign(f"a{n}", T0 + timedelta(minutes=n), text)
    assert time.perf_counter() - start < 10
