"""The network's home (`/network/`): for members and staff of a network, what is coming up,
the latest news and the newest in the library, with the way to each part of the network;
staff links only for staff; anyone else refused and the refusal audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.core.models import AuditEntry
from alongside.network.models import Event, NewsItem, Resource

from .factories import text_of

pytestmark = pytest.mark.django_db


def _fill(world) -> None:
    start = timezone.now() + timedelta(days=4)
    Event.objects.create(
        network=world["network"],
        title="Winter gathering",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        online=True,
    )
    NewsItem.objects.create(network=world["network"], title="A new year of learning", body="x")
    Resource.objects.create(
        network=world["network"],
        kind="link",
        title="The strengths toolkit",
        url="https://example.org/toolkit",
        organisation=world["home"],
    )


def test_a_member_sees_what_is_on_and_the_way_in(world, login):
    _fill(world)
    page = text_of(login(world["coach"]).get(reverse("network:home")))
    assert "Winter gathering" in page
    assert "A new year of learning" in page
    assert "The strengths toolkit" in page
    for path in ("/directory/", "/network/directory/", "/network/accreditation/"):
        assert f'href="{path}"' in page
    assert "/network/assessing/" not in page and "/network/feeds/" not in page
    assert "Add an event" not in page


def test_staff_also_see_assessing_and_feeds(world, login):
    page = text_of(login(world["assessor"]).get(reverse("network:home")))
    assert 'href="/network/assessing/"' in page and 'href="/network/feeds/"' in page
    assert "Add an event" in page and "Write news" in page
    assert "No events planned just now." in page
    # The network's lead runs it but does not assess.
    page = text_of(login(world["network_lead"]).get(reverse("network:home")))
    assert 'href="/network/feeds/"' in page and "/network/assessing/" not in page


def test_what_waits_for_the_networks_people_is_on_top(world, login):
    from alongside.network.models import DirectoryChange, Portfolio
    from alongside.network.rubric_default import ensure_default_rubric

    network = world["network"]
    DirectoryChange.objects.create(network=network, kind=DirectoryChange.Kind.NEW_SERVICE)
    Portfolio.objects.create(
        organisation=world["home"],
        network=network,
        rubric=ensure_default_rubric(network=network),
        status=Portfolio.Status.SUBMITTED,
    )
    page = text_of(login(world["network_lead"]).get(reverse("network:home")))
    assert "1 change to the directory waiting for you" in page
    assert "waiting to be assessed" not in page
    page = text_of(login(world["assessor"]).get(reverse("network:home")))
    assert "1 change to the directory waiting for you" in page
    assert "1 portfolio waiting to be assessed" in page
    page = text_of(login(world["lead"]).get(reverse("network:home")))
    assert "waiting for you" not in page and "waiting to be assessed" not in page


def test_a_cancelled_event_is_marked_on_the_home(world, login):
    _fill(world)
    Event.objects.update(cancelled_at=timezone.now())
    page = text_of(login(world["lead"]).get(reverse("network:home")))
    assert "Cancelled" in page


@pytest.mark.parametrize("who", ["other_lead", "other_coach", "sam", "commissioner"])
def test_anyone_outside_a_network_is_refused_and_audited(world, login, who):
    _fill(world)
    user = world[who].user if who == "sam" else world[who]
    response = login(user).get(reverse("network:home"))
    assert response.status_code == 403
    assert "Winter gathering" not in text_of(response)
    assert AuditEntry.objects.filter(
        action="denied", actor_id=user.pk, detail="network page"
    ).exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("network:home"))
    assert response.status_code == 302 and "sign" in response.url.lower()


def test_the_home_says_where_you_have_a_place(world, login):
    from alongside.network.services import events as services

    _fill(world)
    services.sign_up(actor=world["coach"], event=Event.objects.get())
    assert "You have a place" in text_of(login(world["coach"]).get(reverse("network:home")))
    assert "You have a place" not in text_of(login(world["lead"]).get(reverse("network:home")))
