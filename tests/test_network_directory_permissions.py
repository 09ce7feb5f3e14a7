"""Who may keep the directory (issue 15, item 1): a member's leads keep only their own entries,
only the network's staff decide, and everyone else is refused (and the refusal audited)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from alongside.core.models import AuditAction, AuditEntry
from alongside.network import entries
from alongside.network.models import DirectoryChange, Service
from alongside.network.services import directory as services

from . import factories
from .test_network_directory_support import listed_organisation, listed_service, service_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = factories.world()
    world["entry"] = listed_organisation(world["network"], world["home"], name="Home Trust")
    world["service"] = listed_service(world["entry"])
    # Another member of the same network, with its own entry and lead.
    world["third"] = factories.organisation(area_obj=world["area"])
    world["third"].networks.add(world["network"])
    world["third_lead"] = factories.staff("lead", world["third"])
    world["change"] = services.service_change_propose(
        actor=world["lead"],
        service=world["service"],
        entry={**entries.service_entry(world["service"]), "name": "Proposed"},
        version=1,
    )
    return world


def _user(w, who: str):
    return w[who].user if who == "sam" else w[who]


def _pages(w) -> list[tuple[str, str, dict]]:
    service, change, entry = w["service"], w["change"], w["entry"]
    return [
        ("get", reverse("network:directory_organisation", args=[entry.pk]), {}),
        ("get", reverse("network:directory_organisation_edit", args=[entry.pk]), {}),
        ("get", reverse("network:directory_service_new", args=[entry.pk]), {}),
        ("get", reverse("network:directory_service_edit", args=[service.pk]), {}),
        (
            "post",
            reverse("network:directory_service_edit", args=[service.pk]),
            service_post(entries.service_entry(service), name="Hijacked"),
        ),
        ("get", reverse("network:directory_service_withdraw", args=[service.pk]), {}),
        ("post", reverse("network:directory_service_withdraw", args=[service.pk]), {"version": 1}),
        ("get", reverse("network:directory_service_history", args=[service.pk]), {}),
        ("get", reverse("network:directory_change", args=[change.pk]), {}),
        (
            "post",
            reverse("network:directory_change_decide", args=[change.pk]),
            {"decision": "approve", "version": change.version},
        ),
        (
            "post",
            reverse("network:directory_change_take_back", args=[change.pk]),
            {"version": change.version},
        ),
    ]


@pytest.mark.parametrize("who", ["other_lead", "third_lead", "coach", "sam", "commissioner"])
def test_others_are_refused_every_keeping_page(w, login, who):
    user = _user(w, who)
    client = login(user)
    for method, url, data in _pages(w):
        response = getattr(client, method)(url, data)
        assert response.status_code in (403, 404), (who, url, response.status_code)
    change = DirectoryChange.objects.get(pk=w["change"].pk)
    assert change.status == DirectoryChange.Status.WAITING
    assert Service.objects.get(pk=w["service"].pk).name == "Friday drop-in"
    assert DirectoryChange.objects.count() == 1
    assert AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED).exists()


def test_anonymous_is_sent_to_sign_in(w):
    client = Client()
    urls = [url for _method, url, _data in _pages(w)]
    urls += [reverse("network:directory_keep"), reverse("network:directory_changes")]
    for url in urls:
        response = client.get(url)
        assert (
            response.status_code == 302
            and "sign-in" in response["Location"]
            or (response.status_code == 405)
        ), url


def test_queue_and_keep_home_refuse_those_without_a_part(w, login):
    for who in ("coach", "other_lead", "sam"):
        assert login(_user(w, who)).get(reverse("network:directory_changes")).status_code == 403
    # A lead of an organisation in no network has nothing to keep.
    assert login(w["other_lead"]).get(reverse("network:directory_keep")).status_code == 403
    # A coach of a member is told who keeps the entries, and shown nothing to change.
    coach = login(w["coach"]).get(reverse("network:directory_keep"))
    assert coach.status_code == 200
    assert "Your organisation's leads keep its entries" in coach.content.decode()
    assert reverse("network:directory_organisation", args=[w["entry"].pk]) not in (
        coach.content.decode()
    )
    assert login(w["lead"]).get(reverse("network:directory_keep")).status_code == 200
    assert login(w["assessor"]).get(reverse("network:directory_changes")).status_code == 200


def test_a_member_cannot_approve_its_own_change(w, login):
    member = login(w["lead"])
    change = w["change"]
    response = member.post(
        reverse("network:directory_change_decide", args=[change.pk]),
        {"decision": "approve", "version": change.version},
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.change_approve(actor=w["lead"], change=change, version=change.version)
    change.refresh_from_db()
    assert change.status == DirectoryChange.Status.WAITING
    # The member still sees their own proposal, without a way to decide it.
    page = member.get(reverse("network:directory_change", args=[change.pk]))
    assert page.status_code == 200 and not page.context["decides"]
    assert "Save the decision" not in page.content.decode()


def test_another_members_lead_cannot_propose_for_someone_elses_entry(w):
    with pytest.raises(PermissionDenied):
        services.service_change_propose(
            actor=w["third_lead"],
            service=w["service"],
            entry={**entries.service_entry(w["service"]), "name": "Not theirs"},
            version=1,
        )
    with pytest.raises(PermissionDenied):
        services.organisation_propose(
            actor=w["third_lead"],
            network=w["network"],
            member=w["home"],
            entry={"kind": "organisation", "name": "Pretend", "description": "x"},
        )


def test_a_non_member_cannot_ask_to_be_listed(w, login):
    # `other` is not in the network: its lead is refused even naming it by hand.
    with pytest.raises((PermissionDenied, services.DirectoryError)):
        services.organisation_propose(
            actor=w["other_lead"],
            network=w["network"],
            member=w["other"],
            entry={"kind": "organisation", "name": "Outsider", "description": "x"},
        )
    client = login(w["other_lead"])
    assert client.get(reverse("network:directory_organisation_new")).status_code == 403
    response = client.post(
        reverse("network:directory_organisation_new"),
        {"keeper": f"{w['other'].pk}:{w['network'].pk}", "name": "Outsider", "description": "x"},
    )
    assert response.status_code == 403
    assert not DirectoryChange.objects.filter(kind=DirectoryChange.Kind.NEW_ORGANISATION).exists()
