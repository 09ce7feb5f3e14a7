"""`directory_export` and `directory_import`: a network's directory written out and brought
back into an empty one answers the API exactly as before; the commands explain what they did
and refuse what they cannot use."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from alongside.accounts.models import Organisation
from alongside.network.models import (
    DirectoryOrganisation,
    Location,
    Service,
    Taxonomy,
    TaxonomyTerm,
)

from . import factories
from .test_network_hsds_import import bring_in
from .test_network_openreferral_api import build_directory
from .test_network_openreferral_schemas import EXAMPLES, load, validate


def everything_served() -> dict[str, Any]:
    """Every endpoint's answer, and each record's `{id}` answer."""
    client = Client()
    out: dict[str, Any] = {}
    for kind in (
        "services",
        "service_at_locations",
        "organizations",
        "taxonomies",
        "taxonomy_terms",
    ):
        page = client.get(f"/openreferral/{kind}", {"per_page": 500}).json()
        out[kind] = page
        for item in page["contents"]:
            out[f"{kind}/{item['id']}"] = client.get(f"/openreferral/{kind}/{item['id']}").json()
    return out


def export(network: Organisation, tmp_path: Path) -> Path:
    out = tmp_path / "directory.json"
    said = io.StringIO()
    call_command("directory_export", network=network.slug, out=str(out), stdout=said)
    assert "Wrote 4 services" in said.getvalue()
    return out


def _full_directory(network: Organisation) -> None:
    build_directory(network, services=3)
    assert bring_in(network, load(EXAMPLES / "service_full.json")).ok


def test_an_export_brought_into_an_empty_directory_answers_the_same(
    world: Any, tmp_path: Path
) -> None:
    _full_directory(world["network"])
    before = everything_served()
    assert before["services"]["total_items"] == 4
    path = export(world["network"], tmp_path)
    document = json.loads(path.read_text())
    for service in document["services"]:
        validate("service", service)
    for model in (Service, Location, DirectoryOrganisation, TaxonomyTerm, Taxonomy):
        model.objects.all().delete()
    assert everything_served()["services"]["total_items"] == 0

    fresh = factories.organisation(Organisation.Kind.NETWORK)
    said = io.StringIO()
    call_command("directory_import", str(path), network=fresh.slug, stdout=said)
    assert "4 services added" in said.getvalue()
    assert everything_served() == before


def test_an_export_brought_into_a_second_network_makes_its_own_copy(
    world: Any, tmp_path: Path
) -> None:
    _full_directory(world["network"])
    path = export(world["network"], tmp_path)
    second = factories.organisation(Organisation.Kind.NETWORK)
    call_command("directory_import", str(path), network=second.slug, stdout=io.StringIO())
    theirs = Service.objects.filter(network=second)
    ours = Service.objects.filter(network=world["network"])
    assert sorted(theirs.values_list("name", flat=True)) == sorted(
        ours.values_list("name", flat=True)
    )
    assert not set(theirs.values_list("pk", flat=True)) & set(ours.values_list("pk", flat=True))
    again = io.StringIO()
    call_command("directory_import", str(path), network=second.slug, stdout=again)
    assert "0 services added, 0 updated" in again.getvalue()
    assert Service.objects.filter(network=second).count() == 4


def test_the_import_names_each_bad_record_and_brings_nothing_in(world: Any, tmp_path: Path) -> None:
    bad = load(EXAMPLES / "service_list.json")
    bad["contents"][0]["minimum_age"] = "twelve"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was brought in: 1 problem"):
        call_command("directory_import", str(path), network=world["network"].slug, stderr=errors)
    assert "Record 1 (service ac148810-d857-441c-9679-408f346de14b): minimum_age" in (
        errors.getvalue()
    )
    assert not Service.objects.exists()


def test_the_commands_refuse_what_they_cannot_use(world: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no organisation called"):
        call_command("directory_export", network="nowhere", stdout=io.StringIO())
    with pytest.raises(CommandError, match="is not a network"):
        call_command("directory_export", network=world["home"].slug, stdout=io.StringIO())
    missing = tmp_path / "missing.json"
    with pytest.raises(CommandError, match="There is no file"):
        call_command("directory_import", str(missing), network=world["network"].slug)
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    with pytest.raises(CommandError, match="is not JSON"):
        call_command("directory_import", str(junk), network=world["network"].slug)


def test_an_export_to_the_screen_is_the_same_document(world: Any, tmp_path: Path) -> None:
    _full_directory(world["network"])
    screen = io.StringIO()
    call_command("directory_export", network=world["network"].slug, stdout=screen)
    assert json.loads(screen.getvalue()) == json.loads(
        export(world["network"], tmp_path).read_text()
    )
