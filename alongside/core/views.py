"""Health: is the process up and can it reach its database?"""

from __future__ import annotations

import sys

from django.db import connection
from django.db.utils import Error as DatabaseError
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
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


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500. When the database is away (or, on SQLite, too busy) the page says
    so calmly with a 503, which also tells a load balancer and a browser to try again shortly;
    the site recovers by itself once it can connect again (Django drops a broken connection at
    the end of the request). Neither page touches the database."""
    error = sys.exc_info()[1]
    # Only "cannot reach it" errors: bad data (DataError, IntegrityError) is our bug, a 500.
    if isinstance(error, OperationalError | InterfaceError):
        body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
