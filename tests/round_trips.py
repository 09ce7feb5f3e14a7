"""Counting round trips to the database, not statements (issue 11).

On PostgreSQL `core.written.together` sends a page's queries before reading any answer: merged
into one message, or (with the parameters bound on the server, as settings.py does) one
prepared statement each in psycopg's pipeline. Either way they cost one wait for the database,
which is what a test of "asks no more than it did" means to count."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


def _in_pipeline() -> bool:
    if connection.vendor != "postgresql":
        return False
    from psycopg import pq

    return connection.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF


@contextmanager
def round_trips() -> Iterator[list[str]]:
    """Inside the block, each statement sent on its own is a trip; statements sent one after
    another in a pipeline are one trip together. The list holds a line per trip."""
    trips: list[str] = []
    last_in_pipeline = False

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal last_in_pipeline
        in_pipeline = _in_pipeline()
        if not (in_pipeline and last_in_pipeline):
            trips.append(sql)
        last_in_pipeline = in_pipeline
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield trips
