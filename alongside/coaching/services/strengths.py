"""Strengths and assets: what the person has going for them, added by them or their coach."""

from __future__ import annotations

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.accounts.policy import Action
from alongside.core.models import AuditAction

from ..models import Person, Strength


def strength_create(*, actor: User, person: Person, kind: str, words: str) -> Strength:
    if kind not in Strength.Kind.values:
        raise ValueError("unknown kind of strength")
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="strength add") as write:
        strength = Strength.objects.create(person=person, kind=kind, words=words, added_by=actor)
        write.audit(AuditAction.CREATE, strength, detail="strength added")
    return strength
