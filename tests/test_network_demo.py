"""The demo network: at least eight members with published services in the directory, a change
waiting for the staff, one accreditation in review and one decided, events to come (one full,
with a waiting list), resources and news; the same every time, and seeding twice changes
nothing."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from django.db import models
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.accounts import policy
from alongside.accounts.models import Membership, Organisation, User
from alongside.core.models import AuditEntry
from alongside.demo import seed
from alongside.demo.network import MEMBERS, seed_network
from alongside.demo.sign_ins import DEMO_SIGN_INS, NETWORK_LEAD, NETWORK_SLUG
from alongside.network.models import (
    Contact,
    CriterionReview,
    DirectoryChange,
    DirectoryOrganisation,
    Event,
    EventPlace,
    Location,
    NewsItem,
    Portfolio,
    PortfolioEntry,
    Resource,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from tests.test_seed_demo import DEFICIT

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 1)
PHONE = re.compile(r"^(01632 960\d{3}|07700 900\d{3})$")
POSTCODE = re.compile(r"^NF\d \d[A-Z]{2}$")
Action = policy.Action


def build(as_of: date = AS_OF, rng_seed: int = 1) -> tuple[dict, dict]:
    """Only what the network needs of the demo (its organisations and sign-ins), so each test
    stays quick; seed_demo runs the same function (test_the_demo_builds_the_network)."""
    orgs = seed._ensure_organisations()
    users = seed._ensure_sign_ins(orgs)
    seed_network(orgs, users, random.Random(rng_seed), as_of=as_of)
    return orgs, users


@pytest.fixture
def demo() -> tuple[dict, dict]:
    return build()


def network() -> Organisation:
    return Organisation.objects.get(slug=NETWORK_SLUG)


def test_at_least_eight_members_each_with_published_services(demo):
    orgs, _ = demo
    entries = DirectoryOrganisation.objects.filter(network=network(), published=True)
    assert entries.count() >= 8
    members = set(network().members.values_list("pk", flat=True))
    for entry in entries:
        assert entry.member_id in members, entry.name
        live = entry.services.filter(published=True, status=Service.Status.ACTIVE).count()
        assert 2 <= live <= 3, entry.name
        assert entry.email.endswith("@example.org")
    names = set(entries.values_list("name", flat=True))
    assert {"Harbour Lane Coaching", "Riverside Futures"} <= names
    for slug in ("harbour-lane", "riverside-futures"):
        assert network().pk in set(orgs[slug].networks.values_list("pk", flat=True))


def test_every_service_says_what_when_where_and_who_to_ask(demo):
    services = Service.objects.filter(network=network()).prefetch_related(
        "terms__taxonomy", "schedules", "contacts", "service_areas__area", "service_at_locations"
    )
    assert services.count() >= 16
    for service in services:
        assert len(service.description) > 60, service.name
        terms = list(service.terms.all())
        assert len(terms) >= 2 and all(t.taxonomy.is_own for t in terms), service.name
        schedules = list(service.schedules.all())
        assert schedules and all(s.byday and s.opens_at < s.closes_at for s in schedules)
        contacts = list(service.contacts.all())
        assert contacts and all(PHONE.match(c.phone) for c in contacts), service.name
        assert all(c.email.endswith("@example.org") for c in contacts)
        assert [a.area.slug for a in service.service_areas.all()] == ["northfield"]
        (at_place,) = service.service_at_locations.all()
        place = Location.objects.get(pk=at_place.location_id)
        assert place.city == "Northfield" and POSTCODE.match(place.postal_code), place.name
    phones = list(Contact.objects.values_list("phone", flat=True))
    assert len(set(phones)) == len(phones)


def test_one_change_waits_for_the_staff_and_changes_nothing_yet(demo):
    _, users = demo
    (change,) = DirectoryChange.objects.filter(network=network())
    assert change.status == DirectoryChange.Status.WAITING
    assert change.proposed_by == users["morag"]
    assert change.proposed_for.slug == "harbour-lane"
    service = change.service
    assert change.proposed["id"] == str(service.pk)
    assert change.proposed["based_on_version"] == service.version
    assert change.proposed["schedules"][0]["byday"] == "TU,TH,FR"
    assert list(service.schedules.values_list("byday", flat=True)) == ["TU,TH"]
    assert policy.can(users["morag"], Action.DIRECTORY_KEEP, service.organisation)


def test_harbour_lane_is_in_review_with_a_narrative_for_every_criterion(demo):
    orgs, users = demo
    portfolio = Portfolio.objects.get(organisation=orgs["harbour-lane"])
    assert portfolio.status == Portfolio.Status.SUBMITTED
    assert portfolio.submitted_at.date() < AS_OF
    criteria = {c.pk for t in portfolio.rubric.themes.all() for c in t.criteria.all()}
    assert len(criteria) >= 6
    entries = PortfolioEntry.objects.filter(portfolio=portfolio)
    assert {e.criterion_id for e in entries} == criteria
    assert all(len(e.narrative) > 80 for e in entries)
    frozen = [f for e in entries for f in e.figures_frozen]
    assert frozen and all(f["headline"] and f["definition"] for f in frozen)
    assert not portfolio.reviews.exists()
    assert policy.can(users["lena"], Action.PORTFOLIO_ASSESS, portfolio)
    assert policy.can(users["morag"], Action.PORTFOLIO_VIEW, portfolio)
    assert not policy.can(users["priya"], Action.PORTFOLIO_VIEW, portfolio)


def test_riverside_futures_is_accredited_with_a_renewal_date(demo):
    orgs, users = demo
    portfolio = Portfolio.objects.get(organisation=orgs["riverside-futures"])
    assert portfolio.status == Portfolio.Status.DECIDED
    assert portfolio.outcome == Portfolio.Outcome.ACCREDITED
    assert portfolio.level is not None and portfolio.level.rubric_id == portfolio.rubric_id
    assert portfolio.decided_by == users["lena"] and portfolio.decision_note
    assert portfolio.decided_at.date() < AS_OF < portfolio.renewal_due_on
    criteria = PortfolioEntry.objects.filter(portfolio=portfolio).count()
    assert CriterionReview.objects.filter(portfolio=portfolio).count() == criteria


def test_events_to_come_one_full_with_a_waiting_list_and_two_past(demo):
    moment = seed.at(AS_OF)
    upcoming = Event.objects.filter(network=network(), starts_at__gt=moment)
    past = Event.objects.filter(network=network(), starts_at__lt=moment)
    assert 3 <= upcoming.count() <= 4 and past.count() == 2
    assert {e.online for e in upcoming} == {True, False}
    for event in Event.objects.filter(network=network()):
        booked = event.places.filter(status=EventPlace.Status.BOOKED).count()
        assert event.capacity is None or booked <= event.capacity, event.title
        if event.online:
            assert event.join_url.startswith("https://example.org/") and not event.address
        else:
            assert event.place_name and POSTCODE.match(event.postcode)
    full = [
        e
        for e in upcoming
        if e.capacity and e.places.filter(status=EventPlace.Status.BOOKED).count() == e.capacity
    ]
    assert len(full) == 1
    assert full[0].places.filter(status=EventPlace.Status.WAITING).count() >= 2


def test_resources_and_news(demo):
    resources = Resource.objects.filter(network=network())
    assert 3 <= resources.count() <= 5
    assert {r.kind for r in resources} == {Resource.Kind.LINK, Resource.Kind.WRITE_UP}
    for resource in resources:
        if resource.kind == Resource.Kind.LINK:
            assert resource.url.startswith("https://example.org/")
        else:
            assert len(resource.body) > 100
    assert resources.exclude(organisation=None).exists()
    assert NewsItem.objects.filter(network=network()).count() == 3


def test_the_network_lead_signs_in_with_a_code_and_is_staff(demo):
    _, users = demo
    nell = users[NETWORK_LEAD]
    entry = next(e for e in DEMO_SIGN_INS if e.username == NETWORK_LEAD)
    device = TOTPDevice.objects.get(user=nell)
    assert device.verify_token(f"{totp(bytes.fromhex(entry.totp_key_hex)):06d}")
    assert policy.can(nell, Action.NETWORK_STAFF, network())
    assert not policy.can(users["morag"], Action.NETWORK_STAFF, network())
    assert network().pk in policy.network_ids_of_member(users["priya"])
    assert network().pk in policy.network_ids_of_member(users["tom"])
    # The invented members' staff cannot sign in.
    invented = User.objects.filter(username__startswith="demo-net-")
    assert invented.count() == sum(1 for m in MEMBERS if m.lead)
    assert not any(u.has_usable_password() for u in invented)


def _rows() -> dict[str, list]:
    """Every network row the demo writes, as plain values. Portfolios and events have
    integer ids, which a rebuild renews: those ids are left out, and whatever points at them."""
    renewed = (Portfolio, Event)
    result = {}
    for model in (
        DirectoryOrganisation,
        Service,
        Location,
        ServiceAtLocation,
        ServiceArea,
        Schedule,
        Contact,
        Service.terms.through,
        DirectoryChange,
        Portfolio,
        PortfolioEntry,
        CriterionReview,
        Event,
        EventPlace,
        Resource,
        NewsItem,
    ):
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not (f.primary_key and isinstance(f, models.AutoField | models.BigAutoField))
            and not (f.is_relation and f.related_model in renewed)
        ]
        result[model.__name__] = sorted(map(repr, model.objects.values_list(*fields)))
    return result


def test_seeding_twice_changes_nothing():
    build()
    first = _rows()
    counted = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    build()
    assert _rows() == first
    assert counted == (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    assert sum(len(rows) for rows in first.values()) > 200


def test_as_of_moves_the_story_and_the_ids_stay():
    build()
    services = set(Service.objects.values_list("pk", flat=True))
    starts = sorted(Event.objects.values_list("starts_at", flat=True))
    # Four weeks on: events keep their day of the week, so they move by exactly that.
    later = AS_OF + timedelta(days=28)
    build(as_of=later)
    assert set(Service.objects.values_list("pk", flat=True)) == services
    moved = sorted(Event.objects.values_list("starts_at", flat=True))
    # UK time: the hour stays the same, so a clock change may move UTC by an hour.
    assert all(
        timedelta(days=28) - timedelta(hours=1)
        <= after - before
        <= timedelta(days=28) + timedelta(hours=1)
        for before, after in zip(starts, moved, strict=True)
    )
    assert Portfolio.objects.get(status=Portfolio.Status.DECIDED).renewal_due_on > later


def test_no_deficit_words_and_no_audit_entries(demo):
    texts: list[str] = []
    texts += Service.objects.values_list("description", flat=True)
    texts += DirectoryOrganisation.objects.values_list("description", flat=True)
    texts += PortfolioEntry.objects.values_list("narrative", flat=True)
    texts += Portfolio.objects.values_list("decision_note", flat=True)
    texts += CriterionReview.objects.values_list("comment", flat=True)
    for row in Event.objects.values_list("title", "description"):
        texts += row
    for row in Resource.objects.values_list("title", "summary", "body"):
        texts += row
    for row in NewsItem.objects.values_list("title", "body"):
        texts += row
    assert [t for t in texts if DEFICIT.search(t)] == []
    lowered = " ".join(texts).lower()
    assert not any(name in lowered for name in ("pts", "wisdoms", "mayday"))
    assert not AuditEntry.objects.exists()


def test_the_demo_builds_the_network():
    seed.seed_demo(people=1, seed=1)
    assert DirectoryOrganisation.objects.filter(published=True).count() >= 8
    assert Portfolio.objects.filter(status=Portfolio.Status.SUBMITTED).count() == 1
    assert Portfolio.objects.filter(status=Portfolio.Status.DECIDED).count() == 1
    assert Event.objects.filter(starts_at__gt=seed.at(seed.REFERENCE_DATE)).count() >= 3


def test_the_bench_seeds_published_services_that_the_search_and_the_api_find(client):
    """bench/network.py builds its 5,000 services as the demo does; a small run here keeps it
    in step with the models and the URLs it times."""
    from bench.network import network_database_url, seed_directory, urls

    counts = seed_directory(40, seed=2)
    assert counts["services"] == Service.objects.filter(published=True).count() == 40
    assert counts["organisations"] == 8 and counts["terms"] >= 80
    for key, path in urls():
        answer = client.get(path)
        assert answer.status_code == 200, key
        if path.startswith("/openreferral/services?"):
            assert answer.json()["total_items"] > 0, key
    assert network_database_url("sqlite:////tmp/x/bench.sqlite3") == (
        "sqlite:////tmp/x/bench-network.sqlite3"
    )
    assert network_database_url("postgres://u@h:5432/bench").endswith("/bench_network")


def demo_network_ids() -> dict[str, object]:
    """The demo's network, named as tests/test_security_headers.PAGES names what the network
    keeps (for the browser's walk of every page). The demo has no feed: one is added, with a
    refused run, through the service Nell would use."""
    from django.utils import timezone

    from alongside.accounts.models import User
    from alongside.network.models import (
        DirectoryChange,
        DirectoryOrganisation,
        Event,
        Feed,
        FeedRun,
        NewsItem,
        Portfolio,
        Resource,
    )
    from alongside.network.services import feeds

    harbour = DirectoryOrganisation.objects.get(member__slug="harbour-lane")
    portfolio = Portfolio.objects.get(
        organisation__slug="harbour-lane", status=Portfolio.Status.SUBMITTED
    )
    feed = Feed.objects.first()
    if feed is None:
        feed = feeds.feed_add(
            actor=User.objects.get(username="nell"),
            network=portfolio.network,
            name="Northfield Council's directory",
            url="https://directory.northfield.example/openreferral",
            every_hours=24,
        )
    run = feed.runs.first() or FeedRun.objects.create(
        feed=feed,
        status=FeedRun.Status.REFUSED,
        finished_at=timezone.now(),
        problems=[{"record": 3, "id": "svc-3", "problem": "It has no name."}],
    )
    return {
        "net_event": Event.objects.filter(starts_at__gte=timezone.now(), cancelled_at__isnull=True)
        .first()
        .pk,
        "net_resource": Resource.objects.get(created_by__username="morag").pk,
        "net_news": NewsItem.objects.first().pk,
        "portfolio": portfolio.pk,
        "portfolio_entry": portfolio.entries.order_by("pk").first().pk,
        "feed": feed.pk,
        "feed_run": run.pk,
        "directory_organisation": harbour.pk,
        "directory_service": harbour.services.get(name="Coaching alongside you").pk,
        "directory_change": DirectoryChange.objects.get(
            status=DirectoryChange.Status.WAITING, proposed_for__slug="harbour-lane"
        ).pk,
    }
