"""axe finds no serious or critical problems on the pages around signing in, or on 404."""

from __future__ import annotations

import pytest

from alongside.accounts.models import Role

from .. import factories
from .helpers import (
    SIGN_IN_PATH,
    TWO_FACTOR_PATH,
    account_for,
    assert_accessible,
    fill_sign_in,
    follow,
    path_of,
    sign_in,
    wrong_code,
)

pytestmark = pytest.mark.browser


def test_sign_in_page_is_accessible(page, transactional_db):
    response = page.goto(SIGN_IN_PATH)
    assert response is not None and response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    assert_accessible(page, "the sign-in page")


def test_two_factor_page_is_accessible(demo, page):
    lead = account_for(Role.LEAD)
    sign_in(page, lead, give_code=False)
    assert path_of(page).startswith(TWO_FACTOR_PATH), page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Code from your app"
    assert_accessible(page, "the two-factor page")

    # A wrong code: the page says so plainly and is still accessible.
    page.get_by_label("6-digit code from your app").fill(wrong_code(lead.totp_key_hex))
    follow(page, page.get_by_role("button", name="Continue"))
    assert path_of(page).startswith(TWO_FACTOR_PATH), page.url
    assert "didn't match" in page.get_by_role("alert").inner_text()
    assert_accessible(page, "the two-factor page with a wrong code")


def test_two_factor_set_up_page_is_accessible(page, transactional_db):
    # A lead without an authenticator app yet sees the set-up page with its QR code.
    lead = factories.staff(Role.LEAD, factories.organisation(), username="new-lead")
    fill_sign_in(page, lead.username, "a long test passphrase")
    assert path_of(page).startswith(TWO_FACTOR_PATH), page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Set up your sign-in code"
    assert page.get_by_role(
        "img", name="QR code for setting up your authenticator app"
    ).is_visible()
    assert_accessible(page, "the two-factor set-up page")


def test_not_found_page_is_accessible(demo, page):
    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "We can't find that page"
    assert_accessible(page, "the 404 page, signed out")

    sign_in(page, account_for(Role.COACH))
    response = page.goto("/people/no-such-person/")
    assert response is not None and response.status == 404
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert_accessible(page, "the 404 page, signed in")
