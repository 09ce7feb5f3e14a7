"""GET /healthz tells a load balancer whether the app can reach its database."""

import json
from unittest import mock

import pytest
from django.db.utils import DataError, OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthy():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


def test_database_unreachable_gives_503_with_a_reason():
    with mock.patch(
        "alongside.core.views.connection.cursor",
        side_effect=OperationalError("could not connect to server at 10.0.0.5 password=hunter2"),
    ):
        response = Client().get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "error"
    assert body["database"] == "unreachable"
    assert body["reason"] == "OperationalError"
    assert "hunter2" not in response.content.decode(), "no connection details leak"


def test_health_is_never_cached_and_needs_no_sign_in():
    response = Client().get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert Client().post("/healthz").status_code in (403, 405)


def test_a_page_gives_a_calm_503_when_the_database_is_away_and_recovers():
    client = Client(raise_request_exception=False)
    away = OperationalError("could not connect to server at 10.0.0.5 password=hunter2")
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=away):
        client.cookies["sessionid"] = "x" * 32  # so the first thing the page does is ask the db
        response = client.get("/accounts/sign-in/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Back in a moment" in page and "nothing already saved is lost" in page
    assert "hunter2" not in page and "OperationalError" not in page

    # The database is back: the same page works again, with nothing restarted.
    assert client.get("/accounts/sign-in/").status_code == 200


@pytest.mark.parametrize(
    "error", [RuntimeError("boom"), DataError("bad data")], ids=["a bug", "data the db refused"]
)
def test_any_other_failure_is_still_a_500(error):
    client = Client(raise_request_exception=False)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=error):
        client.cookies["sessionid"] = "x" * 32
        response = client.get("/accounts/sign-in/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
