"""The stream calibration: counts per stance, the shape, the line, and how eval fits the line."""

from __future__ import annotations

import math

import numpy as np
import pytest

from monitor.calibration import (
    OFFSET_LIMIT,
    PRIOR_ROWS,
    CalibrationLine,
    StreamCalibration,
    expresses_log_odds,
)
from monitor.evaluation import best_offset, fit_line, shape_of, stance_f1

LINE = CalibrationLine(intercept=1.0, slope=-2.0)
K = PRIOR_ROWS


def shape(ambiguous: int, confident: int) -> float:
    return math.log((ambiguous + K) / (confident + K))


def probabilities_with_log_odds(log_odds: list[float]) -> np.ndarray:
    """Rows (none, expresses, denies) whose expresses log-odds against none are `log_odds` (denies ~0)."""
    rows = np.asarray([[1.0, math.exp(v), 1e-9] for v in log_odds])
    return rows / rows.sum(axis=1, keepdims=True)


def test_each_row_is_calibrated_on_the_counts_up_to_and_including_it() -> None:
    calibration = StreamCalibration()
    # -1 and -3 are ambiguous (in (-4, 0]), 2 is confident, -10 is neither; stance "b" is counted apart
    offsets = calibration.offsets(["a", "a", "b", "a", "a"], np.array([-1.0, 2.0, 5.0, -10.0, -3.0]), LINE)
    shapes = [shape(1, 0), shape(1, 1), shape(0, 1), shape(1, 1), shape(2, 1)]
    assert offsets == pytest.approx([1.0 - 2.0 * s for s in shapes])
    assert calibration.counts == {"a": (2, 1), "b": (0, 1)}
    assert calibration.offset("a", LINE) == pytest.approx(offsets[-1])  # where "a" stands now
    assert calibration.offset("unseen", LINE) == pytest.approx(1.0)  # no counts: the intercept
    # the next batch goes on from there
    [offset] = calibration.offsets(["b"], np.array([-0.5]), LINE)
    assert offset == pytest.approx(1.0 - 2.0 * shape(1, 1))


def test_offsets_stay_within_the_limit() -> None:
    calibration = StreamCalibration()
    offsets = calibration.offsets(["a"] * 400, np.full(400, -1.0), CalibrationLine(0.0, -10.0))
    assert offsets.min() == -OFFSET_LIMIT
    assert CalibrationLine(0.0, 10.0).offset(100.0) == OFFSET_LIMIT


def test_the_counts_round_trip_and_a_restored_stream_goes_on_as_if_uninterrupted() -> None:
    log_odds = np.random.default_rng(0).normal(-2.0, 3.0, size=60)
    stances = ["a", "b", "c"] * 20
    whole = StreamCalibration().offsets(stances, log_odds, LINE)
    first = StreamCalibration()
    head = first.offsets(stances[:25], log_odds[:25], LINE)
    restored = StreamCalibration.from_state(first.to_state())
    tail = restored.offsets(stances[25:], log_odds[25:], LINE)
    assert np.allclose(np.concatenate([head, tail]), whole)
    assert first.to_state() == {s: list(pair) for s, pair in sorted(first.counts.items())}


def test_expresses_log_odds_are_against_the_stronger_other_label() -> None:
    p = np.array([[0.5, 0.25, 0.25], [0.1, 0.3, 0.6]])
    assert expresses_log_odds(p) == pytest.approx([math.log(0.5), math.log(0.5)], abs=1e-5)


def test_shape_is_the_log_ratio_of_ambiguous_to_confident_rows() -> None:
    assert shape_of(probabilities_with_log_odds([-1.0, -2.0, -3.0, 1.0, -9.0])) == pytest.approx(shape(3, 1))
    assert shape(0, 0) == 0.0  # no rows yet: the line's intercept


def test_fit_line_recovers_a_line_and_degrades_gracefully() -> None:
    points = [(s, 0.5 - 3.0 * s) for s in (-1.0, 0.0, 0.5, 2.0)]
    line = fit_line(points)
    assert (line.intercept, line.slope) == pytest.approx((0.5, -3.0))
    assert fit_line([(0.3, 2.0)]) == CalibrationLine(2.0, 0.0)
    assert fit_line([]) == CalibrationLine(0.0, 0.0)


def test_stance_f1_is_the_mean_f1_of_expresses_and_denies() -> None:
    labels = np.array([1, 1, 2, 0, 0])
    predicted = np.array([1, 0, 2, 1, 0])
    # expresses: tp 1, fp 1, fn 1 -> 0.5; denies: tp 1 -> 1.0
    assert stance_f1(labels, predicted) == pytest.approx(0.75)


def test_best_offset_is_the_first_on_the_grid_that_separates_the_stance() -> None:
    # the stance's two expressing rows sit 2.2 and 1 nats below the boundary, its other rows 6 and 7
    probabilities = probabilities_with_log_odds([-2.2, -1.0, -6.0, -7.0, 3.0])
    labels = np.array([1, 1, 0, 0, 1])
    rows = np.array([True, True, True, True, False])
    # anything in (2.2, 6) gets every row right; the grid's first such point is 2.5
    assert best_offset(probabilities, labels, rows, np.zeros(5)) == 2.5
