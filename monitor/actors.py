"""Finding tracked actors in text: one Aho-Corasick automaton over every alias of every actor."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import ahocorasick

from monitor.text import split_sentences
from monitor.types import Mention, Sentence

__all__ = ["ActorMatcher"]


class ActorMatcher:
    """Matches actor aliases as whole words.

    An alias matches as written (case-sensitive) or written in capitals ("MOSCOW" for "Moscow", as in a
    dateline), never in lower case: "us" is not "US" and "turkey" is not "Turkey". The characters either side
    of a match must not be letters or digits ("Iranian" is not "Iran"), but a possessive is fine ("Russia's").
    Where matches overlap the longest wins ("Vladimir Putin" over "Putin"). An alias that two actors share
    yields one mention per actor on the same span.
    """

    def __init__(self, actors: Mapping[str, Iterable[str]]) -> None:
        self.actors: dict[str, tuple[str, ...]] = {}
        # surface form -> [(actor_id, alias as written in the rules)]
        table: dict[str, list[tuple[str, str]]] = {}
        for actor_id, aliases in actors.items():
            kept: list[str] = []
            for raw in aliases:
                alias = " ".join(str(raw).split())
                if not alias or alias in kept:
                    continue
                kept.append(alias)
                for surface in dict.fromkeys((alias, alias.upper())):
                    entries = table.setdefault(surface, [])
                    if (actor_id, alias) not in entries:
                        entries.append((actor_id, alias))
            self.actors[actor_id] = tuple(kept)
        self._automaton: ahocorasick.Automaton | None = None
        if table:
            automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
            for surface, entries in table.items():
                automaton.add_word(surface, (len(surface), tuple(entries)))
            automaton.make_automaton()
            self._automaton = automaton

    def find(self, text: str) -> list[Mention]:
        """The actor mentions in `text`, in order, with character offsets into `text`."""
        if self._automaton is None or not text:
            return []
        n = len(text)
        candidates: list[tuple[int, int, tuple[tuple[str, str], ...]]] = []
        for last, (length, entries) in self._automaton.iter(text):
            start = last - length + 1
            end = last + 1
            if start > 0 and text[start - 1].isalnum():
                continue
            if end < n and text[end].isalnum():
                continue
            candidates.append((start, end, entries))
        if not candidates:
            return []
        # Longest first, then leftmost; keep each candidate that overlaps none already kept.
        candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
        chosen: list[tuple[int, int, tuple[tuple[str, str], ...]]] = []
        for cand in candidates:
            if all(cand[1] <= kept[0] or cand[0] >= kept[1] for kept in chosen):
                chosen.append(cand)
        chosen.sort(key=lambda c: c[0])
        return [
            Mention(actor_id=actor_id, alias=alias, start=start, end=end)
            for start, end, entries in chosen
            for actor_id, alias in entries
        ]

    def sentences(self, article_id: str, body: str) -> list[Sentence]:
        """The sentences of `body` that mention at least one actor (see `mentioned`)."""
        return self.mentioned(article_id, split_sentences(body))

    def mentioned(self, article_id: str, sentences: Iterable[str]) -> list[Sentence]:
        """Those of an article's `sentences` (all of them, in order) that mention at least one actor.

        `index` is the sentence's position among all the article's sentences; mentions are found on the
        full sentence text (a dateline such as "MOSCOW (CPA) - " included) and index into it.
        """
        result: list[Sentence] = []
        for index, text in enumerate(sentences):
            mentions = self.find(text)
            if mentions:
                result.append(
                    Sentence(article_id=article_id, index=index, text=text, mentions=tuple(mentions))
                )
        return result
