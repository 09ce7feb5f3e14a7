"""The staff pages for feeds: the list, adding one (web addresses only), changing it with a
version check, running it now, and a run's page naming each record that needs fixing. Only the
network's staff; everyone else is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from alongside.core.models import AuditEntry
from alongside.network.models import Feed, FeedRun
from alongside.network.services import feeds

from .factories import text_of

BASE = "https://council.example/openreferral"


@pytest.fixture
def feed(world: Any) -> Feed:
    return feeds.feed_add(
        actor=world["network_lead"],
        network=world["network"],
        name="Council",
        url=BASE,
        every_hours=24,
    )


def test_staff_add_a_feed(world: Any, login: Any) -> None:
    client = login(world["network_lead"])
    page = client.get("/network/feeds/add/")
    assert page.status_code == 200
    response = client.post(
        "/network/feeds/add/",
        {"network": world["network"].pk, "name": "County", "url": BASE + "/", "every_hours": 12},
    )
    feed = Feed.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/network/feeds/{feed.pk}/"
    assert (feed.name, feed.url, feed.every_hours, feed.network) == (
        "County",
        BASE,
        12,
        world["network"],
    )
    page = text_of(client.get(f"/network/feeds/{feed.pk}/"))
    assert f"by {world['network_lead'].username}" in page and "Run it now" in page
    assert "It has not been read yet" in page
    listing = text_of(client.get("/network/feeds/"))
    assert "County" in listing and "Every 12 hours" in listing and "Not read yet" in listing


@pytest.mark.parametrize("url", ["ftp://council.example/x", "file:///etc/passwd", "not a url"])
def test_only_web_addresses_are_accepted_and_what_was_typed_is_kept(
    world: Any, login: Any, url: str
) -> None:
    response = login(world["assessor"]).post(
        "/network/feeds/add/",
        {"network": world["network"].pk, "name": "Typed name", "url": url, "every_hours": 24},
    )
    assert response.status_code == 400
    assert "Typed name" in text_of(response)
    assert not Feed.objects.exists()


def test_run_now_from_the_page_and_see_a_refused_run(world: Any, login: Any, feed: Feed) -> None:
    client = login(world["network_lead"])
    response = client.post(f"/network/feeds/{feed.pk}/run/")
    assert response.status_code == 302
    run = FeedRun.objects.get()
    page = text_of(client.get(f"/network/feeds/{feed.pk}/"))
    assert "It is being read now" in page
    again = client.post(f"/network/feeds/{feed.pk}/run/", follow=True)
    assert "being read now" in text_of(again)
    assert FeedRun.objects.count() == 1
    FeedRun.objects.filter(pk=run.pk).update(
        status=FeedRun.Status.REFUSED,
        problems=[
            {"record": 4, "id": "abc-123", "problem": "minimum_age: is above the maximum age"}
        ],
    )
    detail = text_of(client.get(f"/network/feeds/runs/{run.pk}/"))
    assert "Nothing was brought in" in detail
    assert "Record 4" in detail and "abc-123" in detail and "is above the maximum age" in detail
    assert "1 to see" in text_of(client.get(f"/network/feeds/{feed.pk}/"))


def test_a_change_from_an_older_page_is_refused_and_shown_beside_theirs(
    world: Any, login: Any, feed: Feed
) -> None:
    client = login(world["network_lead"])
    form = {"name": "Mine", "url": BASE, "every_hours": 24, "active": "on", "version": 1}
    feeds.feed_update(
        actor=world["assessor"],
        feed=feed,
        version=1,
        name="Theirs",
        url=BASE,
        every_hours=6,
        active=True,
    )
    response = client.post(f"/network/feeds/{feed.pk}/edit/", form)
    assert response.status_code == 409
    page = text_of(response)
    assert "Someone else changed this feed" in page
    assert "Theirs" in page and 'value="Mine"' in page
    feed.refresh_from_db()
    assert feed.name == "Theirs"
    form["version"] = 2
    assert client.post(f"/network/feeds/{feed.pk}/edit/", form).status_code == 302
    feed.refresh_from_db()
    assert (feed.name, feed.version) == ("Mine", 3)


def test_pausing_a_feed(world: Any, login: Any, feed: Feed) -> None:
    client = login(world["network_lead"])
    client.post(
        f"/network/feeds/{feed.pk}/edit/",
        {"name": "Council", "url": BASE, "every_hours": 24, "version": 1},
    )
    feed.refresh_from_db()
    assert feed.active is False
    assert "Paused" in text_of(client.get("/network/feeds/"))


@pytest.mark.parametrize("who", ["lead", "other_lead", "coach", "sam"])
def test_others_are_refused_and_audited(world: Any, login: Any, feed: Feed, who: str) -> None:
    user = world[who].user if who == "sam" else world[who]
    client = login(user)
    run = FeedRun.objects.create(feed=feed)
    for path in (
        "/network/feeds/",
        "/network/feeds/add/",
        f"/network/feeds/{feed.pk}/",
        f"/network/feeds/{feed.pk}/edit/",
        f"/network/feeds/runs/{run.pk}/",
    ):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/network/feeds/{feed.pk}/run/").status_code == 403
    assert FeedRun.objects.count() == 1
    assert AuditEntry.objects.filter(actor_id=user.pk, action="denied").count() >= 6


def test_anonymous_is_sent_to_sign_in(db: Any) -> None:
    for path in ("/network/feeds/", "/network/feeds/add/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert "/accounts/" in response["Location"]
    assert not Feed.objects.exists()


def test_a_run_page_says_what_happened(world: Any, login: Any, feed: Feed) -> None:
    client = login(world["assessor"])
    done = FeedRun.objects.create(feed=feed, status=FeedRun.Status.DONE, added=3, removed=1)
    page = text_of(client.get(f"/network/feeds/runs/{done.pk}/"))
    assert "3 services added, 0 updated and 1 taken out" in page
    failed = FeedRun.objects.create(
        feed=feed,
        status=FeedRun.Status.FAILED,
        problems=[{"record": 0, "id": "", "problem": "https://x answered 500."}],
    )
    page = text_of(client.get(f"/network/feeds/runs/{failed.pk}/"))
    assert "Could not be read" in page and "answered 500" in page
    assert "Record 0" not in page
