"""Reads for the person's own space (/me/): everything recorded about them, in one go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import capfirst

from alongside.core.charts import number
from alongside.core.models import AuditAction, AuditEntry
from alongside.core.money import pounds
from alongside.core.paths import path_to
from alongside.core.words import day_words
from alongside.core.written import columns, instances, person_rows, together

from ..models import (
    Barrier,
    CheckIn,
    CircleMember,
    Conversation,
    CorrectionRequest,
    Goal,
    GoalStep,
    Milestone,
    Payment,
    Person,
    Relationship,
    SafetyPlan,
    SpendRequest,
    Strength,
)
from .checkins import _charted_query, _definition_for, _definitions, charts_for_person
from .safety import _latest_query

SIGN_IN_SET_UP = "set up sign-in with invite code"


@dataclass(frozen=True)
class PassphraseNote:
    at: datetime
    first_time: bool
    by_name: str


def _name(user: Any) -> str:
    if user is None:
        return "your coach"
    return user.first_name or user.username


def _new_sign_in(person: Person, at: datetime) -> bool:
    """Was the sign-in made by this set-up (rather than one the person already had)?"""
    user = person.user
    joined = getattr(user, "date_joined", None)
    return joined is None or abs((at - joined).total_seconds()) < 60


def _passphrase_query(person_id: int) -> QuerySet[AuditEntry, tuple[Any, ...]]:
    # Each entry with the name of who made it (the actor joined in: the audit log keeps no
    # database constraint on them, so one who is gone has no name, as when nobody is named).
    # The record an entry is about is named in text: the id, cast to text by the database.
    return (
        AuditEntry.objects.filter(
            person_id=person_id,
            object_type="coaching.person",
            object_id=Cast(Value(person_id), output_field=CharField()),
        )
        .filter(action__in=[AuditAction.CHANGE, AuditAction.CREATE])
        .order_by("at", "id")
        .values_list("action", "detail", "at", "actor__first_name", "actor__username")
    )


def passphrase_notes(person: Person) -> list[PassphraseNote]:
    """Each time the person set their passphrase with an invite code, newest first, with
    who gave them the code (from the audit log about their record)."""
    notes: list[PassphraseNote] = []
    last_issuer = _name(None)
    for action, detail, at, first_name, username in person_rows(_passphrase_query, person.pk):
        if action == AuditAction.CREATE and detail.startswith("invite code"):
            # As `_name` says the issuer: their first name, else their username.
            last_issuer = first_name or username or _name(None)
        elif action == AuditAction.CHANGE and detail == SIGN_IN_SET_UP:
            # The first time is setting up; after that it is a new passphrase.
            first_time = not notes and _new_sign_in(person, at)
            notes.append(PassphraseNote(at=at, first_time=first_time, by_name=last_issuer))
    return list(reversed(notes))


def suggested_goals(person: Person) -> list[Goal]:
    return [
        g
        for g in person.goals.select_related("suggested_by").filter(
            suggested_by__isnull=False, accepted_at__isnull=True
        )
        if g.status != Goal.Status.CHANGED_MY_MIND
    ]


STRENGTH_KINDS = dict(Strength.Kind.choices)
STATES = dict(Relationship.State.choices)
INTENSITIES = dict(Relationship.Intensity.choices)
GOAL_STATUSES = dict(Goal.Status.choices)
SPEND_STATUSES = dict(SpendRequest.Status.choices)
CIRCLE_KINDS = dict(CircleMember.Kind.choices)

# Where an id goes in an address reversed once (see `_addresses`).
_ID = 987654321


def _addresses(name: str, *args: object) -> Callable[[int], str]:
    """The address of the page `name` for any id: reversed once with a marker for the id,
    then filled in for each row (a talk page reversed two URLs for each of fifty talks)."""
    return path_to(name, args).replace(str(_ID), "{}").format


# --- everything about the person (/me/record/) ------------------------------------------------
# Each part's query is built by a module-level function of the person's id, written by the ORM
# once per connection (core.written) and, on PostgreSQL, sent with the others in one round
# trip: the page asked thirteen small queries, each built and compiled on every request.


def _relationships_query(person_id: int) -> QuerySet[Relationship, tuple[Any, ...]]:
    # The id only breaks ties between relationships started on the same day.
    return (
        Relationship.objects.filter(person_id=person_id)
        .order_by("-started_on", "-id")
        .values_list(
            "coach__first_name",
            "coach__username",
            "state",
            "intensity",
            "started_on",
            "next_meeting_on",
            "keep_in_touch",
        )
    )


def _talks_query(person_id: int) -> QuerySet[Conversation, tuple[Any, ...]]:
    return Conversation.objects.filter(person_id=person_id).values_list(
        "id",
        "happened_on",
        "place",
        "notes",
        "reflection",
        "written_by__first_name",
        "written_by__username",
    )


def _goals_query(person_id: int) -> QuerySet[Goal, tuple[Any, ...]]:
    return (
        Goal.objects.filter(person_id=person_id)
        .order_by("-created_at", "-id")
        .values_list("id", "words", "why_it_matters", "status", "suggested_by_id", "accepted_at")
    )


def _steps_query(person_id: int) -> QuerySet[GoalStep, tuple[Any, ...]]:
    # Every step of the person's goals (the steps of the goals `_goals_query` reads), in order.
    return GoalStep.objects.filter(goal__person_id=person_id).values_list(
        "goal_id", "words", "done_on"
    )


def _strengths_query(person_id: int) -> QuerySet[Strength, tuple[Any, ...]]:
    return (
        Strength.objects.filter(person_id=person_id)
        .order_by("kind", "created_at", "id")
        .values_list("id", "kind", "words", "added_by_id")
    )


def _milestones_query(person_id: int) -> QuerySet[Milestone, tuple[Any, ...]]:
    return (
        Milestone.objects.filter(person_id=person_id)
        .order_by("-happened_on", "-id")
        .values_list("happened_on", "kind", "words")
    )


def _spends_query(person_id: int) -> QuerySet[SpendRequest, tuple[Any, ...]]:
    return (
        SpendRequest.objects.filter(person_id=person_id)
        .order_by("-created_at", "-id")
        .values_list("id", "what_for", "amount_pence", "status", "decision_note")
    )


def _payments_query(person_id: int) -> QuerySet[Payment, tuple[Any, ...]]:
    # Every payment towards the person's spend requests; the id breaks ties within a day.
    return (
        Payment.objects.filter(spend_request__person_id=person_id)
        .order_by("paid_on", "id")
        .values_list("spend_request_id", "amount_pence", "paid_on")
    )


def _barriers_query(person_id: int) -> QuerySet[Barrier, tuple[Any, ...]]:
    return (
        Barrier.objects.filter(person_id=person_id)
        .order_by("-created_at", "-id")
        .values_list("service", "what_happened", "what_we_did", "outcome")
    )


def _circle_query(person_id: int) -> QuerySet[CircleMember, tuple[Any, ...]]:
    # The id only breaks ties between two of one kind with the same name.
    return (
        CircleMember.objects.filter(person_id=person_id)
        .order_by("kind", "name", "id")
        .values_list("name", "kind", "about")
    )


def _corrections_query(person_id: int) -> QuerySet[CorrectionRequest, tuple[Any, ...]]:
    return (
        CorrectionRequest.objects.filter(person_id=person_id)
        .order_by("-created_at", "-id")
        .values_list(*columns(CorrectionRequest))
    )


_EVERYTHING = (
    _relationships_query,
    _talks_query,
    _goals_query,
    _steps_query,
    _strengths_query,
    _charted_query,
    _milestones_query,
    _spends_query,
    _payments_query,
    _barriers_query,
    _latest_query,
    _circle_query,
    _corrections_query,
)


def everything(person: Person) -> dict[str, Any]:
    """Every kind of entry recorded about the person. Nothing is left out: the safety plan
    is always shown to the person themselves.

    Each part comes as plain rows (dicts) with its dates, names, labels, money and addresses
    already in words, read without building a model for each row: the page then says them
    as they are rather than looking each one up on a model (a long record was slow)."""
    pk = person.pk
    with together(_EVERYTHING, pk):
        # Only what the charts use: no CheckIn instances to build.
        taken = person_rows(_charted_query, pk)
        # The latest plan, without its writer (latest_plan's join): the page doesn't name them.
        plan = next(iter(instances(SafetyPlan, person_rows(_latest_query, pk))), None)
        if plan is not None:
            plan.person = person
        return {
            "person": person,
            "relationships": _relationships(pk),
            "conversations": _talks(pk),
            "goals": _goals(pk),
            "strengths": _strengths(person),
            "check_in_groups": charts_for_person(person, taken=taken),
            "check_in_count": len(taken),
            "milestones": [
                {"day": day_words(happened_on), "kind": capfirst(kind), "words": words}
                for happened_on, kind, words in person_rows(_milestones_query, pk)
            ],
            "spend_requests": _spends(pk),
            "barriers": [
                {
                    "service": service,
                    "what_happened": what_happened,
                    "what_we_did": what_we_did,
                    "outcome": outcome,
                }
                for service, what_happened, what_we_did, outcome in person_rows(_barriers_query, pk)
            ],
            "safety_plan": plan,
            "circle": [
                {"name": name, "kind": CIRCLE_KINDS.get(kind, kind).lower(), "about": about}
                for name, kind, about in person_rows(_circle_query, pk)
            ],
            # Without who decided (corrections' join): the page doesn't name them.
            "corrections": instances(CorrectionRequest, person_rows(_corrections_query, pk)),
        }


def _relationships(person_id: int) -> list[dict[str, Any]]:
    return [
        {
            "coach": first_name or username,
            "state": STATES.get(state, state),
            "intensity": INTENSITIES.get(intensity, intensity),
            "since": day_words(started_on),
            "next_meeting": day_words(next_meeting_on),
            "keep_in_touch": keep_in_touch,
        }
        for (
            first_name,
            username,
            state,
            intensity,
            started_on,
            next_meeting_on,
            keep_in_touch,
        ) in person_rows(_relationships_query, person_id)
    ]


def _talks(person_id: int) -> list[dict[str, Any]]:
    reflection = _addresses("me:reflection", _ID)
    ask = _addresses("me:correction_ask", "conversation", _ID, "notes")
    return [
        {
            "day": day_words(happened_on),
            "place": place,
            "notes": notes,
            "reflection": thoughts,
            # As "first name, else username" said it; "" when nobody is named.
            "written_by": first_name or username or "",
            "reflection_path": reflection(pk),
            "correction_path": ask(pk),
        }
        for pk, happened_on, place, notes, thoughts, first_name, username in person_rows(
            _talks_query, person_id
        )
    ]


def _goals(person_id: int) -> list[dict[str, Any]]:
    page = _addresses("me:goal", _ID)
    ask = _addresses("me:correction_ask", "goal", _ID, "words")
    goals = person_rows(_goals_query, person_id)
    steps: dict[int, list[dict[str, Any]]] = {}
    if goals:
        for goal_id, words, done_on in person_rows(_steps_query, person_id):
            steps.setdefault(goal_id, []).append({"words": words, "done": day_words(done_on)})
    rows = []
    for pk, words, why_it_matters, status, suggested_by_id, accepted_at in goals:
        suggested = suggested_by_id is not None
        rows.append(
            {
                "words": words,
                "path": page(pk),
                # A suggestion not yet accepted says so, unless the person changed their mind.
                "status": "Suggested by your coach"
                if suggested and accepted_at is None and status != Goal.Status.CHANGED_MY_MIND
                else GOAL_STATUSES.get(status, status),
                "why_it_matters": why_it_matters,
                "steps": steps.get(pk, []),
                # Only the words a coach suggested can be asked to change.
                "correction_path": ask(pk) if suggested else "",
            }
        )
    return rows


def _strengths(person: Person) -> list[dict[str, Any]]:
    ask = _addresses("me:correction_ask", "strength", _ID, "words")
    return [
        {
            "kind": STRENGTH_KINDS.get(kind, kind),
            "words": words,
            # What someone else wrote (not the person) can be asked to change.
            "correction_path": ask(pk) if added_by_id and added_by_id != person.user_id else "",
        }
        for pk, kind, words, added_by_id in person_rows(_strengths_query, person.pk)
    ]


def _spends(person_id: int) -> list[dict[str, Any]]:
    spends = person_rows(_spends_query, person_id)
    payments: dict[int, list[dict[str, str]]] = {}
    if spends:
        for spend_id, amount_pence, paid_on in person_rows(_payments_query, person_id):
            payments.setdefault(spend_id, []).append(
                {"amount": pounds(amount_pence), "day": day_words(paid_on)}
            )
    return [
        {
            "what_for": what_for,
            "amount": pounds(amount_pence),
            "status": SPEND_STATUSES.get(status, status),
            "decision_note": decision_note,
            "payments": payments.get(pk, []),
        }
        for pk, what_for, amount_pence, status, decision_note in spends
    ]


# --- the person's home -----------------------------------------------------------------------


def day_in_words(day: date, today: date) -> str:
    """A day as people say it: "Thursday 3 December", with the year when it is not this
    one; "Today, Tuesday 1 December", "Tomorrow, ..." or "Yesterday, ..." when that close."""
    words = day_words(day, leave_out_year=today.year)
    near = {0: "Today", 1: "Tomorrow", -1: "Yesterday"}.get((day - today).days)
    return f"{near}, {words}" if near else words


@dataclass(frozen=True)
class NextMeeting:
    on: date
    words: str  # "Thursday 3 December"
    with_name: str  # the coach's first name
    organisation: str


@dataclass(frozen=True)
class MyGoals:
    """Every goal that is the person's: the ones they wrote and the ones they said yes to.
    Declined suggestions were never theirs and are not here. Each goal is a plain row (a
    dict) with its words, addresses and days already worked out for the page."""

    suggested: list[dict[str, Any]]  # a coach's ideas, waiting for a yes or a no
    active: list[dict[str, Any]]  # working on it first, then dreaming
    achieved: list[dict[str, Any]]  # most recent first
    changed_mind: list[dict[str, Any]]

    @property
    def count(self) -> int:
        return len(self.active) + len(self.achieved) + len(self.changed_mind)


_GOAL_FIELDS = (
    "pk",
    "words",
    "why_it_matters",
    "status",
    "suggested_by_id",
    "accepted_at",
    "achieved_on",
)


def _my_goals_query(person_id: int) -> QuerySet[Goal, tuple[Any, ...]]:
    return (
        Goal.objects.filter(person_id=person_id)
        .order_by("-created_at", "-id", "steps__created_at", "steps__id")
        .values_list(*_GOAL_FIELDS, "steps__pk", "steps__words", "steps__done_on")
    )


def my_goals(person: Person, today: date) -> MyGoals:
    """One query however many goals and steps: each goal with its steps joined in (a row
    for each step, and one with no step for a goal that has none), goals newest first and
    each goal's steps in order."""
    page = _addresses("me:goal", _ID)
    by_id: dict[int, dict[str, Any]] = {}
    for *fields, step_pk, step_words, done_on in person_rows(_my_goals_query, person.pk):
        goal = by_id.get(fields[0])
        if goal is None:
            goal = by_id[fields[0]] = dict(zip(_GOAL_FIELDS, fields, strict=True))
            goal.update(path=page(fields[0]), steps=[])
        if step_pk is not None:
            goal["steps"].append({"pk": step_pk, "words": step_words, "done_on": done_on})
    goals = list(by_id.values())
    # As Goal.is_suggestion says it: a coach's idea not yet accepted.
    suggested = [
        g
        for g in goals
        if g["suggested_by_id"] is not None
        and g["accepted_at"] is None
        and g["status"] != Goal.Status.CHANGED_MY_MIND
    ]
    mine = [g for g in goals if g["suggested_by_id"] is None or g["accepted_at"] is not None]
    working = [g for g in mine if g["status"] == Goal.Status.WORKING_ON_IT]
    dreaming = [g for g in mine if g["status"] == Goal.Status.DREAMING]
    achieved = sorted(
        (g for g in mine if g["status"] == Goal.Status.ACHIEVED),
        key=lambda g: g["achieved_on"] or date.min,
        reverse=True,
    )
    changed = [g for g in mine if g["status"] == Goal.Status.CHANGED_MY_MIND]
    active = working + dreaming
    achieved_form = _addresses("me:goal_achieved", _ID)
    for goal in active:
        goal["status_label"] = GOAL_STATUSES.get(goal["status"], goal["status"])
        goal["achieved_path"] = achieved_form(goal["pk"])
    for goal in achieved:
        # "Tuesday 1 December", with the year when it is not this one.
        goal["achieved_words"] = day_words(goal["achieved_on"], leave_out_year=today.year)
    accept, decline = _addresses("me:goal_accept", _ID), _addresses("me:goal_decline", _ID)
    for goal in suggested:
        goal["accept_path"] = accept(goal["pk"])
        goal["decline_path"] = decline(goal["pk"])
    return MyGoals(suggested, active, achieved, changed)


def next_meeting(relationships: list[dict[str, Any]], today: date) -> NextMeeting | None:
    """The soonest meeting still to come, in any relationship the person has not ended."""
    coming = sorted(
        (
            r
            for r in relationships
            if r["next_meeting_on"] is not None
            and r["next_meeting_on"] >= today
            and r["state"] != Relationship.State.ENDED
        ),
        key=lambda r: r["next_meeting_on"] or today,
    )
    if not coming:
        return None
    soonest = coming[0]
    return NextMeeting(
        on=soonest["next_meeting_on"],
        words=day_in_words(soonest["next_meeting_on"], today),
        with_name=soonest["coach"],
        organisation=soonest["organisation"],
    )


@dataclass(frozen=True)
class Comparison:
    """One answer of the latest check-in beside the national (or reference) average, in
    words, with the geometry of a small picture (0 to 100 along the scale)."""

    label: str
    answer: int | None
    answer_text: str  # "7", or "You skipped this one"
    average_text: str  # "7.45", or "" when the instrument gives none
    words: str  # "That is about the same.", "That is a little below it." ...
    lower_is_better: bool
    # The small picture: a line along the scale, a dot for the answer, a dashed mark for
    # the average (x positions in the picture's own units, PICTURE_WIDTH wide).
    answer_x: str
    average_x: str
    low: int  # the ends of the scale, written under the line
    high: int


@dataclass(frozen=True)
class LatestCheckIn:
    check_in: CheckIn
    day_words: str  # "Tuesday 27 October"
    name: str  # the instrument's name
    average_name: str  # "UK average" for the instruments that come with Alongside
    rows: list[Comparison]


PICTURE_WIDTH = 400
PICTURE_EDGE = 12  # room for the dot at either end


def _along(value: float | None, low: int, high: int) -> str:
    """Where a value sits along the picture's line, as an SVG coordinate ("" for none)."""
    if value is None or high <= low:
        return ""
    share = min(max((value - low) / (high - low), 0.0), 1.0)
    return f"{PICTURE_EDGE + share * (PICTURE_WIDTH - 2 * PICTURE_EDGE):.1f}"


def _compare(value: int, mean: float) -> str:
    """How an answer sits beside the average, in plain words (never a judgement)."""
    gap = value - mean
    if abs(gap) < 0.5:
        return "That is about the same."
    side = "above" if gap > 0 else "below"
    return f"That is a little {side} it." if abs(gap) < 1.5 else f"That is {side} it."


def _latest_check_in_query(person_id: int) -> QuerySet[CheckIn, tuple[Any, ...]]:
    return (
        CheckIn.objects.filter(person_id=person_id)
        .order_by("-taken_on", "-id")
        .values_list(*columns(CheckIn))[:1]
    )


def latest_check_in(person: Person, today: date) -> LatestCheckIn | None:
    """The person's latest check-in, each answer beside the average the instrument carries
    (the ONS4 file holds the UK means). One query, two if the organisation's own instrument
    definition is needed."""
    latest = next(iter(instances(CheckIn, person_rows(_latest_check_in_query, person.pk))), None)
    if latest is None:
        return None
    definition = _definition_for(_definitions(person, [latest]), latest)
    if definition is None:
        return None
    average_name = "UK average" if definition.shipped else "reference average"
    rows = []
    for item in definition.items:
        value = latest.answers.get(item.key)
        mean = item.reference_mean
        rows.append(
            Comparison(
                label=item.label,
                answer=value,
                answer_text="You skipped this one" if value is None else number(value),
                average_text=number(mean),
                words=_compare(value, mean) if value is not None and mean is not None else "",
                lower_is_better=item.direction == "lower_is_better",
                answer_x=_along(value, item.min, item.max),
                average_x=_along(mean, item.min, item.max),
                low=item.min,
                high=item.max,
            )
        )
    return LatestCheckIn(
        check_in=latest,
        day_words=day_in_words(latest.taken_on, today),
        name=definition.name,
        average_name=average_name,
        rows=rows,
    )


def _home_relationships_query(person_id: int) -> QuerySet[Relationship, tuple[Any, ...]]:
    # The id only breaks ties between relationships started on the same day.
    return (
        Relationship.objects.filter(person_id=person_id)
        .order_by("-started_on", "-id")
        .values_list(
            "coach__first_name", "coach__username", "organisation__name", "state", "next_meeting_on"
        )
    )


def _open_corrections_query(person_id: int) -> QuerySet[CorrectionRequest, tuple[Any, ...]]:
    return (
        CorrectionRequest.objects.filter(person_id=person_id, status=CorrectionRequest.Status.ASKED)
        .order_by("-created_at", "-id")
        .values_list("as_written")
    )


_HOME = (
    _home_relationships_query,
    _my_goals_query,
    _passphrase_query,
    _open_corrections_query,
    _latest_check_in_query,
)


def home(person: Person) -> dict[str, Any]:
    """Everything the person's home shows, in a fixed number of queries, as plain rows."""
    today = timezone.localdate()
    with together(_HOME, person.pk):
        relationships = [
            {
                # As `_name` says a coach: their first name, else their username.
                "coach": first_name or username,
                "organisation": organisation,
                "state": state,
                "state_words": STATES.get(state, state).lower(),
                "next_meeting_on": next_meeting_on,
            }
            for first_name, username, organisation, state, next_meeting_on in person_rows(
                _home_relationships_query, person.pk
            )
        ]
        goals = my_goals(person, today)
        return {
            "person": person,
            "today": today,
            "passphrase_notes": passphrase_notes(person),
            "suggested": goals.suggested,
            "my_goals": goals,
            "open_corrections": [
                as_written for (as_written,) in person_rows(_open_corrections_query, person.pk)
            ],
            "relationships": relationships,
            "next_meeting": next_meeting(relationships, today),
            "coach_name": next(
                (r["coach"] for r in relationships if r["state"] != Relationship.State.ENDED),
                "your coach",
            ),
            "latest_check_in": latest_check_in(person, today),
        }
