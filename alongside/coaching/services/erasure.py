"""Erasure: the person asks; a lead of the organisation approves or says why not.

Approving anonymises the record: names and free text go, the rows stay (so counts are
kept), and the audit trail stays (it holds ids, never names)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.core import audit
from alongside.core.models import AuditAction

from ..models import (
    Barrier,
    CircleMember,
    ConsentEvent,
    Conversation,
    CorrectionRequest,
    ErasureRequest,
    Goal,
    GoalStep,
    Milestone,
    Person,
    Relationship,
    RelationshipChange,
    SafetyPlan,
    SpendRequest,
    Strength,
)
from .consent import require_the_person

ERASED_NAME = "Erased record"


def open_request(person: Person) -> ErasureRequest | None:
    return (
        ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.ASKED)
        .order_by("-asked_at")
        .first()
    )


def erasure_ask(actor: Any, person: Person) -> ErasureRequest:
    """Only the person asks. Asking twice keeps the one open request."""
    require_the_person(actor, person, "erasure ask")
    with transaction.atomic():
        existing = open_request(person)
        if existing is not None:
            return existing
        request = ErasureRequest.objects.create(person=person, organisation=person.organisation)
        audit.record(
            actor,
            AuditAction.CREATE,
            request,
            detail="erasure asked",
            organisation_id=person.organisation_id,
        )
    return request


def _require_lead(actor: Any, request: ErasureRequest, detail: str) -> None:
    policy.require(actor, policy.Action.ORGANISATION_MANAGE, request.organisation, detail=detail)
    if request.status != ErasureRequest.Status.ASKED:
        raise PermissionDenied


def erasure_decline(actor: Any, request: ErasureRequest, reason: str) -> ErasureRequest:
    """Not now, and why (for example a legal hold). The person sees the reason."""
    _require_lead(actor, request, f"erasure {request.pk} decline")
    if not reason.strip():
        raise ValueError("a reason is needed")
    with transaction.atomic():
        _decided(actor, request, ErasureRequest.Status.NOT_NOW, reason.strip(), "erasure not done")
    return request


def _decided(actor: Any, request: ErasureRequest, status: str, reason: str, detail: str) -> None:
    request.status = status
    request.reason = reason
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit.record(
        actor, AuditAction.CHANGE, request, detail=detail, organisation_id=request.organisation_id
    )


def _anonymise(person: Person) -> None:
    blank = {
        Conversation: {"place": "", "notes": "", "reflection": ""},
        Strength: {"words": ""},
        Goal: {"words": "", "why_it_matters": ""},
        Milestone: {"words": ""},
        SpendRequest: {"what_for": "", "decision_note": ""},
        Barrier: {
            "service": "",
            "what_happened": "",
            "what_we_did": "",
            "outcome": "",
            "share_with_convening": False,
        },
        SafetyPlan: {
            "keeps_me_safe": "",
            "early_signs": "",
            "what_helps": "",
            "who_to_contact": "",
            "what_others_can_do": "",
        },
        CircleMember: {"name": "", "about": ""},
        CorrectionRequest: {"as_written": "", "asked_for": "", "why": "", "reply": ""},
    }
    for model, fields in blank.items():
        model.objects.filter(person=person).update(**fields)
    GoalStep.objects.filter(goal__person=person).update(words="")
    Relationship.objects.filter(person=person).update(keep_in_touch="")
    RelationshipChange.objects.filter(relationship__person=person).update(note="")
    # Check-in answers are numbers on a scale: kept, for the counts and charts.
    # Consent events are append-only: a withdrawal is added so no choice holds any more.
    for choice in (ConsentEvent.Choice.QUOTE_IN_LISTENING, ConsentEvent.Choice.CREDIT_AS):
        ConsentEvent.objects.create(person=person, choice=choice, given=False)
    ConsentEvent.objects.create(
        person=person, choice=ConsentEvent.Choice.SHARE_BARRIERS, given=False
    )

    user_id = person.user_id
    person.chosen_name = ERASED_NAME
    person.pronouns = ""
    person.user = None
    person.save(update_fields=["chosen_name", "pronouns", "user"])
    if user_id is not None:
        user = User.objects.get(pk=user_id)
        user.username = f"erased-{user.pk}"
        user.first_name = ""
        user.last_name = ""
        user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        User.objects.filter(pk=user_id).update(session_generation=F("session_generation") + 1)


def erasure_approve(actor: Any, request: ErasureRequest) -> ErasureRequest:
    _require_lead(actor, request, f"erasure {request.pk} approve")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=request.person_id)
        _anonymise(person)
        _decided(actor, request, ErasureRequest.Status.DONE, "", "record erased")
    return request


def sign_out_everywhere(user: Any) -> None:
    """End every session this user has, on every device: the session hash includes
    session_generation, so bumping it makes every old session stop working."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        audit.record(user, AuditAction.SIGN_OUT, None, detail="signed out everywhere")
