"""The person's choices (consent): each one a new, append-only event with its time.

Only the person makes their own choices. Policy lets a coach change the record, so this
module adds one narrow rule on top of `policy.can`: the actor must be the person."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from alongside.accounts import policy
from alongside.core import audit
from alongside.core.models import AuditAction

from ..models import Barrier, CircleMember, ConsentEvent, Person

Choice = ConsentEvent.Choice
CIRCLE_PARTS = {
    "goals": "Your goals",
    "strengths": "Your strengths",
    "check_ins": "Your check-ins",
    "safety_plan": "Your safety plan",
    "conversations": "Notes from your conversations",
}


def is_the_person(actor: Any, person: Person) -> bool:
    return person.user_id is not None and person.user_id == getattr(actor, "pk", None)


def require_the_person(actor: Any, person: Person, detail: str) -> None:
    """Policy first (PERSON_CHANGE), then: only the person themselves."""
    policy.require(actor, policy.Action.PERSON_CHANGE, person, detail=detail)
    if not is_the_person(actor, person):
        audit.record(actor, AuditAction.DENIED, person, detail=f"{detail}: only the person")
        raise PermissionDenied


def consent_record(
    actor: Any,
    person: Person,
    choice: str,
    given: bool,
    scope: str = "",
    details: dict[str, Any] | None = None,
) -> ConsentEvent:
    """Append one choice. Withdrawing is simply a new event with given=False."""
    require_the_person(actor, person, "choice")
    if choice not in Choice.values:
        raise ValueError("unknown choice")
    scope = str(scope or "")
    details = dict(details or {})
    barriers = Barrier.objects.none()
    if choice == Choice.SHARE_BARRIERS:
        barriers = Barrier.objects.filter(person=person)
        if scope:
            barriers = barriers.filter(pk=int(scope))
            if not barriers.exists():
                raise ValueError("not one of your barriers")
    elif choice == Choice.CIRCLE_ACCESS:
        if not scope or not CircleMember.objects.filter(person=person, pk=int(scope)).exists():
            raise ValueError("not someone in your circle")
        details = {"parts": [part for part in details.get("parts", []) if part in CIRCLE_PARTS]}
    elif choice == Choice.CREDIT_AS:
        details = {"credit": str(details.get("credit", ""))[:200]}
        scope = ""
    else:
        scope = ""
        details = {}
    with transaction.atomic():
        event = ConsentEvent.objects.create(
            person=person, choice=choice, given=given, scope=scope, details=details, by=actor
        )
        if choice == Choice.SHARE_BARRIERS:
            # Keep the flag on the barrier in step, in the same transaction.
            barriers.update(share_with_convening=given)
        audit.record(
            actor,
            AuditAction.CREATE,
            event,
            detail=f"choice {choice} {'given' if given else 'withdrawn'}",
            organisation_id=person.organisation_id,
        )
    return event
