"""Assessing, for the network's assessors (issue 15, item 3): the portfolios waiting, each
reviewed criterion by criterion against what was sent (the figures as they were frozen), then
handed back with a request for more, or decided.

Every page asks the policy for PORTFOLIO_ASSESS on the portfolio: an assessor of another
network, or a member organisation's lead, is refused and the refusal audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts import policy
from alongside.accounts.models import Organisation, Role

from ..forms_accreditation import DecideForm, ReviewForm, VersionForm
from ..models import Level, Portfolio, PortfolioEntry
from ..selectors import accreditation as selectors
from ..services import accreditation as services
from .accreditation import portfolio_for

Action = policy.Action


def _assess(request: HttpRequest, pk: int, detail: str) -> Portfolio:
    return portfolio_for(request, pk, Action.PORTFOLIO_ASSESS, detail)


@login_required
@require_http_methods(["GET"])
def assessing(request: HttpRequest) -> HttpResponse:
    # The network's assessors see their queue; its leads, who run the network but do not
    # assess, are told so (and see no portfolio); anyone else is refused.
    is_assessor = bool(policy.network_ids_where(request.user, Role.ASSESSOR))
    is_network_lead = Organisation.objects.filter(
        pk__in=policy.organisations_where(request.user, Role.LEAD),
        kind=Organisation.Kind.NETWORK,
    ).exists()
    if not is_assessor and not is_network_lead:
        policy.record_denied(request, "assessing")
    waiting, others = selectors.queue(request.user) if is_assessor else ([], [])
    context = {"waiting": waiting, "others": others, "is_assessor": is_assessor}
    return render(request, "network/assessing/queue.html", context)


def _levels(one: Portfolio) -> list[Level]:
    return list(one.rubric.levels.order_by("order", "pk"))


def _portfolio_page(
    request: HttpRequest,
    one: Portfolio,
    *,
    decide_form: DecideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    waiting = one.status in selectors.WITH_ASSESSOR
    if decide_form is None:
        decide_form = DecideForm(
            levels=_levels(one),
            initial={"version": one.version, "renewal_due_on": services.default_renewal()},
        )
    context = {
        "portfolio": one,
        "themes": selectors.overview(one),
        "waiting": waiting,
        "decide_form": decide_form,
        "Status": Portfolio.Status,
    }
    return render(request, "network/assessing/portfolio.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def assess_portfolio(request: HttpRequest, pk: int) -> HttpResponse:
    one = _assess(request, pk, f"portfolio {pk} assess")
    return _portfolio_page(request, one)


def _criterion_page(
    request: HttpRequest,
    one: Portfolio,
    entry: PortfolioEntry,
    *,
    form: ReviewForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "portfolio": one,
        "entry": entry,
        "criterion": entry.criterion,
        "frozen": selectors.frozen_figures(entry),
        "documents": list(entry.documents.order_by("added_at", "pk")),
        "reviews": selectors.reviews_of(one, entry.criterion),
        "waiting": one.status in selectors.WITH_ASSESSOR,
        "form": form,
        "next_entry": _next_entry(one, entry),
    }
    return render(request, "network/assessing/criterion.html", context, status=status)


def _next_entry(one: Portfolio, entry: PortfolioEntry) -> PortfolioEntry | None:
    rows = [row.entry for theme in selectors.overview(one) for row in theme.rows]
    for index, each in enumerate(rows):
        if each.pk == entry.pk and index + 1 < len(rows):
            return rows[index + 1]
    return None


@login_required
@require_http_methods(["GET", "POST"])
def assess_criterion(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    one = _assess(request, pk, f"portfolio {pk} assess entry {entry_pk}")
    entry = selectors.entry_of(one, entry_pk)
    if entry is None:
        raise Http404("No such criterion in this portfolio.")
    if request.method != "POST":
        return _criterion_page(request, one, entry, form=ReviewForm())
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _criterion_page(request, one, entry, form=form, status=400)
    try:
        services.review_add(
            actor=request.user,
            portfolio=one,
            criterion=entry.criterion,
            verdict=form.cleaned_data["verdict"],
            comment=form.cleaned_data["comment"],
        )
    except services.PortfolioError as error:
        form.add_error(None, str(error))
        return _criterion_page(request, one, entry, form=form, status=400)
    messages.success(request, f"Review saved: {entry.criterion.title}.")
    following = _next_entry(one, entry)
    if following is not None:
        return redirect("network:assess_criterion", pk=one.pk, entry_pk=following.pk)
    return redirect("network:assess_portfolio", pk=one.pk)


@login_required
@require_POST
def assess_ask_more(request: HttpRequest, pk: int) -> HttpResponse:
    one = _assess(request, pk, f"portfolio {pk} ask more")
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That did not work: please press the button again.")
        return redirect("network:assess_portfolio", pk=one.pk)
    try:
        services.ask_for_more(
            actor=request.user, portfolio=one, version=form.cleaned_data["version"]
        )
    except services.PortfolioConflictError:
        messages.error(
            request,
            "The portfolio changed while you were reading it: check it now, then press the "
            "button again.",
        )
    except services.PortfolioError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Handed back: the organisation sees what you asked for and can send it again."
        )
    return redirect("network:assess_portfolio", pk=one.pk)


@login_required
@require_POST
def assess_decide(request: HttpRequest, pk: int) -> HttpResponse:
    one = _assess(request, pk, f"portfolio {pk} decide")
    levels = _levels(one)
    form = DecideForm(request.POST, levels=levels)
    if not form.is_valid():
        return _portfolio_page(request, one, decide_form=form, status=400)
    data = form.cleaned_data
    level = next((lv for lv in levels if lv.pk == data.get("level")), None)
    try:
        services.portfolio_decide(
            actor=request.user,
            portfolio=one,
            version=data["version"],
            outcome=data["outcome"],
            level=level,
            note=data["note"],
            renewal_due_on=data.get("renewal_due_on"),
        )
    except services.PortfolioConflictError as conflict:
        posted = request.POST.copy()
        posted["version"] = str(conflict.current.version)
        form = DecideForm(posted, levels=levels)
        form.is_valid()
        form.add_error(
            None,
            "The portfolio changed while you were deciding. What you typed is still here: "
            "check the portfolio above, then decide again.",
        )
        one.refresh_from_db()
        return _portfolio_page(request, one, decide_form=form, status=409)
    except services.PortfolioError as error:
        form.add_error(None, str(error))
        return _portfolio_page(request, one, decide_form=form, status=400)
    messages.success(request, "Decided. The organisation's leads can read your decision now.")
    return redirect("network:assess_portfolio", pk=one.pk)


urlpatterns: list[URLPattern] = [
    path("assessing/", assessing, name="assessing"),
    path("assessing/<int:pk>/", assess_portfolio, name="assess_portfolio"),
    path("assessing/<int:pk>/criteria/<int:entry_pk>/", assess_criterion, name="assess_criterion"),
    path("assessing/<int:pk>/ask-more/", assess_ask_more, name="assess_ask_more"),
    path("assessing/<int:pk>/decide/", assess_decide, name="assess_decide"),
]
