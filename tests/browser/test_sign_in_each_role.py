"""Each demo sign-in gets in through the real sign-in page and lands on an accessible page."""

from __future__ import annotations

import pytest

from alongside.accounts.models import Role
from alongside.demo.sign_ins import DEMO_SIGN_INS

from .helpers import (
    SIGN_IN_PATH,
    TWO_FACTOR_PATH,
    account_for,
    assert_accessible,
    fill_sign_in,
    greeting_name,
    path_of,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("account", DEMO_SIGN_INS, ids=[str(a.role) for a in DEMO_SIGN_INS])
def test_demo_sign_in_lands_on_an_accessible_home(demo, page, account):
    sign_in(page, account)

    path = path_of(page)
    assert not path.startswith(SIGN_IN_PATH), f"{account.username} is still on {page.url}"
    assert not path.startswith(TWO_FACTOR_PATH), f"{account.username} is still on {page.url}"
    heading = page.get_by_role("heading", level=1)
    assert heading.is_visible()
    assert greeting_name(account) in heading.inner_text()
    assert page.get_by_role("button", name="Sign out", exact=True).is_visible()
    assert_accessible(page, f"{account.username}'s landing page")


def test_failed_sign_in_says_so_plainly_and_keeps_the_username(demo, page):
    coach = account_for(Role.COACH)
    fill_sign_in(page, coach.username, "not the right passphrase")

    assert path_of(page).startswith(SIGN_IN_PATH)
    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert "That username and passphrase don't match." in alert.inner_text()
    assert page.get_by_label("Username").input_value() == coach.username
    assert page.get_by_label("Passphrase or password").input_value() == ""
    assert_accessible(page, "the sign-in page after a failed attempt")
