"""Network events (issue 15, item 4): staff add, change and cancel events; members sign up,
get a place or a number on the waiting list, and give a place up to the next in line (who is
emailed); the link to join is shown only to those with a place; nobody outside the network
gets in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import Role
from alongside.core.models import AuditEntry
from alongside.network.models import Event, EventPlace
from alongside.network.services import events as services

from . import factories
from .factories import text_of

pytestmark = pytest.mark.django_db

JOIN = "https://meet.example.org/network-gathering-42"


def _event(w, **extra) -> Event:
    start = timezone.now() + timedelta(days=7)
    fields = {
        "title": "Strengths in practice",
        "description": "An hour together.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "online": True,
        "join_url": JOIN,
    }
    fields.update(extra)
    return services.event_create(
        actor=w["network_lead"], network=w["network"], fields=services.EventFields(**fields)
    )


def _member(w, email: str = ""):
    user = factories.staff(Role.COACH, w["home"])
    user.email = email
    user.save()
    return user


def test_staff_add_an_event_through_the_page(world, login):
    client = login(world["network_lead"])
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(
        reverse("network:event_new"),
        {
            "network": world["network"].pk,
            "title": "Gathering in Leeds",
            "description": "Bring a story.",
            "day": day,
            "starts": "10:00",
            "ends": "12:30",
            "how": "in_person",
            "place_name": "The Friends Meeting House",
            "address": "188 Woodhouse Lane\nLeeds",
            "postcode": "ls2 9dx",
            "capacity": "20",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("network:event", args=[event.pk])
    assert event.capacity == 20 and not event.online and event.postcode == "LS2 9DX"
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "10:00"
    page = text_of(client.get(response.url))
    assert "Gathering in Leeds" in page
    assert "The Friends Meeting House, 188 Woodhouse Lane, Leeds, LS2 9DX" in page
    assert "10:00 to 12:30" in page
    assert AuditEntry.objects.filter(action="create", object_type="network.event").exists()


def test_the_form_re_shows_what_was_typed_and_says_what_is_missing(world, login):
    client = login(world["network_lead"])
    response = client.post(
        reverse("network:event_new"),
        {
            "network": world["network"].pk,
            "title": "Online catch-up",
            "day": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "starts": "14:00",
            "ends": "13:00",
            "how": "online",
            "join_url": "javascript:alert(1)",
        },
    )
    page = text_of(response)
    assert response.status_code == 400
    assert "Online catch-up" in page
    assert "It must end after it starts." in page
    assert "Give a web address starting https://." in page
    assert not Event.objects.exists()


def test_a_postcode_longer_in_capitals_than_its_column_is_refused_in_words(world, login):
    # Found while fuzzing the form: "ß" in capitals is "SS", so 20 letters typed became 40,
    # more than the column holds (a 500 on PostgreSQL, which checks).
    response = login(world["network_lead"]).post(
        reverse("network:event_new"),
        {
            "network": world["network"].pk,
            "title": "Gathering",
            "day": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "starts": "10:00",
            "ends": "11:00",
            "how": "in_person",
            "place_name": "The Hall",
            "address": "1 High Street",
            "postcode": "ß" * 20,
        },
    )
    assert response.status_code == 400
    assert "A postcode is at most 20 letters and numbers" in text_of(response)
    assert "ß" * 20 in text_of(response)
    assert not Event.objects.exists()


def test_sign_up_until_full_then_the_waiting_list_in_order(world, login):
    event = _event(world, capacity=1)
    first, second, third = _member(world), _member(world), _member(world)
    login(first).post(reverse("network:event_sign_up", args=[event.pk]))
    response = login(second).post(reverse("network:event_sign_up", args=[event.pk]), follow=True)
    assert "you are on the waiting list: number 1" in text_of(response)
    login(third).post(reverse("network:event_sign_up", args=[event.pk]))

    statuses = dict(EventPlace.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: "booked", second.pk: "waiting", third.pk: "waiting"}
    page = text_of(login(third).get(reverse("network:event", args=[event.pk])))
    assert "You are on the waiting list: number 2." in page
    assert EventPlace.objects.get(user=first).organisation == world["home"]


def test_signing_up_twice_is_refused_plainly(world):
    event = _event(world)
    member = _member(world)
    services.sign_up(actor=member, event=event)
    with pytest.raises(services.EventError, match="already have a place"):
        services.sign_up(actor=member, event=event)
    assert EventPlace.objects.count() == 1


def test_a_place_given_up_goes_to_the_first_waiting_who_is_emailed(
    world, django_capture_on_commit_callbacks
):
    event = _event(world, capacity=1)
    first = _member(world)
    second = _member(world, "second@example.org")
    third = _member(world, "third@example.org")
    for user in (first, second, third):
        services.sign_up(actor=user, event=event)

    with django_capture_on_commit_callbacks(execute=True):
        services.leave(actor=first, event=event)

    statuses = dict(EventPlace.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "booked", third.pk: "waiting"}
    assert [m.to for m in mail.outbox] == [["second@example.org"]]
    assert "it is yours" in mail.outbox[0].body
    assert mail.outbox[0].subject == "You have a place: Strengths in practice"


def test_leaving_the_waiting_list_gives_nobody_a_place(world):
    event = _event(world, capacity=1)
    first, second = _member(world), _member(world)
    services.sign_up(actor=first, event=event)
    services.sign_up(actor=second, event=event)
    services.leave(actor=second, event=event)
    assert EventPlace.objects.get(user=first).status == "booked"
    assert EventPlace.objects.get(user=second).status == "cancelled"


def test_signing_up_again_after_cancelling_joins_the_end_of_the_queue(world):
    event = _event(world, capacity=1)
    first, second, third = _member(world), _member(world), _member(world)
    for user in (first, second, third):
        services.sign_up(actor=user, event=event)
    services.leave(actor=second, event=event)
    again = services.sign_up(actor=second, event=event)
    assert again.status == "waiting"
    services.leave(actor=first, event=event)
    assert EventPlace.objects.get(user=third).status == "booked"
    assert EventPlace.objects.get(user=second).status == "waiting"


def test_more_places_give_the_waiting_list_theirs(world):
    event = _event(world, capacity=1)
    first, second = _member(world), _member(world)
    services.sign_up(actor=first, event=event)
    services.sign_up(actor=second, event=event)
    start = event.starts_at
    services.event_update(
        actor=world["network_lead"],
        event=event,
        version=event.version,
        fields=services.EventFields(
            title=event.title,
            description="",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            online=True,
            join_url=JOIN,
            capacity=2,
        ),
    )
    assert EventPlace.objects.get(user=second).status == "booked"
    event.refresh_from_db()
    assert event.sequence == 1 and event.version == 2


def test_the_join_link_is_shown_only_to_those_with_a_place(world, login):
    event = _event(world, capacity=1)
    booked, waiting, looking = _member(world), _member(world), _member(world)
    services.sign_up(actor=booked, event=event)
    services.sign_up(actor=waiting, event=event)
    url = reverse("network:event", args=[event.pk])
    assert JOIN in login(booked).get(url).content.decode()
    for user in (waiting, looking, world["network_lead"]):
        response = login(user).get(url)
        assert response.status_code == 200
        assert JOIN not in response.content.decode()


def test_staff_see_who_is_coming_and_the_waiting_list_members_do_not(world, login):
    event = _event(world, capacity=1)
    first, second = _member(world), _member(world)
    first.first_name, first.last_name = "Priya", "Shah"
    first.save()
    second.first_name, second.last_name = "Tom", "Reed"
    second.save()
    services.sign_up(actor=first, event=event)
    services.sign_up(actor=second, event=event)
    url = reverse("network:event", args=[event.pk])

    staff_page = text_of(login(world["assessor"]).get(url))
    assert "Who is coming" in staff_page
    assert "Priya Shah" in staff_page and "Tom Reed" in staff_page
    assert world["home"].name in staff_page

    member_page = text_of(login(first).get(url))
    assert "Tom Reed" not in member_page and "Who is coming" not in member_page


def test_an_edit_from_an_older_page_is_refused_and_shown_beside_what_was_typed(world, login):
    event = _event(world)
    old_version = event.version
    services.event_update(
        actor=world["assessor"],
        event=event,
        version=old_version,
        fields=services.EventFields(
            title="Renamed by someone else",
            description="",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            online=True,
            join_url=JOIN,
        ),
    )
    day = timezone.localtime(event.starts_at).date().isoformat()
    response = login(world["network_lead"]).post(
        reverse("network:event_edit", args=[event.pk]),
        {
            "network": world["network"].pk,
            "title": "My own title",
            "day": day,
            "starts": "10:00",
            "ends": "11:00",
            "how": "online",
            "join_url": JOIN,
            "version": old_version,
        },
    )
    page = text_of(response)
    assert response.status_code == 409
    assert "Renamed by someone else" in page and "My own title" in page
    event.refresh_from_db()
    assert event.title == "Renamed by someone else"


def test_cancelling_an_event_tells_everyone_and_stops_sign_ups(
    world, login, django_capture_on_commit_callbacks
):
    event = _event(world, capacity=1)
    services.sign_up(actor=_member(world, "a@example.org"), event=event)
    services.sign_up(actor=_member(world, "b@example.org"), event=event)
    client = login(world["network_lead"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network:event_cancel", args=[event.pk]), {"version": event.version}
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.cancelled_at is not None and event.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    with pytest.raises(services.EventError, match="cancelled"):
        services.sign_up(actor=_member(world), event=event)
    assert "This event is cancelled" in text_of(client.get(response.url))


def test_members_see_upcoming_and_past_events(world, login):
    _event(world, title="Next month's gathering")
    past = timezone.now() - timedelta(days=30)
    Event.objects.create(
        network=world["network"],
        title="Last month's gathering",
        starts_at=past,
        ends_at=past + timedelta(hours=1),
        online=True,
    )
    page = text_of(login(world["coach"]).get(reverse("network:events")))
    assert page.index("Next month's gathering") < page.index("Past events")
    assert page.index("Past events") < page.index("Last month's gathering")
    assert "Add an event" not in page


@pytest.mark.parametrize("who", ["other_lead", "other_coach", "sam", "commissioner"])
def test_nobody_outside_the_network_sees_or_signs_up(world, login, who):
    event = _event(world)
    user = world[who].user if who == "sam" else world[who]
    client = login(user)
    for url in (reverse("network:events"), reverse("network:event", args=[event.pk])):
        assert client.get(url).status_code == 403
    assert client.post(reverse("network:event_sign_up", args=[event.pk])).status_code == 403
    assert not EventPlace.objects.exists()
    assert AuditEntry.objects.filter(action="denied", actor_id=user.pk).exists()


def test_anonymous_is_sent_to_sign_in(world, client):
    event = _event(world)
    for url in (reverse("network:events"), reverse("network:event", args=[event.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "sign" in response.url.lower()


def test_a_member_cannot_add_change_or_cancel_an_event(world, login):
    event = _event(world)
    client = login(world["lead"])
    assert client.get(reverse("network:event_new")).status_code == 403
    assert client.get(reverse("network:event_edit", args=[event.pk])).status_code == 403
    response = client.post(
        reverse("network:event_cancel", args=[event.pk]), {"version": event.version}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.cancelled_at is None and event.version == 1
    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=world["lead"], event=event, version=event.version)


def test_another_networks_events_are_not_shown_or_opened(world, login):
    from alongside.accounts.models import Organisation

    elsewhere = factories.organisation(Organisation.Kind.NETWORK)
    theirs = Event.objects.create(
        network=elsewhere,
        title="Another network's meet-up",
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=1),
        online=True,
    )
    client = login(world["coach"])
    assert "Another network's meet-up" not in text_of(client.get(reverse("network:events")))
    assert client.get(reverse("network:event", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("network:event_sign_up", args=[theirs.pk])).status_code == 403
    assert not EventPlace.objects.exists()


def test_fewer_places_than_people_with_one_is_refused(world):
    event = _event(world, capacity=3)
    for _ in range(2):
        services.sign_up(actor=_member(world), event=event)
    with pytest.raises(services.EventError, match="2 people already have a place"):
        services.event_update(
            actor=world["network_lead"],
            event=event,
            version=event.version,
            fields=services.EventFields(
                title=event.title,
                description="",
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                online=True,
                join_url=JOIN,
                capacity=1,
            ),
        )
    event.refresh_from_db()
    assert event.capacity == 3 and event.version == 1
    assert EventPlace.objects.filter(status="booked").count() == 2


def test_the_list_says_where_you_have_a_place_or_are_waiting(world, login):
    full = _event(world, title="Full one", capacity=1)
    roomy = _event(world, title="Roomy one")
    services.sign_up(actor=_member(world), event=full)
    services.sign_up(actor=world["coach"], event=full)
    services.sign_up(actor=world["coach"], event=roomy)
    page = text_of(login(world["coach"]).get(reverse("network:events")))
    full_card = page[page.index("Full one") : page.index("Roomy one")]
    roomy_card = page[page.index("Roomy one") : page.index("Past events")]
    assert "You are on the waiting list" in full_card and "You have a place" not in full_card
    assert "You have a place" in roomy_card
