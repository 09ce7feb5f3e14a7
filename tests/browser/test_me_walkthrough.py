"""Issue 4's walk through the person's own space, as a person would do it: first sign-in
with an invite code, adding a goal, a check-in with one question skipped, their chart next
to the UK average, and downloading their data. axe checks every /me/ page on the way."""

from __future__ import annotations

import json
import re

import pytest

from alongside.accounts.models import Organisation, User
from alongside.accounts.services import invite_issue
from alongside.coaching.models import CheckIn, Goal, Person, Relationship

from .helpers import assert_accessible, follow, path_of

pytestmark = pytest.mark.browser


def test_a_person_finds_their_way_round_their_own_space(demo, page):
    harbour = Organisation.objects.get(slug="harbour-lane")
    robin = Person.objects.create(organisation=harbour, chosen_name="Robin")
    priya = User.objects.get(username="priya")
    Relationship.objects.create(person=robin, coach=priya, organisation=harbour)
    code = invite_issue(actor=priya, person=robin)

    # First sign-in with the code from Priya: no email, no phone.
    page.goto("/accounts/welcome/")
    page.get_by_label("Your invite code").fill(code)
    page.get_by_label("Choose a username").fill("robin-walks")
    page.get_by_label("Choose a passphrase").fill("orange kettle under the stairs")
    page.get_by_label("Type your passphrase again").fill("orange kettle under the stairs")
    follow(page, page.get_by_role("button", name="Set up my sign-in"))
    assert path_of(page) == "/"
    assert page.get_by_text("You set up your sign-in on").is_visible()
    assert page.get_by_text("using a code from Priya").is_visible()

    page.goto("/me/")
    assert_accessible(page, "your space")

    # A goal in Robin's own words, and a first small step.
    follow(page, page.get_by_role("link", name="Add a goal").first)
    assert_accessible(page, "add a goal")
    page.get_by_label("Your goal, in your own words").fill("Grow my own tomatoes")
    follow(page, page.get_by_role("button", name="Save your goal"))
    goal = Goal.objects.get(person=robin)
    assert goal.words == "Grow my own tomatoes" and not goal.is_suggestion
    assert path_of(page) == f"/me/goals/{goal.pk}/"
    assert_accessible(page, "your goal")
    page.get_by_label("A small step you could take").fill("Ask about an allotment")
    follow(page, page.get_by_role("button", name="Add this step"))
    assert goal.steps.get().words == "Ask about an allotment"

    # A check-in with one question skipped.
    page.goto("/me/check-in/?instrument=ons4")
    assert_accessible(page, "your check-in")
    groups = [
        ("how satisfied", "7"),
        ("worthwhile", "8"),
        ("how happy", "Skip this one"),
        ("how anxious", "3"),
    ]
    for question, answer in groups:
        page.get_by_role("group", name=re.compile(question)).get_by_label(
            answer, exact=True
        ).check()
    follow(page, page.get_by_role("button", name="Save this check-in"))
    answers = CheckIn.objects.get(person=robin).answers
    assert answers == {"life_satisfaction": 7, "worthwhile": 8, "anxiety": 3}

    # Robin's chart, next to the average for everyone in the UK.
    assert path_of(page).startswith("/me/record/")
    assert_accessible(page, "everything about you")
    assert page.locator("figure.chart").count() >= 4
    first_chart = page.locator("figure.chart").first
    assert first_chart.is_visible()
    assert first_chart.get_by_text(re.compile("UK average", re.I)).count() >= 1

    # Everything, downloaded in one click.
    page.goto("/me/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all your data").click()
    path = download_info.value.path()
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["person"]["chosen_name"] == "Robin"
    assert data["goals"][0]["words"] == "Grow my own tomatoes"


ME_PAGES = [
    "/me/",
    "/me/record/",
    "/me/goals/add/",
    "/me/strengths/add/",
    "/me/check-in/",
    "/me/who-has-looked/",
    "/me/choices/",
    "/me/my-data/",
    "/me/my-data/erase/",
]


def test_every_me_page_fits_a_small_phone(demo, new_context):
    # Measuring the width and running axe need JavaScript in the page, so this one runs with it
    # on; the test below checks the same pages with it off.
    from .helpers import account_for, sign_in

    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    sign_in(page, account_for("person"))
    for url in ME_PAGES:
        page.goto(url)
        assert_accessible(page, url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{url} is {width}px wide"


def test_the_person_space_works_with_javascript_off(demo, new_context):
    from .helpers import account_for, sign_in

    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, account_for("person"))
    for url in ME_PAGES:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert page.locator("h1").count() == 1, url

    page.goto("/me/goals/add/")
    page.get_by_label("Your goal, in your own words").fill("Visit my sister in Leeds")
    follow(page, page.get_by_role("button", name="Save your goal"))
    assert page.get_by_text("Visit my sister in Leeds").first.is_visible()
