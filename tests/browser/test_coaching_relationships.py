"""A coach starts with a name, walks a relationship through its states, and adds to the
circle, all through the real forms, each page checked with axe."""

from __future__ import annotations

import re

import pytest

from alongside.accounts.models import Role
from alongside.coaching.models import CircleMember, Person, Relationship

from .helpers import account_for, assert_accessible, follow, path_of, sign_in

pytestmark = pytest.mark.browser


def test_coach_walks_the_relationship_and_circle_flows(demo, page):
    sam = Person.objects.get(user__username="sam")
    rel = Relationship.objects.get(person=sam, coach__username="priya")
    rel.state = Relationship.State.WORKING_TOGETHER
    rel.save()

    sign_in(page, account_for(Role.COACH))
    assert_accessible(page, "coach home")

    # 1. Start with a name.
    follow(page, page.get_by_role("link", name="Start working with someone"))
    assert path_of(page) == "/people/start/"
    assert_accessible(page, "start page")
    follow(page, page.get_by_role("button", name="Start getting to know each other"))
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page, "start page with an error")
    page.get_by_label("The name they'd like to use").fill("Robin")
    follow(page, page.get_by_role("button", name="Start getting to know each other"))
    assert re.fullmatch(r"/people/[0-9]+/", path_of(page)), page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Robin"
    assert_accessible(page, "a new person's record")

    # 2. Pause, start again, how often, dates, end and come back.
    record = f"/people/{sam.pk}/"
    page.goto(record)
    card = page.locator(".card", has_text="with Priya")
    follow(page, card.get_by_role("link", name="Pause for now"))
    assert_accessible(page, "pause page")
    page.get_by_label(re.compile("How they'd like us to keep in touch")).fill("a text on Fridays")
    follow(page, page.get_by_role("button", name="Pause for now"))
    assert path_of(page) == record
    assert page.get_by_text("Keep in touch: a text on Fridays").is_visible()
    assert_accessible(page, "record with history")

    card = page.locator(".card", has_text="with Priya")
    follow(page, card.get_by_role("link", name="Start again"))
    assert_accessible(page, "start again page")
    follow(page, page.get_by_role("button", name="Start again"))

    card = page.locator(".card", has_text="with Priya")
    follow(page, card.get_by_role("link", name="Change how often we meet"))
    assert_accessible(page, "how often page")
    page.get_by_label("How often they'd like to meet").select_option("weekly")
    follow(page, page.get_by_role("button", name="Save"))
    assert path_of(page) == record

    card = page.locator(".card", has_text="with Priya")
    follow(page, card.get_by_role("link", name="Set last and next meeting dates"))
    assert_accessible(page, "dates page")
    page.get_by_label("When we were last in touch").fill("2026-01-05")
    follow(page, page.get_by_role("button", name="Save the dates"))
    assert path_of(page) == record

    card = page.locator(".card", has_text="with Priya")
    follow(page, card.get_by_role("link", name=re.compile("End, by")))
    assert_accessible(page, "end page")
    page.get_by_label("What's in place now").fill("The allotment group; they can call us")
    follow(page, page.get_by_role("button", name="End, by their choice"))
    rel.refresh_from_db()
    assert rel.state == Relationship.State.ENDED and rel.intensity == "weekly"
    card = page.locator(".card", has_text="with Priya")
    follow(page, card.get_by_role("link", name="Start again"))
    follow(page, page.get_by_role("button", name="Start again"))
    rel.refresh_from_db()
    assert rel.state == Relationship.State.WORKING_TOGETHER

    # 12. The circle.
    follow(page, page.get_by_role("link", name="Add someone or something to the circle"))
    assert_accessible(page, "circle add page")
    page.get_by_label("Who or what").fill("Harbour drop-in")
    page.get_by_label("They are").select_option("service")
    follow(page, page.get_by_role("button", name="Add to the circle"))
    assert path_of(page) == record
    follow(page, page.get_by_role("link", name="Change Harbour drop-in"))
    assert_accessible(page, "circle edit page")
    page.get_by_label("About them (optional)").fill("Lunch on Wednesdays")
    follow(page, page.get_by_role("button", name="Save changes"))
    assert CircleMember.objects.get(person=sam, name="Harbour drop-in").about == (
        "Lunch on Wednesdays"
    )
    assert page.get_by_text("Moving away from service support", exact=False).is_visible()

    # 3. The people list, with its prompts.
    page.goto("/people/")
    assert page.get_by_role("heading", name="People I work alongside").is_visible()
    assert_accessible(page, "people list")


def test_relationship_pages_fit_a_small_screen_without_javascript(demo, new_context):
    page = new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False).new_page()
    sign_in(page, account_for(Role.COACH))
    sam = Person.objects.get(user__username="sam")
    rel = Relationship.objects.get(person=sam, coach__username="priya")
    member = CircleMember.objects.create(person=sam, name="Harbour drop-in", kind="service")
    base = f"/people/{sam.pk}/relationship/{rel.pk}"
    for path in [
        "/people/start/",
        f"/people/{sam.pk}/",
        f"{base}/pause/",
        f"{base}/end/",
        f"{base}/work-together/",
        f"{base}/how-often/",
        f"{base}/dates/",
        f"/people/{sam.pk}/circle/add/",
        f"/people/{sam.pk}/circle/{member.pk}/edit/",
    ]:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width}px wide at 320px"

    # Without JavaScript the forms still work: start with a name.
    page.goto("/people/start/")
    page.get_by_label("The name they'd like to use").fill("Kit")
    follow(page, page.get_by_role("button", name="Start getting to know each other"))
    assert page.get_by_role("heading", level=1).inner_text() == "Kit"
