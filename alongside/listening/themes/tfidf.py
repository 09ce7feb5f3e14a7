"""TF-IDF vectors: the fallback that needs no model file at all."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .text import STOP_WORDS, normalise


def embed(texts: Sequence[str]) -> sparse.csr_matrix:
    """One unit-length row per text (sparse); a zero row when a text has no usable word.

    Words used by a single contribution cannot group anything, so they are left out once there
    are enough contributions for that to matter."""
    min_df = 2 if len(texts) >= 20 else 1
    vectoriser = TfidfVectorizer(
        preprocessor=normalise,
        token_pattern=r"[a-z0-9]{2,}",  # noqa: S106 (a regex, not a password)
        stop_words=sorted(STOP_WORDS),
        sublinear_tf=True,
        min_df=min_df,
        dtype=np.float32,
    )
    try:
        return vectoriser.fit_transform(texts).tocsr()
    except ValueError:
        # Raised when no text has a single usable word: every row is then a zero row.
        return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
