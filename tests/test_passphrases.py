"""Easy-to-guess passphrases are refused wherever one is set, with the reason in plain,
kind words and an example of what to try instead."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client

from alongside.accounts import services
from alongside.accounts.models import InviteCode, User
from alongside.accounts.validators import GuessablePassphraseValidator
from alongside.demo.seed import OTHER_COACH_PASSPHRASE
from alongside.demo.sign_ins import DEMO_SIGN_INS

from .factories import person, text_of

TRY = "Try a few words that mean something to you, like 'blue kettle sunday walk'."
KEYBOARD = "This is a run of keys next to each other on the keyboard, which is easy to guess."
REFUSED = [
    (" " * 12, "This is only spaces, which is easy to guess."),
    ("aaaaaaaaaaaa", "This says the same letters over and over, which is easy to guess."),
    ("qwertyuiopas", KEYBOARD),
    ("123456789012", "This is a sequence, like 1234 or abcd, which is easy to guess."),
]


def _refusals(passphrase: str, user: User | None = None) -> list[str]:
    try:
        password_validation.validate_password(passphrase, user)
    except ValidationError as error:
        return error.messages
    return []


def test_the_validator_is_in_the_settings_every_passphrase_goes_through():
    names = [v["NAME"] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert "alongside.accounts.validators.GuessablePassphraseValidator" in names
    in_use = password_validation.get_default_password_validators()
    assert any(isinstance(v, GuessablePassphraseValidator) for v in in_use)


@pytest.mark.parametrize(("passphrase", "reason"), REFUSED)
def test_the_four_reported_passphrases_are_refused_with_a_plain_reason(passphrase, reason):
    assert f"{reason} {TRY}" in _refusals(passphrase)


@pytest.mark.parametrize(
    ("passphrase", "reason"),
    [
        ("Q W E R T Y U I O P A S", KEYBOARD),
        ("1qaz2wsx3edc", KEYBOARD),
        ("zxcvbnmasdfg", KEYBOARD),
        ("qwerty123456", KEYBOARD),
        ("abcdefghijkl", "This is a sequence"),
        ("987654321098", "This is a sequence"),
        ("abcabcabcabc", "the same letters over and over"),
        ("hello hello hello", "the same letters over and over"),
        ("sunshine1234", "a password lots of people use"),
    ],
)
def test_other_repeats_runs_and_sequences_are_refused_too(passphrase, reason):
    assert any(reason in message for message in _refusals(passphrase))


def test_a_passphrase_close_to_the_username_is_refused():
    user = User(username="riverwalker", first_name="Robin")
    messages = _refusals("riverwalker99", user)
    assert messages, "too close to the username"


@pytest.mark.parametrize(
    "passphrase",
    [
        "blue kettle sunday walk",  # the example we give must itself be accepted
        "blue kettle on tuesdays",  # the example in the welcome form's help text
        "all lowercase words here",  # no composition rules
        "correct horse battery staple",
        "orange kettle under the stairs",
    ],
)
def test_a_few_ordinary_words_are_welcome(passphrase):
    assert _refusals(passphrase) == []


def test_every_demo_and_test_passphrase_passes_so_the_contract_holds():
    for entry in DEMO_SIGN_INS:
        user = User(username=entry.username, first_name=entry.first_name)
        assert _refusals(entry.passphrase, user) == [], entry.username
    assert _refusals(OTHER_COACH_PASSPHRASE, User(username="tom")) == []
    assert _refusals("a long test passphrase", User(username="coach1")) == []


def test_the_help_text_says_what_is_refused_and_what_to_try():
    text = GuessablePassphraseValidator().get_help_text()
    assert "qwerty" in text and "1234" in text and TRY in text


@pytest.mark.django_db
@pytest.mark.parametrize(("passphrase", "reason"), REFUSED)
def test_welcome_refuses_them_and_the_invite_code_still_works(world, passphrase, reason):
    newcomer = person(world["home"], world["coach"], "Robin")
    code = services.invite_issue(actor=world["coach"], person=newcomer)
    response = Client().post(
        "/accounts/welcome/",
        {
            "code": code,
            "username": "riverwalker",
            "passphrase": passphrase,
            "passphrase_again": passphrase,
        },
    )
    assert response.status_code == 200
    assert f"{reason} {TRY}" in text_of(response)
    newcomer.refresh_from_db()
    assert newcomer.user is None
    assert InviteCode.objects.get(person=newcomer).used_at is None, "the code still works"


# --- "passphrase" on a passphrase form, never "This password is too short" (issue 12) ----------


@pytest.mark.parametrize(
    ("passphrase", "user", "words"),
    [
        ("blue kettle", None, "This passphrase is too short: it needs at least 12 characters"),
        ("password1234", None, "This passphrase is too common: lots of people use it"),
        ("riverwalker1", User(username="riverwalker"), "This passphrase is too close to your"),
    ],
)
def test_djangos_own_checks_speak_of_a_passphrase(passphrase, user, words):
    messages = _refusals(passphrase, user)
    assert any(words in message for message in messages), messages
    for message in messages:
        assert "This password" not in message and "The password" not in message, message
        assert "%(" not in message, message


def test_every_check_in_the_settings_explains_itself_with_passphrase():
    texts = password_validation.password_validators_help_texts()
    assert len(texts) == len(settings.AUTH_PASSWORD_VALIDATORS)
    for text in texts:
        assert "passphrase" in text and "password must" not in text, text


@pytest.mark.django_db
def test_welcome_says_a_short_passphrase_is_too_short(world):
    newcomer = person(world["home"], world["coach"], "Robin")
    code = services.invite_issue(actor=world["coach"], person=newcomer)
    response = Client().post(
        "/accounts/welcome/",
        {"code": code, "username": "robin", "passphrase": "short", "passphrase_again": "short"},
    )
    page = text_of(response)
    assert "This passphrase is too short: it needs at least 12 characters, spaces included." in page
    assert "password is too short" not in page.lower()
