"""Reading an organisation's audit trail for its leads: which rows are the organisation's,
the filters, one page at a time (keyset, so page 20,000 is as quick as page 1), and each
row in words (`phrasing`).

An organisation's trail is every row that names it, every row about the record of a person
it holds (rows about part of a record, a goal or a note, name the person but not the
organisation), and what its own staff did that names no record at all (signing in and out,
being stopped at a page for another role).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat

from alongside.accounts.models import Membership, Organisation, Role, User
from alongside.coaching.models import Person
from alongside.coaching.services.erasure import ERASED_NAME
from alongside.core.models import AuditAction, AuditEntry

from . import phrasing

PER_PAGE = 50
EXPORT_CHUNK = 1000
# A name search that matches more people than this asks for more of the name.
MOST_PEOPLE_NAMED = 20
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
STOPPED = {AuditAction.DENIED, AuditAction.SIGN_IN_FAILED}
NAMES_NO_RECORD = {AuditAction.SIGN_IN, AuditAction.SIGN_OUT, AuditAction.SIGN_IN_FAILED}
ROLE_WORDS = {role: label.lower() for role, label in Role.choices}

# What the trail reads of each audit row, as named tuples (`entry.id`, `entry.at`, ...) rather
# than model instances: a page reads up to three branches of 51 rows to show 50, and building
# a model for each was a third of the page's work.
ENTRY_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "action",
    "object_type",
    "person_id",
    "request_id",
    "detail",
)


def _entries(rows: QuerySet[AuditEntry]) -> QuerySet[Any]:
    return rows.values_list(*ENTRY_COLUMNS, named=True)


# --- filters and the place in the list --------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a lead asked to see. Everything is already checked against the organisation:
    `person_ids` are people it holds, `actor_id` one of its staff."""

    person_ids: tuple[int, ...] | None = None  # None: anyone's record
    actor_id: int | None = None
    actions: tuple[str, ...] = ()  # empty: every kind
    since: date | None = None  # the first day, in UK time
    until: date | None = None  # the last day, in UK time, included

    def note(self) -> str:
        """The filters as the audit entry for reading the trail keeps them: ids and dates,
        never the words a lead typed."""
        parts = []
        if self.person_ids is not None:
            parts.append("people " + ",".join(str(pk) for pk in self.person_ids[:5]))
        if self.actor_id is not None:
            parts.append(f"staff {self.actor_id}")
        if self.actions:
            parts.append("kind " + ",".join(self.actions))
        if self.since:
            parts.append(f"from {self.since:%Y-%m-%d}")
        if self.until:
            parts.append(f"to {self.until:%Y-%m-%d}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Place:
    """A row's place in the newest-first order: the page starts after (or before) it."""

    at: datetime
    id: int

    @property
    def token(self) -> str:
        return f"{(self.at - _EPOCH) // timedelta(microseconds=1)}.{self.id}"

    @classmethod
    def parse(cls, token: object) -> Place | None:
        if not isinstance(token, str) or token.count(".") != 1 or len(token) > 60:
            return None
        micros, _, pk = token.partition(".")
        if not (micros.isascii() and micros.isdigit() and pk.isascii() and pk.isdigit()):
            return None
        try:
            return cls(_EPOCH + timedelta(microseconds=int(micros)), int(pk))
        except OverflowError:
            return None


# --- rows in words ------------------------------------------------------------------------------


@dataclass
class Row:
    id: int
    at: datetime
    when: str  # "Tuesday 1 December, 10:04", UK time
    what: str  # "Priya read Sam's budget"
    who: str  # "Priya", "Sam", "Aisha (commissioner at Testford Council)"
    person: str  # whose record, or "" when the row names nobody's
    person_id: int | None
    kind: str  # "Reading a record or page"
    request_id: str
    stopped: bool = False  # a refusal or a failed sign-in: worth a second look


def _actor_words(actors: list[tuple[Any, ...]], org_id: int) -> dict:
    """Each actor's name; staff of another organisation say which, so a lead can tell
    "Aisha (commissioner at Testford Council)" from a colleague. `actors` holds a row for each
    membership of each actor, oldest first (one row with no membership for someone who holds
    none): (user id, first name, last name, username, their person's id, their person's name,
    organisation id, role, organisation name)."""
    elsewhere: dict[int, str] = {}
    here: set[int] = set()
    users: dict[int, tuple[Any, ...]] = {}
    for pk, first, last, username, person_id, chosen_name, org, role, org_name in actors:
        users[pk] = (first, last, username, person_id, chosen_name)
        if org is None:
            continue
        if org == org_id:
            here.add(pk)
        elif pk not in elsewhere:
            elsewhere[pk] = f"{ROLE_WORDS.get(role, role)} at {org_name}"
    words: dict[int, tuple[str, int | None]] = {}
    for pk, (first, last, username, person_id, chosen_name) in users.items():
        if person_id is not None:
            erased = chosen_name == ERASED_NAME
            words[pk] = ("The person" if erased else chosen_name, person_id)
            continue
        # As User.get_full_name says it, else the username.
        name = f"{first} {last}".strip() or username
        if pk not in here and pk in elsewhere:
            name = f"{name} ({elsewhere[pk]})"
        words[pk] = (name, None)
    return words


def in_words(entries: list[Any], organisation: Organisation) -> list[Row]:
    """A page of audit rows (`ENTRY_COLUMNS`) as sentences. Two queries however many rows
    (the actors with their roles, the people named), none when there are no rows."""
    if not entries:
        return []
    actor_ids = {e.actor_id for e in entries if e.actor_id is not None}
    memberships = (
        User.objects.filter(pk__in=actor_ids)
        .order_by("memberships__created_at", "memberships__pk")
        .values_list(
            "pk",
            "first_name",
            "last_name",
            "username",
            "person__pk",
            "person__chosen_name",
            "memberships__organisation_id",
            "memberships__role",
            "memberships__organisation__name",
        )
    )
    actors = _actor_words(list(memberships), organisation.pk)
    person_ids = {e.person_id for e in entries if e.person_id is not None}
    people = {
        pk: name
        for pk, name in Person.objects.filter(pk__in=person_ids).values_list("pk", "chosen_name")
    }
    this_year = datetime.now(phrasing.LONDON).year
    # A page says the same few things again and again (a coach reopening a record): each
    # sentence is worked out once.
    sentences: dict[tuple[Any, ...], str] = {}
    rows = []
    for entry in entries:
        actor_name, actor_person_id = actors.get(entry.actor_id or 0, ("", None))
        person_name = people.get(entry.person_id or 0, "")
        erased = person_name == ERASED_NAME
        actor_is_the_person = actor_person_id is not None and actor_person_id == entry.person_id
        key = (
            entry.action,
            entry.detail,
            entry.object_type,
            actor_name,
            person_name,
            actor_is_the_person,
        )
        what = sentences.get(key)
        if what is None:
            names = phrasing.Names(
                actor=actor_name,
                person="" if erased else person_name,
                actor_is_the_person=actor_is_the_person,
                person_erased=erased,
            )
            what = sentences[key] = phrasing.sentence(
                entry.action, entry.detail, entry.object_type, names
            )
        rows.append(
            Row(
                id=entry.id,
                at=entry.at,
                when=phrasing.when_words(entry.at, this_year=this_year),
                what=what,
                who=actor_name or phrasing.SOMEONE,
                person="An erased record" if erased else person_name,
                person_id=entry.person_id if person_name and not erased else None,
                kind=phrasing.kind_words(entry.action),
                request_id=entry.request_id,
                stopped=entry.action in STOPPED,
            )
        )
    return rows


@dataclass
class Line:
    """What the page shows for one row, or for a run of the same thing done again and again
    (a lead paging through this trail, a coach reopening a record): "6 times, 09:25 to 09:31"."""

    row: Row  # the newest of the run
    entries: list[int]
    earliest: datetime

    @property
    def times(self) -> int:
        return len(self.entries)

    @property
    def span(self) -> str:
        first = self.earliest.astimezone(phrasing.LONDON)
        last = self.row.at.astimezone(phrasing.LONDON)
        if f"{first:%H:%M}" == f"{last:%H:%M}":
            return f"{self.times} times at {last:%H:%M}"
        return f"{self.times} times, {first:%H:%M} to {last:%H:%M}"


def in_lines(rows: list[Row]) -> list[Line]:
    """Rows in order, with each run of the same sentence on the same day as one line."""
    lines: list[Line] = []
    for row in rows:
        last = lines[-1] if lines else None
        if (
            last is not None
            and last.row.what == row.what
            and last.row.person_id == row.person_id
            and last.row.when.split(",")[0] == row.when.split(",")[0]
        ):
            last.entries.append(row.id)
            last.earliest = row.at
        else:
            lines.append(Line(row, [row.id], row.at))
    return lines


# --- which rows -----------------------------------------------------------------------------


def trail(organisation: Organisation, filters: Filters) -> list[QuerySet[AuditEntry]]:
    """The organisation's audit rows that pass the filters, as a few queries for `_newest`
    to merge: one for each way a row can be the organisation's (and for each kind of action
    asked for). Each is answered from an index of its own (the organisation's rows, a
    person's rows, a staff member's, an action's), so the newest fifty are as quick to find
    in an organisation with ten rows in a million as in one with half of them. (One query
    with OR between the ways read the whole log backwards when the organisation's rows
    were few: seconds at a million rows.)"""
    # (rows, whether they are rows about a record) for each way a row can be the organisation's.
    ways: list[tuple[QuerySet[AuditEntry], bool]]
    if filters.person_ids is not None:
        # People the organisation holds (checked by the caller): their rows are its rows.
        ways = [(AuditEntry.objects.filter(person_id__in=filters.person_ids), True)]
    else:
        people = Person.objects.filter(organisation_id=organisation.pk).values("pk")
        staff = Membership.objects.filter(organisation_id=organisation.pk).values("user_id")
        ways = [
            (AuditEntry.objects.filter(organisation_id=organisation.pk), True),
            # Overlaps the first (a read names both): `_newest` keeps each row once.
            (AuditEntry.objects.filter(person_id__in=people), True),
            (
                AuditEntry.objects.filter(
                    organisation_id__isnull=True, person_id__isnull=True, actor_id__in=staff
                ),
                False,
            ),
        ]
    branches = [rows for rows, _ in ways]
    if filters.actions:
        # One query for each action, too: "action = x" reads its own index newest first,
        # where "action IN (x, y)" would have to gather every such row and sort them.
        # Signing in and out names the account, never a record (core.signals), so only
        # staff rows that name no record can be those; asking the other ways anyway sent
        # PostgreSQL through every row of the log looking for one that cannot exist.
        # Staff rows that name no record are few: they are read from the staff's own index,
        # with the action as a test on each row rather than an index to follow (SQLite
        # otherwise walks every row of that action in the whole log to find none).
        branches = [
            rows.filter(action=action)
            if about_a_record
            else rows.alias(action_only=Concat("action", Value(""))).filter(action_only=action)
            for rows, about_a_record in ways
            for action in filters.actions
            if not (about_a_record and action in NAMES_NO_RECORD)
        ]
    where = Q()
    if filters.actor_id is not None:
        where &= Q(actor_id=filters.actor_id)
    if filters.since is not None:
        where &= Q(at__gte=_start_of(filters.since))
    if filters.until is not None:
        where &= Q(at__lt=_start_of(filters.until + timedelta(days=1)))
    return [rows.filter(where) for rows in branches]


def _newest(
    branches: list[QuerySet[AuditEntry]], limit: int, *, older_than: Place | None = None
) -> list[Any]:
    """The `limit` newest rows (`ENTRY_COLUMNS`) of all the branches together (older than a
    place, if given): the newest `limit` of each, merged."""
    found: dict[int, Any] = {}
    for rows in branches:
        if older_than is not None:
            rows = rows.filter(_older_than(older_than))
        found |= {entry.id: entry for entry in _entries(rows.order_by("-at", "-id"))[:limit]}
    return sorted(found.values(), key=lambda entry: (entry.at, entry.id), reverse=True)[:limit]


def _oldest_newer_than(branches: list[QuerySet[AuditEntry]], limit: int, place: Place) -> list[Any]:
    """The `limit` rows (`ENTRY_COLUMNS`) just newer than a place, oldest first: the page
    before it."""
    found: dict[int, Any] = {}
    for rows in branches:
        newer = _entries(rows.filter(_newer_than(place)).order_by("at", "id"))[:limit]
        found |= {entry.id: entry for entry in newer}
    return sorted(found.values(), key=lambda entry: (entry.at, entry.id))[:limit]


def _start_of(day: date) -> datetime:
    """Midnight at the start of a day in UK time (so "1 July" starts at 23:00 UTC on 30 June)."""
    return datetime.combine(day, time.min, tzinfo=phrasing.LONDON)


# (at, id) < (place): the plain range on `at` first, so the database reads an index from
# there rather than testing the OR against every row (SQLite does, without it).
def _older_than(place: Place) -> Q:
    return Q(at__lte=place.at) & (Q(at__lt=place.at) | Q(id__lt=place.id))


def _newer_than(place: Place) -> Q:
    return Q(at__gte=place.at) & (Q(at__gt=place.at) | Q(id__gt=place.id))


@dataclass(frozen=True)
class TrailPage:
    rows: list[Row]
    older: str | None  # the token for the next page of older rows, if there are any
    newer: str | None  # the token for the page of newer rows, if this is not the first page


def page(
    organisation: Organisation,
    filters: Filters,
    *,
    after: Place | None = None,
    before: Place | None = None,
) -> TrailPage:
    """One page of rows: the newest, or those just older than `after`, or just newer than
    `before`. A query for each branch of the trail, and three to put the rows into words."""
    branches = trail(organisation, filters)
    if before is not None:
        newer_first = _oldest_newer_than(branches, PER_PAGE + 1, before)
        more_newer = len(newer_first) > PER_PAGE
        entries = list(reversed(newer_first[:PER_PAGE]))
        older: str | None = Place(entries[-1].at, entries[-1].id).token if entries else before.token
        newer = Place(entries[0].at, entries[0].id).token if entries and more_newer else None
        return TrailPage(in_words(entries, organisation), older, newer)
    fetched = _newest(branches, PER_PAGE + 1, older_than=after)
    entries = fetched[:PER_PAGE]
    older = Place(entries[-1].at, entries[-1].id).token if len(fetched) > PER_PAGE else None
    newer = Place(entries[0].at, entries[0].id).token if after is not None and entries else None
    return TrailPage(in_words(entries, organisation), older, newer)


def every_row(organisation: Organisation, filters: Filters) -> Iterator[Row]:
    """Every row that passes the filters, newest first, in words: for the spreadsheet.
    Each way of the trail is read a thousand rows at a time from where the last thousand
    ended, and the ways are merged as they stream, so each row is read once (twice where
    two ways hold it) and memory stays flat however long the trail."""
    streams = [_stream(rows) for rows in trail(organisation, filters)]
    merged = heapq.merge(*streams, key=lambda entry: (entry.at, entry.id), reverse=True)
    batch: list[Any] = []
    last_pk = None
    for entry in merged:
        if entry.id == last_pk:  # the same row from two ways: they arrive side by side
            continue
        last_pk = entry.id
        batch.append(entry)
        if len(batch) == EXPORT_CHUNK:
            yield from in_words(batch, organisation)
            batch = []
    yield from in_words(batch, organisation)


def _stream(rows: QuerySet[AuditEntry]) -> Iterator[Any]:
    place: Place | None = None
    while True:
        chunk = rows.filter(_older_than(place)) if place is not None else rows
        entries = list(_entries(chunk.order_by("-at", "-id"))[:EXPORT_CHUNK])
        yield from entries
        if len(entries) < EXPORT_CHUNK:
            return
        place = Place(entries[-1].at, entries[-1].id)


# --- what the filters offer -------------------------------------------------------------------


def staff_of(organisation: Organisation) -> list[tuple[int, str]]:
    """The organisation's staff, for "who did it": (user id, name), by name."""
    users = (
        User.objects.filter(memberships__organisation_id=organisation.pk)
        .distinct()
        .order_by("first_name", "last_name", "username")
        .values_list("pk", "first_name", "last_name", "username")
    )
    # As User.get_full_name says it, else the username (without building two hundred users).
    return [(pk, f"{first} {last}".strip() or username) for pk, first, last, username in users]


def people_named(organisation: Organisation, words: str) -> list[Person]:
    """People the organisation holds whose name has these words in it (up to one more than
    `MOST_PEOPLE_NAMED`, so the page can say there are more)."""
    return list(
        Person.objects.filter(organisation_id=organisation.pk, chosen_name__icontains=words)
        .exclude(chosen_name=ERASED_NAME)
        .order_by("chosen_name", "pk")[: MOST_PEOPLE_NAMED + 1]
    )


def person_held(organisation: Organisation, person_id: int) -> Person | None:
    return Person.objects.filter(organisation_id=organisation.pk, pk=person_id).first()
