"""The strict Content Security Policy holds on real pages, and nothing leaves the server."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from alongside.accounts.models import Role

from .helpers import SIGN_IN_PATH, account_for, follow, path_of, sign_in

pytestmark = pytest.mark.browser

# Reports securitypolicyviolation events on the console, where the test collects them.
# Injected by Playwright through the DevTools protocol, so the page's CSP doesn't apply to it.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    "securitypolicyviolation: " + event.violatedDirective + " blocked " +
    (event.blockedURI || "inline") + " in " + event.sourceFile + ":" + event.lineNumber
  );
});
"""


def test_no_csp_violations_or_outside_requests(demo, new_context, live_server):
    context = new_context()
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    server = urlsplit(live_server.url).netloc
    console_problems: list[str] = []
    page_errors: list[str] = []
    failed: list[str] = []
    elsewhere: list[str] = []
    bad_status: list[str] = []
    stylesheets: list[str] = []

    def on_console(message) -> None:
        text = message.text
        if message.type == "error" or "Content Security Policy" in text:
            console_problems.append(f"{message.type}: {text}")

    def on_request(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme == "data":
            return
        if parts.scheme not in {"http", "https"} or parts.netloc != server:
            elsewhere.append(request.url)

    def on_response(response) -> None:
        if response.status >= 400:
            bad_status.append(f"{response.status} {response.url}")
        if response.request.resource_type == "stylesheet":
            stylesheets.append(response.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.on("request", on_request)
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    page.on("response", on_response)

    visited = []
    page.goto(SIGN_IN_PATH, wait_until="networkidle")
    visited.append(path_of(page))
    sign_in(page, account_for(Role.COACH))
    page.wait_for_load_state("networkidle")
    visited.append(path_of(page))
    page.goto("/people/", wait_until="networkidle")
    visited.append(path_of(page))
    follow(page, page.locator(".card-title a").first, "networkidle")
    visited.append(path_of(page))
    assert visited[1:3] == ["/", "/people/"], visited

    # The strict policy must not have been bought by dropping the stylesheet or the script.
    assert any(url.endswith("/alongside/site.css") for url in stylesheets), stylesheets
    site_css_rules = page.evaluate(
        """[...document.styleSheets]
             .filter((sheet) => (sheet.href || "").endsWith("/alongside/site.css"))
             .reduce((count, sheet) => count + sheet.cssRules.length, 0)"""
    )
    assert site_css_rules > 0, "site.css was fetched but none of its rules applied"
    assert page.evaluate("typeof window.htmx") == "object", "htmx did not load under the CSP"

    assert not console_problems, "console errors or CSP reports:\n" + "\n".join(console_problems)
    assert not page_errors, "script errors:\n" + "\n".join(page_errors)
    assert not failed, "requests that failed (blocked?):\n" + "\n".join(failed)
    assert not bad_status, "error responses:\n" + "\n".join(bad_status)
    assert not elsewhere, f"requests to hosts other than {server}:\n" + "\n".join(elsewhere)
