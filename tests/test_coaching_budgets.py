"""Personal budgets: asking, deciding within limits and the allocation, paying, receipts,
and the ledgers, through the real pages and services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from alongside.coaching.models import Goal, Payment, SpendRequest
from alongside.coaching.receipts import receipt_check
from alongside.coaching.selectors.budgets import allocation_for, committed_pence
from alongside.coaching.services import budgets as services
from alongside.core.models import AuditAction, AuditEntry
from alongside.core.money import parse_pounds, pounds

from .factories import text_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a small receipt\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def spend(person, pence, status=SpendRequest.Status.REQUESTED, **extra):
    return SpendRequest.objects.create(
        person=person,
        what_for="forklift licence course",
        amount_pence=pence,
        status=status,
        **extra,
    )


def pay(actor, asked, pence):
    return services.payment_record(
        actor=actor, spend=asked, amount_pence=pence, paid_on=asked.created_at.date()
    )


# --- money -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, pence",
    [
        ("£300", 30000),
        ("300", 30000),
        ("12.50", 1250),
        ("12.5", 1250),
        ("0.01", 1),
        (" £1,234.56 ", 123456),
        ("0.10", 10),
    ],
)
def test_amounts_are_parsed_into_whole_pence(typed, pence):
    assert parse_pounds(typed) == pence


@pytest.mark.parametrize(
    "typed, words",
    [
        ("-5", "more than £0"),
        ("£-5", "more than £0"),
        ("0", "more than £0"),
        ("0.00", "more than £0"),
        ("12.505", "no more than 2 numbers after the point"),
        ("twelve", "amount in pounds"),
        ("1e3", "amount in pounds"),
        ("", "Enter an amount"),
        ("12.", "amount in pounds"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message(typed, words):
    with pytest.raises(ValidationError) as refused:
        parse_pounds(typed)
    assert words in " ".join(refused.value.messages)


def test_pence_are_shown_as_pounds():
    assert pounds(123450) == "£1,234.50"
    assert pounds(5) == "£0.05"
    assert pounds(0) == "£0"
    assert pounds(-4000) == "-£40"


# --- asking -----------------------------------------------------------------------------


def test_coach_asks_for_a_spend_tied_to_a_goal(world, login):
    sam = world["sam"]
    goal = Goal.objects.create(person=sam, words="drive a forklift")
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/budget/ask/",
        {
            "what_for": "Forklift licence course",
            "amount": "£300",
            "category": "Training",
            "goal": goal.pk,
        },
    )
    assert response.status_code == 302
    made = SpendRequest.objects.get()
    assert (made.amount_pence, made.goal, made.category) == (30000, goal, "training")
    assert made.requested_by == world["coach"]
    assert made.status == SpendRequest.Status.REQUESTED
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_id=str(made.pk))
    assert entry.person_id == sam.pk and entry.detail == "spend requested"


def test_the_person_can_ask_too(world):
    sam = world["sam"]
    made = services.spend_request_create(
        actor=sam.user, person=sam, what_for="Bus pass", category="travel", amount_pence=2500
    )
    assert made.requested_by == sam.user


def test_bad_amount_reshows_what_was_typed_and_writes_nothing(world, login):
    sam = world["sam"]
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/budget/ask/", {"what_for": "Boots for work", "amount": "12.505"}
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "Boots for work" in body and "12.505" in body
    assert "no more than 2 numbers after the point" in body
    assert not SpendRequest.objects.exists()


def test_a_goal_of_someone_else_cannot_be_chosen(world, login):
    alex_goal = Goal.objects.create(person=world["alex"], words="alex's goal")
    sam = world["sam"]
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/budget/ask/",
        {"what_for": "Boots", "amount": "20", "goal": alex_goal.pk},
    )
    assert response.status_code == 200
    assert not SpendRequest.objects.exists()


@pytest.mark.parametrize("who", ["other_coach", "second_coach", "commissioner", "alex"])
def test_others_cannot_open_the_budget_or_ask(world, login, who):
    sam = world["sam"]
    user = world["alex"].user if who == "alex" else world[who]
    client = login(user)
    for path in (f"/people/{sam.pk}/budget/", f"/people/{sam.pk}/budget/ask/"):
        response = client.get(path)
        assert response.status_code == 403
    response = client.post(f"/people/{sam.pk}/budget/ask/", {"what_for": "x", "amount": "5"})
    assert response.status_code == 403
    assert not SpendRequest.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).count() == 3


# --- deciding ---------------------------------------------------------------------------


def test_coach_approves_within_their_limit(world, login):
    sam = world["sam"]
    asked = spend(sam, 8000)
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/budget/{asked.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == SpendRequest.Status.APPROVED
    assert asked.decided_by == world["coach"] and asked.decided_at is not None
    assert AuditEntry.objects.filter(
        action=AuditAction.CHANGE, object_id=str(asked.pk), detail="spend approved"
    ).exists()


def test_above_the_coach_limit_only_a_lead_approves(world, login):
    sam = world["sam"]
    asked = spend(sam, 30000)  # the coach limit is £100
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/budget/{asked.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.status == SpendRequest.Status.REQUESTED
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).exists()
    response = login(world["lead"]).post(
        f"/people/{sam.pk}/budget/{asked.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == SpendRequest.Status.APPROVED


@pytest.mark.parametrize("who", ["other_coach", "second_coach", "commissioner", "alex", "sam"])
def test_others_and_the_person_cannot_decide(world, login, who):
    sam = world["sam"]
    asked = spend(sam, 2000)
    user = world[who].user if who in ("alex", "sam") else world[who]
    client = login(user)
    assert client.get(f"/people/{sam.pk}/budget/{asked.pk}/decide/").status_code == 403
    response = client.post(f"/people/{sam.pk}/budget/{asked.pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.status == SpendRequest.Status.REQUESTED
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).exists()


def test_overspend_is_refused_with_a_clear_message(world, login):
    sam = world["sam"]  # the organisation's usual budget is £500
    spend(sam, 46000, status=SpendRequest.Status.APPROVED)
    asked = spend(sam, 8000)
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/budget/{asked.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 200
    assert "This would go £40 over Sam's budget: £460 of £500 is already committed." in text_of(
        response
    )
    asked.refresh_from_db()
    assert asked.status == SpendRequest.Status.REQUESTED


def test_overspend_refused_by_the_service_on_any_database(world):
    sam = world["sam"]
    sam.budget_allocation_pence = 50000
    sam.save()
    first, second = spend(sam, 30000), spend(sam, 30000)
    services.spend_request_approve(actor=world["lead"], spend=first)
    with pytest.raises(ValidationError, match="£100 over Sam's budget"):
        services.spend_request_approve(actor=world["lead"], spend=second)
    second.refresh_from_db()
    assert second.status == SpendRequest.Status.REQUESTED
    assert committed_pence(sam) == 30000


def test_a_request_already_decided_cannot_be_decided_again(world):
    sam = world["sam"]
    asked = spend(sam, 2000)
    stale = SpendRequest.objects.get(pk=asked.pk)
    services.spend_request_decline(
        actor=world["lead"], spend=asked, note="Let's look for a cheaper course"
    )
    with pytest.raises(ValidationError, match="already decided"):
        services.spend_request_approve(actor=world["coach"], spend=stale)
    asked.refresh_from_db()
    assert asked.status == SpendRequest.Status.DECLINED
    assert asked.decision_note == "Let's look for a cheaper course"


def test_declining_needs_a_reason_and_reshows_the_page(world, login):
    sam = world["sam"]
    asked = spend(sam, 2000)
    client = login(world["coach"])
    response = client.post(
        f"/people/{sam.pk}/budget/{asked.pk}/decide/", {"decision": "decline", "note": ""}
    )
    assert response.status_code == 200
    asked.refresh_from_db()
    assert asked.status == SpendRequest.Status.REQUESTED
    response = client.post(
        f"/people/{sam.pk}/budget/{asked.pk}/decide/",
        {"decision": "decline", "note": "There's a free course in March"},
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == SpendRequest.Status.DECLINED
    assert "There's a free course in March" in text_of(client.get(f"/people/{sam.pk}/budget/"))


def test_a_lead_changes_the_allocation(world, login):
    sam = world["sam"]
    assert login(world["coach"]).get(f"/people/{sam.pk}/budget/allocation/").status_code == 403
    client = login(world["lead"])
    response = client.post(f"/people/{sam.pk}/budget/allocation/", {"amount": "750"})
    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.budget_allocation_pence == 75000
    assert allocation_for(sam) == 75000
    client.post(f"/people/{sam.pk}/budget/allocation/", {"amount": ""})
    sam.refresh_from_db()
    assert allocation_for(sam) == world["home"].budget_allocation_pence


# --- paying and receipts ----------------------------------------------------------------


def test_payment_with_a_receipt_stored_under_a_random_name(world, login, settings):
    sam = world["sam"]
    asked = spend(sam, 3000, status=SpendRequest.Status.APPROVED)
    upload = SimpleUploadedFile("Sam Smith 12 Elm Road.pdf", PDF, "application/pdf")
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/budget/{asked.pk}/pay/",
        {"amount": "29.99", "paid_on": "2026-11-02", "receipt": upload},
    )
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.amount_pence == 2999
    assert "Sam" not in payment.receipt.name and "Elm" not in payment.receipt.name
    assert payment.receipt.name.endswith(".pdf")
    assert (settings.MEDIA_ROOT / payment.receipt.name).read_bytes() == PDF
    asked.refresh_from_db()
    assert asked.status == SpendRequest.Status.PAID

    download = login(world["coach"]).get(f"/people/{sam.pk}/budget/receipts/{payment.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, person_id=sam.pk, detail=f"receipt {payment.pk}"
    ).exists()
    # The person can fetch their own receipt.
    own = login(sam.user).get(f"/people/{sam.pk}/budget/receipts/{payment.pk}/")
    assert own.status_code == 200


@pytest.mark.parametrize("who", ["other_coach", "second_coach", "commissioner", "alex"])
def test_receipts_are_only_for_those_who_may_see_the_record(world, login, who):
    sam = world["sam"]
    asked = spend(sam, 3000, status=SpendRequest.Status.APPROVED)
    upload = SimpleUploadedFile("r.png", PNG, "image/png")
    payment = services.payment_record(
        actor=world["coach"],
        spend=asked,
        amount_pence=3000,
        paid_on=asked.created_at.date(),
        receipt=upload,
    )
    user = world["alex"].user if who == "alex" else world[who]
    response = login(user).get(f"/people/{sam.pk}/budget/receipts/{payment.pk}/")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).exists()


def test_receipts_are_checked_by_content_not_name(world, login):
    sam = world["sam"]
    asked = spend(sam, 3000, status=SpendRequest.Status.APPROVED)
    upload = SimpleUploadedFile("receipt.pdf", b"<html>not a receipt</html>", "application/pdf")
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/budget/{asked.pk}/pay/",
        {"amount": "30", "paid_on": "2026-11-02", "receipt": upload},
    )
    assert response.status_code == 200
    assert "must be a PDF, a JPEG photo or a PNG image" in text_of(response)
    assert not Payment.objects.exists()


def test_receipts_over_5mb_are_refused(world, settings):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError, match="smaller than 5 MB"):
        receipt_check(big)


def test_payment_cannot_be_more_than_approved_or_for_an_unapproved_request(world):
    sam = world["sam"]
    asked = spend(sam, 3000)
    with pytest.raises(ValidationError, match="approved"):
        pay(world["coach"], asked, 3000)
    asked.status = SpendRequest.Status.APPROVED
    asked.save()
    with pytest.raises(ValidationError, match="more than was approved"):
        pay(world["coach"], asked, 3001)
    assert not Payment.objects.exists()


def test_the_person_does_not_record_payments(world):
    sam = world["sam"]
    asked = spend(sam, 3000, status=SpendRequest.Status.APPROVED)
    with pytest.raises(PermissionDenied):
        pay(sam.user, asked, 3000)
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).exists()


# --- ledgers ----------------------------------------------------------------------------


def test_person_ledger_shows_totals_and_decisions(world, login):
    sam = world["sam"]
    spend(sam, 3400, status=SpendRequest.Status.PAID, category="training")
    spend(sam, 2300, category="training")
    body = text_of(login(sam.user).get(f"/people/{sam.pk}/budget/"))
    assert "£500" in body  # allocation
    assert "£34" in body and "£23" in body
    assert "£466" in body  # left to use
    record = text_of(login(world["coach"]).get(f"/people/{sam.pk}/"))
    assert "£466" in record


def test_organisation_ledger_is_for_leads_by_category_and_month(world, login):
    sam, jo = world["sam"], world["jo"]
    asked = spend(sam, 3400, status=SpendRequest.Status.APPROVED, category="training")
    pay(world["coach"], asked, 3400)
    spend(sam, 123450, status=SpendRequest.Status.APPROVED, category="home")
    spend(jo, 99900, status=SpendRequest.Status.APPROVED, category="home")
    body = text_of(login(world["lead"]).get("/people/budget/ledger/"))
    assert "training" in body and "£34" in body and "£1,234.50" in body
    assert "£999" not in body  # another organisation's
    assert "Sam" not in body
    for who in ("coach", "commissioner", "other_coach"):
        assert login(world[who]).get("/people/budget/ledger/").status_code == 403
    assert login(sam.user).get("/people/budget/ledger/").status_code == 403


def test_organisation_ledger_shows_twelve_months_and_every_month_on_request(world, login):
    import datetime

    from django.utils import timezone

    from alongside.coaching.selectors.budgets import ledger_since

    sam = world["sam"]
    today = timezone.localdate()
    long_ago = timezone.now() - datetime.timedelta(days=800)
    old = spend(sam, 4100, status=SpendRequest.Status.APPROVED, category="travel")
    SpendRequest.objects.filter(pk=old.pk).update(created_at=long_ago)
    spend(sam, 2500, status=SpendRequest.Status.APPROVED, category="travel")
    client = login(world["lead"])

    body = text_of(client.get("/people/budget/ledger/"))
    # The totals cover all time; the months table only the last twelve.
    assert "Committed in all: £66." in body
    since = ledger_since(today)
    assert f"since {since:%B %Y}" in body
    assert f"{long_ago:%B %Y}" not in body
    assert f"{today:%B %Y}" in body
    assert 'href="?months=all"' in body

    every = text_of(client.get("/people/budget/ledger/?months=all"))
    assert f"{timezone.localtime(long_ago):%B %Y}" in every and f"{today:%B %Y}" in every
    assert "Show the last twelve months only" in every


def test_ledger_since_is_the_first_of_the_month_eleven_months_back():
    import datetime

    from alongside.coaching.selectors.budgets import ledger_since

    assert ledger_since(datetime.date(2026, 12, 1)) == datetime.date(2026, 1, 1)
    assert ledger_since(datetime.date(2026, 3, 31)) == datetime.date(2025, 4, 1)
    assert ledger_since(datetime.date(2026, 1, 15), months=1) == datetime.date(2026, 1, 1)
