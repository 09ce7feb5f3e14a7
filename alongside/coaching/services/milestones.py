"""Milestones: things that naturally happen in people's lives, recorded as achievements.
Never demanded: there are no expected milestones and no targets."""

from __future__ import annotations

from datetime import date

from django.db.models import Max

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.accounts.policy import Action
from alongside.core.models import AuditAction

from ..models import Milestone, MilestoneKind, Person
from ..selectors.goals import DEFAULT_KINDS


def milestone_create(
    *, actor: User, person: Person, kind: str, words: str = "", happened_on: date
) -> Milestone:
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="milestone add") as write:
        milestone = Milestone.objects.create(
            person=person, kind=kind[:60], words=words, happened_on=happened_on
        )
        write.audit(AuditAction.CREATE, milestone, detail="milestone added")
    return milestone


def _save_defaults(organisation: Organisation) -> None:
    """The organisation's own list starts as a copy of the defaults, the first time a lead
    changes it (until then, pages read the defaults without writing anything)."""
    if MilestoneKind.objects.filter(organisation=organisation).exists():
        return
    MilestoneKind.objects.bulk_create(
        [
            MilestoneKind(organisation=organisation, label=label, position=i)
            for i, label in enumerate(DEFAULT_KINDS)
        ],
        ignore_conflicts=True,
    )


def milestone_kind_add(*, actor: User, organisation: Organisation, label: str) -> MilestoneKind:
    manage = Action.ORGANISATION_MANAGE
    with policy.writing(actor, manage, organisation, detail="milestones") as write:
        _save_defaults(organisation)
        last = MilestoneKind.objects.filter(organisation=organisation).aggregate(
            top=Max("position")
        )["top"]
        kind, _ = MilestoneKind.objects.get_or_create(
            organisation=organisation,
            label=" ".join(label.split())[:60],
            defaults={"position": (last or 0) + 1},
        )
        write.audit(
            AuditAction.CREATE,
            kind,
            detail=f"milestone kind {kind.pk} added",
            organisation_id=organisation.pk,
        )
    return kind


def milestone_kind_remove(*, actor: User, organisation: Organisation, label: str) -> bool:
    """Take a kind off the organisation's list. Milestones already recorded keep their
    words. False when the list had no such kind (nothing changes)."""
    manage = Action.ORGANISATION_MANAGE
    with policy.writing(actor, manage, organisation, detail="milestones") as write:
        _save_defaults(organisation)
        kind = MilestoneKind.objects.filter(organisation=organisation, label=label).first()
        write.audit(
            AuditAction.CHANGE,
            kind or organisation,
            detail=f"milestone kind {kind.pk} removed" if kind else "milestone kind not found",
            organisation_id=organisation.pk,
        )
        if kind is not None:
            kind.delete()
    return kind is not None
