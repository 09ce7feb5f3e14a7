from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from django.db.models.signals import post_migrate
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


_APPEND_ONLY = importlib.import_module("alongside.core.migrations.0002_audit_append_only")


class _Executor:
    """Just enough of a schema editor to run the audit migration's SQL on one connection."""

    def __init__(self, alias: str) -> None:
        self.connection = connections[alias]

    def execute(self, sql: str) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.fixture
def audit_log_flushable(transactional_db: None) -> Iterator[None]:
    """For transactional tests (live server, concurrent connections).

    The audit table is append-only in the database (core migration 0002): its triggers
    refuse DELETE and TRUNCATE, so the flush that ends every transactional test would fail.
    Just before that flush, drop the triggers; the flush then sends post_migrate, and a
    one-shot receiver puts them back straight away, so no other test sees a database
    without them."""
    yield
    for alias in connections:
        if connections[alias].vendor not in {"sqlite", "postgresql"}:
            continue
        _APPEND_ONLY.backwards(None, _Executor(alias))
        uid = f"tests-audit-triggers-{alias}"

        def restore(sender: Any, using: str, alias: str = alias, uid: str = uid, **kw: Any) -> None:
            if sender.label != "core" or using != alias:
                return
            post_migrate.disconnect(dispatch_uid=uid)
            _APPEND_ONLY.forwards(None, _Executor(alias))

        post_migrate.connect(restore, weak=False, dispatch_uid=uid)
