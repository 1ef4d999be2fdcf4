"""The ONNX Runtime embedding backends (monitor/onnx_backend.py) against the torch model they are exported from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from monitor.embedding import SentenceTransformerEmbedder

pytestmark = pytest.mark.model
pytest.importorskip("onnxruntime", reason="the onnx extra is not installed")

SENTENCES = [
    "Russia offered on Monday to mediate between Iran and Israel, the Kremlin said.",
    "Qatar ruled out any further role in the talks.",
    "Turkey condemned the strikes.",
    "The ministry did not comment.",
] * 3


def test_the_onnx_backends_embed_as_the_torch_model_does(
    embedder: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STANCE_MONITOR_CACHE_DIR", str(tmp_path))
    reference = embedder.embed(SENTENCES)
    onnx = SentenceTransformerEmbedder(backend="onnx", cache_size=0)
    same = np.sum(onnx.embed(SENTENCES) * reference, axis=1)
    assert same.min() > 0.999  # the same network, another runtime
    exported = sorted(p.name for p in tmp_path.rglob("*.onnx"))
    assert exported == ["model.onnx"]  # exported once into the cache, no half-written file left
    quantized = SentenceTransformerEmbedder(backend="onnx-int8", cache_size=0)
    close = np.sum(quantized.embed(SENTENCES) * reference, axis=1)
    assert close.min() > 0.9 and close.mean() > 0.95  # int8 weights move the vectors a little
    assert sorted(p.name for p in tmp_path.rglob("*.onnx")) == ["model-int8.onnx", "model.onnx"]


def test_an_unknown_backend_is_refused_with_the_variable_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STANCE_MONITOR_EMBEDDING_BACKEND", "tensorrt")
    with pytest.raises(ValueError, match="STANCE_MONITOR_EMBEDDING_BACKEND: expected one of torch, onnx"):
        SentenceTransformerEmbedder()
