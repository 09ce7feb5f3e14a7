"""Bringing contributions in from a CSV file or a zip of .txt and .eml files: every row
checked first, each problem named by its row or file, and nothing written unless all of
it is good."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alongside.accounts.models import Role
from alongside.core.models import AuditAction, AuditEntry, Job
from alongside.listening import uploads
from alongside.listening.models import Channel, Contribution
from alongside.listening.services.contributions import ContributionFields, contribution_create
from alongside.listening.services.exercises import exercise_create

from .factories import staff, text_of

pytestmark = pytest.mark.django_db

HEADER = "channel,place,date,text,credit_name,credit_place,consent_to_quote,content_warnings\n"
GOOD = (
    HEADER + "face to face,Oxford Street,2026-03-02,The forms never ask what I'm good at.,Sam,"
    "Oxford Street,yes,\n"
    + 'WhatsApp,Canal Street,14/03/2026,"Ring me on 07700 900123, nobody else did.",,,no,\n'
    + "phone,,,I waited fifty minutes on hold.,,,,\n"
)


@pytest.fixture
def exercise(world):
    return exercise_create(
        actor=world["listener"],
        organisation=world["home"],
        title="Voices",
        question="What's it like?",
    )


def _upload(client, exercise, name: str, content: bytes, **extra):
    data = {"file": SimpleUploadedFile(name, content), "channel": Channel.EMAIL, **extra}
    return client.post(f"/listening/{exercise.pk}/import/", data)


def test_a_good_csv_brings_every_row_in_with_details_taken_out(world, login, exercise, run_jobs):
    client = login(world["listener"])
    response = _upload(client, exercise, "heard.csv", GOOD.encode())
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == f"/listening/{exercise.pk}/imports/{job.pk}/"
    waiting = text_of(client.get(response["Location"]))
    assert "Bringing in heard.csv (3 contributions)" in waiting
    assert "Waiting to start" in waiting and "Check again" in waiting
    assert not Contribution.objects.exists(), "the page only starts the import"

    run_jobs()
    done = text_of(client.get(response["Location"]))
    assert "Brought in 3 contributions. Names and numbers are taken out" in done
    assert "Check the contributions" in done
    assert Job.objects.get().payload == {}, "the rows are not kept in the job once brought in"
    rows = list(Contribution.objects.filter(exercise=exercise).order_by("pk"))
    assert [c.channel for c in rows] == [Channel.FACE_TO_FACE, Channel.WHATSAPP, Channel.PHONE]
    assert [c.heard_on for c in rows] == [date(2026, 3, 2), date(2026, 3, 14), None]
    assert rows[0].credit_line == "Sam, Oxford Street" and rows[0].consent_to_quote
    assert rows[1].credit_line == "Anonymous" and not rows[1].consent_to_quote
    assert "07700 900123" not in rows[1].redacted_text
    assert rows[1].redactions.get().label == "phone"
    assert all(c.captured_by == world["listener"] for c in rows)
    assert all(c.state == Contribution.State.DRAFT for c in rows)
    created = AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="listening.contribution"
    )
    assert created.count() == 3
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE,
        object_type="listening.exercise",
        detail="import from a CSV file: 3 contributions",
    ).exists()


def test_bad_rows_are_named_by_number_and_nothing_is_written(world, login, exercise):
    bad = (
        HEADER
        + "face to face,Oxford Street,2026-03-02,All fine here.,,,yes,\n"
        + "fax,Market Square,2026-03-02,Wrong channel.,,,yes,\n"
        + "phone,Market Square,31/02/2026,Not a real date.,,,maybe,\n"
        + "phone,Market Square,2026-03-02,,,,no,\n"
    )
    response = _upload(login(world["listener"]), exercise, "heard.csv", bad.encode(), place="Dock")
    assert response.status_code == 400
    page = text_of(response)
    assert "Nothing was brought in: 4 things to fix" in page
    assert 'Row 3: the channel "fax" isn\'t one we know' in page
    assert 'Row 4: the date "31/02/2026" isn\'t one we can read' in page
    assert 'Row 4: consent_to_quote is "maybe": write yes or no' in page
    assert "Row 5: there are no words in the text column" in page
    assert "Row 2" not in page
    assert not Contribution.objects.exists()
    assert not AuditEntry.objects.filter(object_type="listening.contribution").exists()
    # The form is shown again with what was chosen.
    assert 'value="Dock"' in response.content.decode()


def test_duplicates_in_the_file_and_already_in_the_exercise_are_flagged(world, exercise):
    contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(channel=Channel.PHONE, text="I waited fifty minutes on hold."),
    )
    csv = (
        HEADER
        + "phone,,,The  bus never came.,,,,\n"
        + "phone,,,I waited fifty minutes on hold.,,,,\n"
        + "email,,,the bus never came.,,,,\n"
    )
    check = uploads.check_upload(exercise, csv.encode(), "csv", channel="", place="")
    assert [str(p) for p in check.problems] == [
        "Row 3: these words are already in this exercise",
        "Row 4: the words are the same as row 2",
    ]
    assert not check.ok


def test_unknown_and_missing_columns_are_named(exercise):
    check = uploads.read_csv(b"channel,words,notes\nphone,hello,x\n")
    messages = [str(p) for p in check.problems]
    assert messages[0] == "Row 1: the headings need a column called text"
    assert any('we don\'t use a column called "words"' in m for m in messages)
    assert any('we don\'t use a column called "notes"' in m for m in messages)


def test_future_dates_and_overlong_cells_are_refused():
    future = date.today().replace(year=date.today().year + 1).isoformat()
    csv = HEADER + f"phone,{'x' * 201},{future},Words.,,,,\n"
    messages = [str(p) for p in uploads.read_csv(csv.encode()).problems]
    assert messages == [
        f'Row 2: the date "{future}" is in the future',
        "Row 2: place is longer than 200 characters",
    ]


def test_a_spreadsheet_saved_in_the_windows_encoding_is_read():
    csv = (HEADER + "phone,Caf\xe9 on Mill Lane,,It was \xa35 I didn't have.,,,,\n").encode(
        "cp1252"
    )
    check = uploads.read_csv(csv)
    assert check.ok
    assert check.rows[0].place == "Café on Mill Lane"
    assert "£5" in check.rows[0].text


def test_an_oversized_file_is_refused_before_it_is_read(world, login, exercise):
    big = HEADER.encode() + b"x" * (uploads.MAX_UPLOAD_BYTES + 1)
    response = _upload(login(world["listener"]), exercise, "heard.csv", big)
    assert response.status_code == 400
    assert "This file is too big: 5 MB at most." in text_of(response)
    assert not Contribution.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("heard.xlsx", b"PK\x03\x04whatever", "Choose a .csv or a .zip file."),
        ("heard.pdf", b"%PDF-1.4", "Choose a .csv or a .zip file."),
        ("heard.csv", b"\x00\x01\x02binary", "The file: this isn't a CSV file"),
        ("heard.zip", b"not a zip at all", "The file: this isn't a zip file"),
    ],
)
def test_the_wrong_kind_of_file_is_refused(world, login, exercise, name, content, message):
    response = _upload(login(world["listener"]), exercise, name, content)
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Contribution.objects.exists()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


EML = b"""From: Jo Bloggs <jo.bloggs@example.org>
To: listening@example.org
Subject: my story
Date: Tue, 03 Mar 2026 10:15:00 +0000
Content-Type: text/plain; charset="utf-8"

Nobody told the housing office I was leaving hospital.
Call me on 07700 900555 if you want to know more.
"""

EML_HTML = b"""From: someone@example.org
Date: Wed, 04 Mar 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"

<p>The library let me <b>charge my phone</b> &amp; never asked why.</p>
"""


def test_a_zip_of_text_and_email_files_becomes_one_contribution_each(
    world, login, exercise, run_jobs
):
    archive = _zip(
        {
            "heard/a-note.txt": b"The forms only ask what's wrong with you.",
            "heard/from-jo.eml": EML,
            "heard/library.eml": EML_HTML,
            "__MACOSX/heard/._a-note.txt": b"\x00\x05junk",
            "heard/.DS_Store": b"\x00junk",
        }
    )
    client = login(world["listener"])
    response = _upload(client, exercise, "heard.zip", archive, channel=Channel.EMAIL, place="Hull")
    assert response.status_code == 302
    run_jobs()
    contributions = list(Contribution.objects.filter(exercise=exercise).order_by("pk"))
    assert len(contributions) == 3
    assert all(c.channel == Channel.EMAIL and c.place == "Hull" for c in contributions)
    note, jo, library = contributions
    assert note.text == "The forms only ask what's wrong with you."
    assert jo.text.startswith("Nobody told the housing office")
    assert jo.heard_on == date(2026, 3, 3)
    assert "07700 900555" not in jo.redacted_text
    assert "jo.bloggs" not in jo.text and "Jo Bloggs" not in jo.text, "the sender is not kept"
    assert library.text == "The library let me charge my phone & never asked why."


def test_a_bad_file_in_the_zip_is_named_and_nothing_is_written(world, login, exercise):
    archive = _zip(
        {
            "a.txt": b"Good words.",
            "b.docx": b"PK\x03\x04",
            "c.txt": b"   ",
            "d.txt": b"Good words.",
        }
    )
    response = _upload(login(world["listener"]), exercise, "heard.zip", archive)
    assert response.status_code == 400
    page = text_of(response)
    assert "File 2 (b.docx): only .txt and .eml files can be read" in page
    assert "File 3 (c.txt): there are no words in it" in page
    assert "File 4 (d.txt): the words are the same as file 1 (a.txt)" in page
    assert not Contribution.objects.exists()


def test_a_zip_that_would_unzip_too_big_is_refused():
    archive = _zip({"a.txt": b"a" * (uploads.MAX_UNZIPPED_BYTES + 1)})
    check = uploads.read_zip(archive, channel=Channel.EMAIL)
    assert [str(p) for p in check.problems] == ["The file: unzipped, it holds more than 25 MB"]


def test_only_the_team_may_import(world, login, exercise):
    outsider = staff(Role.LISTENER, world["home"])
    response = _upload(login(outsider), exercise, "heard.csv", GOOD.encode())
    assert response.status_code == 403
    assert not Contribution.objects.exists()
    assert AuditEntry.objects.filter(actor=outsider, action=AuditAction.DENIED).exists()
    assert not Job.objects.exists()


def test_the_progress_page_is_the_teams_alone(world, login, exercise):
    response = _upload(login(world["listener"]), exercise, "heard.csv", GOOD.encode())
    progress = response["Location"]
    outsider = staff(Role.LISTENER, world["home"])
    assert login(outsider).get(progress).status_code == 403
    other = exercise_create(
        actor=outsider, organisation=world["home"], title="Elsewhere", question="Why?"
    )
    job_id = Job.objects.get().pk
    elsewhere = f"/listening/{other.pk}/imports/{job_id}/"
    assert login(outsider).get(elsewhere).status_code == 404, "a job of another exercise"


def test_a_file_name_is_shown_as_words_never_as_markup(world, login, exercise):
    client = login(world["listener"])
    name = '<img src=x onerror="alert(1)">.csv'
    response = _upload(client, exercise, name, GOOD.encode())
    page = client.get(response["Location"]).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.csv" in page


def test_an_import_that_cannot_finish_says_so_and_brings_nothing_in(
    world, login, exercise, run_jobs
):
    client = login(world["listener"])
    response = _upload(client, exercise, "heard.csv", GOOD.encode())
    # The listener leaves the team before the worker gets to the file.
    exercise.team.remove(world["listener"])
    run_jobs()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert not Contribution.objects.exists()
    assert AuditEntry.objects.filter(
        actor=world["listener"], action=AuditAction.DENIED, detail__contains="contribution import"
    ).exists(), "the refusal is audited"
    exercise.team.add(world["listener"])
    page = text_of(client.get(response["Location"]))
    assert "This import stopped." in page
    assert "no longer works on this exercise" in page
    assert "Bring the file in again" in page
    assert "Files brought in lately" in text_of(client.get(f"/listening/{exercise.pk}/import/"))
