"""SpendTotal, an organisation's spending by kind and month, is kept by database triggers
(coaching migration 0007). Whatever changes requests and payments (a service, a plain save, a
bulk load, a delete that takes payments with it), the totals stay what adding up every
request and payment gives."""

import datetime
import importlib
import random
from collections import defaultdict
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from alongside.coaching.models import Payment, SpendRequest, SpendTotal
from alongside.coaching.selectors.budgets import organisation_ledger

pytestmark = pytest.mark.django_db

COMMITTED = (SpendRequest.Status.APPROVED, SpendRequest.Status.PAID)
KINDS = ["travel", "food", "", "clothes"]


def added_up() -> dict[tuple[Any, ...], tuple[int, int, int, int]]:
    """The totals worked out from every request and payment, as the pages did before."""
    sums: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    committed = (
        SpendRequest.objects.filter(status__in=COMMITTED)
        .annotate(month=TruncMonth("created_at"))
        .values_list("person__organisation_id", "category", "month")
        .annotate(pence=Sum("amount_pence"), n=Count("id"))
    )
    for organisation_id, category, month, pence, n in committed:
        key = (organisation_id, category, timezone.localtime(month).date())
        sums[key][0] += pence
        sums[key][1] += n
    paid = (
        Payment.objects.annotate(month=TruncMonth("paid_on"))
        .values_list("spend_request__person__organisation_id", "spend_request__category", "month")
        .annotate(pence=Sum("amount_pence"), n=Count("id"))
    )
    for organisation_id, category, month, pence, n in paid:
        key = (organisation_id, category, month)
        sums[key][2] += pence
        sums[key][3] += n
    return {key: tuple(value) for key, value in sums.items()}  # type: ignore[misc]


def kept() -> dict[tuple[Any, ...], tuple[int, int, int, int]]:
    return {
        (t.organisation_id, t.category, t.month): (
            t.committed_pence,
            t.committed_count,
            t.paid_pence,
            t.paid_count,
        )
        for t in SpendTotal.objects.all()
    }


def _when(rng: random.Random) -> datetime.datetime:
    # Late on a month's last day in UTC is early the next month in London in summer.
    day = rng.choice(
        [
            datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC),
            datetime.datetime(2026, 6, 30, 23, 59, tzinfo=datetime.UTC),
            datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC),
            datetime.datetime(2026, 1, 15, 12, 0, tzinfo=datetime.UTC),
        ]
    )
    return day


def test_totals_follow_every_kind_of_change(world):
    rng = random.Random(7)
    people = [world["sam"], world["alex"], world["jo"]]
    assert len({p.organisation_id for p in people}) == 2  # two organisations' totals
    spends: list[SpendRequest] = []
    payments: list[Payment] = []
    for step in range(120):
        action = rng.choice(["ask", "ask", "decide", "edit", "pay", "repay", "unpay", "drop"])
        if action == "ask" or not spends:
            spends.append(
                SpendRequest.objects.create(
                    person=rng.choice(people),
                    what_for="something",
                    category=rng.choice(KINDS),
                    amount_pence=rng.randrange(0, 5000),
                    status=rng.choice(SpendRequest.Status.values),
                    created_at=_when(rng),
                )
            )
        elif action == "decide":
            spend = rng.choice(spends)
            spend.status = rng.choice(SpendRequest.Status.values)
            spend.save()
        elif action == "edit":
            spend = rng.choice(spends)
            spend.category = rng.choice(KINDS)
            spend.amount_pence = rng.randrange(0, 5000)
            spend.person = rng.choice(people)
            spend.save()
        elif action == "pay":
            payments.append(
                Payment.objects.create(
                    spend_request=rng.choice(spends),
                    amount_pence=rng.randrange(1, 3000),
                    paid_on=_when(rng).date(),
                )
            )
        elif action == "repay" and payments:
            payment = rng.choice(payments)
            payment.amount_pence = rng.randrange(1, 3000)
            payment.paid_on = _when(rng).date()
            payment.save()
        elif action == "unpay" and payments:
            payments.pop(rng.randrange(len(payments))).delete()
        elif action == "drop":
            spend = spends.pop(rng.randrange(len(spends)))
            payments = [p for p in payments if p.spend_request_id != spend.pk]
            spend.delete()  # takes its payments with it
        assert kept() == added_up(), f"after step {step}: {action}"
    assert SpendTotal.objects.exists()


def test_a_request_counts_in_the_month_it_was_asked_for_where_the_site_is(world):
    SpendRequest.objects.create(
        person=world["sam"],
        what_for="a coat",
        amount_pence=2500,
        status=SpendRequest.Status.APPROVED,
        created_at=datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC),
    )
    (total,) = SpendTotal.objects.all()
    assert total.month == datetime.date(2026, 4, 1)  # 00:30 on 1 April in London
    assert (total.committed_pence, total.committed_count) == (2500, 1)


def test_bulk_loads_and_deleting_a_person_keep_the_totals(world):
    sam = world["sam"]
    made = SpendRequest.objects.bulk_create(
        SpendRequest(
            person=sam,
            what_for=f"bus fare {i}",
            category="travel",
            amount_pence=100 * i,
            status=SpendRequest.Status.PAID,
            created_at=datetime.datetime(2026, 5, 2, tzinfo=datetime.UTC),
        )
        for i in range(1, 6)
    )
    Payment.objects.bulk_create(
        Payment(spend_request=spend, amount_pence=spend.amount_pence, paid_on="2026-05-03")
        for spend in made
    )
    assert (
        kept()
        == added_up()
        == {(sam.organisation_id, "travel", datetime.date(2026, 5, 1)): (1500, 5, 1500, 5)}
    )
    SpendRequest.objects.filter(person=sam).delete()
    assert kept() == {}


def test_the_migration_adds_up_what_was_there_before(world):
    for pence in (300, 700):
        spend = SpendRequest.objects.create(
            person=world["alex"],
            what_for="food",
            category="food",
            amount_pence=pence,
            status=SpendRequest.Status.APPROVED,
        )
        Payment.objects.create(spend_request=spend, amount_pence=pence - 100)
    before = kept()
    SpendTotal.objects.all().delete()
    migration = importlib.import_module("alongside.coaching.migrations.0007_spend_totals")
    migration._add_up_existing(apps)
    assert kept() == before == added_up()


def test_the_ledger_reads_the_kept_totals(world):
    home = world["sam"].organisation
    today = timezone.localdate()
    spend = SpendRequest.objects.create(
        person=world["sam"],
        what_for="a bike",
        category="travel",
        amount_pence=12000,
        status=SpendRequest.Status.APPROVED,
    )
    Payment.objects.create(spend_request=spend, amount_pence=5000, paid_on=today)
    SpendRequest.objects.create(
        person=world["sam"],
        what_for="long ago",
        category="food",
        amount_pence=800,
        status=SpendRequest.Status.PAID,
        created_at=timezone.now() - datetime.timedelta(days=800),
    )
    ledger = organisation_ledger(home)
    assert ledger["categories"] == [
        {"category": "food", "committed": "£8", "paid": "£0"},
        {"category": "travel", "committed": "£120", "paid": "£50"},
    ]
    assert ledger["months"] == [
        {"category": "travel", "month": f"{today:%B %Y}", "committed": "£120", "paid": "£50"}
    ]
    assert len(organisation_ledger(home, every_month=True)["months"]) == 2
    assert (ledger["total_committed"], ledger["total_paid"]) == ("£128", "£50")
