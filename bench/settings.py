"""The production settings, with the static files collected into bench/.data/static.

Everything else comes from alongside/settings.py and the environment bench.server sets
(DEBUG off, a throwaway SECRET_KEY, HTTPS redirect and secure cookies off for plain HTTP on
127.0.0.1). settings.py fixes STATIC_ROOT to the checkout's staticfiles/, which `make run`
and deployments own; the bench keeps its copy apart.
"""

import os
from pathlib import Path

from alongside.settings import *  # noqa: F403

# BENCH_STATIC_ROOT: another folder, so two runs at once (a test beside `make bench`) do not
# collect into the same one.
STATIC_ROOT = Path(
    os.environ.get("BENCH_STATIC_ROOT") or Path(__file__).resolve().parent / ".data" / "static"
)
