"""Reads for personal budgets: the person's ledger and the organisation's, by category."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from alongside.core.money import pounds
from alongside.core.words import day_month_year
from alongside.core.written import person_rows
from alongside.core.written import rows as written_rows

from ..models import Payment, Person, SpendRequest, SpendTotal
from .shaping import part_paths

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

STATUS_LABELS = dict(SpendRequest.Status.choices)


def _spends_query(person_id: int) -> QuerySet[SpendRequest, tuple[Any, ...]]:
    return (
        SpendRequest.objects.filter(person_id=person_id)
        .values_list("pk", "what_for", "status", "amount_pence")  # one row per request
        .annotate(paid_pence=Sum("payments__amount_pence"))
        .order_by("-created_at", "-id")
    )


# What for_record reads by the person's id, sent to the database together for the person page
# (core.written.together, in selectors.record).
RECORD_READS = (_spends_query,)


def for_record(person: Any) -> dict[str, Any]:
    """The totals and the latest requests, in one query: every request with what was paid
    against it (a handful per person), summed here rather than in three aggregate queries."""
    spends = person_rows(_spends_query, person.pk)
    committed = sum(amount for _, _, status, amount, _ in spends if status in COMMITTED)
    asked = sum(
        amount for _, _, status, amount, _ in spends if status == SpendRequest.Status.REQUESTED
    )
    paid = sum(paid or 0 for *_, paid in spends)
    return {
        "budget": _shape(person, committed=committed, asked=asked, paid=paid),
        # What the person page says of each: "bus pass: approved".
        "spend_requests": [
            {"what_for": what_for, "status": STATUS_LABELS.get(status, status).lower()}
            for _, what_for, status, _, _ in spends[:RECENT_SPENDS]
        ],
        "spend_requests_more": max(0, len(spends) - RECENT_SPENDS),
    }


@dataclass
class PaymentRow:
    amount: str  # "£12.50"
    paid_on: str  # "3 November 2026"
    receipt_url: str  # "" when no receipt was kept


@dataclass
class SpendRow:
    """One request on the budget page, with its words worked out here. `person`, `status`
    and `amount_pence` are what the policy's SPEND_DECIDE rule reads of a request, so the
    page asks the policy about each row itself."""

    pk: int
    person: Person
    what_for: str
    amount_pence: int
    amount: str  # "£12.50"
    status: str
    status_label: str  # "Approved"
    category: str
    goal: str | None  # the words of the goal it is towards, None when it names none
    asked_on: str  # "3 November 2026"
    asked_by: str  # who asked: their full name, else their username; "" if unknown
    decided_on: str  # "" until decided
    decided_by: str
    decision_note: str
    decide_url: str
    pay_url: str
    payments: list[PaymentRow] = field(default_factory=list)
    may_decide: bool = False
    waiting_for_lead: bool = False


def _name(first: str | None, last: str | None, username: str | None) -> str:
    """`user.get_full_name|default:user.username`, from the columns; "" for nobody."""
    if username is None:
        return ""
    return f"{first} {last}".strip() or username


def ledger(person: Person) -> dict[str, Any]:
    """Everything on the person's budget page, in two queries: the requests (with the words
    of their goal and who asked and decided), and their payments."""
    spends = (
        SpendRequest.objects.filter(person=person)
        .order_by("-created_at", "-id")
        .values_list(
            "pk",
            "what_for",
            "amount_pence",
            "status",
            "category",
            "goal__words",
            "created_at",
            "requested_by__first_name",
            "requested_by__last_name",
            "requested_by__username",
            "decided_at",
            "decided_by__first_name",
            "decided_by__last_name",
            "decided_by__username",
            "decision_note",
        )
    )
    decide_path = part_paths("coaching:spend_request_decide", person.pk)
    pay_path = part_paths("coaching:payment_add", person.pk)
    rows: dict[int, SpendRow] = {}
    for (
        pk,
        what_for,
        amount_pence,
        status,
        category,
        goal,
        created_at,
        asker_first,
        asker_last,
        asker,
        decided_at,
        decider_first,
        decider_last,
        decider,
        decision_note,
    ) in spends:
        rows[pk] = SpendRow(
            pk=pk,
            person=person,
            what_for=what_for,
            amount_pence=amount_pence,
            amount=pounds(amount_pence),
            status=status,
            status_label=STATUS_LABELS.get(status, status),
            category=category,
            goal=goal,
            asked_on=day_month_year(created_at),
            asked_by=_name(asker_first, asker_last, asker),
            decided_on=day_month_year(decided_at),
            decided_by=_name(decider_first, decider_last, decider),
            decision_note=decision_note,
            decide_url=decide_path(pk),
            pay_url=pay_path(pk),
        )
    paid = 0
    if rows:
        receipt_path = part_paths("coaching:receipt", person.pk)
        payments = (
            Payment.objects.filter(spend_request_id__in=list(rows))
            .order_by("paid_on", "id")
            .values_list("spend_request_id", "pk", "amount_pence", "paid_on", "receipt")
        )
        for spend_id, pk, amount_pence, paid_on, receipt in payments:
            rows[spend_id].payments.append(
                PaymentRow(
                    amount=pounds(amount_pence),
                    paid_on=day_month_year(paid_on),
                    receipt_url=receipt_path(pk) if receipt else "",
                )
            )
            paid += amount_pence
    spend_rows = list(rows.values())
    # The totals from the rows already here, not three more queries for the same sums.
    committed = sum(s.amount_pence for s in spend_rows if s.status in COMMITTED)
    asked = sum(s.amount_pence for s in spend_rows if s.status == SpendRequest.Status.REQUESTED)
    budget = _shape(person, committed=committed, asked=asked, paid=paid)
    return {"person": person, "budget": budget, "spends": spend_rows}


# The ledger's months table covers this many months unless every month is asked for: an
# organisation running for years would otherwise get a page of hundreds of rows every time.
LEDGER_MONTHS = 12


def ledger_since(today: datetime.date, months: int = LEDGER_MONTHS) -> datetime.date:
    """The first day of the month `months - 1` months before today's month."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return datetime.date(index // 12, index % 12 + 1, 1)


def _totals_query(organisation_ids: list[int]) -> QuerySet[Any]:
    """The organisation's spend totals, a row for each kind of spend and month (kept by the
    database: SpendTotal), written once (core.written)."""
    (organisation_id,) = organisation_ids
    return SpendTotal.objects.filter(organisation_id=organisation_id).values_list(
        "category", "month", "committed_pence", "committed_count", "paid_pence", "paid_count"
    )


def organisation_ledger(organisation: Any, *, every_month: bool = False) -> dict[str, Any]:
    """Totals by category for all time, and by category and month for the last twelve months
    (or every month): committed (approved or paid requests, by the month they were asked for)
    and paid (by the month paid). One query of the few rows SpendTotal keeps, however many
    requests and payments there have been."""
    since = None if every_month else ledger_since(timezone.localdate())
    by_category: dict[str, dict[str, int]] = defaultdict(lambda: {"committed": 0, "paid": 0})
    rows: dict[tuple[str, Any], dict[str, int]] = defaultdict(lambda: {"committed": 0, "paid": 0})
    totals = written_rows("ledger totals", _totals_query, [organisation.pk])
    for category, month, committed, committed_count, paid, paid_count in totals:
        # A kind or month shows where there is something committed or paid, as when these were
        # added up from the requests (a request approved for £0 still shows).
        present = [
            (kind, pence)
            for kind, pence, n in (
                ("committed", committed, committed_count),
                ("paid", paid, paid_count),
            )
            if n
        ]
        for kind, pence in present:
            by_category[category or ""][kind] += pence
            if since is None or month >= since:
                rows[(category or "", month)][kind] += pence
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
