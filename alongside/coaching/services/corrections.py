"""The person asks to correct what a coach wrote; a coach or lead decides. Both versions
are kept: the words as first written stay on the CorrectionRequest even when the record
changes. Also: the person declining a goal a coach suggested."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from alongside.accounts import policy
from alongside.core import audit
from alongside.core.models import AuditAction

from ..models import Conversation, CorrectionRequest, Goal, Person, Strength
from .goals import is_the_person

# (about_type, field_name) -> the model holding that words field.
SUPPORTED: dict[tuple[str, str], type] = {
    ("conversation", "notes"): Conversation,
    ("conversation", "place"): Conversation,
    ("goal", "words"): Goal,
    ("goal", "why_it_matters"): Goal,
    ("strength", "words"): Strength,
}


def _only_the_person(actor: Any, person: Person, obj: Any, what: str) -> None:
    policy.require(actor, policy.Action.PERSON_CHANGE, person, detail=what)
    if not is_the_person(actor, person):
        audit.record(actor, AuditAction.DENIED, obj, detail=f"{what}: only the person")
        raise PermissionDenied


def may_decide(actor: Any, person: Person) -> bool:
    """A coach or lead who may change the record decides; never the person themselves
    (built from the existing PERSON_CHANGE rule, no new permission)."""
    return policy.can(actor, policy.Action.PERSON_CHANGE, person) and not is_the_person(
        actor, person
    )


def find_subject(person: Person, about_type: str, about_id: int, field_name: str) -> Any:
    """The entry a correction is about, only from this person's own record."""
    model = SUPPORTED.get((about_type, field_name))
    if model is None:
        raise LookupError("that can't be corrected here")
    obj = model.objects.filter(pk=about_id, person=person).first()
    if obj is None:
        raise LookupError("not in this record")
    return obj


def correction_ask(
    actor: Any,
    person: Person,
    *,
    about_type: str,
    about_id: int,
    field_name: str,
    asked_for: str,
    why: str = "",
) -> CorrectionRequest:
    subject = find_subject(person, about_type, about_id, field_name)
    _only_the_person(actor, person, subject, "correction ask")
    with transaction.atomic():
        correction = CorrectionRequest.objects.create(
            person=person,
            about_type=about_type,
            about_id=about_id,
            field_name=field_name,
            as_written=getattr(subject, field_name) or "",
            asked_for=asked_for,
            why=why,
            asked_by=actor,
        )
        audit.record(
            actor,
            AuditAction.CREATE,
            correction,
            detail=f"correction asked about {about_type} {about_id}",
        )
    return correction


def correction_decide(
    actor: Any, correction: CorrectionRequest, *, accept: bool, reply: str = ""
) -> CorrectionRequest:
    """Accepted: the record now says what the person asked for (the first version stays
    on the request). Not accepted: the reply says why."""
    person = correction.person
    policy.require(actor, policy.Action.PERSON_CHANGE, person, detail="correction decide")
    if is_the_person(actor, person):
        audit.record(actor, AuditAction.DENIED, correction, detail="correction decide: not own")
        raise PermissionDenied
    if correction.status != CorrectionRequest.Status.ASKED:
        raise ValueError("already decided")
    with transaction.atomic():
        if accept:
            subject = find_subject(
                person, correction.about_type, correction.about_id, correction.field_name
            )
            changes: dict[str, Any] = {correction.field_name: correction.asked_for}
            if isinstance(subject, Conversation):
                changes["version"] = F("version") + 1
            type(subject).objects.filter(pk=subject.pk).update(**changes)
            audit.record(
                actor,
                AuditAction.CHANGE,
                subject,
                detail=f"corrected as asked in correction {correction.pk}",
            )
        correction.status = (
            CorrectionRequest.Status.CHANGED if accept else CorrectionRequest.Status.NOT_CHANGED
        )
        correction.reply = reply
        correction.decided_by = actor
        correction.decided_at = timezone.now()
        correction.save(update_fields=["status", "reply", "decided_by", "decided_at"])
        audit.record(
            actor,
            AuditAction.CHANGE,
            correction,
            detail="correction accepted" if accept else "correction not accepted",
        )
    return correction


def goal_decline(actor: Any, goal: Goal) -> Goal:
    """The person says no to a goal a coach suggested. It is kept, marked 'changed my
    mind', and never becomes theirs."""
    person = goal.person
    _only_the_person(actor, person, goal, "goal decline")
    if not goal.is_suggestion:
        raise ValueError("only a suggestion can be declined")
    with transaction.atomic():
        goal.status = Goal.Status.CHANGED_MY_MIND
        goal.achieved_on = None
        goal.save(update_fields=["status", "achieved_on"])
        audit.record(actor, AuditAction.CHANGE, goal, detail="suggested goal declined")
    return goal
