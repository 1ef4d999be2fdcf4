"""From the head's raw outputs to probabilities that mean the same for every stance, and from those to a label."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from monitor.types import Label

__all__ = ["THRESHOLD", "Calibration", "label_of"]

# The label follows from the calibrated probabilities with one threshold: expresses (or denies) when its
# probability is at least this and above the other's, else none. Chosen once on the pooled
# leave-one-domain-out predictions of scripts/train_head.py (never per stance or per domain).
THRESHOLD = 0.5


def label_of(p_expresses: float, p_denies: float, threshold: float = THRESHOLD) -> Label:
    """The label that calibrated probabilities give under the one documented threshold."""
    if p_expresses >= threshold and p_expresses >= p_denies:
        return "expresses"
    if p_denies >= threshold and p_denies > p_expresses:
        return "denies"
    return "none"


@dataclass(frozen=True)
class Calibration:
    """Multinomial logistic map from the head's log-probabilities to calibrated probabilities.

    Fitted by scripts/train_head.py on leave-one-domain-out predictions (each domain scored by a head that
    never saw it), so it says how sure to be on a domain the head has not seen. One map for every stance.
    """

    coef: np.ndarray  # (3, 3)
    intercept: np.ndarray  # (3,)

    def apply(self, raw: np.ndarray) -> np.ndarray:
        z = np.log(np.clip(raw, 1e-6, 1.0)) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    @classmethod
    def fit(cls, raw: np.ndarray, labels: np.ndarray) -> Calibration:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=100.0, max_iter=1000)
        model.fit(np.log(np.clip(raw, 1e-6, 1.0)), labels)
        coef = np.zeros((3, 3))
        intercept = np.full(3, -20.0)  # a class absent from the labels stays (almost) impossible
        classes = [int(c) for c in model.classes_]
        if len(classes) == 2:  # sklearn's binary model: one row, for the second class against the first
            coef[classes[0]], intercept[classes[0]] = 0.0, 0.0
            coef[classes[1]], intercept[classes[1]] = model.coef_[0], model.intercept_[0]
        else:
            for row, c in enumerate(classes):
                coef[c], intercept[c] = model.coef_[row], model.intercept_[row]
        return cls(coef, intercept)
