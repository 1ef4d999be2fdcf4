"""Calibration from the stream: how sure to be about a stance the head was never trained on.

A head trained across stances ranks a new stance's sentences well, but its threshold is off by a different
amount for each stance: held out on the timeline, the best threshold per stance (chosen with the labels, an
oracle) runs from 5 nats below the head's boundary to 5 above. What sets it is mostly how the stance lives
in the news, which the rule file cannot say and the stream can: a stance whose scored sentences split into
a confident group above the boundary with little just below it ("China evacuated its citizens") can take a
lower threshold than one whose sentences pile up just below the boundary, topical talk that is close to the
examples without expressing them ("Iran's nuclear programme").

So, per stance, the scorer counts the head's raw expresses log-odds of every sentence it scores: how many
fall in the ambiguous band just below the boundary, how many above it. Their log-ratio, the stream's
`shape`, maps to an offset on the expresses log-odds through a line fitted on a labelled timeline, each of
its stances held out (monitor/evaluation.py, `stream_line_points`): no labels of the stance being scored are
needed, only the stream so far. The counts are plain data: they live in the pipeline's state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# The band of raw expresses log-odds read as ambiguous, and the boundary above which a sentence is confident.
AMBIGUOUS_FROM = -4.0
BOUNDARY = 0.0
# At most this many nats either way, as for the examples' calibration: the line is fitted on one timeline's
# stances, and a stream unlike it (another domain) should not move a threshold without bound.
OFFSET_LIMIT = 3.0
# Pseudo-rows added to each band: a shape read from a handful of sentences (a new rule's first hour) is noise,
# so it starts at 0 and moves as the counts grow.
PRIOR_ROWS = 10.0


def expresses_log_odds(probabilities: np.ndarray) -> np.ndarray:
    """Log-odds of expresses against the stronger of the other two labels (columns: none, expresses, denies)."""
    p = np.asarray(probabilities, dtype=np.float64)
    return np.log(p[:, 1] + 1e-6) - np.log(np.maximum(p[:, 0], p[:, 2]) + 1e-6)


def stream_shape(ambiguous: float | np.ndarray, confident: float | np.ndarray) -> Any:
    """log((ambiguous + PRIOR_ROWS) / (confident + PRIOR_ROWS)): high when sentences pile up below the boundary."""
    a = np.asarray(ambiguous, dtype=np.float64) + PRIOR_ROWS
    return np.log(a / (np.asarray(confident, dtype=np.float64) + PRIOR_ROWS))


def band_counts(log_odds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, 1 if it is ambiguous (first) or confident (second)."""
    ambiguous = (log_odds > AMBIGUOUS_FROM) & (log_odds <= BOUNDARY)
    return ambiguous.astype(np.int64), (log_odds > BOUNDARY).astype(np.int64)


@dataclass(frozen=True)
class CalibrationLine:
    """offset = intercept + slope * shape, within +-OFFSET_LIMIT."""

    intercept: float
    slope: float

    def offset(self, shape: float | np.ndarray) -> Any:
        return np.clip(self.intercept + self.slope * np.asarray(shape), -OFFSET_LIMIT, OFFSET_LIMIT)


class StreamCalibration:
    """Per stance, the counts of ambiguous and confident sentences seen so far."""

    def __init__(self) -> None:
        self.counts: dict[str, tuple[int, int]] = {}

    def offset(self, stance: str, line: CalibrationLine) -> float:
        """The stance's offset now, from its counts so far."""
        ambiguous, confident = self.counts.get(stance, (0, 0))
        return float(line.offset(stream_shape(ambiguous, confident)))

    def offsets(self, stances: Sequence[str], log_odds: np.ndarray, line: CalibrationLine) -> np.ndarray:
        """Count the rows (in order) and return each row's offset from the counts up to and including it."""
        out = np.zeros(len(stances))
        names = np.asarray(stances)
        for stance in dict.fromkeys(stances):
            rows = np.flatnonzero(names == stance)
            ambiguous, confident = band_counts(log_odds[rows])
            seen = self.counts.get(stance, (0, 0))
            ambiguous = seen[0] + np.cumsum(ambiguous)
            confident = seen[1] + np.cumsum(confident)
            out[rows] = line.offset(stream_shape(ambiguous, confident))
            self.counts[stance] = (int(ambiguous[-1]), int(confident[-1]))
        return out

    def forget(self, stances: Iterable[str]) -> None:
        """Start the counts of these stances afresh."""
        for stance in stances:
            self.counts.pop(stance, None)

    def to_state(self) -> dict[str, list[int]]:
        return {stance: list(pair) for stance, pair in sorted(self.counts.items())}

    @classmethod
    def from_state(cls, state: Mapping[str, Sequence[int]]) -> StreamCalibration:
        calibration = cls()
        calibration.counts = {str(s): (int(pair[0]), int(pair[1])) for s, pair in state.items()}
        return calibration
