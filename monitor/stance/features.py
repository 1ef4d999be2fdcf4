"""The stance head's input: one named value per feature, computed for one (sentence, stance key).

Two layers: evidence from the rule's own examples (similarity to the examples and counter-examples, to the
other stances, to the same examples with another named actor as the agent), and stance-independent cues of
how the sentence says it (monitor/stance/cues.py, and the actor's role from the parse, monitor/attribution.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np

from monitor.attribution import FLAGS, ROLES, Attribution
from monitor.stance.cues import actor_cues, sentence_cues
from monitor.stance.examples import ExampleBank
from monitor.stance.prepared import PreparedSentence
from monitor.types import Matrix, StanceKey, Vector

__all__ = ["StanceFeatures", "related_keys", "stance_features"]


@dataclass(frozen=True)
class StanceFeatures:
    """One row of the stance head: the fields, in this order, are the feature vector.

    The shipped table (monitor/data/stance_head.npz) and the fitted head read columns by position and the
    table stores these names: reorder, rename, add or remove a field only with a retrained table
    (scripts/train_head.py). Cue fields are set by name from monitor/stance/cues.py and the parse's roles and
    flags (monitor/attribution.py ROLES, FLAGS): a cue without its field, or a field without its cue, fails
    at construction.
    """

    # Similarity of the sentence to the key's examples, counter-examples and label.
    example_max: float
    example_mean: float
    example_top2: float
    counter_max: float
    counter_mean: float
    example_minus_counter: float
    label_sim: float
    margin_over_other_stances: float  # how much closer to this stance than to the rule set's others
    # Do the examples fit better with another named actor as the agent? ("Oman, not Russia, carried ...")
    own_agent_minus_other_agent: float
    other_agent_max: float
    # Cues anywhere in the sentence (cues.py).
    cue_negation: float
    cue_refusal_verb: float
    cue_question_mark: float
    cue_question_start: float
    cue_modal: float
    cue_urging: float
    cue_history: float
    cue_allegation: float
    cue_speculation: float
    cue_intention: float
    cue_speech: float
    # Where the actor stands.
    actor_position: float
    actor_first: float
    other_actor_before: float
    other_actors: float
    target_mentioned: float
    not_actor: float
    actor_possessive: float
    # Cues just before and just after the actor's mentions (cues.py).
    urged_actor: float
    accused_actor: float
    conditional_actor: float
    actor_modal: float
    actor_verb: float
    actor_negated: float
    # The best clause-level matches, overall and among the clauses that name the actor.
    clause_example_max: float
    clause_counter_max: float
    clause_example_minus_counter: float
    actor_clause_example_max: float
    actor_clause_counter_max: float
    actor_clause_example_minus_counter: float
    actor_clause_share: float
    # The same matches relative to how alike the rule's own examples are to each other: wording styles differ
    # by domain, and a rule file's examples show its own scale (the rule file alone, never the stream).
    example_max_over_own: float
    clause_example_max_over_own: float
    # Attribution from the parse: the actor's role, the cues of the predicate it is agent of, the target's role.
    role_agent: float
    role_speaker: float
    role_patient: float
    role_mentioned: float
    parse_negated: float
    parse_refusal: float
    parse_conditional: float
    parse_hedged: float
    parse_intention: float
    parse_reported: float
    parse_alleged: float
    parse_urged: float
    parse_question: float
    target_role_agent: float
    target_role_patient: float
    other_actor_agent: float

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The feature names, in vector order."""
        return tuple(f.name for f in fields(cls))

    def to_vector(self) -> Vector:
        return np.asarray([getattr(self, f.name) for f in fields(self)], dtype=np.float32)


def swap_agent(key: StanceKey, agent: str) -> StanceKey:
    """The key with `agent` as its actor. With the target as agent, the roles reverse: "Iran struck Israel"
    for israel/military_action/iran."""
    target = key.actor if agent == key.target else key.target
    return StanceKey(agent, key.stance, target)


def _other_stances(key: StanceKey, stances: Sequence[str]) -> list[StanceKey]:
    return [StanceKey(key.actor, s, key.target) for s in stances if s != key.stance]


def _other_agents(sentence: PreparedSentence, key: StanceKey) -> list[StanceKey]:
    mentioned = {m.actor_id for m in sentence.mentions}
    return [swap_agent(key, agent) for agent in sorted(mentioned - {key.actor})]


def related_keys(sentence: PreparedSentence, key: StanceKey, stances: Sequence[str]) -> list[StanceKey]:
    """The keys whose examples the features of (sentence, key) compare against."""
    return [key, *_other_stances(key, stances), *_other_agents(sentence, key)]


_NOT_BEFORE = re.compile(r",? not $")  # "Qatar, not Russia, offered"


# A sentence's best similarity to a key's examples, by (id of the sentence, key): each sentence is compared
# with the same related keys once per key it is judged under, so a batch keeps the answers (judge_pairs).
ExampleMatches = dict[tuple[int, StanceKey], float]


def _best_example(
    sentence: PreparedSentence, key: StanceKey, bank: ExampleBank, memo: ExampleMatches
) -> float:
    found = memo.get((id(sentence), key))
    if found is None:
        found = memo[id(sentence), key] = float((bank.vectors(key)[0] @ sentence.vector).max())
    return found


def stance_features(
    sentence: PreparedSentence, key: StanceKey, bank: ExampleBank, memo: ExampleMatches | None = None
) -> StanceFeatures:
    """The features of `sentence` under `key`, against the examples in `bank`. `memo` may be shared by the
    calls of one batch (while its sentences live)."""
    memo = {} if memo is None else memo
    v = sentence.vector
    examples, counters, label = bank.vectors(key)
    ex = examples @ v
    co = counters @ v if len(counters) else np.zeros(1, dtype=np.float32)
    top = np.sort(ex)[-2:]
    memo.setdefault((id(sentence), key), float(ex.max()))

    other_stances = [_best_example(sentence, k, bank, memo) for k in _other_stances(key, bank.stances)]
    margin = float(ex.max()) - max(other_stances) if other_stances else 0.0
    other_agents = [_best_example(sentence, k, bank, memo) for k in _other_agents(sentence, key)]
    own_minus_other = float(ex.max()) - max(other_agents) if other_agents else 0.2
    other_max = max(other_agents) if other_agents else 0.0

    clauses = _clause_features(sentence, key, examples, counters, float(ex.max()), float(co.max()))
    own_scale = bank.own_similarity(key)

    text = sentence.text
    own = [m for m in sentence.mentions if m.actor_id == key.actor]
    first = own[0] if own else None
    others = [m for m in sentence.mentions if m.actor_id not in (key.actor, key.target)]
    if key.target is None:
        target_mentioned = 0.5
    else:
        target_mentioned = 1.0 if key.target in {m.actor_id for m in sentence.mentions} else 0.0
    not_actor = 0.0
    possessive = 0.0
    if first is not None:
        not_actor = 1.0 if _NOT_BEFORE.search(text[max(0, first.start - 6) : first.start]) else 0.0
        possessive = 1.0 if text[first.end : first.end + 2] in ("'s", "’s") else 0.0

    return StanceFeatures(
        example_max=float(ex.max()),
        example_mean=float(ex.mean()),
        example_top2=float(top.mean()),
        counter_max=float(co.max()),
        counter_mean=float(co.mean()),
        example_minus_counter=float(ex.max() - co.max()),
        label_sim=float((label @ v).max()),
        margin_over_other_stances=margin,
        own_agent_minus_other_agent=own_minus_other,
        other_agent_max=other_max,
        **sentence_cues(text),
        actor_position=first.start / max(1, len(text)) if first else 1.0,
        actor_first=1.0 if first is not None and first.start < 3 else 0.0,
        other_actor_before=1.0 if first is not None and any(m.start < first.start for m in others) else 0.0,
        other_actors=float(len({m.actor_id for m in others})),
        target_mentioned=target_mentioned,
        not_actor=not_actor,
        actor_possessive=possessive,
        **actor_cues(text, own),
        **clauses,
        example_max_over_own=float(ex.max()) - own_scale,
        clause_example_max_over_own=clauses["clause_example_max"] - own_scale,
        **_attribution_features(sentence, key),
    )


def _clause_features(
    sentence: PreparedSentence,
    key: StanceKey,
    examples: Matrix,
    counters: Matrix,
    ex_max: float,
    co_max: float,
) -> dict[str, float]:
    """Best clause-level matches overall and among clauses that name the actor (sentence values if none)."""
    # no clauses: the sentence is its one clause, and it names the actor
    best_ex, best_co, best_diff = ex_max, co_max, ex_max - co_max
    own_ex, own_co, share = ex_max, co_max, 1.0
    if len(sentence.clause_vectors):
        ex = (sentence.clause_vectors @ examples.T).max(axis=1)
        co = (sentence.clause_vectors @ counters.T).max(axis=1) if len(counters) else np.zeros(len(ex))
        best_ex, best_co = max(ex_max, float(ex.max())), max(co_max, float(co.max()))
        best_diff = float(ex.max() - co.max())
        own = np.asarray([key.actor in actors for actors in sentence.clause_actors])
        own_ex = float(ex[own].max()) if own.any() else 0.0
        own_co = float(co[own].max()) if own.any() else 0.0
        share = float(own.mean())
    return {
        "clause_example_max": best_ex,
        "clause_counter_max": best_co,
        "clause_example_minus_counter": best_diff,
        "actor_clause_example_max": own_ex,
        "actor_clause_counter_max": own_co,
        "actor_clause_example_minus_counter": own_ex - own_co,
        "actor_clause_share": share,
    }


def _attribution_features(sentence: PreparedSentence, key: StanceKey) -> dict[str, float]:
    own = sentence.attributions.get(key.actor, Attribution())
    target = sentence.attributions.get(key.target) if key.target else None
    others = [a for actor, a in sentence.attributions.items() if actor not in (key.actor, key.target)]
    return {
        **{f"role_{role}": 1.0 if own.role == role else 0.0 for role in ROLES},
        **{f"parse_{flag}": 1.0 if getattr(own, flag) else 0.0 for flag in FLAGS},
        "target_role_agent": 1.0 if target is not None and target.role == "agent" else 0.0,
        "target_role_patient": 1.0 if target is not None and target.role in ("patient", "mentioned") else 0.0,
        "other_actor_agent": 1.0 if any(a.role == "agent" for a in others) else 0.0,
    }
