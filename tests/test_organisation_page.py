"""A lead's organisation page links to every coaching setting they look after, and to the
audit trail (where the activity on records is read in words, not as codes)."""

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
        "/audit/",
    ]:
        assert f'href="{path}"' in body
        assert login(world["lead"]).get(path).status_code == 200


def test_coach_has_no_organisation_page(world, login):
    assert login(world["coach"]).get("/accounts/organisation/").status_code == 403


def test_the_organisation_page_shows_no_audit_codes(world, login):
    body = login(world["lead"]).get("/accounts/organisation/").content.decode()
    assert "coaching.person" not in body and "Read the audit trail" in body
