"""manage.py equalities_report: the JSON keys and values, from small files, checked against
stats.py by hand."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from alongside.insight import stats

BLACK = "Black, Black British, Black Welsh, Caribbean or African"
KEYS = {
    "group",
    "n",
    "rate",
    "ci_low",
    "ci_high",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
    "representation",
    "suppressed",
}


def _write(path, header, rows):
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def files(tmp_path):
    rows = []
    # 60 White residents, 45 housed; 40 Black residents ("Black British"), 12 housed;
    # 4 "Mixed": too few to show; 15 Asian residents, 5 housed and the rest not known.
    # Dates in two spellings.
    for i in range(60):
        rows.append((f"w{i}", "2024-01-05", "Advice", "white", "yes" if i < 45 else "no"))
    for i in range(40):
        rows.append((f"b{i}", "05/01/2024", "Advice", "Black British", "Y" if i < 12 else "N"))
    for i in range(4):
        rows.append((f"m{i}", "2024-01-05", "Advice", "Mixed", "yes"))
    for i in range(15):
        rows.append((f"a{i}", "2024-01-05", "Advice", "Asian", "yes" if i < 5 else ""))
    records = _write(
        tmp_path / "records.csv",
        ["Client ID", "Contact date", "Service", "Ethnicity", "Housed"],
        rows,
    )
    population = _write(
        tmp_path / "census.csv",
        ["Ethnicity", "Observation"],
        [("White", "9,000"), ("Black", "500"), ("Mixed or multiple", "500"), ("Asian", "1000")],
    )
    return records, population


def _report(*args):
    out = io.StringIO()
    call_command("equalities_report", *args, stdout=out)
    return out.getvalue()


def test_the_json_names_each_group_with_its_figures(files):
    records, population = files
    groups = json.loads(
        _report(
            "--records",
            str(records),
            "--population",
            str(population),
            "--by",
            "ethnicity",
            "--outcome",
            "Housed",
            "--json",
        )
    )
    by_name = {row["group"]: row for row in groups}
    for row in groups:
        assert KEYS <= set(row)
    black = by_name[BLACK]
    assert black["n"] == 40 and black["suppressed"] is False
    wilson = stats.wilson(12, 40)
    assert black["rate"] == pytest.approx(0.3)
    assert (black["ci_low"], black["ci_high"]) == pytest.approx((wilson.low, wilson.high))
    ratio = stats.rate_ratio(12, 40, 54, 69)  # everyone else: 45 + 4 + 5 of 60 + 4 + 5 known
    assert black["ratio"] == pytest.approx(ratio.value)
    assert (black["ratio_ci_low"], black["ratio_ci_high"]) == pytest.approx((ratio.low, ratio.high))
    # 40 of the 119 people against 500 of 11,000 residents.
    assert black["representation"] == pytest.approx(stats.representation(40, 119, 500, 11000).value)
    # 4 people: hidden, and (the total being shown) the next smallest group with them.
    mixed = by_name["Mixed or Multiple ethnic groups"]
    assert mixed["suppressed"] is True and mixed["n"] is None and mixed["rate"] is None
    assert mixed["representation"] is None and mixed["ratio"] is None
    asian = by_name["Asian, Asian British or Asian Welsh"]
    assert asian["suppressed"] is True  # secondary suppression: 15 is the next smallest
    assert asian["rate"] is None and asian["n"] is None
    assert by_name["White"]["n"] == 60 and by_name["White"]["rate"] == pytest.approx(0.75)


def test_the_readable_table_and_an_xlsx_file(files, tmp_path):
    from openpyxl import Workbook

    records, population = files
    workbook = Workbook()
    sheet = workbook.active
    with records.open() as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    workbook.save(tmp_path / "records.xlsx")
    text = _report(
        "--records",
        str(tmp_path / "records.xlsx"),
        "--population",
        str(population),
        "--by",
        "Ethnicity",
        "--outcome",
        "Housed",
        "--outcome-phrase",
        "housed",
    )
    assert "fewer than 10" in text
    assert "Black residents were housed at 0.38 times the rate of everyone else." in text


def test_bad_arguments_are_said_clearly(files, tmp_path):
    records, population = files
    with pytest.raises(CommandError, match='no characteristic column \\("religion"\\)'):
        _report("--records", str(records), "--by", "religion")
    with pytest.raises(CommandError, match="There is no file"):
        _report("--records", str(tmp_path / "nope.csv"), "--by", "ethnicity")
    with pytest.raises(CommandError, match="not yes or no"):
        _report("--records", str(records), "--by", "ethnicity", "--outcome", "Service")
    bad = _write(
        tmp_path / "bad.csv", ["id", "date", "service", "sex"], [("p", "2024-01-01", "A", "blue")]
    )
    with pytest.raises(CommandError, match='"blue" is not one of the sex groups'):
        _report("--records", str(bad), "--by", "sex")


def test_with_no_outcome_and_no_population_the_rates_are_null(files):
    records, _ = files
    groups = json.loads(_report("--records", str(records), "--by", "ethnicity", "--json"))
    black = next(row for row in groups if row["group"] == BLACK)
    assert black["n"] == 40
    assert black["rate"] is None and black["ratio"] is None and black["representation"] is None
