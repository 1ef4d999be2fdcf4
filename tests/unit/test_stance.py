"""Stance scoring parts that need no model: preparation, features, clauses, the head."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from monitor.embedding import FakeEmbedder
from monitor.rules import load_rules
from monitor.stance import FEATURE_NAMES, StanceHead, StanceScorer, _class_weights, split_clauses
from monitor.types import StanceKey

RULES = load_rules(Path(__file__).parents[1] / "fixtures" / "rules.yaml")
MEDIATION = StanceKey("russia", "mediation")


def scorer() -> StanceScorer:
    return StanceScorer(RULES, FakeEmbedder(), StanceHead.from_table())


def feature(values: np.ndarray, name: str) -> float:
    return float(values[FEATURE_NAMES.index(name)])


def test_prepare_strips_the_dateline_and_normalises_aliases() -> None:
    s = scorer()
    [prepared] = s.prepare(["MOSCOW (North Wire) - Lavrov said the Kremlin would host talks."])
    assert prepared.text == "Lavrov said the Kremlin would host talks."
    assert [m.alias for m in prepared.mentions] == ["Lavrov", "Kremlin"]
    assert s.normalise(prepared.text, prepared.mentions) == "Russia said the Russia would host talks."


def test_an_actor_named_only_in_the_dateline_is_not_judged() -> None:
    s = scorer()
    prepared = s.prepare(["MOSCOW (North Wire) - Qatar offered to host talks."])
    [[judgement]] = s.judge(prepared, [MEDIATION])
    assert judgement.label == "none" and judgement.p_expresses == 0.0


def test_features_have_one_value_per_name_and_read_cues_around_the_actor() -> None:
    s = scorer()
    [urged] = s.prepare(["European leaders called on Moscow to mediate between the two sides."])
    values = s.features(urged, MEDIATION)
    assert values.shape == (len(FEATURE_NAMES),)
    assert feature(values, "urged_actor") == 1.0
    assert feature(values, "actor_verb") == 0.0
    [acting] = s.prepare(["Moscow offered to mediate between the two sides, Peskov said."])
    values = s.features(acting, MEDIATION)
    assert feature(values, "urged_actor") == 0.0 and feature(values, "actor_verb") == 1.0
    assert feature(values, "actor_first") == 1.0
    [negated] = s.prepare(["Russia has no plans to mediate."])
    assert feature(s.features(negated, MEDIATION), "actor_negated") == 1.0
    [question] = s.prepare(["Could the Kremlin broker a truce?"])
    assert feature(s.features(question, MEDIATION), "cue_question_mark") == 1.0


def test_other_named_actor_as_agent_is_compared() -> None:
    s = scorer()
    [sentence] = s.prepare(["Qatar, not Russia, offered to mediate between the two sides."])
    values = s.features(sentence, MEDIATION)
    assert feature(values, "not_actor") == 1.0
    assert feature(values, "other_agent_max") > 0.0


def test_split_clauses_keeps_phrases_and_joins_neighbours() -> None:
    clauses = split_clauses(
        "Iran fired missiles at a base, in retaliation for the United States strikes on its sites."
    )
    assert "in retaliation for the United States strikes on its sites." in clauses
    assert clauses[-1].startswith("Iran fired missiles at a base in retaliation")
    assert split_clauses("Russia offered to mediate.") == []


def test_head_rejects_a_table_of_the_wrong_width(tmp_path: Path) -> None:
    table = tmp_path / "bad.npz"
    np.savez(table, X=np.zeros((4, 3)), y=np.array([0, 1, 2, 0]))
    with pytest.raises(ValueError, match="retrain it with scripts/train_head.py"):
        StanceHead.from_table(table)


def test_class_weights_are_square_root_balanced() -> None:
    # 90 none, 9 expresses, 1 denies: weights go as 1 / sqrt(frequency), so a class 9x rarer weighs 3x more.
    weights = _class_weights(np.array([0] * 90 + [1] * 9 + [2] * 1))
    assert weights[1] / weights[0] == pytest.approx(np.sqrt(10))
    assert weights[2] / weights[1] == pytest.approx(3.0)
    assert weights[0] == pytest.approx(np.sqrt(100 / (3 * 90)))
    # A class absent from the table gets no weight (the head cannot predict it).
    assert set(_class_weights(np.array([0, 0, 1]))) == {0, 1}


def test_expresses_offset_calibrates_only_stances_the_head_was_not_trained_on() -> None:
    from monitor.stance import CALIBRATION_LIMIT

    shipped = StanceHead.from_table()
    assert "mediation" in shipped.stances  # the shipped table names the stances that trained it
    assert StanceScorer(RULES, FakeEmbedder(), shipped).expresses_offset(MEDIATION) == 0.0
    with np.load(Path(__file__).parents[2] / "monitor" / "data" / "stance_head.npz") as data:
        unaware = StanceHead(data["X"], data["y"])  # as if every stance were new
    s = StanceScorer(RULES, FakeEmbedder(), unaware)
    offset = s.expresses_offset(MEDIATION)
    assert offset != 0.0 and abs(offset) <= CALIBRATION_LIMIT
    assert s.expresses_offset(MEDIATION) == offset  # cached per head and key
    # judge() applies it: the expresses odds of the head, shifted by the offset
    [prepared] = s.prepare(["Moscow offered to mediate between the two sides, Peskov said."])
    [[judgement]] = s.judge([prepared], [MEDIATION])
    raw = unaware.probabilities(s.features(prepared, MEDIATION)[None])[0]
    shifted = raw * np.asarray([1.0, np.exp(offset), 1.0])
    assert judgement.p_expresses == pytest.approx(shifted[1] / shifted.sum(), rel=1e-5)


def test_judge_adds_the_stream_calibration_for_stances_the_head_was_not_trained_on() -> None:
    from monitor.calibration import CalibrationLine, expresses_log_odds, stream_shape

    with np.load(Path(__file__).parents[2] / "monitor" / "data" / "stance_head.npz") as data:
        unaware = StanceHead(data["X"], data["y"], line=CalibrationLine(0.5, -1.5))
    s = StanceScorer(RULES, FakeEmbedder(), unaware)
    sentences = s.prepare(
        ["Moscow offered to mediate between the two sides, Peskov said.", "Russia's wheat harvest was late."]
    )
    judgements = s.judge(sentences, [MEDIATION])
    raw = unaware.probabilities(np.vstack([s.features(p, MEDIATION) for p in sentences]))
    log_odds = expresses_log_odds(raw)
    ambiguous = np.cumsum((log_odds > -4.0) & (log_odds <= 0.0))
    confident = np.cumsum(log_odds > 0.0)
    assert s.stream.counts == {"mediation": (int(ambiguous[-1]), int(confident[-1]))}
    for row, [judgement] in enumerate(judgements):
        offset = s.expresses_offset(MEDIATION) + 0.5 - 1.5 * float(stream_shape(ambiguous[row], confident[row]))
        shifted = raw[row] * np.asarray([1.0, np.exp(offset), 1.0])
        assert judgement.p_expresses == pytest.approx(shifted[1] / shifted.sum(), rel=1e-5)

    # a stance the head was trained on is neither counted nor shifted
    trained = StanceScorer(RULES, FakeEmbedder(), StanceHead.from_table())
    assert trained.head is not None and trained.head.line is not None  # the shipped table carries its line
    trained.judge(sentences, [MEDIATION])
    assert trained.stream.counts == {}


def test_a_stance_whose_wording_changes_starts_its_stream_counts_afresh(tmp_path: Path) -> None:
    s = scorer()
    s.stream.counts = {"mediation": (40, 3), "military_support": (7, 2)}
    s.set_rules(load_rules(Path(__file__).parents[1] / "fixtures" / "rules.yaml"))  # same wording: kept
    assert s.stream.counts == {"mediation": (40, 3), "military_support": (7, 2)}
    edited = tmp_path / "rules.yaml"
    text = (Path(__file__).parents[1] / "fixtures" / "rules.yaml").read_text(encoding="utf-8")
    edited.write_text(text.replace("offered to mediate between the two sides", "offered to broker talks"), "utf-8")
    s.set_rules(load_rules(edited))
    assert s.stream.counts == {"military_support": (7, 2)}


@pytest.mark.parametrize(
    ("sentence", "history"),
    [
        ("Russia once supplied Iran with air defence systems.", 1.0),
        ("A decade ago, Russia intervened in Syria.", 1.0),
        ("Wang Yi called on Israel and Iran to stop fighting at once.", 0.0),
        ("Russia once again offered to mediate.", 0.0),
        ("Russia will evacuate its nationals once the airport reopens.", 0.0),
    ],
)
def test_the_history_cue_reads_once_as_formerly_only(sentence: str, history: float) -> None:
    s = scorer()
    [prepared] = s.prepare([sentence])
    assert feature(s.features(prepared, MEDIATION), "cue_history") == history
