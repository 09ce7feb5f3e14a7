"""Issue 15, item 5, as the people who use the network would do it: someone with no account
searches the public directory on a phone, narrows it to what is open on a Tuesday, and opens
a service to find when and where to go; then Lena, the network's assessor, opens Harbour
Lane's portfolio from her home and reviews one criterion. axe checks every page on the way."""

from __future__ import annotations

import pytest

from alongside.accounts.models import Role
from alongside.network.models import CriterionReview, Portfolio

from .helpers import account_for, assert_accessible, follow, path_of, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def test_someone_finds_a_drop_in_on_a_phone_without_an_account(demo, new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/directory/")
    assert_accessible(page, "the directory")
    page.get_by_label("What are you looking for?").fill("drop-in")
    page.get_by_text("More ways to narrow it down").click()
    page.get_by_label("Open on").select_option(label="Tuesday")
    follow(page, page.get_by_role("button", name="Search"))
    assert "day=TU" in page.url and "q=drop-in" in page.url
    assert_accessible(page, "the directory's results")
    results = page.locator("main").inner_text()
    assert "Harbour café drop-in" in results
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    follow(page, page.get_by_role("link", name="Harbour café drop-in"))
    assert path_of(page).startswith("/directory/services/")
    assert_accessible(page, "a service")
    service = page.locator("main").inner_text()
    assert "Tuesdays and Thursdays, 10am to 1pm" in service
    assert "14 Harbour Lane" in service and "NF1 3HL" in service
    assert "Harbour Lane Coaching" in service
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_directory_works_without_javascript(demo, new_context):
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto("/directory/")
    page.get_by_text("More ways to narrow it down").click()  # a <details>: no script needed
    page.get_by_label("Age of the person the help is for").fill("17")
    follow(page, page.get_by_role("button", name="Search"))
    results = page.locator("main").inner_text()
    assert "Harbour café drop-in" in results  # from 16
    assert "Coaching alongside you" not in results  # from 18
    follow(page, page.get_by_role("link", name="Harbour café drop-in"))
    assert "Tuesdays and Thursdays" in page.locator("main").inner_text()


def test_the_assessor_reviews_one_criterion(demo, page):
    portfolio = Portfolio.objects.get(
        organisation__slug="harbour-lane", status=Portfolio.Status.SUBMITTED
    )
    sign_in(page, account_for(Role.ASSESSOR))
    # The network's staff land on the network's home, where what waits for them comes first.
    page.goto("/")
    assert path_of(page) == "/network/"
    assert_accessible(page, "the network's home")
    follow(page, page.get_by_role("link", name="1 portfolio waiting to be assessed"))
    assert path_of(page) == "/network/assessing/"
    assert_accessible(page, "assessing")

    follow(page, page.get_by_role("link", name="Harbour Lane Coaching"))
    assert path_of(page) == f"/network/assessing/{portfolio.pk}/"
    assert_accessible(page, "a portfolio to assess")
    first = portfolio.entries.order_by("criterion__theme__order", "criterion__order").first()
    follow(page, page.get_by_role("link", name=first.criterion.title))
    assert_accessible(page, "one criterion")
    assert "What counts as evidence" in page.locator("main").inner_text()

    page.get_by_label("Shown", exact=True).check()
    page.get_by_label("Your comment").fill("Goals in people's own words, right through.")
    follow(page, page.get_by_role("button", name="Save the review"))
    review = CriterionReview.objects.get(portfolio=portfolio, criterion=first.criterion)
    assert review.verdict == CriterionReview.Verdict.MET
    assert review.assessor.username == account_for(Role.ASSESSOR).username
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.IN_REVIEW
    assert_accessible(page, "after the review")
