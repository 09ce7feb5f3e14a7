"""The demo coach walks Sam's budget, safety plan and barriers through the real forms,
and axe finds no serious or critical problems on any of those pages."""

from __future__ import annotations

import pytest

from alongside.accounts.models import Role
from alongside.coaching.models import Barrier, Payment, Person, SafetyPlan, SpendRequest

from .helpers import account_for, assert_accessible, follow, path_of, sign_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n% a receipt for a bus pass\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_coach_walks_sams_budget_safety_plan_and_barriers(demo, page):
    sam = Person.objects.get(user__username="sam")
    sign_in(page, account_for(Role.COACH))
    page.goto(f"/people/{sam.pk}/")

    # Budget: the ledger, ask, approve, pay with a receipt.
    follow(page, page.get_by_role("link", name="See the budget, spends and payments"))
    assert path_of(page) == f"/people/{sam.pk}/budget/"
    assert_accessible(page, "Sam's budget")
    follow(page, page.get_by_role("link", name="Ask for money from the budget"))
    assert_accessible(page, "asking for money")
    page.get_by_label("What is it for?").fill("Monthly bus pass")
    page.get_by_label("How much?").fill("12.505")
    follow(page, page.get_by_role("button", name="Ask"))
    assert page.get_by_label("What is it for?").input_value() == "Monthly bus pass"
    assert_accessible(page, "asking for money, with a mistake")
    page.get_by_label("How much?").fill("£45")
    page.get_by_label("What kind of spend is it? (optional)").fill("travel")
    follow(page, page.get_by_role("button", name="Ask"))
    assert path_of(page) == f"/people/{sam.pk}/budget/"
    asked = SpendRequest.objects.get(person=sam, what_for="Monthly bus pass")
    assert asked.amount_pence == 4500

    follow(page, page.get_by_role("link", name="Decide about Monthly bus pass"))
    assert_accessible(page, "deciding a spend")
    follow(page, page.get_by_role("button", name="Approve £45"))
    asked.refresh_from_db()
    assert asked.status == SpendRequest.Status.APPROVED

    follow(page, page.get_by_role("link", name="Record a payment for Monthly bus pass"))
    assert_accessible(page, "recording a payment")
    page.get_by_label("How much was paid?").fill("45")
    page.get_by_label("Receipt (optional)").set_input_files(
        {"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    follow(page, page.get_by_role("button", name="Record the payment"))
    assert path_of(page) == f"/people/{sam.pk}/budget/"
    payment = Payment.objects.get(spend_request=asked)
    assert payment.amount_pence == 4500 and payment.receipt.name.endswith(".pdf")
    assert page.get_by_role("link", name="Download receipt for Monthly bus pass").count() == 1

    # Safety plan: written with Sam, in Sam's words.
    page.goto(f"/people/{sam.pk}/safety-plan/")
    assert_accessible(page, "Sam's safety plan")
    page.goto(f"/people/{sam.pk}/safety-plan/edit/")
    assert_accessible(page, "writing the safety plan")
    page.get_by_label("What keeps you safe").fill("Fishing with Ellie on Sundays")
    page.get_by_label("My coach").check()
    follow(page, page.get_by_role("button", name="Save the safety plan"))
    assert path_of(page) == f"/people/{sam.pk}/safety-plan/"
    assert "Fishing with Ellie on Sundays" in page.content()
    plan = SafetyPlan.objects.filter(person=sam).order_by("-version").first()
    assert plan.keeps_me_safe == "Fishing with Ellie on Sundays"
    assert "my_coach" in plan.visible_to
    assert_accessible(page, "Sam's safety plan, written")

    # Barriers: add one with Sam's consent to share it.
    page.goto(f"/people/{sam.pk}/")
    follow(page, page.get_by_role("link", name="Add something that got in the way"))
    assert_accessible(page, "adding a barrier")
    page.get_by_label("Which service or rule got in the way?").fill("Bus company: ID rule")
    page.get_by_label("What happened?").fill("Couldn't buy a pass without photo ID")
    page.get_by_label("What did we do about it?").select_option("another_way")
    page.get_by_label("You're happy for this to be shared").check()
    follow(page, page.get_by_role("button", name="Add it"))
    assert path_of(page) == f"/people/{sam.pk}/"
    barrier = Barrier.objects.get(person=sam, service="Bus company: ID rule")
    assert barrier.share_with_convening
    follow(
        page, page.get_by_role("link", name="Change what was written about Bus company: ID rule")
    )
    assert_accessible(page, "changing a barrier")
    page.get_by_label("What came of it? (optional)").fill("Got a pass with a letter from us")
    follow(page, page.get_by_role("button", name="Save"))
    barrier.refresh_from_db()
    assert barrier.outcome == "Got a pass with a letter from us"
    assert_accessible(page, "Sam's record")


def test_lead_sees_the_organisation_ledger(demo, page):
    sign_in(page, account_for(Role.LEAD))
    page.goto("/people/budget/ledger/")
    assert page.get_by_role("heading", level=1).inner_text() == "Personal budgets ledger"
    assert "£" in page.content()
    assert_accessible(page, "the organisation's budget ledger")
