"""Every log line carries the id of the request it was written in (settings.LOGGING), the
same X-Request-ID the response echoes and the audit rows of that request keep.

These tests use the handler Django built from settings.LOGGING at start-up, with its own
filter and formatter: only where it writes is swapped for a buffer."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from alongside.core.request_id import RequestIdFilter

pytestmark = pytest.mark.django_db
REQUEST_ID = "test-request-0001"


def _configured_console() -> logging.StreamHandler:
    """The root logger's console handler, as settings.LOGGING configured it."""
    handler_class = settings.LOGGING["handlers"]["console"]["class"]
    assert handler_class == "logging.StreamHandler"
    found = [
        h
        for h in logging.getLogger().handlers
        if type(h) is logging.StreamHandler
        and any(isinstance(f, RequestIdFilter) for f in h.filters)
    ]
    assert len(found) == 1, "settings.LOGGING puts one console handler on the root logger"
    return found[0]


@pytest.fixture
def console_output() -> Iterator[io.StringIO]:
    handler = _configured_console()
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def test_the_configured_format_has_a_place_for_the_request_id():
    handler = _configured_console()
    expected = settings.LOGGING["formatters"]["plain"]["format"]
    assert "[%(request_id)s]" in expected
    assert handler.formatter is not None and handler.formatter._fmt == expected


def test_a_line_the_view_writes_carries_its_request_id(world, login, console_output):
    # A coach asking for another organisation's person: the refusal is logged from inside
    # the view's exception handling, while the request is being served.
    client = login(world["coach"])
    response = client.get(f"/people/{world['jo'].pk}/", headers={"X-Request-ID": REQUEST_ID})
    assert response.status_code == 403
    assert response["X-Request-ID"] == REQUEST_ID
    refused = [line for line in console_output.getvalue().splitlines() if "Forbidden" in line]
    assert refused, console_output.getvalue()
    assert f"WARNING [{REQUEST_ID}] django.request Forbidden" in refused[0]


# Django logs a 404 (and any other 4xx or 5xx a view returns rather than raises) in
# BaseHandler.get_response, after the whole middleware chain has returned, so after
# RequestIdMiddleware has reset the request id. The record does carry the request
# (`record.request`), so RequestIdFilter can fall back to `record.request.request_id`.
def test_the_not_found_line_carries_its_request_id(console_output):
    response = Client().get("/no-such-page-here/", headers={"X-Request-ID": REQUEST_ID})
    assert response.status_code == 404
    assert response["X-Request-ID"] == REQUEST_ID
    lines = console_output.getvalue().splitlines()
    not_found = [line for line in lines if "django.request" in line and "Not Found" in line]
    assert not_found, console_output.getvalue()
    assert f"WARNING [{REQUEST_ID}] django.request Not Found: /no-such-page-here/" in not_found[0]


def test_without_a_usable_header_the_line_carries_the_id_we_made(console_output):
    response = Client().get("/no-such-page-here/", headers={"X-Request-ID": "bad id!"})
    made = response["X-Request-ID"]
    assert made != "bad id!" and len(made) == 32
    assert f"[{made}] django.request Not Found" in console_output.getvalue()


def test_a_line_outside_any_request_says_so_with_a_dash(console_output):
    logging.getLogger("alongside.test").warning("between requests")
    assert "WARNING [-] alongside.test between requests" in console_output.getvalue()
