"""A published report stays as it was published (issue 12, item 5).

Publishing freezes a version. The public page and its Word and PDF files serve the latest
version only, whatever the team does to the themes afterwards; the team sees when its working
copy differs and publishes again; every version stays readable by the team and no one else.
The link never changes."""

from __future__ import annotations

import dataclasses
import importlib
import io
import json
from datetime import timedelta

import docx
import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts.models import Role
from alongside.core.documents import pdf_available
from alongside.core.models import AuditAction, AuditEntry
from alongside.listening.exports.data import report_from_plain, report_to_plain
from alongside.listening.models import Contribution, Exercise, Report, ReportVersion, Theme
from alongside.listening.selectors.reports import report_data
from alongside.listening.services import themes as services
from alongside.listening.services.reports import ReportNotReadyError, report_publish

from . import test_listening_report as report_tests
from .factories import person_with_sign_in, staff, text_of
from .test_listening_report import HOUSING, theme
from .test_listening_themes import keyword_engine

# The report tests' world: an exercise with two themes and one contribution that didn't fit,
# Housing written up with quotes; `two_themes` (autouse) swaps in a small, readable engine.
exercise = report_tests.exercise
written = report_tests.written
two_themes = report_tests.two_themes

pytestmark = pytest.mark.django_db

NEW_TITLE = "A roof that keeps the rain out"
NEW_SYNTHESIS = "A rewritten synthesis nobody has checked yet."


def team(world) -> Client:
    from .conftest import signed_in

    return signed_in(world["listener"])


def publish(client: Client, exercise: Exercise):
    return client.post(f"/listening/{exercise.pk}/report/edit/", {"action": "publish"})


def public_path(exercise: Exercise) -> str:
    return f"/listening/reports/{Report.objects.get(exercise=exercise).public_token}/"


def rename_housing(world, exercise: Exercise) -> Theme:
    """Rename Housing and rewrite its synthesis, keeping its quotes."""
    housing = theme(exercise, "Somewhere to live")
    services.theme_update(
        actor=world["listener"],
        theme=housing,
        title=NEW_TITLE,
        synthesis=NEW_SYNTHESIS,
        headline=housing.headline,
        quotes=list(housing.excerpts.filter(is_quote=True)),
    )
    return housing


def _docx_text(body: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)


# --- readers see what was published ----------------------------------------------------------


def test_renaming_a_theme_after_publishing_leaves_the_public_page_as_published(world, written):
    assert publish(team(world), written).status_code == 302
    before = text_of(Client().get(public_path(written)))
    assert "Part 1 of 3: Somewhere to live" in before

    rename_housing(world, written)

    after = text_of(Client().get(public_path(written)))
    assert "Part 1 of 3: Somewhere to live" in after
    assert "People told us about damp homes." in after
    assert NEW_TITLE not in after and NEW_SYNTHESIS not in after
    # The team's working copy has the change.
    assert NEW_TITLE in text_of(team(world).get(f"/listening/{written.pk}/report/"))


def test_suggesting_themes_again_after_publishing_changes_nothing_readers_see(
    world, written, monkeypatch
):
    from alongside.listening import themes as engine

    assert publish(team(world), written).status_code == 302
    path = public_path(written)
    before = Client().get(path).content

    # A new suggestion replaces every theme the team has not made its own, and the new
    # "Waiting" theme has no synthesis: the live report would say "Not written yet.".
    monkeypatch.setattr(engine, "suggest", keyword_engine({"waiting": "Long waits"}))
    services.themes_suggest(actor=world["listener"], exercise=written)
    assert written.themes.filter(title="Long waits").exists()
    assert "Long waits" in text_of(team(world).get(f"/listening/{written.pk}/report/"))

    after = Client().get(path).content
    assert after == before
    assert "Long waits" not in text_of(Client().get(path))


def test_the_public_word_and_pdf_files_are_the_published_version(world, written):
    assert publish(team(world), written).status_code == 302
    rename_housing(world, written)
    anyone = Client()

    page = text_of(anyone.get(public_path(written)))
    response = anyone.get(f"{public_path(written)}report.docx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    words = _docx_text(response.content)
    assert "Part 1 of 3: Somewhere to live" in words and HOUSING[0] in words
    assert NEW_TITLE not in words

    pdf = anyone.get(f"{public_path(written)}report.pdf")
    if pdf_available():
        assert "This report as a PDF" in page
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    else:
        assert pdf.status_code == 404
        assert "Save as PDF" in page


def test_nothing_is_public_before_publishing_or_after_unpublishing(world, written):
    client, anyone = team(world), Client()
    path = public_path(written)
    for suffix in ("", "report.docx", "report.pdf"):
        assert anyone.get(f"{path}{suffix}").status_code == 404, suffix
    publish(client, written)
    assert anyone.get(f"{path}report.docx").status_code == 200
    client.post(f"/listening/{written.pk}/report/edit/", {"action": "unpublish"})
    for suffix in ("", "report.docx", "report.pdf"):
        assert anyone.get(f"{path}{suffix}").status_code == 404, suffix


# --- the team sees what changed and publishes again ----------------------------------------------


def test_just_after_publishing_the_team_sees_readers_have_the_same(world, written):
    publish(team(world), written)
    page = text_of(team(world).get(f"/listening/{written.pk}/report/"))
    assert "Published: readers see this report as it is here" in page
    assert "Version 1, published on " in page
    assert "You have changed the report since you published it" not in page
    assert public_path(written) in page


def test_the_team_sees_its_working_copy_differs_and_publishes_again(world, written):
    client = team(world)
    path = public_path(written)
    publish(client, written)
    rename_housing(world, written)

    page = text_of(client.get(f"/listening/{written.pk}/report/"))
    assert "You have changed the report since you published it" in page
    assert "Readers of the link still see version 1" in page
    assert "Publish the changes as version 2" in page

    response = publish(client, written)
    assert response.status_code == 302
    assert public_path(written) == path  # the link stays the same
    public = text_of(Client().get(path))
    assert f"Part 1 of 3: {NEW_TITLE}" in public and NEW_SYNTHESIS in public
    page = text_of(client.get(f"/listening/{written.pk}/report/"))
    assert "You have changed the report since you published it" not in page
    assert "Version 2, published on " in page
    assert list(
        ReportVersion.objects.filter(report__exercise=written).values_list("number", flat=True)
    ) == [2, 1]


def test_a_new_introduction_also_counts_as_a_change(world, written):
    client = team(world)
    publish(client, written)
    client.post(
        f"/listening/{written.pk}/report/edit/",
        {"action": "save", "introduction": "A new opening.", "how_we_listened": "By phone."},
    )
    assert "A new opening." not in text_of(Client().get(public_path(written)))
    page = text_of(client.get(f"/listening/{written.pk}/report/"))
    assert "You have changed the report since you published it" in page


def test_publishing_stores_nothing_when_it_is_refused(world, written):
    publish(team(world), written)
    rename_housing(world, written)
    Contribution.objects.filter(redacted_text=HOUSING[1]).update(consent_to_quote=False)
    with pytest.raises(ReportNotReadyError):
        report_publish(actor=world["listener"], exercise=written)
    assert ReportVersion.objects.filter(report__exercise=written).count() == 1
    assert "Somewhere to live" in text_of(Client().get(public_path(written)))


# --- earlier versions stay readable by the team --------------------------------------------------


def test_every_version_stays_readable_by_the_team(world, written):
    client = team(world)
    publish(client, written)
    rename_housing(world, written)
    publish(client, written)

    page = text_of(client.get(f"/listening/{written.pk}/report/"))
    assert "Published versions" in page
    assert "(what readers see now)" in page
    first = text_of(client.get(f"/listening/{written.pk}/report/versions/1/"))
    assert "Version 1, as published on " in first
    assert "Part 1 of 3: Somewhere to live" in first and NEW_TITLE not in first
    assert "A later version has replaced it" in first
    second = text_of(client.get(f"/listening/{written.pk}/report/versions/2/"))
    assert f"Part 1 of 3: {NEW_TITLE}" in second
    assert "This is what readers of the link see now." in second
    assert client.get(f"/listening/{written.pk}/report/versions/3/").status_code == 404
    assert AuditEntry.objects.filter(
        actor=world["listener"], action=AuditAction.VIEW, detail="report version 1"
    ).exists()


def test_the_versions_name_who_published_them_in_a_fixed_number_of_queries(world, written):
    client = team(world)
    publish(client, written)
    path = f"/listening/{written.pk}/report/"
    with CaptureQueriesContext(connection) as one:
        client.get(path)
    for n in range(2):
        client.post(
            f"/listening/{written.pk}/report/edit/",
            {"action": "save", "introduction": f"Opening {n}.", "how_we_listened": "By phone."},
        )
        publish(client, written)
    # Version 2 by someone with a person row (their chosen name), 3 by a lead without one.
    with_person = person_with_sign_in(world["home"], name="Rosa").user
    lead = staff(Role.LEAD, world["home"], username="lead-without-name")
    ReportVersion.objects.filter(report__exercise=written, number=2).update(
        published_by=with_person
    )
    ReportVersion.objects.filter(report__exercise=written, number=3).update(published_by=lead)
    with CaptureQueriesContext(connection) as three:
        page = text_of(client.get(path))
    assert len(three) == len(one), [q["sql"] for q in three]
    assert f"by {world['listener'].display_name()}" in page
    assert "by Rosa" in page and "by lead-without-name" in page


def test_the_team_downloads_each_version_as_it_was_published(world, written):
    client = team(world)
    publish(client, written)
    rename_housing(world, written)
    publish(client, written)

    response = client.get(f"/listening/{written.pk}/report/versions/1/report.docx")
    assert response.status_code == 200
    assert 'report-version-1.docx"' in response["Content-Disposition"]
    words = _docx_text(response.content)
    assert "Part 1 of 3: Somewhere to live" in words and NEW_TITLE not in words
    assert NEW_TITLE in _docx_text(
        client.get(f"/listening/{written.pk}/report/versions/2/report.docx").content
    )
    pdf = client.get(f"/listening/{written.pk}/report/versions/1/report.pdf")
    if pdf_available():
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    else:
        assert pdf.status_code == 404
    assert client.get(f"/listening/{written.pk}/report/versions/9/report.docx").status_code == 404
    exported = AuditEntry.objects.filter(actor=world["listener"], action=AuditAction.EXPORT)
    assert {"listening report version 1 docx", "listening report version 2 docx"} <= set(
        exported.values_list("detail", flat=True)
    )


def test_unpublishing_keeps_the_versions_and_publishing_again_adds_one(world, written):
    client = team(world)
    path = public_path(written)
    publish(client, written)
    client.post(f"/listening/{written.pk}/report/edit/", {"action": "unpublish"})
    page = text_of(client.get(f"/listening/{written.pk}/report/"))
    assert "Not published" in page and "Version 1" in page
    version = text_of(client.get(f"/listening/{written.pk}/report/versions/1/"))
    assert "The report is not published now" in version

    publish(client, written)
    assert public_path(written) == path
    assert Client().get(path).status_code == 200
    assert ReportVersion.objects.filter(report__exercise=written).count() == 2


@pytest.mark.parametrize(
    "who",
    ["other_listener", "listener_not_in_team", "coach", "lead", "commissioner", "person"],
)
def test_only_the_team_reads_the_versions(world, login, written, who):
    publish(team(world), written)
    users = {
        "other_listener": lambda: staff(Role.LISTENER, world["other"]),
        "listener_not_in_team": lambda: staff(Role.LISTENER, world["home"]),
        "coach": lambda: world["coach"],
        "lead": lambda: world["lead"],
        "commissioner": lambda: world["commissioner"],
        "person": lambda: world["sam"].user,
    }
    user = users[who]()
    client = login(user)
    response = client.get(f"/listening/{written.pk}/report/versions/1/")
    assert response.status_code == 403
    assert "Somewhere to live" not in text_of(response)
    download = client.get(f"/listening/{written.pk}/report/versions/1/report.docx")
    assert download.status_code == 403
    assert not AuditEntry.objects.filter(actor=user, action=AuditAction.EXPORT).exists()
    assert AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED).exists()
    # Publishing again is refused too, and stores nothing.
    assert publish(login(user), written).status_code == 403
    assert ReportVersion.objects.filter(report__exercise=written).count() == 1


def test_signed_out_readers_cannot_open_a_version_page(written, world):
    publish(team(world), written)
    for path in ("", "report.docx"):
        response = Client().get(f"/listening/{written.pk}/report/versions/1/{path}")
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


# --- audit -------------------------------------------------------------------------------------


def test_each_publishing_is_audited_with_its_version(world, written):
    client = team(world)
    publish(client, written)
    rename_housing(world, written)
    publish(client, written)
    entries = AuditEntry.objects.filter(
        actor=world["listener"], action=AuditAction.CHANGE, object_id=str(written.pk)
    )
    published = list(
        entries.filter(detail__startswith="report published").values_list(
            "detail", "organisation_id"
        )
    )
    assert sorted(published) == [
        ("report published as version 1", world["home"].pk),
        ("report published as version 2", world["home"].pk),
    ]
    version = ReportVersion.objects.get(report__exercise=written, number=2)
    assert version.published_by == world["listener"]


# --- principle 8 still holds for a frozen version ------------------------------------------------


def test_a_frozen_version_drops_a_quote_whose_contributor_withdrew_or_whose_words_changed(
    world, written
):
    client = team(world)
    publish(client, written)
    path = public_path(written)
    assert HOUSING[0] in text_of(Client().get(path)) and HOUSING[1] in text_of(Client().get(path))

    Contribution.objects.filter(redacted_text=HOUSING[0]).update(consent_to_quote=False)
    Contribution.objects.filter(redacted_text=HOUSING[1]).update(
        redacted_text="Housing was the worst part, damp flat and [name] from housing came."
    )
    page = text_of(Client().get(path))
    assert HOUSING[0] not in page and "Sam, Oxford Street" not in page
    assert HOUSING[1] not in page
    assert "Part 1 of 3: Somewhere to live" in page  # the rest is as published
    words = _docx_text(Client().get(f"{path}report.docx").content)
    assert HOUSING[0] not in words and HOUSING[1] not in words
    version = text_of(client.get(f"/listening/{written.pk}/report/versions/1/"))
    assert HOUSING[0] not in version


# --- cost and storage ----------------------------------------------------------------------------


def test_the_public_page_reads_only_the_version_however_big_the_report(world, written):
    publish(team(world), written)
    path = public_path(written)
    for n in range(30):
        Contribution.objects.create(
            exercise=written,
            channel="phone",
            text=f"housing {n}",
            redacted_text=f"housing {n}",
            state=Contribution.State.REVIEWED,
            consent_to_quote=True,
        )
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path)
    assert response.status_code == 200
    # The latest version, then which of its quotes may still be shown. No theme, excerpt or
    # contribution list is read.
    assert len(captured) <= 2, [q["sql"] for q in captured]
    assert not any("listening_theme" in q["sql"] for q in captured)


def test_the_stored_version_turns_back_into_the_same_report(world, written):
    report = Report.objects.get(exercise=written)
    data = report_data(written, report)
    assert report_from_plain(report_to_plain(data)) == data
    assert any(part.quotes for part in data.parts)


def test_the_stored_version_is_every_field_of_the_report(world, written):
    # report_to_plain writes the fields out by hand (it runs on every view of the team's
    # report); a field added to ReportData, ThemePart or QuoteData must be added there too.
    data = report_data(written, Report.objects.get(exercise=written))
    data = dataclasses.replace(
        data,
        parts=[
            dataclasses.replace(part, content_warnings=["loss"], recommendations=["Listen"])
            for part in data.parts
        ],
    )
    assert any(part.headline for part in data.parts)
    assert report_to_plain(data) == json.loads(json.dumps(dataclasses.asdict(data)))


def test_a_report_published_before_versions_existed_becomes_version_one(world, written):
    migration = importlib.import_module("alongside.listening.migrations.0003_report_version")
    published_at = timezone.now() - timedelta(days=30)
    Report.objects.filter(exercise=written).update(published_at=published_at)

    migration.freeze_published_reports(django_apps, None)

    version = ReportVersion.objects.get(report__exercise=written)
    assert (version.number, version.published_at) == (1, published_at)
    assert "Part 1 of 3: Somewhere to live" in text_of(Client().get(public_path(written)))
