"""Every listening page, opened by everyone: only the exercise's team reads contributions,
a lead of its organisation sees the overview, and every refusal is audited. The pages that
need an exercise to exist get the header and inline-script checks of test_security_headers
here, since its PAGES list only knows the demo's fixed ids."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from alongside.accounts.models import Role
from alongside.core.models import AuditAction, AuditEntry
from alongside.listening.models import Channel
from alongside.listening.services.contributions import ContributionFields, contribution_create
from alongside.listening.services.exercises import exercise_create

from .factories import staff

pytestmark = pytest.mark.django_db

PAGES = [
    "/listening/{e}/",
    "/listening/{e}/edit/",
    "/listening/{e}/add/",
    "/listening/{e}/import/",
    "/listening/{e}/contributions/",
    "/listening/{e}/contributions/?show=checked",
    "/listening/{e}/contributions/{c}/",
    "/listening/{e}/contributions/{c}/review/",
    "/listening/{e}/contributions/{c}/edit/",
]
OVERVIEW_ONLY = {"/listening/{e}/", "/listening/{e}/edit/"}


@pytest.fixture
def place(world):
    teammate = staff(Role.LISTENER, world["home"])
    exercise = exercise_create(
        actor=world["listener"], organisation=world["home"], title="Voices", question="Why?"
    )
    exercise.team.add(teammate)
    contribution = contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(channel=Channel.PHONE, text="Ring 07700 900123 please."),
    )
    users = {
        "listener": world["listener"],
        "teammate": teammate,
        "lead": world["lead"],
        "other_lead": world["other_lead"],
        "listener_not_in_team": staff(Role.LISTENER, world["home"]),
        "other_listener": staff(Role.LISTENER, world["other"]),
        "coach": world["coach"],
        "convener": world["convener"],
        "commissioner": world["commissioner"],
        "assessor": world["assessor"],
        "person": world["sam"].user,
    }
    return {"exercise": exercise, "contribution": contribution, "users": users}


def _path(place, page: str) -> str:
    return page.format(e=place["exercise"].pk, c=place["contribution"].pk)


def _expected(who: str, page: str) -> int:
    if who in ("listener", "teammate"):
        return 200
    if who == "lead" and page in OVERVIEW_ONLY:
        return 200
    return 403


WHO = [
    "listener",
    "teammate",
    "lead",
    "other_lead",
    "listener_not_in_team",
    "other_listener",
    "coach",
    "convener",
    "commissioner",
    "assessor",
    "person",
]


@pytest.mark.parametrize("who", WHO)
def test_who_may_open_each_listening_page(place, login, who):
    user = place["users"][who]
    client = login(user)
    refused = 0
    for page in PAGES:
        response = client.get(_path(place, page))
        assert response.status_code == _expected(who, page), (who, page, response.status_code)
        if response.status_code == 403:
            refused += 1
            assert "07700" not in response.content.decode()
    denied = AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED).count()
    assert denied == refused


def test_signed_out_visitors_are_sent_to_sign_in(place):
    for page in ["/listening/", "/listening/add/", *PAGES]:
        response = Client().get(_path(place, page))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")


def test_writes_are_refused_to_outsiders_as_well(place, login):
    outsider = place["users"]["other_listener"]
    client = login(outsider)
    for page in PAGES:
        if "?" in page:
            continue
        assert client.post(_path(place, page), {}).status_code == 403, page


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = (p.strip().split(" ", 1) for p in header.split(";") if p.strip())
    return {name: (rest[0] if rest else "") for name, *rest in parts}


@pytest.mark.parametrize("page", PAGES)
def test_each_page_sends_strict_headers_and_has_no_inline_script(place, login, page):
    response = login(place["users"]["listener"]).get(_path(place, page))
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "<style" not in body and " style=" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    assert not re.search(r"\son[a-z]+=", body)
    for form in re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", body, flags=re.S):
        assert 'name="csrfmiddlewaretoken"' in form
