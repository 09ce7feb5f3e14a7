"""Health: is the process up and can it reach its database?"""

from __future__ import annotations

from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The exception class names the failure without echoing connection strings.
        return JsonResponse(
            {"status": "error", "database": "unreachable", "reason": type(exc).__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok"})
