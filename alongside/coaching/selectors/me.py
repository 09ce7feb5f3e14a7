"""Reads for the person's own space (/me/): everything recorded about them, in one go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.text import capfirst

from alongside.core.charts import number
from alongside.core.models import AuditAction, AuditEntry
from alongside.core.money import pounds
from alongside.core.paths import path_to
from alongside.core.words import day_words

from ..models import (
    CheckIn,
    CircleMember,
    CorrectionRequest,
    Goal,
    GoalStep,
    Payment,
    Person,
    Relationship,
    SpendRequest,
    Strength,
)
from .checkins import _definition_for, _definitions, charts_for_person
from .safety import latest_plan

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


def passphrase_notes(person: Person) -> list[PassphraseNote]:
    """Each time the person set their passphrase with an invite code, newest first, with
    who gave them the code (from the audit log about their record)."""
    # Each entry with the name of who made it (the actor joined in: the audit log keeps no
    # database constraint on them, so one who is gone has no name, as when nobody is named).
    entries: list[Any] = list(
        AuditEntry.objects.filter(
            person_id=person.pk,
            object_type="coaching.person",
            object_id=str(person.pk),
        )
        .filter(action__in=[AuditAction.CHANGE, AuditAction.CREATE])
        .order_by("at", "id")
        .values_list("action", "detail", "at", "actor__first_name", "actor__username")
    )
    notes: list[PassphraseNote] = []
    last_issuer = _name(None)
    for action, detail, at, first_name, username in entries:
        if action == AuditAction.CREATE and detail.startswith("invite code"):
            # As `_name` says the issuer: their first name, else their username.
            last_issuer = first_name or username or _name(None)
        elif action == AuditAction.CHANGE and detail == SIGN_IN_SET_UP:
            # The first time is setting up; after that it is a new passphrase.
            first_time = not notes and _new_sign_in(person, at)
            notes.append(PassphraseNote(at=at, first_time=first_time, by_name=last_issuer))
    return list(reversed(notes))


def corrections(person: Person) -> list[CorrectionRequest]:
    return list(person.corrections.select_related("decided_by").order_by("-created_at", "-id"))


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


def _by_parent(rows: Any, key: str) -> dict[int, list[dict[str, Any]]]:
    """Rows (dicts, already in order) in lists by their parent's id, taken out of each row."""
    groups: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row.pop(key), []).append(row)
    return groups


def everything(person: Person) -> dict[str, Any]:
    """Every kind of entry recorded about the person. Nothing is left out: the safety plan
    is always shown to the person themselves.

    Each part comes as plain rows (dicts) with its dates, names, labels, money and addresses
    already in words, read without building a model for each row: the page then says them
    as they are rather than looking each one up on a model (a long record was slow)."""
    check_ins = list(person.check_ins.order_by("taken_on", "id"))
    return {
        "person": person,
        "relationships": _relationships(person),
        "conversations": _talks(person),
        "goals": _goals(person),
        "strengths": _strengths(person),
        "check_in_groups": charts_for_person(person, check_ins),
        "check_in_count": len(check_ins),
        "milestones": [
            {
                "day": day_words(m["happened_on"]),
                "kind": capfirst(m["kind"]),
                "words": m["words"],
            }
            for m in person.milestones.order_by("-happened_on", "-id").values(
                "happened_on", "kind", "words"
            )
        ],
        "spend_requests": _spends(person),
        "barriers": list(
            person.barriers.order_by("-created_at", "-id").values(
                "service", "what_happened", "what_we_did", "outcome"
            )
        ),
        "safety_plan": latest_plan(person),
        "circle": [
            {
                "name": m["name"],
                "kind": CIRCLE_KINDS.get(m["kind"], m["kind"]).lower(),
                "about": m["about"],
            }
            for m in person.circle.values("name", "kind", "about")
        ],
        "corrections": corrections(person),
    }


def _relationships(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "coach": rel["coach__first_name"] or rel["coach__username"],
            "state": STATES.get(rel["state"], rel["state"]),
            "intensity": INTENSITIES.get(rel["intensity"], rel["intensity"]),
            "since": day_words(rel["started_on"]),
            "next_meeting": day_words(rel["next_meeting_on"]),
            "keep_in_touch": rel["keep_in_touch"],
        }
        for rel in person.relationships.order_by("-started_on").values(
            "coach__first_name",
            "coach__username",
            "state",
            "intensity",
            "started_on",
            "next_meeting_on",
            "keep_in_touch",
        )
    ]


def _talks(person: Person) -> list[dict[str, Any]]:
    reflection = _addresses("me:reflection", _ID)
    ask = _addresses("me:correction_ask", "conversation", _ID, "notes")
    return [
        {
            "day": day_words(talk["happened_on"]),
            "place": talk["place"],
            "notes": talk["notes"],
            "reflection": talk["reflection"],
            # As "first name, else username" said it; "" when nobody is named.
            "written_by": talk["written_by__first_name"] or talk["written_by__username"] or "",
            "reflection_path": reflection(talk["id"]),
            "correction_path": ask(talk["id"]),
        }
        for talk in person.conversations.values(
            "id",
            "happened_on",
            "place",
            "notes",
            "reflection",
            "written_by__first_name",
            "written_by__username",
        )
    ]


def _goals(person: Person) -> list[dict[str, Any]]:
    page = _addresses("me:goal", _ID)
    ask = _addresses("me:correction_ask", "goal", _ID, "words")
    goals = list(
        person.goals.order_by("-created_at", "-id").values(
            "id", "words", "why_it_matters", "status", "suggested_by_id", "accepted_at"
        )
    )
    steps = (
        _by_parent(
            GoalStep.objects.filter(goal__in=[goal["id"] for goal in goals]).values(
                "goal_id", "words", "done_on"
            ),
            "goal_id",
        )
        if goals
        else {}
    )
    rows = []
    for goal in goals:
        suggested = goal["suggested_by_id"] is not None
        rows.append(
            {
                "words": goal["words"],
                "path": page(goal["id"]),
                # A suggestion not yet accepted says so, unless the person changed their mind.
                "status": "Suggested by your coach"
                if suggested
                and goal["accepted_at"] is None
                and goal["status"] != Goal.Status.CHANGED_MY_MIND
                else GOAL_STATUSES.get(goal["status"], goal["status"]),
                "why_it_matters": goal["why_it_matters"],
                "steps": [
                    {"words": step["words"], "done": day_words(step["done_on"])}
                    for step in steps.get(goal["id"], [])
                ],
                # Only the words a coach suggested can be asked to change.
                "correction_path": ask(goal["id"]) if suggested else "",
            }
        )
    return rows


def _strengths(person: Person) -> list[dict[str, Any]]:
    ask = _addresses("me:correction_ask", "strength", _ID, "words")
    return [
        {
            "kind": STRENGTH_KINDS.get(strength["kind"], strength["kind"]),
            "words": strength["words"],
            # What someone else wrote (not the person) can be asked to change.
            "correction_path": ask(strength["id"])
            if strength["added_by_id"] and strength["added_by_id"] != person.user_id
            else "",
        }
        for strength in person.strengths.order_by("kind", "created_at").values(
            "id", "kind", "words", "added_by_id"
        )
    ]


def _spends(person: Person) -> list[dict[str, Any]]:
    spends = list(
        person.spend_requests.order_by("-created_at", "-id").values(
            "id", "what_for", "amount_pence", "status", "decision_note"
        )
    )
    payments = (
        _by_parent(
            Payment.objects.filter(spend_request__in=[s["id"] for s in spends])
            .order_by("paid_on")
            .values("spend_request_id", "amount_pence", "paid_on"),
            "spend_request_id",
        )
        if spends
        else {}
    )
    return [
        {
            "what_for": s["what_for"],
            "amount": pounds(s["amount_pence"]),
            "status": SPEND_STATUSES.get(s["status"], s["status"]),
            "decision_note": s["decision_note"],
            "payments": [
                {"amount": pounds(p["amount_pence"]), "day": day_words(p["paid_on"])}
                for p in payments.get(s["id"], [])
            ],
        }
        for s in spends
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


def my_goals(person: Person, today: date) -> MyGoals:
    """One query however many goals and steps: each goal with its steps joined in (a row
    for each step, and one with no step for a goal that has none), goals newest first and
    each goal's steps in order."""
    page = _addresses("me:goal", _ID)
    by_id: dict[int, dict[str, Any]] = {}
    for row in person.goals.order_by("-created_at", "-id", "steps__created_at", "steps__id").values(
        *_GOAL_FIELDS, "steps__pk", "steps__words", "steps__done_on"
    ):
        goal = by_id.get(row["pk"])
        if goal is None:
            goal = by_id[row["pk"]] = {field: row[field] for field in _GOAL_FIELDS}
            goal.update(path=page(row["pk"]), steps=[])
        if row["steps__pk"] is not None:
            goal["steps"].append(
                {
                    "pk": row["steps__pk"],
                    "words": row["steps__words"],
                    "done_on": row["steps__done_on"],
                }
            )
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


def latest_check_in(person: Person, today: date) -> LatestCheckIn | None:
    """The person's latest check-in, each answer beside the average the instrument carries
    (the ONS4 file holds the UK means). One query, two if the organisation's own instrument
    definition is needed."""
    latest = person.check_ins.order_by("-taken_on", "-id").first()
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


def home(person: Person) -> dict[str, Any]:
    """Everything the person's home shows, in a fixed number of queries, as plain rows."""
    today = timezone.localdate()
    relationships = [
        {
            # As `_name` says a coach: their first name, else their username.
            "coach": rel["coach__first_name"] or rel["coach__username"],
            "organisation": rel["organisation__name"],
            "state": rel["state"],
            "state_words": STATES.get(rel["state"], rel["state"]).lower(),
            "next_meeting_on": rel["next_meeting_on"],
        }
        for rel in person.relationships.order_by("-started_on").values(
            "coach__first_name", "coach__username", "organisation__name", "state", "next_meeting_on"
        )
    ]
    goals = my_goals(person, today)
    return {
        "person": person,
        "today": today,
        "passphrase_notes": passphrase_notes(person),
        "suggested": goals.suggested,
        "my_goals": goals,
        "open_corrections": list(
            person.corrections.filter(status=CorrectionRequest.Status.ASKED)
            .order_by("-created_at", "-id")
            .values_list("as_written", flat=True)
        ),
        "relationships": relationships,
        "next_meeting": next_meeting(relationships, today),
        "coach_name": next(
            (r["coach"] for r in relationships if r["state"] != Relationship.State.ENDED),
            "your coach",
        ),
        "latest_check_in": latest_check_in(person, today),
    }
