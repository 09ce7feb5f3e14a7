"""A session nobody has used for a while is signed out; people sooner than staff."""

import pytest

from alongside.accounts.middleware import IDLE_KEY
from tests.factories import text_of

pytestmark = pytest.mark.django_db


def _go_quiet(client, seconds: int) -> None:
    session = client.session
    session[IDLE_KEY] -= seconds
    session.save()


def test_a_person_idle_past_the_limit_is_signed_out_and_told_why(world, login, settings):
    settings.SESSION_IDLE_MINUTES_PERSON = 30
    client = login(world["sam"].user)
    assert client.get("/me/").status_code == 200
    _go_quiet(client, 31 * 60)

    response = client.get("/me/", follow=True)

    assert response.redirect_chain[0][1] == 302
    assert response.request["PATH_INFO"] == "/accounts/sign-in/"
    assert "signed out because nobody used this for a while" in text_of(response)
    assert client.get("/me/").status_code == 302


def test_a_person_active_within_the_limit_stays_signed_in(world, login, settings):
    settings.SESSION_IDLE_MINUTES_PERSON = 30
    client = login(world["sam"].user)
    client.get("/me/")
    _go_quiet(client, 29 * 60)
    assert client.get("/me/").status_code == 200


def test_staff_have_the_longer_limit(world, login, settings):
    settings.SESSION_IDLE_MINUTES_PERSON = 30
    settings.SESSION_IDLE_MINUTES_STAFF = 120
    client = login(world["coach"])
    client.get("/")
    _go_quiet(client, 60 * 60)
    assert client.get("/").status_code == 200
    _go_quiet(client, 121 * 60)
    assert client.get("/").status_code == 302
