"""Writes for accounts. Each goes through `policy.writing` (or, for the few a person makes
while proving who they are, `policy.writing_without_check`): one transaction, the change and
its audit entry."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.accounts import policy
from alongside.core.models import AuditAction

from .models import InviteCode, Organisation, User

TWO_FACTOR_DEVICE_NAME = "Authenticator app"


class InviteError(ValidationError):
    pass


def invite_issue(*, actor: User, person: Any) -> str:
    """A new single-use code for `person` (a coaching Person: accounts sits below coaching, so
    it is not typed here); any earlier unused code stops working. Returns the code in plain
    text, to show once."""
    with policy.writing(actor, policy.Action.PERSON_INVITE, person, detail="invite") as write:
        now = timezone.now()
        InviteCode.objects.filter(person=person).usable().update(revoked_at=now)
        code = InviteCode.new_code()
        invite = InviteCode.objects.create(
            code_hash=InviteCode.hash(code),
            person=person,
            issued_by=actor,
            expires_at=InviteCode.default_expiry(),
        )
        write.audit(AuditAction.CREATE, person, detail=f"invite code {invite.pk}")
    return code


def _invite_find(code: str) -> InviteCode:
    invite = InviteCode.objects.matching(code).select_related("person").first()
    if invite is None or not invite.is_usable:
        raise InviteError(
            "That code didn't work. Codes can be used once and last 14 days. "
            "Your coach can give you a new one.",
            code="invalid_code",
        )
    return invite


def invite_redeem(*, code: str, username: str, passphrase: str) -> User:
    """Set up (or reset) a person's sign-in from an invite code.

    A person who already has a sign-in and forgot their passphrase gets a new code: the
    old passphrase stops working the moment the new one is set.
    """
    invite = _invite_find(code)
    person = invite.person
    # The sign-in being set up is who makes this write (and so its audit entry); a new one
    # has its id by the time the entry is written.
    candidate = person.user or User(username=username)
    with policy.writing_without_check(
        candidate, why="redeeming an invite code: the code is how the person proves who they are"
    ) as write:
        # Lock the row so two tabs redeeming the same code cannot both succeed.
        invite = InviteCode.objects.select_for_update().select_related("person").get(pk=invite.pk)
        if not invite.is_usable or invite.person.user_id != person.user_id:
            raise InviteError("That code has just been used.", code="invalid_code")
        taken = User.objects.filter(username__iexact=username)
        if candidate.pk is not None:
            taken = taken.exclude(pk=candidate.pk)
        if taken.exists():
            raise ValidationError({"username": "Someone already uses that name. Try another."})
        candidate.username = username
        password_validation.validate_password(passphrase, candidate)
        candidate.set_password(passphrase)
        candidate.save()
        if person.user_id != candidate.pk:
            person.user = candidate
            person.save(update_fields=["user"])
        invite.used_at = timezone.now()
        invite.save(update_fields=["used_at"])
        write.audit(AuditAction.CHANGE, person, detail="set up sign-in with invite code")
    return candidate


def two_factor_device_create(*, user: User) -> TOTPDevice:
    """The authenticator app a user is setting up: made the first time they are asked for a
    code, and kept (unconfirmed, so it opens nothing) until they give one from it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is not None:
        return device
    with policy.writing_without_check(
        user, why="setting up one's own two-factor sign-in: the user is proving who they are"
    ) as write:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name=TWO_FACTOR_DEVICE_NAME)
        write.audit(AuditAction.CREATE, device, detail="two-factor app added, not yet confirmed")
    return device


def two_factor_device_confirm(*, user: User, device: TOTPDevice) -> TOTPDevice:
    """The user gave a right code from the app they are setting up: from now on it signs
    them in."""
    if device.user_id != user.pk:
        raise ValueError("a user confirms only their own two-factor app")
    with policy.writing_without_check(
        user, why="setting up one's own two-factor sign-in: the user is proving who they are"
    ) as write:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        write.audit(AuditAction.CHANGE, device, detail="two-factor app confirmed")
    return device


# --- sharing barriers with the area's convening (issue 13) ------------------------------


def organisation_share_barriers_set(
    *, actor: User, organisation: Organisation, shares: bool
) -> Organisation:
    """The organisation's leads choose whether the barriers its people agreed to share join
    the system themes of conveners across its area (counted with disclosure control there).
    Turning it off takes them out of every other organisation's themes at once."""
    with policy.writing(
        actor, policy.Action.ORGANISATION_MANAGE, organisation, detail="share barriers in area"
    ) as write:
        Organisation.objects.filter(pk=organisation.pk).update(shares_barriers_in_area=shares)
        organisation.shares_barriers_in_area = shares
        write.audit(
            AuditAction.CHANGE,
            organisation,
            detail=f"shares barriers in area: {'yes' if shares else 'no'}",
            organisation_id=organisation.pk,
        )
    return organisation


# --- sharing coaching figures with the area's insight (issue 14) ----------------------------


def organisation_share_coaching_figures(
    *, actor: User, organisation: Organisation, shares: bool
) -> Organisation:
    """The organisation's leads choose whether its coaching figures (check-in changes and
    counts, never a person) join the area's insight, where they are shown disclosure-
    controlled. Turning it off takes them out of every area page and briefing at once."""
    with policy.writing(
        actor,
        policy.Action.ORGANISATION_MANAGE,
        organisation,
        detail="share coaching figures in area",
    ) as write:
        Organisation.objects.filter(pk=organisation.pk).update(
            shares_coaching_figures_in_area=shares
        )
        organisation.shares_coaching_figures_in_area = shares
        write.audit(
            AuditAction.CHANGE,
            organisation,
            detail=f"shares coaching figures in area: {'yes' if shares else 'no'}",
            organisation_id=organisation.pk,
        )
    return organisation
