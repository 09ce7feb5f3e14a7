"""Python function calls, queries and CPU per request for each bench page, in-process.

    .venv/bin/python -m bench.calls --database-url postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python -m bench.calls --database-url URL "priya /people/" --profile "priya /people/"

A database `make bench` seeded (or `python -m bench.seed_large`), read through Django's test
client with no HTTP server: each page's queries, its Python function calls (cProfile) and its
CPU time (the best of three runs of `--n`). The number of calls hardly moves when the machine is
busy, so it shows whether a change made a page cheaper when timings are too noisy to tell
(issue 11). `--profile KEY` prints where one page's time goes and writes `--out` for pstats.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from typing import Any

from .server import configure_django


def _client(username: str | None) -> Any:
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alongside.accounts.models import User
    from alongside.accounts.selectors import requires_two_factor

    client = Client()
    if username:
        user = User.objects.get(username=username)
        client.force_login(user, backend="alongside.accounts.backends.UsernameBackend")
        if requires_two_factor(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
    return client


def _counted(queries: list[str]) -> Any:
    """A database wrapper that notes each query it runs (it works with DEBUG off)."""

    def wrapper(execute: Any, sql: str, *rest: Any) -> Any:
        queries.append(sql)
        return execute(sql, *rest)

    return wrapper


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.calls", description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("only", nargs="*", help="pages whose 'user path' key contains this")
    parser.add_argument("--n", type=int, default=10, help="requests a timed run")
    parser.add_argument("--profile", default=None, help="a page's exact key: print its profile")
    parser.add_argument("--out", default="bench/.data/last.prof")
    args = parser.parse_args(argv)
    configure_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from .pages import FLOOR, PAGES, placeholders

    call_command("collectstatic", interactive=False, verbosity=0)
    values = placeholders()
    clients: dict[str | None, Any] = {}
    gc.freeze()
    for page in [FLOOR, *PAGES]:
        key = f"{page.user or '-'} {page.path}"
        if args.only and not any(part in key for part in args.only):
            continue
        client = clients.setdefault(page.user, _client(page.user))
        path = page.path.format(**values)
        for _ in range(2):
            answer = client.get(path, HTTP_HOST="127.0.0.1")
            if answer.status_code != 200:
                print(f"{key}: answered {answer.status_code}", file=sys.stderr)
                return 1
        queries: list[str] = []
        with connection.execute_wrapper(_counted(queries)):
            client.get(path, HTTP_HOST="127.0.0.1")
        profile = cProfile.Profile()
        profile.enable()
        client.get(path, HTTP_HOST="127.0.0.1")
        profile.disable()
        stats = pstats.Stats(profile)
        if args.profile == key:
            stats.dump_stats(args.out)
            stats.sort_stats("cumulative").print_stats("alongside/", 40)
        best = float("inf")
        for _ in range(3):
            began = time.process_time()
            for _ in range(args.n):
                client.get(path, HTTP_HOST="127.0.0.1")
            best = min(best, (time.process_time() - began) / args.n * 1000)
        print(
            f"{key:60s} queries {len(queries):3d}  "
            f"calls {stats.total_calls:7d}  CPU {best:6.1f} ms",  # type: ignore[attr-defined]
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
