"""The listening theme engine, put to convening's use: where might a shared barrier belong?

Two suggestions, both only ever suggestions (a convener's choice is never overwritten, see
`services.themes`):

- `closest`: for each barrier, the existing system theme whose words are nearest its own,
  and how near (cosine closeness, stored on an engine's placement). A theme is represented by
  its title and summary together with the words of (a bounded number of) its barriers.
- `new_themes`: when there are no system themes yet, groups of the unplaced barriers, named
  by the engine's labels, for a convener to accept.

Only redacted words reach the engine: its keywords and labels are shown to conveners. The
engine's libraries (numpy, scikit-learn) are imported when a suggestion is made, never when the
site starts (tests/test_light_imports.py). No model download: the static word vectors shipped
with listening when they are there, TF-IDF otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# Below this closeness a barrier shares too little with every theme to suggest one. Word
# vectors find some closeness between any two sentences; TF-IDF only where words are shared.
MIN_CLOSENESS = {"minilm": 0.2, "static": 0.15, "tfidf": 0.05}
# How much of a theme's representation is its title and summary; the rest is its barriers.
TITLE_WEIGHT = 0.5
# At most this many barriers are suggested in one go ("Suggest places" stays quick).
MAX_AT_ONCE = 2000
# At most this many of a theme's own barriers describe it.
MEMBERS_PER_THEME = 50


@dataclass(frozen=True)
class Closest:
    theme: int  # index into the themes given
    closeness: float


@dataclass(frozen=True)
class ThemeWords:
    """What a system theme is, in words: its title (and summary), and some of its barriers."""

    title: str
    members: Sequence[str] = ()


@dataclass(frozen=True)
class NewTheme:
    label: str
    keywords: list[str]
    members: list[int]  # indices into the texts given


def method() -> str:
    from alongside.listening import themes as engine

    return engine.default_method()


def _embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length rows (a zero row for a text with no usable word), all in one space."""
    import numpy as np
    from scipy import sparse

    from alongside.listening import themes as engine

    matrix = engine.METHODS[method()](list(texts))
    dense = matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)
    return dense.astype(np.float64)


def _unit(row: np.ndarray) -> np.ndarray:
    import numpy as np

    norm = float(np.linalg.norm(row))
    return row / norm if norm > 0 else row


def closest(
    barriers: Sequence[str],
    themes: Sequence[ThemeWords],
    allowed: Sequence[Sequence[int]] | None = None,
) -> list[Closest | None]:
    """For each barrier text, the nearest theme and its closeness, or None when it shares
    too little with every theme (or has no usable word). `allowed`, when given, lists for each
    barrier the themes it may go in (a theme that gathers only its own organisation's
    barriers cannot take another's). Deterministic: a tie goes to the theme given first."""
    import numpy as np

    if not barriers or not themes:
        return [None] * len(barriers)
    texts = list(barriers)
    spans: list[tuple[int, int, int]] = []  # (title row, first member row, end)
    for theme in themes:
        title_row = len(texts)
        texts.append(theme.title)
        texts.extend(list(theme.members)[:MEMBERS_PER_THEME])
        spans.append((title_row, title_row + 1, len(texts)))
    x = _embed(texts)
    centres = np.zeros((len(themes), x.shape[1]))
    for i, (title_row, first, end) in enumerate(spans):
        title = x[title_row]
        members = x[first:end]
        members = members[np.linalg.norm(members, axis=1) > 0]
        if members.shape[0] == 0:
            centres[i] = _unit(title)
        elif not np.any(title):
            centres[i] = _unit(members.mean(axis=0))
        else:
            mean = _unit(members.mean(axis=0))
            centres[i] = _unit(TITLE_WEIGHT * title + (1 - TITLE_WEIGHT) * mean)
    sims = x[: len(barriers)] @ centres.T
    if allowed is not None:
        mask = np.full(sims.shape, -np.inf)
        for row, indices in enumerate(allowed):
            mask[row, list(indices)] = 0.0
        sims = sims + mask
    floor = MIN_CLOSENESS.get(method(), 0.05)
    out: list[Closest | None] = []
    for row in sims:
        best = int(np.argmax(row))
        value = float(row[best])
        out.append(Closest(best, round(value, 4)) if value > floor else None)
    return out


def new_themes(texts: Sequence[str], *, seed: int = 0) -> list[NewTheme]:
    """Groups of barriers that say similar things, each named from its keywords; what fits no
    group is left out (it stays "not yet in a theme"). Deterministic for a seed."""
    from alongside.listening import themes as engine

    if len(texts) < 2:
        return []
    suggestion = engine.suggest(list(texts), seed=seed)
    return [
        NewTheme(label=theme.label, keywords=list(theme.keywords), members=list(theme.members))
        for theme in suggestion.themes
        if len(theme.members) >= 2
    ]
