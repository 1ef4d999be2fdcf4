"""Stance scoring parts that need no model: preparation, features, clauses, the head."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from monitor.embedding import FakeEmbedder
from monitor.limits import InputLimits
from monitor.rules import ActorDef, RuleSet, load_rules
from monitor.stance import Calibration, PreparedSentence, StanceFeatures, StanceHead, StanceScorer, label_of
from monitor.stance.head import _TRUSTED_HEAD_TYPES, _class_weights, load_fitted
from monitor.stance.prepared import split_clauses
from monitor.types import Mention, StanceKey

RULES = load_rules(Path(__file__).parents[1] / "fixtures" / "rules.yaml")
MEDIATION = StanceKey("russia", "mediation")


class RecordingEmbedder(FakeEmbedder):
    """A FakeEmbedder that keeps every text it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.embedded.extend(texts)
        return super().embed(texts)


def scorer() -> StanceScorer:
    return StanceScorer(RULES, FakeEmbedder(), StanceHead.from_table())


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


def same_preparation(got: PreparedSentence, want: PreparedSentence) -> bool:
    return (
        (got.text, got.mentions, got.clause_actors, got.attributions)
        == (want.text, want.mentions, want.clause_actors, want.attributions)
        and np.array_equal(got.vector, want.vector)
        and np.array_equal(got.clause_vectors, want.clause_vectors)
    )


def test_prepare_takes_the_mentions_of_matched_sentences_without_matching_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = scorer()
    texts = [
        "MOSCOW (North Wire) - Lavrov said the Kremlin would host talks.",
        "DOHA: Qatar, not Russia, offered to mediate between Iran and Israel.",
        "MOSCOW (North Wire) - Qatar offered to host talks.",  # named only in the dateline
    ]
    from_text = s.prepare(texts)
    matched = s.matcher.mentioned("a1", texts)
    assert len(matched) == len(texts)

    def no_search(text: str) -> list[Mention]:
        raise AssertionError(f"searched again: {text!r}")

    monkeypatch.setattr(s.matcher, "find", no_search)
    from_matched = s.prepare(matched)
    assert all(same_preparation(got, want) for got, want in zip(from_matched, from_text, strict=True))
    assert [m.alias for m in from_matched[0].mentions] == ["Lavrov", "Kremlin"]
    assert [m.actor_id for m in from_matched[2].mentions] == ["qatar"]


def test_a_match_across_the_dateline_is_searched_again_without_it() -> None:
    odd = ActorDef(id="odd", name="Odd Wire", aliases=["Wire) - Lavrov"])
    s = StanceScorer(RuleSet(actors={**RULES.actors, "odd": odd}, stances=RULES.stances), FakeEmbedder())
    text = "MOSCOW (Wire) - Lavrov said Russia would host talks."
    [sentence] = s.matcher.mentioned("a1", [text])
    # the longest match ("Wire) - Lavrov") runs across the dateline's end
    assert [m.actor_id for m in sentence.mentions] == ["russia", "odd", "russia"]
    [prepared] = s.prepare([sentence])
    assert [m.alias for m in prepared.mentions] == ["Lavrov", "Russia"]
    assert same_preparation(prepared, s.prepare([text])[0])


def test_prepare_caps_the_length_of_plain_text_sentences() -> None:
    recording = RecordingEmbedder()
    embedded = recording.embedded
    s = StanceScorer(RULES, recording, StanceHead.from_table())
    cap = InputLimits().max_sentence_chars
    # the actor named only past the cap, as ArticleScorer would have cut the sentence there
    [long] = s.prepare(["Talks went on " + "and on " * (cap // 7) + "until Russia offered to mediate."])
    assert len(long.text) <= cap and "Russia" not in long.text
    assert long.mentions == () and max(len(t) for t in embedded) <= cap
    [[judgement]] = s.judge([long], [MEDIATION])
    assert judgement.p_expresses == 0.0


def test_features_have_one_value_per_name_and_read_cues_around_the_actor() -> None:
    s = scorer()
    [urged] = s.prepare(["European leaders called on Moscow to mediate between the two sides."])
    values = s.features(urged, MEDIATION)
    assert values.to_vector().shape == (len(StanceFeatures.names()),)
    assert values.urged_actor == 1.0
    assert values.actor_verb == 0.0
    [acting] = s.prepare(["Moscow offered to mediate between the two sides, Peskov said."])
    values = s.features(acting, MEDIATION)
    assert values.urged_actor == 0.0 and values.actor_verb == 1.0
    assert values.actor_first == 1.0
    [negated] = s.prepare(["Russia has no plans to mediate."])
    assert s.features(negated, MEDIATION).actor_negated == 1.0
    [question] = s.prepare(["Could the Kremlin broker a truce?"])
    assert s.features(question, MEDIATION).cue_question_mark == 1.0


def test_other_named_actor_as_agent_is_compared() -> None:
    s = scorer()
    [sentence] = s.prepare(["Qatar, not Russia, offered to mediate between the two sides."])
    values = s.features(sentence, MEDIATION)
    assert values.not_actor == 1.0
    assert values.other_agent_max > 0.0


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


def test_head_rejects_a_table_of_other_feature_names(tmp_path: Path) -> None:
    names = list(StanceFeatures.names())
    names[0], names[1] = names[1], names[0]  # the same width, two columns swapped
    table = tmp_path / "swapped.npz"
    np.savez(table, X=np.zeros((4, len(names))), y=np.array([0, 1, 2, 0]), feature_names=np.asarray(names))
    with pytest.raises(ValueError, match="feature names differ"):
        StanceHead.from_table(table)


def test_the_feature_vector_is_the_one_the_shipped_table_was_built_with() -> None:
    table = np.load(Path(__file__).parents[2] / "monitor" / "data" / "stance_head.npz")
    assert tuple(table["feature_names"].tolist()) == StanceFeatures.names()
    s = scorer()
    [sentence] = s.prepare(["Moscow offered to mediate between the two sides, Peskov said."])
    values = s.features(sentence, MEDIATION)
    vector = values.to_vector()
    assert vector.dtype == np.float32
    assert [vector[i] for i in range(len(vector))] == [
        np.float32(getattr(values, name)) for name in StanceFeatures.names()
    ]


def test_class_weights_are_square_root_balanced() -> None:
    # 90 none, 9 expresses, 1 denies: weights go as 1 / sqrt(frequency), so a class 9x rarer weighs 3x more.
    weights = _class_weights(np.array([0] * 90 + [1] * 9 + [2] * 1))
    assert weights[1] / weights[0] == pytest.approx(np.sqrt(10))
    assert weights[2] / weights[1] == pytest.approx(3.0)
    assert weights[0] == pytest.approx(np.sqrt(100 / (3 * 90)))
    # A class absent from the table gets no weight (the head cannot predict it).
    assert set(_class_weights(np.array([0, 0, 1]))) == {0, 1}


def test_the_label_follows_the_calibrated_probabilities_with_one_threshold() -> None:
    assert label_of(0.5, 0.1) == "expresses" and label_of(0.49, 0.1) == "none"
    assert label_of(0.2, 0.7) == "denies" and label_of(0.6, 0.6) == "expresses"
    s = scorer()
    sentences = s.prepare(
        ["Moscow offered to mediate between the two sides.", "Russia ruled out any mediating role."]
    )
    for [judgement] in s.judge(sentences, [MEDIATION]):
        assert judgement.label == label_of(judgement.p_expresses, judgement.p_denies)
        assert 0.0 <= judgement.p_expresses + judgement.p_denies <= 1.0 + 1e-9


def test_calibration_maps_log_probabilities_to_probabilities() -> None:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 600)
    raw = rng.dirichlet([1, 1, 1], 600)
    raw[np.arange(600), labels] += 1.0  # raw scores that lean to the true class
    raw /= raw.sum(axis=1, keepdims=True)
    calibration = Calibration.fit(raw, labels)
    calibrated = calibration.apply(raw)
    assert np.allclose(calibrated.sum(axis=1), 1.0)
    # calibrated: the mean predicted probability of a class matches its frequency
    for c in range(3):
        assert calibrated[:, c].mean() == pytest.approx(np.mean(labels == c), abs=0.02)


def test_the_head_can_be_refitted_without_one_domain(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    features = rng.normal(size=(300, len(StanceFeatures.names()))).astype(np.float32)
    labels = np.asarray([0, 1, 2] * 100)
    domains = np.asarray(["a"] * 150 + ["b"] * 150)
    table = tmp_path / "head.npz"
    np.savez(table, X=features, y=labels, domains=domains)
    assert StanceHead.from_table(table).domains == {"a", "b"}
    assert StanceHead.from_table(table, without_domain="a").domains == {"b"}


def test_a_saved_fitted_head_is_used_only_for_its_own_table(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    features = rng.normal(size=(300, len(StanceFeatures.names()))).astype(np.float32)
    labels = np.asarray([0, 1, 2] * 100)
    table, other, fitted = tmp_path / "head.npz", tmp_path / "other.npz", tmp_path / "head.skops"
    np.savez(table, X=features, y=labels)
    np.savez(other, X=features[::-1], y=labels)
    head = StanceHead.from_table(table)
    head.save_fitted(fitted, table)
    loaded = load_fitted(fitted, table)
    assert loaded is not None
    assert np.array_equal(loaded.predict_proba(features), head._model.predict_proba(features))
    # another table, a missing file or a corrupt one: None, and the caller fits from the table instead
    assert load_fitted(fitted, other) is None
    assert load_fitted(tmp_path / "missing.skops", table) is None
    fitted.write_bytes(b"not a zip")
    assert load_fitted(fitted, table) is None


def test_the_shipped_fitted_head_is_the_fit_of_the_shipped_table() -> None:
    import sklearn
    import skops.io

    data = Path(__file__).parents[2] / "monitor" / "data"
    recorded = skops.io.load(data / "stance_head.skops", trusted=_TRUSTED_HEAD_TYPES)
    if recorded["sklearn"] != sklearn.__version__:
        pytest.skip(
            f"shipped fit is for scikit-learn {recorded['sklearn']}; this process fits from the table"
        )
    # retraining the table without saving the fit again would silently bring back the fit at start-up
    assert load_fitted(data / "stance_head.skops", data / "stance_head.npz") is not None
    table = np.load(data / "stance_head.npz")
    refitted = StanceHead.from_table(data / "stance_head.npz")
    sample = table["X"][::50]
    assert np.array_equal(StanceHead.from_table().probabilities(sample), refitted.probabilities(sample))


def test_prepare_parses_and_embeds_each_distinct_sentence_once() -> None:
    recording = RecordingEmbedder()
    embedded = recording.embedded
    s = StanceScorer(RULES, recording, StanceHead.from_table())
    sentence = "Mediation was offered by Moscow on Tuesday."
    first, second = s.prepare([sentence, "MOSCOW (Wire) - " + sentence])
    assert first is second
    assert embedded.count(sentence.replace("Moscow", "Russia")) == 1
    assert first.attributions["russia"].role == "agent"  # the passive's by-agent
    assert s.features(first, MEDIATION).role_agent == 1.0


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
    assert s.features(prepared, MEDIATION).cue_history == history


def test_only_the_scorer_kept_for_the_process_is_frozen_out_of_the_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    import monitor.embedding
    from monitor.stance import scorer as scorer_module

    # load_scorer's parts without the model or the parser
    monkeypatch.setattr(monitor.embedding, "SentenceTransformerEmbedder", FakeEmbedder)
    monkeypatch.setattr(scorer_module, "Attributor", lambda: None)
    gc.unfreeze()
    try:
        scorer_module.load_scorer(RULES)
        assert gc.get_freeze_count() == 0  # eval and tests may load several: they must stay collectable
        kept = scorer_module.load_process_scorer(RULES)
        assert isinstance(kept, StanceScorer)
        assert gc.get_freeze_count() > 0  # everything loaded so far, the scorer included
    finally:
        gc.unfreeze()


def test_features_are_the_same_with_a_batch_wide_memo_of_example_matches() -> None:
    s = scorer()
    sentences = s.prepare(
        [
            "Russia offered to mediate between Iran and Israel, Qatar said.",
            "Qatar and Russia both refused to host the talks.",
            "Moscow said it would not mediate.",
        ]
    )
    keys = RULES.keys()  # the rule set's stance keys (a method, not a dict)
    pairs = [(p, k) for p in sentences for k in keys if k.actor in p.attributions]
    s.ensure_examples_for(pairs)
    memo: dict[tuple[int, StanceKey], float] = {}
    shared = [s.features(p, k, memo).to_vector() for p, k in pairs]
    alone = [s.features(p, k).to_vector() for p, k in pairs]
    assert len(pairs) > 3 and len(memo) > len({id(p) for p, _ in pairs})  # the memo was shared and used
    assert all(np.array_equal(a, b) for a, b in zip(shared, alone, strict=True))
