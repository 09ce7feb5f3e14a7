"""Feeds: another directory's Open Referral UK API, read in a background job, checked whole and
brought in all or nothing, on a schedule. The feed is served from a dict of the standard's
examples: no test touches the network."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alongside.network import jobs as feed_jobs
from alongside.network.models import DirectoryOrganisation, Feed, FeedRun, Service
from alongside.network.services import feeds

from .test_network_openreferral_schemas import EXAMPLES, load, validate

BASE = "https://council.example/openreferral"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"


def a_feed_of(services: list[dict[str, Any]], per_page: int = 100) -> dict[str, Any]:
    """The answers of a feed listing `services` (full records), as URLs to JSON."""
    answers: dict[str, Any] = {}
    pages = [services[i : i + per_page] for i in range(0, len(services), per_page)] or [[]]
    for number, chunk in enumerate(pages, start=1):
        summaries = [{k: v for k, v in s.items() if not isinstance(v, list)} for s in chunk]
        answers[f"{BASE}/services?page={number}&per_page={feed_jobs.PER_PAGE}"] = {
            "total_items": len(services),
            "total_pages": len(pages),
            "page_number": number,
            "size": len(chunk),
            "first_page": number == 1,
            "last_page": number == len(pages),
            "empty": not chunk,
            "contents": summaries,
        }
    for service in services:
        answers[f"{BASE}/services/{service['id']}"] = service
    return answers


def serve(monkeypatch: Any, answers: dict[str, Any]) -> list[str]:
    asked: list[str] = []

    def fetch(url: str) -> Any:
        asked.append(url)
        if url not in answers:
            raise feed_jobs.FeedReadError(f"{url} answered 404.")
        return copy.deepcopy(answers[url])

    monkeypatch.setattr(feed_jobs, "fetch_json", fetch)
    return asked


def two_services() -> list[dict[str, Any]]:
    first = load(EXAMPLES / "service_full.json")
    second = copy.deepcopy(first)
    second["id"] = "5b2f0c1e-0f35-4a8a-9d7c-3a2b1c0d9e8f"
    second["name"] = "Money advice"
    second["service_at_locations"] = []
    second["schedules"] = []
    second["contacts"] = []
    second["service_areas"] = []
    return [first, second]


@pytest.fixture
def feed(world: Any) -> Feed:
    return feeds.feed_add(
        actor=world["network_lead"],
        network=world["network"],
        name="Council",
        url=BASE + "/",
        every_hours=24,
    )


def run_now(world: Any, feed: Feed, run_jobs: Any) -> FeedRun:
    run = feeds.feed_run_now(actor=world["network_lead"], feed=feed)
    run_jobs()
    run.refresh_from_db()
    return run


def test_a_run_brings_the_feed_in_published_and_marked_as_its(
    world: Any, feed: Feed, run_jobs: Any, monkeypatch: Any
) -> None:
    asked = serve(monkeypatch, a_feed_of(two_services()))
    run = run_now(world, feed, run_jobs)
    assert run.status == FeedRun.Status.DONE, run.problems
    assert (run.added, run.updated, run.removed) == (2, 0, 0)
    assert run.finished_at is not None
    assert f"{BASE}/services/{SERVICE_ID}" in asked
    service = Service.objects.get(source_id=SERVICE_ID)
    assert service.source_feed == feed and service.published
    assert service.organisation.member is None and service.organisation.source_feed == feed
    assert service.network == world["network"]
    served = Client().get(f"/openreferral/services/{service.pk}").json()
    validate("service", served)
    assert served["name"] == "Community Counselling"
    assert served["service_at_locations"][0]["location"]["addresses"][0]["city"] == "MyCity"
    feed.refresh_from_db()
    assert feed.last_run_at is not None


def test_a_second_run_updates_and_takes_out_what_the_feed_dropped(
    world: Any, feed: Feed, run_jobs: Any, monkeypatch: Any
) -> None:
    services = two_services()
    serve(monkeypatch, a_feed_of(services))
    run_now(world, feed, run_jobs)
    same = run_now(world, feed, run_jobs)
    assert (same.status, same.added, same.updated, same.removed) == ("done", 0, 0, 0)
    services[0]["name"] = "Counselling for everyone"
    serve(monkeypatch, a_feed_of(services[:1]))
    changed = run_now(world, feed, run_jobs)
    assert (changed.added, changed.updated, changed.removed) == (0, 1, 1)
    assert list(Service.objects.values_list("name", flat=True)) == ["Counselling for everyone"]
    assert DirectoryOrganisation.objects.count() == 1


def test_a_feed_with_bad_records_changes_nothing_and_names_them(
    world: Any, feed: Feed, run_jobs: Any, monkeypatch: Any
) -> None:
    services = two_services()
    serve(monkeypatch, a_feed_of(services[:1]))
    run_now(world, feed, run_jobs)
    before = list(Service.objects.values_list("pk", "name", "version"))
    services[0]["name"] = "Renamed, but never brought in"
    services[1]["maximum_age"] = -1
    services[1]["attributes"] = [{"id": SERVICE_ID, "taxonomy_term_id": SERVICE_ID}]
    serve(monkeypatch, a_feed_of(services))
    run = run_now(world, feed, run_jobs)
    assert run.status == FeedRun.Status.REFUSED
    assert {p["record"] for p in run.problems} == {2}
    assert {p["id"] for p in run.problems} == {services[1]["id"]}
    found = " ".join(p["problem"] for p in run.problems)
    assert "maximum_age" in found and "unknown taxonomy term" in found
    assert list(Service.objects.values_list("pk", "name", "version")) == before


def test_a_service_the_feed_cannot_give_in_full_refuses_the_run(
    world: Any, feed: Feed, run_jobs: Any, monkeypatch: Any
) -> None:
    answers = a_feed_of(two_services())
    del answers[f"{BASE}/services/{SERVICE_ID}"]
    serve(monkeypatch, answers)
    run = run_now(world, feed, run_jobs)
    assert run.status == FeedRun.Status.REFUSED
    assert run.problems[0]["record"] == 1 and run.problems[0]["id"] == SERVICE_ID
    assert "could not be fetched" in run.problems[0]["problem"]
    assert not Service.objects.exists()


def test_a_feed_that_cannot_be_read_fails_and_says_why(
    world: Any, feed: Feed, run_jobs: Any, monkeypatch: Any
) -> None:
    serve(monkeypatch, {})
    run = run_now(world, feed, run_jobs)
    assert run.status == FeedRun.Status.FAILED
    assert "answered 404" in run.problems[0]["problem"]
    serve(monkeypatch, {f"{BASE}/services?page=1&per_page={feed_jobs.PER_PAGE}": ["not a page"]})
    run = run_now(world, feed, run_jobs)
    assert run.status == FeedRun.Status.FAILED
    assert "not an Open Referral list" in run.problems[0]["problem"]
    assert not Service.objects.exists()


def test_every_page_is_read(world: Any, feed: Feed, run_jobs: Any, monkeypatch: Any) -> None:
    many = []
    for n in range(3):
        service = copy.deepcopy(two_services()[1])
        service["id"] = f"5b2f0c1e-0f35-4a8a-9d7c-3a2b1c0d9e8{n}"
        service["name"] = f"Service {n}"
        many.append(service)
    monkeypatch.setattr(feed_jobs, "PER_PAGE", 2)
    asked = serve(monkeypatch, a_feed_of(many, per_page=2))
    run = run_now(world, feed, run_jobs)
    assert run.added == 3
    assert f"{BASE}/services?page=2&per_page=2" in asked


def test_run_now_is_refused_while_a_run_is_under_way(world: Any, feed: Feed) -> None:
    feeds.feed_run_now(actor=world["network_lead"], feed=feed)
    with pytest.raises(feeds.FeedError, match="being read now"):
        feeds.feed_run_now(actor=world["network_lead"], feed=feed)


def test_due_feeds_start_on_their_schedule(world: Any, feed: Feed) -> None:
    assert feeds.run_due_feeds() == 1  # never read
    assert feeds.run_due_feeds() == 0  # just started
    FeedRun.objects.update(status=FeedRun.Status.DONE)
    Feed.objects.update(last_run_at=timezone.now() - timedelta(hours=23))
    assert feeds.run_due_feeds() == 0
    Feed.objects.update(last_run_at=timezone.now() - timedelta(hours=25))
    assert feeds.run_due_feeds() == 1
    FeedRun.objects.update(status=FeedRun.Status.DONE)
    Feed.objects.update(last_run_at=timezone.now() - timedelta(hours=25), active=False)
    assert feeds.run_due_feeds() == 0
    assert FeedRun.objects.count() == 2


def test_only_web_addresses_are_fetched(db: Any) -> None:
    for url in ("file:///etc/passwd", "ftp://example.com/x", "gopher://x"):
        with pytest.raises(feed_jobs.FeedReadError, match="must start with https://"):
            feed_jobs.fetch_json(url)


def test_only_network_staff_may_add_or_run_feeds(world: Any, feed: Feed) -> None:
    from django.core.exceptions import PermissionDenied

    for who in ("lead", "other_lead", "coach", "sam"):
        actor = world[who].user if who == "sam" else world[who]
        with pytest.raises(PermissionDenied):
            feeds.feed_add(
                actor=actor, network=world["network"], name="x", url=BASE, every_hours=24
            )
        with pytest.raises(PermissionDenied):
            feeds.feed_run_now(actor=actor, feed=feed)
    assert feeds.feed_run_now(actor=world["assessor"], feed=feed).status == "running"


def test_a_run_that_keeps_breaking_ends_failed_not_running(
    world: Any, feed: Feed, run_jobs: Any, monkeypatch: Any, settings: Any
) -> None:
    settings.JOB_MAX_ATTEMPTS = 1
    serve(monkeypatch, a_feed_of(two_services()))

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(feed_jobs.hsds_import, "check", broken)
    run = run_now(world, feed, run_jobs)
    assert run.status == FeedRun.Status.FAILED
    assert "nothing was changed" in run.problems[0]["problem"]
    assert not Service.objects.exists()
    assert feeds.running_run(feed) is None


def test_what_a_feed_brought_in_is_changed_in_that_directory_not_here(
    world: Any, feed: Feed, run_jobs: Any, monkeypatch: Any, login: Any
) -> None:
    # Its next run would silently overwrite a change made here.
    serve(monkeypatch, a_feed_of(two_services()))
    run_now(world, feed, run_jobs)
    service = Service.objects.get(source_id=SERVICE_ID)
    client = login(world["network_lead"])
    listing = client.get("/network/directory/")
    assert "(from Council: it is changed there)" in listing.content.decode()
    assert client.get(f"/network/directory/services/{service.pk}/edit/").status_code == 403
    organisation = service.organisation
    assert client.get(f"/network/directory/organisations/{organisation.pk}/").status_code == 403
