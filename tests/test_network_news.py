"""The network's news (issue 15, item 4): its staff write news items, as paragraphs, and
change them (an edit from an older page is refused and shown beside what was typed); its
members read the list and each item; nobody else does."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from alongside.core.models import AuditEntry
from alongside.network.models import NewsItem
from alongside.network.services import news as services

from .factories import text_of

pytestmark = pytest.mark.django_db


def test_staff_write_news_and_members_read_it_as_paragraphs(world, login):
    response = login(world["network_lead"]).post(
        reverse("network:news_new"),
        {
            "network": world["network"].pk,
            "title": "Welcome to our new members",
            "body": "Three organisations joined this month.\r\n\r\nSay hello at the next event.",
        },
    )
    item = NewsItem.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("network:news_item", args=[item.pk])
    assert AuditEntry.objects.filter(action="create", object_type="network.newsitem").exists()

    client = login(world["coach"])
    listing = text_of(client.get(reverse("network:news")))
    assert "Welcome to our new members" in listing and "Write news" not in listing
    page = client.get(reverse("network:news_item", args=[item.pk])).content.decode()
    assert "<p>Three organisations joined this month.</p>" in page
    assert "<p>Say hello at the next event.</p>" in page
    assert "Change it" not in page


def test_the_form_says_what_is_missing_and_keeps_what_was_typed(world, login):
    response = login(world["assessor"]).post(
        reverse("network:news_new"), {"network": world["network"].pk, "title": "Half written"}
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Write the news." in page and "Half written" in page
    assert not NewsItem.objects.exists()


def test_an_edit_from_an_older_page_is_refused_and_shown_beside_what_was_typed(world, login):
    item = services.news_create(
        actor=world["network_lead"], network=world["network"], title="First", body="Words."
    )
    services.news_update(
        actor=world["assessor"], item=item, version=1, title="Their title", body="Theirs."
    )
    response = login(world["network_lead"]).post(
        reverse("network:news_edit", args=[item.pk]),
        {"network": world["network"].pk, "title": "My title", "body": "Mine.", "version": 1},
    )
    page = text_of(response)
    assert response.status_code == 409
    assert "Their title" in page and "My title" in page
    item.refresh_from_db()
    assert item.title == "Their title" and item.version == 2


def test_a_member_cannot_write_or_change_news(world, login):
    item = services.news_create(
        actor=world["network_lead"], network=world["network"], title="First", body="Words."
    )
    client = login(world["lead"])
    assert client.get(reverse("network:news_new")).status_code == 403
    response = client.post(
        reverse("network:news_edit", args=[item.pk]),
        {"network": world["network"].pk, "title": "Changed", "body": "x", "version": 1},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.news_create(actor=world["lead"], network=world["network"], title="x", body="y")
    item.refresh_from_db()
    assert item.title == "First"


@pytest.mark.parametrize("who", ["other_lead", "other_coach", "sam"])
def test_nobody_outside_the_network_reads_the_news(world, login, who):
    item = services.news_create(
        actor=world["network_lead"], network=world["network"], title="First", body="Words."
    )
    user = world[who].user if who == "sam" else world[who]
    client = login(user)
    assert client.get(reverse("network:news")).status_code == 403
    assert client.get(reverse("network:news_item", args=[item.pk])).status_code == 403


def test_anonymous_is_sent_to_sign_in(world, client):
    response = client.get(reverse("network:news"))
    assert response.status_code == 302 and "sign" in response.url.lower()
