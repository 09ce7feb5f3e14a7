"""Measure one seeded database under gunicorn: every page in bench/pages.py, and the floor.

    python -m bench.measure --database-url URL [--workers 3|auto] [--seconds 5]
        [--concurrency 1,8,32] [--sweep-workers 2,3,4]

bench.run starts this once per database, after bench.seed_large. It collects the static files,
signs each demo user in over HTTP (Morag with her 6-digit code) on a gunicorn of its own, waits
for the machine to be quiet, starts the measured gunicorn, then hands a plan to the load client
(bench.load, its own process) and reads back one line per page and level. The floor
(`/healthz`) is measured first and again last, so drift during the run shows.
After the load it counts each page's SQL queries in this process with Django's test client
(one warm request, then the fewest of three), and stops the server. The last line on stdout is
the result as JSON.

With --sweep-workers, the person page is first driven at the most clients under each worker
count; `--workers auto` then takes the count with the lowest p95 there, or the fewest workers
within 10% of it (each worker holds its own memory and database connection).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

from .pages import FLOOR, PAGES, Page
from .server import (
    DATA_DIR,
    ROOT,
    Server,
    configure_django,
    demo_sign_ins,
    environment,
    new_secret_key,
    sign_in,
)

DEFAULT_WORKERS = 2  # what the sweep picked on this 2-core machine; see bench/README.md
DEFAULT_SECONDS = 5.0
DEFAULT_CONCURRENCY = (1, 8, 32)
SWEEP_PAGE = "/people/{sam_person_id}/"
# Wait up to two minutes for the machine to be no more than half busy before timing.
DEFAULT_QUIET_LOAD = 0.5 * (os.cpu_count() or 1)
DEFAULT_QUIET_WAIT = 120.0


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def resolve(pages: list[Page], values: dict[str, object]) -> list[dict[str, Any]]:
    return [
        {
            "key": f"{page.user or 'signed out'} {page.path.format(**values)}",
            "path": page.path.format(**values),
            "page": page.path,
            "user": page.user or "",
            "module": page.module,
        }
        for page in pages
    ]


def sign_in_all(port: int, users: set[str]) -> dict[str, str]:
    """A Cookie header per user, signed in over HTTP. Sessions live in the database, so one
    sign-in serves every server this process starts (the secret key stays the same)."""
    known = demo_sign_ins()
    cookies = {}
    for username in sorted(users):
        passphrase, key = known[username]
        cookies[username] = sign_in(port, username, passphrase, key)
    return cookies


def run_load(plan: dict[str, Any], on_line: Any = None) -> list[dict[str, Any]]:
    """Start the load client in its own process and collect its lines."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.load"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(json.dumps(plan))
    process.stdin.close()
    lines = []
    for raw in process.stdout:
        line = json.loads(raw)
        lines.append(line)
        if on_line is not None:
            on_line(line)
    if process.wait() != 0:
        raise RuntimeError(f"the load client failed (exit code {process.returncode})")
    return lines


def _progress(line: dict[str, Any]) -> None:
    _log(
        f"  {line['key'][:60]:60s} c={line['concurrency']:<3d} "
        f"median {line['median_ms'] or 0:7.1f} ms  p95 {line['p95_ms'] or 0:7.1f} ms  "
        f"{line['rps']:6.1f}/s  cpu {line['server_cpu_ms_per_request'] or 0:6.1f} ms  "
        f"{line['status']}"
    )


def sweep_workers(
    env: dict[str, str],
    counts: list[int],
    path: str,
    cookie: str,
    *,
    seconds: float,
    concurrency: int,
) -> list[dict[str, Any]]:
    """The person page at `concurrency` clients under each worker count."""
    results = []
    for workers in counts:
        with Server(env, workers=workers, log_path=DATA_DIR / "gunicorn.log") as server:
            plan = {
                "port": server.port,
                "warm": 2 * workers,
                "seconds": seconds,
                "concurrency": [concurrency],
                "pages": [{"key": f"workers={workers}", "path": path, "cookie": cookie}],
                "server_pids": server.worker_pids(),
            }
            (line,) = run_load(plan, _progress)
            results.append({"workers": workers} | line)
    return results


def code_version() -> dict[str, Any]:
    """Which code the server ran: the commit, and how many files differed from it (others may
    be changing the tree while the bench runs)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.splitlines()
    except OSError:
        return {}
    return {"commit": commit, "changed_files": len(changed)}


def wait_for_quiet(threshold: float, longest: float) -> float:
    """On a shared machine, wait (up to `longest` seconds) for the one-minute load average
    to fall below `threshold`, so other work disturbs the timings less. Returns the wait."""
    started = time.monotonic()
    while time.monotonic() - started < longest and os.getloadavg()[0] >= threshold:
        time.sleep(5)
    waited = time.monotonic() - started
    if waited >= 5:
        _log(f"waited {waited:.0f}s for the load average to fall below {threshold:g}")
    return round(waited)


def choose_workers(sweep: list[dict[str, Any]]) -> int:
    """The fewest workers whose p95 is within 10% of the best p95 in the sweep."""
    best = min(row["p95_ms"] for row in sweep)
    return min(row["workers"] for row in sweep if row["p95_ms"] <= best * 1.1)


def count_queries(pages: list[dict[str, Any]]) -> dict[str, int]:
    """Each page's SQL queries: a warm request, then the fewest of three (a session touched
    once a minute adds a write now and then)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alongside.accounts.models import User
    from alongside.accounts.selectors import requires_two_factor

    clients: dict[str, Client] = {}
    counts = {}
    for page in pages:
        username = page["user"]
        if username not in clients:
            client = Client()
            if username:
                user = User.objects.get(username=username)
                client.force_login(user, backend="alongside.accounts.backends.UsernameBackend")
                if requires_two_factor(user):
                    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
                    session = client.session
                    session["otp_device_id"] = device.persistent_id
                    session.save()
            clients[username] = client
        client = clients[username]
        client.get(page["path"])
        seen = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page["path"])
            if response.status_code != 200:
                raise RuntimeError(f"{page['key']} answered {response.status_code} in-process")
            seen.append(len(captured.captured_queries))
        counts[page["key"]] = min(seen)
    return counts


def measure(
    *,
    database_url: str,
    workers: int | None = DEFAULT_WORKERS,
    threads: int = 1,
    seconds: float = DEFAULT_SECONDS,
    concurrency: tuple[int, ...] = DEFAULT_CONCURRENCY,
    sweep: list[int] | None = None,
    warm: int | None = None,
    quiet_load: float = DEFAULT_QUIET_LOAD,
    quiet_wait: float = DEFAULT_QUIET_WAIT,
) -> dict[str, Any]:
    secret_key = new_secret_key()
    configure_django(database_url, secret_key)
    from django.core.management import call_command
    from django.db import connection, connections

    from .pages import placeholders

    call_command("collectstatic", interactive=False, verbosity=0)
    values = placeholders()
    pages = resolve(PAGES, values)
    floor = resolve([FLOOR], values)[0]
    connections.close_all()
    env = environment(database_url, secret_key)
    users = {p["user"] for p in pages if p["user"]}

    result: dict[str, Any] = {
        "database": connection.vendor,
        "load_average_before": round(os.getloadavg()[0], 2),
    }
    if threads > 1:
        result["threads"] = threads
    # Signed in on a server of its own: checking a passphrase with Argon2 takes 100 MiB for
    # a moment, which would otherwise show in the measured workers' peak memory.
    with Server(env, workers=1, log_path=DATA_DIR / "gunicorn.log") as server:
        cookies = sign_in_all(server.port, users)
    result["waited_for_quiet_seconds"] = wait_for_quiet(quiet_load, quiet_wait)
    result["load_average_at_start"] = round(os.getloadavg()[0], 2)
    if sweep:
        _log(f"workers: the person page at {max(concurrency)} clients, {seconds:g}s each")
        sweep_path = SWEEP_PAGE.format(**values)
        result["worker_sweep"] = sweep_workers(
            env,
            sweep,
            sweep_path,
            cookies["priya"],
            seconds=seconds,
            concurrency=max(concurrency),
        )
    if workers is None:
        workers = choose_workers(result["worker_sweep"]) if sweep else DEFAULT_WORKERS
        result["workers_chosen_by"] = "sweep" if sweep else "default"
    result["workers"] = workers
    result["code"] = code_version()
    server = Server(env, workers=workers, threads=threads, log_path=DATA_DIR / "gunicorn.log")
    started = time.perf_counter()
    with server:
        plan_pages = (
            [floor | {"key": "floor"}]
            + [p | {"cookie": cookies.get(p["user"], "")} for p in pages]
            + [floor | {"key": "floor_end"}]
        )
        plan = {
            "port": server.port,
            "warm": warm if warm is not None else 2 * workers * threads,
            "seconds": seconds,
            "concurrency": list(concurrency),
            "pages": plan_pages,
            "server_pids": server.worker_pids(),
        }
        _log(
            f"{len(pages)} pages and the floor at {', '.join(map(str, concurrency))} clients, "
            f"{seconds:g}s each, gunicorn with {workers} workers"
        )
        lines = run_load(plan, _progress)
        result["worker_peak_rss_mb"] = server.worker_memory_mb("VmHWM")
        result["worker_rss_mb"] = server.worker_memory_mb("VmRSS")
    result["load_average_after"] = round(os.getloadavg()[0], 2)
    result["load_seconds"] = round(time.perf_counter() - started, 1)

    by_key: dict[str, dict[str, dict[str, Any]]] = {}
    for line in lines:
        key = line.pop("key")
        by_key.setdefault(key, {})[str(line["concurrency"])] = line
    result["floor"] = by_key.pop("floor")
    result["floor_end"] = by_key.pop("floor_end")
    queries = count_queries(pages + [floor])
    result["floor_queries"] = queries[floor["key"]]
    for page in pages:
        levels = by_key[page["key"]]
        for level, row in levels.items():
            floor_median = result["floor"][level]["median_ms"]
            median = row["median_ms"]
            row["ratio_to_floor"] = (
                round(median / floor_median, 2) if median and floor_median else None
            )
        page["queries"] = queries[page["key"]]
        page["levels"] = levels
        page["status"] = "ok" if all(r["status"] == "ok" for r in levels.values()) else "failed"
    result["pages"] = pages
    floor_ok = all(r["status"] == "ok" for r in [*result["floor"].values()])
    pages_ok = all(p["status"] == "ok" for p in pages)
    result["status"] = "ok" if floor_ok and pages_ok else "failed"
    return result


def _ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure", description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", default=str(DEFAULT_WORKERS), help="a number, or auto")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=DEFAULT_SECONDS)
    parser.add_argument("--concurrency", default=",".join(map(str, DEFAULT_CONCURRENCY)))
    parser.add_argument("--sweep-workers", default="")
    parser.add_argument("--warm", type=int, default=None, help="untimed requests per page")
    parser.add_argument("--quiet-load", type=float, default=DEFAULT_QUIET_LOAD)
    parser.add_argument("--quiet-wait", type=float, default=DEFAULT_QUIET_WAIT)
    args = parser.parse_args(argv)
    result = measure(
        database_url=args.database_url,
        workers=None if args.workers == "auto" else int(args.workers),
        threads=args.threads,
        seconds=args.seconds,
        concurrency=tuple(_ints(args.concurrency)),
        sweep=_ints(args.sweep_workers) or None,
        warm=args.warm,
        quiet_load=args.quiet_load,
        quiet_wait=args.quiet_wait,
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
