"""Where an area's imported rows live: one DuckDB file per area, under
`settings.INSIGHT_ROOT` (default `MEDIA_ROOT/insight/`, so backups carry it).

DuckDB lets one process write a file or several read it, not both. Pages and the equalities
command only read (`reading`); the import job writes (`writing`), briefly, after it has
checked and staged everything elsewhere. Either waits a little for the other rather than fail.

The tables, named by `DataSet.table_name`:
- `records_<id>`: person_id VARCHAR, date DATE, service VARCHAR, one VARCHAR column per
  characteristic (its key in the mapping: ethnicity, sex, age_band, disability, ...), and one
  BOOLEAN column per outcome, named `outcome_<key>`.
- `population_<id>`: one VARCHAR column per characteristic, and count BIGINT.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings

WAIT_SECONDS = 30.0
OUTCOME_PREFIX = "outcome_"


def root() -> Path:
    configured = getattr(settings, "INSIGHT_ROOT", None)
    path = Path(configured) if configured else Path(settings.MEDIA_ROOT) / "insight"
    path.mkdir(parents=True, exist_ok=True)
    return path


def area_file(area_id: int) -> Path:
    return root() / f"area-{area_id}.duckdb"


def _open(path: Path, *, read_only: bool) -> Any:
    import duckdb  # heavy: imported where used, never at start-up

    deadline = time.monotonic() + WAIT_SECONDS
    pause = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException:
            # Another process holds the file (an import writing, or readers while we write).
            if time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


@contextmanager
def reading(area_id: int) -> Iterator[Any]:
    """A read-only DuckDB connection to the area's file (an empty in-memory one if the area
    has imported nothing yet)."""
    import duckdb

    path = area_file(area_id)
    connection = _open(path, read_only=True) if path.exists() else duckdb.connect()
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def writing(area_id: int) -> Iterator[Any]:
    """The one writer of the area's file, inside a DuckDB transaction: all or nothing."""
    connection = _open(area_file(area_id), read_only=False)
    try:
        connection.execute("BEGIN TRANSACTION")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    finally:
        connection.close()


def drop_table(area_id: int, table: str) -> None:
    if not area_file(area_id).exists():
        return
    with writing(area_id) as connection:
        connection.execute(f'DROP TABLE IF EXISTS "{table}"')
