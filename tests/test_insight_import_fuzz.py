"""The import's reader and checks, fuzzed: whatever the cells hold, it never crashes, and it
finds exactly the problems the vocabulary (fields.py) finds, each named by row and column."""

from __future__ import annotations

import csv
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside.insight import fields, importing, storage

pytestmark = pytest.mark.django_db

HEADINGS = ["Client ref", "When", "Service", "Sex", "Age", "Ethnic group", "Housed"]
MAPPING = {
    "person_id": "Client ref",
    "date": "When",
    "service": "Service",
    "characteristics": {"sex": "Sex", "age_band": "Age", "ethnicity": "Ethnic group"},
    "outcomes": {"housed": {"column": "Housed", "phrase": "housed"}},
}
WORDS = st.sampled_from(
    [
        "",
        " ",
        "F",
        "male",
        "18-24",
        "65+",
        "under 18",
        "White: Irish",
        "Black",
        "yes",
        "no",
        "2024-03-01",
        "01/03/2024",
        "31/02/2024",
        "N/A",
        "Q",
        "é",
        "a,b",
        'say "hi"',
        "x\ny",
        "\t",
        "0",
        "1",
        "999-1000",
    ]
)
CELL = st.one_of(WORDS, st.text(alphabet='aF1-+/:; ,"é\n\t', max_size=8))
ROWS = st.lists(
    st.lists(CELL, min_size=len(HEADINGS), max_size=len(HEADINGS)), min_size=1, max_size=12
)


def expected(rows: list[list[str]]) -> set[tuple[int, str]]:
    """The problems the vocabulary finds, cell by cell, in Python."""
    found: set[tuple[int, str]] = set()
    checks: dict[str, Any] = {
        "Client ref": lambda v: v.strip() or fields.outcome("not blank"),
        "When": importing.date_from,
        "Service": lambda v: v.strip() or fields.outcome("not blank"),
        "Sex": lambda v: fields.normalise("sex", v),
        "Age": lambda v: fields.normalise("age_band", v),
        "Ethnic group": lambda v: fields.normalise("ethnicity", v),
        "Housed": fields.outcome,
    }
    for number, row in enumerate(rows, start=2):
        for heading, cell in zip(HEADINGS, row, strict=True):
            try:
                checks[heading](cell)
            except ValueError:
                found.add((number, heading))
    return found


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS)
def test_any_cells_give_the_problems_the_vocabulary_finds(world, tmp_path, rows):
    path = tmp_path / "fuzz.csv"
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADINGS)
        writer.writerows(rows)
    result = importing.bring_in(
        area_id=world["area"].pk,
        table="records_1",
        path=path,
        file_format="csv",
        kind="records",
        mapping=MAPPING,
    )
    for problem in result.problems:
        assert isinstance(problem["row"], int) and problem["row"] >= 2
        assert problem["column"] in HEADINGS
        assert problem["problem"]
    assert {(p["row"], p["column"]) for p in result.problems} == expected(rows)
    if result.ok:
        assert result.rows == len(rows)
        with storage.reading(world["area"].pk) as db:
            count = db.execute("SELECT count(*) FROM records_1").fetchone()[0]
        assert count == len(rows)
