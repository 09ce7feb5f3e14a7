"""The person's choices (consent): each one a new, append-only event with its time.

Only the person makes their own choices: the policy's PERSON_SELF. The events are
append-only in the ORM and, since coaching migration 0004, in the database too."""

from __future__ import annotations

from typing import Any

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.accounts.policy import Action
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


def consent_record(
    *,
    actor: User,
    person: Person,
    choice: str,
    given: bool,
    scope: str = "",
    details: dict[str, Any] | None = None,
) -> ConsentEvent:
    """Append one choice. Withdrawing is simply a new event with given=False."""
    with policy.writing(actor, Action.PERSON_SELF, person, detail="choice") as write:
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
            parts = details.get("parts", [])
            details = {"parts": [part for part in parts if part in CIRCLE_PARTS]}
        elif choice == Choice.CREDIT_AS:
            details = {"credit": str(details.get("credit", ""))[:200]}
            scope = ""
        else:
            scope = ""
            details = {}
        event = ConsentEvent.objects.create(
            person=person, choice=choice, given=given, scope=scope, details=details, by=actor
        )
        if choice == Choice.SHARE_BARRIERS:
            # Keep the flag on the barrier in step, in the same transaction.
            barriers.update(share_with_convening=given)
        write.audit(
            AuditAction.CREATE,
            event,
            detail=f"choice {choice} {'given' if given else 'withdrawn'}",
            organisation_id=person.organisation_id,
        )
    return event
