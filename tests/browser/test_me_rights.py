"""Sam walks through who has looked, their choices and their data; axe finds no serious
problems; sign out everywhere ends the session."""

from __future__ import annotations

import pytest

from .helpers import account_for, assert_accessible, follow, path_of, sign_in

pytestmark = pytest.mark.browser


def test_sam_uses_their_rights_pages(demo, page):
    sign_in(page, account_for("person"))
    page.goto("/me/who-has-looked/")
    assert_accessible(page, "who has looked")
    follow(page, page.get_by_role("link", name="Your choices"))
    assert_accessible(page, "your choices")
    page.get_by_label("How should we name you? (leave empty to stay anonymous)").fill("Sam, Leith")
    page.get_by_role("radio", name="Yes").first.check()
    follow(page, page.get_by_role("button", name="Save", exact=True))
    assert "Sam, Leith" in page.content()
    follow(page, page.get_by_role("link", name="Your data"))
    assert_accessible(page, "your data")
    follow(page, page.get_by_role("link", name="Ask us to erase your record"))
    assert_accessible(page, "asking for erasure")
    follow(page, page.get_by_role("button", name="Send my request"))
    assert "A lead will reply to you here" in page.content()
    follow(page, page.get_by_role("button", name="Sign out on every device"))
    assert path_of(page).startswith("/accounts/sign-in/")
