"""Bringing HSDS JSON into a network's directory: the standard's examples come in whole; a
document with bad records names each one by number and id and writes nothing; bringing the
same document in twice changes nothing the second time."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from alongside.network import hsds_import
from alongside.network.models import (
    DirectoryOrganisation,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from alongside.network.services import feeds

from .test_network_openreferral_schemas import EXAMPLES, load, validate

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"


def bring_in(network: Any, data: Any) -> hsds_import.Result:
    return feeds.bring_in_document(network=network, data=data)


@pytest.mark.parametrize(
    "example",
    [
        "service_full.json",
        "service_list.json",
        "organization_full.json",
        "service_at_location_full.json",
        "service_at_location_list.json",
    ],
)
def test_each_example_with_a_service_comes_in_published(world: Any, example: str) -> None:
    result = bring_in(world["network"], load(EXAMPLES / example))
    assert result.ok, [str(p) for p in result.problems]
    service = Service.objects.get(pk=SERVICE_ID)
    assert service.name == "Community Counselling"
    assert service.published and service.organisation.published
    assert service.organisation.member is None
    assert service.network == world["network"]
    assert service.minimum_age == 12 and service.maximum_age == 100


def test_the_full_service_keeps_everything_the_api_serves(world: Any, client: Any) -> None:
    original = load(EXAMPLES / "service_full.json")
    assert bring_in(world["network"], original).ok
    served = client.get(f"/openreferral/services/{SERVICE_ID}").json()
    validate("service", served)
    for key in ("name", "description", "url", "email", "status", "fees", "alert"):
        assert served[key] == original[key]
    assert served["last_modified"] == original["last_modified"]
    location = served["service_at_locations"][0]["location"]
    assert location["id"] == original["service_at_locations"][0]["location"]["id"]
    assert location["addresses"][0]["postal_code"] == "ABC 1234"
    assert served["schedules"][0]["byday"] == "TH,FR"
    assert served["schedules"][0]["attending_type"] == original["schedules"][0]["attending_type"]
    assert served["contacts"][0]["name"] == "Ann Persona"
    assert (
        served["attributes"][0]["taxonomy_term"]["id"]
        == (original["attributes"][0]["taxonomy_term"]["id"])
    )
    assert served["service_areas"][0]["id"] == original["service_areas"][0]["id"]


@pytest.mark.parametrize(
    "example",
    ["taxonomy.json", "taxonomy_list.json", "taxonomy_term.json", "taxonomy_term_list.json"],
)
def test_taxonomy_examples_come_in(world: Any, example: str) -> None:
    result = bring_in(world["network"], load(EXAMPLES / example))
    assert result.ok, [str(p) for p in result.problems]
    assert Taxonomy.objects.filter(network=world["network"]).exists()
    if "term" in example or example == "taxonomy.json":
        assert TaxonomyTerm.objects.get(pk="3f7b145d-84af-42d7-8fae-eaca714b02b2").name == "name"


def test_the_organisation_list_example_comes_in(world: Any) -> None:
    assert bring_in(world["network"], load(EXAMPLES / "organization_list.json")).ok
    assert DirectoryOrganisation.objects.get().name == "Example Organization Inc."


def test_bringing_the_same_document_in_twice_changes_nothing(world: Any) -> None:
    document = load(EXAMPLES / "service_full.json")
    first = bring_in(world["network"], document)
    assert (first.added, first.updated) == (1, 0)
    counts = [m.objects.count() for m in (Service, Location, Schedule, ServiceAtLocation)]
    version = Service.objects.get().version
    second = bring_in(world["network"], document)
    assert (second.added, second.updated) == (0, 0)
    assert [m.objects.count() for m in (Service, Location, Schedule, ServiceAtLocation)] == counts
    assert Service.objects.get().version == version
    document["name"] = "Counselling in the community"
    document["schedules"] = []
    third = bring_in(world["network"], document)
    assert (third.added, third.updated) == (0, 1)
    service = Service.objects.get()
    assert service.name == "Counselling in the community"
    assert service.version == version + 1
    assert not service.schedules.exists()


def _bad_document() -> list[dict[str, Any]]:
    good = load(EXAMPLES / "service_full.json")
    records = []
    for n in range(5):
        record = copy.deepcopy(good)
        record["id"] = f"00000000-0000-4000-8000-00000000000{n}"
        record["service_at_locations"][0]["id"] = f"00000000-0000-4000-8000-10000000000{n}"
        record["service_at_locations"][0]["location"]["id"] = (
            f"00000000-0000-4000-8000-20000000000{n}"
        )
        records.append(record)
    del records[1]["name"]
    records[2]["id"] = "not-a-uuid"
    records[3]["minimum_age"] = -4
    records[4]["attributes"] = [
        {"id": "00000000-0000-4000-8000-300000000000", "taxonomy_term_id": SERVICE_ID}
    ]
    return records


def test_bad_records_are_each_named_and_nothing_is_written(world: Any) -> None:
    result = bring_in(world["network"], _bad_document())
    assert not result.ok
    named = {(p.record, p.id): p.problem for p in result.problems}
    assert "name: missing" in named[(2, "00000000-0000-4000-8000-000000000001")]
    assert "not a valid id" in named[(3, "not-a-uuid")]
    assert "minimum_age" in named[(4, "00000000-0000-4000-8000-000000000003")]
    assert "unknown taxonomy term" in named[(5, "00000000-0000-4000-8000-000000000004")]
    assert 1 not in {p.record for p in result.problems}
    assert str(result.problems[0]).startswith("Record 2 (service 00000000-")
    for model in (Service, DirectoryOrganisation, Location, TaxonomyTerm, Taxonomy):
        assert not model.objects.exists()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"status": "open"}, "status: “open” is not one of"),
        ({"status": None}, "status: missing"),
        ({"maximum_age": 5}, "minimum_age: is above the maximum age"),
        ({"email": "not an email"}, "email: “not an email” is not an email address"),
        ({"last_modified": "last week"}, "last_modified: “last week” is not a date and time"),
        ({"organization": None}, "it names no organisation"),
        ({"schedules": [{"id": SERVICE_ID, "byday": "Mondays"}]}, "schedules 1, byday"),
        ({"name": "x" * 201}, "name: is too long"),
    ],
)
def test_each_kind_of_fault_is_explained(world: Any, change: dict[str, Any], words: str) -> None:
    record = load(EXAMPLES / "service_full.json")
    record.update(change)
    result = bring_in(world["network"], record)
    assert any(words in p.problem for p in result.problems), [str(p) for p in result.problems]
    assert not Service.objects.exists()


def test_a_term_named_by_id_alone_is_found_in_the_directory(world: Any) -> None:
    assert bring_in(world["network"], load(EXAMPLES / "taxonomy_term.json")).ok
    record = _bad_document()[4]
    record["attributes"][0]["taxonomy_term_id"] = "3f7b145d-84af-42d7-8fae-eaca714b02b2"
    assert bring_in(world["network"], record).ok
    assert list(Service.objects.get().terms.values_list("name", flat=True)) == ["name"]


def test_a_document_with_no_records_is_refused(world: Any) -> None:
    for nothing in ([], {"contents": []}, "text", 3):
        with pytest.raises(hsds_import.DocumentProblemError):
            bring_in(world["network"], nothing)


def test_what_a_database_cannot_keep_is_named_not_stored(world) -> None:
    # Found by fuzzing the directory file page: each was a 500 on PostgreSQL.
    network = world["network"]
    nul = load(EXAMPLES / "service_full.json")
    nul["name"] = "Drop\x00in"
    result = bring_in(network, nul)
    assert not result.ok and "NUL" in str(result.problems[0])
    long_email = load(EXAMPLES / "service_full.json")
    long_email["email"] = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".org"
    result = bring_in(network, long_email)
    assert not result.ok and "at most 254 characters" in " ".join(map(str, result.problems))
    country = load(EXAMPLES / "service_full.json")
    country["service_at_locations"][0]["location"]["addresses"][0]["country"] = "ßß"
    result = bring_in(network, country)
    assert not result.ok and "not a two-letter code" in " ".join(map(str, result.problems))
    assert not Service.objects.exists()
