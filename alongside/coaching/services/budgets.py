"""Writes for personal budgets: spend requests, decisions, payments and receipts.

Money is integer pence everywhere. Approvals lock the person's row so two approvals at
once can never take the budget over its allocation (on SQLite, transactions are
IMMEDIATE, so they serialise too)."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.accounts.policy import Action
from alongside.core.models import AuditAction
from alongside.core.money import pounds

from ..models import Goal, Payment, Person, SpendRequest
from ..receipts import receipt_check
from ..selectors.budgets import COMMITTED, allocation_for, committed_pence


def _paid_pence(spend: SpendRequest) -> int:
    total = spend.payments.aggregate(total=Sum("amount_pence"))["total"]
    return int(total or 0)


def _already_decided(current: SpendRequest) -> ValidationError:
    return ValidationError(
        "Someone has already decided this request: it is now "
        f"{current.get_status_display().lower()}."
    )


def spend_request_create(
    *,
    actor: User,
    person: Person,
    what_for: str,
    category: str,
    amount_pence: int,
    goal: Goal | None = None,
) -> SpendRequest:
    """Ask for money from the person's budget: the person or a coach alongside them."""
    with policy.writing(actor, Action.PERSON_CHANGE, person, detail="spend request") as write:
        if amount_pence <= 0:
            raise ValidationError("Enter an amount more than £0.")
        if goal is not None and goal.person_id != person.pk:
            raise ValidationError("Choose one of this person's own goals.")
        spend = SpendRequest.objects.create(
            person=person,
            goal=goal,
            what_for=what_for.strip(),
            category=category.strip().lower(),
            amount_pence=amount_pence,
            requested_by=actor,
        )
        write.audit(AuditAction.CREATE, spend, detail="spend requested")
    return spend


def spend_request_approve(*, actor: User, spend: SpendRequest) -> SpendRequest:
    """Approve within the allocation. Locks the person's row: two approvals at once
    are decided one after the other, never both against the same remaining money."""
    with policy.writing(actor, Action.SPEND_DECIDE, spend, detail="approve") as write:
        # Lock only the person's row (not their organisation's): approvals for different
        # people never wait on each other.
        people = Person.objects.select_for_update(of=("self",)).select_related("organisation")
        person = people.get(pk=spend.person_id)
        current = SpendRequest.objects.select_for_update().get(pk=spend.pk)
        if current.status != SpendRequest.Status.REQUESTED:
            raise _already_decided(current)
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
        write.audit(AuditAction.CHANGE, current, detail="spend approved")
    return current


def spend_request_decline(*, actor: User, spend: SpendRequest, note: str) -> SpendRequest:
    with policy.writing(actor, Action.SPEND_DECIDE, spend, detail="decline") as write:
        current = SpendRequest.objects.select_for_update().get(pk=spend.pk)
        if current.status != SpendRequest.Status.REQUESTED:
            raise _already_decided(current)
        current.status = SpendRequest.Status.DECLINED
        current.decided_by = actor
        current.decided_at = timezone.now()
        current.decision_note = note.strip()
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        write.audit(AuditAction.CHANGE, current, detail="spend declined")
    return current


def payment_record(
    *,
    actor: User,
    spend: SpendRequest,
    amount_pence: int,
    paid_on: date,
    receipt: UploadedFile | None = None,
) -> Payment:
    """Record money paid out for an approved request. Staff only: the person does not
    record payments from their own budget (PERSON_STAFF_CHANGE)."""
    with policy.writing(actor, Action.PERSON_STAFF_CHANGE, spend.person, detail="payment") as write:
        extension = receipt_check(receipt) if receipt is not None else ""
        if amount_pence <= 0:
            raise ValidationError("Enter an amount more than £0.")
        current = SpendRequest.objects.select_for_update().get(pk=spend.pk)
        if current.status not in COMMITTED:
            raise ValidationError("Only an approved request can be paid.")
        already = _paid_pence(current)
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
        write.audit(AuditAction.CREATE, payment, detail=f"payment for spend {current.pk}")
    return payment


def allocation_change(*, actor: User, person: Person, amount_pence: int) -> Person:
    """A lead sets this person's allocation; 0 means the organisation's usual amount."""
    with policy.writing(
        actor, Action.ORGANISATION_MANAGE, person.organisation, detail="allocation"
    ) as write:
        if amount_pence < 0:
            raise ValidationError("Enter an amount of £0 or more.")
        locked = Person.objects.select_for_update().get(pk=person.pk)
        locked.budget_allocation_pence = amount_pence
        locked.save(update_fields=["budget_allocation_pence"])
        write.audit(AuditAction.CHANGE, locked, detail="budget allocation changed")
    person.budget_allocation_pence = amount_pence
    return person
