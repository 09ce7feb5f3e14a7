"""The lead's budget ledger made cheaper without changing a byte (issue 11): its rows are
written in Python (coaching/templatetags/ledger_rows.py) and its totals by kind of spend are
queries the ORM writes once (core/written.py). The page is compared with what
coaching/budgets/organisation.html wrote before, kept below, for a lead of two organisations."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db.models import Sum
from django.template import engines, loader
from django.test import RequestFactory
from django.utils import timezone

from alongside.accounts.models import Membership, Organisation, Role
from alongside.coaching.models import Payment, SpendRequest
from alongside.coaching.selectors import budgets
from alongside.core.written import rows

from .factories import organisation, person

pytestmark = pytest.mark.django_db

# coaching/budgets/organisation.html as it was before its rows were written in Python.
REFERENCE = """{% extends "base.html" %}
{% block title %}Personal budgets ledger{% endblock %}
{% block content %}
<h1>Personal budgets ledger</h1>
<p class="lead">What has been committed and paid from people's budgets, by kind of spend and month.</p>
<p><a href="{% url 'home:home' %}#lead-waiting-title">Spending over a coach's limit, waiting for your decision</a></p>
{% for l in ledgers %}
<section aria-labelledby="ledger-{{ l.organisation.pk }}">
  <h2 id="ledger-{{ l.organisation.pk }}">{{ l.organisation.name }}</h2>
  <p>Committed in all: {{ l.total_committed }}. Paid in all: {{ l.total_paid }}.</p>
  {% if l.categories %}
  <div class="table-wrap">
    <table>
      <caption>By kind of spend</caption>
      <thead><tr><th scope="col">Kind of spend</th><th scope="col" class="num">Committed</th><th scope="col" class="num">Paid</th></tr></thead>
      <tbody>
        {% for row in l.categories %}<tr><th scope="row">{{ row.category }}</th><td class="num">{{ row.committed }}</td><td class="num">{{ row.paid }}</td></tr>{% endfor %}
      </tbody>
    </table>
  </div>
  <div class="table-wrap">
    <table>
      <caption>By month and kind of spend{% if l.since %}, since {{ l.since|date:"F Y" }}{% endif %}</caption>
      <thead><tr><th scope="col">Month</th><th scope="col">Kind of spend</th><th scope="col" class="num">Committed</th><th scope="col" class="num">Paid</th></tr></thead>
      <tbody>
        {% for row in l.months %}<tr><td>{{ row.month }}</td><td>{{ row.category }}</td><td class="num">{{ row.committed }}</td><td class="num">{{ row.paid }}</td></tr>{% endfor %}
      </tbody>
    </table>
  </div>
  <p>{% if every_month %}<a href="?">Show the last twelve months only</a>{% else %}<a href="?months=all">Show every month</a>{% endif %}</p>
  {% else %}
  <p>Nothing committed or paid yet.</p>
  {% endif %}
</section>
{% endfor %}
{% endblock %}
"""  # noqa: E501

CATEGORIES = ["travel", "", "<b>Tom & Jerry's</b>", 'clothes "smart"']


def _spend(who, category: str, pence: int, status: str, days_ago: int, paid: int = 0) -> None:
    spend = SpendRequest.objects.create(
        person=who, what_for="things", category=category, amount_pence=pence, status=status
    )
    at = timezone.now() - datetime.timedelta(days=days_ago)
    SpendRequest.objects.filter(pk=spend.pk).update(created_at=at)
    if paid:
        Payment.objects.create(spend_request=spend, amount_pence=paid, paid_on=at.date())


@pytest.fixture
def lead(world):
    """A lead of two organisations with spending over two years, and one with none."""
    second = organisation(area_obj=world["area"])
    Membership.objects.create(user=world["lead"], organisation=second, role=Role.LEAD)
    sam, other = world["sam"], person(world["other"], None, "Jo")
    statuses = [SpendRequest.Status.APPROVED, SpendRequest.Status.PAID]
    for n in range(24):
        category = CATEGORIES[n % len(CATEGORIES)]
        status = statuses[n % 2]
        paid = 1000 + n if status == SpendRequest.Status.PAID else 0
        _spend(sam, category, 2500 + n * 101, status, days_ago=n * 31, paid=paid)
        _spend(other, category, 999, status, days_ago=n * 17, paid=paid)  # not hers
    _spend(sam, "travel", 5000, SpendRequest.Status.REQUESTED, days_ago=2)  # not committed
    world["lead"].__dict__.pop("_alongside_held", None)
    return world["lead"]


def _page_both_ways(user, every_month: bool) -> tuple[str, str]:
    request = RequestFactory().get("/people/budget/ledger/")
    request.user = user
    led = Membership.objects.filter(user=user, role=Role.LEAD).values_list(
        "organisation_id", flat=True
    )
    context = {
        "ledgers": [
            budgets.organisation_ledger(org, every_month=every_month)
            for org in Organisation.objects.filter(pk__in=led).order_by("name")
        ],
        "every_month": every_month,
    }
    now = loader.get_template("coaching/budgets/organisation.html").render(context, request)
    then = engines["django"].from_string(REFERENCE).render(context, request)
    return _unmasked(now), _unmasked(then)


def _unmasked(html: str) -> str:
    """The sign-out form's CSRF token is masked afresh on each render."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("every_month", [False, True])
def test_the_ledger_writes_what_it_wrote_before(lead, every_month):
    now, then = _page_both_ways(lead, every_month)
    assert now == then
    assert '<th scope="row">&lt;b&gt;Tom &amp; Jerry&#x27;s&lt;/b&gt;</th>' in now
    assert '<th scope="row">other</th>' in now
    assert "clothes &quot;smart&quot;" in now
    assert "Nothing committed or paid yet." in now  # the second organisation
    months = now.count("<tr><td>")
    assert months > 10 and (months > 20) == every_month


def test_the_totals_kept_are_the_requests_and_payments_added_up(lead, world):
    for org in (world["home"], world["other"]):
        committed = SpendRequest.objects.filter(
            person__organisation=org, status__in=budgets.COMMITTED
        )
        paid = Payment.objects.filter(spend_request__person__organisation=org)
        by_kind: dict[tuple[str, str], int] = {}
        for category, _month, pence, n, paid_pence, paid_n in rows(
            "totals", budgets._totals_query, [org.pk]
        ):
            for kind, sum_, count in (("committed", pence, n), ("paid", paid_pence, paid_n)):
                if count:
                    by_kind[(kind, category)] = by_kind.get((kind, category), 0) + sum_
        expected = {
            ("committed", r["category"]): r["total"]
            for r in committed.values("category").annotate(total=Sum("amount_pence"))
        } | {
            ("paid", r["spend_request__category"]): r["total"]
            for r in paid.values("spend_request__category").annotate(total=Sum("amount_pence"))
        }
        assert by_kind == expected
    assert rows("totals", budgets._totals_query, [world["home"].pk])


def test_the_page_served_is_the_page_compared(lead, login):
    page = login(lead).get("/people/budget/ledger/")
    assert page.status_code == 200
    now, _ = _page_both_ways(lead, False)
    start = now.index("<h1>Personal budgets ledger</h1>")
    assert now[start : now.index("</main>")] in _unmasked(page.content.decode())
