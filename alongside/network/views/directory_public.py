"""The public directory under /directory/ (issue 15, item 1): no sign-in, only what the network
approved, and every page works at 320 px with JavaScript off (the search is a GET form)."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from ..entries import DAY_CODES, DAY_NAMES
from ..selectors import directory as selectors


@require_http_methods(["GET", "HEAD"])
def search(request: HttpRequest) -> HttpResponse:
    # PostgreSQL refuses a NUL in a query (a 500): nobody searches for one, so it goes.
    asked = request.GET.copy()
    for key, values in asked.lists():
        asked.setlist(key, [value.replace("\x00", "") for value in values])
    found = selectors.search(asked)
    kept = asked.copy()
    kept.pop("page", None)
    context = {
        "found": found,
        "filters": found.filters,
        "term_groups": selectors.term_groups(),
        "areas": selectors.area_choices(),
        "days": [(code, DAY_NAMES[code]) for code in DAY_CODES],
        "query_without_page": kept.urlencode(),
        "term_chosen": str(found.filters.term or ""),
    }
    return render(request, "network/directory/search.html", context)


@require_http_methods(["GET", "HEAD"])
def service(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    one = selectors.public_service(pk)
    if one is None:
        raise Http404("No service here.")
    return render(request, "network/directory/service.html", selectors.service_page(one))


@require_http_methods(["GET", "HEAD"])
def organisation(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    one = selectors.public_organisation(pk)
    if one is None:
        raise Http404("No organisation here.")
    context = {"organisation": one, "results": selectors.organisation_services(one)}
    return render(request, "network/directory/organisation.html", context)


urlpatterns: list[URLPattern] = [
    path("", search, name="search"),
    path("services/<uuid:pk>/", service, name="service"),
    path("organisations/<uuid:pk>/", organisation, name="organisation"),
]
