"""A briefing for a board (issue 13, item 7): a system theme or a recommendation as a web page,
Word and PDF, built from one document so all three say the same; no name, no unredacted
words, disclosure-controlled counts; a withdrawn barrier leaves it at once; downloads
audited; only its conveners (and, for a recommendation, whom it is addressed to)."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from pypdf import PdfReader

from alongside.accounts.models import Role
from alongside.coaching.models import ConsentEvent
from alongside.convening.models import Answer, Experiment, SystemTheme
from alongside.core import documents
from alongside.core.documents import BAR_CELLS
from alongside.core.models import AuditAction, AuditEntry
from alongside.core.words import MONTHS

from .factories import person, staff, text_of
from .test_convening_recommendations import (
    denied,
    last_audit_id,
    recommendation,
    shared_barrier,
    theme_with,
)

pytestmark = pytest.mark.django_db

NAME = "Priyanka Okafor"
PHONE = "07700 900123"
SECRETS = ("Priyanka", "Okafor", "07700", "900123")


def docx_text(data: bytes) -> str:
    """Every part of the Word file, tags and all: names would show in any of them."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith(".xml") or name.endswith(".rels")
        )


def pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def flat(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


@pytest.fixture
def theme(world):
    """A theme with a barrier whose words hold a name and a phone number, and another."""
    someone = person(world["home"], world["coach"], NAME)
    named = shared_barrier(
        someone,
        "Housing register",
        f"{NAME} rang {PHONE} and the housing office said the list was closed.",
        outcome="Back on the list after a complaint.",
        response="complaint",
    )
    plain = shared_barrier(world["sam"], "Housing register", "Taken off the list in hospital.")
    one = theme_with(world["home"], [named, plain], title="Falling off the housing list")
    one.experiments.add(
        Experiment.objects.create(
            organisation=world["home"],
            title="One named contact",
            if_we="give everyone one named contact at the council",
            then="fewer people fall off the list",
            starts_on="2026-09-01",
        )
    )
    return SystemTheme.objects.select_related("organisation").get(pk=one.pk)


def _all_three(client, base: str) -> dict[str, str]:
    page = client.get(f"{base}briefing/")
    word = client.get(f"{base}briefing.docx")
    assert page.status_code == 200 and word.status_code == 200
    found = {"html": text_of(page), "docx": docx_text(word.content)}
    if documents.pdf_available():
        pdf = client.get(f"{base}briefing.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        found["pdf"] = pdf_text(pdf.content)
    return found


def test_a_theme_briefing_names_nobody_and_says_the_same_in_all_three(world, login, theme):
    found = _all_three(login(world["convener"]), f"/convening/themes/{theme.pk}/")
    for kind, text in found.items():
        for secret in SECRETS + ("Sam",):
            assert secret not in text, (kind, secret)
        words = flat(text) if kind == "html" else text
        assert "Falling off the housing list" in words, kind
        assert "the housing office said the list was closed" in words, kind
        assert "Taken off the list in hospital." in words, kind
        assert "One named contact" in words, kind
        assert "Made a complaint" in words, kind
        # Two barriers: counts leave as "fewer than 10" (principle 9), never the number.
        assert "fewer than 10" in words, kind
    assert world["home"].name in flat(found["html"])


def test_a_theme_briefing_names_its_listening_themes(world, login, theme):
    from alongside.listening.models import Exercise, Theme

    exercise = Exercise.objects.create(
        organisation=world["home"], title="Voices from the bus station", question="What helps?"
    )
    theme.listening_themes.add(Theme.objects.create(exercise=exercise, title="Being believed"))
    word = login(world["convener"]).get(f"/convening/themes/{theme.pk}/briefing.docx")
    assert "Being believed" in docx_text(word.content)
    assert "Voices from the bus station" in docx_text(word.content)


def test_downloads_are_audited(world, login, theme):
    client = login(world["convener"])
    client.get(f"/convening/themes/{theme.pk}/briefing.docx")
    assert AuditEntry.objects.filter(
        action=AuditAction.EXPORT, object_id=str(theme.pk), detail__contains="briefing docx"
    ).exists()
    if documents.pdf_available():
        client.get(f"/convening/themes/{theme.pk}/briefing.pdf")
        assert AuditEntry.objects.filter(
            action=AuditAction.EXPORT, detail__contains="briefing pdf"
        ).exists()


def test_a_withdrawn_barrier_leaves_the_briefing_at_once(world, login, theme):
    client = login(world["convener"])
    assert "Taken off the list in hospital." in flat(
        text_of(client.get(f"/convening/themes/{theme.pk}/briefing/"))
    )
    ConsentEvent.objects.create(
        person=world["sam"], choice=ConsentEvent.Choice.SHARE_BARRIERS, scope="", given=False
    )
    found = _all_three(client, f"/convening/themes/{theme.pk}/")
    for kind, text in found.items():
        assert "Taken off the list in hospital" not in text, kind
        words = flat(text) if kind == "html" else text
        assert "the housing office said the list was closed" in words, kind


def test_a_recommendation_briefing_carries_its_ask_evidence_and_answers(world, login, theme):
    rec = recommendation(world, title="Keep people on the list in hospital")
    rec.themes.add(theme)
    rec.quotes.set(theme.placements.all())
    Answer.objects.create(
        recommendation=rec,
        status="declined",
        words="No money until April.",
        by=world["lead"],
    )
    for user in (world["convener"], world["lead"]):
        found = _all_three(login(user), f"/convening/recommendations/{rec.pk}/")
        for kind, text in found.items():
            for secret in SECRETS + ("Sam", world["lead"].username):
                assert secret not in text, (kind, secret)
            words = flat(text) if kind == "html" else text
            assert "Keep people on the list in hospital" in words, kind
            assert "Let people keep their place while they are in hospital." in words, kind
            assert "the housing office said the list was closed" in words, kind
            assert "No money until April." in words, kind


def test_only_its_conveners_and_answerers_get_a_briefing(world, login, theme):
    rec = recommendation(world)
    rec.themes.add(theme)
    other_convener = staff(Role.CONVENER, world["other"])
    for user in (world["coach"], world["lead"], other_convener, world["commissioner"]):
        since = last_audit_id()
        response = login(user).get(f"/convening/themes/{theme.pk}/briefing.docx")
        assert response.status_code == 403, user
        assert denied(user, since), user
    for user in (world["coach"], world["other_lead"], other_convener, world["commissioner"]):
        since = last_audit_id()
        response = login(user).get(f"/convening/recommendations/{rec.pk}/briefing/")
        assert response.status_code == 403, user
        assert denied(user, since), user
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_without_a_pdf_renderer_the_page_says_so_calmly(world, login, theme, monkeypatch):
    from alongside.convening.views import recommendations as views

    monkeypatch.setattr(views, "pdf_available", lambda: False)
    client = login(world["convener"])
    page = text_of(client.get(f"/convening/themes/{theme.pk}/briefing/"))
    assert "print this page" in page
    assert f"/convening/themes/{theme.pk}/briefing.pdf" not in page
    assert client.get(f"/convening/themes/{theme.pk}/briefing.pdf").status_code == 404


def test_a_busy_month_is_drawn_and_rounded(world, login):
    from django.utils import timezone

    today = timezone.localdate()
    barriers = [
        shared_barrier(world["sam"], "Benefits", f"Sanctioned {n}.", happened_on=today)
        for n in range(12)
    ]
    busy = theme_with(world["home"], barriers, title="Sanctions")
    page = text_of(login(world["convener"]).get(f"/convening/themes/{busy.pk}/briefing/"))
    assert "<svg" in page
    table = page.split("barriers each month, rounded to the nearest 5")[1].split("</table>")[0]
    # 12 in this month: shown rounded to 10, never as 12.
    assert ">10<" in table and ">12<" not in table
    assert "fewer than 10" in table  # the quiet months
    # The Word file draws the same months as bars beside their numbers, none for a hidden one.
    word = docx.Document(
        io.BytesIO(
            login(world["convener"]).get(f"/convening/themes/{busy.pk}/briefing.docx").content
        )
    )
    bars = {row.cells[0].text: row.cells[1].text for row in word.tables[-1].rows}
    assert bars[f"{MONTHS[today.month - 1]} {today.year}"] == "\u2588" * BAR_CELLS
    assert "12" not in [row.cells[2].text for row in word.tables[-1].rows]
    assert set(bars.values()) == {"\u2588" * BAR_CELLS, ""}
