"""A coach and a lead answer the same correction request at the same moment: only the first
answer is kept, and the person is told what really happened.

Runs on PostgreSQL only: there, each thread holds its own connection, and the
compare-and-set in correction_decide (change the request only while it is still "asked") is
what keeps the two apart. (On SQLite, IMMEDIATE transactions serialise writers anyway;
tests/test_me_corrections.py checks the refusal itself on both databases.)"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from alongside.accounts.models import Role
from alongside.coaching.models import Conversation, CorrectionRequest
from alongside.coaching.services.corrections import (
    CorrectionAlreadyDecidedError,
    correction_ask,
    correction_decide,
)

from . import factories


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_only_the_first_is_kept(audit_log_flushable):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: concurrent connections and row locks "
            f"(this run uses {connection.vendor}; CI runs the suite on both)"
        )
    org = factories.organisation()
    coach = factories.staff(Role.COACH, org)
    lead = factories.staff(Role.LEAD, org)
    sam = factories.person_with_sign_in(org, coach, name="Sam")
    talk = Conversation.objects.create(person=sam, notes="Sam was late again.", written_by=coach)
    asked = correction_ask(
        actor=sam.user,
        person=sam,
        about_type="conversation",
        about_id=talk.pk,
        field_name="notes",
        asked_for="The bus was late, so I was late.",
    )

    start = threading.Barrier(2)
    results: dict[str, str] = {}
    lock = threading.Lock()

    def decide(who: str, actor, accept: bool) -> None:
        try:
            mine = CorrectionRequest.objects.select_related("person").get(pk=asked.pk)
            start.wait(timeout=10)
            try:
                correction_decide(actor=actor, correction=mine, accept=accept, reply=who)
                outcome = "saved"
            except CorrectionAlreadyDecidedError as first:
                outcome = f"already decided by {first.correction.reply}"
            with lock:
                results[who] = outcome
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("coach", coach, True)),
        threading.Thread(target=decide, args=("lead", lead, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(results) == 2, results
    winners = [who for who, outcome in results.items() if outcome == "saved"]
    assert len(winners) == 1, results
    winner = winners[0]
    loser = "lead" if winner == "coach" else "coach"
    assert results[loser] == f"already decided by {winner}"
    asked.refresh_from_db()
    talk.refresh_from_db()
    assert asked.reply == winner
    if winner == "coach":
        assert asked.status == CorrectionRequest.Status.CHANGED
        assert talk.notes == "The bus was late, so I was late." and talk.version == 2
    else:
        assert asked.status == CorrectionRequest.Status.NOT_CHANGED
        assert talk.notes == "Sam was late again." and talk.version == 1
