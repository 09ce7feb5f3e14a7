"""Seed a large organisation on each database, measure the key pages under gunicorn, time the
listening jobs; write bench/results/<name>.json and <name>.md.

    python -m bench.run --people 10000 --name default          (what `make bench` runs)
    python -m bench.run --people 300 --seconds 2 --name quick --databases sqlite

For each database (PostgreSQL at --postgres-url and SQLite under bench/.data/, both made
afresh): bench.seed_large migrates and seeds (its own process: its peak memory is the seed's),
then bench.measure collects the static files, starts gunicorn, signs the demo users in over
HTTP and drives every page in bench/pages.py and the floor (`/healthz`) at each concurrency
with the load client (bench.load, a process of its own), then counts each page's queries.
Then bench.jobs times MiniLM embedding, theme suggestion at each size and method, and
redaction, each in its own process; last, bench.insight imports and analyses 10 million
invented service records (area insight), each step in its own process; then bench.network
times the network's directory search and Open Referral UK API at 5,000 published services, on
a database of its own beside each of the run's (`--no-network` skips it). Every page must
answer 200, or the run exits non-zero.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import report
from .measure import (
    DEFAULT_CONCURRENCY,
    DEFAULT_QUIET_LOAD,
    DEFAULT_QUIET_WAIT,
    DEFAULT_SECONDS,
    DEFAULT_WORKERS,
)
from .server import DATA_DIR, ROOT, reset_database, sqlite_url, vendor

RESULTS_DIR = ROOT / "bench" / "results"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench")
THEME_SIZES = (2000, 20000)
REDACTION_SIZES = (2000, 20000)
THEME_METHODS = ("minilm", "static", "tfidf")
# Area insight's service records: 1,000 for each person of the run, so `make bench` (10,000
# people) times 10 million and a smoke run of 40 people a quick 40,000.
INSIGHT_ROWS_PER_PERSON = 1000
INSIGHT_ROWS = 10_000_000
# The network's directory: 5,000 published services in `make bench` (10,000 people), and a
# handful in a smoke run.
NETWORK_SERVICES = 5000
NETWORK_SERVICES_LEAST = 50
PEOPLE_PER_SERVICE = 2


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _python(module: str, *args: str) -> dict[str, Any]:
    """Run `python -m module args` (its progress goes to our stderr); the last line it prints
    is its result as JSON."""
    completed = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    if completed.returncode != 0:
        raise RuntimeError(f"python -m {module} {' '.join(args)} failed ({completed.returncode})")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_average_before": round(os.getloadavg()[0], 2),
    }


def database_urls(args: argparse.Namespace) -> list[str]:
    if args.database_url:
        return [args.database_url]
    urls = []
    for name in args.databases.split(","):
        name = name.strip()
        if name == "postgresql":
            urls.append(args.postgres_url)
        elif name == "sqlite":
            urls.append(sqlite_url(DATA_DIR / f"{args.name}.sqlite3"))
        elif name:
            raise SystemExit(f"Unknown database {name!r}: choose from postgresql, sqlite.")
    return urls


def bench_database(url: str, args: argparse.Namespace, workers: str) -> dict[str, Any]:
    _log(f"\n== {vendor(url)}: a fresh database, {args.people:,} people")
    reset_database(url)
    seed_args = ["--people", str(args.people), "--database-url", url]
    for flag in ("coaches", "conversations", "check_ins", "contributions"):
        value = getattr(args, flag)
        if value is not None:
            seed_args += [f"--{flag.replace('_', '-')}", str(value)]
    seed = _python("bench.seed_large", *seed_args)
    _log(f"seeded in {seed['seconds']:.1f}s: {seed['counts']}")
    measure_args = [
        "--database-url",
        url,
        "--workers",
        workers,
        "--threads",
        str(args.threads),
        "--seconds",
        str(args.seconds),
        "--concurrency",
        args.concurrency,
    ]
    if workers == "auto" and args.sweep_workers:
        measure_args += ["--sweep-workers", args.sweep_workers]
    if args.warm is not None:
        measure_args += ["--warm", str(args.warm)]
    measure_args += ["--quiet-load", str(args.quiet_load), "--quiet-wait", str(args.quiet_wait)]
    run = _python("bench.measure", *measure_args)
    run["seed"] = seed
    levels = [row for page in run["pages"] for row in page["levels"].values()]
    levels += list(run["floor"].values()) + list(run["floor_end"].values())
    busy = sum(row["seconds"] for row in levels)
    run["client_cpu_share"] = round(sum(r["client_cpu_seconds"] for r in levels) / busy, 3)
    run["misses"] = report.misses(run)
    return run


def jobs(args: argparse.Namespace) -> dict[str, Any]:
    _log("\n== listening jobs")
    themes_sizes = _ints(args.themes_sizes)
    methods = [m.strip() for m in args.theme_methods.split(",") if m.strip()]
    embedded = min([2000, *themes_sizes])
    result: dict[str, Any] = {}
    if "minilm" in methods:
        result["embed"] = _python("bench.jobs", "embed", "--size", str(embedded))
        _log(f"  embed: {result['embed']}")
    result["themes"] = []
    for size in themes_sizes:
        for method in methods:
            repeat = "3" if size <= 2000 else "1"
            row = _python(
                "bench.jobs",
                "themes",
                "--size",
                str(size),
                "--method",
                method,
                "--repeat",
                repeat,
                "--embedded",
                str(embedded),
            )
            _log(f"  themes: {row}")
            result["themes"].append(row)
    result["redaction"] = []
    for size in _ints(args.redaction_sizes):
        repeat = "3" if size <= 2000 else "1"
        row = _python("bench.jobs", "redaction", "--size", str(size), "--repeat", repeat)
        _log(f"  redaction: {row}")
        result["redaction"].append(row)
    return result


def insight(args: argparse.Namespace) -> dict[str, Any]:
    """Area insight at scale (bench/insight.py): import and analyse --insight-rows records,
    each step in its own process; its own results go to results/insight.json and .md too."""
    name = "insight" if args.name == "default" else f"{args.name}-insight"
    return _python(
        "bench.insight",
        "--rows",
        str(args.insight_rows),
        "--name",
        name,
        "--out",
        str(args.out),
    )


def network(args: argparse.Namespace, workers: Any) -> dict[str, Any]:
    """The network's directory at --network-services services (bench/network.py), on a
    database of its own beside each of the run's; its own results go to results/network.json
    and .md too."""
    from .network import network_database_url

    name = "network" if args.name == "default" else f"{args.name}-network"
    command = ["--services", str(args.network_services), "--name", name, "--out", str(args.out)]
    command += ["--seconds", str(args.seconds), "--concurrency", args.concurrency]
    command += ["--workers", str(workers if str(workers).isdigit() else DEFAULT_WORKERS)]
    for url in database_urls(args):
        command += ["--database-url", network_database_url(url)]
    return _python("bench.network", *command, "--exit-zero")


def markdown(result: dict[str, Any]) -> str:
    text = report.markdown(result)
    if "insight" in result:
        from .insight import summary_line

        text += f"\n## Area insight\n\n{summary_line(result['insight'])}\n"
    if "network" in result:
        from .network import summary_line as network_line

        text += f"\n## The network's directory\n\n{network_line(result['network'])}\n"
    return text


def write(result: dict[str, Any], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{result['name']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    (out_dir / f"{result['name']}.md").write_text(markdown(result))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--name", default="default", help="results file name")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="results folder")
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="dropped and made again")
    parser.add_argument("--database-url", default=None, help="measure only this database")
    parser.add_argument("--seconds", type=float, default=DEFAULT_SECONDS, help="per level")
    parser.add_argument("--concurrency", default=",".join(map(str, DEFAULT_CONCURRENCY)))
    parser.add_argument(
        "--workers",
        default="auto",
        help=f"gunicorn workers; auto: the sweep's pick on the first database ({DEFAULT_WORKERS} "
        "without a sweep), then the same on the others",
    )
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument(
        "--sweep-workers",
        default="2,3,4",
        help="the person page at the most clients under each worker count first (PostgreSQL)",
    )
    parser.add_argument("--warm", type=int, default=None, help="untimed requests per page")
    parser.add_argument(
        "--quiet-load",
        type=float,
        default=DEFAULT_QUIET_LOAD,
        help="before timing, wait for the 1-minute load average to fall below this",
    )
    parser.add_argument("--quiet-wait", type=float, default=DEFAULT_QUIET_WAIT, help="seconds")
    parser.add_argument("--coaches", type=int, default=None)
    parser.add_argument("--conversations", type=int, default=None, help="per person (50)")
    parser.add_argument("--check-ins", type=int, default=None, help="per person (10)")
    parser.add_argument("--contributions", type=int, default=None, help="(2,000)")
    parser.add_argument("--themes-sizes", default=",".join(map(str, THEME_SIZES)))
    parser.add_argument("--theme-methods", default=",".join(THEME_METHODS))
    parser.add_argument("--redaction-sizes", default=",".join(map(str, REDACTION_SIZES)))
    parser.add_argument("--no-jobs", action="store_true", help="skip the listening jobs")
    parser.add_argument(
        "--insight-rows",
        type=int,
        default=None,
        help="service records the insight import and analysis are timed at (default: 1,000 "
        f"per person, at most {INSIGHT_ROWS:,})",
    )
    parser.add_argument("--no-insight", action="store_true", help="skip area insight")
    parser.add_argument(
        "--network-services",
        type=int,
        default=None,
        help="published services the network's directory search and API are timed at "
        f"(default: one for every {PEOPLE_PER_SERVICE} people, at least {NETWORK_SERVICES_LEAST}"
        f", at most {NETWORK_SERVICES:,})",
    )
    parser.add_argument("--no-network", action="store_true", help="skip the network's directory")
    args = parser.parse_args(argv)
    if args.insight_rows is None:
        args.insight_rows = min(INSIGHT_ROWS, args.people * INSIGHT_ROWS_PER_PERSON)
    if args.network_services is None:
        args.network_services = min(
            NETWORK_SERVICES, max(NETWORK_SERVICES_LEAST, args.people // PEOPLE_PER_SERVICE)
        )

    started = time.perf_counter()
    result: dict[str, Any] = {
        "name": args.name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            "people": args.people,
            "seconds": args.seconds,
            "concurrency": _ints(args.concurrency),
            "workers": args.workers,
            "threads": args.threads,
            "server": "gunicorn alongside.wsgi:application (sync workers), DEBUG off",
        },
        "goals": {
            "ratio_to_floor_at_1_client": report.GOAL_RATIO_AT_ONE,
            "p95_ms_at_32_clients_on_postgresql": report.GOAL_P95_MS,
        },
        "runs": [],
        "status": "running",
    }
    workers = args.workers
    for url in database_urls(args):
        run = bench_database(url, args, workers)
        result["runs"].append(run)
        result["settings"]["workers"] = run["workers"]
        workers = str(run["workers"])
        write(result, args.out)
    if not args.no_jobs:
        result["jobs"] = jobs(args)
    if not args.no_insight:
        result["insight"] = insight(args)
    if not args.no_network:
        result["network"] = network(args, result["settings"]["workers"])
    ok = all(run["status"] == "ok" for run in result["runs"])
    ok = ok and result.get("network", {}).get("status", "ok") == "ok"
    result["status"] = "ok" if ok else "failed"
    result["seconds"] = round(time.perf_counter() - started)
    path = write(result, args.out)
    print(markdown(result))
    print(f"Written to {path} and {path.with_suffix('.md')}")
    if not ok:
        print("Some pages did not answer 200.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
