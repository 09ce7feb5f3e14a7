"""Members keep their directory entries and the network's staff approve them (issue 15,
item 1): a proposal changes nothing public until it is approved; approval applies the whole
entry at once; every approved change is kept as history; a stale proposal is never approved."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from alongside.core.models import AuditEntry
from alongside.network import entries
from alongside.network.models import DirectoryChange, DirectoryOrganisation, Service
from alongside.network.practice_vocabulary import ensure_own_taxonomy
from alongside.network.services import directory as services

from . import factories
from .factories import text_of
from .test_network_directory_support import listed_organisation, listed_service, service_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = factories.world()
    world["entry"] = listed_organisation(world["network"], world["home"], name="Home Trust")
    world["service"] = listed_service(world["entry"])
    return world


def _live(service: Service) -> dict:
    return entries.service_entry(Service.objects.get(pk=service.pk))


def _public_text(service: Service) -> str:
    return text_of(Client().get(reverse("directory:service", args=[service.pk])))


def _decide(client, change, decision="approve", note=""):
    change.refresh_from_db()
    return client.post(
        reverse("network:directory_change_decide", args=[change.pk]),
        {"decision": decision, "note": note, "version": change.version},
    )


def test_member_change_waits_then_approval_applies_everything(w, login):
    service = w["service"]
    taxonomy = ensure_own_taxonomy(network=w["network"])
    peer = taxonomy.terms.get(name="Peer support")
    member = login(w["lead"])
    page = member.get(reverse("network:directory_service_edit", args=[service.pk]))
    assert page.status_code == 200
    assert 'value="Friday drop-in"' in page.content.decode()  # pre-filled from the live entry

    live = _live(service)
    data = service_post(live, name="Friday drop-in and lunch", minimum_age=18, fees="Free")
    data["terms"] = [str(peer.pk)]
    data["areas"] = [w["area"].slug]
    data["place-1-address_1"] = "2 Station Road"  # a second place
    data["place-1-city"] = "Southfield"
    data["place-1-postal_code"] = "sf2 3cd"
    data["times-0-days"] = ["MO", "FR"]
    data["contact-0-phone"] = "0113 496 0999"
    response = member.post(reverse("network:directory_service_edit", args=[service.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    change = DirectoryChange.objects.get(service=service)
    assert change.status == DirectoryChange.Status.WAITING
    assert change.proposed_for == w["home"]
    assert change.proposed["based_on_version"] == 1
    # Nothing public has changed.
    assert Service.objects.get(pk=service.pk).name == "Friday drop-in"
    assert "Friday drop-in and lunch" not in _public_text(service)

    # Staff see it in the queue, field by field.
    staff = login(w["network_lead"])
    queue = text_of(staff.get(reverse("network:directory_changes")))
    assert "Friday drop-in and lunch" in queue
    detail = text_of(staff.get(reverse("network:directory_change", args=[change.pk])))
    assert "What would change" in detail
    assert "Friday drop-in and lunch" in detail and "People aged 18 and over" in detail
    assert "Mondays and Fridays, 10am to 4pm" in detail

    assert _decide(staff, change).status_code == 302
    change.refresh_from_db()
    assert change.status == DirectoryChange.Status.APPROVED
    assert change.decided_by == w["network_lead"]
    assert change.replaced["name"] == "Friday drop-in"

    after = Service.objects.get(pk=service.pk)
    assert after.version == 2 and after.published
    assert after.last_modified > service.last_modified
    now = _live(after)
    assert now["name"] == "Friday drop-in and lunch"
    assert now["minimum_age"] == 18 and now["fees"] == "Free"
    assert [t["name"] for t in now["terms"]] == ["Peer support"]
    assert [a["slug"] for a in now["areas"]] == [w["area"].slug]
    assert {p["postal_code"] for p in now["locations"]} == {"NF1 2AB", "SF2 3CD"}
    assert now["schedules"][0]["byday"] == "MO,FR"
    assert now["schedules"][0]["id"] == live["schedules"][0]["id"]  # updated, not replaced
    assert now["contacts"][0]["phone"] == "0113 496 0999"
    text = _public_text(service)
    assert "Friday drop-in and lunch" in text and "2 Station Road" in text
    assert AuditEntry.objects.filter(detail=f"directory change {change.pk} applied").exists()
    again = member.get(reverse("network:directory_service_edit", args=[service.pk]))
    assert re.search(f'value="{peer.pk}" id="[^"]+" checked', again.content.decode())


def test_history_keeps_every_approved_change_newest_first(w, login):
    service = w["service"]
    staff = w["network_lead"]
    for name in ("Second name", "Third name"):
        live = _live(service)
        services.service_change_propose(
            actor=staff,
            service=Service.objects.get(pk=service.pk),
            entry={**live, "name": name},
            version=live["based_on_version"],
        )
    history = login(w["lead"]).get(reverse("network:directory_service_history", args=[service.pk]))
    text = text_of(history)
    assert text.index("Third name") < text.index("Second name")
    assert "Friday drop-in" in text  # what the first change replaced
    assert len(history.context["changes"]) == 2


def test_staff_edit_is_approved_at_once_and_kept(w, login):
    service = w["service"]
    staff = login(w["network_lead"])
    data = service_post(_live(service), name="Renamed by the network")
    response = staff.post(reverse("network:directory_service_edit", args=[service.pk]), data)
    assert response.status_code == 302
    change = DirectoryChange.objects.get(service=service)
    assert change.status == DirectoryChange.Status.APPROVED
    assert change.decided_by == w["network_lead"]
    assert "Renamed by the network" in _public_text(service)


def test_stale_approval_is_refused_never_overwriting(w, login):
    service = w["service"]
    live = _live(service)
    waiting = services.service_change_propose(
        actor=w["lead"], service=service, entry={**live, "name": "From the member"}, version=1
    )
    # The network changes the entry directly meanwhile (as if another change were approved).
    DirectoryChange.objects.filter(pk=waiting.pk).update(status=DirectoryChange.Status.WITHDRAWN)
    services.service_change_propose(
        actor=w["network_lead"],
        service=Service.objects.get(pk=service.pk),
        entry={**live, "name": "From the network"},
        version=1,
    )
    DirectoryChange.objects.filter(pk=waiting.pk).update(status=DirectoryChange.Status.WAITING)

    staff = login(w["network_lead"])
    page = text_of(staff.get(reverse("network:directory_change", args=[waiting.pk])))
    assert "The entry has changed since this was sent." in page
    response = _decide(staff, waiting)
    assert response.status_code == 400
    assert "approving it would undo that change" in text_of(response)
    waiting.refresh_from_db()
    assert waiting.status == DirectoryChange.Status.WAITING
    assert Service.objects.get(pk=service.pk).name == "From the network"


def test_edit_from_an_older_page_is_refused_and_shown_beside(w, login):
    service = w["service"]
    old = _live(service)
    services.service_change_propose(
        actor=w["network_lead"], service=service, entry={**old, "name": "Newer name"}, version=1
    )
    member = login(w["lead"])
    data = service_post(old, name="My older edit")
    response = member.post(reverse("network:directory_service_edit", args=[service.pk]), data)
    assert response.status_code == 409
    text = text_of(response)
    assert "What the entry says now" in text and "Newer name" in text
    assert 'value="My older edit"' in response.content.decode()  # what they typed stays
    assert not DirectoryChange.objects.filter(proposed__name="My older edit").exists()


def test_declined_change_shows_the_note_and_never_goes_public(w, login):
    service = w["service"]
    change = services.service_change_propose(
        actor=w["lead"], service=service, entry={**_live(service), "name": "Not this"}, version=1
    )
    staff = login(w["network_lead"])
    assert _decide(staff, change, "decline", "").status_code == 400  # a note is needed
    assert _decide(staff, change, "decline", "Please keep the old name.").status_code == 302
    change.refresh_from_db()
    assert change.status == DirectoryChange.Status.DECLINED
    text = text_of(login(w["lead"]).get(reverse("network:directory_keep")))
    assert "Please keep the old name." in text
    assert "Not this" not in _public_text(service)


def test_member_takes_back_a_waiting_change(w, login):
    service = w["service"]
    change = services.service_change_propose(
        actor=w["lead"], service=service, entry={**_live(service), "name": "Oops"}, version=1
    )
    member = login(w["lead"])
    response = member.post(
        reverse("network:directory_change_take_back", args=[change.pk]),
        {"version": change.version},
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == DirectoryChange.Status.WITHDRAWN
    with pytest.raises(services.DirectoryError):
        services.change_approve(actor=w["network_lead"], change=change, version=change.version)


def test_new_organisation_then_new_service(w, login):
    lead = factories.staff("lead", w["other"])
    w["other"].networks.add(w["network"])
    member = login(lead)
    response = member.post(
        reverse("network:directory_organisation_new"),
        {
            "keeper": f"{w['other'].pk}:{w['network'].pk}",
            "name": "Other Place",
            "description": "We walk alongside.",
        },
    )
    assert response.status_code == 302
    change = DirectoryChange.objects.get(kind=DirectoryChange.Kind.NEW_ORGANISATION)
    assert not DirectoryOrganisation.objects.filter(name="Other Place").exists()
    assert _decide(login(w["network_lead"]), change).status_code == 302
    listed = DirectoryOrganisation.objects.get(name="Other Place")
    assert listed.published and listed.member == w["other"]

    blank = entries.blank_service_entry(listed)
    data = service_post(blank, name="Tuesday group", description="Together on Tuesdays.")
    data["times-0-days"] = ["TU"]
    data["times-0-opens_at"] = "18:00"
    data["times-0-closes_at"] = "20:00"
    data["times-TOTAL_FORMS"] = "2"
    response = member.post(reverse("network:directory_service_new", args=[listed.pk]), data)
    assert response.status_code == 302, text_of(response)[:3000]
    new = DirectoryChange.objects.get(kind=DirectoryChange.Kind.NEW_SERVICE)
    assert not Service.objects.filter(name="Tuesday group").exists()
    assert _decide(login(w["network_lead"]), new).status_code == 302
    made = Service.objects.get(name="Tuesday group")
    assert "Tuesdays, 6pm to 8pm" in _public_text(made)
    new.refresh_from_db()
    assert new.service == made


def test_taking_a_service_out(w, login):
    service = w["service"]
    member = login(w["lead"])
    assert (
        member.get(reverse("network:directory_service_withdraw", args=[service.pk])).status_code
        == 200
    )
    response = member.post(
        reverse("network:directory_service_withdraw", args=[service.pk]), {"version": 1}
    )
    assert response.status_code == 302
    assert Client().get(reverse("directory:service", args=[service.pk])).status_code == 200
    change = DirectoryChange.objects.get(kind=DirectoryChange.Kind.WITHDRAW_SERVICE)
    assert _decide(login(w["network_lead"]), change).status_code == 302
    assert Client().get(reverse("directory:service", args=[service.pk])).status_code == 404
    history = text_of(member.get(reverse("network:directory_service_history", args=[service.pk])))
    assert "No: taken out" in history


def test_form_shows_mistakes_and_keeps_what_was_typed(w, login):
    service = w["service"]
    data = service_post(_live(service), name="Still typed")
    data["place-0-postal_code"] = "not a postcode"
    data["times-0-closes_at"] = "09:00"
    data["contact-0-phone"] = "call me maybe"
    response = login(w["lead"]).post(
        reverse("network:directory_service_edit", args=[service.pk]), data
    )
    assert response.status_code == 400
    text = text_of(response)
    assert "Enter a postcode such as LS1 4AP." in text
    assert "It closes before it opens." in text
    assert "Enter a phone number" in text
    assert 'value="Still typed"' in response.content.decode()
    assert not DirectoryChange.objects.exists()


def test_organisation_details_change_through_the_network(w, login):
    entry = w["entry"]
    member = login(w["lead"])
    url = reverse("network:directory_organisation_edit", args=[entry.pk])
    assert 'value="Home Trust"' in member.get(url).content.decode()
    posted = {"name": "Home Trust CIC", "description": "Still here.", "version": 1}
    assert member.post(url, posted).status_code == 302
    change = DirectoryChange.objects.get(kind=DirectoryChange.Kind.ORGANISATION)
    assert DirectoryOrganisation.objects.get(pk=entry.pk).name == "Home Trust"
    # A second edit from the same old page is refused while the first waits.
    again = member.post(url, {**posted, "name": "Another"})
    assert again.status_code == 400 and "already waiting" in text_of(again)
    assert _decide(login(w["network_lead"]), change).status_code == 302
    entry.refresh_from_db()
    assert (entry.name, entry.version) == ("Home Trust CIC", 2)
    # Now the page it started from is old: the edit is refused, shown beside what it says now.
    stale = member.post(url, {**posted, "name": "From an old page"})
    assert stale.status_code == 409
    assert "Home Trust CIC" in text_of(stale)


def test_a_change_is_decided_once(w):
    service = w["service"]
    change = services.service_change_propose(
        actor=w["lead"], service=service, entry={**_live(service), "name": "Once"}, version=1
    )
    seen = change.version
    services.change_approve(actor=w["network_lead"], change=change, version=seen)
    # A second member of staff pressing the button on the same page changes nothing more.
    with pytest.raises(services.DirectoryError):
        services.change_decline(actor=w["assessor"], change=change, version=seen, note="No")
    change.refresh_from_db()
    assert change.status == DirectoryChange.Status.APPROVED
    assert Service.objects.get(pk=service.pk).version == 2


def test_an_email_longer_than_the_directory_keeps_is_refused_in_words(w, login):
    # Found while fuzzing: a form's email may be 320 characters, the directory's columns hold
    # 254, so approving a longer one failed (a 500 on PostgreSQL, which checks).
    long_email = "a" * 250 + "@example.org"
    member = login(w["lead"])
    entry, service = w["entry"], w["service"]
    url = reverse("network:directory_organisation_edit", args=[entry.pk])
    posted = {"name": "Home Trust", "description": "Still here.", "email": long_email}
    response = member.post(url, {**posted, "version": 1})
    assert response.status_code == 400
    assert "at most 254 characters" in text_of(response)
    assert long_email in text_of(response)
    for key in ("email", "contact-0-email"):  # the service's own, and its contact's
        data = {**service_post(_live(service)), key: long_email}
        edit = reverse("network:directory_service_edit", args=[service.pk])
        response = member.post(edit, data)
        assert response.status_code == 400
        assert "at most 254 characters" in text_of(response)
    assert not DirectoryChange.objects.exists()
