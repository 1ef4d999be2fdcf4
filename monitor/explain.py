"""Why the scorer judged a sentence as it did, for analysts and rule editors.

`classify --explain` (and `explain` on an alert's evidence) shows, for one sentence and one (actor, stance):
the aliases that matched, the actor's role and the predicate from the parse, the polarity and modality cues,
the nearest example and counter-example with their similarities, and the features that moved the score most
(each replaced in turn by its typical value in the training table: how far the expresses probability moves).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from monitor.attribution import Attribution
from monitor.stance import PreparedSentence, StanceFeatures, StanceScorer
from monitor.types import StanceKey

TOP_FEATURES = 5


def explain(scorer: StanceScorer, sentence: PreparedSentence, key: StanceKey) -> dict[str, Any]:
    """A JSON-ready explanation of the judgement of `sentence` under `key`."""
    attribution = sentence.attributions.get(key.actor, Attribution())
    out: dict[str, Any] = {
        "aliases": sorted({m.alias for m in sentence.mentions if m.actor_id == key.actor}),
        "role": attribution.role,
        "predicate": attribution.predicate,
        "cues": attribution.cues(),
    }
    if key.actor not in sentence.attributions:
        out["why"] = "the actor is not named in the sentence (outside a dateline), so it is none"
        return out
    examples, counters = scorer.rules.examples_for(key)
    scorer.ensure_examples_for([(sentence, key)])
    example_vectors, counter_vectors, _ = scorer.example_vectors(key)
    for name, texts, vectors in (
        ("nearest_example", examples, example_vectors),
        ("nearest_counter_example", counters, counter_vectors),
    ):
        if len(texts):
            sims = vectors @ sentence.vector
            best = int(np.argmax(sims))
            out[name] = {"text": texts[best], "similarity": round(float(sims[best]), 3)}
    head = scorer.require_head()
    row = scorer.features(sentence, key).to_vector()
    base = head.probabilities(row[None, :])[0]
    # Occlusion: each feature at its training median, all at once in one batch.
    variants = np.repeat(row[None, :], len(row), axis=0)
    variants[np.arange(len(row)), np.arange(len(row))] = head.medians
    moved = base[1] - head.probabilities(variants)[:, 1]
    order = np.argsort(-np.abs(moved))[:TOP_FEATURES]
    out["p_expresses"] = round(float(base[1]), 4)
    out["p_denies"] = round(float(base[2]), 4)
    names = StanceFeatures.names()
    out["features"] = [
        {
            "name": names[i],
            "value": round(float(row[i]), 3),
            "moves_p_expresses": round(float(moved[i]), 4),
        }
        for i in order
        if abs(moved[i]) > 1e-4
    ]
    return out
