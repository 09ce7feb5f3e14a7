"""Pages for personal budgets: the ledger, asking, deciding, paying, receipts."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse

from alongside.accounts import policy
from alongside.accounts.models import Organisation, Role
from alongside.accounts.policy import Action
from alongside.core.money import pounds

from ..forms_budgets import AllocationForm, DeclineForm, PaymentForm, SpendRequestForm
from ..models import Payment, Person, SpendRequest
from ..selectors import budgets as selectors
from ..services import budgets as services
from . import person_or_404


def _spend(person: Person, spend_id: int) -> SpendRequest:
    spend = get_object_or_404(
        SpendRequest.objects.select_related("goal"), pk=spend_id, person=person
    )
    spend.person = person
    return spend


def _ledger_url(person: Person) -> str:
    return reverse("coaching:budget", args=[person.pk])


@login_required
def budget(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    policy.authorize(request, Action.PERSON_VIEW, person, detail="budget")
    context = selectors.ledger(person)
    context["may_change"] = policy.can(request.user, Action.PERSON_CHANGE, person)
    context["is_person"] = policy.is_the_person(request.user, person)
    context["may_set_allocation"] = policy.can(
        request.user, Action.ORGANISATION_MANAGE, person.organisation
    )
    limit = person.organisation.coach_approval_limit_pence
    for spend in context["spends"]:
        spend.may_decide = spend.status == SpendRequest.Status.REQUESTED and policy.can(
            request.user, Action.SPEND_DECIDE, spend
        )
        # Over the coaches' limit: say who decides (a lead reaches it from their home).
        spend.waiting_for_lead = (
            spend.status == SpendRequest.Status.REQUESTED
            and not spend.may_decide
            and spend.amount_pence > limit
        )
    return render(request, "coaching/budgets/ledger.html", context)


@login_required
def spend_request_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    policy.authorize(request, Action.PERSON_CHANGE, person, detail="spend request")
    form = SpendRequestForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.spend_request_create(
                actor=request.user,
                person=person,
                what_for=data["what_for"],
                category=data["category"],
                amount_pence=data["amount"],
                goal=data["goal"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Asked. It will be decided soon.")
            return redirect(_ledger_url(person))
    return render(request, "coaching/budgets/ask.html", {"person": person, "form": form})


@login_required
def spend_request_decide(request: HttpRequest, person_id: int, spend_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    policy.authorize(request, Action.PERSON_VIEW, person, detail="spend decision")
    spend = _spend(person, spend_id)
    decline_form = DeclineForm(request.POST if request.POST.get("decision") == "decline" else None)
    problem = ""
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve":
                services.spend_request_approve(actor=request.user, spend=spend)
                messages.success(request, "Approved.")
                return redirect(_ledger_url(person))
            if request.POST.get("decision") == "decline" and decline_form.is_valid():
                services.spend_request_decline(
                    actor=request.user, spend=spend, note=decline_form.cleaned_data["note"]
                )
                messages.success(request, "Not approved. The reason is on the budget page.")
                return redirect(_ledger_url(person))
        except ValidationError as error:
            problem = " ".join(error.messages)
    else:
        policy.require(request.user, Action.SPEND_DECIDE, spend, detail="decide page")
    spend.amount = pounds(spend.amount_pence)
    context = {
        "person": person,
        "spend": spend,
        "form": decline_form,
        "problem": problem,
        "budget": selectors.for_record(person)["budget"],
    }
    return render(request, "coaching/budgets/decide.html", context)


@login_required
def payment_add(request: HttpRequest, person_id: int, spend_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    policy.authorize(request, Action.PERSON_CHANGE, person, detail="payment")
    spend = _spend(person, spend_id)
    form = PaymentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.payment_record(
                actor=request.user,
                spend=spend,
                amount_pence=data["amount"],
                paid_on=data["paid_on"],
                receipt=data["receipt"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Payment recorded.")
            return redirect(_ledger_url(person))
    spend.amount = pounds(spend.amount_pence)
    return render(
        request, "coaching/budgets/pay.html", {"person": person, "spend": spend, "form": form}
    )


@login_required
def receipt(request: HttpRequest, person_id: int, payment_id: int) -> FileResponse:
    person = person_or_404(person_id)
    payment = get_object_or_404(
        Payment.objects.select_related("spend_request"),
        pk=payment_id,
        spend_request__person=person,
    )
    policy.authorize(request, Action.PERSON_VIEW, person, detail=f"receipt {payment.pk}")
    if not payment.receipt:
        raise Http404
    extension = Path(payment.receipt.name).suffix
    return FileResponse(
        payment.receipt.open("rb"),
        as_attachment=True,
        filename=f"receipt-{payment.pk}{extension}",
    )


@login_required
def allocation(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_or_404(person_id)
    policy.require(
        request.user, Action.ORGANISATION_MANAGE, person.organisation, detail="allocation"
    )
    policy.authorize(request, Action.PERSON_VIEW, person, detail="allocation")
    initial = {}
    if person.budget_allocation_pence:
        initial["amount"] = pounds(person.budget_allocation_pence).lstrip("£")
    form = AllocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.allocation_change(
            actor=request.user, person=person, amount_pence=form.cleaned_data["amount"] or 0
        )
        messages.success(request, "Budget changed.")
        return redirect(_ledger_url(person))
    usual = pounds(person.organisation.budget_allocation_pence)
    return render(
        request,
        "coaching/budgets/allocation.html",
        {"person": person, "form": form, "usual": usual},
    )


@login_required
def organisation_ledger(request: HttpRequest) -> HttpResponse:
    led = sorted(policy.organisations_where(request.user, Role.LEAD))
    if not led:
        policy.record_denied(request, "budget ledger")
    every_month = request.GET.get("months") == "all"
    ledgers = []
    for organisation in Organisation.objects.filter(pk__in=led).order_by("name"):
        policy.authorize(request, Action.ORGANISATION_MANAGE, organisation, detail="ledger")
        ledgers.append(selectors.organisation_ledger(organisation, every_month=every_month))
    return render(
        request,
        "coaching/budgets/organisation.html",
        {"ledgers": ledgers, "every_month": every_month},
    )


urlpatterns: list[URLPattern] = [
    path("budget/ledger/", organisation_ledger, name="budget_ledger"),
    path("<int:person_id>/budget/", budget, name="budget"),
    path("<int:person_id>/budget/ask/", spend_request_add, name="spend_request_add"),
    path(
        "<int:person_id>/budget/<int:spend_id>/decide/",
        spend_request_decide,
        name="spend_request_decide",
    ),
    path("<int:person_id>/budget/<int:spend_id>/pay/", payment_add, name="payment_add"),
    path("<int:person_id>/budget/receipts/<int:payment_id>/", receipt, name="receipt"),
    path("<int:person_id>/budget/allocation/", allocation, name="budget_allocation"),
]
