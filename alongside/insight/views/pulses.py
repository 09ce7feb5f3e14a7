"""Area insight pages for the system-health pulse (issue 14, item 6): the pulses by
audience, a new pulse, one pulse's results over time, a new round and its private links.

Every page asks the policy: the list and a new pulse need an analyst or commissioner role in
an area (INSIGHT_WORK on it), everything about one pulse INSIGHT_ITEM. Another area's pulse
is a 403, audited; a round named under a pulse it isn't part of is a 404.

The private links of a round are made once. Their tokens are held in the analyst's session
only until the next page shows them; after that only their hashes exist, and the download
works by sending the page's own tokens back, each checked against the round's hashes.
"""

from __future__ import annotations

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from alongside.accounts import policy
from alongside.accounts.models import Area
from alongside.core.audit import record
from alongside.core.models import AuditAction
from alongside.listening.exports.csv_export import safe_cell

from ..forms_pulses import AudienceForm, PulseForm, RoundForm
from ..models import Pulse, PulseLink, PulseRound, hash_token
from ..pulse_items import items_for
from ..selectors import pulses as selectors
from ..selectors.areas import area_ids_for
from ..services import pulses as services
from .home import insight_areas

Action = policy.Action

# Enough for the largest round: 2,000 tokens of 22 characters and a space each.
MAX_POSTED_TOKENS = services.MAX_LINKS


def _session_key(one: PulseRound) -> str:
    return f"insight_pulse_links_{one.pk}"


def pulse_for(request: HttpRequest, pulse_id: int, detail: str) -> Pulse:
    pulse = get_object_or_404(Pulse.objects.select_related("area"), pk=pulse_id)
    policy.authorize(request, Action.INSIGHT_ITEM, pulse, detail=detail)
    return pulse


@login_required
@require_http_methods(["GET"])
def pulses(request: HttpRequest) -> HttpResponse:
    areas = insight_areas(request, "pulses")
    for area in areas:
        policy.authorize(request, Action.INSIGHT_WORK, area, detail="pulses")
    return render(
        request,
        "insight/pulses/list.html",
        {"areas": selectors.pulses_for(areas), "many_areas": len(areas) > 1},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pulse_new(request: HttpRequest) -> HttpResponse:
    insight_areas(request, "pulse add")
    areas = Area.objects.filter(pk__in=area_ids_for(request.user)).order_by("name")
    audience = request.POST.get("audience") or request.GET.get("audience") or ""
    if audience not in Pulse.Audience.values:
        # With JavaScript off the statements can only follow the audience on a second page.
        chooser = AudienceForm(request.GET if "audience" in request.GET else None)
        chooser.is_valid()
        return render(request, "insight/pulses/audience.html", {"form": chooser})
    form = PulseForm(
        request.POST or None,
        audience=audience,
        areas=areas,
        initial={
            "items": [item.key for item in items_for(audience)],
            "title": Pulse.Audience(audience).label,
        },
    )
    if request.method == "POST" and form.is_valid():
        area = form.chosen_area()
        try:
            pulse = services.pulse_create(
                actor=request.user,
                area=area,
                audience=audience,
                title=form.cleaned_data["title"],
                item_keys=form.cleaned_data["items"],
            )
        except ValueError as problem:
            form.add_error(None, str(problem))
        else:
            return redirect("insight:pulse", pulse_id=pulse.pk)
    return render(
        request,
        "insight/pulses/form.html",
        {"form": form, "audience": audience, "label": Pulse.Audience(audience).label},
    )


@login_required
@require_http_methods(["GET"])
def pulse(request: HttpRequest, pulse_id: int) -> HttpResponse:
    one = pulse_for(request, pulse_id, "pulse")
    return render(request, "insight/pulses/pulse.html", {"page": selectors.results(one)})


@login_required
@require_http_methods(["GET", "POST"])
def pulse_round_new(request: HttpRequest, pulse_id: int) -> HttpResponse:
    one = pulse_for(request, pulse_id, "pulse round add")
    form = RoundForm(request.POST or None, initial={"opens_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made, tokens = services.round_create(
                actor=request.user,
                pulse=one,
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                links=data["links"],
            )
        except ValueError as problem:
            form.add_error(None, str(problem))
        else:
            # Kept only until the next page shows them, then gone from the server for good.
            request.session[_session_key(made)] = tokens
            return redirect("insight:pulse_round_links", pulse_id=one.pk, round_id=made.pk)
    return render(request, "insight/pulses/round_form.html", {"form": form, "pulse": one})


def _links(request: HttpRequest, tokens: list[str]) -> list[str]:
    return [request.build_absolute_uri(reverse("pulse:answer", args=[t])) for t in tokens]


@login_required
@require_http_methods(["GET", "POST"])
def pulse_round_links(request: HttpRequest, pulse_id: int, round_id: int) -> HttpResponse:
    one = pulse_for(request, pulse_id, "pulse round links")
    the_round = get_object_or_404(PulseRound, pk=round_id, pulse=one)
    if request.method == "POST":
        return _links_csv(request, one, the_round)
    tokens = request.session.pop(_session_key(the_round), None) or []
    return render(
        request,
        "insight/pulses/links.html",
        {
            "pulse": one,
            "round": the_round,
            "tokens": " ".join(tokens),
            "links": _links(request, tokens),
        },
    )


def _links_csv(request: HttpRequest, one: Pulse, the_round: PulseRound) -> HttpResponse:
    """The links just shown, as CSV. The page sends its own tokens back; only tokens of this
    round are accepted (each hashed and checked), so nothing typed elsewhere gets in."""
    posted = request.POST.get("tokens", "")
    tokens = list(dict.fromkeys(posted.split()))
    if not tokens or len(tokens) > MAX_POSTED_TOKENS:
        raise Http404
    if any(len(t) > services.MAX_TOKEN_LENGTH for t in tokens):
        raise Http404
    hashes = {hash_token(t) for t in tokens}
    known = PulseLink.objects.filter(round=the_round, token_hash__in=hashes).count()
    if known != len(hashes):
        raise Http404
    out = io.StringIO()
    out.write("\ufeff")  # so spreadsheets read it as UTF-8
    writer = csv.writer(out)
    writer.writerow(["Pulse", "Round", "Private link"])
    title, round_title = safe_cell(one.title), safe_cell(the_round.title)
    for link in _links(request, tokens):
        writer.writerow([title, round_title, safe_cell(link)])
    record(
        request.user,
        AuditAction.EXPORT,
        the_round,
        detail=f"pulse links downloaded ({len(tokens)})",
        organisation_id=one.organisation_id,
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pulse-links.csv"'
    return response


urlpatterns: list[URLPattern] = [
    path("pulse/", pulses, name="pulses"),
    path("pulse/new/", pulse_new, name="pulse_new"),
    path("pulse/<int:pulse_id>/", pulse, name="pulse"),
    path("pulse/<int:pulse_id>/rounds/new/", pulse_round_new, name="pulse_round_new"),
    path(
        "pulse/<int:pulse_id>/rounds/<int:round_id>/links/",
        pulse_round_links,
        name="pulse_round_links",
    ),
]
