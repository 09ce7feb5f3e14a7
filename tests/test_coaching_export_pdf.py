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
