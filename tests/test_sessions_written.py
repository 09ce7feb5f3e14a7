"""Sessions are Django's database sessions, read by a query written once per connection
(accounts/sessions.py, issue 11): the same session for its key, none once it has expired, and a
fresh one for a key nobody has."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from alongside.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.save()
    return store.session_key


def test_a_session_is_read_back_by_its_key():
    assert settings.SESSION_ENGINE == "alongside.accounts.sessions"
    key = _saved(colour="green")
    other = _saved(colour="blue")
    assert SessionStore(key)["colour"] == "green"
    assert SessionStore(other)["colour"] == "blue"


def test_an_expired_session_is_not_read_and_its_key_is_dropped():
    key = _saved(colour="green")
    gone = timezone.now() - timedelta(seconds=1)
    Session.objects.filter(session_key=key).update(expire_date=gone)
    store = SessionStore(key)
    assert store.get("colour") is None
    assert store.session_key is None  # as Django's own: a new key when next saved


def test_a_key_nobody_has_gives_an_empty_session():
    store = SessionStore("x" * 32)
    assert dict(store.items()) == {} and store.session_key is None


def test_signing_in_and_out_works_through_it(world, login):
    browser = login(world["coach"])
    assert browser.get("/people/").status_code == 200
    browser.post("/accounts/sign-out/")
    assert browser.get("/people/").status_code == 302  # back to signing in
