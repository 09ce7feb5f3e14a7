"""Writes for personal budgets: spend requests, decisions, payments and receipts.

Money is integer pence everywhere. Approvals lock the person's row so two approvals at
once can never take the budget over its allocation (on SQLite, transactions are
IMMEDIATE, so they serialise too)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.policy import Action
from alongside.core import audit
from alongside.core.models import AuditAction
from alongside.core.money import pounds

from ..models import Goal, Payment, Person, SpendRequest

RECEIPT_MAX_BYTES = 5 * 1024 * 1024
RECEIPT_TYPES = (
    (b"%PDF-", ".pdf"),
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
)
COMMITTED = (SpendRequest.Status.APPROVED, SpendRequest.Status.PAID)


# --- money ------------------------------------------------------------------------------


# --- reads the writes need ----------------------------------------------------------------


def allocation_for(person: Person) -> int:
    """The person's own allocation when a lead set one, otherwise the organisation's."""
    if person.budget_allocation_pence:
        return person.budget_allocation_pence
    return person.organisation.budget_allocation_pence


def committed_pence(person: Person) -> int:
    total = SpendRequest.objects.filter(person=person, status__in=COMMITTED).aggregate(
        total=Sum("amount_pence")
    )["total"]
    return int(total or 0)


def paid_pence(spend: SpendRequest) -> int:
    total = spend.payments.aggregate(total=Sum("amount_pence"))["total"]
    return int(total or 0)


# --- writes -----------------------------------------------------------------------------


def spend_request_create(
    actor: Any,
    person: Person,
    what_for: str,
    category: str,
    amount_pence: int,
    goal: Goal | None = None,
) -> SpendRequest:
    """Ask for money from the person's budget: the person or a coach alongside them."""
    policy.require(actor, Action.PERSON_CHANGE, person, detail="spend request")
    if amount_pence <= 0:
        raise ValidationError("Enter an amount more than £0.")
    if goal is not None and goal.person_id != person.pk:
        raise ValidationError("Choose one of this person's own goals.")
    with transaction.atomic():
        spend = SpendRequest.objects.create(
            person=person,
            goal=goal,
            what_for=what_for.strip(),
            category=category.strip().lower(),
            amount_pence=amount_pence,
            requested_by=actor,
        )
        audit.record(actor, AuditAction.CREATE, spend, detail="spend requested")
    return spend


def spend_request_approve(actor: Any, spend: SpendRequest) -> SpendRequest:
    """Approve within the allocation. Locks the person's row: two approvals at once
    are decided one after the other, never both against the same remaining money."""
    policy.require(actor, Action.SPEND_DECIDE, spend, detail="approve")
    with transaction.atomic():
        # Lock only the person's row (not their organisation's): approvals for different
        # people never wait on each other.
        person = Person.objects.select_for_update(of=("self",)).select_related("organisation")
        person = person.get(pk=spend.person_id)
        current = SpendRequest.objects.select_for_update().get(pk=spend.pk)
        if current.status != SpendRequest.Status.REQUESTED:
            raise ValidationError(
                "Someone has already decided this request: it is now "
                f"{current.get_status_display().lower()}."
            )
        allocation = allocation_for(person)
        committed = committed_pence(person)
        if committed + current.amount_pence > allocation:
            over = committed + current.amount_pence - allocation
            raise ValidationError(
                f"This would go {pounds(over)} over {person.chosen_name}'s budget: "
                f"{pounds(committed)} of {pounds(allocation)} is already committed."
            )
        current.status = SpendRequest.Status.APPROVED
        current.decided_by = actor
        current.decided_at = timezone.now()
        current.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(actor, AuditAction.CHANGE, current, detail="spend approved")
    return current


def spend_request_decline(actor: Any, spend: SpendRequest, note: str) -> SpendRequest:
    policy.require(actor, Action.SPEND_DECIDE, spend, detail="decline")
    with transaction.atomic():
        current = SpendRequest.objects.select_for_update().get(pk=spend.pk)
        if current.status != SpendRequest.Status.REQUESTED:
            raise ValidationError(
                "Someone has already decided this request: it is now "
                f"{current.get_status_display().lower()}."
            )
        current.status = SpendRequest.Status.DECLINED
        current.decided_by = actor
        current.decided_at = timezone.now()
        current.decision_note = note.strip()
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(actor, AuditAction.CHANGE, current, detail="spend declined")
    return current


def receipt_check(upload: UploadedFile) -> str:
    """The file extension for an acceptable receipt, judged by its content, or a
    ValidationError with a clear message."""
    if upload.size is not None and upload.size > RECEIPT_MAX_BYTES:
        raise ValidationError("The receipt must be smaller than 5 MB.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, extension in RECEIPT_TYPES:
        if head.startswith(magic):
            return extension
    raise ValidationError("The receipt must be a PDF, a JPEG photo or a PNG image.")


def payment_record(
    actor: Any,
    spend: SpendRequest,
    amount_pence: int,
    paid_on: date,
    receipt: UploadedFile | None = None,
) -> Payment:
    """Record money paid out for an approved request. Staff only: the person does not
    record payments from their own budget."""
    policy.require(actor, Action.PERSON_CHANGE, spend.person, detail="payment")
    if spend.person.user_id is not None and spend.person.user_id == actor.pk:
        audit.record(actor, AuditAction.DENIED, spend, detail="payment by the person")
        raise PermissionDenied
    extension = receipt_check(receipt) if receipt is not None else ""
    if amount_pence <= 0:
        raise ValidationError("Enter an amount more than £0.")
    with transaction.atomic():
        current = SpendRequest.objects.select_for_update().get(pk=spend.pk)
        if current.status not in COMMITTED:
            raise ValidationError("Only an approved request can be paid.")
        already = paid_pence(current)
        if already + amount_pence > current.amount_pence:
            raise ValidationError(
                f"That is more than was approved: {pounds(current.amount_pence)} "
                f"approved and {pounds(already)} already paid."
            )
        payment = Payment(
            spend_request=current, amount_pence=amount_pence, paid_on=paid_on, paid_by=actor
        )
        if receipt is not None:
            # A random name, never the uploaded one (it may carry a name or an address).
            payment.receipt.save(f"{uuid.uuid4().hex}{extension}", receipt, save=False)
        payment.save()
        if current.status != SpendRequest.Status.PAID:
            current.status = SpendRequest.Status.PAID
            current.save(update_fields=["status"])
        audit.record(actor, AuditAction.CREATE, payment, detail=f"payment for spend {current.pk}")
    return payment


def allocation_change(actor: Any, person: Person, amount_pence: int) -> Person:
    """A lead sets this person's allocation; 0 means the organisation's usual amount."""
    policy.require(actor, Action.ORGANISATION_MANAGE, person.organisation, detail="allocation")
    if amount_pence < 0:
        raise ValidationError("Enter an amount of £0 or more.")
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        locked.budget_allocation_pence = amount_pence
        locked.save(update_fields=["budget_allocation_pence"])
        audit.record(actor, AuditAction.CHANGE, locked, detail="budget allocation changed")
    person.budget_allocation_pence = amount_pence
    return person
