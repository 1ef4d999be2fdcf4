"""The stance head: a small gradient-boosted classifier over StanceFeatures, trained across domains and stances.

It is trained on labelled timelines in several domains (scripts/train_head.py), so what it learns is how
evidence and cues combine, not what any stance means. It is fitted from a shipped feature table, or loaded
already fitted from the shipped skops file when that is the fit of the same table under the same scikit-learn
(no pickles, no version skew).
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from monitor.stance.calibration import Calibration
from monitor.stance.features import StanceFeatures

__all__ = ["FITTED_HEAD", "HEAD_TABLE", "StanceHead", "load_fitted"]

logger = logging.getLogger(__name__)

HEAD_TABLE = "stance_head.npz"
FITTED_HEAD = "stance_head.skops"  # the same head already fitted (optional)

# The stance classes are rare (a few percent of scored rows each). Square-root balancing (weights
# proportional to 1 / sqrt(class frequency)) keeps them heard without making the head say `expresses` for
# everything; the calibration turns its outputs back into probabilities.
CLASS_WEIGHT_POWER = 0.5


def _class_weights(labels: np.ndarray) -> dict[int, float]:
    counts = np.bincount(labels.astype(np.int64), minlength=3)
    present = [c for c in range(3) if counts[c]]
    n = float(counts.sum())
    return {c: (n / (len(present) * float(counts[c]))) ** CLASS_WEIGHT_POWER for c in present}


class StanceHead:
    """The cross-stance classifier over StanceFeatures: calibrated label probabilities from a feature row."""

    def __init__(
        self,
        features: np.ndarray,
        labels: np.ndarray,
        domains: Iterable[str] = (),
        calibration: Calibration | None = None,
        fitted: Any = None,
    ) -> None:
        width = len(StanceFeatures.names())
        if features.shape[1] != width:
            raise ValueError(
                f"stance head table has {features.shape[1]} features (expected {width}); "
                "retrain it with scripts/train_head.py"
            )
        # The domains (rule-file fingerprints) whose labelled rows trained the head: eval holds a timeline's
        # own domain out when the head saw it.
        self.domains = frozenset(str(d) for d in domains)
        self.calibration = calibration
        self.medians = np.median(features, axis=0)  # the neutral values `explain` substitutes
        # `fitted`: the same model already fitted on exactly these rows (the shipped one, saved by
        # scripts/train_head.py), which saves the fit at start-up.
        self._model: Any = fitted if fitted is not None else self._fit(features, labels)
        # Column order of predict_proba for labels 0=none, 1=expresses, 2=denies.
        self._columns = [
            list(self._model.classes_).index(c) if c in self._model.classes_ else -1 for c in range(3)
        ]

    @staticmethod
    def _fit(features: np.ndarray, labels: np.ndarray) -> Any:
        from sklearn.ensemble import HistGradientBoostingClassifier

        model = HistGradientBoostingClassifier(
            max_iter=200,
            learning_rate=0.08,
            max_leaf_nodes=15,
            min_samples_leaf=40,
            l2_regularization=5.0,  # smaller, smoother trees transfer better to unseen domains
            class_weight=_class_weights(labels),
            # No early stopping: it would hold out a random tenth of the rows, so the head would hang on
            # that draw. Without it the head is deterministic and uses every row.
            early_stopping=False,
        )
        with threadpool_limits(1):  # OpenMP spin-waits crawl when the model shares the cores
            return model.fit(features, labels)

    @classmethod
    def from_table(cls, path: str | Path | None = None, *, without_domain: str | None = None) -> StanceHead:
        """Fit the head from a feature table (.npz); default: the one shipped with the package.

        `without_domain` (a rules fingerprint) leaves that domain's rows out, for an honest figure on it.
        """
        if path is None:
            data = resources.files("monitor.data")
            with (
                resources.as_file(data / HEAD_TABLE) as table,
                resources.as_file(data / FITTED_HEAD) as fitted,
            ):
                if without_domain:
                    return cls._from_npz(np.load(table), without_domain)
                return cls._from_npz(np.load(table), None, load_fitted(fitted, table))
        return cls._from_npz(np.load(path), without_domain)

    @classmethod
    def _from_npz(cls, data: Any, without_domain: str | None, fitted: Any = None) -> StanceHead:
        # Columns are read by position: a table of the same width but other names is another vector.
        if "feature_names" in data.files and tuple(data["feature_names"]) != StanceFeatures.names():
            raise ValueError(
                "stance head table's feature names differ from StanceFeatures; retrain it with "
                "scripts/train_head.py"
            )
        features, labels = data["X"], data["y"]
        domains = data["domains"] if "domains" in data.files else np.full(len(labels), "")
        calibration = (
            Calibration(data["calibration_coef"], data["calibration_intercept"])
            if "calibration_coef" in data.files
            else None
        )
        if without_domain and "held_out_domains" in data.files:
            # the map fitted without this domain's predictions, so no label of it is used at all
            names = data["held_out_domains"].tolist()
            if without_domain in names:
                i = names.index(without_domain)
                calibration = Calibration(data["held_out_coef"][i], data["held_out_intercept"][i])
        keep = domains != without_domain if without_domain else np.ones(len(labels), dtype=bool)
        return cls(
            features[keep],
            labels[keep],
            domains=set(domains[keep].tolist()),
            calibration=calibration,
            fitted=fitted,
        )

    def save_fitted(self, path: Path, table: Path) -> None:
        """Save the fitted trees for `table` (skops: no pickle, loads only the types it expects)."""
        import sklearn
        import skops.io

        record = {"model": self._model, "table_sha256": _sha256(table), "sklearn": sklearn.__version__}
        skops.io.dump(record, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)

    def raw_probabilities(self, features: np.ndarray) -> np.ndarray:
        """The boosted trees' probabilities (none, expresses, denies), before calibration."""
        with threadpool_limits(1):
            raw = self._model.predict_proba(features)
        out = np.zeros((len(features), 3))
        for label, column in enumerate(self._columns):
            if column >= 0:
                out[:, label] = raw[:, column]
        return out

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probabilities (none, expresses, denies): the same meaning for every stance."""
        raw = self.raw_probabilities(features)
        return self.calibration.apply(raw) if self.calibration is not None else raw


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# The only type a fitted head holds beyond plain sklearn estimators and numpy arrays.
_TRUSTED_HEAD_TYPES = ["sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor"]


def load_fitted(path: Path, table: Path) -> Any:
    """The shipped fitted trees, or None when they cannot be trusted to be the fit of `table` under this
    scikit-learn (another version, another table, a missing or unreadable file): the caller fits instead."""
    import sklearn
    import skops.io

    if not path.exists():
        return None
    try:
        untrusted = set(skops.io.get_untrusted_types(file=path)) - set(_TRUSTED_HEAD_TYPES)
        if untrusted:
            logger.warning(
                "fitted stance head %s holds unexpected types %s; fitting instead", path, untrusted
            )
            return None
        record = skops.io.load(path, trusted=_TRUSTED_HEAD_TYPES)
    except Exception as exc:  # a corrupt file must not stop the process: the table still fits a head
        logger.warning("fitted stance head %s unreadable (%s); fitting instead", path, exc)
        return None
    if record.get("sklearn") != sklearn.__version__ or record.get("table_sha256") != _sha256(table):
        logger.info("fitted stance head is for another scikit-learn or table; fitting from the table")
        return None
    return record["model"]
