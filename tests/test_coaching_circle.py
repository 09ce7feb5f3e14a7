"""The person's circle: people, groups and services in their life."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from alongside.coaching.models import CircleMember
from alongside.coaching.selectors.circle import month_starts, services_over_time
from alongside.core.models import AuditAction, AuditEntry

from .factories import text_of

pytestmark = pytest.mark.django_db


def _outsider(world, who):
    return world["alex"].user if who == "alex" else world[who]


def test_coach_adds_someone_to_the_circle(world, login):
    sam = world["sam"]
    client = login(world["coach"])
    assert client.get(f"/people/{sam.pk}/circle/add/").status_code == 200
    response = client.post(
        f"/people/{sam.pk}/circle/add/",
        {
            "name": "My sister Jen",
            "kind": "person",
            "about": "Sunday calls",
            "consent_to_contact": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/people/{sam.pk}/"
    member = CircleMember.objects.get(person=sam)
    assert (member.name, member.kind, member.consent_to_contact) == (
        "My sister Jen",
        "person",
        True,
    )
    assert member.added_by == world["coach"]
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(member.pk))
    assert entry.person_id == sam.pk and "Jen" not in entry.detail
    page = text_of(client.get(f"/people/{sam.pk}/"))
    assert "My sister Jen" in page and "Sunday calls" in page
    assert "Happy for their coach to contact them" in page


def test_the_person_adds_and_changes_their_own_circle(world, login):
    sam = world["sam"]
    client = login(sam.user)
    client.post(f"/people/{sam.pk}/circle/add/", {"name": "Food bank", "kind": "service"})
    member = CircleMember.objects.get(person=sam)
    assert member.added_by == sam.user and not member.consent_to_contact
    url = f"/people/{sam.pk}/circle/{member.pk}/edit/"
    assert 'value="Food bank"' in text_of(client.get(url))
    until = timezone.localdate().isoformat()
    response = client.post(url, {"name": "Food bank", "kind": "service", "until": until})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.until == timezone.localdate()
    assert AuditEntry.objects.filter(action=AuditAction.CHANGE, person_id=sam.pk).count() == 1


def test_bad_input_is_shown_again_and_nothing_is_written(world, login):
    sam = world["sam"]
    client = login(world["coach"])
    response = client.post(
        f"/people/{sam.pk}/circle/add/",
        {"name": "Drop-in", "kind": "service", "since": "2025-05-01", "until": "2024-01-01"},
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "Something needs changing" in body and 'value="Drop-in"' in body
    response = client.post(f"/people/{sam.pk}/circle/add/", {"name": "", "kind": "service"})
    assert response.status_code == 200
    assert not CircleMember.objects.exists()


@pytest.mark.parametrize("who", ["other_coach", "second_coach", "commissioner", "alex"])
def test_others_may_not_add_or_change(world, login, who):
    sam = world["sam"]
    member = CircleMember.objects.create(person=sam, name="Gran", kind="person")
    client = login(_outsider(world, who))
    add = f"/people/{sam.pk}/circle/add/"
    edit = f"/people/{sam.pk}/circle/{member.pk}/edit/"
    assert client.get(add).status_code == 403
    assert client.post(add, {"name": "X", "kind": "person"}).status_code == 403
    response = client.post(edit, {"name": "Changed", "kind": "group"})
    assert response.status_code == 403 and "Gran" not in text_of(response)
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).count() == 3
    member.refresh_from_db()
    assert member.name == "Gran" and CircleMember.objects.count() == 1


def test_a_member_of_another_persons_circle_cannot_be_reached(world, login):
    jen = CircleMember.objects.create(person=world["jo"], name="Jen", kind="person")
    url = f"/people/{world['sam'].pk}/circle/{jen.pk}/edit/"
    assert login(world["coach"]).get(url).status_code == 404


def test_month_starts_cross_the_year():
    assert month_starts(datetime.date(2026, 2, 17)) == [
        datetime.date(2025, 9, 1),
        datetime.date(2025, 10, 1),
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]


def test_moving_away_from_service_support(world, login):
    sam = world["sam"]
    today = datetime.date(2026, 6, 15)
    d = datetime.date
    CircleMember.objects.create(
        person=sam, name="Hostel", kind="service", since=d(2025, 1, 1), until=d(2026, 3, 10)
    )
    CircleMember.objects.create(
        person=sam, name="Drug service", kind="service", since=d(2025, 6, 1), until=d(2026, 5, 2)
    )
    CircleMember.objects.create(person=sam, name="GP", kind="service", since=d(2024, 1, 1))
    CircleMember.objects.create(person=sam, name="Brother", kind="person", since=d(2024, 1, 1))
    rows = services_over_time(list(sam.circle.all()), today)
    assert [r["services"] for r in rows] == [3, 3, 3, 2, 2, 1]
    assert rows[0]["month"] == d(2026, 1, 1)
    page = text_of(login(world["coach"]).get(f"/people/{sam.pk}/"))
    assert "Moving away from service support" in page
    assert "Used to be part of the circle" in page


def test_person_record_query_count_does_not_grow_with_circle_or_history(world, login):
    from alongside.coaching.models import RelationshipChange

    from .test_coaching_relationships import _queries

    sam = world["sam"]
    rel = sam.relationships.get()
    client = login(world["coach"])
    CircleMember.objects.create(person=sam, name="GP", kind="service")
    RelationshipChange.objects.create(relationship=rel, to_state="working_together")
    few = _queries(client, f"/people/{sam.pk}/")
    for i in range(15):
        CircleMember.objects.create(person=sam, name=f"Group {i}", kind="group")
        RelationshipChange.objects.create(relationship=rel, to_state="paused", note=f"n{i}")
    assert _queries(client, f"/people/{sam.pk}/") == few
