"""A person sets up their own sign-in from a coach's single-use invite code."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.accounts import services
from alongside.accounts.models import InviteCode, User
from alongside.core.models import AuditAction, AuditEntry

from .factories import person, text_of

pytestmark = pytest.mark.django_db
GOOD = "purple kettle on tuesdays"


def authenticate(username: str, password: str) -> User | None:
    """The password check sign-in makes, without the lockout layer that needs a request."""
    user = User.objects.filter(username=username).first()
    return user if user is not None and user.check_password(password) else None


def issue(login, coach, who) -> str:
    response = login(coach).post(f"/people/{who.pk}/invite/")
    assert response.status_code == 200
    return re.search(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code>", text_of(response))[1]


def welcome(code, username="riverwalker", passphrase=GOOD, again=None, client=None):
    return (client or Client()).post(
        "/accounts/welcome/",
        {
            "code": code,
            "username": username,
            "passphrase": passphrase,
            "passphrase_again": passphrase if again is None else again,
        },
    )


def test_coach_issues_a_code_the_person_uses_once(world, login):
    newcomer = person(world["home"], world["coach"], "Robin")
    code = issue(login, world["coach"], newcomer)
    client = Client()
    response = welcome(code.lower(), client=client)  # small letters are fine
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.user.username == "riverwalker"
    assert authenticate(username="riverwalker", password=GOOD) == newcomer.user
    again = welcome(code, username="someone-else")
    assert again.status_code == 200
    assert "didn't work" in text_of(again)
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, person_id=newcomer.pk).exists()


def test_codes_are_stored_only_as_hashes(world, login):
    newcomer = person(world["home"], world["coach"], "Robin")
    code = issue(login, world["coach"], newcomer)
    stored = InviteCode.objects.get(person=newcomer)
    assert code not in stored.code_hash
    assert code.replace("-", "") not in stored.code_hash


def test_a_code_expires_after_14_days(world, login):
    newcomer = person(world["home"], world["coach"], "Robin")
    code = issue(login, world["coach"], newcomer)
    invite = InviteCode.objects.get(person=newcomer)
    assert timedelta(days=13, hours=23) < invite.expires_at - timezone.now() <= timedelta(days=14)
    InviteCode.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = welcome(code)
    assert "didn't work" in text_of(response)
    newcomer.refresh_from_db()
    assert newcomer.user is None


def test_a_new_code_replaces_the_old_one(world, login):
    newcomer = person(world["home"], world["coach"], "Robin")
    first = issue(login, world["coach"], newcomer)
    second = issue(login, world["coach"], newcomer)
    assert "didn't work" in text_of(welcome(first))
    assert welcome(second).status_code == 302


def test_forgotten_passphrase_new_code_stops_the_old_passphrase(world, login):
    sam = world["sam"]
    old_username = sam.user.username
    assert authenticate(username=old_username, password="a long test passphrase")
    code = issue(login, world["coach"], sam)
    assert (
        welcome(code, username=old_username, passphrase="a fresh start in spring").status_code
        == 302
    )
    assert authenticate(username=old_username, password="a long test passphrase") is None
    assert authenticate(username=old_username, password="a fresh start in spring")
    sam.refresh_from_db()
    assert sam.user.username == old_username, "the same sign-in, not a second account"


@pytest.mark.parametrize(
    ("passphrase", "message"),
    [
        ("short one", "too short"),
        ("password1234", "too common"),
    ],
)
def test_weak_passphrases_are_refused_and_the_form_keeps_what_was_typed(
    world, login, passphrase, message
):
    newcomer = person(world["home"], world["coach"], "Robin")
    code = issue(login, world["coach"], newcomer)
    response = welcome(code, username="kept-username", passphrase=passphrase)
    body = text_of(response)
    assert message in body
    assert 'value="kept-username"' in body
    assert f'value="{code}"' in body
    newcomer.refresh_from_db()
    assert newcomer.user is None
    assert InviteCode.objects.get(person=newcomer).used_at is None, "the code still works"


def test_no_composition_rules_a_long_lowercase_phrase_is_fine(world, login):
    newcomer = person(world["home"], world["coach"], "Robin")
    code = issue(login, world["coach"], newcomer)
    assert welcome(code, passphrase="all lowercase words here").status_code == 302


def test_mismatched_passphrases_are_named(world, login):
    newcomer = person(world["home"], world["coach"], "Robin")
    code = issue(login, world["coach"], newcomer)
    assert "aren't the same" in text_of(welcome(code, again="something different entirely"))


def test_a_taken_username_is_refused(world, login):
    newcomer = person(world["home"], world["coach"], "Robin")
    code = issue(login, world["coach"], newcomer)
    taken = world["coach"].username.upper()
    assert "already uses that name" in text_of(welcome(code, username=taken))


@pytest.mark.parametrize("who", ["other_coach", "commissioner", "listener", "assessor"])
def test_only_the_persons_own_organisation_coaches_may_issue(world, login, who):
    response = login(world[who]).post(f"/people/{world['sam'].pk}/invite/")
    assert response.status_code == 403
    assert not InviteCode.objects.filter(person=world["sam"]).exists()
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, actor=world[who]).exists()


def test_a_person_cannot_issue_codes(world, login):
    response = login(world["alex"].user).post(f"/people/{world['sam'].pk}/invite/")
    assert response.status_code == 403


def test_issuing_needs_a_post(world, login):
    assert login(world["coach"]).get(f"/people/{world['sam'].pk}/invite/").status_code == 405


def test_redeeming_a_code_is_audited_as_the_sign_in_it_sets_up(world, login):
    newcomer = person(world["home"], world["coach"], "Robin")
    code = issue(login, world["coach"], newcomer)
    assert welcome(code).status_code == 302
    newcomer.refresh_from_db()
    entry = AuditEntry.objects.get(detail="set up sign-in with invite code")
    assert entry.actor_id == newcomer.user.pk
    assert entry.action == AuditAction.CHANGE and entry.person_id == newcomer.pk


def test_a_refused_redemption_writes_nothing(world, login):
    newcomer = person(world["home"], world["coach"], "Robin")
    code = issue(login, world["coach"], newcomer)
    taken = world["coach"].username
    before = AuditEntry.objects.count()
    assert "already uses that name" in text_of(welcome(code, username=taken))
    assert AuditEntry.objects.count() == before
    assert not User.objects.filter(username="riverwalker").exists()
    assert InviteCode.objects.get(person=newcomer).used_at is None


def test_setting_up_two_factor_is_audited(world):
    lead = world["lead"]
    client = Client()
    client.force_login(lead, backend="alongside.accounts.backends.UsernameBackend")
    assert "Set up your sign-in code" in text_of(client.get("/accounts/two-factor/"))
    client.get("/accounts/two-factor/")  # a second look makes no second app
    device = TOTPDevice.objects.get(user=lead)
    assert not device.confirmed
    added = AuditEntry.objects.filter(
        actor=lead, object_type="otp_totp.totpdevice", object_id=str(device.pk)
    )
    assert list(added.values_list("action", flat=True)) == [AuditAction.CREATE]
    response = client.post("/accounts/two-factor/", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert list(added.order_by("pk").values_list("action", "detail")) == [
        (AuditAction.CREATE, "two-factor app added, not yet confirmed"),
        (AuditAction.CHANGE, "two-factor app confirmed"),
    ]


def test_a_user_confirms_only_their_own_two_factor_app(world):
    device = services.two_factor_device_create(user=world["lead"])
    with pytest.raises(ValueError):
        services.two_factor_device_confirm(user=world["coach"], device=device)
    device.refresh_from_db()
    assert not device.confirmed
