"""The public directory (issue 15, item 1): search and filter published services by words,
term, area, age and day; only what the network approved is ever shown; a clear page for each
service; and the search costs the same queries however many services it finds."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from alongside.network import entries
from alongside.network.models import DirectoryChange, Service
from alongside.network.practice_vocabulary import ensure_own_taxonomy

from . import factories
from .factories import text_of
from .test_network_directory_support import listed_organisation, listed_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = factories.world()
    world["entry"] = listed_organisation(world["network"], world["home"], name="Home Trust")
    return world


def _names(response) -> list[str]:
    return [result.name for result in response.context["found"].results]


def _search(**params) -> list[str]:
    response = Client().get(reverse("directory:search"), params)
    assert response.status_code == 200
    return _names(response)


def test_search_by_words_over_service_and_organisation(w):
    listed_service(w["entry"], name="Money matters", description="Help with debts.")
    listed_service(w["entry"], name="Walk and talk", description="A walk in the park.")
    other = listed_organisation(w["network"], name="Debt Advice Northfield", description="x")
    listed_service(other, name="Open door", description="Drop in.")
    assert _search(q="debts") == ["Money matters"]
    assert _search(q="park walk") == ["Walk and talk"]
    assert _search(q="advice") == ["Open door"]  # by the organisation's name


def test_search_by_term_and_by_its_group(w):
    taxonomy = ensure_own_taxonomy(network=w["network"])
    peer = taxonomy.terms.get(name="Peer support")
    listed_service(w["entry"], name="Peers", terms=[{"id": str(peer.pk), "name": peer.name}])
    listed_service(w["entry"], name="Untagged")
    assert _search(term=str(peer.pk)) == ["Peers"]
    assert _search(term=str(peer.parent_id)) == ["Peers"]
    # A term that is not a UUID is left out, and the page says so.
    response = Client().get(reverse("directory:search"), {"term": "nonsense"})
    assert "left out" in text_of(response)
    assert len(_names(response)) == 2


def test_search_by_area_age_and_day(w):
    other_area = factories.area("Elsewhere")
    listed_service(
        w["entry"],
        name="Young people's group",
        minimum_age=16,
        maximum_age=25,
        areas=[{"slug": w["area"].slug, "name": w["area"].name}],
        schedules=[{"byday": "MO,WE", "opens_at": "10:00", "closes_at": "16:00"}],
    )
    listed_service(
        w["entry"],
        name="Elders' lunch",
        minimum_age=60,
        areas=[{"slug": other_area.slug, "name": other_area.name}],
        schedules=[{"byday": "TU", "opens_at": "12:00", "closes_at": "14:00"}],
    )
    listed_service(w["entry"], name="Anyone welcome", schedules=[])
    assert _search(area=w["area"].slug) == ["Young people's group"]
    assert _search(age="19") == ["Anyone welcome", "Young people's group"]
    assert _search(age="70") == ["Anyone welcome", "Elders' lunch"]
    assert _search(day="WE") == ["Young people's group"]
    assert _search(day="tuesday") == ["Elders' lunch"]
    assert _search(day="SU") == []


def test_only_approved_and_running_services_are_public(w):
    listed_service(w["entry"], name="Listed")
    hidden = listed_service(w["entry"], name="Taken out")
    Service.objects.filter(pk=hidden.pk).update(published=False)
    listed_service(w["entry"], name="Closed for good", status=Service.Status.DEFUNCT)
    quiet = listed_organisation(w["network"], name="Not yet approved", description="x")
    listed_service(quiet, name="Of an unlisted organisation")
    quiet.published = False
    quiet.save()
    # A declined proposal never reaches the directory.
    DirectoryChange.objects.create(
        network=w["network"],
        kind=DirectoryChange.Kind.NEW_SERVICE,
        status=DirectoryChange.Status.DECLINED,
        organisation=w["entry"],
        proposed={**entries.blank_service_entry(w["entry"]), "name": "Declined one"},
    )
    assert _search() == ["Listed"]
    client = Client()
    assert client.get(reverse("directory:service", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("directory:organisation", args=[quiet.pk])).status_code == 404


def test_nothing_found_says_so_kindly(w):
    listed_service(w["entry"])
    response = Client().get(reverse("directory:search"), {"q": "zebra crossing"})
    text = text_of(response)
    assert "Nothing matched that search, sorry." in text
    assert "Try fewer words" in text


def test_results_are_paged_twenty_at_a_time(w):
    for number in range(23):
        listed_service(w["entry"], name=f"Service {number:02d}", schedules=[], locations=[])
    first = Client().get(reverse("directory:search"), {"q": "service"})
    assert len(_names(first)) == 20
    assert "page=2" in first.content.decode()
    second = Client().get(reverse("directory:search"), {"q": "service", "page": "2"})
    assert _names(second) == ["Service 20", "Service 21", "Service 22"]
    assert "q=service" in second.content.decode()  # page links keep the search


def test_each_result_says_who_where_and_when(w):
    listed_service(
        w["entry"],
        schedules=[{"byday": "MO,WE", "opens_at": "10:00", "closes_at": "16:00"}],
    )
    text = text_of(Client().get(reverse("directory:search")))
    assert "Friday drop-in" in text
    assert "Home Trust" in text
    assert "Come as you are." in text
    assert "Tea, company" not in text  # only the first line
    assert "Where: Northfield" in text
    assert "When: Mondays and Wednesdays" in text
    assert "<table" not in text  # nothing wide on a small phone


def _many(w, count: int) -> None:
    taxonomy = ensure_own_taxonomy(network=w["network"])
    term = taxonomy.terms.filter(parent__isnull=False).first()
    for number in range(count):
        listed_service(
            w["entry"],
            name=f"Service {number:02d}",
            terms=[{"id": str(term.pk), "name": term.name}],
            areas=[{"slug": w["area"].slug, "name": w["area"].name}],
        )


@pytest.mark.parametrize("count", [5, 30])
def test_search_query_count_does_not_grow_with_results(w, count, django_assert_max_num_queries):
    _many(w, count)
    client = Client()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("directory:search"), {"area": w["area"].slug})
    assert len(_names(response)) == min(count, 20)


def test_service_page_says_what_who_when_where_and_how(w):
    taxonomy = ensure_own_taxonomy(network=w["network"])
    walk_in = taxonomy.terms.get(name="Walk-in, no referral needed")
    service = listed_service(
        w["entry"],
        minimum_age=18,
        maximum_age=None,
        fees="Free",
        url="https://example.org/drop-in",
        terms=[{"id": str(walk_in.pk), "name": walk_in.name}],
        schedules=[
            {"byday": "MO,WE", "opens_at": "10:00", "closes_at": "16:00"},
            {"byday": "SA", "opens_at": "12:00", "closes_at": "13:30"},
        ],
    )
    response = Client().get(reverse("directory:service", args=[service.pk]))
    text = text_of(response)
    assert "Tea, company and help with forms." in text
    assert "People aged 18 and over" in text
    assert "Mondays and Wednesdays, 10am to 4pm" in text
    assert "Saturdays, midday to 1:30pm" in text
    assert "1 High Street" in text and "NF1 2AB" in text
    assert 'href="tel:01134960000"' in text
    assert 'href="mailto:hi@example.org"' in text
    assert "Free" in text
    assert f"?term={walk_in.pk}" in text
    assert reverse("directory:organisation", args=[w["entry"].pk]) in text


def test_organisation_page_lists_its_published_services(w):
    listed_service(w["entry"], name="One")
    hidden = listed_service(w["entry"], name="Two")
    Service.objects.filter(pk=hidden.pk).update(published=False)
    response = Client().get(reverse("directory:organisation", args=[w["entry"].pk]))
    assert [result.name for result in response.context["results"]] == ["One"]
    assert "A place to be heard." in text_of(response)


def test_a_web_address_that_is_not_one_never_becomes_a_link(w):
    service = listed_service(w["entry"])
    Service.objects.filter(pk=service.pk).update(url="javascript:alert(1)")
    w["entry"].website = "javascript:alert(2)"
    w["entry"].save()
    for url in (
        reverse("directory:service", args=[service.pk]),
        reverse("directory:organisation", args=[w["entry"].pk]),
    ):
        assert "javascript:" not in Client().get(url).content.decode()


def test_a_nul_in_the_address_is_dropped_not_a_failure(w):
    # Found while fuzzing: PostgreSQL refuses a NUL in a query, so "?area=...%00" was a 500.
    listed_service(
        w["entry"], name="Here", areas=[{"slug": w["area"].slug, "name": w["area"].name}]
    )
    listed_service(w["entry"], name="Not here")
    assert _search(area=w["area"].slug + "\x00") == ["Here"]
    assert _search(q="No\x00t", day="\x00") == ["Not here"]
