"""Starting with a name, how we work together, and the coach's people list."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.accounts.models import Membership, Role
from alongside.coaching.models import Goal, Person, Relationship, RelationshipChange
from alongside.coaching.services import relationships as services
from alongside.core.models import AuditAction, AuditEntry

from .factories import organisation, person, staff, text_of

pytestmark = pytest.mark.django_db

OUTSIDERS = ["other_coach", "second_coach", "commissioner"]


def _rel(world, name="sam") -> Relationship:
    return world[name].relationships.get()


def _outsider(world, who):
    return world["alex"].user if who == "alex" else world[who]


# --- 1. Start with a name -------------------------------------------------------------


def test_a_coach_starts_with_only_a_name(world, login):
    client = login(world["coach"])
    page = client.get("/people/start/")
    assert page.status_code == 200
    assert "Which organisation" not in text_of(page)
    response = client.post("/people/start/", {"chosen_name": "  Robin ", "pronouns": ""})
    robin = Person.objects.get(chosen_name="Robin")
    assert response.status_code == 302
    assert response["Location"] == f"/people/{robin.pk}/"
    assert robin.organisation == world["home"]
    rel = robin.relationships.get()
    assert rel.coach == world["coach"]
    assert rel.state == Relationship.State.GETTING_TO_KNOW
    change = rel.changes.get()
    assert (change.from_state, change.to_state, change.by) == ("", "getting_to_know", rel.coach)
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, person_id=robin.pk)
    assert "Robin" not in entry.detail
    page = client.get(response["Location"])
    assert "started getting to know Robin" in text_of(page)


def test_a_coach_in_two_organisations_picks_one(world, login):
    coach = world["coach"]
    Membership.objects.create(user=coach, organisation=world["other"], role=Role.COACH)
    client = login(coach)
    page = text_of(client.get("/people/start/"))
    assert "Which organisation" in page and world["other"].name in page
    missing = client.post("/people/start/", {"chosen_name": "Robin"})
    assert missing.status_code == 200
    assert "Robin" in text_of(missing)  # what was typed is shown again
    assert not Person.objects.filter(chosen_name="Robin").exists()
    client.post("/people/start/", {"chosen_name": "Robin", "organisation": world["other"].pk})
    assert Person.objects.get(chosen_name="Robin").organisation == world["other"]


def test_starting_needs_a_name_and_writes_nothing_without_one(world, login):
    client = login(world["coach"])
    before = Person.objects.count()
    response = client.post("/people/start/", {"chosen_name": "   ", "pronouns": "they/them"})
    assert response.status_code == 200
    body = text_of(response)
    assert "Something needs changing" in body and 'value="they/them"' in body
    assert Person.objects.count() == before


@pytest.mark.parametrize("who", ["commissioner", "lead", "alex"])
def test_only_coaches_start_working_with_someone(world, login, who):
    client = login(_outsider(world, who))
    before = Person.objects.count()
    assert client.post("/people/start/", {"chosen_name": "Robin"}).status_code == 403
    assert Person.objects.count() == before
    assert AuditEntry.objects.filter(action=AuditAction.DENIED).exists()


def test_the_service_refuses_another_organisation(world):
    with pytest.raises(PermissionDenied):
        services.person_start(
            actor=world["other_coach"], organisation=world["home"], chosen_name="Robin"
        )
    assert AuditEntry.objects.filter(action=AuditAction.DENIED).count() == 1
    assert not Person.objects.filter(chosen_name="Robin").exists()


# --- 2. States, intensity and dates ---------------------------------------------------


def test_the_whole_story_through_the_pages(world, login):
    sam, rel = world["sam"], _rel(world)
    client = login(world["coach"])
    base = f"/people/{sam.pk}/relationship/{rel.pk}"

    assert client.post(f"{base}/work-together/").status_code == 302
    rel.refresh_from_db()
    assert rel.state == "working_together"

    response = client.post(f"{base}/pause/", {"keep_in_touch": "a text now and then"})
    assert response.status_code == 302
    rel.refresh_from_db()
    assert (rel.state, rel.keep_in_touch) == ("paused", "a text now and then")

    assert client.post(f"{base}/work-together/").status_code == 302
    rel.refresh_from_db()
    assert rel.state == "working_together" and rel.keep_in_touch == ""

    response = client.post(f"{base}/end/", {"in_place_now": "Food bank on Tuesdays; call us"})
    rel.refresh_from_db()
    assert rel.state == "ended"

    # Restarting needs no re-referral: the same relationship, with its history kept.
    assert client.post(f"{base}/work-together/").status_code == 302
    rel.refresh_from_db()
    assert rel.state == "working_together"
    assert Relationship.objects.filter(person=sam).count() == 1
    states = list(rel.changes.values_list("to_state", flat=True))
    assert states == ["working_together", "paused", "working_together", "ended", "working_together"]

    page = text_of(client.get(f"/people/{sam.pk}/"))
    assert "The story so far" in page
    assert "Keep in touch: a text now and then" in page
    assert "What's in place now: Food bank on Tuesdays; call us" in page
    details = AuditEntry.objects.filter(action=AuditAction.CHANGE).values_list("detail", flat=True)
    assert all("Food" not in d and "text" not in d for d in details)


def test_pausing_needs_the_persons_words_and_keeps_what_was_typed(world, login):
    sam, rel = world["sam"], _rel(world)
    client = login(world["coach"])
    response = client.post(f"/people/{sam.pk}/relationship/{rel.pk}/pause/", {"keep_in_touch": ""})
    assert response.status_code == 200
    assert "Something needs changing" in text_of(response)
    response = client.post(f"/people/{sam.pk}/relationship/{rel.pk}/end/", {"in_place_now": " "})
    assert response.status_code == 200
    rel.refresh_from_db()
    assert rel.state == "getting_to_know"
    assert not RelationshipChange.objects.filter(relationship=rel).exists()


def test_a_move_that_makes_no_sense_is_explained_and_changes_nothing(world, login):
    sam, rel = world["sam"], _rel(world)
    rel.state = Relationship.State.ENDED
    rel.save()
    client = login(world["coach"])
    response = client.post(
        f"/people/{sam.pk}/relationship/{rel.pk}/pause/", {"keep_in_touch": "texts please"}
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "can't go from" in body and "texts please" in body
    rel.refresh_from_db()
    assert rel.state == "ended"
    with pytest.raises(ValidationError):
        services.relationship_change_state(
            actor=world["coach"], relationship=rel, to_state=Relationship.State.ENDED
        )


def test_intensity_is_the_persons_choice_and_each_change_is_kept(world, login):
    sam, rel = world["sam"], _rel(world)
    client = login(sam.user)  # the person may change it themselves
    url = f"/people/{sam.pk}/relationship/{rel.pk}/how-often/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"intensity": "weekly"}).status_code == 302
    rel.refresh_from_db()
    assert rel.intensity == "weekly"
    change = rel.changes.get()
    assert (change.intensity, change.by) == ("weekly", sam.user)
    assert client.post(url, {"intensity": "hourly"}).status_code == 200
    assert client.post(url, {"intensity": "weekly"}).status_code == 200  # no change
    assert rel.changes.count() == 1
    body = text_of(login(world["coach"]).get(f"/people/{sam.pk}/"))
    assert "Meeting about once a week" in body


def test_coach_sets_last_and_next_meeting_dates(world, login):
    sam, rel = world["sam"], _rel(world)
    client = login(world["coach"])
    url = f"/people/{sam.pk}/relationship/{rel.pk}/dates/"
    today = timezone.localdate()
    last, nxt = today - datetime.timedelta(days=3), today + datetime.timedelta(days=4)
    response = client.post(url, {"last_contact_on": last.isoformat(), "next_meeting_on": nxt})
    assert response.status_code == 302
    rel.refresh_from_db()
    assert (rel.last_contact_on, rel.next_meeting_on) == (last, nxt)
    future = (today + datetime.timedelta(days=9)).isoformat()
    response = client.post(url, {"last_contact_on": future, "next_meeting_on": ""})
    assert response.status_code == 200
    assert f'value="{future}"' in text_of(response)
    rel.refresh_from_db()
    assert rel.last_contact_on == last


@pytest.mark.parametrize("who", [*OUTSIDERS, "alex"])
@pytest.mark.parametrize("action", ["pause", "end", "work-together", "how-often", "dates"])
def test_others_may_not_change_the_relationship(world, login, who, action):
    sam, rel = world["sam"], _rel(world)
    client = login(_outsider(world, who))
    url = f"/people/{sam.pk}/relationship/{rel.pk}/{action}/"
    data = {"keep_in_touch": "x", "in_place_now": "x", "intensity": "weekly"}
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).count() == 2
    rel.refresh_from_db()
    assert (rel.state, rel.intensity) == ("getting_to_know", "fortnightly")
    assert not rel.changes.exists()


def test_a_relationship_of_someone_else_cannot_be_reached_through_my_person(world, login):
    jo_rel = _rel(world, "jo")
    url = f"/people/{world['sam'].pk}/relationship/{jo_rel.pk}/pause/"
    assert login(world["coach"]).get(url).status_code == 404


# --- 3. The coach's people list and home ----------------------------------------------


def test_people_list_shows_goals_dates_and_gentle_prompts(world, login):
    coach = world["coach"]
    today = timezone.localdate()
    sam_rel, alex_rel = _rel(world), _rel(world, "alex")
    sam_rel.last_contact_on = today - datetime.timedelta(weeks=8)
    sam_rel.next_meeting_on = today + datetime.timedelta(days=2)
    sam_rel.save()
    alex_rel.last_contact_on = today
    alex_rel.state = Relationship.State.PAUSED
    alex_rel.keep_in_touch = "a postcard"
    alex_rel.save()
    Goal.objects.create(person=world["sam"], words="a place of my own")
    Goal.objects.create(person=world["sam"], words="old dream", status="changed_my_mind")
    body = text_of(login(coach).get("/people/"))
    assert "Keep in touch with Sam?" in body
    assert "Alex has paused for now" in body and "a postcard" in body
    assert "“a place of my own”" in body and "old dream" not in body
    assert "next meeting" in body
    home = text_of(login(coach).get("/"))
    assert "2 people you might like to keep in touch with" in home


def test_recent_contact_means_no_prompt_and_nothing_ends_by_itself(world, login):
    rel = _rel(world)
    rel.last_contact_on = timezone.localdate() - datetime.timedelta(weeks=2)
    rel.save()
    _rel(world, "alex").delete()
    body = text_of(login(world["coach"]).get("/"))
    assert "keep in touch with" not in body
    rel.last_contact_on = timezone.localdate() - datetime.timedelta(weeks=52)
    rel.save()
    login(world["coach"]).get("/people/")
    rel.refresh_from_db()
    assert rel.state == "getting_to_know"


def test_ended_people_are_listed_apart_so_the_door_stays_open(world, login):
    rel = _rel(world)
    rel.state = Relationship.State.ENDED
    rel.save()
    body = text_of(login(world["coach"]).get("/people/"))
    assert "the door stays open" in body
    assert "Keep in touch with Sam?" not in body


def test_search_hides_prompts_and_filters_by_name(world, login):
    body = text_of(login(world["coach"]).get("/people/", {"q": "SA"}))
    assert ">Sam<" in body and ">Alex<" not in body


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/", "/people/", "/people/?q=a"])
def test_people_pages_have_a_fixed_query_count(world, login, path):
    coach = world["coach"]
    client = login(coach)

    def add(count: int) -> None:
        for i in range(count):
            someone = person(world["home"], coach, f"Alex {i}")
            Goal.objects.create(person=someone, words=f"find a place {i}")
            rel = someone.relationships.get()
            rel.state = ["paused", "ended", "working_together"][i % 3]
            rel.save()

    add(3)
    client.get(path)  # the home's first look of a sitting notes when they looked
    few = _queries(client, path)
    add(60)
    # Others in the organisation that this coach does not see.
    other_coach = staff(Role.COACH, world["home"])
    for i in range(30):
        person(world["home"], other_coach, f"Someone {i}")
    assert _queries(client, path) == few


def test_coach_home_counts_only_their_own_people(world, login):
    elsewhere = organisation()
    person(elsewhere, staff(Role.COACH, elsewhere), "Zed")
    body = text_of(login(world["coach"]).get("/"))
    assert "working alongside 2 people" in body
