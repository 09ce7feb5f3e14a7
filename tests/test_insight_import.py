"""Bringing an area's data in (issue 14, item 1): upload, match the columns, check every row
in the background, and keep it in the area's DuckDB file only if every row is good."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alongside.accounts.models import Role
from alongside.core.models import AuditEntry
from alongside.insight import importing, storage
from alongside.insight.models import DataSet, SavedMapping
from tests import factories
from tests.factories import text_of

pytestmark = pytest.mark.django_db

HEADINGS = "Client ref,Episode start,Service,Ethnic group,Sex,Age band,Disability,Housed?\n"
GOOD = HEADINGS + (
    "P1,2024-03-01,Housing,White: Irish,F,18-24,yes,Yes\n"
    "P2,01/04/2024,Debt advice,Black,male,65+,no,no\n"
    "P3,2024-05-20,Housing,prefer not to say,Female,Under 18,,\n"
)
BAD = HEADINGS + (
    "P1,2024-03-01,Housing,White,F,18-24,yes,Yes\n"
    "P2,31/02/2024,Housing,Black,Q,18-24,no,no\n"
    ",2024-03-02,Housing,Martian,M,200-300,no,maybe\n"
)

MAPPING_POST = {
    "person_id": "Client ref",
    "date": "Episode start",
    "service": "Service",
    "char_ethnicity": "Ethnic group",
    "char_sex": "Sex",
    "char_age_band": "Age band",
    "char_disability": "Disability",
    "outcome_0_column": "Housed?",
    "outcome_0_phrase": "housed",
}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client: Any, area: Any, body: bytes, name: str = "contacts.csv", **extra: Any) -> Any:
    return client.post(
        reverse("insight:dataset_new"),
        {
            "area": area.pk,
            "title": "Housing contacts",
            "kind": extra.get("kind", "records"),
            "file": SimpleUploadedFile(name, body),
        },
    )


def _bring_in(client: Any, dataset: DataSet, run_jobs: Any, **changes: str) -> Any:
    dataset.refresh_from_db()
    post = {**MAPPING_POST, "version": dataset.version, **changes}
    response = client.post(reverse("insight:dataset_columns", args=[dataset.pk]), post)
    assert response.status_code == 302, text_of(response)
    run_jobs()
    dataset.refresh_from_db()
    return response


def _table(dataset: DataSet) -> list[tuple[Any, ...]]:
    with storage.reading(dataset.area_id) as db:
        return db.execute(
            f"SELECT person_id, date, service, ethnicity, sex, age_band, disability, "  # noqa: S608
            f'outcome_housed FROM "{dataset.table_name}" ORDER BY person_id'
        ).fetchall()


def _tables(area_id: int) -> set[str]:
    with storage.reading(area_id) as db:
        return {row[0] for row in db.execute("SHOW TABLES").fetchall()}


def test_a_good_csv_is_brought_in_with_every_value_in_its_group(world, login, run_jobs):
    client = login(world["analyst"])
    response = _upload(client, world["area"], GOOD.encode("utf-8-sig"))
    dataset = DataSet.objects.get()
    assert response.url == reverse("insight:dataset_columns", args=[dataset.pk])
    assert dataset.status == DataSet.Status.MAPPING
    assert dataset.headers[0] == "Client ref"  # the byte-order mark is not part of it
    assert dataset.organisation == world["council"]
    # The columns page guessed from the headings.
    page = text_of(client.get(response.url))
    assert '<option value="Ethnic group" selected>' in page

    _bring_in(client, dataset, run_jobs)
    assert dataset.status == DataSet.Status.READY, dataset.problems
    assert dataset.row_count == 3
    assert str(dataset.first_date) == "2024-03-01" and str(dataset.last_date) == "2024-05-20"
    assert not dataset.source  # the upload is deleted once its rows are in
    rows = _table(dataset)
    assert rows[0][3:] == ("White", "Female", "18 to 24", "Disabled", True)
    assert rows[1][1].isoformat() == "2024-04-01"
    assert rows[1][3:] == (
        "Black, Black British, Black Welsh, Caribbean or African",
        "Male",
        "65 and over",
        "Not disabled",
        False,
    )
    assert rows[2][3:] == ("Not recorded", "Female", "Under 18", "Not recorded", None)

    page = text_of(client.get(reverse("insight:dataset", args=[dataset.pk])))
    assert "Brought in 3 rows." in page
    assert "?records=" in page  # the way on to analysing it
    # Never a person id (as a word: a random form token may hold the letters "P1").
    assert not re.search(r"\bP1\b", page)
    listing = text_of(client.get(reverse("insight:datasets")))
    assert "Housing contacts" in listing and "Ready" in listing
    assert "1 March 2024 to 20 May 2024" in listing
    assert f"{world['analyst'].display_name()}, " in listing  # who brought it in


def test_a_bad_csv_is_refused_naming_each_row_and_column_and_nothing_is_kept(
    world, login, run_jobs
):
    client = login(world["analyst"])
    _upload(client, world["area"], BAD.encode())
    dataset = DataSet.objects.get()
    _bring_in(client, dataset, run_jobs)
    assert dataset.status == DataSet.Status.REFUSED
    found = {(p["row"], p["column"]) for p in dataset.problems}
    assert found == {
        (3, "Episode start"),
        (3, "Sex"),
        (4, "Client ref"),
        (4, "Ethnic group"),
        (4, "Age band"),
        (4, "Housed?"),
    }
    assert dataset.problem_count == 6
    assert dataset.table_name not in _tables(dataset.area_id)
    assert dataset.source  # kept, so the columns can be matched again
    page = text_of(client.get(reverse("insight:dataset", args=[dataset.pk])))
    assert "Row 3" in page and '"Q" is not one of the sex groups' in page
    assert "the heading row is row 1" in page


def test_a_file_that_cannot_be_split_into_cells_is_refused_by_line(world, login, run_jobs):
    client = login(world["analyst"])
    _upload(
        client, world["area"], (GOOD + "P4,2024-01-01,Housing,White,F,18-24,no,no,extra\n").encode()
    )
    dataset = DataSet.objects.get()
    _bring_in(client, dataset, run_jobs)
    assert dataset.status == DataSet.Status.REFUSED
    assert dataset.problems == [
        {"row": 5, "column": "", "problem": "it has more cells than there are headings"}
    ]
    assert not _tables(dataset.area_id)


def test_a_windows_encoded_semicolon_file_is_read(world, tmp_path):
    path = tmp_path / "windows.csv"
    path.write_bytes(GOOD.replace(",", ";").replace("Debt advice", "Débt advice").encode("cp1252"))
    mapping = {
        "person_id": "Client ref",
        "date": "Episode start",
        "service": "Service",
        "characteristics": {"sex": "Sex"},
        "outcomes": {},
    }
    result = importing.bring_in(
        area_id=world["area"].pk,
        table="records_1",
        path=path,
        file_format="csv",
        kind="records",
        mapping=mapping,
    )
    assert result.ok and result.rows == 3
    with storage.reading(world["area"].pk) as db:
        services = {r[0] for r in db.execute("SELECT service FROM records_1").fetchall()}
    assert services == {"Housing", "Débt advice"}


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_population_table_is_brought_in(world, login, run_jobs):
    from datetime import date

    client = login(world["analyst"])
    body = _xlsx(
        [
            ["Ethnic group", "Sex", "Residents"],
            ["White", "Female", 1200],
            ["Black", "Male", 340.0],
            [None, None, None],  # a blank row in the sheet is skipped, not a problem
            ["Asian", "F", "1,005"],
        ]
    )
    _upload(client, world["area"], body, name="census.xlsx", kind="population")
    dataset = DataSet.objects.get()
    assert dataset.source_format == "xlsx" and dataset.headers == [
        "Ethnic group",
        "Sex",
        "Residents",
    ]
    page = text_of(client.get(reverse("insight:dataset_columns", args=[dataset.pk])))
    assert '<option value="Residents" selected>' in page
    response = client.post(
        reverse("insight:dataset_columns", args=[dataset.pk]),
        {
            "version": dataset.version,
            "char_ethnicity": "Ethnic group",
            "char_sex": "Sex",
            "count": "Residents",
        },
    )
    assert response.status_code == 302
    run_jobs()
    dataset.refresh_from_db()
    assert dataset.status == DataSet.Status.READY, dataset.problems
    with storage.reading(dataset.area_id) as db:
        # By name: PostgreSQL keeps a mapping's keys in its own order, so the columns may
        # come in another order than the file's.
        rows = db.execute(
            f'SELECT ethnicity, sex, count FROM "{dataset.table_name}" ORDER BY count'  # noqa: S608
        ).fetchall()
    assert [r[2] for r in rows] == [340, 1005, 1200]
    assert rows[1][:2] == ("Asian, Asian British or Asian Welsh", "Female")

    # And a workbook of records with a bad cell names the sheet's own row.
    bad = _xlsx(
        [
            ["Client ref", "Episode start", "Service"],
            ["P1", date(2024, 3, 1), "Housing"],
            [None, None, None],
            ["P2", "someday", "Housing"],
        ]
    )
    _upload(client, world["area"], bad, name="records.xlsx")
    records = DataSet.objects.get(kind="records")
    response = client.post(
        reverse("insight:dataset_columns", args=[records.pk]),
        {
            "version": records.version,
            "person_id": "Client ref",
            "date": "Episode start",
            "service": "Service",
        },
    )
    run_jobs()
    records.refresh_from_db()
    assert records.problems == [
        {
            "row": 4,
            "column": "Episode start",
            "problem": '"someday" is not a date: write it as 2024-03-01 or 01/03/2024',
        }
    ]


@pytest.mark.parametrize(
    ("name", "body", "words"),
    [
        ("data.csv", b"PK\x03\x04" + b"\x00" * 40, "it is a zip file"),
        ("data.csv", b"%PDF-1.7\n%binary", "it is a PDF"),
        ("data.csv", b"a,b\n\x00\x01\x02", "isn't text"),
        ("data.xlsx", b"Client ref,Service\nP1,Housing\n", "isn't one"),
        ("data.xlsx", b"PK\x05\x06" + b"\x00" * 18, "isn't one"),
        ("data.pdf", b"%PDF-1.7", "Choose a CSV file"),
        ("data.csv", b"", "empty"),
        ("data.csv", b"Sex,sex\nF,F\n", "Two columns are both called"),
    ],
)
def test_a_lying_or_unreadable_upload_is_refused(world, login, name, body, words):
    client = login(world["analyst"])
    response = _upload(client, world["area"], body, name=name)
    assert response.status_code == 400
    assert words in text_of(response)
    assert not DataSet.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(world, login, settings):
    settings.INSIGHT_UPLOAD_MAX_BYTES = 100
    response = _upload(login(world["analyst"]), world["area"], GOOD.encode())
    assert response.status_code == 400
    assert "more than the 1 KB we can take" in text_of(response)
    assert not DataSet.objects.exists()


def test_the_saved_mapping_is_offered_next_time(world, login, run_jobs):
    client = login(world["analyst"])
    _upload(client, world["area"], GOOD.encode())
    first = DataSet.objects.get()
    # "Housed?" would never be guessed: only the saved mapping can offer it.
    _bring_in(client, first, run_jobs, outcome_0_phrase="found a home")
    saved = SavedMapping.objects.get(area=world["area"], kind="records")
    assert saved.mapping["outcomes"] == {
        "found_a_home": {"column": "Housed?", "phrase": "found a home"}
    }
    _upload(client, world["area"], GOOD.encode())
    second = DataSet.objects.latest("pk")
    page = text_of(client.get(reverse("insight:dataset_columns", args=[second.pk])))
    assert "your area matched last time" in page
    assert 'value="found a home"' in page
    assert '<option value="Housed?" selected>' in page


def test_a_stale_mapping_is_refused_and_shows_what_was_typed(world, login, run_jobs):
    client = login(world["analyst"])
    _upload(client, world["area"], GOOD.encode())
    dataset = DataSet.objects.get()
    old_version = dataset.version
    other = login(world["commissioner"])
    response = other.post(
        reverse("insight:dataset_columns", args=[dataset.pk]),
        {**MAPPING_POST, "version": old_version},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("insight:dataset_columns", args=[dataset.pk]),
        {**MAPPING_POST, "outcome_0_phrase": "kept their home", "version": old_version},
    )
    assert response.status_code == 409
    page = text_of(response)
    assert "Someone else matched this data set's columns" in page
    assert 'value="kept their home"' in page  # what was typed is still there
    dataset.refresh_from_db()
    assert dataset.mapping["outcomes"] == {"housed": {"column": "Housed?", "phrase": "housed"}}


def test_mapping_problems_are_shown_with_what_was_chosen(world, login):
    client = login(world["analyst"])
    _upload(client, world["area"], GOOD.encode())
    dataset = DataSet.objects.get()
    response = client.post(
        reverse("insight:dataset_columns", args=[dataset.pk]),
        {**MAPPING_POST, "char_sex": "Service", "outcome_0_phrase": "", "version": dataset.version},
    )
    assert response.status_code == 400
    page = text_of(response)
    assert '"Service" is already chosen above.' in page
    assert "Say what yes means" in page
    dataset.refresh_from_db()
    assert dataset.status == DataSet.Status.MAPPING


def test_the_delete_drops_the_table_and_is_audited(world, login, run_jobs):
    client = login(world["analyst"])
    _upload(client, world["area"], GOOD.encode())
    dataset = DataSet.objects.get()
    _bring_in(client, dataset, run_jobs)
    assert dataset.table_name in _tables(dataset.area_id)
    assert client.get(reverse("insight:dataset_delete", args=[dataset.pk])).status_code == 200
    response = client.post(reverse("insight:dataset_delete", args=[dataset.pk]))
    assert response.status_code == 302
    assert not DataSet.objects.exists()
    assert dataset.table_name not in _tables(dataset.area_id)
    assert AuditEntry.objects.filter(detail=f"data set {dataset.pk} deleted").exists()


def test_only_the_areas_analysts_and_commissioners_may_see_or_change_its_data(
    world, login, run_jobs
):
    owner = login(world["analyst"])
    _upload(owner, world["area"], GOOD.encode())
    dataset = DataSet.objects.get()
    elsewhere = factories.area("Elsewhere")
    far_council = factories.organisation("local_authority", area_obj=elsewhere)
    strangers = [
        world["coach"],
        world["lead"],
        factories.staff(Role.ANALYST, far_council),
        factories.staff(Role.COMMISSIONER, far_council),
    ]
    pages = [
        reverse("insight:dataset", args=[dataset.pk]),
        reverse("insight:dataset_columns", args=[dataset.pk]),
        reverse("insight:dataset_delete", args=[dataset.pk]),
    ]
    for user in strangers:
        client = login(user)
        for url in pages:
            assert client.get(url).status_code in (403, 404), (user, url)
        assert client.post(pages[2]).status_code in (403, 404)
        response = client.post(pages[1], {**MAPPING_POST, "version": dataset.version})
        assert response.status_code in (403, 404)
    for user in strangers[:2]:
        client = login(user)
        assert client.get(reverse("insight:datasets")).status_code == 403
        assert _upload(client, world["area"], GOOD.encode()).status_code == 403
    # The other area's analyst sees only their own area's (empty) list, and cannot upload
    # into this area by naming it.
    far = login(strangers[2])
    assert "Housing contacts" not in text_of(far.get(reverse("insight:datasets")))
    assert _upload(far, world["area"], GOOD.encode()).status_code == 400
    dataset.refresh_from_db()
    assert dataset.status == DataSet.Status.MAPPING and DataSet.objects.count() == 1
    assert AuditEntry.objects.filter(action="denied").count() >= 8


def test_an_import_that_stops_says_why_and_may_be_tried_again(world, login, run_jobs):
    client = login(world["analyst"])
    _upload(client, world["area"], GOOD.encode())
    dataset = DataSet.objects.get()
    Path(dataset.source.path).unlink()  # gone from storage under the job's feet
    _bring_in(client, dataset, run_jobs)
    assert dataset.status == DataSet.Status.CHECKING  # the job failed; the page says so
    page = text_of(client.get(reverse("insight:dataset", args=[dataset.pk])))
    assert "The import stopped." in page
    assert "can't be read as a table" in page
    assert "Match the columns again" in page
    listing = text_of(client.get(reverse("insight:datasets")))
    assert "Stopped with a problem" in listing


def test_someone_with_several_areas_chooses_which_one(world, login):
    analyst = world["analyst"]
    second = factories.area("Second")
    council = factories.organisation("local_authority", area_obj=second)
    from alongside.accounts.models import Membership

    Membership.objects.create(user=analyst, organisation=council, role=Role.ANALYST)
    client = login(analyst)
    page = text_of(client.get(reverse("insight:dataset_new")))
    assert "Which area is this for" in page and second.name in page
    response = _upload(client, second, GOOD.encode())
    assert response.status_code == 302
    made = DataSet.objects.get()
    assert made.area == second and made.organisation == council


def test_a_population_count_must_be_a_whole_number(world, tmp_path):
    path = tmp_path / "census.csv"
    path.write_text(
        "Sex,Residents\n"
        'Female,"1,200"\n'
        "Male,\n"
        "Female,-3\n"
        "Male,2.5\n"
        "Female,99999999999999999999999\n"
        "Male,0\n"
    )
    result = importing.bring_in(
        area_id=world["area"].pk,
        table="population_1",
        path=path,
        file_format="csv",
        kind="population",
        mapping={"characteristics": {"sex": "Sex"}, "count": "Residents"},
    )
    assert [(p["row"], p["column"]) for p in result.problems] == [
        (3, "Residents"),
        (4, "Residents"),
        (5, "Residents"),
        (6, "Residents"),
    ]
    assert result.problems[0]["problem"] == "the count is blank"
    assert result.problems[1]["problem"] == '"-3" is not a whole number of 0 or more'
    assert not _tables(world["area"].pk)


def test_the_progress_asks_htmx_for_the_whole_page_once_the_import_is_over(world, login, run_jobs):
    client = login(world["analyst"])
    _upload(client, world["area"], GOOD.encode())
    dataset = DataSet.objects.get()
    dataset.refresh_from_db()
    client.post(
        reverse("insight:dataset_columns", args=[dataset.pk]),
        {**MAPPING_POST, "version": dataset.version},
    )
    url = reverse("insight:dataset", args=[dataset.pk]) + "?progress=1"
    waiting = client.get(url, headers={"HX-Request": "true"})
    assert "Waiting to start" in text_of(waiting) and "hx-get" in text_of(waiting)
    run_jobs()
    done = client.get(url, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
