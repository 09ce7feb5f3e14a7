"""Bringing Open Referral UK (HSDS 3.0) JSON into a network's directory: a file
(`directory_import`) or another directory's feed (`jobs.py`).

Two steps, never mixed. `check` reads every record and names every problem (the record's
number, counting from 1 in the order of the document, its id, and what is wrong), writing
nothing. Only a document with no problem at all is applied, by `apply`, inside the caller's
transaction, so a directory is never left half brought in.

Records are matched to rows already here: a feed's by (feed, the id the feed gave it); a
file's by id, or by the `source_id` kept when that id was taken by another network. What the
document brings in is published at once: it is another directory's published record, or an
export of this one.

Nested lists a record leaves out (a list endpoint's service has no `schedules`) leave those
rows alone; a list it gives replaces what was here. Languages, funding and cost options are
not kept here, so they are read past.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from alongside.accounts.models import Organisation

from .models import (
    Contact,
    DirectoryOrganisation,
    Feed,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

SERVICE = "service"
ORGANISATION = "organization"
SERVICE_AT_LOCATION = "service_at_location"
TAXONOMY = "taxonomy"
TERM = "taxonomy_term"
KIND_WORDS = {
    SERVICE: "service",
    ORGANISATION: "organisation",
    SERVICE_AT_LOCATION: "service at a location",
    TAXONOMY: "taxonomy",
    TERM: "taxonomy term",
}
DAY_CODES = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
OLDEST_AGE = 150
# Ids minted here for records whose own id is taken are derived from it, so bringing the same
# document in again finds the same rows.
IMPORT_NAMESPACE = uuid.UUID("0d6a3f5e-2f7c-4b61-9a43-5b1f2e8c7d90")
MAX_PROBLEMS = 300

M = TypeVar("M", bound=models.Model)


class DocumentProblemError(Exception):
    """The document as a whole cannot be read as HSDS (not JSON objects, no records)."""


@dataclass(frozen=True)
class Record:
    number: int
    kind: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        value = self.data.get("id")
        return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class Problem:
    record: int
    id: str
    problem: str
    kind: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"record": self.record, "id": self.id, "problem": self.problem}

    def __str__(self) -> str:
        what = KIND_WORDS.get(self.kind, "record")
        named = f" ({what} {self.id})" if self.id else f" ({what})"
        return f"Record {self.record}{named}: {self.problem}"


@dataclass
class Result:
    records: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- reading a document ----------------------------------------------------------------


def _kind_of(data: dict[str, Any]) -> str | None:
    if "status" in data or "service_at_locations" in data or "schedules" in data:
        return SERVICE
    if "location" in data or "location_id" in data or "service" in data:
        return SERVICE_AT_LOCATION
    if "taxonomy_terms" in data or "version" in data:
        return TAXONOMY
    if any(key in data for key in ("term", "taxonomy", "taxonomy_id", "parent_id", "term_uri")):
        return TERM
    if any(key in data for key in ("services", "website", "logo", "organization_identifiers")):
        return ORGANISATION
    return None


def _kind_of_all(items: list[Any]) -> str:
    votes: dict[str, int] = {}
    for item in items:
        kind = _kind_of(item) if isinstance(item, dict) else None
        if kind:
            votes[kind] = votes.get(kind, 0) + 1
    if not votes:
        return ORGANISATION  # id, name and description only: what an organisation needs
    return max(votes, key=lambda kind: votes[kind])


def records_of(data: Any, kind: str | None = None) -> list[Record]:
    """The records of a document: a whole export (taxonomies, organizations, services), a
    page of a list endpoint (`contents`), a list, or one record. `kind` says what they are
    when the caller knows (a feed's `/services`); otherwise their fields tell."""
    groups: list[tuple[str, list[Any]]]
    if (
        isinstance(data, dict)
        and "id" not in data
        and any(
            key in data for key in ("services", "organizations", "taxonomies", "taxonomy_terms")
        )
    ):
        groups = [
            (TAXONOMY, data.get("taxonomies") or []),
            (TERM, data.get("taxonomy_terms") or []),
            (ORGANISATION, data.get("organizations") or []),
            (SERVICE_AT_LOCATION, data.get("service_at_locations") or []),
            (SERVICE, data.get("services") or []),
        ]
    elif isinstance(data, dict) and isinstance(data.get("contents"), list):
        groups = [(kind or _kind_of_all(data["contents"]), data["contents"])]
    elif isinstance(data, list):
        groups = [(kind or _kind_of_all(data), data)]
    elif isinstance(data, dict):
        groups = [(kind or _kind_of(data) or ORGANISATION, [data])]
    else:
        raise DocumentProblemError("This is not an Open Referral document: it holds no records.")
    out: list[Record] = []
    for group_kind, items in groups:
        if not isinstance(items, list):
            raise DocumentProblemError("This is not an Open Referral document: a list is not one.")
        for item in items:
            out.append(Record(len(out) + 1, group_kind, item if isinstance(item, dict) else {}))
    if not out:
        raise DocumentProblemError("There are no records in this document.")
    return out


# --- checking --------------------------------------------------------------------------


class _Checker:
    """Checks records, collecting problems. Ids the document itself holds count as known, so
    a service may name an organisation or term given elsewhere in the same document."""

    def __init__(self, network: Organisation, records: list[Record]) -> None:
        self.network = network
        self.problems: list[Problem] = []
        self.record: Record | None = None
        self.known: dict[str, set[str]] = {ORGANISATION: set(), TERM: set(), "location": set()}
        for record in records:
            self._gather(record.kind, record.data)

    def _gather(self, kind: str, data: dict[str, Any]) -> None:
        if not isinstance(data, dict):
            return
        ident = data.get("id")
        if kind == ORGANISATION and isinstance(ident, str):
            self.known[ORGANISATION].add(ident)
            for item in _list(data.get("services")):
                self._gather(SERVICE, item)
        elif kind == TERM and isinstance(ident, str):
            self.known[TERM].add(ident)
        elif kind == TAXONOMY:
            for item in _list(data.get("taxonomy_terms")):
                self._gather(TERM, item)
        elif kind == SERVICE:
            if isinstance(data.get("organization"), dict):
                self._gather(ORGANISATION, data["organization"])
            for item in _list(data.get("attributes")):
                if isinstance(item, dict) and isinstance(item.get("taxonomy_term"), dict):
                    self._gather(TERM, item["taxonomy_term"])
            for item in _list(data.get("service_at_locations")):
                self._gather(SERVICE_AT_LOCATION, item)
        elif kind == SERVICE_AT_LOCATION:
            location = data.get("location")
            if isinstance(location, dict) and isinstance(location.get("id"), str):
                self.known["location"].add(location["id"])
            if isinstance(data.get("service"), dict):
                self._gather(SERVICE, data["service"])

    def add(self, where: str, problem: str) -> None:
        assert self.record is not None
        text = f"{where}: {problem}" if where else problem
        self.problems.append(Problem(self.record.number, self.record.id, text, self.record.kind))

    # Field checks. `where` names the place in the record, as a reader of the file would find
    # it ("contacts 2, email").

    def ident(self, data: dict[str, Any], where: str, *, required: bool = True) -> None:
        self.uuid(data.get("id"), _at(where, "id"), required=required)

    def uuid(self, value: Any, where: str, *, required: bool = False) -> bool:
        if value is None or value == "":
            if required:
                self.add(where, "missing: every record needs an id (a UUID)")
            return False
        if not isinstance(value, str) or not _is_uuid(value):
            self.add(where, f"{_show(value)} is not a valid id (it must be a UUID)")
            return False
        return True

    def text(
        self, data: dict[str, Any], key: str, where: str, *, limit: int = 0, required: bool = False
    ) -> None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(_at(where, key), "missing: it must have one")
            return
        if not isinstance(value, str):
            self.add(_at(where, key), "must be words (a string)")
        elif "\x00" in value:
            # PostgreSQL cannot keep a NUL character in text.
            self.add(_at(where, key), "holds a NUL character, which cannot be kept: remove it")
        elif limit and len(value) > limit:
            self.add(_at(where, key), f"is too long: at most {limit} characters here")

    def email(self, data: dict[str, Any], key: str, where: str) -> None:
        value = data.get(key)
        if value in (None, ""):
            return
        try:
            validate_email(value)
        except (ValidationError, TypeError):
            self.add(_at(where, key), f"{_show(value)} is not an email address")
            return
        if len(value) > 254:  # what the columns hold (EmailField's length)
            self.add(_at(where, key), "is too long: at most 254 characters here")

    def url(self, data: dict[str, Any], key: str, where: str) -> None:
        value = data.get(key)
        if value in (None, ""):
            return
        try:
            URLValidator()(value)
        except (ValidationError, TypeError):
            self.add(_at(where, key), f"{_show(value)} is not a web address")
            return
        if len(value) > 500:
            self.add(_at(where, key), "is too long: at most 500 characters here")

    def number(
        self,
        data: dict[str, Any],
        key: str,
        where: str,
        *,
        lowest: float,
        highest: float,
        whole: bool = False,
    ) -> float | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or (whole and value != int(value))
            or not lowest <= value <= highest
        ):
            kind = "a whole number" if whole else "a number"
            self.add(
                _at(where, key),
                f"{_show(value)} is not {kind} from {lowest:g} to {highest:g}",
            )
            return None
        return float(value)

    def parsed(self, data: dict[str, Any], key: str, where: str, how: str) -> None:
        value = data.get(key)
        if value in (None, ""):
            return
        parse = {"date": parse_date, "time": parse_time, "date and time": parse_datetime}[how]
        try:
            good = isinstance(value, str) and parse(value) is not None
        except ValueError:
            good = False
        if not good:
            example = {"date": "2025-01-31", "time": "09:30", "date and time": "2025-01-31T09:30Z"}
            self.add(_at(where, key), f"{_show(value)} is not a {how} such as {example[how]}")

    def choice(self, data: dict[str, Any], key: str, where: str, allowed: Iterable[str]) -> None:
        value = data.get(key)
        if value in (None, ""):
            return
        allowed = list(allowed)
        if value not in allowed:
            self.add(_at(where, key), f"{_show(value)} is not one of {', '.join(allowed)}")

    def items(self, data: dict[str, Any], key: str, where: str) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(_at(where, key), "must be a list")
            return []
        out = []
        for index, item in enumerate(value, start=1):
            place = _at(where, f"{key} {index}")
            if isinstance(item, dict):
                out.append((place, item))
            else:
                self.add(place, "must be an object")
        return out

    def known_here(self, kind: str, value: str) -> bool:
        if value in self.known[kind]:
            return True
        model: type[models.Model] = {
            ORGANISATION: DirectoryOrganisation,
            TERM: TaxonomyTerm,
            "location": Location,
        }[kind]
        return (
            model._default_manager.filter(network=self.network)
            .filter(models.Q(pk=value) | models.Q(source_id=value))
            .exists()
        )

    # Record checks.

    def organisation(self, data: dict[str, Any], where: str = "") -> None:
        self.ident(data, where)
        self.text(data, "name", where, limit=200, required=True)
        self.text(data, "description", where)
        self.email(data, "email", where)
        for key in ("website", "logo", "uri"):
            self.url(data, key, where)
        for place, item in self.items(data, "services", where):
            self.service(item, place, within_organisation=True)

    def service(
        self, data: dict[str, Any], where: str = "", within_organisation: bool = False
    ) -> None:
        self.ident(data, where)
        self.text(data, "name", where, limit=200, required=True)
        if data.get("status") in (None, ""):
            self.add(_at(where, "status"), "missing: say whether it is active")
        self.choice(data, "status", where, Service.Status.values)
        for key in ("description", "fees", "accreditations", "alert"):
            self.text(data, key, where)
        self.url(data, "url", where)
        self.email(data, "email", where)
        self.email(data, "assurer_email", where)
        self.parsed(data, "assured_date", where, "date")
        self.parsed(data, "last_modified", where, "date and time")
        lowest = self.number(data, "minimum_age", where, lowest=0, highest=OLDEST_AGE, whole=True)
        highest = self.number(data, "maximum_age", where, lowest=0, highest=OLDEST_AGE, whole=True)
        if lowest is not None and highest is not None and lowest > highest:
            self.add(_at(where, "minimum_age"), "is above the maximum age")
        organisation = data.get("organization")
        if isinstance(organisation, dict):
            self.organisation(organisation, _at(where, "organization"))
        elif not within_organisation:
            given = data.get("organization_id")
            if given in (None, ""):
                self.add(where, "it names no organisation: give `organization` or its id")
            elif self.uuid(given, _at(where, "organization_id")) and not self.known_here(
                ORGANISATION, given
            ):
                self.add(_at(where, "organization_id"), f"no organisation {given} is known here")
        for place, item in self.items(data, "schedules", where):
            self.schedule(item, place)
        for place, item in self.items(data, "service_areas", where):
            self.ident(item, place)
            self.text(item, "name", place, limit=200)
            self.url(item, "uri", place)
        for place, item in self.items(data, "service_at_locations", where):
            self.service_at_location(item, place, within_service=True)
        for place, item in self.items(data, "contacts", where):
            self.contact(item, place)
        for place, item in self.items(data, "attributes", where):
            self.attribute(item, place)

    def schedule(self, data: dict[str, Any], where: str) -> None:
        self.ident(data, where)
        self.choice(data, "freq", where, ("WEEKLY", "MONTHLY"))
        self.number(data, "interval", where, lowest=1, highest=366, whole=True)
        byday = data.get("byday")
        if byday not in (None, ""):
            days = [day.strip() for day in byday.split(",")] if isinstance(byday, str) else [None]
            if any(day not in DAY_CODES for day in days):
                self.add(
                    _at(where, "byday"), f"{_show(byday)} is not days such as MO,WE (MO to SU)"
                )
        self.text(data, "bymonthday", where, limit=30)
        for key in ("opens_at", "closes_at"):
            self.parsed(data, key, where, "time")
        for key in ("valid_from", "valid_to"):
            self.parsed(data, key, where, "date")
        self.text(data, "attending_type", where, limit=300)

    def contact(self, data: dict[str, Any], where: str) -> None:
        self.ident(data, where)
        self.text(data, "name", where, limit=200)
        self.text(data, "title", where, limit=200)
        self.email(data, "email", where)
        for place, phone in self.items(data, "phones", where)[:1]:
            self.ident(phone, place, required=False)
            self.text(phone, "number", place, limit=40)
            self.text(phone, "description", place, limit=200)

    def location(self, data: dict[str, Any], where: str) -> None:
        self.ident(data, where)
        self.choice(data, "location_type", where, Location.Type.values)
        self.text(data, "name", where, limit=200)
        self.number(data, "latitude", where, lowest=-180, highest=180)
        self.number(data, "longitude", where, lowest=-180, highest=180)
        for place, address in self.items(data, "addresses", where)[:1]:
            self.ident(address, place, required=False)
            for key, limit in (
                ("attention", 200),
                ("address_1", 200),
                ("address_2", 200),
                ("city", 100),
                ("region", 100),
                ("state_province", 100),
                ("postal_code", 20),
                ("country", 2),
            ):
                self.text(address, key, place, limit=limit)
            country = address.get("country")
            if isinstance(country, str) and country.strip() and not _is_country_code(country):
                self.add(_at(place, "country"), f"{_show(country)} is not a two-letter code")

    def service_at_location(self, data: dict[str, Any], where: str, within_service: bool) -> None:
        self.ident(data, where)
        location = data.get("location")
        if isinstance(location, dict):
            self.location(location, _at(where, "location"))
        else:
            given = data.get("location_id")
            if given in (None, ""):
                self.add(where, "it names no location: give `location` or its id")
            elif self.uuid(given, _at(where, "location_id")) and not self.known_here(
                "location", given
            ):
                self.add(_at(where, "location_id"), f"no location {given} is known here")
        if not within_service:
            service = data.get("service")
            if isinstance(service, dict):
                self.service(service, _at(where, "service"))
            else:
                self.add(where, "it has no `service`")

    def attribute(self, data: dict[str, Any], where: str) -> None:
        term = data.get("taxonomy_term")
        if isinstance(term, dict):
            self.term(term, _at(where, "taxonomy_term"))
            return
        given = data.get("taxonomy_term_id")
        if given in (None, ""):
            self.add(where, "it names no taxonomy term")
        elif self.uuid(given, _at(where, "taxonomy_term_id")) and not self.known_here(TERM, given):
            self.add(_at(where, "taxonomy_term_id"), f"unknown taxonomy term {given}")

    def term(self, data: dict[str, Any], where: str = "") -> None:
        self.ident(data, where)
        self.text(data, "name", where, limit=200, required=True)
        self.text(data, "description", where)
        self.text(data, "term", where, limit=100)
        self.text(data, "taxonomy", where, limit=200)
        self.url(data, "term_uri", where)
        self.uuid(data.get("taxonomy_id"), _at(where, "taxonomy_id"))
        self.uuid(data.get("parent_id"), _at(where, "parent_id"))

    def taxonomy(self, data: dict[str, Any], where: str = "") -> None:
        self.ident(data, where)
        self.text(data, "name", where, limit=200, required=True)
        self.text(data, "description", where)
        self.text(data, "version", where, limit=50)
        self.url(data, "uri", where)
        for place, item in self.items(data, "taxonomy_terms", where):
            self.term(item, place)

    def check(self, record: Record) -> None:
        self.record = record
        if not record.data:
            self.add("", "it is empty or not an object")
            return
        if record.kind == SERVICE:
            self.service(record.data)
        elif record.kind == ORGANISATION:
            self.organisation(record.data)
        elif record.kind == SERVICE_AT_LOCATION:
            self.service_at_location(record.data, "", within_service=False)
        elif record.kind == TAXONOMY:
            self.taxonomy(record.data)
        else:
            self.term(record.data)


def _at(where: str, key: str) -> str:
    return f"{where}, {key}" if where else key


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 60 else text[:57] + "…"


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def check(records: list[Record], *, network: Organisation) -> list[Problem]:
    """Every problem with every record, or none: nothing is written."""
    checker = _Checker(network, records)
    seen: dict[tuple[str, str], int] = {}
    for record in records:
        checker.check(record)
        key = (record.kind, record.id)
        if record.id and key in seen:
            checker.add("id", f"the same id as record {seen[key]}")
        seen.setdefault(key, record.number)
    return checker.problems


# --- applying --------------------------------------------------------------------------


class _Applier:
    """Writes checked records. Call only inside a transaction (the caller's `writing`)."""

    def __init__(self, network: Organisation, feed: Feed | None) -> None:
        self.network = network
        self.feed = feed
        self.now = timezone.now()
        self.result = Result()
        self.seen_services: set[uuid.UUID] = set()
        self.seen_organisations: set[uuid.UUID] = set()
        self.seen_locations: set[uuid.UUID] = set()
        self.terms: dict[str, TaxonomyTerm] = {}
        self.parents: list[tuple[TaxonomyTerm, str]] = []
        self.changed = False  # set by any write while one service is applied

    # Finding and writing one row.

    def _find(self, model: type[M], source_id: str) -> M | None:
        rows = model._default_manager.filter(network=self.network)
        if self.feed is not None:
            return rows.filter(source_feed=self.feed, source_id=source_id).first()
        found = rows.filter(pk=source_id).first()
        return found or rows.filter(source_feed=None, source_id=source_id).first()

    def _new_id(self, model: type[models.Model], source_id: str) -> tuple[uuid.UUID, str]:
        if self.feed is not None:
            return uuid.uuid5(IMPORT_NAMESPACE, f"feed {self.feed.pk} {source_id}"), source_id
        if not model._default_manager.filter(pk=source_id).exists():
            return uuid.UUID(source_id), ""
        return uuid.uuid5(IMPORT_NAMESPACE, f"network {self.network.pk} {source_id}"), source_id

    def _upsert(self, model: type[M], source_id: str, values: dict[str, Any]) -> tuple[M, bool]:
        """The row for `source_id`, written with `values`. Returns it, and whether it is new."""
        row = self._find(model, source_id)
        if row is None:
            pk, kept_id = self._new_id(model, source_id)
            row = model._default_manager.create(
                id=pk,
                network=self.network,
                source_feed=self.feed,
                source_id=kept_id,
                created_at=self.now,
                last_modified=values.pop("last_modified", None) or self.now,
                **values,
            )
            self.changed = True
            return row, True
        given_modified = values.pop("last_modified", None)
        differs = [key for key, value in values.items() if getattr(row, key) != value]
        if differs:
            for key in differs:
                setattr(row, key, values[key])
            row.version = models.F("version") + 1  # type: ignore[attr-defined]
            row.last_modified = given_modified or self.now  # type: ignore[attr-defined]
            row.save()
            row.refresh_from_db(fields=["version"])
            self.changed = True
        elif given_modified and getattr(row, "last_modified", None) != given_modified:
            model._default_manager.filter(pk=row.pk).update(last_modified=given_modified)
        return row, False

    def _replace(self, rows: models.QuerySet[Any], kept: list[uuid.UUID]) -> None:
        gone, _ = rows.exclude(pk__in=kept).delete()
        if gone:
            self.changed = True

    # Records.

    def organisation(self, data: dict[str, Any]) -> DirectoryOrganisation:
        row, _ = self._upsert(
            DirectoryOrganisation,
            data["id"],
            {
                "name": data["name"].strip(),
                "description": _words(data.get("description")),
                "email": _words(data.get("email")),
                "website": _words(data.get("website")),
                "logo": _words(data.get("logo")),
                "uri": _words(data.get("uri")),
                "published": True,
            },
        )
        self.seen_organisations.add(row.pk)
        for item in _list(data.get("services")):
            self.service(item, organisation=row)
        return row

    def organisation_named(self, source_id: str) -> DirectoryOrganisation:
        found = self._find(DirectoryOrganisation, source_id)
        if found is None and self.feed is not None:
            found = DirectoryOrganisation.objects.filter(network=self.network, pk=source_id).first()
        assert found is not None, "checked before"
        self.seen_organisations.add(found.pk)
        return found

    def service(
        self, data: dict[str, Any], *, organisation: DirectoryOrganisation | None = None
    ) -> Service:
        if organisation is None:
            given = data.get("organization")
            organisation = (
                self.organisation(given)
                if isinstance(given, dict)
                else self.organisation_named(data["organization_id"])
            )
        self.changed = False
        row, added = self._upsert(
            Service,
            data["id"],
            {
                "organisation": organisation,
                "name": data["name"].strip(),
                "description": _words(data.get("description")),
                "url": _words(data.get("url")),
                "email": _words(data.get("email")),
                "status": data["status"],
                "fees": _words(data.get("fees")),
                "accreditations": _words(data.get("accreditations")),
                "minimum_age": _whole(data.get("minimum_age")),
                "maximum_age": _whole(data.get("maximum_age")),
                "assured_date": _date(data.get("assured_date")),
                "assurer_email": _words(data.get("assurer_email")),
                "alert": _words(data.get("alert")),
                "published": True,
                "last_modified": _moment(data.get("last_modified")),
            },
        )
        if "schedules" in data:
            self._replace(
                row.schedules.filter(service_at_location=None),
                [self.schedule(item, row).pk for item in _list(data["schedules"])],
            )
        if "service_areas" in data:
            self._replace(
                row.service_areas.all(),
                [self.service_area(item, row).pk for item in _list(data["service_areas"])],
            )
        if "contacts" in data:
            self._replace(
                row.contacts.all(), [self.contact(item, row).pk for item in _list(data["contacts"])]
            )
        if "service_at_locations" in data:
            self._replace(
                row.service_at_locations.all(),
                [
                    self.service_at_location(item, row).pk
                    for item in _list(data["service_at_locations"])
                ],
            )
        if "attributes" in data:
            terms = [self.term_of_attribute(item) for item in _list(data["attributes"])]
            wanted = {term.pk for term in terms}
            if wanted != set(row.terms.values_list("pk", flat=True)):
                row.terms.set(terms)
                self.changed = True
        if self.changed and not added:
            Service.objects.filter(pk=row.pk).update(
                last_modified=_moment(data.get("last_modified")) or self.now
            )
        if row.pk not in self.seen_services:
            if added:
                self.result.added += 1
            elif self.changed:
                self.result.updated += 1
        self.seen_services.add(row.pk)
        return row

    def schedule(self, data: dict[str, Any], service: Service) -> Schedule:
        row, _ = self._upsert(
            Schedule,
            data["id"],
            {
                "service": service,
                "freq": _words(data.get("freq")),
                "interval": _whole(data.get("interval")),
                "byday": _words(data.get("byday")).replace(" ", ""),
                "bymonthday": _words(data.get("bymonthday")),
                "opens_at": _time(data.get("opens_at")),
                "closes_at": _time(data.get("closes_at")),
                "valid_from": _date(data.get("valid_from")),
                "valid_to": _date(data.get("valid_to")),
                "description": _words(data.get("description")),
                "notes": _words(data.get("notes")),
                "attending_type": _words(data.get("attending_type")),
            },
        )
        return row

    def service_area(self, data: dict[str, Any], service: Service) -> ServiceArea:
        row, _ = self._upsert(
            ServiceArea,
            data["id"],
            {
                "service": service,
                "name": _words(data.get("name")),
                "extent": _words(data.get("extent")),
                "uri": _words(data.get("uri")),
            },
        )
        return row

    def contact(self, data: dict[str, Any], service: Service) -> Contact:
        phones = [phone for phone in _list(data.get("phones")) if isinstance(phone, dict)]
        phone = phones[0] if phones else {}
        values: dict[str, Any] = {
            "service": service,
            "name": _words(data.get("name")),
            "title": _words(data.get("title")),
            "email": _words(data.get("email")),
            "phone": _words(phone.get("number")),
            "phone_description": _words(phone.get("description")),
        }
        if phone.get("id"):
            values["phone_id"] = uuid.UUID(phone["id"])
        row, _ = self._upsert(Contact, data["id"], values)
        return row

    def location(self, data: dict[str, Any], organisation: DirectoryOrganisation) -> Location:
        addresses = [item for item in _list(data.get("addresses")) if isinstance(item, dict)]
        address = addresses[0] if addresses else {}
        access = [item for item in _list(data.get("accessibility")) if isinstance(item, dict)]
        values: dict[str, Any] = {
            "organisation": organisation,
            "location_type": data.get("location_type") or Location.Type.PHYSICAL,
            "name": _words(data.get("name")),
            "description": _words(data.get("description")),
            "latitude": _decimal(data.get("latitude")),
            "longitude": _decimal(data.get("longitude")),
            "accessibility": "\n\n".join(
                _words(item.get("description")) for item in access if item.get("description")
            ),
            "attention": _words(address.get("attention")),
            "address_1": _words(address.get("address_1")),
            "address_2": _words(address.get("address_2")),
            "city": _words(address.get("city")),
            "region": _words(address.get("region")),
            "state_province": _words(address.get("state_province")),
            "postal_code": _words(address.get("postal_code")),
            "country": _words(address.get("country")).upper() or "GB",
        }
        if address.get("id"):
            values["address_id"] = uuid.UUID(address["id"])
        row, _ = self._upsert(Location, data["id"], values)
        self.seen_locations.add(row.pk)
        return row

    def service_at_location(self, data: dict[str, Any], service: Service) -> ServiceAtLocation:
        given = data.get("location")
        if isinstance(given, dict):
            place = self.location(given, service.organisation)
        else:
            found = self._find(Location, data["location_id"])
            assert found is not None, "checked before"
            place = found
            self.seen_locations.add(place.pk)
        existing = self._find(ServiceAtLocation, data["id"])
        if existing is None:
            # The same service at the same place under another id: one row, as the model keeps.
            ServiceAtLocation.objects.filter(service=service, location=place).delete()
        row, _ = self._upsert(
            ServiceAtLocation,
            data["id"],
            {"service": service, "location": place, "description": _words(data.get("description"))},
        )
        return row

    def term_of_attribute(self, data: dict[str, Any]) -> TaxonomyTerm:
        given = data.get("taxonomy_term")
        if isinstance(given, dict):
            return self.term(given)
        source_id = data["taxonomy_term_id"]
        if source_id in self.terms:
            return self.terms[source_id]
        found = (
            self._find(TaxonomyTerm, source_id)
            or TaxonomyTerm.objects.filter(network=self.network, pk=source_id).first()
        )
        assert found is not None, "checked before"
        return found

    def taxonomy(self, data: dict[str, Any]) -> Taxonomy:
        row, _ = self._upsert(
            Taxonomy,
            data["id"],
            {
                "name": data["name"].strip(),
                "description": _words(data.get("description")),
                "uri": _words(data.get("uri")),
                "version_label": _words(data.get("version")),
            },
        )
        for item in _list(data.get("taxonomy_terms")):
            self.term(item, taxonomy=row)
        return row

    def _taxonomy_for(self, data: dict[str, Any]) -> Taxonomy:
        named = _words(data.get("taxonomy")) or "Brought-in terms"
        given = data.get("taxonomy_id")
        if given:
            found = self._find(Taxonomy, given)
            if found is None:
                found, _ = self._upsert(Taxonomy, given, {"name": named})
            return found
        found = Taxonomy.objects.filter(network=self.network, name=named).first()
        if found is None:
            found = Taxonomy.objects.create(
                network=self.network, name=named, source_feed=self.feed, created_at=self.now
            )
        return found

    def term(self, data: dict[str, Any], *, taxonomy: Taxonomy | None = None) -> TaxonomyTerm:
        if data["id"] in self.terms:
            return self.terms[data["id"]]
        row, _ = self._upsert(
            TaxonomyTerm,
            data["id"],
            {
                "taxonomy": taxonomy or self._taxonomy_for(data),
                "name": data["name"].strip(),
                "description": _words(data.get("description")),
                "code": _words(data.get("term")),
                "term_uri": _words(data.get("term_uri")),
            },
        )
        self.terms[data["id"]] = row
        if data.get("parent_id"):
            self.parents.append((row, data["parent_id"]))
        return row

    def link_parents(self) -> None:
        for term, parent_id in self.parents:
            parent = self.terms.get(parent_id) or self._find(TaxonomyTerm, parent_id)
            if parent is not None and term.parent_id != parent.pk and parent.pk != term.pk:
                TaxonomyTerm.objects.filter(pk=term.pk).update(parent=parent)

    def remove_missing(self) -> None:
        """A feed's records it no longer lists go: that directory took them out."""
        assert self.feed is not None
        gone = Service.objects.filter(source_feed=self.feed).exclude(pk__in=self.seen_services)
        self.result.removed = gone.count()
        gone.delete()
        Location.objects.filter(source_feed=self.feed).exclude(pk__in=self.seen_locations).filter(
            service_at_locations=None
        ).delete()
        DirectoryOrganisation.objects.filter(source_feed=self.feed).exclude(
            pk__in=self.seen_organisations
        ).filter(services=None).delete()


def apply(
    records: list[Record],
    *,
    network: Organisation,
    feed: Feed | None = None,
    remove_missing: bool = False,
) -> Result:
    """Write checked records (call `check` first, and only inside a transaction). With a
    feed and `remove_missing`, that feed's services not in `records` are taken out."""
    applier = _Applier(network, feed)
    applier.result.records = len(records)
    for kind in (TAXONOMY, TERM, ORGANISATION, SERVICE_AT_LOCATION, SERVICE):
        for record in records:
            if record.kind != kind:
                continue
            if kind == TAXONOMY:
                applier.taxonomy(record.data)
            elif kind == TERM:
                applier.term(record.data)
            elif kind == ORGANISATION:
                applier.organisation(record.data)
            elif kind == SERVICE_AT_LOCATION:
                service = applier.service(record.data["service"])
                applier.service_at_location(record.data, service)
            else:
                applier.service(record.data)
    applier.link_parents()
    if remove_missing and feed is not None:
        applier.remove_missing()
    return applier.result


# --- values ----------------------------------------------------------------------------


def _words(value: Any) -> str:
    # Kept as given (an export brought back must answer the same); names alone are trimmed.
    # A NUL is refused by the checks; dropping it here too keeps any path that skips a check
    # from failing on PostgreSQL.
    return value.replace("\x00", "") if isinstance(value, str) else ""


def _is_country_code(value: str) -> bool:
    """ISO 3166 alpha-2: two letters A to Z, capitals or not."""
    return len(value) == 2 and value.isascii() and value.isalpha()


def _whole(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _decimal(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(round(float(value), 6)))
    return None


def _date(value: Any) -> Any:
    return parse_date(value) if isinstance(value, str) and value else None


def _time(value: Any) -> Any:
    return parse_time(value) if isinstance(value, str) and value else None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    moment = parse_datetime(value)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment
