"""The directory (issue 15, item 1): the writes.

A member organisation's leads propose; the network's staff decide. Every proposal is a
`DirectoryChange` holding the whole entry (`entries.py`), so nothing public changes until it
is approved, and every approved change stays as the entry's history with what it replaced.
A staff member's own edit is a change approved at once, so it is kept the same way.

Two guards against lost edits: a proposal made from a page older than the live entry is refused
(`DirectoryConflictError`, the live entry beside what was typed), and a proposal whose entry
moved on after it was made cannot be approved (`DirectoryStaleError`): it is never applied over
someone else's approved change. Decisions carry the change's own `version` too, so two staff
pressing the button at once decide it once.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.core.models import AuditAction

from .. import entries
from ..models import DirectoryChange, DirectoryOrganisation, Service

Action = policy.Action
Kind = DirectoryChange.Kind
Status = DirectoryChange.Status


class DirectoryError(ValueError):
    """A change that cannot be made; the message says why, plainly."""


class DirectoryStaleError(DirectoryError):
    """The entry changed after this proposal was made: approving it would undo that."""


class DirectoryConflictError(Exception):
    """The entry changed while the member was editing it. `current` is the live entry."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__("directory entry changed by someone else")
        self.current = current


def _is_staff(actor: User, network_id: int) -> bool:
    network = Organisation(pk=network_id, kind=Organisation.Kind.NETWORK)
    return policy.can(actor, Action.NETWORK_STAFF, network)


def _clean_text(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    if isinstance(value, list):
        return [_clean_text(item) for item in value]
    if isinstance(value, dict):
        return {key: _clean_text(item) for key, item in value.items()}
    return value


def _checked(entry: dict[str, Any], kind: str) -> dict[str, Any]:
    entry = _clean_text(dict(entry))
    if entry.get("kind") != kind:
        raise DirectoryError("That is not an entry of the right kind.")
    if not entry.get("name"):
        raise DirectoryError("Give it a name.")
    if kind == "organisation" and not entry.get("description"):
        raise DirectoryError("Say in a line or two what the organisation does.")
    if kind == "service":
        low, high = entry.get("minimum_age"), entry.get("maximum_age")
        if low is not None and high is not None and low > high:
            raise DirectoryError("The youngest age is more than the oldest.")
        if entry.get("status") not in Service.Status.values:
            raise DirectoryError("Say whether the service is running.")
    entry["shape"] = entries.SHAPE
    return entry


def _new_change(
    actor: User,
    *,
    network_id: int,
    kind: str,
    proposed: dict[str, Any],
    proposed_for_id: int | None,
    organisation: DirectoryOrganisation | None = None,
    service: Service | None = None,
) -> DirectoryChange:
    return DirectoryChange.objects.create(
        network_id=network_id,
        kind=kind,
        organisation=organisation,
        service=service,
        proposed=proposed,
        proposed_by=actor,
        proposed_for_id=proposed_for_id,
    )


def _waiting_for(*, service: Service | None = None, organisation: Any = None) -> bool:
    found = DirectoryChange.objects.filter(status=Status.WAITING)
    if service is not None:
        return found.filter(service=service).exists()
    return found.filter(organisation=organisation, service__isnull=True).exists()


# --- proposing -----------------------------------------------------------------------------


def organisation_propose(
    *, actor: User, network: Organisation, member: Organisation, entry: dict[str, Any]
) -> DirectoryChange:
    """A member organisation asks to be listed. Only its leads may ask, and only in a network
    it belongs to."""
    entry = _checked(entry, "organisation")
    policy.require(actor, Action.ORGANISATION_MANAGE, member, detail="directory entry new")
    if not member.networks.filter(pk=network.pk).exists():
        raise DirectoryError("Your organisation is not a member of this network.")
    entry.update(id=None, based_on_version=None)
    with policy.writing(actor, Action.NETWORK_MEMBER, network, detail="directory entry new") as w:
        change = _new_change(
            actor,
            network_id=network.pk,
            kind=Kind.NEW_ORGANISATION,
            proposed=entry,
            proposed_for_id=member.pk,
        )
        w.audit(AuditAction.CREATE, change, detail="directory organisation proposed")
        if _is_staff(actor, network.pk):
            _approve(actor, change, w)
    return change


def organisation_change_propose(
    *, actor: User, organisation: DirectoryOrganisation, entry: dict[str, Any], version: int
) -> DirectoryChange:
    entry = _checked(entry, "organisation")
    detail = "directory organisation change"
    with policy.writing(actor, Action.DIRECTORY_KEEP, organisation, detail=detail) as w:
        live = DirectoryOrganisation.objects.select_for_update().get(pk=organisation.pk)
        if live.version != version:
            raise DirectoryConflictError(entries.organisation_entry(live))
        if _waiting_for(organisation=live):
            raise DirectoryError(
                "A change to this organisation is already waiting for the network. Take it "
                "back first if you want to send a new one."
            )
        entry.update(id=str(live.pk), based_on_version=live.version)
        change = _new_change(
            actor,
            network_id=live.network_id,
            kind=Kind.ORGANISATION,
            proposed=entry,
            proposed_for_id=live.member_id,
            organisation=live,
        )
        w.audit(AuditAction.CREATE, change, detail="directory organisation change proposed")
        if _is_staff(actor, live.network_id):
            _approve(actor, change, w)
    return change


def service_propose(
    *, actor: User, organisation: DirectoryOrganisation, entry: dict[str, Any]
) -> DirectoryChange:
    """A new service of an organisation already in the directory."""
    entry = _checked(entry, "service")
    with policy.writing(
        actor, Action.DIRECTORY_KEEP, organisation, detail="directory service new"
    ) as w:
        entry.update(id=None, based_on_version=None, organisation_id=str(organisation.pk))
        change = _new_change(
            actor,
            network_id=organisation.network_id,
            kind=Kind.NEW_SERVICE,
            proposed=entry,
            proposed_for_id=organisation.member_id,
            organisation=organisation,
        )
        w.audit(AuditAction.CREATE, change, detail="directory service proposed")
        if _is_staff(actor, organisation.network_id):
            _approve(actor, change, w)
    return change


def _live_service(service: Service) -> Service:
    return (
        Service.objects.select_for_update()
        .select_related("organisation")
        .prefetch_related(*SERVICE_PARTS)
        .get(pk=service.pk)
    )


SERVICE_PARTS = (
    "terms",
    "service_areas__area",
    "service_at_locations__location",
    "schedules",
    "contacts",
)


def service_change_propose(
    *, actor: User, service: Service, entry: dict[str, Any], version: int
) -> DirectoryChange:
    entry = _checked(entry, "service")
    organisation = service.organisation
    detail = "directory service change"
    with policy.writing(actor, Action.DIRECTORY_KEEP, organisation, detail=detail) as w:
        live = _live_service(service)
        if live.version != version:
            raise DirectoryConflictError(entries.service_entry(live))
        if _waiting_for(service=live):
            raise DirectoryError(
                "A change to this service is already waiting for the network. Take it back "
                "first if you want to send a new one."
            )
        entry.update(
            id=str(live.pk),
            based_on_version=live.version,
            organisation_id=str(live.organisation_id),
        )
        change = _new_change(
            actor,
            network_id=live.network_id,
            kind=Kind.SERVICE,
            proposed=entry,
            proposed_for_id=organisation.member_id,
            organisation=organisation,
            service=live,
        )
        w.audit(AuditAction.CREATE, change, detail="directory service change proposed")
        if _is_staff(actor, live.network_id):
            _approve(actor, change, w)
    return change


def service_withdraw_propose(*, actor: User, service: Service, version: int) -> DirectoryChange:
    """Ask for a service to be taken out of the directory (it is kept, unpublished)."""
    organisation = service.organisation
    detail = "directory service withdraw"
    with policy.writing(actor, Action.DIRECTORY_KEEP, organisation, detail=detail) as w:
        live = _live_service(service)
        if live.version != version:
            raise DirectoryConflictError(entries.service_entry(live))
        if not live.published:
            raise DirectoryError("This service is not in the directory just now.")
        if _waiting_for(service=live):
            raise DirectoryError(
                "A change to this service is already waiting for the network. Take it back first."
            )
        proposed = {
            "shape": entries.SHAPE,
            "kind": "withdraw",
            "id": str(live.pk),
            "based_on_version": live.version,
            "name": live.name,
        }
        change = _new_change(
            actor,
            network_id=live.network_id,
            kind=Kind.WITHDRAW_SERVICE,
            proposed=proposed,
            proposed_for_id=organisation.member_id,
            organisation=organisation,
            service=live,
        )
        w.audit(AuditAction.CREATE, change, detail="directory service withdrawal proposed")
        if _is_staff(actor, live.network_id):
            _approve(actor, change, w)
    return change


# --- taking back and deciding --------------------------------------------------------------


def keeper_rule(change: DirectoryChange) -> tuple[policy.Action, Any]:
    """Who may take a proposal back: the keepers of its entry, or for a new organisation the
    leads of the organisation that asked."""
    if change.organisation is not None:
        return Action.DIRECTORY_KEEP, change.organisation
    if change.proposed_for is not None:
        return Action.ORGANISATION_MANAGE, change.proposed_for
    return Action.NETWORK_STAFF, change.network


def _locked_waiting(change: DirectoryChange, version: int) -> DirectoryChange:
    live = DirectoryChange.objects.select_for_update().get(pk=change.pk)
    if live.status != Status.WAITING or live.version != version:
        raise DirectoryError(
            f"This change has already been looked at: it is now "
            f"{live.get_status_display().lower()}."
        )
    return live


def change_take_back(*, actor: User, change: DirectoryChange, version: int) -> DirectoryChange:
    detail = f"directory change {change.pk} take back"
    action, subject = keeper_rule(change)
    with policy.writing(actor, action, subject, detail=detail) as w:
        live = _locked_waiting(change, version)
        live.status = Status.WITHDRAWN
        live.decided_by = actor
        live.decided_at = timezone.now()
        live.version += 1
        live.save(update_fields=["status", "decided_by", "decided_at", "version"])
        w.audit(AuditAction.CHANGE, live, detail="directory change taken back")
    return live


def change_decline(
    *, actor: User, change: DirectoryChange, version: int, note: str
) -> DirectoryChange:
    note = _clean_text(note or "")
    if not note:
        raise DirectoryError("Write a note saying why, so the organisation knows what to change.")
    detail = f"directory change {change.pk} decline"
    with policy.writing(actor, Action.NETWORK_STAFF, change.network, detail=detail) as w:
        live = _locked_waiting(change, version)
        live.status = Status.DECLINED
        live.note = note
        live.decided_by = actor
        live.decided_at = timezone.now()
        live.version += 1
        live.save(update_fields=["status", "note", "decided_by", "decided_at", "version"])
        w.audit(AuditAction.CHANGE, live, detail="directory change declined")
    return live


def change_approve(
    *, actor: User, change: DirectoryChange, version: int, note: str = ""
) -> DirectoryChange:
    """Apply the proposal to the live entry, in one transaction, and keep what it replaced."""
    detail = f"directory change {change.pk} approve"
    with policy.writing(actor, Action.NETWORK_STAFF, change.network, detail=detail) as w:
        live = _locked_waiting(change, version)
        live.note = _clean_text(note or "")
        _approve(actor, live, w)
    return live


def _stale() -> DirectoryStaleError:
    return DirectoryStaleError(
        "The entry has changed since this was proposed, so approving it would undo that "
        "change. Decline it with a note asking the organisation to send it again from the "
        "entry as it is now."
    )


def _approve(actor: User, change: DirectoryChange, write: policy.Write) -> None:
    """Apply a waiting change (already locked or just made) inside the caller's transaction."""
    proposed = change.proposed
    based_on = proposed.get("based_on_version")
    if change.kind == Kind.NEW_ORGANISATION:
        network = Organisation.objects.get(pk=change.network_id)
        organisation = entries.apply_organisation(
            proposed, network=network, member=change.proposed_for
        )
        change.organisation = organisation
        change.replaced = {}
        subject: Any = organisation
    elif change.kind == Kind.ORGANISATION:
        if change.organisation_id is None:
            raise DirectoryError("The organisation is no longer in the directory.")
        organisation = DirectoryOrganisation.objects.select_for_update().get(
            pk=change.organisation_id
        )
        if organisation.version != based_on:
            raise _stale()
        change.replaced = entries.organisation_entry(organisation)
        subject = entries.apply_organisation(
            proposed,
            network=organisation.network,
            member=organisation.member,
            organisation=organisation,
        )
    elif change.kind == Kind.NEW_SERVICE:
        if change.organisation_id is None:
            raise DirectoryError("The organisation is no longer in the directory.")
        organisation = DirectoryOrganisation.objects.select_for_update().get(
            pk=change.organisation_id
        )
        service = entries.apply_service(proposed, organisation=organisation)
        change.service = service
        change.replaced = {}
        subject = service
    else:
        if change.service_id is None:
            raise DirectoryError("The service is no longer in the directory.")
        service = (
            Service.objects.select_for_update()
            .select_related("organisation")
            .prefetch_related(*SERVICE_PARTS)
            .get(pk=change.service_id)
        )
        if service.version != based_on:
            raise _stale()
        change.replaced = entries.service_entry(service)
        if change.kind == Kind.WITHDRAW_SERVICE:
            service.published = False
            service.version += 1
            service.last_modified = timezone.now()
            service.save(update_fields=["published", "version", "last_modified"])
        else:
            service = entries.apply_service(
                proposed, organisation=service.organisation, service=service
            )
        subject = service
    change.status = Status.APPROVED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.version += 1
    change.save()
    write.audit(AuditAction.CHANGE, subject, detail=f"directory change {change.pk} applied")
    write.audit(AuditAction.CHANGE, change, detail="directory change approved")
