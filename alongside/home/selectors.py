"""Reads for the landing pages. Aggregates leave here already disclosure-controlled."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    CharField,
    Count,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Area, Organisation, Role
from alongside.coaching.models import (
    CheckIn,
    CorrectionRequest,
    ErasureRequest,
    Goal,
    OrganisationNumber,
    Person,
    Relationship,
    SpendRequest,
    SpendTotal,
)
from alongside.coaching.selectors.relationships import (
    STATE_LABELS,
    keep_in_touch_due,
    person_path,
)
from alongside.core import words
from alongside.core.disclosure import Cell, protect, protect_table
from alongside.core.models import AuditEntry
from alongside.core.money import pounds
from alongside.core.written import (
    columns,
    instances,
    person_rows,
    rows_for_ids,
    together,
    user_rows,
)
from alongside.core.written import rows as written_rows


def person_home(request: HttpRequest) -> dict[str, Any]:
    """A person's home is their own space: the same as /me/ (coaching.selectors.me)."""
    from alongside.coaching.selectors.me import home

    person = request.user.person
    policy.authorize(request, policy.Action.PERSON_VIEW, person, detail="my space")
    return home(person)


def _commissioned_area_ids(user: Any) -> set[int]:
    return {
        held.area_id
        for held in policy.held_roles(user)
        if held.role == Role.COMMISSIONER and held.area_id is not None
    }


def commissions_an_area(user: Any) -> bool:
    """Whether the home offers the area picture, without a query: the memberships name the
    areas (every area an organisation names exists)."""
    return bool(_commissioned_area_ids(user))


def _count(rows: Any, *, distinct: bool = False) -> Subquery:
    """How many `rows` there are, as a subquery of one row (0 for none): COUNT with no
    GROUP BY, which an aggregate in a subquery would bring. `distinct` counts each row once
    however many rows of a join it is in."""
    count = (
        Func(F("pk"), function="COUNT", template="%(function)s(DISTINCT %(expressions)s)")
        if distinct
        else Func(F("pk"), function="COUNT")
    )
    return Subquery(rows.order_by().annotate(n=count).values("n"))


def _areas_query(ids: list[int]) -> Any:
    """The areas, by name, each with how many people the organisations in it (of every kind)
    work alongside: one query, the count a subquery of each area."""
    people = Person.objects.filter(organisation__area_id=OuterRef("pk"))
    return (
        Area.objects.filter(pk__in=ids)
        .annotate(people=_count(people))
        .order_by("name")
        .values_list(*columns(Area), "people")
    )


def _providers_query(ids: list[int]) -> Any:
    """The coaching organisations in the areas, by name, each with its open relationships.
    Counted for each organisation from its own rows (the index on the organisation), not by
    joining every relationship to its organisation and grouping them: 3.4 → 1.3 ms at 10,000."""
    working = Relationship.objects.filter(organisation_id=OuterRef("pk")).exclude(
        state=Relationship.State.ENDED
    )
    return (
        Organisation.objects.filter(area_id__in=ids, kind=Organisation.Kind.PROVIDER)
        .annotate(working=_count(working))
        .order_by("name")
        .values_list("area_id", "name", "working")
    )


def commissioned_areas(user: Any) -> list[dict[str, Any]]:
    """Coaching across each area the user commissions, disclosure-controlled: two queries
    however many areas (the areas with their people, and the organisations with their open
    relationships), each written by the ORM once (core.written)."""
    area_ids = sorted(_commissioned_area_ids(user))
    if not area_ids:
        return []
    found = rows_for_ids(_areas_query, area_ids)
    areas = instances(Area, [row[:-1] for row in found])
    people = {row[0]: row[-1] for row in found}
    working: dict[int, dict[str, int]] = {area.pk: {} for area in areas}
    for area_id, name, count in rows_for_ids(_providers_query, area_ids):
        working[area_id][name] = count
    result = []
    for area in areas:
        cells, total = protect_table(working[area.pk])
        result.append(
            {
                "area": area,
                "cells": cells,
                "total": total,
                "people": protect(people[area.pk]),
            }
        )
    return result


# --- a coach's week ---------------------------------------------------------------------------

# The audit entry `services.corrections.goal_decline` writes: the only place that says when a
# person said no to a suggested goal (the goal keeps no date for it).
GOAL_DECLINED = "suggested goal declined"
# A meeting that was due this long ago and has nothing written since is "did you meet?".
WRITE_UP_DAYS = 14
COMMITTED = (SpendRequest.Status.APPROVED, SpendRequest.Status.PAID)


@functools.cache
def _path_pattern(name: str, arity: int, prefix: str) -> str:
    """The address of a page named by whole-number ids, reversed once, with {0}, {1}... where
    the ids go: a coach's home names a page for each of dozens of people, and even a
    remembered `reverse` (core.paths) costs more each time than filling in a pattern."""
    markers = [987654321 + i for i in range(arity)]
    path = reverse(name, args=markers)
    for i, marker in enumerate(markers):
        path = path.replace(str(marker), f"{{{i}}}")
    return path


def _path(name: str, *ids: int) -> str:
    return _addresses(name, len(ids))(*ids)


def _addresses(name: str, arity: int) -> Callable[..., str]:
    """`_path(name, *ids)` for a whole list: the prefix the site is served under is read once
    (two thirds of the Python calls of each address), then each row's ids are filled in."""
    return _path_pattern(name, arity, get_script_prefix()).format


# The pages a home's rows link to (as `WeekRow.write_up_url` and the rest name them).
WRITE_UP = "coaching:conversation_add"  # the person's id
DATES = "coaching:relationship_dates"  # the person's id, the relationship's
DECIDE = "coaching:spend_request_decide"  # the person's id, the request's
BUDGET = "coaching:budget"  # the person's id


def _day(value: date | None) -> str:
    """A day as the `day` filter (home_words) writes it: "Tuesday 1 December"."""
    return words.day_words(value, leave_out_year=words.this_year())


def _staff_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """As `user.get_full_name|default:user.username` writes a member of staff ("" for none)."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or ""


@dataclass
class Asked:
    """A request waiting for an answer (to correct or to erase a record), as plain values."""

    pk: int
    name: str  # the person's
    at: datetime


@dataclass
class WeekRow:
    """One relationship on a coach's home, as plain values: the template engine looks up each
    attribute of a model instance (and of its person) slowly, and a home lists dozens. The
    addresses are worked out only for the rows the page shows."""

    pk: int
    person_id: int
    name: str
    state: str
    keep_in_touch: str
    started_on: date
    last_contact_on: date | None
    next_meeting_on: date | None
    organisation_id: int
    keep_in_touch_weeks: int
    coach_approval_limit_pence: int

    @property
    def url(self) -> str:
        return person_path(self.person_id)

    @property
    def write_up_url(self) -> str:
        return _path(WRITE_UP, self.person_id)

    @property
    def dates_url(self) -> str:
        return _path(DATES, self.person_id, self.pk)


@dataclass
class SpendRow:
    """A spend request on a home page, as plain values and words (see WeekRow)."""

    pk: int
    person_id: int
    name: str
    what_for: str
    amount: str  # "£1,234.50"
    amount_pence: int
    status: str
    created_at: datetime
    decided_at: datetime | None = None
    by: str = ""  # who decided it (a coach's home) or asked for it (a lead's), by name

    @property
    def decide_url(self) -> str:
        return _path(DECIDE, self.person_id, self.pk)

    @property
    def budget_url(self) -> str:
        return _path(BUDGET, self.person_id)


@dataclass
class Answer:
    """A suggested goal the person accepted or declined."""

    goal: Goal
    name: str  # the person's
    accepted: bool
    at: datetime | None


@dataclass
class CoachWeek:
    count: int = 0
    today: list[WeekRow] = field(default_factory=list)
    this_week: list[WeekRow] = field(default_factory=list)
    to_write_up: list[WeekRow] = field(default_factory=list)
    keep_in_touch: list[WeekRow] = field(default_factory=list)
    paused: list[WeekRow] = field(default_factory=list)
    corrections: list[Asked] = field(default_factory=list)
    spends_to_decide: list[SpendRow] = field(default_factory=list)
    spends_with_lead: list[SpendRow] = field(default_factory=list)
    spends_decided: list[SpendRow] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    since: datetime | None = None

    @property
    def prompts(self) -> int:
        return len({rel.pk for rel in self.keep_in_touch + self.paused})

    @property
    def waiting(self) -> int:
        return (
            len(self.corrections)
            + len(self.spends_to_decide)
            + len(self.spends_with_lead)
            + len(self.spends_decided)
            + len(self.answers)
        )


def _mine(user_id: int, organisation_ids: list[int]) -> Any:
    return Relationship.objects.filter(coach_id=user_id, organisation_id__in=organisation_ids)


def _week_query(user_id: int, organisation_ids: list[int]) -> Any:
    """A coach's relationships, as WeekRow's columns (written once: core.written)."""
    return (
        _mine(user_id, organisation_ids)
        .order_by("person__chosen_name", "id")
        .values_list(
            "pk",
            "person_id",
            "person__chosen_name",
            "state",
            "keep_in_touch",
            "started_on",
            "last_contact_on",
            "next_meeting_on",
            "organisation_id",
            "organisation__keep_in_touch_weeks",
            "organisation__coach_approval_limit_pence",
        )
    )


def _corrections_query(user_id: int, organisation_ids: list[int]) -> Any:
    """Correction requests waiting, from the people of a coach's relationships."""
    return (
        CorrectionRequest.objects.filter(
            person_id__in=_mine(user_id, organisation_ids).values("person_id"),
            status=CorrectionRequest.Status.ASKED,
        )
        .order_by("created_at", "id")
        .values_list("pk", "person_id", "created_at")
    )


def _spends_waiting_or_decided(
    user_id: int, organisation_ids: list[int], since: datetime
) -> list[tuple[Any, ...]]:
    """Spend requests of a coach's people waiting, or decided since `since` by someone else
    (a request still waiting is in the first half, whenever it was decided). The people are
    named by a subquery, not by a list of their ids: fifty parameters cost more to prepare and
    send than the subquery costs the database. Written by the
    ORM once for each `since` (when the coach last looked: the same all through a sitting),
    which a stand-in id cannot carry."""

    def build(stand_ins: list[int]) -> Any:
        coach, *organisations = stand_ins
        return (
            SpendRequest.objects.filter(
                person_id__in=_mine(coach, organisations).values("person_id")
            )
            .filter(
                Q(status=SpendRequest.Status.REQUESTED)
                | (Q(decided_at__gt=since) & ~Q(decided_by_id=coach))
            )
            .order_by("created_at", "id")
            .values_list(
                "pk",
                "person_id",
                "what_for",
                "amount_pence",
                "status",
                "created_at",
                "decided_at",
                "decided_by__first_name",
                "decided_by__last_name",
                "decided_by__username",
            )
        )

    return written_rows(("coach spends", since), build, [user_id, *organisation_ids])


GOAL_COLUMNS = columns(Goal)


def _answers(user_id: int, organisation_ids: list[int], since: datetime) -> list[tuple[Any, ...]]:
    """The suggested goals of a coach's people accepted, or declined, since `since`: each
    goal's columns, then when it was declined. Written by the ORM once for each `since` (as
    `_spends_waiting_or_decided`): put together on every request, this query was half of a
    coach's home's Python calls. The people are named by a subquery: a list of their ids
    took more than fifty parameters for a coach of fifty, past which psycopg works out the
    query's placeholders again on every run (about 800 calls); the database plans the two
    alike (0.4 ms at 10,000 people)."""

    def build(stand_ins: list[int]) -> Any:
        coach, *organisations = stand_ins
        # When the person said no: the audit entry of the decline (the goal keeps no date).
        declined_at = (
            AuditEntry.objects.filter(
                person_id=OuterRef("person_id"),
                object_type="coaching.goal",
                object_id=Cast(OuterRef("pk"), CharField()),
                detail=GOAL_DECLINED,
            )
            .order_by("-at")
            .values("at")[:1]
        )
        return (
            Goal.objects.filter(
                person_id__in=_mine(coach, organisations).values("person_id"),
                suggested_by__isnull=False,
            )
            .annotate(declined_at=Subquery(declined_at))
            .filter(
                Q(accepted_at__gt=since)
                | Q(
                    accepted_at__isnull=True,
                    status=Goal.Status.CHANGED_MY_MIND,
                    declined_at__gt=since,
                )
            )
            .values_list(*GOAL_COLUMNS, "declined_at")
        )

    return written_rows(("coach answers", since), build, [user_id, *organisation_ids])


def coach_week(user: Any, *, since: datetime, today: date | None = None) -> CoachWeek:
    """Everything on a coach's home, in four queries however many people they work alongside:
    their relationships (with the person's name and the organisation's settings), correction
    requests waiting, spend requests waiting or decided since `since`, and the suggested
    goals people accepted or declined since then."""
    today = today or timezone.localdate()
    coaching_orgs = sorted(policy.organisations_where(user, Role.COACH))
    everyone = (
        [
            WeekRow(*row)  # the columns in the order of WeekRow's fields
            for row in user_rows(_week_query, user.pk, coaching_orgs)
        ]
        if coaching_orgs
        else []
    )
    week = CoachWeek(since=since)
    current = [rel for rel in everyone if rel.state != Relationship.State.ENDED]
    week.count = len(current)
    if not everyone:
        return week
    meetings = sorted(
        ((rel.next_meeting_on, rel) for rel in current if rel.next_meeting_on is not None),
        key=lambda pair: (pair[0], pair[1].name),
    )
    week.today = [rel for day, rel in meetings if day == today]
    week.this_week = [rel for day, rel in meetings if today < day <= today + timedelta(days=6)]
    week.to_write_up = [
        rel
        for day, rel in meetings
        if today - timedelta(days=WRITE_UP_DAYS) <= day < today
        and (rel.last_contact_on is None or rel.last_contact_on < day)
    ]
    # Someone who paused said how they'd like to keep in touch: they are listed apart.
    week.paused = [rel for rel in current if rel.state == Relationship.State.PAUSED]
    week.keep_in_touch = sorted(
        (
            rel
            for rel in current
            if rel.state != Relationship.State.PAUSED
            and keep_in_touch_due(
                state=rel.state,
                last_contact_on=rel.last_contact_on,
                started_on=rel.started_on,
                weeks=rel.keep_in_touch_weeks,
                today=today,
            )
        ),
        key=lambda rel: rel.last_contact_on or rel.started_on or today,
    )

    names = {rel.person_id: rel.name for rel in everyone}
    relationship_of = {rel.person_id: rel for rel in everyone}
    week.corrections = [
        Asked(pk, names[person_id], created_at)
        for pk, person_id, created_at in user_rows(_corrections_query, user.pk, coaching_orgs)
    ]

    led = policy.organisations_where(user, Role.LEAD)
    spend_rows = _spends_waiting_or_decided(user.pk, coaching_orgs, since)
    for pk, person_id, what_for, pence, status, created_at, decided_at, *decider in spend_rows:
        spend = SpendRow(
            pk=pk,
            person_id=person_id,
            name=names[person_id],
            what_for=what_for,
            amount=pounds(pence),
            amount_pence=pence,
            status=status,
            created_at=created_at,
            decided_at=decided_at,
            by=_staff_name(*decider),
        )
        rel = relationship_of[person_id]
        if status != SpendRequest.Status.REQUESTED:
            week.spends_decided.append(spend)
        elif rel.organisation_id in led or pence <= rel.coach_approval_limit_pence:
            week.spends_to_decide.append(spend)
        else:
            week.spends_with_lead.append(spend)
    week.spends_decided.sort(key=lambda spend: spend.decided_at or since, reverse=True)

    for *goal_row, declined_at in _answers(user.pk, coaching_orgs, since):
        goal = Goal.from_db(DEFAULT_DB_ALIAS, GOAL_COLUMNS, goal_row)
        accepted = goal.accepted_at is not None
        at = goal.accepted_at if accepted else declined_at
        week.answers.append(Answer(goal=goal, name=names[goal.person_id], accepted=accepted, at=at))
    week.answers.sort(key=lambda answer: answer.at or since, reverse=True)
    return week


# --- a lead's queue ---------------------------------------------------------------------------

# How many of each kind of waiting thing the home lists before it says "and more".
QUEUE_LENGTH = 10
# "No contact for a long time", for a lead: twice the organisation's keep-in-touch weeks.
QUIET_TIMES = 2


def _quiet_filter(organisations: list[Organisation], today: date) -> Q:
    """Open relationships with no contact (or, never, since they started) for a long time."""
    quiet = Q(pk__in=[])
    for organisation in organisations:
        weeks = QUIET_TIMES * organisation.keep_in_touch_weeks
        quiet |= Q(organisation=organisation, contact__lt=today - timedelta(weeks=weeks))
    return quiet


@dataclass
class Listed:
    """A relationship on a lead's lists (the quiet ones on their home, everyone behind the
    numbers), as plain values and words: the template engine looks up each attribute of a
    model instance, its person and its coach slowly, fifty rows over."""

    pk: int
    person_id: int
    name: str
    coach: str  # by name, as `coach.get_full_name|default:coach.username` wrote it
    state: str
    started_on: date
    last_contact_on: date | None
    next_meeting_on: date | None

    @property
    def url(self) -> str:
        return person_path(self.person_id)

    @property
    def stage(self) -> str:
        return STATE_LABELS.get(self.state, self.state)  # as get_state_display() says it

    # The days in words, as the `day` filter (home_words) writes them.
    @property
    def last_in_touch(self) -> str:
        return _day(self.last_contact_on) if self.last_contact_on else "Not written down"

    @property
    def next_meeting(self) -> str:
        return _day(self.next_meeting_on) if self.next_meeting_on else "Not set"

    @property
    def in_touch(self) -> str:
        if self.last_contact_on:
            return f"Last in touch {_day(self.last_contact_on)}"
        return f"Nothing written down since {_day(self.started_on)}"


# The columns of a Listed row, in its order.
LISTED = (
    "pk",
    "person_id",
    "person__chosen_name",
    "coach__first_name",
    "coach__last_name",
    "coach__username",
    "state",
    "started_on",
    "last_contact_on",
    "next_meeting_on",
)


def _listed(row: tuple[Any, ...]) -> Listed:
    pk, person_id, name, first_name, last_name, username, *rest = row
    return Listed(pk, person_id, name, _staff_name(first_name, last_name, username), *rest)


def quiet_relationships(organisations: list[Organisation], today: date) -> Any:
    """Open relationships in these organisations with no contact for a long time, the
    quietest first (a queryset: the home takes the first few, the list pages them)."""
    return (
        Relationship.objects.exclude(state=Relationship.State.ENDED)
        .annotate(contact=Coalesce("last_contact_on", "started_on"))
        .filter(_quiet_filter(organisations, today))
        .order_by("contact", "id")
    )


# The queue's reads after the organisations go to PostgreSQL in one round trip for a lead of
# one organisation (nearly every lead): `core.written.together` names rows by one id (a
# person's, or here an organisation's). A lead of several has each read on its own.
BuildForMany = Callable[[list[int]], Any]


@functools.lru_cache(maxsize=128)
def _for_one(build: BuildForMany) -> Callable[[int], Any]:
    """`build` for one organisation's id: the same function each time for the same `build`,
    as a connection keeps each query it has written under the function that builds it."""

    def for_one(organisation_id: int) -> Any:
        return build([organisation_id])

    for_one.__qualname__ = f"{build.__qualname__} (one organisation)"
    return for_one


def _organisation_rows(build: BuildForMany, ids: list[int]) -> list[tuple[Any, ...]]:
    """`build(ids)`'s rows, written by the ORM once (core.written), read ahead by
    `_reading_ahead` when it could."""
    if len(ids) == 1:
        return person_rows(_for_one(build), ids[0])
    return rows_for_ids(build, ids)


@contextmanager
def _reading_ahead(builds: Sequence[BuildForMany], ids: list[int]) -> Iterator[None]:
    """Inside the block, `_organisation_rows` takes these reads' rows from one round trip."""
    if len(ids) != 1:
        yield
        return
    with together([_for_one(build) for build in builds], ids[0]):
        yield


def _by_organisation(rows: Any, key: str = "organisation_id") -> dict[int, dict[str, Any]]:
    return {row[key]: row for row in rows}


def _written_by_organisation(build: Any, ids: list[int], *names: str) -> dict[int, dict[str, Any]]:
    """`build(ids)`'s rows (the organisation's id first, then `names`), by organisation: one
    query, written by the ORM once (core.written)."""
    return {
        row[0]: dict(zip(names, row[1:], strict=True)) for row in _organisation_rows(build, ids)
    }


def _kept_numbers_query(ids: list[int]) -> Any:
    return OrganisationNumber.objects.filter(organisation_id__in=ids).values_list(
        "organisation_id", "name", "number"
    )


def _kept_numbers(ids: list[int]) -> dict[int, dict[str, int]]:
    """Each organisation's numbers the database keeps (OrganisationNumber), by name: people,
    their own allocations, and relationships in each state, without counting them here."""
    numbers: dict[int, dict[str, int]] = {}
    for organisation_id, name, number in _organisation_rows(_kept_numbers_query, ids):
        numbers.setdefault(organisation_id, {})[name] = number
    return numbers


def _spend_query(ids: list[int]) -> Any:
    # Committed and paid in all, from the few rows the database keeps (SpendTotal), not from
    # every request and payment the organisation has had.
    return (
        SpendTotal.objects.filter(organisation_id__in=ids)
        .values("organisation_id")
        .annotate(committed=Sum("committed_pence"), paid=Sum("paid_pence"))
        .values_list("organisation_id", "committed", "paid")
    )


@functools.lru_cache(maxsize=16)
def _check_ins_query(month_start: date) -> BuildForMany:
    """The query of check-ins taken since `month_start`, counted for each organisation: one
    for each month (the date, which a stand-in id cannot carry), as `_quiet_query`."""

    def build(stand_ins: list[int]) -> Any:
        return (
            CheckIn.objects.filter(person__organisation_id__in=stand_ins, taken_on__gte=month_start)
            .values("person__organisation_id")
            .annotate(n=Count("id"))
            .values_list("person__organisation_id", "n")
        )

    build.__qualname__ = f"lead check-ins since {month_start}"
    return build


def _check_ins_since(month_start: date, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Check-ins taken since `month_start`, counted for each organisation."""
    found = _organisation_rows(_check_ins_query(month_start), ids)
    return {organisation_id: {"n": n} for organisation_id, n in found}


def _numbers(organisations: list[Organisation], today: date) -> dict[int, dict[str, Any]]:
    """The organisation's numbers at a glance, in three queries for any number of them. Exact:
    a lead may open every record these count (the list behind each number names them), so
    disclosure control, which is for figures that leave the organisation, would only hide
    from the lead what the next click shows (a small organisation saw "fewer than 10" in
    every line)."""
    ids = [organisation.pk for organisation in organisations]
    month_start = today.replace(day=1)
    kept = _kept_numbers(ids)
    check_ins = _check_ins_since(month_start, ids)
    spending = _written_by_organisation(_spend_query, ids, "committed", "paid")
    labels = dict(Relationship.State.choices)
    numbers = {}
    for organisation in organisations:
        own = kept.get(organisation.pk, {})
        by_state = {
            name.removeprefix(OrganisationNumber.RELATIONSHIPS): number
            for name, number in own.items()
            if name.startswith(OrganisationNumber.RELATIONSHIPS)
        }
        cells = {state: Cell(by_state.get(state, 0)) for state in labels}
        total = Cell(sum(by_state.values()))
        # A person's allocation is their own, or the organisation's when theirs is 0.
        allocation = own.get(OrganisationNumber.OWN_ALLOCATIONS, 0) + (
            own.get(OrganisationNumber.WITHOUT_OWN_ALLOCATION, 0)
            * organisation.budget_allocation_pence
        )
        spent = int(spending.get(organisation.pk, {}).get("committed") or 0)
        numbers[organisation.pk] = {
            "people": Cell(own.get(OrganisationNumber.PEOPLE, 0)),
            "stages": [
                {"state": state, "label": labels[state], "cell": cell}
                for state, cell in cells.items()
            ],
            "relationships": total,
            "check_ins": Cell(check_ins.get(organisation.pk, {}).get("n", 0)),
            "month": month_start,
            "allocation": pounds(allocation),
            "committed": pounds(spent),
            "paid": pounds(spending.get(organisation.pk, {}).get("paid") or 0),
            "left": pounds(allocation - spent),
            "percent": round(100 * spent / allocation) if allocation else 0,
        }
    return numbers


def _first_written(build: Any, ids: list[int]) -> tuple[list[Any], bool]:
    """The first QUEUE_LENGTH rows of `build(ids)[: QUEUE_LENGTH + 1]`, written by the ORM
    once, and whether there are more."""
    found = _organisation_rows(build, ids)
    return found[:QUEUE_LENGTH], len(found) > QUEUE_LENGTH


def _over_limit_query(ids: list[int]) -> Any:
    return (
        SpendRequest.objects.filter(
            person__organisation_id__in=ids,
            status=SpendRequest.Status.REQUESTED,
            amount_pence__gt=F("person__organisation__coach_approval_limit_pence"),
        )
        .order_by("created_at", "id")
        .values_list(
            "pk",
            "person_id",
            "person__chosen_name",
            "what_for",
            "amount_pence",
            "status",
            "created_at",
            "requested_by__first_name",
            "requested_by__last_name",
            "requested_by__username",
        )[: QUEUE_LENGTH + 1]
    )


def _erasures_query(ids: list[int]) -> Any:
    return (
        ErasureRequest.objects.filter(organisation_id__in=ids, status=ErasureRequest.Status.ASKED)
        .order_by("asked_at", "id")
        .values_list("pk", "person__chosen_name", "asked_at")[: QUEUE_LENGTH + 1]
    )


def _organisations_query(ids: list[int]) -> Any:
    return (
        Organisation.objects.filter(pk__in=ids)
        .order_by("name", "pk")
        .values_list(*columns(Organisation))
    )


def _asked_corrections_query(ids: list[int]) -> Any:
    return (
        CorrectionRequest.objects.filter(
            person__organisation_id__in=ids, status=CorrectionRequest.Status.ASKED
        )
        .order_by("created_at", "id")
        .values_list("pk", "person__chosen_name", "created_at")[: QUEUE_LENGTH + 1]
    )


def _corrections_waiting(ids: list[int], before: datetime) -> tuple[list[Asked], bool]:
    """Correction requests asked before `before` and not answered, the oldest first (as
    `_first`). The query asks for the oldest waiting, whenever asked, so that it is written
    once (a moment cannot stand in for an id): the oldest are first, so those asked before
    `before` are the first of them, and the same rows as a query that asked only for them."""
    found = [
        Asked(*row) for row in _organisation_rows(_asked_corrections_query, ids) if row[2] < before
    ]
    return found[:QUEUE_LENGTH], len(found) > QUEUE_LENGTH


@functools.lru_cache(maxsize=16)
def _quiet_query(today: date, weeks: tuple[int, ...]) -> BuildForMany:
    """The query of the first few quiet relationships with how many there are in all, for
    organisations with these keep-in-touch weeks: one for each day and weeks (the filter's
    days, which a stand-in id cannot carry). The count is a subquery the database works out
    once, from the relationships alone (a window over the rows joined each to its person and
    coach for the page's columns joined them all: 1.8 → 0.4 ms at 10,000)."""

    def build(ids: list[int]) -> Any:
        stand_ins = [
            Organisation(pk=pk, keep_in_touch_weeks=w) for pk, w in zip(ids, weeks, strict=True)
        ]
        return (
            quiet_relationships(stand_ins, today)
            .annotate(total=_count(quiet_relationships(stand_ins, today)))
            .values_list(*LISTED, "total")[: QUEUE_LENGTH + 1]
        )

    build.__qualname__ = f"lead quiet on {today} for {weeks} weeks"
    return build


def _weeks(organisations: list[Organisation]) -> tuple[int, ...]:
    return tuple(organisation.keep_in_touch_weeks for organisation in organisations)


def _quiet_first(organisations: list[Organisation], today: date) -> tuple[list[Listed], int]:
    """The first few quiet relationships, and how many there are in all, in one query."""
    build = _quiet_query(today, _weeks(organisations))
    found = _organisation_rows(build, [o.pk for o in organisations])
    quiet = [_listed(row[:-1]) for row in found[:QUEUE_LENGTH]]
    return quiet, found[0][-1] if found else 0


def lead_queue(user: Any, *, today: date | None = None) -> dict[str, Any] | None:
    """A lead's queue for each organisation they lead: spend requests over the coaches' limit
    waiting for their decision, erasure requests, correction requests unanswered for more
    than a week, relationships with no contact for a long time, and the numbers at a glance.
    Eight queries for any number of organisations and people; for a lead of one, seven of
    them in one round trip."""
    today = today or timezone.localdate()
    ids = sorted(policy.organisations_where(user, Role.LEAD))
    if not ids:
        return None
    organisations = instances(Organisation, rows_for_ids(_organisations_query, ids))
    if not organisations:
        return None
    ids = [organisation.pk for organisation in organisations]  # by name, as `quiet` names them
    reads = [
        _over_limit_query,
        _erasures_query,
        _asked_corrections_query,
        _quiet_query(today, _weeks(organisations)),
        _kept_numbers_query,
        _check_ins_query(today.replace(day=1)),
        _spend_query,
    ]
    with _reading_ahead(reads, ids):
        spend_rows, more_spends = _first_written(_over_limit_query, ids)
        spends = [
            SpendRow(
                pk=pk,
                person_id=person_id,
                name=name,
                what_for=what_for,
                amount=pounds(pence),
                amount_pence=pence,
                status=status,
                created_at=created_at,
                by=_staff_name(*requester),
            )
            for pk, person_id, name, what_for, pence, status, created_at, *requester in spend_rows
        ]
        erasure_rows, more_erasures = _first_written(_erasures_query, ids)
        erasures = [Asked(*row) for row in erasure_rows]
        corrections, more_corrections = _corrections_waiting(
            ids, timezone.now() - timedelta(days=7)
        )
        quiet, quiet_count = _quiet_first(organisations, today)
        numbers = _numbers(organisations, today)
    return {
        "organisations": [
            {
                "organisation": organisation,
                "query": f"?organisation={organisation.pk}" if len(organisations) > 1 else "",
                "numbers": numbers[organisation.pk],
            }
            for organisation in organisations
        ],
        "several": len(organisations) > 1,
        "quiet_weeks": sorted({QUIET_TIMES * o.keep_in_touch_weeks for o in organisations}),
        "spends": spends,
        "more_spends": more_spends,
        "erasures": erasures,
        "more_erasures": more_erasures,
        "corrections": corrections,
        "more_corrections": more_corrections,
        "quiet": quiet,
        "quiet_count": quiet_count,
        "waiting": len(spends) + len(erasures) + len(corrections),
    }


# --- the lead's list of everyone, behind the numbers ------------------------------------------

PER_PAGE = 50
# The pages read ahead with the count (each page's query is kept by a connection): past
# them, a page is read as the Paginator asks for it, within the list.
READ_AHEAD_PAGES = 200
CHECKED_IN = "checked-in"
QUIET = "quiet"


def everyone_filters() -> list[tuple[str, str]]:
    """(value of ?show=, what the list then shows), in the order the page offers them."""
    stages = [(state, label) for state, label in Relationship.State.choices]
    return [
        ("", "Everyone"),
        *stages,
        (QUIET, "No contact for a long time"),
        (CHECKED_IN, "Checked in this month"),
    ]


def _everyone_query(organisation: Organisation, show: str, today: date) -> Any:
    """The relationships one number on the home counts (or all of them), in the list's order."""
    if show == QUIET:
        return quiet_relationships([organisation], today)
    rows = Relationship.objects.filter(organisation=organisation).annotate(
        contact=Coalesce("last_contact_on", "started_on")
    )
    if show == CHECKED_IN:
        rows = rows.filter(person__check_ins__taken_on__gte=today.replace(day=1)).distinct()
    elif show in Relationship.State.values:
        rows = rows.filter(state=show)
    return rows.order_by("person__chosen_name", "id")


def _everyone_count_query(organisation: Organisation, show: str, today: date) -> Any:
    # How many the list has, as one row (none when there are none): the relationships of one
    # organisation, grouped by it. Counted without the joins the page's columns need, and once
    # for each relationship however many check-ins it has this month.
    return (
        _everyone_query(organisation, show, today)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk", distinct=show == CHECKED_IN))
        .values_list("n")
    )


def _page_asked(page: Any) -> int | None:
    """The page the Paginator will show for `page` when it is in the list: the number, as
    `Paginator.validate_number` reads it, or the first page for no number (None for one
    below 1, which shows the last page)."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else None


class _EveryoneRows:
    """The list for the Paginator: its count and each page's rows as Listed, from queries
    the ORM writes once (core.written) with the organisation's id standing in.

    `read_ahead` reads the page asked for with the count, in one query: for a page in the
    list (nearly always), the Paginator's count and page come from it. Otherwise the count
    is asked for, then the page the Paginator shows instead.

    A query is written for each shape it can have: which list, the day its filter names (the
    quiet ones' and the month's check-ins' are dates, which a stand-in id cannot carry: a new
    day is a new query), and the page's bounds (written into the SQL by the ORM, not passed
    as parameters). Connections are recycled within a minute (CONN_MAX_AGE), and a page is
    one the list has or one of the first READ_AHEAD_PAGES, so a connection keeps a few."""

    def __init__(self, organisation: Organisation, show: str, today: date) -> None:
        self.organisation_id = organisation.pk
        self.show = show
        self.today = today
        self.weeks = organisation.keep_in_touch_weeks
        if show == QUIET:
            self.key: tuple[Any, ...] = (show, today - timedelta(weeks=QUIET_TIMES * self.weeks))
        elif show == CHECKED_IN:
            self.key = (show, today.replace(day=1))
        else:
            self.key = (show,)
        self.counted: int | None = None
        self.read: dict[int, list[Listed]] = {}  # rows read ahead, by the first's place

    def read_ahead(self, page: Any) -> None:
        number = _page_asked(page)
        if number is None or number > READ_AHEAD_PAGES:
            return
        start = (number - 1) * PER_PAGE
        stop = start + PER_PAGE

        def build(ids: list[int]) -> Any:
            total = _count(self._query(ids), distinct=self.show == CHECKED_IN)
            return self._query(ids).annotate(total=total)[start:stop].values_list(*LISTED, "total")

        found = written_rows(
            ("everyone page and count", *self.key, start), build, [self.organisation_id]
        )
        if found:
            self.counted = found[0][-1]
        elif start == 0:
            self.counted = 0  # nobody on the first page: nobody at all
        else:
            return  # past the end: the Paginator shows the last page
        self.read[start] = [_listed(row[:-1]) for row in found]

    def _stand_in(self, ids: list[int]) -> Organisation:
        return Organisation(pk=ids[0], keep_in_touch_weeks=self.weeks)

    def _query(self, ids: list[int]) -> Any:
        return _everyone_query(self._stand_in(ids), self.show, self.today)

    def count(self) -> int:
        if self.counted is not None:
            return self.counted
        found = written_rows(
            ("everyone count", *self.key),
            lambda ids: _everyone_count_query(self._stand_in(ids), self.show, self.today),
            [self.organisation_id],
        )
        return found[0][0] if found else 0

    def __getitem__(self, bounds: slice) -> list[Listed]:
        start, stop = bounds.start, bounds.stop
        if start in self.read:
            return self.read[start][: stop - start]
        if stop <= start:  # an empty list's only page: nothing to ask
            return []
        found = written_rows(
            ("everyone page", *self.key, start, stop),
            lambda ids: self._query(ids)[start:stop].values_list(*LISTED),
            [self.organisation_id],
        )
        return [_listed(row) for row in found]


def everyone(
    organisation: Organisation, *, show: str, page: Any, today: date | None = None
) -> dict[str, Any]:
    """Every relationship in the organisation (or those one number on the home counts), a
    page at a time: one query however many there are (the page with the count; a page
    past the end asks three: that page, the count, and the last page shown instead)."""
    today = today or timezone.localdate()
    found = _EveryoneRows(organisation, show, today)
    found.read_ahead(page)
    shown: Page = Paginator(found, PER_PAGE).get_page(page)
    return {
        "page": shown,
        "relationships": shown.object_list,
        "show": show,
        "label": dict(everyone_filters()).get(show, "Everyone"),
        "filters": everyone_filters(),
        "quiet_weeks": QUIET_TIMES * organisation.keep_in_touch_weeks,
    }


# --- recommendations waiting for an answer (convening, issue 13) ------------------------------


def recommendations_waiting(user: Any) -> Any:
    """For a lead or a commissioner: recommendations sent to them and not answered yet, and
    answered ones whose follow-up day has passed (`convening.selectors.recommendations`).
    None for anyone else, without a query."""
    held = policy.roles(user)
    if Role.LEAD not in held and Role.COMMISSIONER not in held:
        return None
    from alongside.convening.selectors.recommendations import waiting_for

    return waiting_for(user)
