"""The person's circle: people, groups and services in their life. Added by either of us."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.accounts.policy import Action
from alongside.core.models import AuditAction

from ..models import CircleMember, Person

FIELDS = ("name", "kind", "about", "consent_to_contact", "since", "until")


def _check(name: str, kind: str, since: datetime.date | None, until: datetime.date | None) -> None:
    if not name.strip():
        raise ValidationError("Write a name, or a few words to say who they are.")
    if kind not in CircleMember.Kind.values:
        raise ValidationError("Choose who or what they are.")
    if since and until and until < since:
        raise ValidationError("The end date is before the start date.")


def circle_member_add(
    *,
    actor: User,
    person: Person,
    name: str,
    kind: str,
    about: str = "",
    consent_to_contact: bool = False,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> CircleMember:
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="circle add") as write:
        _check(name, kind, since, until)
        member = CircleMember.objects.create(
            person=person,
            name=name.strip(),
            kind=kind,
            about=about.strip(),
            consent_to_contact=consent_to_contact,
            since=since,
            until=until,
            added_by=actor,
        )
        write.audit(AuditAction.CREATE, member, detail=f"circle member {kind} added")
    return member


def circle_member_change(*, actor: User, member: CircleMember, **changes: Any) -> CircleMember:
    """Change any of FIELDS; those not given keep their value."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with policy.writing(
        actor, Action.PERSON_CHANGE, member.person, detail="circle change"
    ) as write:
        values = {field: changes.get(field, getattr(member, field)) for field in FIELDS}
        _check(values["name"], values["kind"], values["since"], values["until"])
        for field, value in values.items():
            setattr(member, field, value.strip() if isinstance(value, str) else value)
        member.save(update_fields=list(FIELDS))
        write.audit(AuditAction.CHANGE, member, detail=f"circle member {member.pk} changed")
    return member
