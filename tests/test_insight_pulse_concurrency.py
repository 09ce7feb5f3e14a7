"""Two phones send answers through the same private link at the same moment: one answer is
kept, the other is told the link has been used.

Runs on PostgreSQL only: there, each thread holds its own connection, and the row lock on
the link (with the update only while it is unused) keeps them apart. On SQLite, IMMEDIATE
transactions serialise writers anyway; tests/test_insight_pulse_answer.py checks the refusal
on both databases."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from alongside.accounts.models import Organisation, Role
from alongside.insight.models import PulseAnswer, PulseLink
from alongside.insight.services import pulses as services

from . import factories


@pytest.mark.django_db(transaction=True)
def test_two_answers_through_one_link_at_once_keep_one(audit_log_flushable):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: concurrent connections and row locks "
            f"(this run uses {connection.vendor}; CI runs the suite on both)"
        )
    place = factories.area()
    council = factories.organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=place)
    analyst = factories.staff(Role.ANALYST, council)
    pulse = services.pulse_create(
        actor=analyst,
        area=place,
        audience="citizens",
        title="Living here",
        item_keys=["citizens.valued"],
    )
    _, (token,) = services.round_create(
        actor=analyst,
        pulse=pulse,
        title="Spring",
        opens_on=timezone.localdate(),
        closes_on=None,
        links=1,
    )
    start = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def send(value: int) -> None:
        try:
            start.wait(timeout=10)
            try:
                services.answer_submit(token=token, answers={"citizens.valued": value})
                outcome = "kept"
            except services.LinkUsedError:
                outcome = "used"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(v,)) for v in (2, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["kept", "used"]
    assert PulseAnswer.objects.count() == 1
    assert PulseLink.objects.get().used
