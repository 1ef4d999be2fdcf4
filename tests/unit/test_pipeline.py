"""Pipeline pieces that need no model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.embedding import FakeEmbedder
from monitor.pipeline import Pipeline, alert_id
from monitor.rules import load_rules
from monitor.stance import StanceHead, StanceScorer
from monitor.types import StanceKey

RULES = load_rules(Path(__file__).parents[1] / "fixtures" / "rules.yaml")
T0 = datetime(2025, 3, 1, tzinfo=UTC)
KEY = StanceKey("russia", "mediation")


def pipeline() -> Pipeline:
    return Pipeline(RULES, StanceScorer(RULES, FakeEmbedder(), StanceHead.from_table()))


def test_the_same_sentence_in_different_articles_is_one_story() -> None:
    p = pipeline()
    assert p._quote_story(KEY, "MOSCOW (Wire) - Russia offered to mediate.", "a1", T0) == "a1"
    # another outlet carries the same wire sentence with its own dateline and case
    assert p._quote_story(KEY, "russia offered to mediate", "b7", T0 + timedelta(hours=5)) == "a1"
    # a different key, or a later week, is a new story
    assert p._quote_story(StanceKey("qatar", "mediation"), "Russia offered to mediate.", "c1", T0) == "c1"
    assert p._quote_story(KEY, "Russia offered to mediate.", "d1", T0 + timedelta(days=9)) == "d1"


def test_alert_ids_are_stable() -> None:
    rule = RULES.rule("russia-offers-mediation")
    assert (
        alert_id(rule, T0 + timedelta(hours=9, seconds=5)) == "russia-offers-mediation:2025-03-01T09:00:05Z"
    )


def test_set_rules_keeps_detectors_of_unchanged_rules() -> None:
    p = pipeline()
    before = dict(p.detectors)
    p.set_rules(load_rules(Path(__file__).parents[1] / "fixtures" / "rules.yaml"))
    assert all(p.detectors[rule_id] is det for rule_id, det in before.items())
