"""Static word vectors distilled from the sentence model all-MiniLM-L6-v2.

Built once by scripts/build_static_embeddings.py (see its docstring and
docs/listening-themes.md); at run time a contribution's vector is the SIF-weighted sum of its
content words' vectors, normalised. Needs numpy only: no PyTorch, no download."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .text import content_words

VECTORS_DIR = Path(__file__).resolve().parent / "vectors"
VECTORS_FILE = VECTORS_DIR / "minilm_static.npz"
VOCAB_FILE = VECTORS_DIR / "minilm_static_vocab.txt"
# As in the model's WordPiece tokeniser: longer words are unknown.
MAX_WORD_LENGTH = 100


@dataclass(frozen=True)
class StaticVectors:
    vectors: np.ndarray  # (tokens, dims) float32, the SIF weight already applied
    index: dict[str, int]
    meta: dict

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])


def available() -> bool:
    return VECTORS_FILE.is_file() and VOCAB_FILE.is_file()


@lru_cache(maxsize=1)
def load() -> StaticVectors:
    with np.load(VECTORS_FILE, allow_pickle=False) as data:
        scales = data["scales"].astype(np.float32)
        weights = data["weights"].astype(np.float32)
        vectors = data["vectors"].astype(np.float32) * (scales * weights)[:, None]
        meta = json.loads(str(data["meta"]))
    tokens = VOCAB_FILE.read_text(encoding="utf-8").split()
    if len(tokens) != vectors.shape[0]:
        raise ValueError(f"{VOCAB_FILE.name} and {VECTORS_FILE.name} do not match")
    return StaticVectors(vectors=vectors, index={t: i for i, t in enumerate(tokens)}, meta=meta)


def word_pieces(word: str, index: dict[str, int]) -> list[int]:
    """Greedy longest-match-first WordPiece, as the model's tokeniser splits a word."""
    if len(word) > MAX_WORD_LENGTH:
        return []
    pieces: list[int] = []
    start = 0
    while start < len(word):
        end = len(word)
        found = None
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in index:
                found = index[piece]
                break
            end -= 1
        if found is None:
            return []  # the tokeniser makes the whole word [UNK], which carries nothing
        pieces.append(found)
        start = end
    return pieces


def embed(texts: Sequence[str]) -> np.ndarray:
    """One unit-length row per text; a zero row when none of its words are known."""
    model = load()
    pieces_of: dict[str, list[int]] = {}
    out = np.zeros((len(texts), model.dims), dtype=np.float32)
    for row, text in enumerate(texts):
        ids: list[int] = []
        for word in content_words(text):
            if word not in pieces_of:
                pieces_of[word] = word_pieces(word, model.index)
            ids.extend(pieces_of[word])
        if ids:
            out[row] = model.vectors[ids].sum(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out
