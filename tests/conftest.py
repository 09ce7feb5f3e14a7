from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import factories

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db) -> dict[str, Any]:
    return factories.world()


def signed_in(user: Any) -> Client:
    """A test client signed in as `user`, past two-factor where the user needs it."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    from alongside.accounts.services import requires_two_factor

    if requires_two_factor(user):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def login():
    return signed_in
