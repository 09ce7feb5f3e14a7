"""Writes for the safety plan: the person's own words, a new version on every save.

Who may read it is the person's choice (SafetyPlan.visible_to). `safety_plan_visible_to`
is the one rule for that, used by the person page and the safety plan pages alike."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from alongside.accounts import policy
from alongside.accounts.models import Role
from alongside.accounts.policy import Action
from alongside.core import audit
from alongside.core.models import AuditAction

from ..models import Person, SafetyPlan

Audience = SafetyPlan.Audience
PLAN_FIELDS = ("keeps_me_safe", "early_signs", "what_helps", "who_to_contact", "what_others_can_do")


def safety_plan_visible_to(user: Any, plan: SafetyPlan | None) -> bool:
    """May this user read this safety plan? The person always may. Their coach may when
    the person chose "my coach"; other staff of the organisation (leads, other coaches
    who may see the record) when the person chose "organisation". Nobody else."""
    if plan is None or not getattr(user, "is_authenticated", False):
        return False
    person = plan.person
    if person.user_id is not None and person.user_id == user.pk:
        return True
    if not policy.can(user, Action.PERSON_VIEW, person):
        return False
    chosen = set(plan.visible_to or [])
    if Audience.MY_COACH in chosen:
        coaching_orgs = policy.organisations_where(user, Role.COACH)
        if (
            coaching_orgs
            and person.relationships.filter(coach=user, organisation_id__in=coaching_orgs).exists()
        ):
            return True
    if Audience.MY_COACHES_ORGANISATION in chosen:
        staff_orgs = policy.organisations_where(user, Role.COACH) | policy.organisations_where(
            user, Role.LEAD
        )
        if person.organisation_id in staff_orgs:
            return True
    return False


class Readers:
    """`{% if user in safety_plan_readers %}` in a template asks safety_plan_visible_to."""

    def __init__(self, plan: SafetyPlan | None) -> None:
        self.plan = plan

    def __contains__(self, user: Any) -> bool:
        return safety_plan_visible_to(user, self.plan)


def latest_plan(person: Person) -> SafetyPlan | None:
    plan = person.safety_plans.select_related("written_by").order_by("-version").first()
    if plan is not None:
        plan.person = person
    return plan


def safety_plan_save(actor: Any, person: Person, visible_to: list[str], **words: str) -> SafetyPlan:
    """Save a new version. The person, or a coach writing it with them (who must be able
    to read the version they are changing: the person chose who sees it)."""
    policy.require(actor, Action.PERSON_CHANGE, person, detail="safety plan")
    current = latest_plan(person)
    if current is not None and not safety_plan_visible_to(actor, current):
        audit.record(actor, AuditAction.DENIED, current, detail="safety plan not shared")
        raise PermissionDenied
    unknown = set(visible_to) - set(Audience.values)
    if unknown:
        raise ValueError("unknown audience")
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        top = person.safety_plans.aggregate(top=Max("version"))["top"] or 0
        plan = SafetyPlan.objects.create(
            person=person,
            version=top + 1,
            visible_to=[a for a in Audience.values if a in visible_to],
            written_by=actor,
            **{field: (words.get(field) or "").strip() for field in PLAN_FIELDS},
        )
        audit.record(actor, AuditAction.CREATE, plan, detail=f"safety plan version {plan.version}")
    return plan
