"""The person's own space (issue 4): who has looked, their choices, their data, erasure,
and signing out everywhere. A lead answers erasure requests here too."""

from __future__ import annotations

from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts import policy
from alongside.accounts.models import Role
from alongside.core import documents
from alongside.core.forms import record_id

from ..forms_me_rights import CircleAccessForm, ErasureDecisionForm, QuoteForm
from ..models import ConsentEvent, ErasureRequest, Person
from ..selectors.me_rights import current_consents, who_has_looked
from ..services import consent as consent_services
from ..services import erasure as erasure_services
from .me_record import me

Choice = ConsentEvent.Choice


@login_required
def who_has_looked_page(request: HttpRequest) -> HttpResponse:
    person = me(request, policy.Action.PERSON_VIEW, "who has looked")
    return render(
        request,
        "me/rights/who_has_looked.html",
        {"person": person, "lines": who_has_looked(person)},
    )


def _choices_context(person: Person, **forms_given: object) -> dict:
    now = current_consents(person)

    def holds(choice: str, scope: str = "") -> ConsentEvent | None:
        event = now.get((choice, scope))
        return event if event is not None and event.given else None

    barriers = list(person.barriers.order_by("id"))
    circle = list(person.circle.all())
    credit = holds(Choice.CREDIT_AS)
    quote = now.get((Choice.QUOTE_IN_LISTENING, ""))
    circle_rows = []
    for member in circle:
        event = holds(Choice.CIRCLE_ACCESS, str(member.pk))
        parts = event.details.get("parts", []) if event else []
        circle_rows.append(
            {
                "member": member,
                "parts": [consent_services.CIRCLE_PARTS[p] for p in parts],
                "form": CircleAccessForm(initial={"parts": parts}, prefix=f"c{member.pk}"),
            }
        )
    context = {
        "person": person,
        "barriers": barriers,
        "share_all": holds(Choice.SHARE_BARRIERS) is not None,
        "quote_form": QuoteForm(
            initial={
                "quote": "yes" if quote and quote.given else "no",
                "credit": credit.details.get("credit", "") if credit else "",
            }
        ),
        "quote": quote,
        "credit": credit,
        "circle_rows": circle_rows,
    }
    context.update(forms_given)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def choices(request: HttpRequest) -> HttpResponse:
    person = me(request, policy.Action.PERSON_VIEW, "choices")
    if request.method == "POST":
        what = request.POST.get("what", "")
        user = request.user
        if what == "share_barriers":
            given = request.POST.get("given") == "yes"
            scope = request.POST.get("scope", "")
            if scope and not person.barriers.filter(pk=record_id(scope) or 0).exists():
                raise Http404
            consent_services.consent_record(
                actor=user, person=person, choice=Choice.SHARE_BARRIERS, given=given, scope=scope
            )
            messages.success(request, "Saved. This works straight away.")
            return redirect("me:choices")
        if what == "quote":
            form = QuoteForm(request.POST)
            if not form.is_valid():
                return render(
                    request,
                    "me/rights/choices.html",
                    _choices_context(person, quote_form=form),
                    status=400,
                )
            given = form.cleaned_data["quote"] == "yes"
            credit = form.cleaned_data["credit"].strip()
            consent_services.consent_record(
                actor=user, person=person, choice=Choice.QUOTE_IN_LISTENING, given=given
            )
            consent_services.consent_record(
                actor=user,
                person=person,
                choice=Choice.CREDIT_AS,
                given=bool(credit),
                details={"credit": credit},
            )
            messages.success(request, "Saved. This works straight away.")
            return redirect("me:choices")
        if what == "circle":
            scope = request.POST.get("scope", "")
            member = get_object_or_404(person.circle, pk=record_id(scope) or 0)
            form = CircleAccessForm(request.POST, prefix=f"c{member.pk}")
            if not form.is_valid():
                # Nothing changes: the choice that holds stays, and what was ticked is shown
                # again with what needs changing.
                context = _choices_context(person)
                for row in context["circle_rows"]:
                    if row["member"].pk == member.pk:
                        row["form"] = form
                return render(request, "me/rights/choices.html", context, status=400)
            parts = form.cleaned_data["parts"]
            consent_services.consent_record(
                actor=user,
                person=person,
                choice=Choice.CIRCLE_ACCESS,
                given=bool(parts),
                scope=str(member.pk),
                details={"parts": parts},
            )
            messages.success(request, "Saved. This works straight away.")
            return redirect("me:choices")
        raise Http404
    return render(request, "me/rights/choices.html", _choices_context(person))


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    person = me(request, policy.Action.PERSON_VIEW, "my data")
    requests = list(ErasureRequest.objects.filter(person=person).order_by("-asked_at"))
    context = {
        "person": person,
        "pdf_available": documents.pdf_available(),
        "erasure_requests": requests,
        "open_request": next((r for r in requests if r.status == r.Status.ASKED), None),
    }
    return render(request, "me/rights/my_data.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def erase_ask(request: HttpRequest) -> HttpResponse:
    person = me(request, policy.Action.PERSON_VIEW, "erasure ask")
    if request.method == "POST":
        erasure_services.erasure_ask(actor=request.user, person=person)
        messages.success(request, "We have sent your request. A lead will reply to you here.")
        return redirect("me:my_data")
    return render(request, "me/rights/erase_confirm.html", {"person": person})


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """Anyone signed in (a person or staff) may end every session they have."""
    erasure_services.sign_out_everywhere(user=request.user)
    auth.logout(request)
    return redirect("accounts:sign_in")


def _lead_organisations(request: HttpRequest) -> set[int]:
    orgs = policy.organisations_where(request.user, Role.LEAD)
    if not orgs:
        policy.record_denied(request, "erasure requests")
    return orgs


@login_required
def erasure_queue(request: HttpRequest) -> HttpResponse:
    orgs = _lead_organisations(request)
    waiting = (
        ErasureRequest.objects.filter(organisation_id__in=orgs, status=ErasureRequest.Status.ASKED)
        .select_related("person", "organisation")
        .order_by("asked_at")
    )
    return render(request, "coaching/erasure/queue.html", {"waiting": waiting})


@login_required
@require_http_methods(["GET", "POST"])
def erasure_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    erasure = get_object_or_404(
        ErasureRequest.objects.select_related("person", "organisation"), pk=request_id
    )
    policy.require(
        request.user,
        policy.Action.ORGANISATION_MANAGE,
        erasure.organisation,
        detail=f"erasure {erasure.pk}",
    )
    if erasure.status != ErasureRequest.Status.ASKED:
        messages.info(request, "This request has already been answered.")
        return redirect("me:erasure_queue")
    form = ErasureDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["decision"] == "approve":
            erasure_services.erasure_approve(actor=request.user, request=erasure)
            messages.success(request, "The record has been anonymised.")
        else:
            erasure_services.erasure_decline(
                actor=request.user, request=erasure, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "Your reason has been sent to the person.")
        return redirect("me:erasure_queue")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "coaching/erasure/decide.html", {"erasure": erasure, "form": form}, status=status
    )


urlpatterns: list[URLPattern] = [
    path("who-has-looked/", who_has_looked_page, name="who_has_looked"),
    path("choices/", choices, name="choices"),
    path("my-data/", my_data, name="my_data"),
    path("my-data/erase/", erase_ask, name="erase_ask"),
    path("sign-out-everywhere/", sign_out_everywhere, name="sign_out_everywhere"),
    path("erasure-requests/", erasure_queue, name="erasure_queue"),
    path("erasure-requests/<int:request_id>/decide/", erasure_decide, name="erasure_decide"),
]
