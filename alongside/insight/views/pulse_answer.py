"""The system-health pulse answered through a private link, with no account: /pulse/<token>/.

Like the published listening report, these pages need no sign-in (no login_required; no
middleware asks for one). They set no cookie but Django's CSRF token, keep nothing about who
answered (no address, no browser, no time, and the answer does not point to the link), are
never cached, and show nothing but the statements. A link gives one answer; a used, unknown
or closed link gets a calm page saying so.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from alongside.core.words import day_month_year

from ..forms_pulses import AnswerForm
from ..pulse_items import SCALE
from ..services import pulses as services


def _calm(request: HttpRequest, kind: str, status: int = 200, **extra: object) -> HttpResponse:
    return render(request, "insight/pulse_answer/calm.html", {"kind": kind, **extra}, status=status)


def _refused(request: HttpRequest, problem: Exception) -> HttpResponse:
    if isinstance(problem, services.LinkUsedError):
        return _calm(request, "used")
    if isinstance(problem, services.RoundClosedError):
        return _calm(request, "closed")
    if isinstance(problem, services.RoundNotOpenError):
        return _calm(request, "waiting", opens=day_month_year(problem.opens_on))
    return _calm(request, "unknown", status=404)


REFUSALS = (
    services.LinkUnknownError,
    services.LinkUsedError,
    services.RoundClosedError,
    services.RoundNotOpenError,
)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.link_for(token)
        services.check_open(link)
    except REFUSALS as problem:
        return _refused(request, problem)
    pulse = link.round.pulse
    form = AnswerForm(request.POST or None, items=pulse.items)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_submit(token=token, answers=form.answers())
        except REFUSALS as problem:
            return _refused(request, problem)
        return redirect("pulse:thanks")
    return render(
        request,
        "insight/pulse_answer/answer.html",
        {"form": form, "title": pulse.title, "scale": SCALE},
    )


@never_cache
@require_http_methods(["GET"])
def thanks(request: HttpRequest) -> HttpResponse:
    return _calm(request, "thanks")


urlpatterns: list[URLPattern] = [
    # Before the token: no token is "thanks" (they are 22 characters).
    path("thanks/", thanks, name="thanks"),
    path("<str:token>/", answer, name="answer"),
]
