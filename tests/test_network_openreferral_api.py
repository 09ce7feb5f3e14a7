"""The Open Referral UK API under /openreferral/: every endpoint answers JSON any site may read,
valid against the UK profile's compiled schemas, serving only published services of published
organisations, with the filters and paging the issue names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from alongside.network.models import (
    Contact,
    DirectoryOrganisation,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

from .test_network_openreferral_schemas import validate


def build_directory(network: Any, *, services: int = 2, published: bool = True) -> dict[str, Any]:
    """A small published directory: one organisation, a taxonomy with two terms, and
    `services` services, each with a place, a contact, opening times and an area."""
    taxonomy = Taxonomy.objects.create(network=network, name="Practice", description="Ours")
    parent = TaxonomyTerm.objects.create(
        network=network, taxonomy=taxonomy, name="Coaching", description="Person-led", code="C"
    )
    child = TaxonomyTerm.objects.create(
        network=network, taxonomy=taxonomy, parent=parent, name="Peer support", description=""
    )
    org = DirectoryOrganisation.objects.create(
        network=network,
        name="Northfield Together",
        description="Coaching across Northfield.",
        website="https://northfield.example",
        published=published,
    )
    place = Location.objects.create(
        network=network,
        organisation=org,
        name="The Hub",
        address_1="1 High Street",
        city="Northfield",
        state_province="Northshire",
        postal_code="NF1 2AB",
        latitude="52.400000",
        longitude="-1.900000",
        accessibility="Step-free entrance.",
    )
    rows = []
    for n in range(services):
        service = Service.objects.create(
            network=network,
            organisation=org,
            name=f"Service {n:02d}",
            description="Walk in and talk.",
            minimum_age=16 + n,
            maximum_age=65,
            email="hello@northfield.example",
            published=published,
        )
        service.terms.set([parent] if n % 2 == 0 else [child])
        at = ServiceAtLocation.objects.create(network=network, service=service, location=place)
        Schedule.objects.create(
            network=network,
            service=service,
            byday="MO,WE" if n % 2 == 0 else "SA",
            opens_at=dt.time(10),
            closes_at=dt.time(16),
        )
        Contact.objects.create(
            network=network, service=service, name="Reception", phone="0121 496 0000"
        )
        ServiceArea.objects.create(network=network, service=service, name="Northfield")
        rows.append((service, at))
    return {
        "taxonomy": taxonomy,
        "terms": (parent, child),
        "org": org,
        "place": place,
        "rows": rows,
    }


def get(path: str, **params: Any) -> Any:
    response = Client().get(path, params)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("application/json")
    return response


def test_the_service_information_names_the_version_profile_and_openapi(db: Any) -> None:
    response = get("/openreferral/")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "3.0"
    assert body["profile"].startswith("https://")
    assert body["openapi_url"].endswith("/openreferral/openapi.json")
    description = get("/openreferral/openapi.json")
    assert b"/services/{id}" in b"".join(description.streaming_content)


def test_services_list_is_valid_and_paged(world: Any) -> None:
    build_directory(world["network"], services=5)
    body = get("/openreferral/services", per_page=2, page=2).json()
    validate("service_list", body)
    assert body["total_items"] == 5
    assert body["total_pages"] == 3
    assert body["page_number"] == 2
    assert body["size"] == 2
    assert body["first_page"] is False and body["last_page"] is False
    assert [s["name"] for s in body["contents"]] == ["Service 02", "Service 03"]
    assert body["contents"][0]["organization"]["name"] == "Northfield Together"
    last = get("/openreferral/services", per_page=2, page=3).json()
    assert last["last_page"] is True and last["size"] == 1
    beyond = get("/openreferral/services", per_page=2, page=9).json()
    assert beyond["empty"] is True and beyond["contents"] == []


def test_per_page_defaults_to_50_and_is_capped_at_500(world: Any) -> None:
    build_directory(world["network"], services=1)
    assert get("/openreferral/services").json()["total_pages"] == 1
    from alongside.network.views import openreferral

    assert openreferral.PER_PAGE == 50
    body = get("/openreferral/services", per_page=100000).json()
    assert body["size"] == 1 and body["total_pages"] == 1


def test_only_published_services_of_published_organisations(world: Any) -> None:
    built = build_directory(world["network"], services=2)
    hidden, _ = built["rows"][0]
    Service.objects.filter(pk=hidden.pk).update(published=False)
    names = [s["name"] for s in get("/openreferral/services").json()["contents"]]
    assert names == ["Service 01"]
    assert get(f"/openreferral/services/{hidden.pk}").status_code == 404
    DirectoryOrganisation.objects.update(published=False)
    assert get("/openreferral/services").json()["total_items"] == 0
    assert get("/openreferral/organizations").json()["total_items"] == 0
    assert get(f"/openreferral/organizations/{built['org'].pk}").status_code == 404
    _, at = built["rows"][1]
    assert get(f"/openreferral/service_at_locations/{at.pk}").status_code == 404


def test_a_full_service_nests_everything_and_is_valid(world: Any) -> None:
    built = build_directory(world["network"], services=1)
    service, at = built["rows"][0]
    body = get(f"/openreferral/services/{service.pk}").json()
    validate("service", body)
    assert body["id"] == str(service.pk)
    assert body["organization"]["id"] == str(built["org"].pk)
    location = body["service_at_locations"][0]["location"]
    assert body["service_at_locations"][0]["id"] == str(at.pk)
    assert location["addresses"][0]["postal_code"] == "NF1 2AB"
    assert location["addresses"][0]["address_1"] == "1 High Street"
    assert location["latitude"] == 52.4
    assert body["contacts"][0]["phones"][0]["number"] == "0121 496 0000"
    assert body["schedules"][0]["byday"] == "MO,WE"
    assert body["schedules"][0]["opens_at"] == "10:00:00"
    assert body["service_areas"][0]["name"] == "Northfield"
    term = body["attributes"][0]["taxonomy_term"]
    assert term["id"] == str(built["terms"][0].pk) and term["taxonomy"] == "Practice"


def test_other_endpoints_are_valid(world: Any) -> None:
    built = build_directory(world["network"], services=2)
    _, at = built["rows"][0]
    validate("service_at_location_list", get("/openreferral/service_at_locations").json())
    one = get(f"/openreferral/service_at_locations/{at.pk}").json()
    validate("service_at_location", one)
    assert one["location"]["id"] == str(built["place"].pk)
    assert one["service"]["id"] == str(at.service_id)
    validate("organization_list", get("/openreferral/organizations").json())
    org = get(f"/openreferral/organizations/{built['org'].pk}").json()
    validate("organization", org)
    assert [s["name"] for s in org["services"]] == ["Service 00", "Service 01"]
    taxonomies = get("/openreferral/taxonomies").json()
    validate("taxonomy_list", taxonomies)
    taxonomy = get(f"/openreferral/taxonomies/{built['taxonomy'].pk}").json()
    validate("taxonomy", taxonomy)
    assert {t["name"] for t in taxonomy["taxonomy_terms"]} == {"Coaching", "Peer support"}
    terms = get("/openreferral/taxonomy_terms").json()
    validate("taxonomy_term_list", terms)
    assert terms["total_items"] == 2
    parent, child = built["terms"]
    term = get(f"/openreferral/taxonomy_terms/{child.pk}").json()
    validate("taxonomy_term", term)
    assert term["parent_id"] == str(parent.pk)


def _names(**params: Any) -> list[str]:
    body = get("/openreferral/services", **params).json()
    assert body["total_items"] == len(body["contents"])
    return [s["name"] for s in body["contents"]]


def test_each_filter(world: Any) -> None:
    built = build_directory(world["network"], services=4)
    parent, child = built["terms"]
    other_org = DirectoryOrganisation.objects.create(
        network=world["network"], name="Elsewhere", description="", published=True
    )
    Service.objects.create(
        network=world["network"], organisation=other_org, name="Allotments", published=True
    )
    assert _names(search="allotments") == ["Allotments"]
    assert _names(search="northfield") == [f"Service {n:02d}" for n in range(4)]  # the org
    assert _names(taxonomy_term_id=str(child.pk)) == ["Service 01", "Service 03"]
    assert len(_names(taxonomy_id=str(built["taxonomy"].pk))) == 4
    assert _names(organization_id=str(other_org.pk)) == ["Allotments"]
    assert _names(minimum_age=18) == ["Service 02", "Service 03"]
    assert _names(maximum_age=64) == []
    assert _names(maximum_age=65) == [f"Service {n:02d}" for n in range(4)]
    assert _names(day="SA") == ["Service 01", "Service 03"]
    assert _names(day="saturday") == ["Service 01", "Service 03"]
    Schedule.objects.filter(service__name="Service 03").update(opens_at=dt.time(9))
    assert _names(day="SA", start_time="10:00") == ["Service 01"]
    assert _names(end_time="15:00") == []
    assert len(_names(end_time="16:00")) == 4
    Service.objects.filter(name="Allotments").update(
        last_modified=timezone.now() + dt.timedelta(days=3)
    )
    later = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert _names(modified_after=later) == ["Allotments"]


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "two"},
        {"per_page": "-5"},
        {"per_page": "1.5"},
        {"taxonomy_term_id": "nope"},
        {"taxonomy_id": "123"},
        {"organization_id": "x"},
        {"modified_after": "yesterday"},
        # Well shaped but no such day or hour: Django's parsers raise, once a 500.
        {"modified_after": "2026-02-30"},
        {"modified_after": "2026-01-01T25:00:00"},
        {"modified_after": "2026-01-01T09:00:00+99:00"},
        {"minimum_age": "old"},
        {"maximum_age": "nan"},
        {"day": "FUNDAY"},
        {"start_time": "teatime"},
        {"end_time": "25:00"},
    ],
)
def test_a_bad_parameter_is_a_400_in_json(db: Any, params: dict[str, str]) -> None:
    response = get("/openreferral/services", **params)
    assert response.status_code == 400
    name = next(iter(params))
    assert name in response.json()["message"]


@pytest.mark.parametrize("path", ["/openreferral/services", "/openreferral/service_at_locations"])
def test_a_nul_in_the_search_is_dropped_not_a_failure(world: Any, path: str) -> None:
    # Found while fuzzing: PostgreSQL refuses a NUL in a query, so "?search=a%00b" was a 500.
    build_directory(world["network"], services=2)
    body = get(path, search="Service 01\x00").json()
    assert body["total_items"] == 1


@pytest.mark.parametrize(
    "kind", ["services", "service_at_locations", "organizations", "taxonomies", "taxonomy_terms"]
)
def test_unknown_or_malformed_ids_are_404_in_json(db: Any, kind: str) -> None:
    for ident in ("00000000-0000-0000-0000-000000000000", "not-a-uuid", "1"):
        response = get(f"/openreferral/{kind}/{ident}")
        assert response.status_code == 404
        assert response.json()["status"] == 404


def test_read_only_with_a_preflight_answer(db: Any) -> None:
    client = Client()
    preflight = client.options(
        "/openreferral/services",
        HTTP_ORIGIN="https://council.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    for send in (client.post, client.put, client.delete, client.patch):
        refused = send("/openreferral/services")
        assert refused.status_code == 405
        assert refused["Access-Control-Allow-Origin"] == "*"
    assert client.head("/openreferral/services").status_code == 200


def test_anonymous_and_signed_in_get_the_same_and_no_redirect(world: Any, login: Any) -> None:
    build_directory(world["network"], services=1)
    anonymous = Client().get("/openreferral/services")
    signed_in = login(world["coach"]).get("/openreferral/services")
    assert anonymous.status_code == signed_in.status_code == 200
    assert anonymous.json() == signed_in.json()


def test_query_count_does_not_grow_with_page_size(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    build_directory(world["network"], services=3)
    client = Client()
    with django_assert_max_num_queries(6):
        client.get("/openreferral/services", {"per_page": 3})
    with django_assert_max_num_queries(6):
        client.get("/openreferral/service_at_locations", {"per_page": 3})
    org = DirectoryOrganisation.objects.get()
    with django_assert_max_num_queries(10):
        client.get(f"/openreferral/organizations/{org.pk}")
    service = Service.objects.first()
    with django_assert_max_num_queries(10) as few:
        client.get(f"/openreferral/services/{service.pk}")
    build_directory(world["network"], services=12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/openreferral/services/{service.pk}")
    with django_assert_max_num_queries(6):
        client.get("/openreferral/services", {"per_page": 15})


def test_a_trailing_slash_is_welcome_and_an_unknown_address_is_a_json_404(world: Any) -> None:
    built = build_directory(world["network"], services=1)
    service, _ = built["rows"][0]
    assert get("/openreferral/services/").json()["total_items"] == 1
    assert get(f"/openreferral/services/{service.pk}/").json()["id"] == str(service.pk)
    for path in ("/openreferral/nothing", "/openreferral/services/a/b"):
        response = get(path)
        assert response.status_code == 404
        assert "nothing at this address" in response.json()["message"]
