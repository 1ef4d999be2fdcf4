"""An ONNX Runtime backend for the sentence model, optionally int8-quantized (`STANCE_MONITOR_EMBEDDING_BACKEND`).

The transformer of the loaded sentence-transformers model is exported once with torch's ONNX exporter (and, for
`onnx-int8`, quantized with ONNX Runtime's dynamic int8 quantization) into a cache folder keyed by the model's
weights, then run with ONNX Runtime; tokenization, mean pooling and normalization stay as the model defines
them. Nothing is downloaded: the export is local. Needs the `onnx` extra (`pip install -e '.[onnx]'`).
How much faster it is, and what it costs in quality, is measured in BENCHMARKS.md.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

from monitor.types import Matrix

log = logging.getLogger(__name__)

BACKENDS = ("torch", "onnx", "onnx-int8")


def cache_root() -> Path:
    """STANCE_MONITOR_CACHE_DIR, else $XDG_CACHE_HOME/stance-monitor (default ~/.cache/stance-monitor)."""
    explicit = os.environ.get("STANCE_MONITOR_CACHE_DIR", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "stance-monitor"


class OnnxEncoder:
    """`encode(texts, batch_size)` -> normalized mean-pooled embeddings, as the torch model gives them."""

    def __init__(self, model: Any, *, quantized: bool, cache_dir: Path | None = None) -> None:
        try:
            import onnxruntime
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "the onnx embedding backends need onnxruntime and onnx: pip install -e '.[onnx]'"
            ) from exc
        pooling = model[1] if len(model) > 1 else None
        # `pooling_mode == "mean"` in sentence-transformers 6, `pooling_mode_mean_tokens` before
        mean = getattr(pooling, "pooling_mode", None) == "mean" or getattr(
            pooling, "pooling_mode_mean_tokens", False
        )
        if not mean:
            raise RuntimeError("the onnx embedding backends support mean-pooling sentence models only")
        self.tokenizer = model.tokenizer
        self.max_length = int(model.max_seq_length)
        folder = (cache_dir or cache_root()) / "onnx" / _fingerprint(model)
        path = folder / ("model-int8.onnx" if quantized else "model.onnx")
        if not path.exists():
            _export(model, folder, quantized)
        options = onnxruntime.SessionOptions()
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str], batch_size: int = 64) -> Matrix:
        out = np.zeros((len(texts), 0), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # little padding within a batch
        for start in range(0, len(texts), batch_size):
            chosen = order[start : start + batch_size]
            enc = self.tokenizer(
                [texts[i] for i in chosen],
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="np",
            )
            feeds = {k: v.astype(np.int64) for k, v in enc.items() if k in self.inputs}
            hidden = self.session.run(None, feeds)[0]
            mask = enc["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            if out.shape[1] == 0:
                out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            out[chosen] = pooled
        return out


def _fingerprint(model: Any) -> str:
    """The cache key: the transformer's weights, so another model or a new version is exported anew."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model[0].auto_model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().numpy().tobytes()[:4096])
    return digest.hexdigest()[:16]


def _export(model: Any, folder: Path, quantized: bool) -> None:
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    plain = folder / "model.onnx"
    if not plain.exists():
        log.warning("exporting the sentence model to ONNX in %s (once)", folder)
        transformer = model[0].auto_model.eval()

        class Hidden(torch.nn.Module):  # keyword arguments only: positional ones shift between versions
            def __init__(self) -> None:
                super().__init__()
                self.transformer = transformer

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                return self.transformer(
                    input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
                ).last_hidden_state

        sample = model.tokenizer(
            ["an example", "another example sentence"], padding=True, return_tensors="pt"
        )
        names = ["input_ids", "attention_mask", "token_type_ids"]
        axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]}
        temporary = folder / "model.onnx.tmp"
        torch.onnx.export(
            Hidden(),
            tuple(sample[name] for name in names),
            str(temporary),
            input_names=names,
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
        temporary.replace(plain)  # a process killed mid-export leaves no half file to load
    if quantized:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        temporary = folder / "model-int8.onnx.tmp"
        quantize_dynamic(str(plain), str(temporary), weight_type=QuantType.QInt8)
        temporary.replace(folder / "model-int8.onnx")
