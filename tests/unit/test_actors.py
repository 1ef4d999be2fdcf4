from __future__ import annotations

from monitor.actors import ActorMatcher
from monitor.types import Mention

ACTORS = {
    "russia": ["Russia", "Russian", "Moscow", "Kremlin", "Putin", "Vladimir Putin"],
    "israel": ["Israel", "Netanyahu", "Benjamin Netanyahu"],
    "iran": ["Iran", "Iranian", "Tehran"],
    "united_states": ["US", "United States", "Washington"],
    "turkey": ["Turkey", "Ankara"],
}
MATCHER = ActorMatcher(ACTORS)


def spans(text: str) -> list[tuple[str, str, str]]:
    return [(m.actor_id, m.alias, text[m.start : m.end]) for m in MATCHER.find(text)]


def test_offsets_point_into_the_text() -> None:
    text = "Talks between Russia and Iran."
    assert MATCHER.find(text) == [
        Mention("russia", "Russia", 14, 20),
        Mention("iran", "Iran", 25, 29),
    ]


def test_possessives_match() -> None:
    assert spans("Russia's offer and Iran’s reply") == [
        ("russia", "Russia", "Russia"),
        ("iran", "Iran", "Iran"),
    ]


def test_longest_match_wins() -> None:
    assert spans("Vladimir Putin met Benjamin Netanyahu; Putin spoke first.") == [
        ("russia", "Vladimir Putin", "Vladimir Putin"),
        ("israel", "Benjamin Netanyahu", "Benjamin Netanyahu"),
        ("russia", "Putin", "Putin"),
    ]


def test_all_caps_dateline_matches() -> None:
    assert spans("MOSCOW (CPA) - TEHRAN and WASHINGTON") == [
        ("russia", "Moscow", "MOSCOW"),
        ("iran", "Tehran", "TEHRAN"),
        ("united_states", "Washington", "WASHINGTON"),
    ]


def test_lowercase_never_matches() -> None:
    assert spans("Let us have a turkey dinner in moscow.") == []
    assert spans("Mixed case like Us or RuSSia does not count.") == []


def test_word_boundaries() -> None:
    only_iran = ActorMatcher({"iran": ["Iran"]})
    assert only_iran.find("Irani and Iranian officials") == []
    assert [m.alias for m in MATCHER.find("Iranian and Irani officials")] == ["Iranian"]
    assert spans("US-Iran talks; USA; BUS; Kremlin-backed") == [
        ("united_states", "US", "US"),
        ("iran", "Iran", "Iran"),
        ("russia", "Kremlin", "Kremlin"),
    ]
    assert spans('(Russia), "Israel" and 2Iran') == [
        ("russia", "Russia", "Russia"),
        ("israel", "Israel", "Israel"),
    ]


def test_alias_shared_by_two_actors_yields_both() -> None:
    matcher = ActorMatcher({"a": ["Gulf"], "b": ["Gulf", "Gulf States"]})
    assert [(m.actor_id, m.alias) for m in matcher.find("The Gulf said")] == [("a", "Gulf"), ("b", "Gulf")]
    assert [(m.actor_id, m.alias) for m in matcher.find("The Gulf States said")] == [("b", "Gulf States")]


def test_empty_matcher_and_text() -> None:
    assert ActorMatcher({}).find("Russia") == []
    assert MATCHER.find("") == []


def test_sentences_keep_only_those_with_actors() -> None:
    body = (
        "MOSCOW (CPA) - Officials met on Monday. The weather was fine.\n"
        "Putin offered to mediate between Israel and Iran. Nothing else happened."
    )
    sentences = MATCHER.sentences("a-1", body)
    assert [(s.index, s.text) for s in sentences] == [
        (0, "MOSCOW (CPA) - Officials met on Monday."),
        (2, "Putin offered to mediate between Israel and Iran."),
    ]
    assert all(s.article_id == "a-1" for s in sentences)
    second = sentences[1]
    assert second.actors() == frozenset({"russia", "israel", "iran"})
    assert [second.text[m.start : m.end] for m in second.mentions] == ["Putin", "Israel", "Iran"]
