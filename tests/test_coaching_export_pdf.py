"""The whole record as a PDF: the same entries as the JSON, for the person and their coach."""

import io

import pytest
from pypdf import PdfReader

from alongside.coaching.models import Goal
from alongside.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def _pdf_text(response) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.parametrize("who", ["sam", "coach"])
def test_the_record_downloads_as_a_pdf_holding_the_persons_words(world, login, who):
    sam = world["sam"]
    Goal.objects.create(person=sam, words="Learn to swim before summer")
    user = sam.user if who == "sam" else world[who]

    response = login(user).get(f"/people/{sam.pk}/record.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="sam-record.pdf"' in response["Content-Disposition"]
    assert "Learn to swim before summer" in _pdf_text(response)
    assert AuditEntry.objects.filter(
        actor=user, action=AuditAction.EXPORT, person_id=sam.pk
    ).exists()


@pytest.mark.parametrize("who", ["alex", "other_coach", "commissioner", "listener"])
def test_nobody_else_gets_the_pdf(world, login, who):
    user = world[who].user if who == "alex" else world[who]
    response = login(user).get(f"/people/{world['sam'].pk}/record.pdf")
    assert response.status_code in (403, 404)
    assert b"%PDF" not in response.content


def test_my_data_page_offers_the_pdf(world, login):
    sam = world["sam"]
    page = login(sam.user).get("/me/my-data/").content.decode()
    assert f"/people/{sam.pk}/record.pdf" in page


# --- a document to read, not a dump (issue 12) -------------------------------------------------


def test_the_pdf_reads_like_a_document_in_words_not_codes(world, login):
    from .test_coaching_export import a_record_with_history, assert_in_words

    sam, coach = world["sam"], world["coach"]
    a_record_with_history(sam, coach)

    response = login(coach).get(f"/people/{sam.pk}/record.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    assert text.startswith("Sam's record Everything written about Sam at")
    assert_in_words(text)
    # A contents list, then a section under its own heading for each part, in that order.
    parts = [
        "Working together",
        "Conversations",
        "Goals and steps",
        "What Sam has going for them",
        "Check-ins",
        "Milestones: good things that happened",
        "Personal budget",
        "Safety plan",
        "Circle: the people and places around them",
        "Things that got in the way",
        "Changes asked for",
        "Choices about sharing",
    ]
    contents = text.index("Contents")
    assert [text.index(part, contents) for part in parts] == sorted(
        text.index(part, contents) for part in parts
    ), "the contents list names every part in order"
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[:2] == ["Contents", "About Sam"]
    assert [title for title in outline if title in parts] == parts, "each part is a heading"
    for words in [
        "Monday 9 March 2026, 10:00: started, getting to know each other",
        "Wednesday 1 July 2026, 13:00: from getting to know each other to working together",
        "Questions: ONS personal well-being (ONS4)",
        "Life satisfaction: 6 out of 10",
        "Amount: £23",
        "£23 paid on Thursday 1 October 2026",
        "Who may see it: My coach",
        "Decided: Tuesday 10 March 2026, 09:30",
    ]:
        assert words in text, words


def test_the_persons_own_pdf_speaks_to_them(world, login):
    sam = world["sam"]
    response = login(sam.user).get(f"/people/{sam.pk}/record.pdf")
    assert "Everything written about you at" in _pdf_text(response)
