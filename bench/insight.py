"""Area insight at scale: bring in 10 million service records and analyse them, with the time
and peak memory of each step.

    python -m bench.insight --rows 10000000          (what `make bench` runs)
    python -m bench.insight --rows 1000000 --name insight-1m

Three steps, each in a process of its own so its peak memory is its own (DuckDB's memory is
outside Python's heap, so tracemalloc cannot see it: `peak_rss_mb` is the process's
high-water mark from getrusage):

1. **generate**: the invented records (`alongside.insight.synthetic.write_records`, DuckDB
   writing CSV) and the population table, into a temporary folder under bench/.data/.
2. **import**: `importing.bring_in` for the records (every row checked, then stored in the
   area's DuckDB file), then for the population; `seconds` is the records' import alone.
3. **analyse**: `equalities.analyse` by ethnic group with the outcome "housed" against the
   population: the three queries the analyses page runs.

The goals (issue 14): the import under 120 s, the analysis under 10 s, on this 2-core machine.
Results go to `results/<name>.json` and `results/<name>.md`; the temporary files are removed.
The step prints its result as one JSON line; the whole run prints the table.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / ".data"
RESULTS_DIR = ROOT / "bench" / "results"
GOAL_IMPORT_SECONDS = 120
GOAL_ANALYSE_SECONDS = 10
AREA_ID = 1
RECORDS_TABLE = "records_1"
POPULATION_TABLE = "population_2"


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _configure(folder: Path) -> None:
    """Only what storage.py reads: where the area's DuckDB file lives. No database."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(INSIGHT_ROOT=str(folder / "insight"), MEDIA_ROOT=str(folder))


# --- the steps, each run in its own process ---------------------------------------------------


def step_generate(folder: Path, rows: int) -> dict[str, Any]:
    from alongside.insight import synthetic

    started = time.perf_counter()
    records = synthetic.write_records(folder / "records.csv", rows=rows)
    seconds = time.perf_counter() - started
    synthetic.write_population(folder / "population.csv")
    return {
        "step": "generate",
        "rows": rows,
        "seconds": round(seconds, 2),
        "file_mb": round(records.stat().st_size / 2**20, 1),
        "peak_rss_mb": peak_rss_mb(),
    }


def step_import(folder: Path) -> dict[str, Any]:
    _configure(folder)
    from alongside.insight import importing, synthetic

    stages: list[tuple[int, float]] = []
    started = time.perf_counter()
    result = importing.bring_in(
        area_id=AREA_ID,
        table=RECORDS_TABLE,
        path=folder / "records.csv",
        file_format="csv",
        kind="records",
        mapping=synthetic.RECORDS_MAPPING,
        progress=lambda done, total: stages.append((done, time.perf_counter() - started)),
    )
    seconds = time.perf_counter() - started
    if result.problem_count:
        raise SystemExit(f"The records did not come in: {result.problems[:3]}")
    population = importing.bring_in(
        area_id=AREA_ID,
        table=POPULATION_TABLE,
        path=folder / "population.csv",
        file_format="csv",
        kind="population",
        mapping=synthetic.POPULATION_MAPPING,
    )
    if population.problem_count:
        raise SystemExit(f"The population did not come in: {population.problems[:3]}")
    return {
        "step": "import",
        "rows": result.rows,
        "seconds": round(seconds, 2),
        "progress_seconds": [round(at, 2) for _, at in stages],
        "duckdb_mb": round(
            sum(p.stat().st_size for p in (folder / "insight").iterdir()) / 2**20, 1
        ),
        "peak_rss_mb": peak_rss_mb(),
    }


def step_analyse(folder: Path, repeat: int) -> dict[str, Any]:
    _configure(folder)
    from alongside.insight import equalities, storage

    timings = []
    analysed = None
    for _ in range(repeat):
        started = time.perf_counter()
        with storage.reading(AREA_ID) as connection:
            analysed = equalities.analyse(
                connection,
                records=RECORDS_TABLE,
                population=POPULATION_TABLE,
                by="ethnicity",
                outcome="outcome_housed",
                outcome_phrase="housed",
            )
        timings.append(time.perf_counter() - started)
    assert analysed is not None
    return {
        "step": "analyse",
        "seconds": round(min(timings), 2),
        "seconds_each": [round(t, 2) for t in timings],
        "people": analysed.people_true,
        "groups": len(analysed.groups),
        "findings": [f.sentence for f in analysed.findings],
        "peak_rss_mb": peak_rss_mb(),
    }


# --- the whole run ------------------------------------------------------------------------------


def _run_step(*args: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.insight", "step", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.insight step {' '.join(args)} failed ({completed.returncode})")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run(rows: int, repeat: int = 3) -> dict[str, Any]:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="insight-", dir=DATA_DIR))
    try:
        _log(f"\n== area insight: {rows:,} service records")
        generate = _run_step("generate", "--dir", str(folder), "--rows", str(rows))
        _log(f"  generate: {generate}")
        imported = _run_step("import", "--dir", str(folder))
        _log(f"  import: {imported}")
        analysed = _run_step("analyse", "--dir", str(folder), "--repeat", str(repeat))
        _log(f"  analyse: {analysed}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ok = imported["seconds"] < GOAL_IMPORT_SECONDS and analysed["seconds"] < GOAL_ANALYSE_SECONDS
    return {
        "rows": rows,
        "generate": generate,
        "import": imported,
        "analyse": analysed,
        "goals": {"import_seconds": GOAL_IMPORT_SECONDS, "analyse_seconds": GOAL_ANALYSE_SECONDS},
        "status": "ok" if ok else "missed",
    }


def markdown(result: dict[str, Any]) -> str:
    insight = result["insight"]
    lines = [
        f"# Area insight at {insight['rows']:,} rows ({result['date']})",
        "",
        f"{result['machine']['cpu_count']} cores, {result['machine']['memory_gb']} GB, "
        f"Python {result['machine']['python']}, DuckDB {result['machine']['duckdb']}; "
        f"load average {result['machine']['load_average_before']} before the run.",
        "",
        "| step | seconds | goal | peak RSS MB | notes |",
        "|---|---:|---:|---:|---|",
    ]
    gen, imp, ana = insight["generate"], insight["import"], insight["analyse"]
    lines += [
        f"| generate the CSV | {gen['seconds']} | | {gen['peak_rss_mb']} | "
        f"{gen['file_mb']} MB of CSV |",
        f"| import (check and load) | {imp['seconds']} | < {GOAL_IMPORT_SECONDS} | "
        f"{imp['peak_rss_mb']} | {imp['rows']:,} rows, {imp['duckdb_mb']} MB of DuckDB |",
        f"| analyse by ethnic group, housed | {ana['seconds']} | < {GOAL_ANALYSE_SECONDS} | "
        f"{ana['peak_rss_mb']} | {ana['people']:,} people, best of "
        f"{len(ana['seconds_each'])} ({', '.join(map(str, ana['seconds_each']))}) |",
        "",
        f"Goals: **{insight['status']}**. Findings about being housed: "
        + ("; ".join(f for f in ana["findings"] if " housed " in f) or "none")
        + ".",
        "",
    ]
    return "\n".join(lines)


def summary_line(insight: dict[str, Any]) -> str:
    """One line for `make bench`'s output."""
    return (
        f"insight at {insight['rows']:,} rows: import {insight['import']['seconds']} s "
        f"(goal < {GOAL_IMPORT_SECONDS}), peak {insight['import']['peak_rss_mb']} MB; "
        f"analysis {insight['analyse']['seconds']} s (goal < {GOAL_ANALYSE_SECONDS}), "
        f"peak {insight['analyse']['peak_rss_mb']} MB: {insight['status']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.insight", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    step = sub.add_parser("step", help="one step, in this process (the run uses it)")
    step.add_argument("name", choices=["generate", "import", "analyse"])
    step.add_argument("--dir", type=Path, required=True)
    step.add_argument("--rows", type=int, default=0)
    step.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="analyses timed (best kept)")
    parser.add_argument("--name", default="insight", help="results file name")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="results folder")
    args = parser.parse_args(argv)

    if args.command == "step":
        if args.name == "generate":
            row = step_generate(args.dir, args.rows)
        elif args.name == "import":
            row = step_import(args.dir)
        else:
            row = step_analyse(args.dir, args.repeat)
        print(json.dumps(row))
        return 0

    import duckdb

    from .run import machine

    insight = run(args.rows, args.repeat)
    result = {
        "name": args.name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {**machine(), "duckdb": duckdb.__version__},
        "insight": insight,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{args.name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    (args.out / f"{args.name}.md").write_text(markdown(result))
    print(markdown(result))
    print(summary_line(insight))
    print(f"Written to {path} and {path.with_suffix('.md')}")
    # The last line is the result as JSON, for bench.run to read.
    print(json.dumps(insight))
    # A missed goal is reported (status "missed"), as the pages' are, not a failed run.
    return 0


if __name__ == "__main__":
    sys.exit(main())
