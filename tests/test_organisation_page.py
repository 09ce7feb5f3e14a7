"""A lead's organisation page links to every coaching setting they look after."""

import pytest

pytestmark = pytest.mark.django_db


def test_lead_finds_each_coaching_setting(world, login):
    body = login(world["lead"]).get("/accounts/organisation/").content.decode()
    for path in [
        "/people/budget/ledger/",
        "/people/language/",
        "/people/milestones/",
        "/people/instruments/",
        "/me/erasure-requests/",
    ]:
        assert f'href="{path}"' in body
        assert login(world["lead"]).get(path).status_code == 200


def test_coach_has_no_organisation_page(world, login):
    assert login(world["coach"]).get("/accounts/organisation/").status_code == 403
