"""Sentence splitting and wire-dateline removal."""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

__all__ = ["cap_text", "hard_split", "segment", "split_sentences", "strip_dateline"]

# A paragraph with none of these characters cannot hold a sentence boundary, so it skips pysbd.
_TERMINATORS = re.compile(r"[.!?…]")
# Characters whose presence sends a paragraph to pysbd (quotes, brackets, ellipses, odd spacing).
_TRICKY = re.compile(r"[\"“”‘()\[\]{}…]|\.\.|[.!?]['’]|\s[.!?]")
# A terminator followed by whitespace: a candidate boundary. Group 1 is the token before it.
_CANDIDATE = re.compile(r"(\S*)[.!?]+\s+(\S?)")
_PLAIN_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*[A-Za-z0-9]")
# pysbd's cost grows with the square of a paragraph's length, and so does the fast path's candidate scan
# on a long run without spaces (tests/unit/test_hostile_input.py times a paragraph that needs pysbd). With a sentence cap,
# a paragraph longer than this many sentence caps is first cut into pieces of that size, preferably after a
# sentence end, so each piece costs a bounded time and the whole text a linear one.
_PARAGRAPH_CAPS = 8


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    from pysbd.lang.english import English

    abbr = English.Abbreviation
    names = [*abbr.ABBREVIATIONS, *abbr.PREPOSITIVE_ABBREVIATIONS, *abbr.NUMBER_ABBREVIATIONS]
    return frozenset(str(name).strip().lower() for name in names)


def _fast_split(paragraph: str) -> list[str] | None:
    """Split a paragraph whose every boundary is unambiguous, or None to leave it to pysbd.

    A candidate boundary is safe when the token before the terminator is a plain word of two or more
    characters with no inner period that pysbd does not treat as an abbreviation, and the next token starts
    with an upper-case letter. pysbd (slow: about a millisecond a paragraph) handles everything else.
    """
    if _TRICKY.search(paragraph):
        return None
    abbreviations = _abbreviations()
    pieces: list[str] = []
    start = 0
    for match in _CANDIDATE.finditer(paragraph):
        token, following = match.group(1), match.group(2)
        if not following or not following[0].isupper() or not _PLAIN_TOKEN.fullmatch(token):
            return None
        if token.lower() in abbreviations:
            return None
        cut = match.start(2)
        pieces.append(paragraph[start:cut].strip())
        start = cut
    pieces.append(paragraph[start:].strip())
    return pieces


def _last_break(text: str, start: int, end: int, *, after_sentence: bool) -> int:
    """Where to cut text[start:end] so the piece ends at a break: after the last sentence end followed by a
    space (when `after_sentence`), else at the last space or tab, else at `end` (mid-word)."""
    if after_sentence:
        cut = max(text.rfind(mark, start + 1, end) for mark in (". ", "! ", "? "))
        if cut > start:
            return cut + 1
    cut = max(text.rfind(" ", start + 1, end + 1), text.rfind("\t", start + 1, end + 1))
    return cut if cut > start else end


def hard_split(text: str, max_chars: int, *, after_sentence: bool = False) -> list[str]:
    """Cut `text` into stripped pieces of at most `max_chars` characters, each at the last space of its
    window (mid-word only where a window has none). Each window is searched once: linear in len(text)."""
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    pieces: list[str] = []
    start = 0
    while len(text) - start > max_chars:
        cut = _last_break(text, start, start + max_chars, after_sentence=after_sentence)
        pieces.append(text[start:cut].strip())
        start = cut
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def cap_text(text: str, max_chars: int) -> tuple[str, bool]:
    """`text` cut to at most `max_chars` characters at its last space (the lede is kept); whether it was cut."""
    if len(text) <= max_chars:
        return text, False
    return text[: _last_break(text, 0, max_chars, after_sentence=False)].rstrip(), True


def _split_paragraph(paragraph: str) -> list[str]:
    # A terminator followed by more text is the only way a paragraph can hold two sentences.
    if not _TERMINATORS.search(paragraph[:-1]):
        return [paragraph]
    fast = _fast_split(paragraph)
    if fast is not None:
        return [piece for piece in fast if piece]
    pieces = (str(piece).strip() for piece in _segmenter().segment(paragraph))
    return [piece for piece in pieces if piece]


def segment(text: str, max_chars: int | None = None) -> tuple[list[str], int]:
    """`split_sentences(text, max_chars)` and how many over-long sentences were hard-split (a sentence that
    runs over several pieces of an over-long paragraph counts once per piece)."""
    sentences: list[str] = []
    long_sentences = 0
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if max_chars is None:
            sentences.extend(_split_paragraph(paragraph))
            continue
        for piece in hard_split(paragraph, _PARAGRAPH_CAPS * max_chars, after_sentence=True):
            for sentence in _split_paragraph(piece):
                if len(sentence) > max_chars:
                    long_sentences += 1
                    sentences.extend(hard_split(sentence, max_chars))
                else:
                    sentences.append(sentence)
    return sentences, long_sentences


def split_sentences(text: str, max_chars: int | None = None) -> list[str]:
    """Split text into sentences: paragraphs by newline, then pysbd (English) within each paragraph.

    Abbreviations such as "U.S." and "Gen." stay inside their sentence, and so does a quoted passage that
    holds several sentences. Sentences are stripped; empty ones are dropped. With `max_chars`, a sentence
    longer than that is hard-split into pieces of at most `max_chars` (at spaces), and the cost is linear in
    the length of the text (see _PARAGRAPH_CAPS); without it, pysbd's cost is quadratic in a paragraph's.
    """
    return segment(text, max_chars)[0]


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
# An upper-case place word: "MOSCOW", "NEW", "ST.", "AL-UDEID", "N'DJAMENA".
_CAPS_WORD = r"[A-Z][A-Z.'’\-]*[A-Z.]"
_CAPS_PLACE = rf"{_CAPS_WORD}(?:[ ]{_CAPS_WORD}){{0,3}}"
_DATE = rf",[ ]+{_MONTH}[ ]+\d{{1,2}}(?:,[ ]+\d{{4}})?"
_OUTLET = r"[ ]*(?:\([^()\n]{1,40}\)|/[A-Za-z][A-Za-z0-9 .&'-]{0,30}/)"
_DASH = r"(?:-{1,2}|–|—)"

# "MOSCOW, June 16 (Meridian Wire) — ", "ISTANBUL (CPA) - ", "MOSCOW, July 28 /FNA/ – ", "WASHINGTON — ".
# Without an outlet, the dash must stand apart ("US-China" is never a dateline).
_CAPS_DATELINE = re.compile(rf"^\s*{_CAPS_PLACE}(?:{_DATE})?(?:{_OUTLET}[ ]*{_DASH}|[ ]+{_DASH})[ ]+")
# "DOHA: ", "Beijing: ", "New York: ": a capitalised place of one to three words, then a colon.
_COLON_DATELINE = re.compile(r"^\s*([A-Z][A-Za-z.'’\-]*(?:[ ][A-Z][A-Za-z.'’\-]*){0,2}):[ ]+(?=\S)")
# Headline labels that take the same shape as a city-colon dateline but are not places.
_NOT_PLACES = frozenset(
    {
        "analysis", "breaking", "breaking news", "background", "comment", "commentary", "context",
        "correction", "editorial", "editor's note", "exclusive", "explainer", "factbox", "fact check",
        "interview", "live", "note", "opinion", "photos", "q&a", "read more", "related", "summary",
        "timeline", "update", "updated", "video", "watch", "what we know", "why it matters",
    }
)  # fmt: skip


def strip_dateline(sentence: str) -> tuple[str, int]:
    """Remove a leading wire dateline; return (the rest, how many characters were removed).

    Handles an upper-case place with an optional date and an optional outlet before a dash
    ("MOSCOW, June 16 (Meridian Wire) — ", "ISTANBUL (CPA) - ", "MOSCOW, July 28 /FNA/ – ", "WASHINGTON — ")
    and a capitalised place of one to three words before a colon ("DOHA: ", "Beijing: "). Anything else is
    returned untouched with offset 0, so `sentence[offset:] == rest` always holds.
    """
    match = _CAPS_DATELINE.match(sentence)
    if match is None:
        match = _COLON_DATELINE.match(sentence)
        # A dateline is followed by the start of a sentence, never by a lower-case word.
        if match is not None and (
            match.group(1).lower() in _NOT_PLACES or sentence[match.end() : match.end() + 1].islower()
        ):
            match = None
    if match is None or match.end() >= len(sentence):
        return sentence, 0
    return sentence[match.end() :], match.end()
