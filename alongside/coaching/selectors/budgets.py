"""Reads for personal budgets: the person's ledger and the organisation's, by category."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, Q, Sum
from django.db.models.functions import TruncMonth

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


def _totals(person: Person) -> dict[str, Any]:
    sums = SpendRequest.objects.filter(person=person).aggregate(
        committed=Sum("amount_pence", filter=Q(status__in=COMMITTED)),
        asked=Sum("amount_pence", filter=Q(status=SpendRequest.Status.REQUESTED)),
    )
    paid = Payment.objects.filter(spend_request__person=person).aggregate(
        total=Sum("amount_pence")
    )["total"]
    allocation = allocation_for(person)
    committed = int(sums["committed"] or 0)
    return {
        "allocation": pounds(allocation),
        "committed": pounds(committed),
        "asked": pounds(sums["asked"] or 0),
        "paid": pounds(paid or 0),
        "remaining": pounds(allocation - committed),
        "remaining_pence": allocation - committed,
        "own_allocation": bool(person.budget_allocation_pence),
    }


def for_record(person: Any) -> dict[str, Any]:
    """What the person page needs from this part of the record (merged into person_record)."""
    return {"budget": _totals(person)}


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
    for spend in spends:
        spend.amount = pounds(spend.amount_pence)
        for payment in spend.payments.all():
            payment.amount = pounds(payment.amount_pence)
    return {"person": person, "budget": _totals(person), "spends": spends}


def organisation_ledger(organisation: Any) -> dict[str, Any]:
    """Totals by category and month for one organisation: committed (approved or paid
    requests, by the month they were asked for) and paid (by the month paid)."""
    committed = (
        SpendRequest.objects.filter(person__organisation=organisation, status__in=COMMITTED)
        .annotate(month=TruncMonth("created_at"))
        .values("category", "month")
        .annotate(total=Sum("amount_pence"))
    )
    paid = (
        Payment.objects.filter(spend_request__person__organisation=organisation)
        .annotate(month=TruncMonth("paid_on"))
        .values("spend_request__category", "month")
        .annotate(total=Sum("amount_pence"))
    )
    rows: dict[tuple[str, Any], dict[str, int]] = defaultdict(lambda: {"committed": 0, "paid": 0})
    for row in committed:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        rows[(row["category"] or "", month.replace(day=1))]["committed"] += row["total"]
    for paid_row in paid:
        month = paid_row["month"]
        month = month.date() if hasattr(month, "hour") else month
        category = paid_row["spend_request__category"] or ""
        rows[(category, month.replace(day=1))]["paid"] += paid_row["total"]
    by_category: dict[str, dict[str, int]] = defaultdict(lambda: {"committed": 0, "paid": 0})
    table = []
    for (category, month), sums in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        by_category[category]["committed"] += sums["committed"]
        by_category[category]["paid"] += sums["paid"]
        table.append(
            {
                "category": category or "other",
                "month": month,
                "committed": pounds(sums["committed"]),
                "paid": pounds(sums["paid"]),
            }
        )
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
        "categories": categories,
        "total_committed": pounds(sum(s["committed"] for s in by_category.values())),
        "total_paid": pounds(sum(s["paid"] for s in by_category.values())),
    }
