"""Two approvals at the same moment can never take a budget over its allocation.

Runs on PostgreSQL only: there, each thread holds its own connection and the row lock in
spend_request_approve is what keeps them apart. (On SQLite, IMMEDIATE transactions
serialise writers anyway; tests/test_coaching_budgets.py checks the refusal itself on
both databases.)"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from alongside.coaching.models import SpendRequest
from alongside.coaching.selectors.budgets import allocation_for, committed_pence
from alongside.coaching.services import budgets as services

from . import factories


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_never_overspend(audit_log_flushable):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: concurrent connections and row locks "
            f"(this run uses {connection.vendor}; CI runs the suite on both)"
        )
    from alongside.accounts.models import Role

    org = factories.organisation()
    lead = factories.staff(Role.LEAD, org)
    sam = factories.person(org, name="Sam")
    sam.budget_allocation_pence = 50000
    sam.save()
    first = SpendRequest.objects.create(person=sam, what_for="course", amount_pence=30000)
    second = SpendRequest.objects.create(person=sam, what_for="tools", amount_pence=30000)

    start = threading.Barrier(2)
    results: list[str] = []
    lock = threading.Lock()

    def approve(spend_id: int) -> None:
        try:
            spend = SpendRequest.objects.select_related("person__organisation").get(pk=spend_id)
            start.wait(timeout=10)
            try:
                services.spend_request_approve(actor=lead, spend=spend)
                outcome = "approved"
            except ValidationError as refused:
                outcome = "refused: " + " ".join(refused.messages)
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(s.pk,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(results) == 2, results
    assert results.count("approved") == 1, results
    assert "over Sam's budget" in next(r for r in results if r != "approved")
    assert committed_pence(sam) <= allocation_for(sam)
    assert SpendRequest.objects.filter(status=SpendRequest.Status.APPROVED).count() == 1
