"""The person asks to correct what a coach wrote; a coach or lead decides. Both versions
are kept: the words as first written stay on the CorrectionRequest even when the record
changes. Also: the person declining a goal a coach suggested.

Who may do which is the policy's: asking and declining are the person's own
(PERSON_SELF); deciding is for staff who may change the record, never the person
(PERSON_STAFF_CHANGE)."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.accounts.policy import Action
from alongside.core.models import AuditAction

from ..models import Conversation, CorrectionRequest, Goal, Person
from ..selectors.corrections import find_subject


class CorrectionAlreadyDecidedError(ValueError):
    """Someone else decided this request first (perhaps a moment ago). `correction` is the
    request as it is now: who decided, and what."""

    def __init__(self, correction: CorrectionRequest) -> None:
        super().__init__("already decided")
        self.correction = correction


def correction_ask(
    *,
    actor: User,
    person: Person,
    about_type: str,
    about_id: int,
    field_name: str,
    asked_for: str,
    why: str = "",
) -> CorrectionRequest:
    with policy.writing(actor, Action.PERSON_SELF, person, detail="correction ask") as write:
        subject = find_subject(person, about_type, about_id, field_name)
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
        write.audit(
            AuditAction.CREATE, correction, detail=f"correction asked about {about_type} {about_id}"
        )
    return correction


def correction_decide(
    *, actor: User, correction: CorrectionRequest, accept: bool, reply: str = ""
) -> CorrectionRequest:
    """Accepted: the record now says what the person asked for (the first version stays
    on the request). Not accepted: the reply says why.

    Only the first decision counts: the request changes from "asked" only if it is still
    "asked" in the database (one compare-and-set), so two people deciding at the same
    moment can never both save. The second gets CorrectionAlreadyDecidedError, and
    nothing of theirs is kept."""
    person = correction.person
    status = CorrectionRequest.Status.CHANGED if accept else CorrectionRequest.Status.NOT_CHANGED
    with policy.writing(
        actor, Action.PERSON_STAFF_CHANGE, person, detail="correction decide"
    ) as write:
        decided_at = timezone.now()
        won = CorrectionRequest.objects.filter(
            pk=correction.pk, status=CorrectionRequest.Status.ASKED
        ).update(status=status, reply=reply, decided_by=actor, decided_at=decided_at)
        if not won:
            current = CorrectionRequest.objects.select_related("decided_by", "person").get(
                pk=correction.pk
            )
            raise CorrectionAlreadyDecidedError(current)
        if accept:
            subject = find_subject(
                person, correction.about_type, correction.about_id, correction.field_name
            )
            changes: dict[str, Any] = {correction.field_name: correction.asked_for}
            if isinstance(subject, Conversation):
                changes["version"] = F("version") + 1
            type(subject).objects.filter(pk=subject.pk).update(**changes)
            write.audit(
                AuditAction.CHANGE,
                subject,
                detail=f"corrected as asked in correction {correction.pk}",
            )
        correction.status = status
        correction.reply = reply
        correction.decided_by = actor
        correction.decided_at = decided_at
        write.audit(
            AuditAction.CHANGE,
            correction,
            detail="correction accepted" if accept else "correction not accepted",
        )
    return correction


def goal_decline(*, actor: User, goal: Goal) -> Goal:
    """The person says no to a goal a coach suggested. It is kept, marked 'changed my
    mind', and never becomes theirs."""
    with policy.writing(actor, Action.PERSON_SELF, goal.person, detail="goal decline") as write:
        if not goal.is_suggestion:
            raise ValueError("only a suggestion can be declined")
        goal.status = Goal.Status.CHANGED_MY_MIND
        goal.achieved_on = None
        goal.save(update_fields=["status", "achieved_on"])
        write.audit(AuditAction.CHANGE, goal, detail="suggested goal declined")
    return goal
