"""Seed the synthetic demo at scale, then time each page in bench/pages.py.

    python -m bench.run --people 10000 --name default      (what `make bench` runs)
    python -m bench.run --people 200 --repeat 5 --name quick

Runs with production settings (DEBUG off) against its own SQLite file under bench/.data/,
unless --database-url points elsewhere. Writes bench/results/<name>.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / ".data"
RESULTS_DIR = ROOT / "bench" / "results"
SEED = 1


def _configure_environment(database_url: str) -> None:
    """Production settings, minus the HTTPS redirect and secure cookies the test client
    cannot follow. Must run before django.setup()."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["SECURE_COOKIES"] = "0"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # A throwaway key: the bench database holds nothing but invented people.
    os.environ["SECRET_KEY"] = "bench-" + secrets.token_urlsafe(40)


def _fresh_sqlite(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _client_for(username: str | None) -> Any:
    from django.test import Client

    client = Client()
    if username is None:
        return client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from alongside.accounts.models import User
    from alongside.accounts.selectors import requires_two_factor

    user = User.objects.get(username=username)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if requires_two_factor(user):
        # As tests/conftest.py does: mark the session as past two-factor.
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def _time_page(client: Any, path: str, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    warm = client.get(path)  # templates compiled, caches filled
    timings: list[float] = []
    queries: list[int] = []
    statuses = {warm.status_code}
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        timings.append(elapsed * 1000)
        queries.append(len(captured.captured_queries))
        statuses.add(response.status_code)
    ok = statuses == {200}
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_percentile(timings, 95), 2),
        "queries": max(queries),
        "status_code": 200 if ok else min(s for s in statuses if s != 200),
        "status": "ok" if ok else "failed",
    }


def run(
    *,
    people: int,
    repeat: int = 30,
    name: str = "default",
    out_dir: Path = RESULTS_DIR,
    database_url: str | None = None,
) -> dict[str, Any]:
    """Seed, time every page, write <out_dir>/<name>.json and return what was written."""
    if database_url is None:
        database_url = _fresh_sqlite(DATA_DIR / f"{name}.sqlite3")
    _configure_environment(database_url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # Production static files (manifest storage) need a collectstatic; keep it in .data.
    settings.STATIC_ROOT = DATA_DIR / "static"
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)

    from alongside.demo.seed import seed_demo

    from .pages import PAGES, placeholders

    started = time.perf_counter()
    report = seed_demo(people=people, seed=SEED)
    seed_seconds = time.perf_counter() - started

    values = placeholders()
    clients: dict[str | None, Any] = {}
    pages = []
    for page in PAGES:
        if page.user not in clients:
            clients[page.user] = _client_for(page.user)
        path = page.path.format(**values)
        timing = _time_page(clients[page.user], path, repeat)
        pages.append({"path": path, "page": page.path, "user": page.user or "", **timing})

    result = {
        "name": name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpu_count": os.cpu_count(),
        },
        "database": connection.vendor,
        "people": report.people,
        "seed": SEED,
        "seed_seconds": round(seed_seconds, 2),
        "repeat": repeat,
        "status": "ok" if all(p["status"] == "ok" for p in pages) else "failed",
        "pages": pages,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def table(result: dict[str, Any]) -> str:
    header = ("page", "user", "median ms", "p95 ms", "queries", "status")
    rows = [header] + [
        (
            p["path"],
            p["user"] or "(signed out)",
            f"{p['median_ms']:.1f}",
            f"{p['p95_ms']:.1f}",
            str(p["queries"]),
            p["status"] if p["status"] == "ok" else f"{p['status']} ({p['status_code']})",
        )
        for p in result["pages"]
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    numeric = {2, 3, 4}
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    summary = (
        f"{result['name']}: {result['people']} people on {result['database']}, "
        f"seeded in {result['seed_seconds']:.1f}s; {result['repeat']} requests per page "
        f"({result['machine']['cpu_count']} CPUs, Python {result['machine']['python']})"
    )
    return summary + "\n\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--name", default="default", help="results file name")
    parser.add_argument(
        "--themes-size", type=int, default=2000, help="contributions for the theme suggestion"
    )
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="results folder")
    parser.add_argument(
        "--database-url", default=None, help="default: a fresh SQLite file in bench/.data/"
    )
    args = parser.parse_args(argv)
    result = run(
        people=args.people,
        repeat=args.repeat,
        name=args.name,
        out_dir=args.out,
        database_url=args.database_url,
    )
    print(table(result))
    from . import themes

    result["themes"] = themes.run(size=args.themes_size, repeat=min(args.repeat, themes.REPEAT))
    (args.out / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n")
    print("\n" + themes.table(result["themes"]))
    print(f"\nWritten to {args.out / (args.name + '.json')}")
    if result["status"] != "ok":
        print("Some pages did not answer 200.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
