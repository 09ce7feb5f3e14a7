"""On PostgreSQL each query is planned once per connection: prepared statements, with the
parameters bound on the server (issue 11). An operator behind a pooler that cannot keep them
turns them off with PG_PREPARE_THRESHOLD=off."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from alongside.coaching.models import Person

from .test_settings_deploy import PRODUCTION_KEY, _run_manage

PRINT_OPTIONS = (
    "import json; from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)


def _options(**env: str) -> dict:
    result = _run_manage(
        "shell",
        "--no-imports",
        "-c",
        PRINT_OPTIONS,
        DJANGO_SETTINGS_MODULE="alongside.settings",
        SECRET_KEY=PRODUCTION_KEY,
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_prepares_statements_unless_told_not_to():
    url = "postgres://postgres@127.0.0.1:5432/nowhere"  # settings only: nothing connects
    on = _options(DATABASE_URL=url)
    assert on["server_side_binding"] is True and on["prepare_threshold"] == 1
    assert _options(DATABASE_URL=url, PG_PREPARE_THRESHOLD="5")["prepare_threshold"] == 5
    off = _options(DATABASE_URL=url, PG_PREPARE_THRESHOLD="off")
    assert "server_side_binding" not in off and "prepare_threshold" not in off
    assert "server_side_binding" not in _options(DATABASE_URL="sqlite:////tmp/x.sqlite3")


@pytest.mark.django_db
def test_a_query_asked_again_is_not_planned_again():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (CI runs the suite on both)")
    if not (connection.settings_dict.get("OPTIONS") or {}).get("server_side_binding"):
        pytest.skip("PG_PREPARE_THRESHOLD=off in this run")

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    asked = Person.objects.filter(chosen_name="nobody by this name")
    asked.count()
    assert not [s for s in prepared() if "coaching_person" in s]  # once: not yet
    assert asked.count() == 0 and asked.count() == 0
    kept = [s for s in prepared() if "coaching_person" in s]
    assert len(kept) == 1 and "$1" in kept[0]  # the name is a parameter, not in the text
