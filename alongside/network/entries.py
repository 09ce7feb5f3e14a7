"""A whole directory entry as plain JSON: what a `DirectoryChange` keeps in `proposed` (the
entry as the member wants it) and `replaced` (the entry as it was just before staff applied it).

Keeping the whole entry, not a patch, means a change can be read on its own for ever, shown
field by field beside what it replaced, and applied in one go. The shape follows Open Referral
UK's names where it can (a service's `minimum_age`, a location's `address_1`, `postal_code`), and
names terms and areas by id *and* name, so the history still reads true after a term is renamed.

    {"shape": 1, "kind": "service", "id": "<uuid or null>", "organisation_id": "<uuid>",
     "based_on_version": 3, "name": ..., "description": ..., "url": ..., "email": ...,
     "status": "active", "fees": ..., "minimum_age": 16, "maximum_age": null,
     "terms": [{"id": ..., "name": ...}], "areas": [{"slug": ..., "name": ...}],
     "locations": [{"id": ..., "name", "address_1", "address_2", "city", "state_province",
                    "postal_code"}],
     "schedules": [{"id": ..., "byday": "MO,WE", "opens_at": "10:00", "closes_at": "16:00",
                    "description": ...}],
     "contacts": [{"id": ..., "name": ..., "email": ..., "phone": ...}]}

    {"shape": 1, "kind": "organisation", "id": ..., "based_on_version": 2, "name": ...,
     "description": ..., "email": ..., "website": ...}

`based_on_version` is the live row's `version` when the member started: staff cannot approve a
change once the entry has moved on since, so nobody's approved edit is quietly overwritten.
"""

from __future__ import annotations

import uuid
from datetime import time
from typing import Any

from django.utils import timezone

from alongside.accounts.models import Area, Organisation

from .models import (
    Contact,
    DirectoryOrganisation,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)

SHAPE = 1
SERVICE_FIELDS = (
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "minimum_age",
    "maximum_age",
)
ORGANISATION_FIELDS = ("name", "description", "email", "website")
LOCATION_FIELDS = ("name", "address_1", "address_2", "city", "state_province", "postal_code")
CONTACT_FIELDS = ("name", "email", "phone")
SCHEDULE_FIELDS = ("byday", "opens_at", "closes_at", "description")

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


# --- from rows -----------------------------------------------------------------------------


def _id(value: Any) -> str | None:
    return str(value) if value else None


def _clock(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def service_entry(service: Service) -> dict[str, Any]:
    """The live service as an entry. Its related rows are read through the managers, so a
    caller that prefetched them pays nothing more."""
    locations = [sal.location for sal in service.service_at_locations.all()]
    locations.sort(key=lambda place: (place.name, place.address_1, str(place.pk)))
    entry: dict[str, Any] = {
        "shape": SHAPE,
        "kind": "service",
        "id": _id(service.pk),
        "organisation_id": _id(service.organisation_id),
        "based_on_version": service.version,
        **{field: getattr(service, field) for field in SERVICE_FIELDS},
        "terms": sorted(
            ({"id": str(term.pk), "name": term.name} for term in service.terms.all()),
            key=lambda term: term["name"],
        ),
        "areas": sorted(
            (
                {"slug": part.area.slug, "name": part.area.name}
                for part in service.service_areas.all()
                if part.area is not None
            ),
            key=lambda area: area["name"],
        ),
        "locations": [
            {"id": _id(place.pk), **{f: getattr(place, f) for f in LOCATION_FIELDS}}
            for place in locations
        ],
        "schedules": [
            {
                "id": _id(one.pk),
                "byday": one.byday,
                "opens_at": _clock(one.opens_at),
                "closes_at": _clock(one.closes_at),
                "description": one.description,
            }
            for one in sorted(service.schedules.all(), key=lambda s: (s.created_at, str(s.pk)))
        ],
        "contacts": [
            {"id": _id(one.pk), **{f: getattr(one, f) for f in CONTACT_FIELDS}}
            for one in sorted(service.contacts.all(), key=lambda c: (c.created_at, str(c.pk)))
        ],
    }
    return entry


def organisation_entry(organisation: DirectoryOrganisation) -> dict[str, Any]:
    return {
        "shape": SHAPE,
        "kind": "organisation",
        "id": _id(organisation.pk),
        "based_on_version": organisation.version,
        **{field: getattr(organisation, field) for field in ORGANISATION_FIELDS},
    }


def blank_service_entry(organisation: DirectoryOrganisation) -> dict[str, Any]:
    return {
        "shape": SHAPE,
        "kind": "service",
        "id": None,
        "organisation_id": str(organisation.pk),
        "based_on_version": None,
        "name": "",
        "description": "",
        "url": "",
        "email": "",
        "status": Service.Status.ACTIVE.value,
        "fees": "",
        "minimum_age": None,
        "maximum_age": None,
        "terms": [],
        "areas": [],
        "locations": [],
        "schedules": [],
        "contacts": [],
    }


# --- onto rows -----------------------------------------------------------------------------


def _parse_clock(value: str | None) -> time | None:
    if not value:
        return None
    hours, minutes = value.split(":")[:2]
    return time(int(hours), int(minutes))


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def apply_organisation(
    entry: dict[str, Any],
    *,
    network: Organisation,
    member: Organisation | None,
    organisation: DirectoryOrganisation | None = None,
) -> DirectoryOrganisation:
    """Make the live organisation say what the entry says, published, one version on."""
    now = timezone.now()
    values = {field: entry.get(field) or "" for field in ORGANISATION_FIELDS}
    if organisation is None:
        return DirectoryOrganisation.objects.create(
            network=network, member=member, published=True, last_modified=now, **values
        )
    for field, value in values.items():
        setattr(organisation, field, value)
    organisation.published = True
    organisation.version += 1
    organisation.last_modified = now
    organisation.save()
    return organisation


def apply_service(
    entry: dict[str, Any],
    *,
    organisation: DirectoryOrganisation,
    service: Service | None = None,
) -> Service:
    """Make the live service, its places, opening times, contacts, terms and areas say what
    the entry says; published, one version on. The caller holds the transaction."""
    now = timezone.now()
    network_id = organisation.network_id
    values = {field: entry.get(field) for field in SERVICE_FIELDS}
    for field in ("description", "url", "email", "fees"):
        values[field] = values[field] or ""
    if service is None:
        service = Service.objects.create(
            network_id=network_id,
            organisation=organisation,
            published=True,
            last_modified=now,
            **values,
        )
    else:
        for field, value in values.items():
            setattr(service, field, value)
        service.published = True
        service.version += 1
        service.last_modified = now
        service.save()

    term_ids = [_uuid(term.get("id")) for term in entry.get("terms", [])]
    service.terms.set(
        TaxonomyTerm.objects.filter(pk__in=[t for t in term_ids if t], network_id=network_id)
    )
    _apply_areas(service, entry.get("areas", []), now)
    _apply_locations(service, organisation, entry.get("locations", []), now)
    _apply_schedules(service, entry.get("schedules", []), now)
    _apply_contacts(service, entry.get("contacts", []), now)
    return service


def _apply_areas(service: Service, wanted: list[dict[str, Any]], now: Any) -> None:
    slugs = {area.get("slug") for area in wanted if area.get("slug")}
    areas = {area.slug: area for area in Area.objects.filter(slug__in=slugs)}
    have = {part.area_id: part for part in service.service_areas.all() if part.area_id}
    keep = {area.pk for area in areas.values()}
    service.service_areas.exclude(area_id__in=keep).delete()
    for area in areas.values():
        if area.pk not in have:
            ServiceArea.objects.create(
                network_id=service.network_id,
                service=service,
                name=area.name,
                area=area,
                last_modified=now,
            )


def _apply_locations(
    service: Service,
    organisation: DirectoryOrganisation,
    wanted: list[dict[str, Any]],
    now: Any,
) -> None:
    own = {place.pk: place for place in organisation.locations.all()}
    linked = {sal.location_id: sal for sal in service.service_at_locations.all()}
    keep: set[uuid.UUID] = set()
    for item in wanted:
        values = {field: (item.get(field) or "") for field in LOCATION_FIELDS}
        place = own.get(_uuid(item.get("id")))  # type: ignore[arg-type]
        if place is None:
            place = Location.objects.create(
                network_id=service.network_id,
                organisation=organisation,
                last_modified=now,
                **values,
            )
        elif any(getattr(place, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(place, field, value)
            place.version += 1
            place.last_modified = now
            place.save()
        keep.add(place.pk)
        if place.pk not in linked:
            ServiceAtLocation.objects.create(
                network_id=service.network_id, service=service, location=place, last_modified=now
            )
    # A place another service still uses stays; only this service's link to it goes.
    for location_id, sal in linked.items():
        if location_id not in keep:
            sal.delete()


def _apply_schedules(service: Service, wanted: list[dict[str, Any]], now: Any) -> None:
    have = {one.pk: one for one in service.schedules.all()}
    keep: set[uuid.UUID] = set()
    for item in wanted:
        values = {
            "byday": item.get("byday") or "",
            "opens_at": _parse_clock(item.get("opens_at")),
            "closes_at": _parse_clock(item.get("closes_at")),
            "description": item.get("description") or "",
        }
        one = have.get(_uuid(item.get("id")))  # type: ignore[arg-type]
        if one is None:
            one = Schedule.objects.create(
                network_id=service.network_id,
                service=service,
                freq="WEEKLY",
                last_modified=now,
                **values,
            )
        elif any(getattr(one, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(one, field, value)
            one.version += 1
            one.last_modified = now
            one.save()
        keep.add(one.pk)
    service.schedules.exclude(pk__in=keep).delete()


def _apply_contacts(service: Service, wanted: list[dict[str, Any]], now: Any) -> None:
    have = {one.pk: one for one in service.contacts.all()}
    keep: set[uuid.UUID] = set()
    for item in wanted:
        values = {field: (item.get(field) or "") for field in CONTACT_FIELDS}
        one = have.get(_uuid(item.get("id")))  # type: ignore[arg-type]
        if one is None:
            one = Contact.objects.create(
                network_id=service.network_id, service=service, last_modified=now, **values
            )
        elif any(getattr(one, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(one, field, value)
            one.version += 1
            one.last_modified = now
            one.save()
        keep.add(one.pk)
    service.contacts.exclude(pk__in=keep).delete()


# --- in words ------------------------------------------------------------------------------


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def days_words(byday: str) -> str:
    """ "MO,WE" → "Mondays and Wednesdays"; the working week and every day said as such."""
    codes = [code for code in DAY_CODES if code in {c.strip().upper() for c in byday.split(",")}]
    if not codes:
        return ""
    if len(codes) == 7:
        return "Every day"
    if codes == ["MO", "TU", "WE", "TH", "FR"]:
        return "Monday to Friday"
    if codes == ["SA", "SU"]:
        return "Weekends"
    return _join([f"{DAY_NAMES[code]}s" for code in codes])


def time_words(value: time | str | None) -> str:
    """10:00 → "10am", 16:30 → "4:30pm", 12:00 → "midday"."""
    if isinstance(value, str):
        value = _parse_clock(value)
    if value is None:
        return ""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def opening_words(byday: str, opens_at: Any, closes_at: Any, description: str = "") -> str:
    """ "Mondays and Wednesdays, 10am to 4pm" (and the note, if there is one)."""
    days = days_words(byday)
    opens, closes = time_words(opens_at), time_words(closes_at)
    hours = (
        f"{opens} to {closes}"
        if opens and closes
        else (f"from {opens}" if opens else (f"until {closes}" if closes else ""))
    )
    said = ", ".join(part for part in (days, hours) if part)
    if description:
        said = f"{said} ({description})" if said else description
    return said


def ages_words(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"People aged {minimum} to {maximum}"
    if minimum is not None:
        return f"People aged {minimum} and over"
    if maximum is not None:
        return f"People aged up to {maximum}"
    return "People of any age"


def address_lines(place: dict[str, Any] | Location) -> list[str]:
    get = place.get if isinstance(place, dict) else (lambda f: getattr(place, f))
    return [
        str(value) for value in (get(f) for f in LOCATION_FIELDS) if value and str(value).strip()
    ]


STATUS_WORDS = dict(Service.Status.choices)

LABELS = {
    "name": "Name",
    "description": "What it is",
    "url": "Website",
    "email": "Email",
    "status": "Whether it is running",
    "fees": "What it costs",
    "ages": "Who it is for",
    "terms": "How it works",
    "areas": "Areas it covers",
    "locations": "Where",
    "schedules": "When it is open",
    "contacts": "Who to contact",
    "website": "Website",
}


def entry_words(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """The entry as (label, words) pairs, in the order a reader expects; empty when absent."""
    if not entry:
        return []
    if entry.get("kind") == "organisation":
        return [(LABELS[f], str(entry.get(f) or "")) for f in ORGANISATION_FIELDS]
    pairs = [
        (LABELS["name"], entry.get("name") or ""),
        (LABELS["description"], entry.get("description") or ""),
        (LABELS["status"], STATUS_WORDS.get(entry.get("status") or "", "")),
        (LABELS["ages"], ages_words(entry.get("minimum_age"), entry.get("maximum_age"))),
        (LABELS["fees"], entry.get("fees") or ""),
        (LABELS["url"], entry.get("url") or ""),
        (LABELS["email"], entry.get("email") or ""),
        (LABELS["terms"], "; ".join(t.get("name", "") for t in entry.get("terms", []))),
        (LABELS["areas"], "; ".join(a.get("name", "") for a in entry.get("areas", []))),
        (
            LABELS["locations"],
            "\n".join(", ".join(address_lines(p)) for p in entry.get("locations", [])),
        ),
        (
            LABELS["schedules"],
            "\n".join(
                opening_words(
                    s.get("byday") or "",
                    s.get("opens_at"),
                    s.get("closes_at"),
                    s.get("description") or "",
                )
                for s in entry.get("schedules", [])
            ),
        ),
        (
            LABELS["contacts"],
            "\n".join(
                ", ".join(str(c.get(f)) for f in CONTACT_FIELDS if c.get(f))
                for c in entry.get("contacts", [])
            ),
        ),
    ]
    return [(label, str(words)) for label, words in pairs]


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, str]]:
    """What a change changes, field by field, in words: only the fields that differ. A new
    entry (nothing before) shows everything it says."""
    if after.get("kind") == "withdraw":
        return [{"label": "In the directory", "before": "Yes", "after": "No: taken out"}]
    old = dict(entry_words(before))
    rows = []
    for label, words in entry_words(after):
        was = old.get(label, "")
        if was != words:
            rows.append({"label": label, "before": was, "after": words})
    return rows
