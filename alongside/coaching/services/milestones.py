"""Milestones: things that naturally happen in people's lives, recorded as achievements.
Never demanded: there are no expected milestones and no targets."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max

from alongside.accounts import policy
from alongside.core import audit
from alongside.core.models import AuditAction

from ..models import Milestone, MilestoneKind, Person

DEFAULT_KINDS = (
    "Moved into my own home",
    "Kept my home 6 months",
    "Kept my home 12 months",
    "Started a course",
    "Got a qualification",
    "Started work",
    "Started volunteering",
    "Got my licence",
    "Reconnected with family",
    "Joined a group",
)


def milestone_kinds(organisation: Any) -> list[MilestoneKind]:
    """The organisation's list; the defaults are created the first time it is used."""
    kinds = list(MilestoneKind.objects.filter(organisation=organisation))
    if kinds:
        return kinds
    with transaction.atomic():
        MilestoneKind.objects.bulk_create(
            [
                MilestoneKind(organisation=organisation, label=label, position=i)
                for i, label in enumerate(DEFAULT_KINDS)
            ],
            ignore_conflicts=True,
        )
    return list(MilestoneKind.objects.filter(organisation=organisation))


def milestone_create(
    actor: Any, person: Person, *, kind: str, words: str = "", happened_on: date
) -> Milestone:
    policy.require(actor, policy.Action.PERSON_CHANGE, person, detail="milestone add")
    with transaction.atomic():
        milestone = Milestone.objects.create(
            person=person, kind=kind[:60], words=words, happened_on=happened_on
        )
        audit.record(actor, AuditAction.CREATE, milestone, detail="milestone added")
    return milestone


def milestone_kind_add(actor: Any, organisation: Any, *, label: str) -> MilestoneKind:
    policy.require(actor, policy.Action.ORGANISATION_MANAGE, organisation, detail="milestones")
    milestone_kinds(organisation)
    with transaction.atomic():
        last = MilestoneKind.objects.filter(organisation=organisation).aggregate(
            top=Max("position")
        )["top"]
        kind, _ = MilestoneKind.objects.get_or_create(
            organisation=organisation,
            label=" ".join(label.split())[:60],
            defaults={"position": (last or 0) + 1},
        )
        audit.record(
            actor,
            AuditAction.CREATE,
            kind,
            detail=f"milestone kind {kind.pk} added",
            organisation_id=organisation.pk,
        )
    return kind


def milestone_kind_remove(actor: Any, kind: MilestoneKind) -> None:
    """Take a kind off the list. Milestones already recorded keep their words."""
    organisation = kind.organisation
    policy.require(actor, policy.Action.ORGANISATION_MANAGE, organisation, detail="milestones")
    with transaction.atomic():
        audit.record(
            actor,
            AuditAction.CHANGE,
            kind,
            detail=f"milestone kind {kind.pk} removed",
            organisation_id=organisation.pk,
        )
        kind.delete()
