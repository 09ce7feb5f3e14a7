"""The two-factor device a sign-in was verified with is read by a query written once
(accounts.middleware.TwoFactorDeviceMiddleware, issue 11): the same device, the same refusals
as django-otp's own middleware."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.accounts.middleware import TwoFactorDeviceMiddleware
from alongside.accounts.models import User

pytestmark = pytest.mark.django_db


def _device(username: str, *, confirmed: bool = True) -> TOTPDevice:
    user = User.objects.create_user(username=username, password="a long passphrase here")
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def _both(persistent_id: str) -> tuple[Any, Any]:
    ours = TwoFactorDeviceMiddleware(lambda request: None)._device_from_persistent_id(persistent_id)
    theirs = OTPMiddleware(lambda request: None)._device_from_persistent_id(persistent_id)
    return ours, theirs


def test_the_same_device_with_every_field() -> None:
    device = _device("ffion")
    ours, theirs = _both(device.persistent_id)
    assert ours == theirs == device
    assert isinstance(ours, TOTPDevice)
    fields = [f.attname for f in TOTPDevice._meta.concrete_fields]
    assert [getattr(ours, f) for f in fields] == [getattr(theirs, f) for f in fields]
    # A real instance: it can check a code and save what it learns.
    assert ours.verify_token("000000") in (True, False)


@pytest.mark.parametrize(
    "persistent_id",
    [
        "otp_totp.totpdevice/999999",  # no such device
        "otp_totp.totpdevice/",  # no id
        "otp_totp.totpdevice/abc",
        "otp_totp.totpdevice/-1",
        "otp_totp.totpdevice/99999999999999999999",  # too long for the short way
        "otp_totp.nosuchmodel/1",
        "nosuchapp.totpdevice/1",
        "no slash at all",
        "django_otp.plugins.otp_totp.models.TOTPDevice/1",  # the old, long form
    ],
)
def test_what_django_otp_refuses_is_refused(persistent_id: str) -> None:
    _device("gwen")
    ours, theirs = _both(persistent_id)
    assert ours == theirs


def test_a_model_that_is_not_a_device_is_no_device() -> None:
    # django-otp's own reading fails with an AttributeError here; ours says "no device".
    device = _device("dai")
    middleware = TwoFactorDeviceMiddleware(lambda request: None)
    assert middleware._device_from_persistent_id(f"accounts.user/{device.user_id}") is None


def test_the_query_is_written_once_per_connection() -> None:
    first, second = _device("ifan"), _device("nia")
    middleware = TwoFactorDeviceMiddleware(lambda request: None)
    middleware._device_from_persistent_id(first.persistent_id)
    with CaptureQueriesContext(connection) as queries:
        assert middleware._device_from_persistent_id(second.persistent_id) == second
    assert len(queries) == 1


def test_an_unconfirmed_or_another_users_device_does_not_verify(client: Any) -> None:
    device = _device("owain", confirmed=False)
    other = _device("siân")
    user = device.user
    client.force_login(user)
    for persistent_id in (device.persistent_id, other.persistent_id):
        session = client.session
        session["otp_device_id"] = persistent_id
        session.save()
        response = client.get("/")
        assert response.wsgi_request.user.otp_device is None
        assert "otp_device_id" not in client.session


def test_a_verified_sign_in_carries_its_device(client: Any) -> None:
    device = _device("rhys")
    client.force_login(device.user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    response = client.get("/")
    assert response.wsgi_request.user.otp_device == device
    assert response.wsgi_request.user.is_verified()
