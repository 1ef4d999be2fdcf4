"""Stance scoring: does the actor in this sentence express the stance, deny it, or neither?

A rule file brings only example statements, so the method has to work for stances it never saw.
It does so in two layers (the fields of `StanceFeatures`, features.py):

1. Stance-specific evidence, computed from the rule's own examples (examples.py): how close the sentence is
   to the examples and to the counter-examples, how much closer to this stance than to the other stances in
   the rule set, and whether the examples fit better with *our* actor as the agent than with another actor
   the sentence names (attribution: "Oman, not Russia, carried messages").
2. Stance-independent cues of modality and attribution that hold for any stance: the actor's role in the
   predicate from a dependency parse (agent, speaker, patient, only mentioned; monitor/attribution.py), and
   how the predicate is said (negated, refused, conditional, hedged, reported, alleged, urged, asked), plus
   surface cues (cues.py: history, speculation, what comes just before and after the actor) and where the
   actor stands in the sentence.

A small gradient-boosted head (head.py) combines both. It is trained *across* domains and stances, so what it
learns is how evidence and cues combine, not what any stance means. Its outputs are calibrated
(calibration.py) into probabilities that mean the same for every stance and every rule file; the label
follows from them with one threshold (THRESHOLD). Nothing depends on the order of the stream.
`StanceScorer` (scorer.py) ties them together.
"""

from monitor.stance.calibration import THRESHOLD, Calibration, label_of
from monitor.stance.features import StanceFeatures
from monitor.stance.head import StanceHead
from monitor.stance.prepared import PreparedSentence
from monitor.stance.scorer import NOT_NAMED, StanceScorer, load_process_scorer, load_scorer

__all__ = [
    "NOT_NAMED",
    "THRESHOLD",
    "Calibration",
    "PreparedSentence",
    "StanceFeatures",
    "StanceHead",
    "StanceScorer",
    "label_of",
    "load_process_scorer",
    "load_scorer",
]
