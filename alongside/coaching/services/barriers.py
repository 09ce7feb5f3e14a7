"""Writes for barriers: something in the system that got in the way, and what was done."""

from __future__ import annotations

from typing import Any

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.accounts.policy import Action
from alongside.core.models import AuditAction

from ..models import Barrier, Person

BARRIER_FIELDS = (
    "service",
    "happened_on",
    "what_happened",
    "response",
    "what_we_did",
    "outcome",
    "share_with_convening",
)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(BARRIER_FIELDS)
    if unknown:
        raise TypeError(f"unknown barrier fields: {sorted(unknown)}")
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def barrier_create(*, actor: User, person: Person, **fields: Any) -> Barrier:
    """Added by the person or a coach alongside them."""
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="barrier") as write:
        barrier = Barrier.objects.create(person=person, **_clean(fields))
        write.audit(AuditAction.CREATE, barrier, detail="barrier added")
    return barrier


def barrier_update(*, actor: User, barrier: Barrier, **fields: Any) -> Barrier:
    cleaned = _clean(fields)
    with policy.writing(actor, Action.PERSON_CHANGE, barrier.person, detail="barrier") as write:
        for name, value in cleaned.items():
            setattr(barrier, name, value)
        barrier.save(update_fields=list(cleaned))
        detail = "barrier changed"
        if "share_with_convening" in cleaned:
            detail += ", shared" if barrier.share_with_convening else ", not shared"
        write.audit(AuditAction.CHANGE, barrier, detail=detail)
    return barrier
