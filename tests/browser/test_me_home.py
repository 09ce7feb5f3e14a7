"""Sam's home in a real browser: every goal of his, a step ticked and a goal achieved with
JavaScript off on a 320 px phone, and controls on his pages big enough to press (WCAG 2.2
target size: at least 24 by 24 CSS pixels)."""

from __future__ import annotations

import pytest

from .helpers import account_for, assert_accessible, follow, path_of, sign_in

pytestmark = pytest.mark.browser

MIN_TARGET = 24


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, "not on the page"
    return found


def test_sams_home_shows_his_goals_and_he_ticks_a_step_with_javascript_off(demo, new_context):
    page = new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False).new_page()
    sign_in(page, account_for("person"))
    assert path_of(page) == "/"
    text = page.inner_text("main")
    assert "No goals yet" not in text
    for words in ["Get my driving licence back", "Ride with the Saturday group again"]:
        assert words in text
    assert "Find a flat of my own near the kids" in text  # achieved, celebrated
    assert "Your latest check-in" in text and "UK average is 7.45" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    # Each button names its step to a screen reader ("I've done this: Book the theory test").
    step = page.locator("li.my-step", has_text="Book the theory test")
    tick = step.get_by_role("button", name="I've done this")
    assert "Book the theory test" in tick.inner_text()
    assert box(tick)["height"] >= MIN_TARGET
    follow(page, tick)
    assert path_of(page).startswith("/me/")
    assert "Step done. Nice one." in page.inner_text("main")
    step = page.locator("li.my-step", has_text="Book the theory test")
    assert step.get_by_role("button").count() == 0
    assert "Done" in step.inner_text()

    goal = page.locator("li.card", has_text="Get my driving licence back")
    follow(page, goal.get_by_role("button", name="I've achieved this"))
    text = page.inner_text("main")
    assert "Achieved! Well done." in text
    achieved = text.split("Goals you have achieved")[1]
    assert "Get my driving licence back" in achieved


def test_choices_and_sign_out_are_big_enough_to_press(demo, new_context):
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(page, account_for("person"))
    assert_accessible(page, "Sam's home at 360px")  # axe needs JavaScript: here, not above
    page.goto("/me/choices/")
    controls = page.locator("main input[type=radio], main input[type=checkbox]")
    assert controls.count() >= 7  # yes/no, and five parts for each person in Sam's circle
    for i in range(controls.count()):
        control = controls.nth(i)
        size = box(control)
        assert size["width"] >= MIN_TARGET and size["height"] >= MIN_TARGET, size
        # The words beside it are part of the target: pressing them chooses it.
        label = page.locator(f"label[for='{control.get_attribute('id')}']")
        assert box(label)["height"] >= MIN_TARGET
    first_box = page.locator("main input[type=checkbox]").first
    page.locator(f"label[for='{first_box.get_attribute('id')}'] span").click()
    assert first_box.is_checked()

    sign_out = page.get_by_role("button", name="Sign out on every device")
    size = box(sign_out)
    assert size["height"] >= MIN_TARGET and size["width"] >= MIN_TARGET
    # A real button: drawn as one (a background or a border), not bare 13 px text.
    drawn = sign_out.evaluate(
        "b => { const s = getComputedStyle(b); return [s.borderTopWidth, s.fontSize]; }"
    )
    assert drawn[0] != "0px" and float(drawn[1].removesuffix("px")) >= 16, drawn
    assert_accessible(page, "your choices at 360px")
    follow(page, sign_out)
    assert path_of(page).startswith("/accounts/sign-in/")
