"""The area briefing (issue 14, item 8): the area dashboard as a web page, a Word document and
a PDF from one document, saying the same; audited as an export of aggregates; only for the
area's own analysts and commissioners."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse

from alongside.accounts.models import Organisation, Role
from alongside.coaching.models import CheckIn
from alongside.core.documents import pdf_available
from alongside.core.models import AuditEntry
from alongside.insight.models import Analysis, DataSet, Finding

from .factories import area, organisation, person, staff, text_of

pytestmark = pytest.mark.django_db

SENTENCES = [
    "Black residents were housed at 0.64 times the rate of everyone else",
    "Young men came back 3 or more times at 1.8 times the rate of everyone else",
]


@pytest.fixture
def briefed(world):
    place, council = world["area"], world["council"]
    kept = {"area": place, "organisation": council, "created_by": world["analyst"]}
    records = DataSet.objects.create(
        **kept, kind=DataSet.Kind.RECORDS, title="Housing contacts", status="ready"
    )
    analysis = Analysis.objects.create(**kept, records=records, by="ethnicity")
    for i, sentence in enumerate(SENTENCES):
        Finding.objects.create(
            **kept,
            analysis=analysis,
            measure=Finding.Measure.OUTCOME,
            group=f"g{i}",
            sentence=sentence,
            ratio=0.64,
            ratio_ci_low=0.5,
            ratio_ci_high=0.8,
        )
    home = world["home"]
    home.shares_coaching_figures_in_area = True
    home.save()
    for i in range(10):
        who = person(home, name=f"Zephyrine{i}")
        CheckIn.objects.create(
            person=who, taken_on=date(2026, 1, 1), answers={"life_satisfaction": 5}
        )
        CheckIn.objects.create(
            person=who, taken_on=date(2026, 2, 1), answers={"life_satisfaction": 6}
        )
    return world


def docx_text(body: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(body: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(body))
    # A PDF breaks lines where it likes: compare words, not lines.
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_the_web_word_and_pdf_briefings_say_the_same(briefed, login):
    client = login(briefed["commissioner"])
    web = client.get(reverse("insight:briefing"))
    word = client.get(reverse("insight:briefing_docx"))

    assert web.status_code == 200 and word.status_code == 200
    assert word["Content-Disposition"].endswith('.docx"')
    texts = {"web": text_of(web), "word": docx_text(word.content)}
    if pdf_available():
        pdf = client.get(reverse("insight:briefing_pdf"))
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        texts["pdf"] = pdf_text(pdf.content)
    for name, text in texts.items():
        flat = " ".join(text.split())
        for sentence in SENTENCES:
            assert sentence in flat, (name, sentence)
        assert "Life satisfaction rose by 1.00 points on average" in flat, name
        assert "£130,000" in flat, name  # 1 point × 10 people × £13,000
        assert briefed["area"].name in flat, name
        assert "Zephyrine" not in flat  # nobody's name
    assert "<svg" in texts["web"] and "<table" in texts["web"]


def test_reading_and_downloading_are_audited(briefed, login):
    client = login(briefed["analyst"])
    client.get(reverse("insight:briefing"))
    client.get(reverse("insight:briefing_docx"))

    entries = AuditEntry.objects.filter(actor_id=briefed["analyst"].pk, detail__startswith="area")
    assert {(e.action, e.detail) for e in entries} == {
        ("view", "area briefing page"),
        ("export", "area briefing docx"),
    }
    assert all(e.organisation_id == briefed["council"].pk for e in entries)


def test_a_commissioner_of_another_area_is_refused(briefed, login):
    far = area("Farley")
    far_commissioner = staff(
        Role.COMMISSIONER, organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=far)
    )
    client = login(far_commissioner)
    query = f"?area={briefed['area'].pk}"

    for name in ("insight:briefing", "insight:briefing_docx", "insight:briefing_pdf"):
        assert client.get(reverse(name) + query).status_code == 403, name
    assert not AuditEntry.objects.filter(actor_id=far_commissioner.pk, action="export").exists()
    # Their own area's briefing says nothing of this one.
    own = docx_text(client.get(reverse("insight:briefing_docx")).content)
    assert SENTENCES[0] not in own


@pytest.mark.parametrize("who", ["coach", "lead"])
def test_coaches_and_leads_are_refused(briefed, login, who):
    client = login(briefed[who])
    assert client.get(reverse("insight:briefing")).status_code == 403
    assert client.get(reverse("insight:briefing_docx")).status_code == 403
