"""Signing in: audit of every attempt, lockout in plain words, two-factor for leads."""

import logging

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.core.models import AuditAction, AuditEntry

from .factories import organisation, staff, text_of

pytestmark = pytest.mark.django_db
PASS = "a long test passphrase"


def sign_in(client, username, password=PASS):
    return client.post("/accounts/sign-in/", {"username": username, "password": password})


def test_sign_in_lands_on_home_and_is_audited(world):
    client = Client()
    response = sign_in(client, world["coach"].username)
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEntry.objects.filter(action=AuditAction.SIGN_IN, actor=world["coach"]).exists()


def test_failed_sign_in_is_audited_without_the_typed_text(world):
    response = sign_in(Client(), world["coach"].username, "not the passphrase at all")
    assert response.status_code == 200
    assert "don't match" in text_of(response)
    entry = AuditEntry.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert entry.actor_id == world["coach"].pk
    assert "not the passphrase" not in entry.detail


def test_typed_username_is_kept_in_the_form(world):
    body = sign_in(Client(), "someone-typed-this", "wrong wrong wrong").content.decode()
    assert 'value="someone-typed-this"' in body


def test_account_locks_after_repeated_failures_and_says_so_plainly(world, settings):
    username = world["coach"].username
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, "wrong passphrase, again")
    response = sign_in(client, username)  # even the right passphrase is refused now
    assert response.status_code == 429
    body = response.content.decode()
    assert "Sign-in is paused for this account" in body
    assert "hour" in body
    # Another account from the same address is not locked (shared computers in hostels).
    assert sign_in(Client(), world["second_coach"].username).status_code == 302


def test_lead_must_give_a_code_before_anything_else(world):
    lead = world["lead"]
    device = TOTPDevice.objects.create(user=lead, name="app", confirmed=True)
    client = Client()
    assert sign_in(client, lead.username)["Location"] == "/"
    assert client.get("/")["Location"] == "/accounts/two-factor/?next=/"
    person_page = f"/people/{world['sam'].pk}/"
    assert client.get(person_page)["Location"] == f"/accounts/two-factor/?next={person_page}"
    wrong = client.post("/accounts/two-factor/", {"token": "000000"})
    assert "didn't match" in text_of(wrong)
    token = f"{totp(device.bin_key):06d}"
    # Straight after a wrong code even the right one waits: guessing is slowed down.
    too_soon = client.post("/accounts/two-factor/", {"token": token})
    assert "wait a few seconds" in text_of(too_soon)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    # After the code, back to where they were going.
    code_page = f"/accounts/two-factor/?next={person_page}"
    assert client.post(code_page, {"token": token})["Location"] == person_page
    assert client.get("/").status_code == 200


def test_first_sign_in_sets_up_the_authenticator(world):
    lead = world["lead"]
    client = Client()
    sign_in(client, lead.username)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Set up your sign-in code" in page
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=lead, confirmed=False)
    client.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_organisation_can_require_two_factor_for_all_staff(world):
    strict = organisation(requires_two_factor=True)
    coach = staff("coach", strict)
    client = Client()
    sign_in(client, coach.username)
    assert client.get("/")["Location"] == "/accounts/two-factor/?next=/"


def test_coach_in_an_ordinary_organisation_needs_no_code(world):
    client = Client()
    sign_in(client, world["coach"].username)
    assert client.get("/").status_code == 200


def test_sign_out_is_a_post_and_ends_the_session(world):
    client = Client()
    sign_in(client, world["coach"].username)
    assert client.get("/accounts/sign-out/").status_code == 405
    client.post("/accounts/sign-out/")
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.SIGN_OUT).exists()


def test_nothing_personal_reaches_the_application_log(world, caplog):
    caplog.set_level(logging.DEBUG)
    client = Client()
    sign_in(client, world["coach"].username, "wrong passphrase for logs")
    sign_in(client, world["coach"].username)
    client.get(f"/people/{world['sam'].pk}/")
    client.get(f"/people/{world['jo'].pk}/")  # refused
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (world["coach"].username, "Sam", "Jo", "wrong passphrase", PASS):
        assert secret not in logged


def test_a_new_session_generation_signs_out_every_device(world):
    phone, library_computer = Client(), Client()
    for client in (phone, library_computer):
        sign_in(client, world["coach"].username)
        assert client.get("/").status_code == 200
    coach = world["coach"]
    coach.session_generation += 1
    coach.save(update_fields=["session_generation"])
    assert phone.get("/").status_code == 302
    assert library_computer.get("/").status_code == 302
