"""The bench's results as a Markdown table (printed, and written beside the JSON)."""

from __future__ import annotations

from typing import Any

GOAL_RATIO_AT_ONE = 10.0
GOAL_P95_MS = 250.0
GOAL_P95_DATABASE = "postgresql"
DATABASE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def misses(run: dict[str, Any]) -> dict[str, list[str]]:
    """The pages that miss the goals: above 10 times the floor's median at one client, and
    (on PostgreSQL) a p95 of 250 ms or more at the most clients measured."""
    levels = sorted(int(level) for level in run["floor"])
    low, high = str(levels[0]), str(levels[-1])
    slow = [
        p["key"]
        for p in run["pages"]
        if (p["levels"][low].get("ratio_to_floor") or 0) > GOAL_RATIO_AT_ONE
    ]
    late = [p["key"] for p in run["pages"] if (p["levels"][high]["p95_ms"] or 0) >= GOAL_P95_MS]
    return {f"ratio_above_{GOAL_RATIO_AT_ONE:g}_at_{low}": slow, f"p95_from_250ms_at_{high}": late}


def _ms(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def _count(value: float) -> str:
    return f"{value:,.0f}"


def run_table(run: dict[str, Any]) -> str:
    levels = sorted(run["floor"], key=int)
    low, high = levels[0], levels[-1]
    header = ["page", "as", "queries", "CPU ms"]
    align = ["---", "---", "---:", "---:"]
    for level in levels:
        clients = "client" if level == "1" else "clients"
        header.append(f"{level} {clients}: median / p95 ms")
        align.append("---:")
        if level == low:
            header.append("× floor")
        else:
            header.append("req/s")
        align.append("---:")
    header.append("goals")
    align.append("---")
    rows = [header, align]

    def cells(levels_data: dict[str, Any], floor: bool = False) -> list[str]:
        out = []
        for level in levels:
            row = levels_data[level]
            out.append(f"{_ms(row['median_ms'])} / {_ms(row['p95_ms'])}")
            if level == low:
                ratio = row.get("ratio_to_floor")
                out.append("" if floor or ratio is None else f"{ratio:.1f}")
            else:
                out.append(_count(row["rps"]))
        return out

    def cpu(levels_data: dict[str, Any]) -> str:
        return _ms(levels_data[low].get("server_cpu_ms_per_request"))

    floor_queries = str(run.get("floor_queries", 1))
    rows.append(["`/healthz` (the floor)", "signed out", floor_queries, cpu(run["floor"])])
    rows[-1] += cells(run["floor"], floor=True) + [""]
    missed = misses(run)
    slow, late = missed.values()
    p95_goal = run["database"] == GOAL_P95_DATABASE
    for page in run["pages"]:
        goals = []
        if page["key"] in slow:
            goals.append(f"over {GOAL_RATIO_AT_ONE:g}× floor")
        if page["key"] in late and p95_goal:
            goals.append(f"p95 ≥ {GOAL_P95_MS:g} ms at {high}")
        if page["status"] != "ok":
            goals.append("**not 200**")
        who = page["user"] or "signed out"
        row = [f"`{page['page']}`", who, str(page["queries"]), cpu(page["levels"])]
        rows.append(row + cells(page["levels"]) + ["; ".join(goals) or "met"])
    rows.append(["`/healthz` again, at the end", "signed out", "", cpu(run["floor_end"])])
    rows[-1] += cells(run["floor_end"], floor=True) + [""]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def _sizes_line(run: dict[str, Any]) -> str:
    counts = run["seed"]["counts"]
    return (
        f"{_count(counts['people'])} people, {_count(counts['coaches'])} coaches, "
        f"{_count(counts['conversations'])} conversations, {_count(counts['check_ins'])} "
        f"check-ins, {_count(counts['goals'])} goals, {_count(counts['spend_requests'])} spend "
        f"requests, {_count(counts['barriers'])} barriers, "
        f"{_count(counts['contributions'])} contributions, "
        f"{_count(counts.get('audit_entries', 0))} audit entries"
    )


def markdown(result: dict[str, Any]) -> str:
    machine = result["machine"]
    settings = result["settings"]
    lines = [
        f"# Bench `{result['name']}`, {result['date']}",
        "",
        f"{machine['cpu_count']} CPUs, Python {machine['python']}, {machine['platform']}; "
        f"load average {machine['load_average_before']} before the run. "
        f"gunicorn with {settings['workers']} sync workers; each level "
        f"{settings['seconds']:g} s; the load client in its own process on the same machine.",
    ]
    for run in result["runs"]:
        name = DATABASE_NAMES.get(run["database"], run["database"])
        seed = run["seed"]
        code = ""
        if run.get("code"):
            code = (
                f"Code: commit {run['code']['commit']} "
                f"({run['code']['changed_files']} tracked files changed). "
            )
        analyzed = ""
        if seed.get("analyzed"):
            analyzed = f", ANALYZE {seed['analyze_seconds']:.0f} s"
        lines += [
            "",
            f"## {name}",
            "",
            f"{_sizes_line(run)}. Seeded in {seed['seconds']:.0f} s (migrations "
            f"{seed['migrate_seconds']:.0f} s more{analyzed}), seed peak memory "
            f"{seed['peak_rss_mb']:.0f} MB; gunicorn workers' memory at the end "
            f"{', '.join(f'{m:.0f}' for m in run.get('worker_rss_mb', []))} MB, peak "
            f"{', '.join(f'{m:.0f}' for m in run['worker_peak_rss_mb'])} MB. "
            f"{code}Load client CPU: {run['client_cpu_share']:.0%} of one core on average. "
            f"Load average {run.get('load_average_at_start', '?')} when timing began, "
            f"{run.get('load_average_after', '?')} at the end.",
            "",
            run_table(run),
        ]
        named = {p["key"]: f"`{p['page']}` ({p['user'] or 'signed out'})" for p in run["pages"]}
        slow, late = misses(run).values()
        levels = sorted(run["floor"], key=int)
        lines += [
            "",
            f"Over {GOAL_RATIO_AT_ONE:g}× the floor at {levels[0]} client: "
            + (", ".join(named[k] for k in slow) or "none")
            + ".",
        ]
        if run["database"] == GOAL_P95_DATABASE:
            lines += [
                "",
                f"p95 of {GOAL_P95_MS:g} ms or more at {levels[-1]} clients: "
                + (", ".join(named[k] for k in late) or "none")
                + ".",
            ]
        if run.get("worker_sweep"):
            lines += ["", "Worker count, the person page at the most clients:", ""]
            lines += ["| workers | median ms | p95 ms | req/s |", "|---:|---:|---:|---:|"]
            for row in run["worker_sweep"]:
                lines.append(
                    f"| {row['workers']} | {_ms(row['median_ms'])} | {_ms(row['p95_ms'])} | "
                    f"{row['rps']:.1f} |"
                )
    jobs = result.get("jobs") or {}
    if jobs:
        lines += ["", "## Listening jobs", ""]
        embed = jobs.get("embed") or {}
        if "seconds" in embed:
            lines.append(
                f"Embedding {embed['size']:,} contributions with MiniLM (done once, at capture): "
                f"{embed['seconds']:.1f} s ({embed['ms_per_contribution']:.0f} ms each), "
                f"peak memory {embed['peak_rss_mb']:.0f} MB."
            )
            lines.append("")
        lines += [
            "| job | contributions | method | median s | max s | k | NMI | job's peak MB "
            "| process peak MB |",
            "|---|---:|---|---:|---:|---:|---:|---:|---:|",
        ]
        for job in jobs.get("themes", []):
            if "skipped" in job:
                continue
            method = job["method"] + (" (vectors reused)" if job.get("vectors") == "reused" else "")
            lines.append(
                f"| theme suggestion | {job['size']:,} | {method} | {job['seconds_median']:.2f} "
                f"| {job['seconds_max']:.2f} | {job['k']} | {job['nmi']:.2f} "
                f"| {job['peak_alloc_mb']:.0f} | {job['peak_rss_mb']:.0f} |"
            )
        for job in jobs.get("redaction", []):
            lines.append(
                f"| redaction ({job['mean_words']:.0f} words each, "
                f"{job['contributions_per_second']:,}/s) | {job['size']:,} | rules "
                f"| {job['seconds_median']:.2f} | {job['seconds_max']:.2f} | | "
                f"| {job['peak_alloc_mb']:.1f} | {job['peak_rss_mb']:.0f} |"
            )
    return "\n".join(lines) + "\n"
