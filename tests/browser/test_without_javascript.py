"""Everything a coach needs works with JavaScript switched off."""

from __future__ import annotations

import re

import pytest

from alongside.accounts.models import Role
from alongside.demo.sign_ins import DEMO_PERSON_NAME

from .helpers import SIGN_IN_PATH, account_for, follow, path_of, sign_in

pytestmark = pytest.mark.browser


def test_coach_signs_in_finds_a_person_and_signs_out_without_javascript(demo, new_context):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, account_for(Role.COACH))
    assert path_of(page) == "/"
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Priya"

    # The people list, through the main navigation.
    nav = page.get_by_role("navigation", name="Main")
    follow(page, nav.get_by_role("link", name="People I work alongside"))
    assert path_of(page) == "/people/"
    everyone = page.locator(".card-title").count()
    assert everyone > 1, "the demo coach should be working alongside several people"

    # Search by name with the form (a plain GET form, no script).
    page.get_by_role("searchbox", name="Find someone by name").fill(DEMO_PERSON_NAME.lower())
    follow(page, page.get_by_role("button", name="Find"))
    assert path_of(page) == f"/people/?q={DEMO_PERSON_NAME.lower()}"
    assert page.get_by_role("searchbox", name="Find someone by name").input_value() == (
        DEMO_PERSON_NAME.lower()
    )
    titles = page.locator(".card-title").all_inner_texts()
    assert titles and len(titles) < everyone
    assert all(DEMO_PERSON_NAME.lower() in title.lower() for title in titles), titles

    # Open the person's record.
    follow(page, page.get_by_role("link", name=DEMO_PERSON_NAME, exact=True))
    assert re.fullmatch(r"/people/[0-9]+/", path_of(page)), page.url
    assert page.get_by_role("heading", level=1).inner_text() == DEMO_PERSON_NAME
    assert page.get_by_role("heading", name=f"Goals, in {DEMO_PERSON_NAME}'s words").is_visible()

    # Sign out with the button in the header (a POST form).
    follow(page, page.get_by_role("button", name="Sign out", exact=True))
    assert path_of(page).startswith(SIGN_IN_PATH)
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"

    # Signed out means signed out: home sends us back to sign in.
    page.goto("/")
    assert path_of(page).startswith(SIGN_IN_PATH)
