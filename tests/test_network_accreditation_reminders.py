"""Renewal reminders: three months before, a month before and on the day, each sent once, by
email to the organisation's leads, and shown on the portfolio page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from alongside.network.models import Portfolio, RenewalReminder
from alongside.network.reminders import send_due_reminders
from alongside.network.rubric_default import ensure_default_rubric

from .factories import text_of

pytestmark = pytest.mark.django_db

RENEWAL = date(2027, 6, 30)


@pytest.fixture
def accredited(world):
    lead = world["lead"]
    lead.email = "lead@example.org"
    lead.save()
    rubric = ensure_default_rubric(network=world["network"])
    return Portfolio.objects.create(
        organisation=world["home"],
        network=world["network"],
        rubric=rubric,
        status=Portfolio.Status.DECIDED,
        outcome=Portfolio.Outcome.ACCREDITED,
        level=rubric.levels.first(),
        decided_at=timezone.now() - timedelta(days=1000),
        renewal_due_on=RENEWAL,
    )


def test_each_reminder_is_sent_once_on_its_day(accredited):
    assert send_due_reminders(today=RENEWAL - timedelta(days=91)) == 0
    assert send_due_reminders(today=RENEWAL - timedelta(days=90)) == 1
    assert send_due_reminders(today=RENEWAL - timedelta(days=90)) == 0
    assert send_due_reminders(today=RENEWAL - timedelta(days=60)) == 0
    assert send_due_reminders(today=RENEWAL - timedelta(days=30)) == 1
    assert send_due_reminders(today=RENEWAL - timedelta(days=29)) == 0
    assert send_due_reminders(today=RENEWAL) == 1
    assert send_due_reminders(today=RENEWAL + timedelta(days=1)) == 0
    kinds = list(accredited.reminders.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["90", "30", "0"]
    assert len(mail.outbox) == 3
    assert mail.outbox[0].to == ["lead@example.org"]
    assert "in three months" in mail.outbox[0].subject
    assert "Wednesday 30 June 2027" in mail.outbox[0].body
    assert "today" in mail.outbox[2].subject


def test_a_late_start_sends_only_the_reminder_its_day_calls_for(accredited):
    assert send_due_reminders(today=RENEWAL - timedelta(days=10)) == 1
    assert send_due_reminders(today=RENEWAL - timedelta(days=9)) == 0
    assert list(accredited.reminders.values_list("kind", flat=True)) == ["30"]


def test_not_yet_and_renewed_are_not_reminded(world, accredited):
    accredited.outcome = Portfolio.Outcome.NOT_YET
    accredited.save()
    assert send_due_reminders(today=RENEWAL) == 0
    accredited.outcome = Portfolio.Outcome.ACCREDITED
    accredited.save()
    Portfolio.objects.create(
        organisation=world["home"],
        network=world["network"],
        rubric=accredited.rubric,
        status=Portfolio.Status.DECIDED,
        outcome=Portfolio.Outcome.ACCREDITED,
        decided_at=timezone.now(),
        renewal_due_on=RENEWAL + timedelta(days=3 * 365),
    )
    assert send_due_reminders(today=RENEWAL) == 0
    assert not RenewalReminder.objects.exists()


def test_a_reminder_is_shown_on_the_portfolio_page(world, login, accredited):
    send_due_reminders(today=RENEWAL - timedelta(days=30))
    page = text_of(login(world["lead"]).get(f"/network/accreditation/{accredited.pk}/"))
    assert "Renewal reminders" in page
    assert "A month before" in page
    assert "Renewal is due on" in page
