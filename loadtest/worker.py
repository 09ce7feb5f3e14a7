"""`manage.py worker` with a stand-in for the sentence model, for the fault tests.

    python -m loadtest.worker [worker options...]

Everything is the real worker (alongside.core.management.commands.worker) except
`minilm.embed`: the real model takes about 13 ms a contribution on this kind of machine, so an
import of a few thousand rows would take minutes. The stand-in gives each text a unit vector
of the right size (the same one for the same words) and, with LOADTEST_EMBED_DELAY=seconds,
waits that long per batch, so an import takes a known few seconds and can be killed halfway.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Sequence

DIMS = 384  # alongside.listening.themes.minilm.DIMS (checked when installed)


def stand_in_embed(texts: Sequence[str], delay: float = 0.0):  # -> np.ndarray
    import numpy as np

    if delay > 0:
        time.sleep(delay)
    out = np.zeros((len(texts), DIMS), dtype=np.float32)
    for row, text in enumerate(texts):
        seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
        vector = np.random.default_rng(seed).standard_normal(DIMS).astype(np.float32)
        out[row] = vector / max(float(np.linalg.norm(vector)), 1e-12)
    return out


def use_stand_in_model() -> None:
    """Put the stand-in in place of the real model in this (Django) process."""
    from alongside.listening.themes import minilm

    assert minilm.DIMS == DIMS
    delay = float(os.environ.get("LOADTEST_EMBED_DELAY", "0") or 0)
    minilm.embed = lambda texts: stand_in_embed(texts, delay)
    minilm.available = lambda: True


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    import django

    django.setup()
    use_stand_in_model()
    from django.core.management import execute_from_command_line

    args = argv if argv is not None else sys.argv[1:]
    execute_from_command_line(["manage.py", "worker", *args])


if __name__ == "__main__":
    main()
