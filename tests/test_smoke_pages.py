import pytest

from alongside.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_each_role_lands_on_a_home_page_that_names_them(world, login):
    for key in ["coach", "lead", "convener", "listener", "commissioner", "assessor"]:
        user = world[key]
        # (The network's own staff land on the network's home.)
        response = login(user).get("/", follow=True)
        assert response.status_code == 200, key
        assert user.username in response.content.decode()


def test_person_lands_on_their_own_space(world, login):
    sam = world["sam"]
    response = login(sam.user).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hello, Sam" in body
    assert "This is your space" in body


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_role_constant_is_the_vocabulary():
    assert {r.value for r in Role} == {
        "coach",
        "convener",
        "listener",
        "lead",
        "commissioner",
        "assessor",
        "analyst",
    }
