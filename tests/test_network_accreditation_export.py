"""The portfolio and its decision as a document: the web page, Word and PDF say the same
(one `core.documents.Document`), the figures are the frozen ones, nobody is named, and the
downloads are audited."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from pypdf import PdfReader

from alongside.coaching.models import Goal
from alongside.core import documents
from alongside.core.models import AuditAction, AuditEntry
from alongside.network.models import Level
from alongside.network.services import accreditation as services

pytestmark = pytest.mark.django_db


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    return " ".join(re.sub(r"<[^>]+>", " ", xml).split())


def pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def flat(html: str) -> str:
    import html as html_lib

    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def decided(world):
    Goal.objects.bulk_create(Goal(person=world["sam"], words=f"Sam's own {i}") for i in range(12))
    one = services.portfolio_start(
        actor=world["lead"], network=world["network"], organisation=world["home"]
    )
    for entry in one.entries.select_related("criterion"):
        services.entry_save(
            actor=world["lead"],
            entry=entry,
            version=1,
            narrative=f"Our practice: {entry.criterion.title}.",
            figure_keys=list(entry.criterion.figure_keys),
        )
    one.refresh_from_db()
    one = services.portfolio_submit(actor=world["lead"], portfolio=one, version=one.version)
    criterion = one.entries.first().criterion
    services.review_add(
        actor=world["assessor"],
        portfolio=one,
        criterion=criterion,
        verdict="met",
        comment="Shown clearly.",
    )
    one.refresh_from_db()
    return services.portfolio_decide(
        actor=world["assessor"],
        portfolio=one,
        version=one.version,
        outcome="accredited",
        level=Level.objects.get(rubric=one.rubric, name="Leading"),
        note="A joy to read.",
        renewal_due_on=None,
    )


def all_three(client, portfolio):
    base = f"/network/accreditation/{portfolio.pk}/document/"
    page = client.get(base)
    word = client.get(base + "portfolio.docx")
    assert page.status_code == 200 and word.status_code == 200
    found = {"html": flat(page.content.decode()), "docx": docx_text(word.content)}
    if documents.pdf_available():
        pdf = client.get(base + "portfolio.pdf")
        assert pdf.status_code == 200
        found["pdf"] = pdf_text(pdf.content)
    return found


@pytest.mark.parametrize("who", ["lead", "assessor"])
def test_the_three_forms_say_the_same(world, login, decided, who):
    found = all_three(login(world[who]), decided)
    for kind, text in found.items():
        assert f"{world['home'].name}: accreditation portfolio" in text, kind
        assert "Accredited, at the level “Leading”" in text, kind
        assert "A joy to read." in text, kind
        assert "Our practice: Goals are the person's own." in text, kind
        assert "100% of goals were in the person's own words or accepted by them." in text, kind
        assert "Shown clearly." in text, kind
        assert "How it is counted:" in text, kind
        assert "Sam" not in text, kind  # a figure names no person


def test_downloads_are_audited(world, login, decided):
    client = login(world["lead"])
    before = AuditEntry.objects.filter(action=AuditAction.EXPORT).count()
    client.get(f"/network/accreditation/{decided.pk}/document/portfolio.docx")
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).order_by("-pk").first()
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == before + 1
    assert entry.actor_id == world["lead"].pk and entry.organisation_id == world["home"].pk


def test_a_draft_says_its_figures_are_live(world, login):
    one = services.portfolio_start(
        actor=world["lead"], network=world["network"], organisation=world["home"]
    )
    page = flat(
        login(world["lead"]).get(f"/network/accreditation/{one.pk}/document/").content.decode()
    )
    assert "has not been sent yet" in page
    assert "Nothing written yet." in page
