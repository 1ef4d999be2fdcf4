"""Generic English cues of how a sentence says something, never of what the stance is.

Each cue is named by the feature it sets (monitor/stance/features.py): 1.0 when its pattern matches, else 0.0.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from monitor.types import Mention

__all__ = ["actor_cues", "sentence_cues"]

# Cues anywhere in the sentence.
_SENTENCE: dict[str, str] = {
    "cue_negation": r"\b(not|no|never|n't|without|nor)\b",
    "cue_refusal_verb": (
        r"\b(denied|denies|deny|rejected|rejects|ruled out|rules out|refused|refuses|declined|declines|"
        r"dismissed|suspended|froze|frozen|halted|shelved|scrapped|withdrew|pulled out|off the table|"
        r"not on the table)\b"
    ),
    "cue_question_mark": r"\?",
    "cue_question_start": r"^(would|could|will|can|should|is|are|does|do|did|has|have|why|what|how|who|whether)\b",
    "cue_modal": r"\b(would|could|might|may|if|unless|whether|should)\b",
    "cue_urging": (
        r"\b(urged|urges|urging|called on|calls on|calling on|pressed|presses|pressing|asked|asks|appealed|"
        r"demanded|demands|pushed for|encouraged|want(s|ed)? .{0,20} to|pressure)\b"
    ),
    "cue_history": (
        r"\b(19\d\d|20[01]\d|202[0-4]|ago|decade|former|history|historically|previously|in the past|"
        r"last year|since)\b"
        # "once" as "formerly" ("Russia once supplied"), not "at once", "once again" or "once the war ends"
        r"|(?<!\bat )\bonce\b(?!\s+(again|more|the|they|it|its|we|a|an|this|that|there|all)\b)"
    ),
    "cue_allegation": (
        r"\b(accused|accuses|alleged|allegedly|allegations?|claimed|claims?|reportedly|sources|unverified|"
        r"could not be (independently )?verified|rumou?rs?)\b"
    ),
    "cue_speculation": r"\b(analysts?|experts?|observers?|commentators?|likely|expected to|possibly|perhaps|speculat\w*)\b",
    "cue_intention": r"\b(threaten\w*|warned|warns|vowed|vows|ready to|prepared to|plans? to|intends? to|considering)\b",
    "cue_speech": r"\b(said|says|told|announced|confirmed|stated|statement|according to)\b",
}

# Cues read relative to the actor's mention: who does what to whom. The text in the 40 characters before a
# mention must end with the cue; the text in the 40 after it must start with it.
_BEFORE_ACTOR: dict[str, str] = {
    # "called on Moscow to", "urged Russia to": the actor is asked, not acting.
    "urged_actor": (
        r"\b(urged|urges|urging|called on|calls on|calling on|pressed|presses|pressing|asked|asks|appealed to|"
        r"pushed|encouraged|invited|implored|wants|wanted|challenged)\s+(the\s+)?$"
    ),
    # "accused Moscow of", "alleged that Beijing": someone else's claim about the actor.
    "accused_actor": r"\b(accused|accuses|accusing|blamed|blames|alleged that|claimed that|suspect|suspected|suspects)\s+(that\s+)?(the\s+)?$",
    # "whether Russia", "if Moscow": the actor inside a question or condition.
    "conditional_actor": r"\b(if|whether|unless|once|should)\s+(the\s+)?$",
}
_AFTER_ACTOR: dict[str, str] = {
    # "Russia could send", "Moscow might": a hypothetical about the actor.
    "actor_modal": r"^(?:'s|’s)?\s*(\w+\s+){0,2}?(could|might|may|would|should|can)\b",
    # "Russia said", "Moscow offered", "Lavrov has proposed": the actor as the agent of a verb.
    "actor_verb": r"^(?:'s|’s)?\s*(\w+\s+){0,2}?(said|says|has|have|had|is|was|will|\w+ed)\b",
    "actor_negated": r"^(?:'s|’s)?\s*(\w+\s+){0,2}?(has not|had not|did not|does not|will not|would not|is not|was not|has no|had no|never|won't|didn't|doesn't|isn't|wasn't)\b",
}
_SENTENCE_RES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _SENTENCE.items()}
_BEFORE_RES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _BEFORE_ACTOR.items()}
_AFTER_RES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _AFTER_ACTOR.items()}
_WINDOW = 40


def sentence_cues(text: str) -> dict[str, float]:
    """Each sentence cue by its feature name: 1.0 where it occurs in `text`."""
    return dict(_sentence_cues(text))


@lru_cache(maxsize=4096)  # asked once per stance key of each sentence: the same text many times in a row
def _sentence_cues(text: str) -> tuple[tuple[str, float], ...]:
    return tuple((name, 1.0 if cue.search(text) else 0.0) for name, cue in _SENTENCE_RES.items())


def actor_cues(text: str, mentions: Sequence[Mention]) -> dict[str, float]:
    """Each cue around the actor by its feature name: 1.0 where it borders any of the actor's `mentions`."""
    before = [text[max(0, m.start - _WINDOW) : m.start] for m in mentions]
    after = [text[m.end : m.end + _WINDOW] for m in mentions]
    return {
        **{name: 1.0 if any(cue.search(t) for t in before) else 0.0 for name, cue in _BEFORE_RES.items()},
        **{name: 1.0 if any(cue.search(t) for t in after) else 0.0 for name, cue in _AFTER_RES.items()},
    }
