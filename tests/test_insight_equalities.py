"""analyse() over a small DuckDB table made by hand: who is flagged, in what words, and what
is held back to protect people."""

# ruff: noqa: S608 - the test writes its own tables

from __future__ import annotations

import duckdb
import pytest

from alongside.insight import equalities, fields, stats

BLACK = "Black, Black British, Black Welsh, Caribbean or African"


def _sql(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"


def _people(connection, rows):
    # One INSERT for all the rows: DuckDB's executemany runs a statement per row, and slowly.
    values = ", ".join("(" + ", ".join(_sql(v) for v in row) + ")" for row in rows)
    connection.execute(f"INSERT INTO records VALUES {values}")


@pytest.fixture
def area():
    """White: 200 people, 120 housed, 5 coming back. Black: 100 people, 30 housed, 80 with 3
    contacts in three months at three services. Asian: 6 people. Not recorded: 40 people, 15
    coming back."""
    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE records (person_id VARCHAR, date DATE, service VARCHAR, "
        "ethnicity VARCHAR, outcome_housed BOOLEAN)"
    )
    rows = []

    def three_contacts(person, group, housed):
        rows.append((person, "2024-02-01", "Advice", group, None))
        rows.append((person, "2024-03-01", "Housing", group, False))
        rows.append((person, "2024-04-01", "Health", group, housed))

    for i in range(200):
        if i < 5:
            three_contacts(f"w{i}", "White", True)
        else:
            rows.append((f"w{i}", "2024-01-05", "Advice", "White", i < 120))
    for i in range(100):
        # An earlier record said another group: the latest one counts.
        rows.append((f"b{i}", "2023-01-01", "Advice", "White", None))
        if i < 80:
            three_contacts(f"b{i}", BLACK, i < 30)
        else:
            rows.append((f"b{i}", "2024-02-01", "Advice", BLACK, i < 30))
    for i in range(6):
        rows.append((f"a{i}", "2024-01-05", "Advice", "Asian, Asian British or Asian Welsh", True))
    for i in range(40):
        if i < 15:
            three_contacts(f"n{i}", fields.NOT_RECORDED, i < 10)
        else:
            rows.append((f"n{i}", "2024-01-05", "Advice", fields.NOT_RECORDED, i < 20))
    _people(connection, rows)
    connection.execute(
        "CREATE TABLE population AS SELECT * FROM (VALUES ('White', 90000), "
        f"('{BLACK}', 5000), ('Asian, Asian British or Asian Welsh', 5000)) t(ethnicity, count)"
    )
    yield connection
    connection.close()


def _run(connection, **kwargs):
    return equalities.analyse(
        connection,
        records="records",
        population="population",
        by="ethnicity",
        outcome="outcome_housed",
        outcome_phrase="housed",
        **kwargs,
    )


def test_a_group_clearly_let_down_is_flagged_in_plain_words(area):
    analysed = _run(area)
    black = next(g for g in analysed.groups if g.group == BLACK)
    assert black.n == 100 and not black.suppressed
    outcome = black.measures["outcome"]
    # 30 of 100 against everyone else: White 120 of 200, Asian 6 of 6, not recorded 15 of 40.
    expected = stats.rate_ratio(30, 100, 141, 246)
    assert outcome.rate == pytest.approx(0.30)
    assert outcome.ratio == pytest.approx(expected.value)
    assert outcome.ratio_ci_high == pytest.approx(expected.high)
    assert outcome.flagged
    sentences = [f.sentence for f in analysed.findings]
    assert (
        f"Black residents were housed at {expected.value:.2f} times the rate of everyone else"
        in sentences
    )
    # 80 of 100 Black residents came back 3 times within 12 months, at 3 services; 20 of the
    # 246 others did.
    repeat = stats.rate_ratio(80, 100, 20, 246)
    assert black.measures["repeat"].rate == pytest.approx(0.8)
    assert black.measures["repeat"].ratio == pytest.approx(repeat.value)
    assert (
        f"Black residents came back 3 or more times in 12 months at {repeat.value:.2f} times "
        "the rate of everyone else" in sentences
    )
    assert (
        f"Black residents were in touch with 3 or more services at {repeat.value:.2f} times "
        "the rate of everyone else" in sentences
    )
    # Representation: 100 of the 306 recorded people against 5,000 of 100,000 residents.
    rep = black.measures["representation"]
    assert rep.ratio == pytest.approx(stats.representation(100, 306, 5000, 100000).value)
    assert (
        f"Black residents were in services at {rep.ratio:.2f} times their share of the area's "
        "population" in sentences
    )
    black_json = next(g for g in analysed.as_json()["groups"] if g["group"] == BLACK)
    assert black_json["measures"]["outcome"]["flagged"] is True


def test_a_group_of_6_is_suppressed_with_no_rate_and_a_second_group_goes_with_it(area):
    analysed = _run(area)
    groups = {g.group: g for g in analysed.groups}
    asian = groups["Asian, Asian British or Asian Welsh"]
    assert asian.suppressed and asian.n is None and asian.n_text == "fewer than 10"
    for figure in asian.measures.values():
        assert figure.rate is None and figure.ratio is None and figure.ci_low is None
        assert not figure.flagged
    # With the total shown, the next smallest group (not recorded, 40) is hidden too.
    assert analysed.people == 345
    not_recorded = groups[fields.NOT_RECORDED]
    assert not_recorded.suppressed and not_recorded.measures["outcome"].rate is None
    assert all(f.group not in (asian.group, fields.NOT_RECORDED) for f in analysed.findings)
    commands = {row["group"]: row for row in analysed.groups_for_command()}
    assert commands[asian.group]["n"] is None and commands[asian.group]["rate"] is None


def test_a_rate_with_few_behind_it_is_withheld_and_not_recorded_is_never_flagged(area):
    # 12 more people whose ethnicity is not known, all housed: big enough to show, but
    # "not recorded" is never compared.
    _people(area, [(f"x{i}", "2024-01-05", "Advice", fields.NOT_RECORDED, True) for i in range(60)])
    analysed = _run(area)
    not_recorded = next(g for g in analysed.groups if g.not_recorded)
    assert not not_recorded.suppressed
    assert all(not figure.flagged for figure in not_recorded.measures.values())
    white = next(g for g in analysed.groups if g.group == "White")
    # 5 of 200 White residents came back 3 times: too few to show safely.
    assert white.measures["repeat"].withheld == equalities.TOO_FEW
    assert white.measures["repeat"].rate is None


def test_the_json_has_the_documented_shape_and_the_method(area):
    figures = _run(area).as_json()
    assert set(figures) >= {
        "by",
        "by_label",
        "outcome",
        "outcome_phrase",
        "people",
        "groups",
        "findings",
        "method",
        "measures",
    }
    assert figures["by_label"] == "Ethnic group"
    assert figures["people"] == {"value": 345, "text": "345"}
    assert any("Wilson" in paragraph for paragraph in figures["method"])


def test_a_missing_column_is_said_in_words(area):
    with pytest.raises(equalities.AnalysisError, match='no column "religion"'):
        equalities.analyse(area, records="records", population=None, by="religion", outcome=None)


@pytest.mark.parametrize("services", [64, 70])
def test_many_services_is_counted_exactly_however_many_services_there_are(services):
    # Up to 64 services are counted as bits, more as a distinct count: the same answer.
    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE records (person_id VARCHAR, date DATE, service VARCHAR, "
        "ethnicity VARCHAR, outcome_housed BOOLEAN)"
    )
    rows = []
    for j in range(20):  # 3 different services: the last three, the highest bits
        rows += [(f"m{j}", "2024-01-01", f"s{services - k}", "White", None) for k in (1, 2, 3)]
    for j in range(20):  # 3 times at one service
        rows += [(f"o{j}", "2024-01-01", "s0", "White", None) for _ in range(3)]
    rows += [("z", "2024-01-01", f"s{k}", "White", None) for k in range(services)]
    _people(connection, rows)
    analysed = equalities.analyse(
        connection, records="records", population=None, by="ethnicity", outcome=None
    )
    (white,) = analysed.groups
    assert white.n_true == 41
    assert white.measures["many_services"].rate == pytest.approx(21 / 41)
    assert white.measures["repeat"].withheld == equalities.TOO_FEW  # all 41 came back
