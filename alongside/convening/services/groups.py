"""Writes for convening groups: the group, who is in it, its meetings and its actions.

Every write asks the policy (CONVENING_WORK for a new group in an organisation, CONVENING_ITEM
for a group of it) and is audited. An edit made from an older page is refused, never
overwrites: the group and each meeting carry a version.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import F
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.core.models import AuditAction
from alongside.listening.redaction import apply
from alongside.listening.redaction.formats import fixed_format_spans
from alongside.listening.redaction.names import extra_name_spans
from alongside.listening.redaction.spans import merged

from ..models import ConveningGroup, GroupAction, GroupMember, Meeting, SystemTheme

Action = policy.Action


class StaleEditError(Exception):
    """Someone else saved first. `current` is what they saved."""

    def __init__(self, current: object) -> None:
        super().__init__("changed by someone else")
        self.current = current


def names_to_keep_out(group: ConveningGroup) -> list[str]:
    """The names a group's notes must never hold: of each person with lived experience who
    has a sign-in, the whole chosen name unless they agreed to be named, and otherwise every
    part of it but the first (the page shows only their first name)."""
    names: list[str] = []
    rows = GroupMember.objects.filter(
        group=group, kind=GroupMember.Kind.LIVED_EXPERIENCE, user__person__isnull=False
    ).values_list("agreed_to_be_named", "user__person__chosen_name")
    for agreed, chosen in rows:
        parts = (chosen or "").split()
        if not parts:
            continue
        names += parts[1:] if agreed else [" ".join(parts), *parts]
    return names


def guarded(text: str, group: ConveningGroup) -> str:
    """Notes, decisions and actions as they are saved: phone numbers, email addresses,
    postcodes and the like taken out, and the names in `names_to_keep_out`. Staff and
    partners' names stay: the group works by who said they'd do what."""
    text = text.strip()
    if not text:
        return ""
    spans = fixed_format_spans(text) + extra_name_spans(text, names_to_keep_out(group))
    return apply(text, merged(spans, text)) if spans else text


def _own_themes(organisation_id: int, themes: Iterable[SystemTheme]) -> list[SystemTheme]:
    return [t for t in themes if t.organisation_id == organisation_id]


def group_create(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    purpose: str = "",
    themes: Iterable[SystemTheme] = (),
) -> ConveningGroup:
    """A new group; the convener who starts it is its first member (staff, named)."""
    with policy.writing(actor, Action.CONVENING_WORK, organisation, detail="group add") as write:
        group = ConveningGroup.objects.create(
            organisation=organisation,
            name=name.strip(),
            purpose=purpose.strip(),
            created_by=actor,
        )
        group.themes.set(_own_themes(organisation.pk, themes))
        GroupMember.objects.create(
            group=group, user=actor, kind=GroupMember.Kind.STAFF, agreed_to_be_named=True
        )
        write.audit(AuditAction.CREATE, group, detail="convening group started")
    return group


def group_update(
    *,
    actor: User,
    group: ConveningGroup,
    version: int,
    name: str,
    purpose: str = "",
    themes: Iterable[SystemTheme] = (),
) -> ConveningGroup:
    with policy.writing(actor, Action.CONVENING_ITEM, group, detail="group edit") as write:
        changed = ConveningGroup.objects.filter(pk=group.pk, version=version).update(
            name=name.strip(), purpose=purpose.strip(), version=F("version") + 1
        )
        if not changed:
            raise StaleEditError(ConveningGroup.objects.get(pk=group.pk))
        group.refresh_from_db()
        group.themes.set(_own_themes(group.organisation_id, themes))
        write.audit(AuditAction.CHANGE, group, detail=f"group changed to version {group.version}")
    return group


def member_add(
    *,
    actor: User,
    group: ConveningGroup,
    kind: str,
    user: User | None = None,
    guest_name: str = "",
    agreed_to_be_named: bool = False,
    joined_on: date | None = None,
) -> GroupMember:
    """Someone joins: an Alongside sign-in or a guest by name. Whether they agreed to be
    named is recorded as they join; someone with lived experience who did not agree is
    kept without any name at all."""
    kind = GroupMember.Kind(kind)
    guest_name = " ".join(guest_name.split())
    if kind == GroupMember.Kind.LIVED_EXPERIENCE and not agreed_to_be_named:
        guest_name = ""
    elif user is None and not guest_name:
        raise ValueError("A member is someone with a sign-in or a guest with a name.")
    if user is not None:
        guest_name = ""
    with policy.writing(actor, Action.CONVENING_ITEM, group, detail="member add") as write:
        if user is not None and group.members.filter(user=user, left_on__isnull=True).exists():
            raise ValueError("They're already in this group.")
        member = GroupMember.objects.create(
            group=group,
            user=user,
            guest_name=guest_name,
            kind=kind,
            agreed_to_be_named=agreed_to_be_named,
            joined_on=joined_on or timezone.localdate(),
        )
        write.audit(
            AuditAction.CREATE,
            member,
            detail=f"group member joined ({kind.value}, "
            f"{'agreed' if agreed_to_be_named else 'did not agree'} to be named)",
        )
    return member


def member_naming(*, actor: User, member: GroupMember, agreed_to_be_named: bool) -> GroupMember:
    """They changed their mind about being named. Saying no takes a guest's name away."""
    group = member.group
    with policy.writing(actor, Action.CONVENING_ITEM, group, detail="member naming") as write:
        member.agreed_to_be_named = agreed_to_be_named
        fields = ["agreed_to_be_named"]
        if not agreed_to_be_named and member.kind == GroupMember.Kind.LIVED_EXPERIENCE:
            member.guest_name = ""
            fields.append("guest_name")
        member.save(update_fields=fields)
        write.audit(
            AuditAction.CHANGE,
            member,
            detail=f"group member {'agreed' if agreed_to_be_named else 'no longer agrees'} "
            "to be named",
        )
    return member


def member_leave(*, actor: User, member: GroupMember, left_on: date | None = None) -> GroupMember:
    """They left the group. What they did while in it (actions, meetings) stays."""
    group = member.group
    with policy.writing(actor, Action.CONVENING_ITEM, group, detail="member leave") as write:
        if member.left_on is None:
            member.left_on = left_on or timezone.localdate()
            member.save(update_fields=["left_on"])
            write.audit(AuditAction.CHANGE, member, detail="group member left")
        else:
            write.audit(AuditAction.CHANGE, member, detail="group member had already left")
    return member


def meeting_add(
    *,
    actor: User,
    group: ConveningGroup,
    held_on: date,
    notes: str = "",
    decisions: str = "",
) -> Meeting:
    with policy.writing(actor, Action.CONVENING_ITEM, group, detail="meeting add") as write:
        meeting = Meeting.objects.create(
            group=group,
            held_on=held_on,
            notes=guarded(notes, group),
            decisions=guarded(decisions, group),
        )
        write.audit(AuditAction.CREATE, meeting, detail="group meeting written up")
    return meeting


def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    version: int,
    held_on: date,
    notes: str = "",
    decisions: str = "",
) -> Meeting:
    """Save an edit that started from `version`. If someone else saved in between, nothing
    is written and StaleEditError carries what they saved."""
    group = meeting.group
    with policy.writing(actor, Action.CONVENING_ITEM, group, detail="meeting edit") as write:
        changed = Meeting.objects.filter(pk=meeting.pk, version=version).update(
            held_on=held_on,
            notes=guarded(notes, group),
            decisions=guarded(decisions, group),
            version=F("version") + 1,
        )
        if not changed:
            raise StaleEditError(Meeting.objects.get(pk=meeting.pk))
        meeting.refresh_from_db()
        write.audit(
            AuditAction.CHANGE, meeting, detail=f"meeting changed to version {meeting.version}"
        )
    return meeting


def action_add(
    *,
    actor: User,
    group: ConveningGroup,
    what: str,
    owner: GroupMember | None = None,
    due_on: date | None = None,
    meeting: Meeting | None = None,
) -> GroupAction:
    """Something someone in the group said they would do. The owner is someone in the group
    now; the meeting, one of the group's."""
    if owner is not None and (owner.group_id != group.pk or owner.left_on is not None):
        raise ValueError("The owner must be someone in this group.")
    if meeting is not None and meeting.group_id != group.pk:
        raise ValueError("That meeting is another group's.")
    with policy.writing(actor, Action.CONVENING_ITEM, group, detail="action add") as write:
        action = GroupAction.objects.create(
            group=group, what=guarded(what, group), owner=owner, due_on=due_on, meeting=meeting
        )
        write.audit(AuditAction.CREATE, action, detail="group action added")
    return action


def action_done(
    *, actor: User, action: GroupAction, done_on: date | None = None, undo: bool = False
) -> GroupAction:
    """Mark an action done (or, with `undo`, not done after all)."""
    group = action.group
    with policy.writing(actor, Action.CONVENING_ITEM, group, detail="action done") as write:
        if undo:
            GroupAction.objects.filter(pk=action.pk).update(done_on=None)
            action.done_on = None
            write.audit(AuditAction.CHANGE, action, detail="group action not done after all")
        else:
            done_on = done_on or timezone.localdate()
            # Only the first "done" counts: pressing it twice keeps the day it was done.
            GroupAction.objects.filter(pk=action.pk, done_on__isnull=True).update(done_on=done_on)
            action.refresh_from_db(fields=["done_on"])
            write.audit(AuditAction.CHANGE, action, detail="group action done")
    return action
