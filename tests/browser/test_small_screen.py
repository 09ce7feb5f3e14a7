"""On a small phone (320 CSS pixels wide) nothing makes the page scroll sideways."""

from __future__ import annotations

import pytest

from alongside.accounts.models import Role

from .helpers import SIGN_IN_PATH, account_for, follow, path_of, sign_in

pytestmark = pytest.mark.browser

WIDTH = 320


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def assert_fits(page, where: str) -> None:
    width = page_width(page)
    assert width <= WIDTH, f"{where} is {width}px wide at a {WIDTH}px viewport: it scrolls sideways"


@pytest.mark.parametrize("role", [Role.COACH, Role.LEAD])
def test_pages_fit_a_320px_screen(demo, new_context, role):
    page = new_context(viewport={"width": WIDTH, "height": 640}).new_page()
    page.goto(SIGN_IN_PATH)
    assert_fits(page, "the sign-in page")

    sign_in(page, account_for(role))
    assert path_of(page) == "/"
    assert_fits(page, f"the {role} landing page")

    if role == Role.COACH:
        page.goto("/people/")
        assert page.locator(".card-title").count() > 0
        assert_fits(page, "the people list")
        follow(page, page.locator(".card-title a").first)
        assert_fits(page, "a person's record")


def test_the_public_directory_fits_a_320px_screen_without_javascript(demo, new_context):
    page = new_context(
        viewport={"width": WIDTH, "height": 640}, java_script_enabled=False
    ).new_page()
    for where in ("/directory/", "/directory/?q=coaching&day=MO&age=30"):
        page.goto(where)
        assert_fits(page, where)
    follow(page, page.locator(".card-title a").first)
    assert path_of(page).startswith("/directory/services/")
    assert_fits(page, "a service")
    follow(page, page.get_by_role("link", name="and its other services"))
    assert path_of(page).startswith("/directory/organisations/")
    assert_fits(page, "an organisation")


def test_the_network_fits_a_320px_screen(demo, new_context):
    page = new_context(viewport={"width": WIDTH, "height": 640}).new_page()
    sign_in(page, account_for(Role.ASSESSOR))
    for where in ("/network/", "/network/events/", "/network/assessing/", "/network/resources/"):
        page.goto(where)
        assert_fits(page, where)
