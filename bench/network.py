"""The network's directory at scale: 5,000 published services, searched on the public pages and
through the Open Referral UK API, under gunicorn.

    python -m bench.network                                   (SQLite, bench/.data/network.sqlite3)
    python -m bench.network --database-url postgres://postgres@127.0.0.1:5432/bench_network
    python -m bench.network --services 500 --seconds 1 --concurrency 1 --name network-quick

Two steps:

1. **Seed** (its own process, so its peak memory is its own): a fresh database, migrated; the
   demo's organisations (the Strengths Network and Northfield), four more invented areas, the
   network's own practice vocabulary, then `bulk_create` of `--services` published services
   across one organisation for every five, each organisation with a place; each service with
   a service area, a place, one or two opening times, a contact and two or three practice
   terms. Names and words come from the demo's directory (`alongside/demo/network.py`), so a
   search for "coaching" finds about a third of them, as it would in the demo.
2. **Measure**: `collectstatic`, gunicorn with `--workers` sync workers (DEBUG off, as
   bench.measure runs it), then the load client (`bench.load`) drives each URL below, and the
   floor (`/healthz`), at each concurrency for `--seconds`, after a warm-up: median, p95 and
   requests a second, every answer a 200 or the run fails. Then each URL's SQL queries,
   in-process (the fewest of three), and what the API said it found (`total_items`).

The URLs: the directory searched by words; by words with every filter (practice term, area,
age, day); a later page of one term; a service's page; `/openreferral/services?search=...`
at page 2 (and with a term); and `/openreferral/services/{id}`. The goals are the bench's own
(`report.py`): at one client within 10 times the floor's median, and on PostgreSQL a p95
under 250 ms at 32 clients. Results go to `results/<name>.json` and `results/<name>.md`; the
last line printed is the result as JSON, for bench.run.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from . import report
from .server import DATA_DIR, ROOT, sqlite_url, vendor

RESULTS_DIR = ROOT / "bench" / "results"
SERVICES = 5000
SERVICES_PER_ORGANISATION = 5
BATCH = 2000
DEFAULT_CONCURRENCY = (1, 8, 32)
DEFAULT_SECONDS = 5.0
DEFAULT_WORKERS = 2
SEARCH_WORDS = "coaching"
TERM = "Peer support"
DAY = "WE"
AGE = 30
AREA = "northfield"
# Invented places beside Northfield, so the area filter has something to leave out.
TOWNS = ("Northfield", "Eastgate", "Millbrook", "Southmoor", "Westcombe")
STREETS = (
    "Harbour",
    "Kiln",
    "Larkspur",
    "Lock Keeper's",
    "Weaver's",
    "Millpond",
    "Bridgewell",
    "Tanner's",
    "Foundry",
    "Orchard",
    "Chapel",
    "Ropewalk",
    "Brewery",
    "Quarry",
    "Linden",
    "Sorrel",
    "Heron",
    "Kingfisher",
    "Meadow",
    "Beacon",
    "Copper",
    "Wharf",
    "Tannery",
    "Saltings",
    "Cobbler's",
    "Old Mill",
    "Station",
    "Market",
    "Church",
    "Ferry",
    "Bracken",
    "Willow",
    "Rowan",
    "Hawthorn",
    "Elder",
    "Thistle",
    "Juniper",
    "Alder",
    "Marsh",
    "Fen",
)
KINDS = (
    "Coaching",
    "Community Project",
    "Together",
    "Advice Centre",
    "Youth Project",
    "Recovery Café",
    "Welcome Project",
    "Housing Support",
    "Family Centre",
    "Women's Circle",
    "Moving On",
    "Peer Network",
    "Community Hub",
    "Neighbours",
    "Open Door",
    "Drop-in",
    "Listening Post",
    "Friends",
    "Trust",
    "Alliance",
    "Collective",
    "Circle",
    "Works",
    "Starting Point",
    "Common Room",
)
PATTERNS = ("MO,TU,WE,TH,FR", "MO,WE", "TU,TH", "WE", "SA", "MO,TU,WE,TH", "TU", "WE,FR")
AGES = ((None, None), (18, None), (16, 25), (11, 18), (16, None), (18, 65))


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def network_database_url(url: str) -> str:
    """The network bench's own database beside a page run's: `<name>_network` on the same
    PostgreSQL server (still with "bench" in its name), or `<name>-network.sqlite3`."""
    if vendor(url) == "sqlite":
        # Edited as text: urlsplit would lose the slashes of "sqlite:////an/absolute/path".
        base = url.removesuffix(".sqlite3")
        return f"{base}-network.sqlite3"
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_network"))


# --- step 1: seed ---------------------------------------------------------------------------------


def seed_directory(services: int, *, seed: int = 1) -> dict[str, Any]:
    """`services` published services in the Strengths Network's directory, with everything a
    search and the API read. Expects a migrated, empty database."""
    from alongside.accounts.models import Area
    from alongside.demo.network import MEMBERS
    from alongside.demo.seed import _ensure_organisations
    from alongside.demo.sign_ins import NETWORK_SLUG
    from alongside.network.models import (
        Contact,
        DirectoryOrganisation,
        Location,
        Schedule,
        Service,
        ServiceArea,
        ServiceAtLocation,
    )
    from alongside.network.practice_vocabulary import ensure_own_taxonomy

    rng = random.Random(seed)
    network = _ensure_organisations()[NETWORK_SLUG]
    areas = [
        Area.objects.update_or_create(slug=town.lower(), defaults={"name": town})[0]
        for town in TOWNS
    ]
    taxonomy = ensure_own_taxonomy(network=network)
    leaves = list(taxonomy.terms.exclude(parent=None).order_by("name"))
    offers = [offer for member in MEMBERS for offer in member.offers]
    moment = datetime(2026, 11, 1, 10, tzinfo=UTC)
    counts = dict.fromkeys(
        ("organisations", "locations", "services", "schedules", "contacts", "terms"), 0
    )

    def save(rows: dict[str, list[Any]]) -> None:
        for model in (
            DirectoryOrganisation,
            Location,
            Service,
            ServiceAtLocation,
            ServiceArea,
            Schedule,
            Contact,
            Service.terms.through,
        ):
            model.objects.bulk_create(rows.pop(model.__name__, []), batch_size=BATCH)

    organisations = -(-services // SERVICES_PER_ORGANISATION)
    rows: dict[str, list[Any]] = {}
    made = 0
    for n in range(organisations):
        kind = KINDS[n % len(KINDS)]
        street = STREETS[(n // len(KINDS)) % len(STREETS)]
        town_index = rng.randrange(len(TOWNS))
        town, area = TOWNS[town_index], areas[town_index]
        name = f"{street} {kind}" + (
            f" {n // (len(STREETS) * len(KINDS)) + 1}" if n >= 1000 else ""
        )
        slug = f"bench-{n:05d}"
        organisation = DirectoryOrganisation(
            network=network,
            name=name,
            description=f"{name} works alongside people in {town}, on their terms.",
            email=f"{slug}@example.org",
            website=f"https://{slug}.example.org/",
            published=True,
            created_at=moment,
            last_modified=moment,
        )
        place = Location(
            network=network,
            organisation=organisation,
            name=name,
            address_1=f"{rng.randint(1, 120)} {street} Street",
            city=town,
            postal_code=f"NF{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}"
            f"{rng.choice('LNPQRSTUWXYZ')}",
            created_at=moment,
            last_modified=moment,
        )
        rows.setdefault("DirectoryOrganisation", []).append(organisation)
        rows.setdefault("Location", []).append(place)
        counts["organisations"] += 1
        counts["locations"] += 1
        for k in range(min(SERVICES_PER_ORGANISATION, services - made)):
            offer = offers[(n * SERVICES_PER_ORGANISATION + k) % len(offers)]
            low, high = rng.choice(AGES)
            changed = moment - timedelta(days=rng.randint(0, 700))
            service = Service(
                network=network,
                organisation=organisation,
                name=f"{offer.name} in {town}" if k % 2 else offer.name,
                description=offer.description,
                email=f"{slug}@example.org",
                fees=offer.fees,
                minimum_age=low,
                maximum_age=high,
                published=True,
                created_at=changed,
                last_modified=changed,
            )
            at_place = ServiceAtLocation(
                network=network, service=service, location=place, created_at=changed
            )
            rows.setdefault("Service", []).append(service)
            rows.setdefault("ServiceAtLocation", []).append(at_place)
            rows.setdefault("ServiceArea", []).append(
                ServiceArea(network=network, service=service, name=town, area=area)
            )
            for pattern in rng.sample(PATTERNS, rng.choice((1, 1, 2))):
                opens = rng.choice((8, 9, 10, 13, 17))
                rows.setdefault("Schedule", []).append(
                    Schedule(
                        network=network,
                        service=service,
                        service_at_location=at_place,
                        byday=pattern,
                        opens_at=clock(opens),
                        closes_at=clock(min(opens + rng.choice((2, 3, 4, 8)), 21)),
                    )
                )
                counts["schedules"] += 1
            rows.setdefault("Contact", []).append(
                Contact(
                    network=network,
                    service=service,
                    name=offer.contact[0],
                    email=f"{slug}@example.org",
                    phone=f"01632 960{rng.randint(0, 999):03d}",
                )
            )
            counts["contacts"] += 1
            for term in rng.sample(leaves, rng.choice((2, 2, 3))):
                rows.setdefault("Service_terms", []).append((service, term))
                counts["terms"] += 1
            made += 1
        if len(rows["Service"]) >= BATCH or n == organisations - 1:
            tagged = rows.pop("Service_terms", [])
            rows["Service_terms"] = [
                Service.terms.through(service_id=s.pk, taxonomyterm_id=t.pk) for s, t in tagged
            ]
            save(rows)
            rows = {}
    counts["services"] = made
    return counts


def step_seed(database_url: str, services: int, seed: int) -> dict[str, Any]:
    from .server import configure_django, peak_rss_mb

    configure_django(database_url)
    from django.core.management import call_command

    from .seed_large import analyze

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    counts = seed_directory(services, seed=seed)
    return {
        "counts": counts,
        "seconds": round(time.perf_counter() - started, 2),
        "migrate_seconds": round(migrate_seconds, 2),
        **analyze(),
        "peak_rss_mb": peak_rss_mb(),
    }


# --- step 2: measure ------------------------------------------------------------------------------


def urls() -> list[tuple[str, str]]:
    """(key, path) for each URL timed, with real ids from the seeded database."""
    from alongside.network.models import Service, TaxonomyTerm

    term = TaxonomyTerm.objects.filter(taxonomy__is_own=True, name=TERM).values_list(
        "pk", flat=True
    )[0]
    service = (
        Service.objects.filter(published=True, name__icontains=SEARCH_WORDS)
        .order_by("pk")
        .values_list("pk", flat=True)[0]
    )
    q = SEARCH_WORDS
    return [
        ("directory: words", f"/directory/?q={q}"),
        (
            "directory: words and every filter",
            f"/directory/?q={q}&term={term}&area={AREA}&age={AGE}&day={DAY}",
        ),
        ("directory: one term, page 5", f"/directory/?term={term}&page=5"),
        ("directory: a service", f"/directory/services/{service}/"),
        ("openreferral: search, page 2", f"/openreferral/services?search={q}&page=2"),
        (
            "openreferral: search and a term, page 2",
            f"/openreferral/services?search={q}&taxonomy_term_id={term}&page=2",
        ),
        ("openreferral: a service", f"/openreferral/services/{service}"),
    ]


def _found(path: str) -> int | None:
    """What a search says it found (the API's `total_items`, the page's "N services found"),
    as a check that the URL did the work."""
    from django.test import Client

    if not path.startswith(("/openreferral/services?", "/directory/?")):
        return None
    answer = Client().get(path)
    if answer.status_code != 200:
        return None
    if path.startswith("/openreferral/"):
        return answer.json().get("total_items")
    said = re.search(r"([\d,]+) services? found", answer.content.decode())
    return int(said.group(1).replace(",", "")) if said else None


def measure(
    database_url: str, *, workers: int, seconds: float, concurrency: list[int]
) -> dict[str, Any]:
    from .measure import count_queries, run_load
    from .server import Server, configure_django, environment, new_secret_key

    secret_key = new_secret_key()
    configure_django(database_url, secret_key)
    from django.core.management import call_command
    from django.db import connection, connections

    call_command("collectstatic", interactive=False, verbosity=0)
    pages: list[dict[str, Any]] = [{"key": k, "path": p, "user": ""} for k, p in urls()]
    floor = {"key": "floor", "path": "/healthz", "user": ""}
    database = connection.vendor
    connections.close_all()
    env = environment(database_url, secret_key)
    with Server(env, workers=workers, log_path=DATA_DIR / "gunicorn.log") as server:
        plan = {
            "port": server.port,
            "warm": 2 * workers,
            "seconds": seconds,
            "concurrency": concurrency,
            "pages": [floor, *pages, floor | {"key": "floor_end"}],
            "server_pids": server.worker_pids(),
        }
        lines = run_load(plan, _progress)
    by_key: dict[str, dict[str, dict[str, Any]]] = {}
    for line in lines:
        by_key.setdefault(line.pop("key"), {})[str(line["concurrency"])] = line
    queries = count_queries([*pages, floor])
    result: dict[str, Any] = {
        "database": database,
        "workers": workers,
        "floor": by_key.pop("floor"),
        "floor_end": by_key.pop("floor_end"),
        "floor_queries": queries["floor"],
    }
    for page in pages:
        levels = by_key[page["key"]]
        for level, row in levels.items():
            floor_median = result["floor"][level]["median_ms"]
            row["ratio_to_floor"] = (
                round(row["median_ms"] / floor_median, 2)
                if row["median_ms"] and floor_median
                else None
            )
        page["levels"] = levels
        page["queries"] = queries[page["key"]]
        page["total_items"] = _found(page["path"])
        page["status"] = "ok" if all(r["status"] == "ok" for r in levels.values()) else "failed"
        page["misses"] = _misses(page, database)
    result["pages"] = pages
    ok = all(p["status"] == "ok" for p in pages)
    result["status"] = "ok" if ok else "failed"
    return result


def _progress(line: dict[str, Any]) -> None:
    _log(
        f"  {line['key'][:44]:44s} c={line['concurrency']:<3d} "
        f"median {line['median_ms'] or 0:7.1f} ms  p95 {line['p95_ms'] or 0:7.1f} ms  "
        f"{line['rps']:6.1f}/s  {line['status']}"
    )


def _misses(page: dict[str, Any], database: str) -> list[str]:
    """The bench's goals this URL misses (report.py's, so the tables read alike)."""
    misses = []
    one = page["levels"].get("1")
    if one and one["ratio_to_floor"] and one["ratio_to_floor"] > report.GOAL_RATIO_AT_ONE:
        misses.append(f"over {report.GOAL_RATIO_AT_ONE:g}× floor")
    most = page["levels"].get("32")
    if database == "postgresql" and most and (most["p95_ms"] or 0) >= report.GOAL_P95_MS:
        misses.append(f"p95 ≥ {report.GOAL_P95_MS:g} ms at 32")
    return misses


# --- the whole run --------------------------------------------------------------------------------


def _run_step(*args: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.network", "step", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.network step {' '.join(args)} failed ({completed.returncode})")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run(
    database_url: str,
    *,
    services: int = SERVICES,
    workers: int = DEFAULT_WORKERS,
    seconds: float = DEFAULT_SECONDS,
    concurrency: list[int] | None = None,
    seed: int = 1,
) -> dict[str, Any]:
    from .server import reset_database

    _log(f"\n== the network's directory on {vendor(database_url)}: {services:,} services")
    reset_database(database_url)
    seeded = _run_step(
        "seed", "--database-url", database_url, "--services", str(services), "--seed", str(seed)
    )
    _log(f"  seeded in {seeded['seconds']}s: {seeded['counts']}")
    levels = ",".join(map(str, concurrency or DEFAULT_CONCURRENCY))
    measured = _run_step(
        "measure",
        "--database-url",
        database_url,
        "--workers",
        str(workers),
        "--seconds",
        str(seconds),
        "--concurrency",
        levels,
    )
    return {"services": services, "seed": seeded, **measured}


def _cell(row: dict[str, Any] | None) -> str:
    if not row or row["median_ms"] is None:
        return " | "
    return f"{row['median_ms']:.1f} / {row['p95_ms']:.1f} | {row['rps']:,.0f}"


def _cpu(row: dict[str, Any] | None) -> str:
    """The web workers' CPU per request at one client: steadier than the latencies when
    other work shares the machine."""
    value = (row or {}).get("server_cpu_ms_per_request")
    return "" if value is None else f"{value:.1f}"


def markdown(result: dict[str, Any]) -> str:
    machine = result["machine"]
    lines = [
        f"# The network's directory at scale ({result['date']})",
        "",
        f"{machine['cpu_count']} cores, {machine['memory_gb']} GB, Python {machine['python']}; "
        f"load average {machine['load_average_before']} before the run. Each level "
        f"{result.get('seconds', DEFAULT_SECONDS):g} s under gunicorn (sync workers, DEBUG off); "
        "*found*: what the search said it found; *CPU ms*: the web workers' CPU per request at "
        "one client.",
        "",
    ]
    for run_ in result["runs"]:
        levels = sorted(run_["floor"], key=int)
        seed = run_["seed"]
        counts = seed["counts"]
        analyzed = " then ANALYZE" if seed.get("analyzed") else ""
        lines += [
            f"## {run_['database']} ({run_['workers']} workers)",
            "",
            f"{counts['services']:,} published services in {counts['organisations']:,} "
            f"organisations, with {counts['locations']:,} places, {counts['schedules']:,} "
            f"opening times, {counts['contacts']:,} contacts and {counts['terms']:,} practice "
            f"terms: seeded in {seed['seconds']} s{analyzed}, peak {seed['peak_rss_mb']} MB.",
            "",
            "| URL | queries | found | CPU ms | "
            + " | ".join(
                f"{c} client{'s' if c != '1' else ''}: median / p95 ms | req/s" for c in levels
            )
            + " | × floor at 1 | goals |",
            "| --- | ---: | ---: | ---: | "
            + " | ".join("---: | ---:" for _ in levels)
            + " | ---: | --- |",
        ]
        lines.append(
            f"| `/healthz` (the floor) | {run_['floor_queries']} | | "
            f"{_cpu(run_['floor'].get('1'))} | "
            + " | ".join(_cell(run_["floor"].get(c)) for c in levels)
            + " | | |"
        )
        for page in run_["pages"]:
            one = page["levels"].get("1", {})
            found = "" if page["total_items"] is None else f"{page['total_items']:,}"
            lines.append(
                f"| `{page['path']}` | {page['queries']} | {found} | "
                f"{_cpu(page['levels'].get('1'))} | "
                + " | ".join(_cell(page["levels"].get(c)) for c in levels)
                + f" | {one.get('ratio_to_floor') or ''} | "
                + ("; ".join(page["misses"]) or "met")
                + " |"
            )
        lines.append("")
    return "\n".join(lines)


def summary_line(network: dict[str, Any]) -> str:
    """One line for `make bench`'s output."""
    parts = []
    for run_ in network["runs"]:
        worst = max(
            (page["levels"][max(page["levels"], key=int)]["p95_ms"] or 0, page["key"])
            for page in run_["pages"]
        )
        misses = sum(1 for page in run_["pages"] if page["misses"])
        parts.append(
            f"{run_['database']}: slowest p95 at the most clients {worst[0]:.0f} ms "
            f"({worst[1]}), {misses} of {len(run_['pages'])} URLs miss a goal"
        )
    return f"network directory at {network['services']:,} services: " + "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.network", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    step = sub.add_parser("step", help="one step, in this process (the run uses it)")
    step.add_argument("name", choices=["seed", "measure"])
    step.add_argument("--database-url", required=True)
    step.add_argument("--services", type=int, default=SERVICES)
    step.add_argument("--seed", type=int, default=1)
    step.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    step.add_argument("--seconds", type=float, default=DEFAULT_SECONDS)
    step.add_argument("--concurrency", default=",".join(map(str, DEFAULT_CONCURRENCY)))
    parser.add_argument(
        "--database-url",
        action="append",
        default=None,
        help="dropped and made again (again for more than one); default: a SQLite file",
    )
    parser.add_argument("--services", type=int, default=SERVICES)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--seconds", type=float, default=DEFAULT_SECONDS, help="per level")
    parser.add_argument("--concurrency", default=",".join(map(str, DEFAULT_CONCURRENCY)))
    parser.add_argument("--name", default="network", help="results file name")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="results folder")
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even if a URL did not answer 200 (bench.run reads the status instead)",
    )
    args = parser.parse_args(argv)
    concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]

    if args.command == "step":
        if args.name == "seed":
            row = step_seed(args.database_url, args.services, args.seed)
        else:
            row = measure(
                args.database_url,
                workers=args.workers,
                seconds=args.seconds,
                concurrency=concurrency,
            )
        print(json.dumps(row))
        return 0

    from .run import machine

    database_urls = args.database_url or [sqlite_url(DATA_DIR / f"{args.name}.sqlite3")]
    network = {
        "services": args.services,
        "seconds": args.seconds,
        "runs": [
            run(
                url,
                services=args.services,
                workers=args.workers,
                seconds=args.seconds,
                concurrency=concurrency,
            )
            for url in database_urls
        ],
    }
    network["status"] = (
        "ok" if all(run_["status"] == "ok" for run_ in network["runs"]) else "failed"
    )
    result = {
        "name": args.name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        **network,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{args.name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    (args.out / f"{args.name}.md").write_text(markdown(result))
    print(markdown(result))
    print(summary_line(network))
    print(f"Written to {path} and {path.with_suffix('.md')}")
    # The last line is the result as JSON, for bench.run to read.
    print(json.dumps(network))
    if network["status"] != "ok":
        print("Some URLs did not answer 200.", file=sys.stderr)
        return 0 if args.exit_zero else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
