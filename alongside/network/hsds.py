"""Directory rows as Open Referral UK (HSDS 3.0, UK profile) JSON: one function per object type,
used by the `/openreferral/` API and by `directory_export`, so the two always agree.

The schemas type every field as a string, number or array, never null, so an empty optional
field is left out rather than sent as null or "". The few fields the schemas require (a
service's `status`, an organisation's `description`, an address's lines) are always sent.
Callers pass rows with their relations prefetched (`selectors.openreferral`): nothing here
queries the database on its own.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from .models import (
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

HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
STANDARD_DIR = Path(__file__).resolve().parent / "standard" / "openreferral-uk"
# Accessibility notes have no row of their own here: their id is derived from the location's,
# so it stays the same from one response to the next.
ACCESSIBILITY_NAMESPACE = uuid.UUID("6f1d3a3e-58b4-4b8e-9f55-0c7e3b0a6a11")

Json = dict[str, Any]


def _text(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, Decimal):
        return float(value)
    return value


def _fields(required: dict[str, Any], optional: dict[str, Any]) -> Json:
    out = {key: _text(value) for key, value in required.items()}
    for key, value in optional.items():
        if value is None or value == "":
            continue
        out[key] = _text(value)
    return out


def taxonomy_term(term: TaxonomyTerm) -> Json:
    """A term; `taxonomy` (its taxonomy's name) needs `taxonomy` selected with the term."""
    return _fields(
        {"id": term.pk, "name": term.name, "description": term.description},
        {
            "parent_id": term.parent_id,
            "taxonomy": term.taxonomy.name,
            "taxonomy_id": term.taxonomy_id,
            "term_uri": term.term_uri,
            "term": term.code,
        },
    )


def taxonomy(tax: Taxonomy, *, with_terms: bool = False) -> Json:
    """A taxonomy; with its terms (prefetched as `terms`) for the `{id}` form."""
    out = _fields(
        {"id": tax.pk, "name": tax.name, "description": tax.description},
        {"uri": tax.uri, "version": tax.version_label},
    )
    if with_terms:
        out["taxonomy_terms"] = [taxonomy_term(term) for term in tax.terms.all()]
    return out


def organization(org: DirectoryOrganisation, *, services: list[Service] | None = None) -> Json:
    """An organisation; with its full services when `services` is given (the `{id}` form)."""
    out = _fields(
        {"id": org.pk, "name": org.name, "description": org.description},
        {"email": org.email, "website": org.website, "logo": org.logo, "uri": org.uri},
    )
    if services is not None:
        out["services"] = [service(item, with_organization=False) for item in services]
    return out


def _service_fields(item: Service) -> Json:
    return _fields(
        {"id": item.pk, "name": item.name, "status": item.status},
        {
            "organization_id": item.organisation_id,
            "description": item.description,
            "url": item.url,
            "email": item.email,
            "fees": item.fees,
            "accreditations": item.accreditations,
            "minimum_age": item.minimum_age,
            "maximum_age": item.maximum_age,
            "assured_date": item.assured_date,
            "assurer_email": item.assurer_email,
            "alert": item.alert,
            "last_modified": item.last_modified,
        },
    )


def service_summary(item: Service) -> Json:
    """A service as the lists give it: its own fields and its organisation, nothing nested."""
    out = _service_fields(item)
    out["organization"] = organization(item.organisation)
    return out


def service(item: Service, *, with_organization: bool = True) -> Json:
    """The full service: organisation, places with their addresses, contacts with phones,
    opening times, areas served and its taxonomy terms (as `attributes`)."""
    out = _service_fields(item)
    out["schedules"] = [schedule(row) for row in item.schedules.all()]
    out["service_areas"] = [service_area(row) for row in item.service_areas.all()]
    out["service_at_locations"] = [
        service_at_location(row, with_service=False) for row in item.service_at_locations.all()
    ]
    out["contacts"] = [contact(row) for row in item.contacts.all()]
    out["attributes"] = [attribute(item, term) for term in item.terms.all()]
    out["languages"] = []
    out["funding"] = []
    out["cost_options"] = []
    if with_organization:
        out["organization"] = organization(item.organisation)
    return out


def attribute(item: Service, term: TaxonomyTerm) -> Json:
    # One attribute per (service, term): its id is derived, so it is stable.
    return {
        "id": str(uuid.uuid5(term.pk, str(item.pk))),
        "link_id": str(item.pk),
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": str(term.pk),
        "taxonomy_term": taxonomy_term(term),
    }


def schedule(row: Schedule) -> Json:
    return _fields(
        {"id": row.pk},
        {
            "service_id": row.service_id,
            "service_at_location_id": row.service_at_location_id,
            "valid_from": row.valid_from,
            "valid_to": row.valid_to,
            "freq": row.freq,
            "interval": row.interval,
            "byday": row.byday,
            "bymonthday": row.bymonthday,
            "opens_at": row.opens_at,
            "closes_at": row.closes_at,
            "description": row.description,
            "notes": row.notes,
            "attending_type": row.attending_type,
        },
    )


def service_area(row: ServiceArea) -> Json:
    return _fields(
        {"id": row.pk},
        {
            "service_id": row.service_id,
            "name": row.name,
            "extent": row.extent,
            "uri": row.uri,
        },
    )


def contact(row: Contact) -> Json:
    out = _fields(
        {"id": row.pk},
        {"service_id": row.service_id, "name": row.name, "title": row.title, "email": row.email},
    )
    phones = []
    if row.phone:
        phones.append(
            _fields(
                {"id": row.phone_id, "number": row.phone},
                {"contact_id": row.pk, "description": row.phone_description},
            )
        )
    out["phones"] = phones
    return out


def has_address(row: Location) -> bool:
    return bool(row.address_1 or row.city or row.postal_code)


def location(row: Location) -> Json:
    out = _fields(
        {"id": row.pk, "location_type": row.location_type},
        {
            "name": row.name,
            "description": row.description,
            "latitude": row.latitude,
            "longitude": row.longitude,
        },
    )
    out["addresses"] = []
    if has_address(row):
        out["addresses"].append(
            _fields(
                {
                    "id": row.address_id,
                    "location_id": row.pk,
                    "address_1": row.address_1,
                    "city": row.city,
                    "state_province": row.state_province,
                    "postal_code": row.postal_code,
                    "country": row.country,
                    "address_type": (
                        row.location_type
                        if row.location_type != Location.Type.VIRTUAL
                        else Location.Type.PHYSICAL
                    ),
                },
                {"attention": row.attention, "address_2": row.address_2, "region": row.region},
            )
        )
    out["accessibility"] = []
    if row.accessibility:
        out["accessibility"].append(
            {
                "id": str(uuid.uuid5(ACCESSIBILITY_NAMESPACE, str(row.pk))),
                "location_id": str(row.pk),
                "description": row.accessibility,
            }
        )
    return out


def service_at_location(row: ServiceAtLocation, *, with_service: bool = True) -> Json:
    """A service at one place; with the service's summary for the `/service_at_locations`
    endpoints, without it inside a full service (which is the service already)."""
    out = _fields(
        {"id": row.pk},
        {
            "service_id": row.service_id,
            "location_id": row.location_id,
            "description": row.description,
        },
    )
    out["location"] = location(row.location)
    if with_service:
        out["service"] = service_summary(row.service)
    return out


def page(contents: list[Json], *, total: int, number: int, size: int) -> Json:
    """The pagination envelope every list endpoint answers with."""
    pages = (total + size - 1) // size if size else 0
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": not contents,
        "contents": contents,
    }
