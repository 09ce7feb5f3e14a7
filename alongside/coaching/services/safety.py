"""Writes for the safety plan: the person's own words, a new version on every save.

Who may read it is the person's choice (SafetyPlan.visible_to), decided by the policy
(Action.SAFETY_PLAN_VIEW); the reads are in selectors/safety.py."""

from __future__ import annotations

from django.db.models import Max

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.accounts.policy import Action
from alongside.core.models import AuditAction

from ..models import Person, SafetyPlan
from ..selectors.safety import latest_plan

Audience = SafetyPlan.Audience
PLAN_FIELDS = ("keeps_me_safe", "early_signs", "what_helps", "who_to_contact", "what_others_can_do")


def safety_plan_save(
    *,
    actor: User,
    person: Person,
    visible_to: list[str],
    keeps_me_safe: str = "",
    early_signs: str = "",
    what_helps: str = "",
    who_to_contact: str = "",
    what_others_can_do: str = "",
) -> SafetyPlan:
    """Save a new version. The person, or a coach writing it with them, who must be able
    to read the version they are changing: the person chose who sees it."""
    current = latest_plan(person)
    if current is not None and policy.can(actor, Action.PERSON_CHANGE, person):
        # Staff who may change the record still need the person's say-so to read the plan
        # (anyone else is refused by `writing` below, as for any part of the record).
        policy.require(actor, Action.SAFETY_PLAN_VIEW, current, detail="safety plan not shared")
    words = {
        "keeps_me_safe": keeps_me_safe,
        "early_signs": early_signs,
        "what_helps": what_helps,
        "who_to_contact": who_to_contact,
        "what_others_can_do": what_others_can_do,
    }
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="safety plan") as write:
        if set(visible_to) - set(Audience.values):
            raise ValueError("unknown audience")
        # One save at a time for this person, so two saves never take the same version.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        top = person.safety_plans.aggregate(top=Max("version"))["top"] or 0
        plan = SafetyPlan.objects.create(
            person=person,
            version=top + 1,
            visible_to=[a for a in Audience.values if a in visible_to],
            written_by=actor,
            **{field: (words[field] or "").strip() for field in PLAN_FIELDS},
        )
        write.audit(AuditAction.CREATE, plan, detail=f"safety plan version {plan.version}")
    return plan
