"""Sign out everywhere ends every session the user has."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["sam", "coach"])
def test_two_clients_are_both_signed_out(world, login, who):
    user = world[who].user if who == "sam" else world[who]
    first, second = login(user), login(user)
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 200
    response = first.post("/me/sign-out-everywhere/")
    assert response.status_code == 302
    for client in (first, second):
        assert client.get("/").status_code == 302


def test_get_does_not_sign_out(world, login):
    client = login(world["sam"].user)
    assert client.get("/me/sign-out-everywhere/").status_code == 405
    assert client.get("/").status_code == 200
