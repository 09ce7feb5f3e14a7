"""The id of the request being served, for tying audit rows and log lines together.

Its own module so that both the audit log and the middleware that sets it can use it without
importing each other."""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar, Token
from typing import Any

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_memo: ContextVar[dict[Any, Any] | None] = ContextVar("request_memo", default=None)
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

Tokens = tuple[Token[str], Token[dict[Any, Any] | None]]


def current_request_id() -> str:
    return _request_id.get()


def request_memo() -> dict[Any, Any] | None:
    """A dict that lives as long as the request being served (None outside a request), for
    answers a page asks for more than once, such as "does this user coach this person?".
    Outside a request (a service called from a test, a job) nothing is remembered, so a
    change made between two questions is always seen."""
    return _memo.get()


def begin(incoming: str = "") -> tuple[str, Tokens]:
    """Take a well-formed id from a proxy, or make one; it, and a fresh request memo, hold
    until `end`."""
    request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
    return request_id, (_request_id.set(request_id), _memo.set({}))


def end(tokens: Tokens) -> None:
    _request_id.reset(tokens[0])
    _memo.reset(tokens[1])


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
