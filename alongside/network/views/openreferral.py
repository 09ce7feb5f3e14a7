"""The Open Referral UK API under /openreferral/ (issue 15, item 2): open, no key, any origin.

Read only: GET and HEAD answer, OPTIONS answers a browser's preflight, anything else is 405.
Every answer is JSON with `Access-Control-Allow-Origin: *`, errors too, so a page on another
site can read why its request was refused. Only published services of published organisations
are served (`selectors.openreferral`); ids are the records' UUIDs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, time
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, path, re_path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.views.decorators.csrf import csrf_exempt

from .. import hsds
from ..selectors import openreferral as selectors

PER_PAGE = 50
MAX_PER_PAGE = 500
DAY_NAMES = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}
ALLOWED = "GET, HEAD, OPTIONS"
R = TypeVar("R", bound=HttpResponseBase)


class BadParameterError(Exception):
    """A query parameter the API cannot use: answered 400 with these words."""


def _cors(response: R) -> R:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ALLOWED
    response["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _json(data: Any, status: int = 200) -> HttpResponse:
    return _cors(
        JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    )


def _problem(status: int, message: str) -> HttpResponse:
    return _json({"status": status, "message": message}, status=status)


def api(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """GET/HEAD/OPTIONS only, CORS on every answer, a bad parameter a 400 in JSON."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            response = _cors(HttpResponse(status=204))
            response["Allow"] = ALLOWED
            return response
        if request.method not in ("GET", "HEAD"):
            response = _problem(405, "This API only reads: use GET.")
            response["Allow"] = ALLOWED
            return response
        try:
            return view(request, *args, **kwargs)
        except BadParameterError as problem:
            return _problem(400, str(problem))

    return wrapped


def _uuid(value: str, name: str) -> UUID:
    try:
        return UUID(value)
    except ValueError as bad:
        raise BadParameterError(f"{name} must be a UUID, such as {UUID(int=0)}.") from bad


def _whole(request: HttpRequest, name: str, *, smallest: int = 0) -> int | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or number != int(number) or number < smallest:
        raise BadParameterError(f"{name} must be a whole number of at least {smallest}.")
    return int(number)


def _paging(request: HttpRequest) -> tuple[int, int]:
    number = _whole(request, "page", smallest=1) or 1
    size = _whole(request, "per_page", smallest=1) or PER_PAGE
    return number, min(size, MAX_PER_PAGE)


def _when(value: str) -> datetime:
    # Django's parsers raise ValueError for a well-shaped date that does not exist
    # ("2026-02-30", "T25:00"): as unreadable as any other, so a 400, never a 500.
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is not None:
                moment = datetime(day.year, day.month, day.day)
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameterError(
            "modified_after must be a date and time such as 2025-01-31T09:00:00Z."
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _time(request: HttpRequest, name: str) -> time | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        moment = parse_time(value)
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameterError(f"{name} must be a time of day such as 09:30.")
    return moment


def _day(value: str) -> str:
    word = value.strip()
    if word.upper() in selectors.DAYS:
        return word.upper()
    if word.lower() in DAY_NAMES:
        return DAY_NAMES[word.lower()]
    raise BadParameterError("day must be one of MO, TU, WE, TH, FR, SA, SU (or a day's name).")


def _filters(request: HttpRequest) -> selectors.ServiceFilters:
    given = request.GET

    def optional_uuid(name: str) -> UUID | None:
        value = given.get(name, "").strip()
        return _uuid(value, name) if value else None

    modified = given.get("modified_after", "").strip()
    day = given.get("day", "").strip()
    return selectors.ServiceFilters(
        # PostgreSQL refuses a NUL in a query (a 500): no one searches for one.
        search=given.get("search", "").replace("\x00", "").strip()[:200],
        taxonomy_term_id=optional_uuid("taxonomy_term_id"),
        taxonomy_id=optional_uuid("taxonomy_id"),
        organization_id=optional_uuid("organization_id"),
        modified_after=_when(modified) if modified else None,
        minimum_age=_whole(request, "minimum_age"),
        maximum_age=_whole(request, "maximum_age"),
        day=_day(day) if day else "",
        start_time=_time(request, "start_time"),
        end_time=_time(request, "end_time"),
    )


def _page_of(
    request: HttpRequest, rows: QuerySet[Any], render: Callable[[Any], hsds.Json]
) -> HttpResponse:
    number, size = _paging(request)
    total = rows.count()
    start = (number - 1) * size
    chosen = list(rows[start : start + size]) if start < total else []
    return _json(hsds.page([render(row) for row in chosen], total=total, number=number, size=size))


def _not_found(what: str) -> HttpResponse:
    return _problem(404, f"There is no {what} with that id here.")


@api
def about(request: HttpRequest) -> HttpResponse:
    return _json(
        {
            "version": hsds.HSDS_VERSION,
            "profile": hsds.PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("openreferral:openapi")),
        }
    )


@api
def openapi(request: HttpRequest) -> HttpResponseBase:
    response = FileResponse(
        (hsds.STANDARD_DIR / "schema" / "openapi.json").open("rb"),
        content_type="application/json",
    )
    return _cors(response)


@api
def services(request: HttpRequest) -> HttpResponse:
    rows = selectors.filter_services(
        selectors.with_summary(selectors.published_services()), _filters(request)
    )
    return _page_of(request, rows, hsds.service_summary)


@api
def service(request: HttpRequest, pk: str) -> HttpResponse:
    key = _id(pk)
    item = selectors.service(key) if key else None
    if item is None:
        return _not_found("service")
    return _json(hsds.service(item))


@api
def service_at_locations(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    rows = selectors.service_at_locations()
    if filters != selectors.ServiceFilters():
        wanted = selectors.filter_services(selectors.published_services(), filters)
        rows = rows.filter(service__in=wanted.values("pk"))
    return _page_of(request, rows, hsds.service_at_location)


@api
def service_at_location(request: HttpRequest, pk: str) -> HttpResponse:
    key = _id(pk)
    row = selectors.service_at_locations().filter(pk=key).first() if key else None
    if row is None:
        return _not_found("service at a location")
    return _json(hsds.service_at_location(row))


@api
def organizations(request: HttpRequest) -> HttpResponse:
    rows = selectors.published_organisations().order_by("name", "id")
    return _page_of(request, rows, hsds.organization)


@api
def organization(request: HttpRequest, pk: str) -> HttpResponse:
    key = _id(pk)
    org = selectors.published_organisations().filter(pk=key).first() if key else None
    if org is None:
        return _not_found("organisation")
    return _json(hsds.organization(org, services=selectors.organisation_services(org)))


@api
def taxonomies(request: HttpRequest) -> HttpResponse:
    return _page_of(request, selectors.taxonomies(), hsds.taxonomy)


@api
def taxonomy(request: HttpRequest, pk: str) -> HttpResponse:
    key = _id(pk)
    row = selectors.taxonomy(key) if key else None
    if row is None:
        return _not_found("taxonomy")
    return _json(hsds.taxonomy(row, with_terms=True))


@api
def taxonomy_terms(request: HttpRequest) -> HttpResponse:
    rows = selectors.taxonomy_terms()
    taxonomy_id = request.GET.get("taxonomy_id", "").strip()
    if taxonomy_id:
        rows = rows.filter(taxonomy_id=_uuid(taxonomy_id, "taxonomy_id"))
    return _page_of(request, rows, hsds.taxonomy_term)


@api
def taxonomy_term(request: HttpRequest, pk: str) -> HttpResponse:
    key = _id(pk)
    row = selectors.taxonomy_terms().filter(pk=key).first() if key else None
    if row is None:
        return _not_found("taxonomy term")
    return _json(hsds.taxonomy_term(row))


def _id(value: str) -> UUID | None:
    # A malformed id is a record that is not here: 404, as the brief of the API asks.
    try:
        return UUID(value)
    except ValueError:
        return None


@api
def unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return _problem(404, "There is nothing at this address. GET /openreferral/ says what is.")


ID = r"(?P<pk>[^/]+)"


def _at(route: str) -> str:
    # With or without a trailing slash: clients of the standard write both.
    return rf"^{route}/?$"


urlpatterns: list[URLPattern] = [
    path("", about, name="about"),
    path("openapi.json", openapi, name="openapi"),
    re_path(_at("services"), services, name="services"),
    re_path(_at(f"services/{ID}"), service, name="service"),
    re_path(_at("service_at_locations"), service_at_locations, name="service_at_locations"),
    re_path(_at(f"service_at_locations/{ID}"), service_at_location, name="service_at_location"),
    re_path(_at("organizations"), organizations, name="organizations"),
    re_path(_at(f"organizations/{ID}"), organization, name="organization"),
    re_path(_at("taxonomies"), taxonomies, name="taxonomies"),
    re_path(_at(f"taxonomies/{ID}"), taxonomy, name="taxonomy"),
    re_path(_at("taxonomy_terms"), taxonomy_terms, name="taxonomy_terms"),
    re_path(_at(f"taxonomy_terms/{ID}"), taxonomy_term, name="taxonomy_term"),
    re_path(r"^(?P<rest>.+)$", unknown, name="unknown"),
]
