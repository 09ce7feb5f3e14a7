"""Navigation shows only what the signed-in role may use."""

import pytest

from alongside.home.context_processors import NAV_ITEMS

pytestmark = pytest.mark.django_db

LABELS = {label for label, _, _ in NAV_ITEMS} | {"Network"}
# In the test world, "home" is a member of the network and "other" is not: the network shows
# for every role at a member organisation, and for the network's own staff.
EXPECTED = {
    "coach": {"People I work alongside", "Network"},
    "lead": {"My organisation", "Audit trail", "Network"},
    "other_lead": {"My organisation", "Audit trail"},
    "commissioner": {"Area picture", "Area insight"},
    "analyst": {"Area insight"},
    "listener": {"Listening", "Network"},
    "convener": {"Convening", "Network"},
    "assessor": {"Network"},
    "network_lead": {"My organisation", "Audit trail", "Network"},
}


def _nav_labels(body: str) -> set[str]:
    nav = body.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return {label for label in LABELS | {"My space"} if f">{label}<" in nav}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_sees_only_its_own_links(world, login, role):
    # (The network's own staff land on the network's home.)
    body = login(world[role]).get("/", follow=True).content.decode()
    assert _nav_labels(body) == EXPECTED[role]


def test_a_person_sees_only_their_space(world, login):
    body = login(world["sam"].user).get("/").content.decode()
    assert _nav_labels(body) == {"My space"}


def test_someone_with_two_roles_sees_both(world, login):
    from alongside.accounts.models import Membership, Role

    Membership.objects.create(user=world["coach"], organisation=world["home"], role=Role.LISTENER)
    body = login(world["coach"]).get("/").content.decode()
    assert _nav_labels(body) == {"People I work alongside", "Listening", "Network"}


def test_signed_out_pages_have_no_navigation(client):
    assert 'class="site-nav"' not in client.get("/accounts/sign-in/").content.decode()


def test_the_networks_own_staff_start_on_the_networks_home(world, login):
    for who in ("assessor", "network_lead"):
        response = login(world[who]).get("/")
        assert response.status_code == 302 and response["Location"] == "/network/", who
    # Staff of a member organisation keep their own home.
    assert login(world["coach"]).get("/").status_code == 200
