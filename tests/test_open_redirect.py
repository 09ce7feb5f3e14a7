"""`next` never sends anyone to another site: not after sign-in, not after the two-factor
code, not after setting up a sign-in or signing out. A link someone was sent can only lead
to a page of Alongside; anything else lands on the home page."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
PASS = "a long test passphrase"

ELSEWHERE = [
    "https://evil.example/",
    "//evil.example",
    "https:evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
]


def _hidden_next(page: str) -> str:
    found = re.search(r'<input type="hidden" name="next" value="([^"]*)"', page)
    assert found, "the sign-in form carries next"
    return unescape(found[1])


def _sign_in_then_code(lead, sign_in_url: str, secure: bool = False) -> str:
    """A lead follows a link to `sign_in_url`, signs in, goes where sign-in sends them,
    gives a code there, and ends up at the returned address."""
    device = TOTPDevice.objects.create(user=lead, name="app", confirmed=True)
    client = Client()
    page = client.get(sign_in_url, secure=secure)
    assert page.status_code == 200
    signed_in = client.post(
        sign_in_url,
        {"username": lead.username, "password": PASS, "next": _hidden_next(page.text)},
        secure=secure,
    )
    assert signed_in.status_code == 302
    code_page = signed_in["Location"]
    assert code_page.startswith("/accounts/two-factor/")
    assert client.get(code_page, secure=secure).status_code == 200
    done = client.post(code_page, {"token": f"{totp(device.bin_key):06d}"}, secure=secure)
    assert done.status_code == 302, "the code was accepted"
    return done["Location"]


def test_the_reported_chain_through_sign_in_and_code_ends_at_home(world):
    url = "/accounts/sign-in/?next=/accounts/two-factor/?next=https://evil.example/"
    assert _sign_in_then_code(world["lead"], url) == "/"


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_no_next_through_sign_in_and_code_leaves_the_site(world, elsewhere):
    inner = "/accounts/two-factor/?next=" + quote(elsewhere, safe="")
    url = "/accounts/sign-in/?next=" + quote(inner, safe="")
    assert _sign_in_then_code(world["lead"], url) == "/"


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_sign_in_refuses_a_next_elsewhere(world, elsewhere):
    client = Client()
    url = "/accounts/sign-in/?next=" + quote(elsewhere, safe="")
    page = client.get(url)
    assert _hidden_next(page.text) == ""
    response = client.post(
        url, {"username": world["coach"].username, "password": PASS, "next": elsewhere}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_two_factor_refuses_a_next_elsewhere(world, elsewhere):
    lead = world["lead"]
    client = Client()
    client.force_login(lead, backend="alongside.accounts.backends.UsernameBackend")
    device = TOTPDevice.objects.create(user=lead, name="app", confirmed=True)
    response = client.post(
        "/accounts/two-factor/?next=" + quote(elsewhere, safe=""),
        {"token": f"{totp(device.bin_key):06d}"},
    )
    assert response["Location"] == "/"
    # Once past the code, the page sends people on; still never elsewhere.
    again = client.get("/accounts/two-factor/?next=" + quote(elsewhere, safe=""))
    assert again["Location"] == "/"


def test_a_next_on_this_site_is_still_followed_after_the_code(world):
    person_page = f"/people/{world['sam'].pk}/"
    url = "/accounts/sign-in/?next=" + quote(f"/accounts/two-factor/?next={person_page}", safe="")
    assert _sign_in_then_code(world["lead"], url) == person_page


def test_over_https_a_plain_http_next_on_this_host_is_refused(world):
    inner = "/accounts/two-factor/?next=" + quote("http://testserver/people/", safe="")
    url = "/accounts/sign-in/?next=" + quote(inner, safe="")
    assert _sign_in_then_code(world["lead"], url, secure=True) == "/"


@pytest.mark.parametrize("elsewhere", ELSEWHERE)
def test_sign_out_and_welcome_ignore_next(world, login, elsewhere):
    client = login(world["coach"])
    out = client.post("/accounts/sign-out/?next=" + quote(elsewhere, safe=""), {"next": elsewhere})
    assert out["Location"] == "/accounts/sign-in/"
    page = Client().get("/accounts/welcome/?next=" + quote(elsewhere, safe=""))
    assert "evil.example" not in page.text and "javascript:" not in page.text
