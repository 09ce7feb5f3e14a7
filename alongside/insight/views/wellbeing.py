"""Wellbeing across coaching (issue 14, item 7): how the ONS4 measures moved for people coached
by the area's organisations that share, against the UK averages, with the social value of the
change in life satisfaction. Aggregates only, for the area's analysts and commissioners."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from ..selectors import wellbeing as selectors
from .home import area_query, chosen_area


@login_required
@require_http_methods(["GET"])
def wellbeing(request: HttpRequest) -> HttpResponse:
    area, areas = chosen_area(request, "insight wellbeing")
    page = selectors.summary(area)
    return render(
        request,
        "insight/wellbeing/page.html",
        {"page": page, "area": area, "areas": areas, "area_query": area_query(area, areas)},
    )


urlpatterns: list[URLPattern] = [path("wellbeing/", wellbeing, name="wellbeing")]
