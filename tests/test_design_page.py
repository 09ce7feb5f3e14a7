"""/design/ shows every component of the stylesheet to staff; a person in their own space and
someone signed out do not get it on a real site (DEBUG off), but anyone does while DEBUG is on."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from .factories import text_of

pytestmark = pytest.mark.django_db

# A class for each component the issue names: if the page stops showing one, this fails.
COMPONENTS = [
    'class="button"',
    "button--secondary",
    "button--warning",
    "button--link",
    'class="tag"',
    "tag--green",
    'class="cards"',
    'class="card"',
    "banner--success",
    "banner--info",
    "banner--warning",
    'class="summary-list"',
    'class="tabs"',
    'class="with-aside"',
    "<table>",
    'type="radio"',
    'type="checkbox"',
    "<textarea",
    "<select",
    'class="error-summary"',
]


@pytest.mark.parametrize("role", ["coach", "lead", "listener", "commissioner"])
def test_staff_see_every_component(world, login, role):
    response = login(world[role]).get("/design/")
    assert response.status_code == 200
    page = text_of(response)
    assert "How Alongside looks" in page
    missing = [component for component in COMPONENTS if component not in page]
    assert not missing, missing


def test_a_radio_group_is_a_fieldset_whose_error_link_lands_on_it(world, login):
    page = text_of(login(world["coach"]).get("/design/"))
    # The summary links to the field that needs changing, by an id that is on the page.
    targets = re.findall(r'<div class="error-summary".*?</div>', page, flags=re.S)[0]
    for anchor in re.findall(r'href="#([^"]+)"', targets):
        assert f'id="{anchor}"' in page, anchor
    # A group of radios is a fieldset with a legend, never a label for nothing.
    assert re.search(r'<fieldset class="field" id="id_sample-feeling"[^>]*>\s*<legend>', page)
    assert 'for=""' not in page
    # The sample answer shows as chosen.
    assert re.search(r'<input type="radio" name="sample-feeling" value="good"[^>]*checked', page)


def test_dates_on_the_design_page_are_words(world, login):
    page = text_of(login(world["coach"]).get("/design/"))
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page)
    weekday = "(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    assert re.search(weekday + r" \d{1,2} [A-Z][a-z]+, \d\d:\d\d", page)


@override_settings(DEBUG=False)
def test_a_person_does_not_get_the_design_page(world, login):
    response = login(world["sam"].user).get("/design/")
    assert response.status_code == 403
    assert "How Alongside looks" not in text_of(response)


@override_settings(DEBUG=False)
def test_someone_signed_out_is_sent_to_sign_in(db):
    response = Client().get("/design/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@override_settings(DEBUG=False)
def test_a_user_with_no_role_anywhere_does_not_get_it(world, login):
    from .factories import staff

    nobody = staff("coach", world["home"], username="nobody")
    nobody.memberships.all().delete()
    response = login(nobody).get("/design/")
    assert response.status_code == 403


@override_settings(DEBUG=True)
def test_anyone_gets_it_while_debug_is_on(world, login):
    assert Client().get("/design/").status_code == 200
    assert login(world["sam"].user).get("/design/").status_code == 200


def test_the_design_page_reads_no_records(world, login):
    client = login(world["coach"])
    client.get("/design/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/design/").status_code == 200
    # Session, user, memberships (the navigation), and whether they hold a role: nothing else.
    tables = {t for q in captured for t in re.findall(r'FROM "(\w+)"', q["sql"])}
    assert tables <= {
        "django_session",
        "accounts_user",
        "accounts_membership",
        # (in the memberships' query: whether each organisation is in a network)
        "accounts_organisation_networks",
        "coaching_person",
        "accounts_organisation",
    }, tables
    assert len(captured) <= 5, len(captured)
