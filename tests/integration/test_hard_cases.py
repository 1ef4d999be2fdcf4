"""One test per hard-case type, on sentences the project wrote (tests/fixtures/rules.yaml stances).

These check the shipped scorer end to end: dateline stripping, alias normalisation, the features
and the head. A case the method still gets wrong is marked xfail(strict=True) with the reason, so a
fix shows up as an unexpected pass rather than being hidden.
"""

from __future__ import annotations

from typing import Any

import pytest

from monitor.stance import StanceScorer
from monitor.types import StanceKey

pytestmark = pytest.mark.model

MEDIATION = StanceKey("russia", "mediation")
ARMS = StanceKey("russia", "military_support", "iran")

CASES = [
    # (hard-case type, sentence, key, expected)
    ("plain", "Putin offered to mediate between Israel and Iran on Tuesday.", MEDIATION, "expresses"),
    (
        "reported speech",
        "Russia is ready to host talks between the two sides, Lavrov told reporters.",
        MEDIATION,
        "expresses",
    ),
    ("denial", "The Kremlin ruled out acting as a mediator between Israel and Iran.", MEDIATION, "denies"),
    ("denial", "Moscow has no plans to offer military assistance to Iran, Peskov said.", ARMS, "denies"),
    ("urging", "European leaders called on Moscow to mediate between Israel and Iran.", MEDIATION, "none"),
    ("question", "Could the Kremlin broker a truce between Israel and Iran?", MEDIATION, "none"),
    ("other actor", "Qatar, not Russia, carried messages between Israel and Iran.", MEDIATION, "none"),
    ("historical", "In 2019, Russia delivered air defence systems to Iran.", ARMS, "none"),
    (
        "hypothetical",
        "Russia could send fighter jets to Iran if the war drags on, analysts said.",
        ARMS,
        "none",
    ),
    ("allegation", "Israeli officials accused Moscow of secretly shipping drones to Iran.", ARMS, "none"),
    (
        "dateline only",
        "MOSCOW (North Wire) - Qatar offered to host talks between Israel and Iran.",
        MEDIATION,
        "none",
    ),
    ("wrong target", "Russia delivered air defence systems to Syria.", ARMS, "none"),
    ("mere mention", "Russia's central bank cut its key interest rate on Friday.", MEDIATION, "none"),
]

# Known misses of the current method, kept visible (see BENCHMARKS.md for the measured rates).
# These two sit almost word for word on a stance example ("delivered air defence systems to {target}"), and
# the head lets that similarity outweigh the modal and the missing target. (The year of "In 2019, Russia
# delivered air defence systems to Iran." was outweighed too until stop 11's head, and the accusation of
# "Israeli officials accused Moscow of secretly shipping drones to Iran." until stop 13's square-root class
# weights.)
KNOWN_MISSES: set[str] = {
    "Russia delivered air defence systems to Syria.",
}


@pytest.mark.parametrize(
    ("kind", "sentence", "key", "expected"), CASES, ids=[c[0] + ":" + c[1][:30] for c in CASES]
)
def test_hard_case(
    kind: str, sentence: str, key: StanceKey, expected: str, fixture_rules: Any, embedder: Any, head: Any
) -> None:
    scorer = StanceScorer(fixture_rules, embedder, head)
    judgement = scorer.judge(scorer.prepare([sentence]), [key])[0][0]
    if sentence in KNOWN_MISSES:
        # strict: a fix turns this into a failure that asks for the sentence to leave KNOWN_MISSES
        assert judgement.label != expected, f"fixed: remove {sentence!r} from KNOWN_MISSES"
        pytest.xfail(f"known miss of the current method ({kind}): {judgement.label}")
    assert judgement.label == expected, f"{kind}: {sentence!r} -> {judgement}"
