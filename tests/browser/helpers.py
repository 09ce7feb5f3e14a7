"""Small helpers the browser tests share: signing in through the real pages, and axe."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django_otp.oath import totp

from alongside.demo.sign_ins import DEMO_PERSON_NAME, DEMO_SIGN_INS, DemoSignIn

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

SIGN_IN_PATH = "/accounts/sign-in/"
TWO_FACTOR_PATH = "/accounts/two-factor/"
BLOCKING_IMPACTS = ("serious", "critical")


def account_for(role: str) -> DemoSignIn:
    return next(account for account in DEMO_SIGN_INS if account.role == role)


def greeting_name(account: DemoSignIn) -> str:
    return account.first_name or DEMO_PERSON_NAME


def current_code(key_hex: str) -> str:
    """The authenticator app's code right now for a TOTP key given in hex."""
    return f"{totp(bytes.fromhex(key_hex)):06d}"


def wrong_code(key_hex: str) -> str:
    """A 6-digit code the server will refuse: not the code for now, just before or just after."""
    key = bytes.fromhex(key_hex)
    accepted = {f"{totp(key, drift=drift):06d}" for drift in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def path_of(page: Page) -> str:
    return re.sub(r"^[a-z]+://[^/]+", "", page.url)


def follow(page: Page, target: Locator, wait_until: str = "load") -> None:
    """Click a link or a form's button and wait for the page it leads to."""
    with page.expect_navigation(wait_until=wait_until):
        target.click()


def fill_sign_in(page: Page, username: str, passphrase: str) -> None:
    page.goto(SIGN_IN_PATH)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Passphrase or password").fill(passphrase)
    follow(page, page.get_by_role("button", name="Sign in", exact=True))


def sign_in(page: Page, account: DemoSignIn, *, give_code: bool = True) -> None:
    """Sign in as a demo account the way a person would: type, press the button, and
    for accounts with an authenticator key, type the current 6-digit code too."""
    fill_sign_in(page, account.username, account.passphrase)
    if account.totp_key_hex is None or not give_code:
        return
    assert path_of(page).startswith(TWO_FACTOR_PATH), (
        f"{account.username} should be asked for a code next, but is on {page.url}"
    )
    page.get_by_label("6-digit code from your app").fill(current_code(account.totp_key_hex))
    follow(page, page.get_by_role("button", name="Continue"))


def axe_problems(page: Page) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  <{v.get('helpUrl', '')}>")
        for node in v["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = node.get("failureSummary", "").strip().replace("\n", "\n        ")
            lines.append(f"    at {target}: {summary}")
            lines.append(f"      {node.get('html', '').strip()[:200]}")
    return "\n".join(lines)


def assert_accessible(page: Page, where: str = "") -> None:
    """No serious or critical axe violations on the page as it is now."""
    problems = axe_problems(page)
    if problems:
        label = where or path_of(page)
        report = describe(problems)
        print(f"\naxe found serious or critical problems on {label}:\n{report}")
        raise AssertionError(
            f"{len(problems)} serious or critical accessibility problem(s) on {label}:\n{report}"
        )
