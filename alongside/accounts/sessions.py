"""Database sessions (settings SESSION_ENGINE), read by a query written once per connection.

Django's database sessions, unchanged but for the read every signed-in page begins with: the
session by its key, written by the ORM once per connection (core.written.rows_by_values) rather
than built and compiled on every request (about 500 Python calls, issue 11), its expiry then
checked here, as the query's `expire_date > now` did."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet
from django.utils import timezone

from alongside.core.written import columns, rows_by_values


def _session_query(session_key: str) -> QuerySet[Any]:
    return Session.objects.filter(session_key=session_key).values_list(*columns(Session))


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if type(key) is not str:  # no key (a new visitor): as Django asks it
            return super()._get_session_from_db()  # type: ignore[misc]  # not in the stubs
        found = rows_by_values(_session_query, key)
        if found:
            session = Session.from_db(DEFAULT_DB_ALIAS, columns(Session), found[0])
            if session.expire_date > timezone.now():
                return session
        self._session_key = None
        return None
