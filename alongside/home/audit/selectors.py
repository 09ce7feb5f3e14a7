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
from functools import partial
from operator import itemgetter
from typing import Any

from django.db.models import Q, QuerySet, Subquery

from alongside.accounts.models import Membership, Organisation, Role, User
from alongside.coaching.models import Person
from alongside.coaching.services.erasure import ERASED_NAME
from alongside.core import written
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

# What the trail reads of each audit row, as plain tuples in this order rather than model
# instances (or named tuples): a page reads up to three branches of 51 rows to show 50, and
# building a model for each was a third of the page's work.
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


_ID, _AT, _ACTOR, _PERSON = 0, 1, 2, 5
# Newest first is (at, id), biggest first.
_PLACE = itemgetter(_AT, _ID)


def _entries(rows: QuerySet[AuditEntry]) -> QuerySet[Any]:
    return rows.values_list(*ENTRY_COLUMNS)


def _place(entry: tuple[Any, ...]) -> Place:
    return Place(entry[_AT], entry[_ID])


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


def _actors_query(ids: list[int]) -> QuerySet[Any]:
    """Each actor with each of their memberships, oldest first (see `_actor_words`)."""
    return (
        User.objects.filter(pk__in=ids)
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


def _people_query(ids: list[int]) -> QuerySet[Any]:
    return Person.objects.filter(pk__in=ids).values_list("pk", "chosen_name")


def in_words(entries: list[Any], organisation: Organisation) -> list[Row]:
    """A page of audit rows (tuples of `ENTRY_COLUMNS`) as sentences. Two queries however
    many rows (the actors with their roles, the people named), none when there are no rows."""
    if not entries:
        return []
    actor_ids = sorted({e[_ACTOR] for e in entries if e[_ACTOR] is not None})
    actors = _actor_words(
        written.rows_for_ids(_actors_query, actor_ids) if actor_ids else [], organisation.pk
    )
    person_ids = sorted({e[_PERSON] for e in entries if e[_PERSON] is not None})
    people = dict(written.rows_for_ids(_people_query, person_ids)) if person_ids else {}
    this_year = datetime.now(phrasing.LONDON).year
    # A page says the same few things again and again (a coach reopening a record): each
    # sentence is worked out once.
    sentences: dict[tuple[Any, ...], str] = {}
    # And each minute's words: a run of rows is often in one minute (a UTC minute is one
    # minute in UK time, so it can be the key).
    whens: dict[datetime, str] = {}
    kinds = phrasing.KIND_LABELS
    found = []
    for pk, at, actor_id, action, object_type, person_id, request_id, detail in entries:
        actor_name, actor_person_id = actors.get(actor_id or 0, ("", None))
        person_name = people.get(person_id or 0, "")
        erased = person_name == ERASED_NAME
        actor_is_the_person = actor_person_id is not None and actor_person_id == person_id
        key = (action, detail, object_type, actor_name, person_name, actor_is_the_person)
        what = sentences.get(key)
        if what is None:
            names = phrasing.Names(
                actor=actor_name,
                person="" if erased else person_name,
                actor_is_the_person=actor_is_the_person,
                person_erased=erased,
            )
            what = sentences[key] = phrasing.sentence(action, detail, object_type, names)
        minute = at.replace(second=0, microsecond=0)
        when = whens.get(minute)
        if when is None:
            when = whens[minute] = phrasing.when_words(at, this_year=this_year)
        found.append(
            Row(
                pk,
                at,
                when,
                what,
                actor_name or phrasing.SOMEONE,
                "An erased record" if erased else person_name,
                person_id if person_name and not erased else None,
                kinds.get(action, phrasing.SOMETHING_ELSE),
                request_id,
                action in STOPPED,
            )
        )
    return found


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


def _ways(filters: Filters) -> list[bool]:
    """Whether each way a row can be the organisation's (see `trail`) is rows about a record."""
    return [True] if filters.person_ids is not None else [True, True, False]


def _branches(filters: Filters) -> list[tuple[int, str | None]]:
    """The queries `trail` asks: (which way, which action or None for every action)."""
    if not filters.actions:
        return [(way, None) for way in range(len(_ways(filters)))]
    # Signing in and out names the account, never a record (core.signals), so only staff
    # rows that name no record can be those.
    return [
        (way, action)
        for way, about_a_record in enumerate(_ways(filters))
        for action in filters.actions
        if not (about_a_record and action in NAMES_NO_RECORD)
    ]


def trail(organisation: Organisation, filters: Filters) -> list[QuerySet[AuditEntry]]:
    """The organisation's audit rows that pass the filters, as a few queries for `_newest`
    to merge: one for each way a row can be the organisation's (and for each kind of action
    asked for). Each is answered from an index of its own (the organisation's rows, a
    person's rows, a staff member's, an action's), so the newest fifty are as quick to find
    in an organisation with ten rows in a million as in one with half of them. (One query
    with OR between the ways read the whole log backwards when the organisation's rows
    were few: seconds at a million rows.)"""
    ways: list[QuerySet[AuditEntry]]
    if filters.person_ids is not None:
        # People the organisation holds (checked by the caller): their rows are its rows.
        ways = [AuditEntry.objects.filter(person_id__in=filters.person_ids)]
    else:
        people = Person.objects.filter(organisation_id=organisation.pk).values("pk")
        staff = Membership.objects.filter(organisation_id=organisation.pk).values("user_id")
        ways = [
            AuditEntry.objects.filter(organisation_id=organisation.pk),
            # Overlaps the first (a read names both): `_newest` keeps each row once.
            AuditEntry.objects.filter(person_id__in=people),
            AuditEntry.objects.filter(
                organisation_id__isnull=True, person_id__isnull=True, actor_id__in=staff
            ),
        ]
    # One query for each action, too: "action = x" reads its own index newest first, where
    # "action IN (x, y)" would have to gather every such row and sort them. Asking for
    # signing in among rows about a record sent PostgreSQL through every row of the log
    # looking for one that cannot exist (`_branches` leaves those out). Staff rows that name
    # no record have indexes of their own, of only those rows (core_audit_no_record_*), so
    # "action = x" there reads only that kind of them, on both databases.
    branches = [
        ways[way] if action is None else ways[way].filter(action=action)
        for way, action in _branches(filters)
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
        bound = _bound(found, limit)
        if bound is not None:
            rows = rows.filter(_as_new_as(bound))
        found |= {entry[_ID]: entry for entry in _entries(rows.order_by("-at", "-id"))[:limit]}
    return sorted(found.values(), key=_PLACE, reverse=True)[:limit]


def _bound(found: dict[int, Any], limit: int) -> int | None:
    """The row (its id) that a further branch's rows must be at least as new as to count:
    once `limit` rows are found, anything older than the `limit`-th newest of them is off
    the page. Without it the rows about the organisation's people were read from the newest
    of the whole log backwards until fifty-one turned up (14,000 rows in the bench, where
    half the log is another organisation's); with it, only the rows since the page's
    oldest."""
    if len(found) < limit:
        return None
    return heapq.nlargest(limit, found.values(), key=_PLACE)[-1][_ID]


def _as_new_as(entry_id: int) -> Q:
    # By the row's id rather than its time, so a written query can take it as a stand-in
    # (core/written.py). `at` alone, not (at, id): ties are few and the branch sorts them.
    return Q(at__gte=Subquery(AuditEntry.objects.filter(pk=entry_id).values("at")))


def _newest_written(organisation: Organisation, filters: Filters, limit: int) -> list[Any]:
    """As `_newest` of `trail(organisation, filters)`, for filters that name only ids (no
    dates): each branch's query is written by the ORM once per connection and shape, and
    run with this request's ids (core/written.py)."""
    ids = _ids(organisation, filters)
    found: dict[int, Any] = {}
    for i in range(len(_branches(filters))):
        bound = _bound(found, limit)
        shape = (filters.actor_id is not None, filters.actions, limit, bound is not None)
        key = (_written_branch, i, shape)
        branch_ids = ids if bound is None else [*ids, bound]
        branch = written.rows(key, partial(_written_branch, i=i, shape=shape), branch_ids)
        found |= {entry[_ID]: entry for entry in branch}
    return sorted(found.values(), key=_PLACE, reverse=True)[:limit]


def _can_be_written(filters: Filters) -> bool:
    """Only ids can stand in a written query, not dates; the trail of the people a lead picked
    (any number of them) is left to the ORM too: it is one query, not three."""
    return filters.since is None and filters.until is None and filters.person_ids is None


def _ids(organisation: Organisation, filters: Filters) -> list[int]:
    """The ids every branch of the trail names, in the order `_written_branch` takes them."""
    return [organisation.pk] if filters.actor_id is None else [organisation.pk, filters.actor_id]


def _written_branch(ids: list[int], *, i: int, shape: tuple[Any, ...]) -> QuerySet[Any]:
    """Branch `i` of the trail for ids in `_ids`'s order (then the row it must be as new as,
    if bounded: see `_bound`), its newest `limit` rows."""
    by_actor, actions, limit, bounded = shape
    filters = Filters(actor_id=ids[1] if by_actor else None, actions=actions)
    rows = trail(Organisation(pk=ids[0]), filters)[i]
    if bounded:
        rows = rows.filter(_as_new_as(ids[-1]))
    return _entries(rows.order_by("-at", "-id"))[:limit]


def _oldest_newer_than(branches: list[QuerySet[AuditEntry]], limit: int, place: Place) -> list[Any]:
    """The `limit` rows (`ENTRY_COLUMNS`) just newer than a place, oldest first: the page
    before it."""
    found: dict[int, Any] = {}
    for rows in branches:
        newer = _entries(rows.filter(_newer_than(place)).order_by("at", "id"))[:limit]
        found |= {entry[_ID]: entry for entry in newer}
    return sorted(found.values(), key=_PLACE)[:limit]


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
    if before is not None:
        newer_first = _oldest_newer_than(trail(organisation, filters), PER_PAGE + 1, before)
        more_newer = len(newer_first) > PER_PAGE
        entries = list(reversed(newer_first[:PER_PAGE]))
        older: str | None = _place(entries[-1]).token if entries else before.token
        newer = _place(entries[0]).token if entries and more_newer else None
        return TrailPage(in_words(entries, organisation), older, newer)
    if after is None and _can_be_written(filters):
        fetched = _newest_written(organisation, filters, PER_PAGE + 1)
    else:
        fetched = _newest(trail(organisation, filters), PER_PAGE + 1, older_than=after)
    entries = fetched[:PER_PAGE]
    older = _place(entries[-1]).token if len(fetched) > PER_PAGE else None
    newer = _place(entries[0]).token if after is not None and entries else None
    return TrailPage(in_words(entries, organisation), older, newer)


def every_row(organisation: Organisation, filters: Filters) -> Iterator[Row]:
    """Every row that passes the filters, newest first, in words: for the spreadsheet.
    Each way of the trail is read a thousand rows at a time from where the last thousand
    ended, and the ways are merged as they stream, so each row is read once (twice where
    two ways hold it) and memory stays flat however long the trail."""
    streams = [_stream(rows) for rows in trail(organisation, filters)]
    merged = heapq.merge(*streams, key=_PLACE, reverse=True)
    batch: list[Any] = []
    last_pk = None
    for entry in merged:
        if entry[_ID] == last_pk:  # the same row from two ways: they arrive side by side
            continue
        last_pk = entry[_ID]
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
        place = _place(entries[-1])


# --- what the filters offer -------------------------------------------------------------------


def _staff_query(ids: list[int]) -> QuerySet[Any]:
    """The staff of the organisations `ids`, by name."""
    return (
        User.objects.filter(memberships__organisation_id__in=ids)
        .distinct()
        .order_by("first_name", "last_name", "username")
        .values_list("pk", "first_name", "last_name", "username")
    )


def staff_of(organisation: Organisation) -> list[tuple[int, str]]:
    """The organisation's staff, for "who did it": (user id, name), by name."""
    users = written.rows_for_ids(_staff_query, [organisation.pk])
    # As User.get_full_name says it, else the username (without building two hundred users).
    return [(pk, f"{first} {last}".strip() or username) for pk, first, last, username in users]


def _organisations_query(ids: list[int]) -> QuerySet[Any]:
    return (
        Organisation.objects.filter(pk__in=ids)
        .order_by("name", "pk")
        .values_list(*written.columns(Organisation))
    )


def organisations(ids: list[int]) -> list[Organisation]:
    """The organisations `ids` (a lead's), by name."""
    return written.instances(Organisation, written.rows_for_ids(_organisations_query, ids))


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
