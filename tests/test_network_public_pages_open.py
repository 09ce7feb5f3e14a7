"""The public directory and its Open Referral UK API answer everyone, including staff who
are signed in but have not yet given their two-factor code (issue 15)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _lead_without_code(world: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(world["lead"], backend="alongside.accounts.backends.UsernameBackend")
    return client


@pytest.mark.parametrize("path", ["/directory/", "/openreferral/", "/openreferral/services"])
def test_public_pages_do_not_ask_for_the_code(world: dict[str, Any], path: str) -> None:
    assert _lead_without_code(world).get(path).status_code == 200


def test_the_rest_of_the_network_still_asks_for_it(world: dict[str, Any]) -> None:
    response = _lead_without_code(world).get("/network/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
