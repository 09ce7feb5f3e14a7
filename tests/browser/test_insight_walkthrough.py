"""Issue 14, items 1, 2 and 4, as an area's analyst would do it: Nadia brings in a file of
service records, matches its columns (the area's saved mapping is offered), the import runs
as a background job, and the data set is ready; she compares groups by ethnic group with the
outcome "housed" against the area's population, reads the flagged group in plain words, and
with one click starts a draft listening exercise that says where it came from. axe checks
every page on the way."""

from __future__ import annotations

import re

import pytest

from alongside.accounts.models import Role
from alongside.demo.insight import POPULATION_TITLE
from alongside.insight import importing, synthetic
from alongside.insight.models import Analysis, DataSet, Finding
from alongside.listening.models import Exercise

from .helpers import account_for, assert_accessible, follow, path_of, sign_in

pytestmark = pytest.mark.browser

TITLE = "Housing contacts, spring file"
ROWS = 2000


def _the_demo_population_in_duckdb(tmp_path) -> None:
    """The demo's population table, as the demo brought it in. The DuckDB files are emptied
    after every test (tests/conftest.py) while the demo's rows are restored from its copy, so
    a test that runs after another would find its data set without its table."""
    population = DataSet.objects.get(title=POPULATION_TITLE)
    result = importing.bring_in(
        area_id=population.area_id,
        table=population.table_name,
        path=synthetic.write_population(tmp_path / "population.csv"),
        file_format="csv",
        kind=DataSet.Kind.POPULATION,
        mapping=synthetic.POPULATION_MAPPING,
    )
    assert not result.problems


def test_from_an_imported_file_to_a_listening_draft(demo, page, tmp_path, run_jobs):
    _the_demo_population_in_duckdb(tmp_path)
    upload = synthetic.write_records(tmp_path / "housing-contacts.csv", rows=ROWS)
    nadia = account_for(Role.ANALYST)
    sign_in(page, nadia)

    # The file: service records, uploaded.
    page.goto("/insight/data/new/")
    assert_accessible(page, "bring in a data set")
    page.get_by_label("A short name for this data set").fill(TITLE)
    page.get_by_label("Service records: one row for each episode or contact").check()
    page.get_by_label("The file").set_input_files(str(upload))
    follow(page, page.get_by_role("button", name="Upload it"))
    dataset = DataSet.objects.get(title=TITLE)
    assert dataset.status == DataSet.Status.MAPPING
    assert dataset.headers == synthetic.RECORDS_HEADERS

    # Its columns: the area's saved mapping is offered for the same headings.
    assert path_of(page) == f"/insight/data/{dataset.pk}/columns/"
    assert_accessible(page, "match the columns")
    assert page.get_by_label("Person (a pseudonymous id)").input_value() == "Client ref"
    assert page.get_by_label("Ethnic group").input_value() == "Ethnic group"
    page.get_by_label("Date of the episode or contact").select_option("Episode start")
    page.get_by_label("Outcome 1: its column (yes or no)").select_option("Housed")
    page.get_by_label("Outcome 1: what yes means").fill("housed")
    follow(page, page.get_by_role("button", name="Check it and bring it in"))
    assert path_of(page) == f"/insight/data/{dataset.pk}/"
    assert_accessible(page, "the data set while it is brought in")

    # The import is a background job; once it has run, the data set is ready.
    run_jobs()
    page.goto(f"/insight/data/{dataset.pk}/")
    dataset.refresh_from_db()
    assert dataset.status == DataSet.Status.READY, dataset.problems[:3]
    assert dataset.row_count == ROWS
    main = page.locator("main").inner_text()
    assert "Ready" in main
    assert not re.search(r"\bP\d{7}\b", main), "no pseudonymous id on the page"
    assert_accessible(page, "the data set, ready")

    # Who is let down most: by ethnic group, housed, against the area's population.
    follow(page, page.get_by_role("link", name="Look at who is let down most"))
    assert path_of(page).startswith("/insight/analyses/new/")
    assert_accessible(page, "start an analysis")
    page.get_by_label("Compare groups by").select_option(label="Ethnic group")
    page.get_by_label("Compare with the area's population").select_option(label=POPULATION_TITLE)
    page.get_by_label("Outcome", exact=True).select_option(label="Housed")
    follow(page, page.get_by_role("button", name="Work out the figures"))
    analysis = Analysis.objects.get(records=dataset)
    assert path_of(page) == f"/insight/analyses/{analysis.pk}/"
    assert_accessible(page, "the analysis")
    flagged = Finding.objects.get(
        analysis=analysis, measure="outcome", group=synthetic.BLACK, ratio__lt=1
    )
    assert flagged.sentence.startswith("Black residents were housed at 0.")
    card = page.locator("li.card", has_text=flagged.sentence)
    assert card.count() == 1
    assert page.get_by_role("img").count() >= 1, "a forest plot"
    assert not re.search(r"\bP\d{7}\b", page.locator("main").inner_text())

    # One click: a draft listening exercise to hear from Black residents.
    follow(
        page,
        card.get_by_role("button", name="Hear from this group: start a listening exercise"),
    )
    flagged.refresh_from_db()
    exercise = Exercise.objects.get(pk=flagged.exercise_id)
    assert path_of(page) == f"/listening/{exercise.pk}/"
    assert exercise.starts_on is None, "a draft"
    assert exercise.target_groups == "Black residents"
    main = page.locator("main").inner_text()
    assert "This exercise was started from an area finding" in main
    assert flagged.sentence in main
    back = page.get_by_role("link", name=flagged.sentence)
    assert back.get_attribute("href") == f"/insight/findings/{flagged.pk}/"
    assert_accessible(page, "the draft listening exercise")

    # The finding links to it, and a second click opens the same draft.
    follow(page, back)
    assert path_of(page) == f"/insight/findings/{flagged.pk}/"
    assert_accessible(page, "the finding")
    follow(page, page.get_by_role("link", name="Go to the listening exercise"))
    assert path_of(page) == f"/listening/{exercise.pk}/"
    assert Exercise.objects.filter(started_from=flagged.sentence).count() == 1
