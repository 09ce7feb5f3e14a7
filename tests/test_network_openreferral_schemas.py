"""The validator the Open Referral tests use: the UK profile's compiled JSON Schemas, with the
taxonomy schemas' $refs resolved over schema/. These tests prove it: the standard's own examples
pass, and records with known faults fail. Other test files import `validate` from here."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from alongside.network.hsds import STANDARD_DIR

SCHEMA_DIR = STANDARD_DIR / "schema"
EXAMPLES = STANDARD_DIR / "examples"

# Which schema checks which answer; a list answer's items are checked against the list one.
SCHEMAS = {
    "service": "compiled/service.json",
    "service_list": "compiled/service_list.json",
    "organization": "compiled/organization.json",
    "organization_list": "compiled/organization_list.json",
    "service_at_location": "compiled/service_at_location.json",
    "service_at_location_list": "compiled/service_at_location_list.json",
    "taxonomy": "taxonomy.json",
    "taxonomy_list": "taxonomy.json",
    "taxonomy_term": "taxonomy_term.json",
    "taxonomy_term_list": "taxonomy_term.json",
}
PAGE_KEYS = {
    "total_items": int,
    "total_pages": int,
    "page_number": int,
    "size": int,
    "first_page": bool,
    "last_page": bool,
    "empty": bool,
    "contents": list,
}


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    resources = [
        (path.name, Resource.from_contents(load(path), default_specification=DRAFT202012))
        for path in SCHEMA_DIR.glob("*.json")
        if path.name != "openapi.json"
    ]
    return Registry().with_resources(resources)


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = load(SCHEMA_DIR / SCHEMAS[name])
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def errors(name: str, instance: Any) -> list[str]:
    """Every way `instance` breaks the schema for `name` ("service", "service_list", ...).
    For a list name, `instance` is the whole page: the envelope and each item are checked."""
    if name.endswith("_list"):
        found = [
            f"{key} is missing or not {kind.__name__}"
            for key, kind in PAGE_KEYS.items()
            if not isinstance(instance.get(key), kind)
        ]
        for index, item in enumerate(instance.get("contents") or []):
            found += [f"item {index}: {e.message}" for e in _validator(name).iter_errors(item)]
        return found
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator(name).iter_errors(instance)]


def validate(name: str, instance: Any) -> None:
    problems = errors(name, instance)
    assert not problems, problems


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_standards_examples_pass(name: str) -> None:
    example = EXAMPLES / (name.replace("_list", "") + "_full.json")
    if name.endswith("_list") or not example.exists():
        example = EXAMPLES / f"{name}.json"
    validate(name, load(example))


def test_a_service_with_faults_fails() -> None:
    bad = load(EXAMPLES / "service_full.json")
    bad["id"] = "not-a-uuid"
    bad["status"] = "open"
    del bad["name"]
    bad["schedules"][0]["freq"] = "DAILY"
    found = " ".join(errors("service", bad))
    for fault in ("not a 'uuid'", "'open' is not one of", "'name' is a required", "'DAILY'"):
        assert fault in found


def test_a_page_without_its_envelope_fails() -> None:
    page = load(EXAMPLES / "service_list.json")
    del page["total_pages"]
    page["contents"][0]["minimum_age"] = "twelve"
    found = " ".join(errors("service_list", page))
    assert "total_pages is missing" in found
    assert "'twelve' is not of type 'number'" in found


def test_a_taxonomy_term_inside_a_taxonomy_is_checked_through_its_ref() -> None:
    taxonomy = load(EXAMPLES / "taxonomy.json")
    taxonomy["taxonomy_terms"][0]["id"] = "zz"
    assert any("'zz' is not a 'uuid'" in e for e in errors("taxonomy", taxonomy))
