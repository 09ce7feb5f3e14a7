"""Reads for relationships: the history on the person page, and the coach's people list."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Role

from ..models import ErasureRequest, Goal, Relationship, RelationshipChange

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


def for_record(person: Any) -> dict[str, Any]:
    """Every relationship the person has, each with its whole history, in 2 queries."""
    relationships = list(
        person.relationships.select_related("coach", "organisation")
        .prefetch_related(
            Prefetch("changes", queryset=RelationshipChange.objects.select_related("by"))
        )
        .order_by("-started_on", "-id")
    )
    for rel in relationships:
        rel.next_states = allowed_next(rel)
        for change in rel.changes.all():
            change.intensity_label = INTENSITY_LABELS.get(change.intensity, "")
            change.from_label = STATE_LABELS.get(change.from_state, "")
            change.is_intensity_only = change.from_state == change.to_state
    return {"relationships": relationships}


def needs_keep_in_touch(rel: Relationship, today: datetime.date) -> bool:
    """No contact for the organisation's number of weeks (nothing ends because of it)."""
    if rel.state == Relationship.State.ENDED:
        return False
    last = rel.last_contact_on or rel.started_on
    return last is not None and (today - last).days >= 7 * rel.organisation.keep_in_touch_weeks


def _coach_relationships(user: Any) -> list[Relationship]:
    """The coach's relationships with their people. The organisation is fetched once and
    shared (prefetched, not joined): joined, every row built its own copy of it."""
    return list(
        Relationship.objects.filter(
            coach=user, organisation_id__in=policy.organisations_where(user, Role.COACH)
        )
        # An erased record leaves the list: there is no one and nothing left to work with.
        .exclude(person__erasure_requests__status=ErasureRequest.Status.DONE)
        .select_related("person")
        .prefetch_related("organisation")
        .order_by("person__chosen_name", "id")
    )


@functools.cache
def _person_path_pattern() -> str:
    marker = 987654321
    return reverse("coaching:person", args=[marker]).replace(str(marker), "{}")


def person_path(person_id: int) -> str:
    """The person page's address, reversed once: a list of fifty people reversed the same
    URL pattern fifty times."""
    return _person_path_pattern().format(person_id)


def _short_day(day: datetime.date | None) -> str:
    return f"{day.day} {day:%b}" if day else ""


def people_for_coach(user: Any, search: str = "") -> dict[str, Any]:
    """The coach's list: who I'm seeing, what each is working on, and gentle prompts.

    Three queries however many people: the relationships (with person), their organisations,
    and everyone's open goals (their words only)."""
    today = timezone.localdate()
    everyone = _coach_relationships(user)
    words_by_person: dict[int, list[str]] = {}
    if everyone:
        for person_id, words in (
            Goal.objects.filter(
                person_id__in={rel.person_id for rel in everyone},
                status__in=[Goal.Status.DREAMING, Goal.Status.WORKING_ON_IT],
            )
            .order_by("-created_at", "-id")
            .values_list("person_id", "words")
        ):
            words_by_person.setdefault(person_id, []).append(words)
    for rel in everyone:
        rel.open_goals = words_by_person.get(rel.person_id, [])[:3]
        rel.keep_in_touch_prompt = needs_keep_in_touch(rel, today)
        rel.url = person_path(rel.person_id)
        rel.state_label = STATE_LABELS.get(rel.state, "")
        rel.last_in_touch = _short_day(rel.last_contact_on)
        rel.next_meeting = _short_day(rel.next_meeting_on)
    current = [rel for rel in everyone if rel.state != Relationship.State.ENDED]
    ended = [rel for rel in everyone if rel.state == Relationship.State.ENDED]
    if search:
        needle = search.casefold()
        current = [rel for rel in current if needle in rel.person.chosen_name.casefold()]
        ended = [rel for rel in ended if needle in rel.person.chosen_name.casefold()]
    return {
        "relationships": current,
        "ended": ended,
        "search": search,
        "keep_in_touch": [] if search else [r for r in current if r.keep_in_touch_prompt],
        "paused": [] if search else [r for r in current if r.state == Relationship.State.PAUSED],
    }


def prompts_for_coach(user: Any) -> dict[str, Any]:
    """What the home page shows a coach, in one query."""
    today = timezone.localdate()
    current = [rel for rel in _coach_relationships(user) if rel.state != Relationship.State.ENDED]
    keep_in_touch = [rel for rel in current if needs_keep_in_touch(rel, today)]
    paused = [rel for rel in current if rel.state == Relationship.State.PAUSED]
    return {
        "relationships": current,
        "count": len(current),
        "keep_in_touch": keep_in_touch,
        "paused": paused,
        "prompts": len({rel.pk for rel in keep_in_touch + paused}),
    }
