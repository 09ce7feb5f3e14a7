"""An invented area's service records and population table: for the demo, the tests, the
browser walkthrough and the bench (10 million rows).

    from alongside.insight import synthetic
    synthetic.write_records(path, rows=20_000)        # one row per person-episode
    synthetic.write_population(path)                  # counts for ~200,000 residents

Everything is invented and deterministic for a given seed: every choice is a hash of the row
(or the person) and the seed, worked out by DuckDB, so the same call writes the same bytes and
10 million rows take seconds. Nobody here is real; the ids are pseudonymous ("P0000123").

What the figures are built to show:
- Black residents are housed at about 0.6 times the rate of everyone else, and are in services
  at about twice their share of the population (the group the system lets down most).
- Everyone else is housed at one rate, so no other group is let down by design. A person is
  housed (or not) once: on their last episode in the file; the earlier ones say "No", and
  "Stayed housed 6 months" is filled in only beside a "Yes".
- A few groups are small enough to be suppressed: ethnicity not recorded for about 4 people
  in 10,000, and an age band ("16 to 17") with about 2 people in 1,000 (at the demo's 20,000 rows,
  a handful of those have the "Other ethnic group").
- People have 1 to 6 episodes (about 2.5 on average), over two years, across 8 services; many
  of those with 3 or more episodes have been in 3 or more services.

The files use the spellings a council's system might ("18-24", "65+", "Yes"), which the import
reads as the ONS categories (`fields.normalise`).
"""

# The SQL is built from this module's own constants and numbers, never from input.
# ruff: noqa: S608

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path
from typing import Any

FIRST_DAY = date(2024, 11, 1)
DAYS = 730

SERVICES = [
    # (name, weight)
    ("Housing Options", 24),
    ("Floating support", 14),
    ("Drug and alcohol service", 11),
    ("Adult social care", 12),
    ("Job centre", 13),
    ("Probation", 7),
    ("Mental health crisis team", 8),
    ("Food bank", 11),
]

# (the file's words, share of people in services, share of the area's residents)
ETHNICITY = [
    ("Prefer not to say", 0.0004, 0.0),
    ("Black, Black British, Black Welsh, Caribbean or African", 0.09, 0.042),
    ("Asian, Asian British or Asian Welsh", 0.08, 0.096),
    ("Mixed or Multiple ethnic groups", 0.045, 0.03),
    ("Other ethnic group", 0.025, 0.022),
    ("White", 0.759, 0.81),
]
BLACK = ETHNICITY[1][0]
# (in the records file, in the population file, share in services, share of residents)
AGE_BANDS = [
    ("16-17", "16 to 17", 0.002, 0.025),
    ("18-24", "18 to 24", 0.16, 0.11),
    ("25-34", "25 to 34", 0.25, 0.17),
    ("35-49", "35 to 49", 0.29, 0.24),
    ("50-64", "50 to 64", 0.2, 0.23),
    ("65+", "65 and over", 0.098, 0.225),
]
# (records, population, share in services, share of residents)
SEX = [("Male", "Male", 0.6, 0.49), ("Female", "Female", 0.4, 0.51)]
DISABILITY = [
    ("", "", 0.02, 0.0),  # not recorded: a blank cell
    ("Yes", "Disabled", 0.35, 0.177),
    ("No", "Not disabled", 0.63, 0.823),
]

HOUSED_RATE = 0.55
HOUSED_RATE_BLACK = 0.33  # 0.6 times
STAYED_RATE = 0.78
STAYED_RATE_BLACK = 0.62
AREA_RESIDENTS = 200_000

RECORDS_HEADERS = [
    "Client ref",  # other systems' words: the demo reads an export as it comes
    "Episode start",
    "Service",
    "Age band",
    "Sex",
    "Ethnic group",
    "Disability",
    "Housed",
    "Stayed housed 6 months",
]
POPULATION_HEADERS = ["Age band", "Sex", "Ethnic group", "Disability", "Residents"]

# The DataSet.mapping each file needs (see the comment on DataSet.mapping).
RECORDS_MAPPING: dict[str, Any] = {
    "person_id": "Client ref",  # other systems' words
    "date": "Episode start",
    "service": "Service",
    "characteristics": {
        "ethnicity": "Ethnic group",
        "sex": "Sex",
        "age_band": "Age band",
        "disability": "Disability",
    },
    "outcomes": {
        "housed": {"column": "Housed", "phrase": "housed"},
        # Keyed as the columns page keys an outcome: by its words (fields.slug).
        "still_housed_six_months_later": {
            "column": "Stayed housed 6 months",
            "phrase": "still housed six months later",
        },
    },
}
POPULATION_MAPPING: dict[str, Any] = {
    "characteristics": {
        "ethnicity": "Ethnic group",
        "sex": "Sex",
        "age_band": "Age band",
        "disability": "Disability",
    },
    "count": "Residents",
}

# Each block of 20 people has 50 episodes, shared out by one of these patterns (chosen per
# block), so a row's person is worked out from its number alone: no join, no sort, and the
# rows come out in order.
PEOPLE_PER_BLOCK = 20
ROWS_PER_BLOCK = 50
PATTERNS = 8
EPISODE_WEIGHTS = [(1, 35), (2, 25), (3, 15), (4, 10), (5, 8), (6, 7)]


def _patterns(seed: int) -> list[list[int]]:
    """For each pattern, each of its 50 slots as person-in-block * 100 + that person's number
    of episodes * 10 + which episode this is (from 0)."""
    rng = random.Random(seed)
    counts_choices = [n for n, _ in EPISODE_WEIGHTS]
    weights = [w for _, w in EPISODE_WEIGHTS]
    patterns = []
    while len(patterns) < PATTERNS:
        counts = rng.choices(counts_choices, weights, k=PEOPLE_PER_BLOCK)
        if sum(counts) != ROWS_PER_BLOCK:
            continue
        slots = [
            person * 100 + n * 10 + episode
            for person, n in enumerate(counts)
            for episode in range(n)
        ]
        patterns.append(slots)
    return patterns


def _pick(draw: str, options: list[tuple[str, float]]) -> str:
    """A SQL CASE choosing among the options by their shares, from a uniform draw."""
    total = sum(share for _, share in options)
    parts, running = [], 0.0
    for words, share in options[:-1]:
        running += share / total
        parts.append(f"WHEN {draw} < {running:.6f} THEN {_quote(words)}")
    return f"CASE {' '.join(parts)} ELSE {_quote(options[-1][0])} END"


def _quote(words: str) -> str:
    return "'" + words.replace("'", "''") + "'"


def records_sql(rows: int, seed: int, path: Path) -> str:
    patterns = _patterns(seed)
    pattern_list = "[" + ",".join("[" + ",".join(map(str, p)) + "]" for p in patterns) + "]"
    services = [(name, float(weight)) for name, weight in SERVICES]
    ethnicity = [(words, share) for words, share, _ in ETHNICITY]
    ages = [(words, share) for words, _, share, _ in AGE_BANDS]
    sexes = [(words, share) for words, _, share, _ in SEX]
    disability = [(words, share) for words, _, share, _ in DISABILITY]
    return f"""
COPY (
  WITH slots AS (
    SELECT r, r // {ROWS_PER_BLOCK} AS block,
      {pattern_list}[CAST(hash(r // {ROWS_PER_BLOCK}, {seed}, 0) % {PATTERNS} AS BIGINT) + 1]
                    [CAST(r % {ROWS_PER_BLOCK} AS BIGINT) + 1] AS slot
    FROM range({int(rows)}) t(r)
  ), people AS (
    SELECT r, block * {PEOPLE_PER_BLOCK} + slot // 100 AS person,
      slot % 10 = (slot // 10) % 10 - 1 AS last_episode
    FROM slots
  ), drawn AS (
    SELECT r, person, last_episode,
      u(person, {seed}, 1) AS u_ethnicity, u(person, {seed}, 2) AS u_age,
      u(person, {seed}, 3) AS u_sex, u(person, {seed}, 4) AS u_disability,
      u(person, {seed}, 5) AS u_home, u(r, {seed}, 6) AS u_stay_home,
      u(r, {seed}, 7) AS u_service, u(r, {seed}, 8) AS u_date,
      u(person, {seed}, 9) AS u_housed, u(person, {seed}, 10) AS u_stayed
    FROM people
  ), described AS (
    SELECT r, person, last_episode, u_date, u_housed, u_stayed,
      {_pick("u_ethnicity", ethnicity)} AS ethnicity,
      {_pick("u_age", ages)} AS age_band,
      {_pick("u_sex", sexes)} AS sex,
      NULLIF({_pick("u_disability", disability)}, '') AS disability,
      CASE WHEN u_stay_home < 0.5 THEN {_pick("u_home", services)}
           ELSE {_pick("u_service", services)} END AS service
    FROM drawn
  )
  SELECT
    'P' || lpad(CAST(person + 1 AS VARCHAR), 7, '0') AS "Client ref", -- other systems' words
    DATE '{FIRST_DAY.isoformat()}' + CAST(floor(u_date * {DAYS}) AS INTEGER) AS "Episode start",
    service AS "Service", age_band AS "Age band", sex AS "Sex",
    ethnicity AS "Ethnic group", disability AS "Disability",
    CASE WHEN housed AND last_episode THEN 'Yes' ELSE 'No' END AS "Housed",
    CASE WHEN NOT (housed AND last_episode) THEN NULL
         WHEN u_stayed < (CASE WHEN ethnicity = {_quote(BLACK)}
                               THEN {STAYED_RATE_BLACK} ELSE {STAYED_RATE} END)
         THEN 'Yes' ELSE 'No' END AS "Stayed housed 6 months"
  FROM (
    SELECT *, u_housed < (CASE WHEN ethnicity = {_quote(BLACK)}
                               THEN {HOUSED_RATE_BLACK} ELSE {HOUSED_RATE} END) AS housed
    FROM described
  )

) TO {_quote(str(path))} (FORMAT csv, HEADER true, DATEFORMAT '%Y-%m-%d')
"""


def write_records(path: Path | str, *, rows: int, seed: int = 1) -> Path:
    """Write `rows` invented service records (one row per person-episode) as CSV."""
    import duckdb  # heavy: imported where used

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect()
    try:
        # A uniform draw in [0, 1) from a hash: the same for the same arguments, in any order.
        connection.execute("SET enable_progress_bar = false")
        connection.execute("CREATE MACRO u(a, b, c) AS (hash(a, b, c) % 1000003) / 1000003.0")
        connection.execute(records_sql(rows, seed, target))
    finally:
        connection.close()
    return target


def population_rows(seed: int = 1) -> list[dict[str, Any]]:
    """The area's residents by age band, sex, ethnic group and disability: independent
    Census-like shares of ~200,000 people, each cell nudged a little by the seed."""
    rng = random.Random(seed)
    rows = []
    for _, age, _, age_share in AGE_BANDS:
        for _, sex, _, sex_share in SEX:
            for ethnicity, _, eth_share in ETHNICITY:
                if eth_share == 0:
                    continue
                for _, disability, _, dis_share in DISABILITY:
                    if dis_share == 0:
                        continue
                    expected = AREA_RESIDENTS * age_share * sex_share * eth_share * dis_share
                    count = max(0, round(expected * rng.uniform(0.95, 1.05)))
                    rows.append(
                        {
                            "Age band": age,
                            "Sex": sex,
                            "Ethnic group": ethnicity,
                            "Disability": disability,
                            "Residents": count,
                        }
                    )
    return rows


def write_population(path: Path | str, *, seed: int = 1) -> Path:
    """Write the area's population table as CSV (one row per combination, with a count)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=POPULATION_HEADERS)
        writer.writeheader()
        writer.writerows(population_rows(seed))
    return target
