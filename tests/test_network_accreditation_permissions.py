"""Who may do what with a portfolio: its organisation's leads build it; the network's
assessors review and decide; nobody else sees it, and every refusal is audited. A member lead
cannot assess, an assessor of another network cannot see it, and another organisation's lead,
a coach, a person or someone signed out get nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from alongside.accounts.models import Organisation, Role
from alongside.core.models import AuditAction, AuditEntry
from alongside.network.models import Portfolio
from alongside.network.services import accreditation as services

from .factories import organisation, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(world):
    one = services.portfolio_start(
        actor=world["lead"], network=world["network"], organisation=world["home"]
    )
    for entry in one.entries.all():
        services.entry_save(
            actor=world["lead"], entry=entry, version=1, narrative="Written.", figure_keys=[]
        )
    one.refresh_from_db()
    return services.portfolio_submit(actor=world["lead"], portfolio=one, version=one.version)


def lead_pages(p):
    entry = p.entries.first()
    return [
        f"/network/accreditation/{p.pk}/",
        f"/network/accreditation/{p.pk}/criteria/{entry.pk}/",
    ]


def assessor_pages(p):
    entry = p.entries.first()
    return [
        f"/network/assessing/{p.pk}/",
        f"/network/assessing/{p.pk}/criteria/{entry.pk}/",
    ]


def export_pages(p):
    return [
        f"/network/accreditation/{p.pk}/document/",
        f"/network/accreditation/{p.pk}/document/portfolio.docx",
    ]


def refused(client, url, method="get", data=None):
    before = AuditEntry.objects.filter(action=AuditAction.DENIED).count()
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 403, (url, response.status_code)
    assert AuditEntry.objects.filter(action=AuditAction.DENIED).count() > before, url


@pytest.fixture
def other_network_assessor(db):
    elsewhere = organisation(Organisation.Kind.NETWORK)
    return staff(Role.ASSESSOR, elsewhere)


@pytest.mark.parametrize("who", ["other_lead", "coach", "convener", "network_lead"])
def test_others_cannot_open_a_portfolio(world, login, portfolio, who):
    client = login(world[who])
    for url in lead_pages(portfolio) + assessor_pages(portfolio) + export_pages(portfolio):
        refused(client, url)


def test_a_person_cannot_open_a_portfolio(world, login, portfolio):
    client = login(world["sam"].user)
    for url in lead_pages(portfolio) + assessor_pages(portfolio) + export_pages(portfolio):
        assert client.get(url).status_code in (302, 403), url


def test_signed_out_is_sent_to_sign_in(portfolio):
    for url in lead_pages(portfolio) + assessor_pages(portfolio) + export_pages(portfolio):
        assert Client().get(url).status_code == 302, url


def test_an_assessor_of_another_network_cannot_see_or_decide(
    world, login, portfolio, other_network_assessor
):
    client = login(other_network_assessor)
    for url in assessor_pages(portfolio) + export_pages(portfolio):
        refused(client, url)
    refused(
        client,
        f"/network/assessing/{portfolio.pk}/decide/",
        "post",
        {"outcome": "not_yet", "note": "x", "version": portfolio.version},
    )
    assert world["home"].name not in client.get("/network/assessing/").content.decode()
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.SUBMITTED


def test_a_member_lead_cannot_assess_their_own_portfolio(world, login, portfolio):
    client = login(world["lead"])
    for url in assessor_pages(portfolio):
        refused(client, url)
    entry = portfolio.entries.first()
    refused(
        client,
        f"/network/assessing/{portfolio.pk}/criteria/{entry.pk}/",
        "post",
        {"verdict": "met"},
    )
    refused(
        client,
        f"/network/assessing/{portfolio.pk}/decide/",
        "post",
        {"outcome": "accredited", "note": "x", "version": portfolio.version},
    )
    refused(client, "/network/assessing/")
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.SUBMITTED
    assert not portfolio.reviews.exists()


def test_an_assessor_cannot_edit_the_organisations_words(world, login, portfolio):
    client = login(world["assessor"])
    entry = portfolio.entries.first()
    refused(
        client,
        f"/network/accreditation/{portfolio.pk}/criteria/{entry.pk}/",
        "post",
        {"narrative": "Rewritten", "version": entry.version},
    )
    # ...but reads the export, as the network's assessor.
    assert client.get(f"/network/accreditation/{portfolio.pk}/document/").status_code == 200


def test_another_member_organisations_lead_cannot_start_one_for_home(world, login):
    third = organisation()
    third.networks.add(world["network"])
    client = login(staff(Role.LEAD, third))
    response = client.post(
        "/network/accreditation/start/",
        {"organisation": world["home"].pk, "network": world["network"].pk},
    )
    assert response.status_code == 403
    assert not Portfolio.objects.exists()


def test_a_lead_of_a_non_member_cannot_start_one(world, login):
    # `other` is not a member of the network: nothing to start, and a forged start is refused.
    client = login(world["other_lead"])
    assert client.get("/network/accreditation/").status_code == 403
    response = client.post(
        "/network/accreditation/start/",
        {"organisation": world["other"].pk, "network": world["network"].pk},
    )
    assert response.status_code == 403
    assert not Portfolio.objects.exists()


def test_an_entry_of_another_portfolio_is_not_found(world, login, portfolio):
    third = organisation()
    third.networks.add(world["network"])
    third_lead = staff(Role.LEAD, third)
    theirs = services.portfolio_start(
        actor=third_lead, network=world["network"], organisation=third
    )
    entry = theirs.entries.first()
    response = login(world["lead"]).get(
        f"/network/accreditation/{portfolio.pk}/criteria/{entry.pk}/"
    )
    assert response.status_code == 404


def test_a_coach_of_a_member_reads_how_it_works_but_sees_no_portfolio(world, login, portfolio):
    response = login(world["coach"]).get("/network/accreditation/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Each member organisation's leads put its portfolio together" in page
    assert f"/network/accreditation/{portfolio.pk}/" not in page
    assert "Start a portfolio" not in page


def test_the_network_lead_is_told_assessing_is_for_assessors(world, login, portfolio):
    response = login(world["network_lead"]).get("/network/assessing/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "not one of its assessors" in page
    assert f"/network/assessing/{portfolio.pk}/" not in page
    queue = login(world["assessor"]).get("/network/assessing/").content.decode()
    assert f"/network/assessing/{portfolio.pk}/" in queue
