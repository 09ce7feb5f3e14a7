"""The id of the request being served, for tying audit rows and log lines together.

Its own module so that both the audit log and the middleware that sets it can use it without
importing each other."""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar, Token

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    return _request_id.get()


def begin(incoming: str = "") -> tuple[str, Token[str]]:
    """Take a well-formed id from a proxy, or make one; it holds until `end`."""
    request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
    return request_id, _request_id.set(request_id)


def end(token: Token[str]) -> None:
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the request id on every log record as `request_id` ("-" outside a request), so
    a log line can be matched to the audit rows of the same request."""

    def filter(self, record: logging.LogRecord) -> bool:
        # A 4xx or 5xx line is written after the middleware has reset the id: read it from
        # the request the record carries.
        record.request_id = (
            current_request_id()
            or getattr(getattr(record, "request", None), "request_id", "")
            or "-"
        )
        return True
