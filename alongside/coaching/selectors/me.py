"""Reads for the person's own space (/me/): everything recorded about them, in one go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from alongside.core.models import AuditAction, AuditEntry

from ..models import CorrectionRequest, Goal, Payment, Person, SpendRequest
from .checkins import charts_for_person
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
    entries = list(
        AuditEntry.objects.filter(
            person_id=person.pk,
            object_type="coaching.person",
            object_id=str(person.pk),
        )
        .filter(action__in=[AuditAction.CHANGE, AuditAction.CREATE])
        .order_by("at", "id")
    )
    actor_ids = {e.actor_id for e in entries if e.actor_id}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=actor_ids)}
    notes: list[PassphraseNote] = []
    last_issuer = None
    for entry in entries:
        if entry.action == AuditAction.CREATE and entry.detail.startswith("invite code"):
            last_issuer = users.get(entry.actor_id) if entry.actor_id else None
        elif entry.action == AuditAction.CHANGE and entry.detail == SIGN_IN_SET_UP:
            # The first time is setting up; after that it is a new passphrase.
            first_time = not notes and _new_sign_in(person, entry.at)
            notes.append(
                PassphraseNote(at=entry.at, first_time=first_time, by_name=_name(last_issuer))
            )
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


def everything(person: Person) -> dict[str, Any]:
    """Every kind of entry recorded about the person. Nothing is left out: the safety plan
    is always shown to the person themselves."""
    spends = list(
        person.spend_requests.select_related("goal")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on")))
        .order_by("-created_at", "-id")
    )
    return {
        "person": person,
        "relationships": list(
            person.relationships.select_related("coach", "organisation").order_by("-started_on")
        ),
        "conversations": list(person.conversations.select_related("written_by")),
        "goals": list(
            person.goals.select_related("suggested_by")
            .prefetch_related("steps")
            .order_by("-created_at", "-id")
        ),
        "strengths": list(person.strengths.order_by("kind", "created_at")),
        "check_in_groups": charts_for_person(person),
        "check_in_count": person.check_ins.count(),
        "milestones": list(person.milestones.order_by("-happened_on", "-id")),
        "spend_requests": spends,
        "spend_statuses": dict(SpendRequest.Status.choices),
        "barriers": list(person.barriers.order_by("-created_at", "-id")),
        "safety_plan": latest_plan(person),
        "circle": list(person.circle.all()),
        "corrections": corrections(person),
    }


def home(person: Person) -> dict[str, Any]:
    return {
        "person": person,
        "passphrase_notes": passphrase_notes(person),
        "suggested": suggested_goals(person),
        "open_corrections": [c for c in corrections(person) if c.status == "asked"],
        "goals": list(
            person.goals.exclude(status=Goal.Status.CHANGED_MY_MIND)
            .filter(accepted_at__isnull=False)
            .order_by("-created_at")[:10]
        ),
        "relationships": list(
            person.relationships.select_related("coach", "organisation").order_by("-started_on")
        ),
    }
