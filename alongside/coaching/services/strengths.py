"""Strengths and assets: what the person has going for them, added by them or their coach."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from alongside.accounts import policy
from alongside.core import audit
from alongside.core.models import AuditAction

from ..models import Person, Strength


def strength_create(actor: Any, person: Person, *, kind: str, words: str) -> Strength:
    policy.require(actor, policy.Action.PERSON_CHANGE, person, detail="strength add")
    if kind not in Strength.Kind.values:
        raise ValueError("unknown kind of strength")
    with transaction.atomic():
        strength = Strength.objects.create(person=person, kind=kind, words=words, added_by=actor)
        audit.record(actor, AuditAction.CREATE, strength, detail="strength added")
    return strength
