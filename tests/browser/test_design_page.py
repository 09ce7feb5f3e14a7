"""The design page in a real browser: axe finds no serious or critical problem at a desktop
width or on a small phone, nothing scrolls sideways at 320 px, checkboxes and radios are big
enough to hit (WCAG 2.2: at least 24 px), focus can be seen, and staff pages use a desktop's width
while a person's own pages keep a readable column."""

from __future__ import annotations

import pytest

from alongside.accounts.models import Role
from alongside.coaching.models import Goal

from .helpers import account_for, assert_accessible, sign_in

pytestmark = pytest.mark.browser

TARGET = 24  # px, WCAG 2.2 target size (minimum)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_design_page_is_accessible_and_fits(demo, new_context, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, account_for(Role.COACH))
    response = page.goto("/design/")
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", name="How Alongside looks").is_visible()
    assert_accessible(page, f"/design/ at {width}px")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"/design/ is {scroll_width}px wide at {width}px"

    # Every checkbox and radio, and the whole row around it, is a big enough target.
    for control in page.locator('input[type="checkbox"], input[type="radio"]').all():
        box = control.bounding_box()
        assert box is not None and box["width"] >= TARGET and box["height"] >= TARGET, box
    for row in page.locator(".choice").all():
        box = row.bounding_box()
        assert box is not None and box["height"] >= 44, box

    # Clicking a label's words ticks its box (the row is the target, not just the square).
    page.get_by_text("Somewhere to live", exact=True).click()
    assert page.get_by_label("Somewhere to live").is_checked()


def test_focus_is_visible_on_a_button(demo, page):
    sign_in(page, account_for(Role.COACH))
    page.goto("/design/")
    button = page.get_by_role("button", name="Save the conversation")
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    outline = button.evaluate(
        "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth"
    )
    assert outline.startswith("solid") and not outline.endswith(" 0px"), outline


def test_staff_pages_are_wider_than_a_persons_own(demo, new_context):
    def main_width(role: str, path: str) -> float:
        page = new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(page, account_for(role))
        page.goto(path)
        box = page.locator("main").bounding_box()
        assert box is not None
        return box["width"]

    staff = main_width(Role.COACH, "/design/")
    person = main_width("person", "/me/")
    assert staff >= 1100, staff  # the width of a desktop screen
    assert person <= 900, person  # a comfortable reading column


def font_size(page, selector: str) -> float:
    return float(
        page.locator(selector).first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    )


@pytest.mark.parametrize("width", [1280, 360])
def test_a_goals_title_is_a_bigger_heading_than_small_steps(demo, new_context, width):
    """The goal is what the page is about: its words are the biggest heading, for the coach
    and for the person in their own space."""
    goal = Goal.objects.filter(person__user__username="sam", status="working_on_it").first()
    assert goal is not None
    for role, path in [
        (Role.COACH, f"/people/{goal.person_id}/goals/{goal.pk}/"),
        ("person", f"/me/goals/{goal.pk}/"),
    ]:
        page = new_context(viewport={"width": width, "height": 900}).new_page()
        sign_in(page, account_for(role))
        page.goto(path)
        title = font_size(page, "main h1")
        steps = font_size(page, "main h2:text-is('Small steps')")
        assert title > steps, f"{path} at {width}px: the goal {title}px, 'Small steps' {steps}px"


@pytest.mark.parametrize("width", [1280, 360])
def test_the_navigation_lines_up_with_the_page(demo, new_context, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    sign_in(page, account_for(Role.COACH))
    page.goto("/people/")
    nav = page.locator(".site-nav a").first.bounding_box()
    heading = page.locator("main h1").bounding_box()
    brand = page.locator(".brand").bounding_box()
    assert nav is not None and heading is not None and brand is not None
    assert abs(nav["x"] - heading["x"]) <= 2, (nav, heading)
    assert abs(brand["x"] - heading["x"]) <= 2, (brand, heading)
