"""Reads for personal budgets: the person's ledger and the organisation's, by category."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from alongside.core.money import pounds

from ..models import Payment, Person, SpendRequest

# Money a request holds against the budget once it is approved (paid or not).
COMMITTED = (SpendRequest.Status.APPROVED, SpendRequest.Status.PAID)


def allocation_for(person: Person) -> int:
    """The person's own allocation when a lead set one, otherwise the organisation's."""
    if person.budget_allocation_pence:
        return person.budget_allocation_pence
    return person.organisation.budget_allocation_pence


def committed_pence(person: Person) -> int:
    """Pence approved (paid or not yet paid) from this person's budget."""
    total = SpendRequest.objects.filter(person=person, status__in=COMMITTED).aggregate(
        total=Sum("amount_pence")
    )["total"]
    return int(total or 0)


def _shape(person: Person, *, committed: int, asked: int, paid: int) -> dict[str, Any]:
    allocation = allocation_for(person)
    return {
        "allocation": pounds(allocation),
        "committed": pounds(committed),
        "asked": pounds(asked),
        "paid": pounds(paid),
        "remaining": pounds(allocation - committed),
        "remaining_pence": allocation - committed,
        "own_allocation": bool(person.budget_allocation_pence),
    }


# The person page lists this many of the latest requests; the budget page has them all.
RECENT_SPENDS = 5


def for_record(person: Any) -> dict[str, Any]:
    """The totals and the latest requests, in one query: every request with what was paid
    against it (a handful per person), summed here rather than in three aggregate queries."""
    spends = list(
        SpendRequest.objects.filter(person=person)
        .annotate(paid_pence=Sum("payments__amount_pence"))
        .only("id", "person_id", "what_for", "status", "amount_pence", "created_at")
        .order_by("-created_at", "-id")
    )
    committed = sum(s.amount_pence for s in spends if s.status in COMMITTED)
    asked = sum(s.amount_pence for s in spends if s.status == SpendRequest.Status.REQUESTED)
    paid = sum(s.paid_pence or 0 for s in spends)
    return {
        "budget": _shape(person, committed=committed, asked=asked, paid=paid),
        "spend_requests": spends[:RECENT_SPENDS],
        "spend_requests_more": max(0, len(spends) - RECENT_SPENDS),
    }


def ledger(person: Person) -> dict[str, Any]:
    """Everything on the person's budget page, in a fixed number of queries."""
    spends = list(
        SpendRequest.objects.filter(person=person)
        .select_related("goal", "requested_by", "decided_by")
        .prefetch_related(
            Prefetch(
                "payments",
                queryset=Payment.objects.select_related("paid_by").order_by("paid_on", "id"),
            )
        )
        .order_by("-created_at", "-id")
    )
    paid = 0
    for spend in spends:
        spend.amount = pounds(spend.amount_pence)
        for payment in spend.payments.all():
            payment.amount = pounds(payment.amount_pence)
            paid += payment.amount_pence
    # The totals from the rows already here, not three more queries for the same sums.
    committed = sum(s.amount_pence for s in spends if s.status in COMMITTED)
    asked = sum(s.amount_pence for s in spends if s.status == SpendRequest.Status.REQUESTED)
    budget = _shape(person, committed=committed, asked=asked, paid=paid)
    return {"person": person, "budget": budget, "spends": spends}


# The ledger's months table covers this many months unless every month is asked for: an
# organisation running for years would otherwise get a page of hundreds of rows every time.
LEDGER_MONTHS = 12


def ledger_since(today: datetime.date, months: int = LEDGER_MONTHS) -> datetime.date:
    """The first day of the month `months - 1` months before today's month."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def organisation_ledger(organisation: Any, *, every_month: bool = False) -> dict[str, Any]:
    """Totals by category for all time, and by category and month for the last twelve months
    (or every month): committed (approved or paid requests, by the month they were asked for)
    and paid (by the month paid)."""
    spends = SpendRequest.objects.filter(person__organisation=organisation, status__in=COMMITTED)
    payments = Payment.objects.filter(spend_request__person__organisation=organisation)
    by_category: dict[str, dict[str, int]] = defaultdict(lambda: {"committed": 0, "paid": 0})
    for row in spends.values("category").annotate(total=Sum("amount_pence")):
        by_category[row["category"] or ""]["committed"] += row["total"]
    for paid_row in payments.values("spend_request__category").annotate(total=Sum("amount_pence")):
        by_category[paid_row["spend_request__category"] or ""]["paid"] += paid_row["total"]

    since = None if every_month else ledger_since(timezone.localdate())
    if since is not None:
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time()))
        spends = spends.filter(created_at__gte=start)
        payments = payments.filter(paid_on__gte=since)
    rows: dict[tuple[str, Any], dict[str, int]] = defaultdict(lambda: {"committed": 0, "paid": 0})
    committed = (
        spends.annotate(month=TruncMonth("created_at"))
        .values("category", "month")
        .annotate(total=Sum("amount_pence"))
    )
    for row in committed:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        rows[(row["category"] or "", month.replace(day=1))]["committed"] += row["total"]
    paid = (
        payments.annotate(month=TruncMonth("paid_on"))
        .values("spend_request__category", "month")
        .annotate(total=Sum("amount_pence"))
    )
    for paid_row in paid:
        month = paid_row["month"]
        month = month.date() if hasattr(month, "hour") else month
        category = paid_row["spend_request__category"] or ""
        rows[(category, month.replace(day=1))]["paid"] += paid_row["total"]
    table = [
        {
            "category": category or "other",
            "month": f"{month:%B %Y}",
            "committed": pounds(sums["committed"]),
            "paid": pounds(sums["paid"]),
        }
        for (category, month), sums in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]
    categories = [
        {
            "category": category or "other",
            "committed": pounds(sums["committed"]),
            "paid": pounds(sums["paid"]),
        }
        for category, sums in sorted(by_category.items())
    ]
    return {
        "organisation": organisation,
        "months": table,
        "since": since,
        "categories": categories,
        "total_committed": pounds(sum(s["committed"] for s in by_category.values())),
        "total_paid": pounds(sum(s["paid"] for s in by_category.values())),
    }
