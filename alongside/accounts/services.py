"""Writes for accounts: each checks permission, audits, and runs in a transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from alongside.accounts import policy
from alongside.core.audit import record
from alongside.core.models import AuditAction

from .models import InviteCode, Role, User


def requires_two_factor(user: Any) -> bool:
    """Leads always; everyone on the staff of an organisation that asks for it."""
    if policy.is_person(user):
        return False
    held = policy.held_roles(user)
    if any(h.role == Role.LEAD for h in held):
        return True
    from .models import Organisation

    org_ids = {h.organisation_id for h in held}
    return (
        bool(org_ids)
        and Organisation.objects.filter(pk__in=org_ids, requires_two_factor=True).exists()
    )


def invite_issue(actor: Any, person: Any) -> str:
    """A new single-use code for `person`; any earlier unused code stops working.
    Returns the code in plain text, to show once."""
    policy.require(actor, policy.Action.PERSON_INVITE, person, detail="invite")
    with transaction.atomic():
        now = timezone.now()
        InviteCode.objects.filter(person=person).usable().update(revoked_at=now)
        code = InviteCode.new_code()
        invite = InviteCode.objects.create(
            code_hash=InviteCode.hash(code),
            person=person,
            issued_by=actor,
            expires_at=InviteCode.default_expiry(),
        )
        record(actor, AuditAction.CREATE, person, detail=f"invite code {invite.pk}")
    return code


class InviteError(ValidationError):
    pass


def invite_find(code: str) -> InviteCode:
    invite = InviteCode.objects.matching(code).select_related("person").first()
    if invite is None or not invite.is_usable:
        raise InviteError(
            "That code didn't work. Codes can be used once and last 14 days. "
            "Your coach can give you a new one.",
            code="invalid_code",
        )
    return invite


@transaction.atomic
def invite_redeem(code: str, username: str, passphrase: str) -> User:
    """Set up (or reset) a person's sign-in from an invite code.

    A person who already has a sign-in and forgot their passphrase gets a new code: the
    old passphrase stops working the moment the new one is set.
    """
    invite = invite_find(code)
    # Lock the row so two tabs redeeming the same code cannot both succeed.
    invite = InviteCode.objects.select_for_update().get(pk=invite.pk)
    if not invite.is_usable:
        raise InviteError("That code has just been used.", code="invalid_code")
    person = invite.person
    user = person.user
    taken = User.objects.filter(username__iexact=username)
    if user is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise ValidationError({"username": "Someone already uses that name. Try another."})
    candidate = user or User(username=username)
    candidate.username = username
    password_validation.validate_password(passphrase, candidate)
    candidate.set_password(passphrase)
    candidate.save()
    if person.user_id != candidate.pk:
        person.user = candidate
        person.save(update_fields=["user"])
    invite.used_at = timezone.now()
    invite.save(update_fields=["used_at"])
    record(candidate, AuditAction.CHANGE, person, detail="set up sign-in with invite code")
    return candidate
