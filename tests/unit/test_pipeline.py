"""Pipeline pieces that need no model."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.embedding import FakeEmbedder
from monitor.pipeline import ActorDetection, Pipeline, ScoredArticle, Verdict, alert_id
from monitor.render import format_alert_text
from monitor.rules import load_rules
from monitor.stance import StanceHead, StanceScorer
from monitor.types import Mention, StanceKey

RULES = load_rules(Path(__file__).parents[1] / "fixtures" / "rules.yaml")
T0 = datetime(2025, 3, 1, tzinfo=UTC)
KEY = StanceKey("russia", "mediation")


def pipeline() -> Pipeline:
    return Pipeline(RULES, StanceScorer(RULES, FakeEmbedder(), StanceHead.from_table()))


def test_the_same_sentence_in_different_articles_is_one_story() -> None:
    p = ActorDetection("russia", RULES.rules)
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
    p.detection.actor("russia")
    p.detection.actor("qatar")
    before = dict(p.detectors)
    assert before
    p.set_rules(load_rules(Path(__file__).parents[1] / "fixtures" / "rules.yaml"))
    assert all(p.detectors[rule_id] is det for rule_id, det in before.items())


def scored(n: int, when: datetime, label: str, outlet: str = "Wire") -> ScoredArticle:
    """A scored article about Russia with one mediation verdict (distinct bodies: no shared signature)."""
    return ScoredArticle(
        article_id=f"a{n}",
        actor="russia",
        published_at=when,
        source=outlet,
        url=f"https://example.org/{n}",
        signature=None,
        # the quote fingerprint ignores digits, so spell the number out to keep the stories distinct
        verdicts=[
            Verdict(KEY, label, 0.9, f"Russia statement {' '.join('abcdefghij'[int(d)] for d in str(n))}.")
        ],  # type: ignore[arg-type]
    )


def shift_then_calm() -> list[ScoredArticle]:
    """20 days of neutral coverage, 6 mediation stories in 12 h, 2 more the next day, then 5 calm days."""
    items = [scored(i, T0 + timedelta(hours=6 * i), "none") for i in range(80)]
    burst = T0 + timedelta(days=20)
    items += [scored(100 + i, burst + timedelta(hours=2 * i), "expresses", f"Outlet {i}") for i in range(6)]
    items += [scored(110 + i, burst + timedelta(hours=30 + i), "expresses", f"Outlet {i}") for i in range(2)]
    items += [scored(200 + i, burst + timedelta(days=2, hours=6 * i), "none") for i in range(20)]
    return items


def test_one_alert_per_episode_then_follow_ups_then_resolved() -> None:
    detection = ActorDetection("russia", [RULES.rule("russia-offers-mediation")])
    result = detection.process(shift_then_calm())
    assert [a.rule_id for a in result.alerts] == ["russia-offers-mediation"]
    fired = result.alerts[0]
    kinds = [(u.kind, u.alert_id) for u in result.updates]
    # every later mediation story of the episode is a follow-up of that alert, and the episode resolves once
    evidence = [u for u in result.updates if u.kind == "evidence"]
    assert evidence and all(u.alert_id == fired.id for u in evidence)
    assert {e.article_id for u in evidence for e in u.evidence} >= {"a110", "a111"}
    assert kinds[-1] == ("resolved", fired.id)
    assert [k for k, _ in kinds].count("resolved") == 1
    assert result.updates[-1].at >= fired.fired_at + timedelta(hours=72)
    assert len({u.id for u in result.updates}) == len(result.updates)


def test_an_alert_describes_itself_as_of_the_rules_it_fired_under(tmp_path: Path) -> None:
    detection = ActorDetection("russia", [RULES.rule("russia-offers-mediation")])
    items = shift_then_calm()
    fired = detection.process(items[:86]).alerts[0]
    assert (fired.actor_name, fired.stance_label, fired.target_name) == ("Russia", "offers mediation", None)
    # 20 days watched before the burst: the baseline it counted is the rule's 14 days, not more
    assert fired.baseline_seconds == int(RULES.rule("russia-offers-mediation").baseline.total_seconds())
    assert "over 14 days" in format_alert_text(fired)

    # the actor is renamed by a reload: the alert already made keeps its words, new alerts get the new ones
    renamed = tmp_path / "rules.yaml"
    fixture = (Path(__file__).parents[1] / "fixtures" / "rules.yaml").read_text()
    renamed.write_text(fixture.replace("name: Russia", "name: Russian Federation", 1))
    detection.set_rules(load_rules(renamed).rules)
    assert fired.actor_name == "Russia"
    assert detection.rules[0].actor_name == "Russian Federation"


def test_a_cold_start_alert_says_how_much_baseline_it_saw() -> None:
    detection = ActorDetection("russia", [RULES.rule("russia-offers-mediation")])
    items = shift_then_calm()[60:86]  # 5 days of neutral coverage, then the burst
    alerts = detection.process(items).alerts
    assert alerts, "the burst should still fire against a short baseline"
    watched = alerts[0].baseline_seconds
    assert 0 < watched < int(RULES.rule("russia-offers-mediation").baseline.total_seconds())


def test_detection_state_round_trips_mid_stream_and_redelivery_adds_nothing() -> None:
    items = shift_then_calm()
    whole = ActorDetection("russia", RULES.rules).process(items)

    first = ActorDetection("russia", RULES.rules)
    part1 = first.process(items[:83])
    state = json.loads(json.dumps(first.to_state()))
    second = ActorDetection.from_state(state, RULES.rules)
    replayed = second.process(items[80:])  # three items delivered twice
    assert [a.id for a in part1.alerts + replayed.alerts] == [a.id for a in whole.alerts]
    assert [u.id for u in part1.updates + replayed.updates] == [u.id for u in whole.updates]


def test_scored_articles_round_trip_as_json() -> None:
    item = scored(7, T0, "denies")
    item.signature = [1, 2**32 - 1]
    again = ScoredArticle.from_dict(json.loads(json.dumps(item.to_dict())))
    assert again == item


def test_a_judgement_does_not_depend_on_what_the_stream_scored_before() -> None:
    from monitor.articles import parse_article

    def article(i: int, body: str) -> str:
        return json.dumps(
            {"id": f"a{i}", "source": "Wire", "published_at": f"2025-03-0{i}T09:00:00Z", "body": body}
        )

    offer = article(1, "Moscow offered to mediate between the two sides. Russia's harvest was late.")
    others = [article(i, "Russia said it had no plans to mediate.") for i in range(2, 6)]
    alone = Pipeline(RULES, StanceScorer(RULES, FakeEmbedder(), StanceHead.from_table()))
    [first] = alone.scoring.score([parse_article(offer)])
    after = Pipeline(RULES, StanceScorer(RULES, FakeEmbedder(), StanceHead.from_table()))
    after.scoring.score([parse_article(line) for line in others])
    [second] = after.scoring.score([parse_article(offer)])
    assert first.verdicts == second.verdicts
    assert "calibration" not in alone.to_state()  # no stream state to save or share


def test_the_article_scorer_matches_each_sentence_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from monitor.articles import parse_article

    p = pipeline()
    searched: list[str] = []
    find = p.scoring.matcher.find

    def counting(text: str) -> list[Mention]:
        searched.append(text)
        return find(text)

    monkeypatch.setattr(p.scoring.matcher, "find", counting)
    sentences = [
        "MOSCOW (Wire) - Moscow offered to mediate between the two sides.",
        "The harvest was late.",
        "Qatar said Russia was ready to host talks.",
    ]
    body = " ".join(sentences)
    line = json.dumps({"id": "a1", "source": "Wire", "published_at": "2025-03-01T09:00:00Z", "body": body})
    scored = p.scoring.score([parse_article(line)])
    assert searched == sentences
    assert {item.actor for item in scored} == {"russia", "qatar"}


def test_explain_gives_each_rule_the_verdict_the_article_scorer_gives() -> None:
    from monitor.articles import Article
    from monitor.explain_article import explain_article

    p = pipeline()
    article = Article(
        id="x1",
        published_at=T0,
        source="Wire",
        body=(
            "MOSCOW (Wire) - Russia offered to mediate between Iran and Israel. "
            "The Kremlin later said it would not take sides. Qatar urged both to talk."
        ),
    )
    report = explain_article(p, article, why=False)
    scored = {v.key: v for item in p.scoring.score([article]) for v in item.verdicts}
    assert scored and len(report["rules"]) == len(p.detection.active_rules)
    for entry in report["rules"]:
        verdict = scored.get(RULES.rule(entry["rule"]).key)
        if verdict is None:
            assert entry["counts"] is False and "no sentence names" in entry["why"]
            continue
        assert (entry["label"], entry["sentence"]) == (verdict.label, verdict.quote)
        assert entry["score"] == round(verdict.score, 4)
