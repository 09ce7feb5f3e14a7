"""Renewal reminders for accredited organisations (issue 15, item 3): three months before the
renewal date, a month before, and on the day, each sent once, by email to the organisation's
leads and shown on the portfolio page.

`send_due_reminders` is run every day by the worker (`core.schedule`). Each reminder is a
`RenewalReminder` row, unique per portfolio and kind, written in the same transaction as the
email is handed over: a failed send leaves no row, so the next day tries again; a second run,
or a second worker, finds the row and sends nothing. A portfolio that has come late to the
schedule (decided a month before its renewal) gets only the reminder its day calls for, never
the earlier ones afterwards. An accreditation that has been renewed since (a later decided
portfolio) is not reminded about.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import Membership, Role
from alongside.core import audit
from alongside.core.models import AuditAction
from alongside.core.words import day_words

from .models import Portfolio, RenewalReminder

# Most advanced first: the first whose day has come is the one to send.
KINDS: tuple[tuple[str, int], ...] = (
    (RenewalReminder.Kind.DUE, 0),
    (RenewalReminder.Kind.THIRTY_DAYS, 30),
    (RenewalReminder.Kind.NINETY_DAYS, 90),
)
LOOK_AHEAD_DAYS = 90


def due_kind(renewal: date, today: date) -> str | None:
    """Which reminder `today` calls for, or None before three months ahead."""
    for kind, days in KINDS:
        if today >= renewal - timedelta(days=days):
            return kind
    return None


def _renewed_since(portfolio: Portfolio) -> bool:
    return (
        Portfolio.objects.filter(
            organisation_id=portfolio.organisation_id,
            network_id=portfolio.network_id,
            status=Portfolio.Status.DECIDED,
            decided_at__gt=portfolio.decided_at,
        )
        .exclude(pk=portfolio.pk)
        .exists()
    )


def _leads_emails(portfolio: Portfolio) -> list[str]:
    return sorted(
        {
            email
            for email in Membership.objects.filter(
                organisation_id=portfolio.organisation_id,
                role=Role.LEAD,
                user__is_active=True,
            ).values_list("user__email", flat=True)
            if email
        }
    )


def _message(portfolio: Portfolio, kind: str) -> tuple[str, str]:
    renewal = day_words(portfolio.renewal_due_on)
    when = {
        RenewalReminder.Kind.NINETY_DAYS: "in three months",
        RenewalReminder.Kind.THIRTY_DAYS: "in a month",
        RenewalReminder.Kind.DUE: "today",
    }[RenewalReminder.Kind(kind)]
    subject = f"Your accreditation with {portfolio.network.name} is due for renewal {when}"
    path = reverse("network:portfolio", args=[portfolio.pk])
    body = (
        f"Hello,\n\n{portfolio.organisation.name}'s accreditation with {portfolio.network.name} "
        f"is due for renewal on {renewal}.\n\nWhen you are ready, sign in to Alongside and start "
        f"a new portfolio from the accreditation page. You can see this one at {path}.\n\n"
        "Thank you for all you do.\n"
    )
    return subject, body


def send_due_reminders(*, today: date) -> int:
    """Send every reminder whose day has come and that has not been sent; how many were."""
    horizon = today + timedelta(days=LOOK_AHEAD_DAYS)
    candidates = Portfolio.objects.filter(
        status=Portfolio.Status.DECIDED,
        outcome=Portfolio.Outcome.ACCREDITED,
        renewal_due_on__isnull=False,
        renewal_due_on__lte=horizon,
    ).select_related("organisation", "network")
    sent = 0
    for portfolio in candidates:
        assert portfolio.renewal_due_on is not None
        kind = due_kind(portfolio.renewal_due_on, today)
        if kind is None or _renewed_since(portfolio):
            continue
        if RenewalReminder.objects.filter(portfolio=portfolio, kind=kind).exists():
            continue
        try:
            with transaction.atomic():
                RenewalReminder.objects.create(
                    portfolio=portfolio, kind=kind, sent_at=timezone.now()
                )
                audit.record(
                    None, AuditAction.CREATE, portfolio, detail=f"renewal reminder {kind} sent"
                )
                recipients = _leads_emails(portfolio)
                if recipients:
                    subject, body = _message(portfolio, kind)
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except IntegrityError:  # another worker sent it first
            continue
        sent += 1
    return sent


def run_daily() -> int:
    """For `core.schedule`: today's reminders."""
    return send_due_reminders(today=timezone.localdate())
