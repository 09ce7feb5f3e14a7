"""Reads for the landing pages. Aggregates leave here already disclosure-controlled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.http import HttpRequest
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Area, Organisation, Role
from alongside.coaching.models import (
    CheckIn,
    CorrectionRequest,
    ErasureRequest,
    Goal,
    Payment,
    Person,
    Relationship,
    SpendRequest,
)
from alongside.coaching.selectors.relationships import needs_keep_in_touch
from alongside.core.disclosure import Cell, protect, protect_table
from alongside.core.models import AuditEntry
from alongside.core.money import pounds


def person_home(request: HttpRequest) -> dict[str, Any]:
    """A person's home is their own space: the same as /me/ (coaching.selectors.me)."""
    from alongside.coaching.selectors.me import home

    person = request.user.person
    policy.authorize(request, policy.Action.PERSON_VIEW, person, detail="my space")
    return home(person)


def _state_counts(organisation_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = (
        Relationship.objects.filter(organisation_id__in=organisation_ids)
        .values("organisation_id", "state")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["organisation_id"], {})[row["state"]] = row["n"]
    return counts


def commissioned_areas(user: Any) -> list[dict[str, Any]]:
    area_ids = {
        held.area_id
        for held in policy.held_roles(user)
        if held.role == Role.COMMISSIONER and held.area_id is not None
    }
    result = []
    for area in Area.objects.filter(pk__in=area_ids).order_by("name"):
        providers = (
            Organisation.objects.filter(area=area, kind=Organisation.Kind.PROVIDER)
            .annotate(
                working=Count(
                    "relationships",
                    filter=~Q(relationships__state=Relationship.State.ENDED),
                )
            )
            .order_by("name")
        )
        cells, total = protect_table({org.name: org.working for org in providers})
        people = protect(Person.objects.filter(organisation__area=area).count())
        result.append({"area": area, "cells": cells, "total": total, "people": people})
    return result


# --- a coach's week ---------------------------------------------------------------------------

# The audit entry `services.corrections.goal_decline` writes: the only place that says when a
# person said no to a suggested goal (the goal keeps no date for it).
GOAL_DECLINED = "suggested goal declined"
# A meeting that was due this long ago and has nothing written since is "did you meet?".
WRITE_UP_DAYS = 14
COMMITTED = (SpendRequest.Status.APPROVED, SpendRequest.Status.PAID)


@dataclass
class Answer:
    """A suggested goal the person accepted or declined."""

    goal: Goal
    accepted: bool
    at: datetime | None


@dataclass
class CoachWeek:
    count: int = 0
    today: list[Relationship] = field(default_factory=list)
    this_week: list[Relationship] = field(default_factory=list)
    to_write_up: list[Relationship] = field(default_factory=list)
    keep_in_touch: list[Relationship] = field(default_factory=list)
    paused: list[Relationship] = field(default_factory=list)
    corrections: list[CorrectionRequest] = field(default_factory=list)
    spends_to_decide: list[SpendRequest] = field(default_factory=list)
    spends_with_lead: list[SpendRequest] = field(default_factory=list)
    spends_decided: list[SpendRequest] = field(default_factory=list)
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


def coach_week(user: Any, *, since: datetime, today: date | None = None) -> CoachWeek:
    """Everything on a coach's home, in four queries however many people they work alongside:
    their relationships (with person and organisation), correction requests waiting, spend
    requests waiting or decided since `since`, and the suggested goals people accepted or
    declined since then."""
    today = today or timezone.localdate()
    coaching_orgs = policy.organisations_where(user, Role.COACH)
    everyone = list(
        Relationship.objects.filter(coach=user, organisation_id__in=coaching_orgs)
        .select_related("person", "organisation")
        .order_by("person__chosen_name", "id")
    )
    week = CoachWeek(since=since)
    current = [rel for rel in everyone if rel.state != Relationship.State.ENDED]
    week.count = len(current)
    if not everyone:
        return week
    meetings = sorted(
        ((rel.next_meeting_on, rel) for rel in current if rel.next_meeting_on is not None),
        key=lambda pair: (pair[0], pair[1].person.chosen_name),
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
            if rel.state != Relationship.State.PAUSED and needs_keep_in_touch(rel, today)
        ),
        key=lambda rel: rel.last_contact_on or rel.started_on or today,
    )

    people = {rel.person_id: rel.person for rel in everyone}
    organisation_of = {rel.person_id: rel.organisation for rel in everyone}
    week.corrections = list(
        CorrectionRequest.objects.filter(
            person_id__in=people, status=CorrectionRequest.Status.ASKED
        ).order_by("created_at", "id")
    )
    for correction in week.corrections:
        correction.person = people[correction.person_id]

    led = policy.organisations_where(user, Role.LEAD)
    spends = SpendRequest.objects.filter(person_id__in=people).filter(
        Q(status=SpendRequest.Status.REQUESTED)
        | (Q(decided_at__gt=since) & ~Q(decided_by=user) & ~Q(status=SpendRequest.Status.REQUESTED))
    )
    for spend in spends.select_related("decided_by").order_by("created_at", "id"):
        spend.person = people[spend.person_id]
        spend.amount = pounds(spend.amount_pence)  # type: ignore[attr-defined]  # for the page
        organisation = organisation_of[spend.person_id]
        if spend.status != SpendRequest.Status.REQUESTED:
            week.spends_decided.append(spend)
        elif (
            organisation.pk in led or spend.amount_pence <= organisation.coach_approval_limit_pence
        ):
            week.spends_to_decide.append(spend)
        else:
            week.spends_with_lead.append(spend)
    week.spends_decided.sort(key=lambda spend: spend.decided_at or since, reverse=True)

    # When the person said no: the audit entry of the decline (the goal keeps no date).
    declined_at = (
        AuditEntry.objects.filter(
            person_id=OuterRef("person_id"),
            object_type="coaching.goal",
            object_id=OuterRef("pk_text"),
            detail=GOAL_DECLINED,
        )
        .order_by("-at")
        .values("at")[:1]
    )
    answered = (
        Goal.objects.filter(person_id__in=people, suggested_by__isnull=False)
        .filter(Q(accepted_at__gt=since) | Q(status=Goal.Status.CHANGED_MY_MIND))
        .annotate(pk_text=Cast("pk", CharField()))
        .annotate(declined_at=Subquery(declined_at))
        .filter(Q(accepted_at__gt=since) | Q(accepted_at__isnull=True, declined_at__gt=since))
    )
    for goal in answered:
        goal.person = people[goal.person_id]
        accepted = goal.accepted_at is not None
        at = goal.accepted_at if accepted else goal.declined_at
        week.answers.append(Answer(goal=goal, accepted=accepted, at=at))
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


def quiet_relationships(organisations: list[Organisation], today: date) -> Any:
    """Open relationships in these organisations with no contact for a long time, the
    quietest first (a queryset: the home takes the first few, the list pages them)."""
    return (
        Relationship.objects.exclude(state=Relationship.State.ENDED)
        .annotate(contact=Coalesce("last_contact_on", "started_on"))
        .filter(_quiet_filter(organisations, today))
        .order_by("contact", "id")
    )


def _by_organisation(rows: Any, key: str = "organisation_id") -> dict[int, dict[str, Any]]:
    return {row[key]: row for row in rows}


def _numbers(organisations: list[Organisation], today: date) -> dict[int, dict[str, Any]]:
    """The organisation's numbers at a glance, in five queries for any number of them. Exact:
    a lead may open every record these count (the list behind each number names them), so
    disclosure control, which is for figures that leave the organisation, would only hide
    from the lead what the next click shows (a small organisation saw "fewer than 10" in
    every line)."""
    ids = [organisation.pk for organisation in organisations]
    month_start = today.replace(day=1)
    people = _by_organisation(
        Person.objects.filter(organisation_id__in=ids)
        .values("organisation_id")
        .annotate(
            n=Count("id"),
            allocation=Sum(
                Case(
                    When(
                        budget_allocation_pence=0, then=F("organisation__budget_allocation_pence")
                    ),
                    default=F("budget_allocation_pence"),
                    output_field=IntegerField(),
                )
            ),
        )
    )
    states = _state_counts(ids)
    check_ins = _by_organisation(
        CheckIn.objects.filter(person__organisation_id__in=ids, taken_on__gte=month_start)
        .values("person__organisation_id")
        .annotate(n=Count("id")),
        "person__organisation_id",
    )
    committed = _by_organisation(
        SpendRequest.objects.filter(person__organisation_id__in=ids, status__in=COMMITTED)
        .values("person__organisation_id")
        .annotate(total=Sum("amount_pence")),
        "person__organisation_id",
    )
    paid = _by_organisation(
        Payment.objects.filter(spend_request__person__organisation_id__in=ids)
        .values("spend_request__person__organisation_id")
        .annotate(total=Sum("amount_pence")),
        "spend_request__person__organisation_id",
    )
    labels = dict(Relationship.State.choices)
    numbers = {}
    for organisation in organisations:
        own = people.get(organisation.pk, {})
        by_state = states.get(organisation.pk, {})
        cells = {state: Cell(by_state.get(state, 0)) for state in labels}
        total = Cell(sum(by_state.values()))
        allocation = int(own.get("allocation") or 0)
        spent = int(committed.get(organisation.pk, {}).get("total") or 0)
        numbers[organisation.pk] = {
            "people": Cell(own.get("n", 0)),
            "stages": [
                {"state": state, "label": labels[state], "cell": cell}
                for state, cell in cells.items()
            ],
            "relationships": total,
            "check_ins": Cell(check_ins.get(organisation.pk, {}).get("n", 0)),
            "month": month_start,
            "allocation": pounds(allocation),
            "committed": pounds(spent),
            "paid": pounds(paid.get(organisation.pk, {}).get("total") or 0),
            "left": pounds(allocation - spent),
            "percent": round(100 * spent / allocation) if allocation else 0,
        }
    return numbers


def _first(rows: Any) -> tuple[list[Any], bool]:
    """The first QUEUE_LENGTH rows, and whether there are more (one query)."""
    found = list(rows[: QUEUE_LENGTH + 1])
    return found[:QUEUE_LENGTH], len(found) > QUEUE_LENGTH


def lead_queue(user: Any, *, today: date | None = None) -> dict[str, Any] | None:
    """A lead's queue for each organisation they lead: spend requests over the coaches' limit
    waiting for their decision, erasure requests, correction requests unanswered for more
    than a week, relationships with no contact for a long time, and the numbers at a glance.
    Eleven queries for any number of organisations and people."""
    today = today or timezone.localdate()
    ids = sorted(policy.organisations_where(user, Role.LEAD))
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name", "pk"))
    if not organisations:
        return None
    week_ago = timezone.now() - timedelta(days=7)
    spends, more_spends = _first(
        SpendRequest.objects.filter(
            person__organisation_id__in=ids,
            status=SpendRequest.Status.REQUESTED,
            amount_pence__gt=F("person__organisation__coach_approval_limit_pence"),
        )
        .select_related("person", "requested_by")
        .order_by("created_at", "id")
    )
    for spend in spends:
        spend.amount = pounds(spend.amount_pence)
    erasures, more_erasures = _first(
        ErasureRequest.objects.filter(organisation_id__in=ids, status=ErasureRequest.Status.ASKED)
        .select_related("person")
        .order_by("asked_at", "id")
    )
    corrections, more_corrections = _first(
        CorrectionRequest.objects.filter(
            person__organisation_id__in=ids,
            status=CorrectionRequest.Status.ASKED,
            created_at__lt=week_ago,
        )
        .select_related("person")
        .order_by("created_at", "id")
    )
    quiet_rows = quiet_relationships(organisations, today)
    quiet, _ = _first(quiet_rows.select_related("person", "coach"))
    quiet_count = quiet_rows.count()
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


def everyone(
    organisation: Organisation, *, show: str, page: Any, today: date | None = None
) -> dict[str, Any]:
    """Every relationship in the organisation (or those one number on the home counts), a
    page at a time: three queries however many there are."""
    today = today or timezone.localdate()
    if show == QUIET:
        rows = quiet_relationships([organisation], today)
    else:
        rows = Relationship.objects.filter(organisation=organisation).annotate(
            contact=Coalesce("last_contact_on", "started_on")
        )
        if show == CHECKED_IN:
            rows = rows.filter(person__check_ins__taken_on__gte=today.replace(day=1)).distinct()
        elif show in Relationship.State.values:
            rows = rows.filter(state=show)
        rows = rows.order_by("person__chosen_name", "id")
    rows = rows.select_related("person", "coach")
    shown: Page = Paginator(rows, PER_PAGE).get_page(page)
    return {
        "page": shown,
        "relationships": list(shown.object_list),
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
