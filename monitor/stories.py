"""Near-duplicate stories: the same wire story republished by several outlets should count once.

Each article's text becomes a set of word 5-gram shingles (lower-cased, digits and punctuation removed,
so small edits still match; a text of fewer than five words uses its set of words). A 64-permutation
MinHash signature estimates the Jaccard similarity between two articles, and LSH banding (21 bands of
3 rows) finds the candidates, so assigning stays fast with a large window. Every hash is deterministic
(blake2b and fixed integer arithmetic, never Python's salted `hash()`), so a signature saved by one
process matches one computed by the next.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from monitor.text import strip_dateline

__all__ = ["StoryIndex", "body_signature", "minhash", "shingles", "tokens"]

NUM_PERM = 64
SHINGLE = 5
BANDS = 21
ROWS = 3  # BANDS * ROWS <= NUM_PERM; P(candidate) = 1 - (1 - s**3)**21: 0.99 at s = 0.6, 0.02 at s = 0.1

_MERSENNE61 = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_rng = np.random.default_rng(20250613)  # fixed seed: the permutations are part of the saved state's meaning
_PERM_A = _rng.integers(1, (1 << 32) - 1, size=NUM_PERM, dtype=np.uint64)
_PERM_B = _rng.integers(0, (1 << 32) - 1, size=NUM_PERM, dtype=np.uint64)
_POWERS = np.array([0x100000001B3**k % (1 << 64) for k in range(SHINGLE - 1, -1, -1)], dtype=np.uint64)

_WORD = re.compile(r"[^\W\d_]+")

U64 = npt.NDArray[np.uint64]


def tokens(text: str) -> list[str]:
    """Lower-cased words with digits and punctuation removed, after any leading dateline of each paragraph."""
    words: list[str] = []
    for line in text.splitlines():
        rest, _ = strip_dateline(line.strip())
        words.extend(_WORD.findall(rest.lower()))
    return words


@lru_cache(maxsize=262_144)
def _token_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


def _mix(x: U64) -> U64:
    """splitmix64's finaliser, vectorised (uint64 arithmetic wraps)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def shingles(words: list[str]) -> U64:
    """32-bit hashes of the word 5-gram shingles (or of the words themselves for a text under five words)."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    hashed = np.fromiter((_token_hash(w) for w in words), dtype=np.uint64, count=len(words))
    if len(words) < SHINGLE:
        values = _mix(hashed)
    else:
        windows = np.lib.stride_tricks.sliding_window_view(hashed, SHINGLE)
        with np.errstate(over="ignore"):
            values = _mix((windows * _POWERS).sum(axis=1, dtype=np.uint64) ^ np.uint64(SHINGLE))
    return np.unique(values >> np.uint64(32))


def minhash(hashes: U64) -> U64:
    """The MinHash signature (NUM_PERM values below 2**32) of a set of 32-bit shingle hashes."""
    if hashes.size == 0:
        return np.full(NUM_PERM, _MAX32, dtype=np.uint64)
    # a < 2**32 and x < 2**32, so a * x + b < 2**64: no overflow before the modulus.
    values = (np.outer(hashes, _PERM_A) + _PERM_B) % _MERSENNE61 & _MAX32
    result: U64 = values.min(axis=0)
    return result


def body_signature(text: str) -> U64 | None:
    """The MinHash signature of a body's word shingles; None when it has too few words to compare."""
    hashes = shingles(tokens(text))
    return minhash(hashes) if hashes.size else None


def _band_keys(signature: U64) -> list[bytes]:
    return [signature[i * ROWS : (i + 1) * ROWS].tobytes() for i in range(BANDS)]


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("published_at must be timezone-aware")
    return moment.astimezone(UTC)


class _Entry:
    __slots__ = ("article_id", "published_at", "story_id", "signature", "keys")

    def __init__(self, article_id: str, published_at: datetime, story_id: str, signature: U64) -> None:
        self.article_id = article_id
        self.published_at = published_at
        self.story_id = story_id
        self.signature = signature
        self.keys = _band_keys(signature)


class StoryIndex:
    """Gives each article a story id: a near-duplicate's within `window` (event time), else its own id.

    A near-duplicate is an indexed article whose estimated Jaccard similarity of shingles is at least
    `threshold` and whose `published_at` lies within `window` of the new one's. The most similar wins
    (the earliest published on a tie). Entries older than the newest `published_at` seen minus `window`
    are evicted.
    Assigning an id already indexed returns its story id again (re-delivery).
    """

    def __init__(self, window: timedelta = timedelta(days=3), threshold: float = 0.6) -> None:
        if window <= timedelta(0):
            raise ValueError("window must be positive")
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.window = window
        self.threshold = threshold
        self.watermark: datetime | None = None
        self._entries: dict[str, _Entry] = {}
        self._bands: list[dict[bytes, set[str]]] = [{} for _ in range(BANDS)]
        self._by_time: list[tuple[datetime, str]] = []

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def story_of(self, article_id: str) -> str | None:
        entry = self._entries.get(article_id)
        return entry.story_id if entry else None

    def assign(self, article_id: str, published_at: datetime, text: str) -> str:
        """The story id of this article: an earlier near-duplicate's story, else its own id."""
        return self.assign_signature(article_id, published_at, body_signature(text))

    def assign_signature(self, article_id: str, published_at: datetime, signature: U64 | None) -> str:
        """As `assign`, from a precomputed `body_signature` (the streaming worker ships signatures, not bodies)."""
        published_at = _utc(published_at)
        known = self._entries.get(article_id)
        if known is not None:
            return known.story_id
        if self.watermark is None or published_at > self.watermark:
            self.watermark = published_at
            self._evict()
        if signature is None:
            return article_id
        story_id = self._best_match(signature, published_at) or article_id
        assert self.watermark is not None
        if published_at >= self.watermark - self.window:
            self._insert(_Entry(article_id, published_at, story_id, signature))
        return story_id

    def _best_match(self, signature: U64, published_at: datetime) -> str | None:
        candidates: set[str] = set()
        for band, key in zip(self._bands, _band_keys(signature), strict=True):
            found = band.get(key)
            if found:
                candidates |= found
        best: tuple[float, datetime, str] | None = None
        for candidate_id in candidates:
            entry = self._entries[candidate_id]
            if abs(entry.published_at - published_at) > self.window:
                continue
            similarity = float(np.count_nonzero(entry.signature == signature)) / NUM_PERM
            if similarity < self.threshold:
                continue
            rank = (-similarity, entry.published_at, entry.article_id)
            if best is None or rank < best:
                best = rank
        if best is None:
            return None
        return self._entries[best[2]].story_id

    def _insert(self, entry: _Entry) -> None:
        self._entries[entry.article_id] = entry
        for band, key in zip(self._bands, entry.keys, strict=True):
            band.setdefault(key, set()).add(entry.article_id)
        heapq.heappush(self._by_time, (entry.published_at, entry.article_id))

    def _evict(self) -> None:
        if self.watermark is None:
            return
        horizon = self.watermark - self.window
        while self._by_time and self._by_time[0][0] < horizon:
            _, article_id = heapq.heappop(self._by_time)
            entry = self._entries.pop(article_id, None)
            if entry is None:
                continue
            for band, key in zip(self._bands, entry.keys, strict=True):
                members = band.get(key)
                if members is not None:
                    members.discard(article_id)
                    if not members:
                        del band[key]

    def to_state(self) -> dict[str, Any]:
        """A JSON-compatible snapshot (signatures are lists of ints below 2**32)."""
        entries = sorted(self._entries.values(), key=lambda e: (e.published_at, e.article_id))
        return {
            "version": 1,
            "window_seconds": self.window.total_seconds(),
            "threshold": self.threshold,
            "watermark": self.watermark.isoformat() if self.watermark else None,
            "entries": [
                {
                    "article_id": e.article_id,
                    "published_at": e.published_at.isoformat(),
                    "story_id": e.story_id,
                    "signature": [int(v) for v in e.signature],
                }
                for e in entries
            ],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> StoryIndex:
        if state.get("version") != 1:
            raise ValueError(f"unsupported story index state version {state.get('version')!r}")
        index = cls(
            window=timedelta(seconds=float(state["window_seconds"])), threshold=float(state["threshold"])
        )
        watermark = state.get("watermark")
        index.watermark = _utc(datetime.fromisoformat(watermark)) if watermark else None
        for item in state.get("entries", []):
            signature = np.asarray(item["signature"], dtype=np.uint64)
            if signature.shape != (NUM_PERM,):
                raise ValueError(
                    f"story index state: signature of {item.get('article_id')!r} has wrong length"
                )
            published_at = _utc(datetime.fromisoformat(item["published_at"]))
            index._insert(_Entry(str(item["article_id"]), published_at, str(item["story_id"]), signature))
        index._evict()
        return index
