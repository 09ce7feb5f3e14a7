"""Builders the directory tests share (no tests here): live entries made the way an approved
change makes them, through `entries.apply_*`."""

from __future__ import annotations

from typing import Any

from alongside.accounts.models import Organisation
from alongside.network import entries
from alongside.network.models import DirectoryOrganisation, Service


def listed_organisation(
    network: Organisation, member: Organisation | None = None, **extra: Any
) -> DirectoryOrganisation:
    entry = {"name": "Northfield Together", "description": "A place to be heard.", **extra}
    return entries.apply_organisation(entry, network=network, member=member)


def listed_service(organisation: DirectoryOrganisation, **extra: Any) -> Service:
    entry = entries.blank_service_entry(organisation)
    entry.update(
        name="Friday drop-in",
        description="Come as you are.\nTea, company and help with forms.",
        locations=[
            {
                "name": "The Hub",
                "address_1": "1 High Street",
                "city": "Northfield",
                "postal_code": "NF1 2AB",
            }
        ],
        schedules=[{"byday": "FR", "opens_at": "10:00", "closes_at": "16:00"}],
        contacts=[{"name": "Duty worker", "phone": "0113 496 0000", "email": "hi@example.org"}],
    )
    entry.update(extra)
    return entries.apply_service(entry, organisation=organisation)


def service_post(service_entry: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The service form as a browser would post it, filled from an entry."""
    entry = {**service_entry, **changes}
    data: dict[str, Any] = {
        "name": entry["name"],
        "description": entry["description"],
        "status": entry["status"],
        "minimum_age": entry.get("minimum_age") if entry.get("minimum_age") is not None else "",
        "maximum_age": entry.get("maximum_age") if entry.get("maximum_age") is not None else "",
        "fees": entry.get("fees") or "",
        "url": entry.get("url") or "",
        "email": entry.get("email") or "",
        "terms": [t["id"] for t in entry.get("terms", [])],
        "areas": [a["slug"] for a in entry.get("areas", [])],
        "version": entry.get("based_on_version") or "",
    }
    for prefix, items, fields in (
        ("place", entry.get("locations", []), [*entries.LOCATION_FIELDS, "id"]),
        ("times", entry.get("schedules", []), ["id", "opens_at", "closes_at", "description"]),
        ("contact", entry.get("contacts", []), [*entries.CONTACT_FIELDS, "id"]),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(items) + 1)
        data[f"{prefix}-INITIAL_FORMS"] = str(len(items))
        for number, item in enumerate(items):
            for field in fields:
                data[f"{prefix}-{number}-{field}"] = item.get(field) or ""
            if prefix == "times":
                data[f"{prefix}-{number}-days"] = [
                    d for d in str(item.get("byday", "")).split(",") if d
                ]
    return data
