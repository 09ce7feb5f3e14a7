"""Reads for relationships: the history on the person page, and the coach's people list."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Role
from alongside.core.words import day_month_year, day_short_month, day_short_month_year
from alongside.core.written import person_rows, user_rows

from ..models import ErasureRequest, Goal, Relationship, RelationshipChange
from .shaping import part_paths

# Where a relationship may go from each state. Ended is never a dead end.
ALLOWED: dict[str, set[str]] = {
    Relationship.State.GETTING_TO_KNOW: {
        Relationship.State.WORKING_TOGETHER,
        Relationship.State.PAUSED,
        Relationship.State.ENDED,
    },
    Relationship.State.WORKING_TOGETHER: {Relationship.State.PAUSED, Relationship.State.ENDED},
    Relationship.State.PAUSED: {Relationship.State.WORKING_TOGETHER, Relationship.State.ENDED},
    Relationship.State.ENDED: {Relationship.State.WORKING_TOGETHER},
}


def allowed_next(relationship: Relationship) -> set[str]:
    return ALLOWED.get(relationship.state, set())


INTENSITY_LABELS = dict(Relationship.Intensity.choices)
STATE_LABELS = dict(Relationship.State.choices)


def _change_row(change: Mapping[str, Any]) -> dict[str, Any]:
    to_label = STATE_LABELS.get(change["to_state"], change["to_state"])
    if change["from_state"] == change["to_state"]:
        what = f"Meeting {INTENSITY_LABELS.get(change['intensity'], '').lower()}"
    elif not change["from_state"]:
        what = f"{to_label}: started"
    else:
        what = to_label
    return {
        "at": day_short_month_year(change["at"]),
        "what": what,
        "to_state": change["to_state"],
        "note": change["note"],
    }


_RELATIONSHIP_COLUMNS = (
    "pk",
    "state",
    "intensity",
    "keep_in_touch",
    "last_contact_on",
    "next_meeting_on",
    "coach__first_name",
    "coach__username",
    "organisation__name",
)
_CHANGE_COLUMNS = ("relationship_id", "at", "from_state", "to_state", "intensity", "note")


def _relationships_query(person_id: int) -> QuerySet[Relationship, tuple[Any, ...]]:
    return (
        Relationship.objects.filter(person_id=person_id)
        .order_by("-started_on", "-id")
        .values_list(*_RELATIONSHIP_COLUMNS)
    )


def _changes_query(person_id: int) -> QuerySet[RelationshipChange, tuple[Any, ...]]:
    return RelationshipChange.objects.filter(relationship__person_id=person_id).values_list(
        *_CHANGE_COLUMNS
    )


# What for_record reads by the person's id, sent to the database together for the person page
# (core.written.together, in selectors.record).
RECORD_READS = (
    _relationships_query,
    _changes_query,
)


def for_record(person: Any) -> dict[str, Any]:
    """Every relationship the person has, each with its whole history, in 2 queries (written
    once, `written`): plain rows with their words and addresses worked out here (the page's
    cheapest form)."""
    rows = [
        dict(zip(_RELATIONSHIP_COLUMNS, row, strict=True))
        for row in person_rows(_relationships_query, person.pk)
    ]
    changes: dict[int, list[dict[str, Any]]] = {row["pk"]: [] for row in rows}
    for values in person_rows(_changes_query, person.pk):
        change = dict(zip(_CHANGE_COLUMNS, values, strict=True))
        changes[change["relationship_id"]].append(_change_row(change))
    paths = {
        name: part_paths(f"coaching:relationship_{name}", person.pk)
        for name in ("work_together", "pause", "intensity", "dates", "end")
    }
    relationships = []
    for row in rows:
        coach = row["coach__first_name"] or row["coach__username"] or ""
        state_label = STATE_LABELS.get(row["state"], row["state"])
        relationships.append(
            {
                "pk": row["pk"],
                "state": row["state"],
                "title": f"{state_label}, with {coach} at {row['organisation__name']}",
                "state_label": state_label,
                "last_contact_on": row["last_contact_on"],
                "next_meeting_on": row["next_meeting_on"],
                "intensity_label": INTENSITY_LABELS.get(row["intensity"], row["intensity"]),
                "keep_in_touch": row["keep_in_touch"],
                "last_contact": day_month_year(row["last_contact_on"]),
                "next_meeting": day_month_year(row["next_meeting_on"]),
                "next_states": ALLOWED.get(row["state"], set()),
                "paths": {name: path(row["pk"]) for name, path in paths.items()},
                "changes": changes[row["pk"]],
            }
        )
    return {"relationships": relationships}


def keep_in_touch_due(
    *,
    state: str,
    last_contact_on: datetime.date | None,
    started_on: datetime.date | None,
    weeks: int,
    today: datetime.date,
) -> bool:
    """No contact for the organisation's number of weeks (nothing ends because of it), from
    plain values: the lists read rows, not model instances."""
    if state == Relationship.State.ENDED:
        return False
    last = last_contact_on or started_on
    return last is not None and (today - last).days >= 7 * weeks


@functools.cache
def _person_path_pattern() -> str:
    marker = 987654321
    return reverse("coaching:person", args=[marker]).replace(str(marker), "{}")


def person_path(person_id: int) -> str:
    """The person page's address, reversed once: a list of fifty people reversed the same
    URL pattern fifty times."""
    return _person_path_pattern().format(person_id)


@dataclass
class PersonRow:
    """One person on the coach's list, as plain values and the words the page shows, worked
    out here: the template engine looks up each attribute of a model instance (and of its
    person, and its organisation) slowly, fifty cards over."""

    pk: int
    person_id: int
    name: str
    state: str
    keep_in_touch: str  # how someone who paused would like to keep in touch, in their words
    url: str
    status: str  # "Working together · last in touch 3 Nov · next meeting 5 Dec"
    in_touch: str  # for the keep-in-touch prompt: "Last in touch 3 Nov 2026."
    keep_in_touch_prompt: bool
    open_goals: list[str] = field(default_factory=list)


def _mine(user_id: int, organisation_ids: list[int]) -> QuerySet[Relationship]:
    return Relationship.objects.filter(coach_id=user_id, organisation_id__in=organisation_ids)


def _people_query(user_id: int, organisation_ids: list[int]) -> QuerySet[Any]:
    """The coach's list, as PersonRow's columns (written once: core.written)."""
    return (
        # An erased record leaves the list: there is no one and nothing left to work with.
        _mine(user_id, organisation_ids)
        .exclude(person__erasure_requests__status=ErasureRequest.Status.DONE)
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
            "organisation__keep_in_touch_weeks",
        )
    )


def _open_goals_query(user_id: int, organisation_ids: list[int]) -> QuerySet[Any]:
    """Everyone's open goals, their words only. The people are named by a subquery, not by a
    list of their ids: fifty parameters cost more to prepare and send than the subquery costs
    the database."""
    return (
        Goal.objects.filter(
            person_id__in=_mine(user_id, organisation_ids).values("person_id"),
            status__in=[Goal.Status.DREAMING, Goal.Status.WORKING_ON_IT],
        )
        .order_by("-created_at", "-id")
        .values_list("person_id", "words")
    )


def people_for_coach(user: Any, search: str = "") -> dict[str, Any]:
    """The coach's list: who I'm seeing, what each is working on, and gentle prompts.

    Two queries however many people: the relationships (with the person's name and the
    organisation's keep-in-touch weeks), and everyone's open goals (their words only)."""
    today = timezone.localdate()
    # No organisation where they coach: no query, as the ORM asked none for an empty list.
    coaching_orgs = sorted(policy.organisations_where(user, Role.COACH))
    rows = user_rows(_people_query, user.pk, coaching_orgs) if coaching_orgs else []
    everyone = []
    for pk, person_id, name, state, keep_in_touch, started, last, next_on, weeks in rows:
        status = STATE_LABELS.get(state, "")
        if last:
            status += f" · last in touch {day_short_month(last)}"
        if next_on:
            status += f" · next meeting {day_short_month(next_on)}"
        everyone.append(
            PersonRow(
                pk=pk,
                person_id=person_id,
                name=name,
                state=state,
                keep_in_touch=keep_in_touch,
                url=person_path(person_id),
                status=status,
                in_touch=(
                    f"Last in touch {day_short_month_year(last)}."
                    if last
                    else f"No contact written down since {day_short_month_year(started)}."
                ),
                keep_in_touch_prompt=keep_in_touch_due(
                    state=state,
                    last_contact_on=last,
                    started_on=started,
                    weeks=weeks,
                    today=today,
                ),
            )
        )
    if everyone:
        words_by_person: dict[int, list[str]] = {}
        for person_id, words in user_rows(_open_goals_query, user.pk, coaching_orgs):
            words_by_person.setdefault(person_id, []).append(words)
        for row in everyone:
            row.open_goals = words_by_person.get(row.person_id, [])[:3]
    current = [row for row in everyone if row.state != Relationship.State.ENDED]
    ended = [row for row in everyone if row.state == Relationship.State.ENDED]
    if search:
        needle = search.casefold()
        current = [row for row in current if needle in row.name.casefold()]
        ended = [row for row in ended if needle in row.name.casefold()]
    return {
        "relationships": current,
        "ended": ended,
        "search": search,
        "keep_in_touch": [] if search else [r for r in current if r.keep_in_touch_prompt],
        "paused": [] if search else [r for r in current if r.state == Relationship.State.PAUSED],
    }
