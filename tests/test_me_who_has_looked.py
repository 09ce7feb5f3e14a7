"""The person sees who read or changed their record, in plain words, and nobody else's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.core import audit
from alongside.core.models import AuditAction

from .factories import text_of

pytestmark = pytest.mark.django_db


def test_the_person_sees_their_coach_and_a_lead_in_plain_words(world, login):
    sam, coach, lead = world["sam"], world["coach"], world["lead"]
    coach.first_name = "Priya"
    coach.save()
    lead.first_name = "Morag"
    lead.save()
    for _ in range(3):
        audit.record(coach, AuditAction.VIEW, sam, detail="conversation")
    audit.record(lead, AuditAction.CHANGE, sam, detail="spend approved")
    audit.record(world["alex"].user, AuditAction.DENIED, sam, detail="person.view")
    audit.record(coach, AuditAction.VIEW, world["alex"], detail="record")
    page = text_of(login(sam.user).get("/me/who-has-looked/"))
    assert "Priya, your coach, read your notes 3 times on" in page
    assert f"Morag, a lead at {world['home'].name}, approved a spend on" in page
    assert "tried to open it, and was stopped" in page
    assert "Alex" not in page
    assert page.count("Priya") == 1


def test_query_count_does_not_grow_with_entries(world, login):
    sam, client = world["sam"], login(world["sam"].user)
    client.get("/me/who-has-looked/")
    with CaptureQueriesContext(connection) as few:
        client.get("/me/who-has-looked/")
    for user in (world["coach"], world["lead"], world["second_coach"]):
        for _ in range(5):
            audit.record(user, AuditAction.VIEW, sam, detail="goal")
    with CaptureQueriesContext(connection) as many:
        client.get("/me/who-has-looked/")
    assert len(many) == len(few)
    # Session, user, the audit entry for looking; the entries, the person's coaches, and the
    # actors with their roles (it was 7 when the roles were a query of their own).
    assert len(many) <= WHO_HAS_LOOKED_BUDGET, len(many)


WHO_HAS_LOOKED_BUDGET = 6


def test_staff_have_no_who_has_looked_page(world, login):
    assert login(world["coach"]).get("/me/who-has-looked/").status_code == 403
