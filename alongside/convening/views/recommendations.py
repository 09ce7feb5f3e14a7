"""Convening pages: recommendations, their answers, and briefings for a board (issue 13,
items 5 to 7).

Conveners write and send recommendations; whom one is addressed to (the leads of an
organisation, or the commissioners of a council's area) reads it once sent, with its evidence
(counts, redacted quotes, never a name), and answers here. A system theme or a recommendation
exports as a briefing: web page, Word and PDF, from one document."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts import policy
from alongside.accounts.models import Organisation, Role
from alongside.core import audit, written
from alongside.core.documents import Document, pdf_available, to_docx, to_pdf
from alongside.core.forms import reshown_after_conflict
from alongside.core.models import AuditAction
from alongside.core.written import columns, instances

from .. import briefing
from ..forms_recommendations import AnswerForm, RecommendationForm, SendForm
from ..models import BarrierPlacement, Recommendation, SystemTheme
from ..selectors import recommendations as selectors
from ..services import recommendations as services

Action = policy.Action
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def convening_organisations(request: HttpRequest, detail: str) -> list[Organisation]:
    """The organisations where the user convenes, or an audited refusal."""
    ids = policy.organisations_where(request.user, Role.CONVENER)
    if not ids:
        policy.record_denied(request, detail)
    return instances(Organisation, written.rows_for_ids(_organisations, sorted(ids)))


def _organisations(ids: list[int]) -> QuerySet[Any]:
    """Written once per connection (`core.written`) for each number of organisations."""
    return (
        Organisation.objects.filter(pk__in=ids)
        .order_by("name", "pk")
        .values_list(*columns(Organisation))
    )


def _recommendation(request: HttpRequest, pk: int, action: Action, detail: str) -> Recommendation:
    """The recommendation in the address, if the policy allows this user the action. Whom it
    is addressed to sees nothing of it until it is sent: a draft is not found for them."""
    one = selectors.recommendation_of(pk)
    if one is None:
        raise Http404("No recommendation here.")
    policy.require(request.user, action, one, detail=detail)
    if one.sent_at is None and not policy.can(request.user, Action.CONVENING_ITEM, one):
        policy.refuse_not_found(request, one, detail=f"{detail}: not sent yet")
    return one


# --- the list, and writing one ----------------------------------------------------------------


@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    """Conveners: their organisations' recommendations. Leads and commissioners: those sent
    to them. Anyone else: refused."""
    user = request.user
    convening = policy.organisations_where(user, Role.CONVENER)
    held = policy.roles(user)
    answers = Role.LEAD in held or Role.COMMISSIONER in held
    if not convening and not answers:
        policy.record_denied(request, "recommendations page")
    today = timezone.localdate()
    context = {
        "ours": selectors.rows(
            selectors.of_organisations(convening).order_by("-created_at", "-id"), today=today
        )
        if convening
        else None,
        "to_answer": selectors.rows(
            selectors.answerable_by(user).order_by("-sent_at", "-id"), today=today
        )
        if answers
        else None,
    }
    return render(request, "convening/recommendations/list.html", context)


# Once sent, what a recommendation asks and of whom stay as they were sent.
FIXED_ONCE_SENT = ("title", "what", "to", "addressed_to")


def _form(
    request: HttpRequest,
    organisations: list[Organisation],
    data: Any = None,
    initial: dict[str, Any] | None = None,
    *,
    sent: bool = False,
) -> RecommendationForm:
    ids = [o.pk for o in organisations]
    themes = selectors.themes_of(ids).order_by("title", "pk")
    theme_list = list(themes)
    names = {t.pk: t.title for t in theme_list}
    quotes = selectors.quote_choices(theme_list)
    form = RecommendationForm(
        data,
        initial=initial,
        organisations=Organisation.objects.filter(pk__in=ids).order_by("name", "pk"),
        addressable=selectors.addressable(organisations),
        themes=themes,
        experiments=selectors.experiments_of(ids),
        quote_choices=[
            (q.placement_id, f"\u201c{q.words}\u201d ({names.get(q.theme_id, '')})") for q in quotes
        ],
    )
    if sent:
        for name in FIXED_ONCE_SENT:
            form.fields[name].disabled = True
    return form


def _chosen_quotes(form: RecommendationForm) -> list[BarrierPlacement]:
    ids = [int(v) for v in form.cleaned_data.get("quotes") or () if str(v).isdigit()]
    themes = form.cleaned_data.get("themes") or []
    return list(BarrierPlacement.objects.filter(pk__in=ids, theme__in=list(themes)))


def _fields(form: RecommendationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "what": data["what"],
        "to": data["to"],
        "addressed_to": data["addressed_to"],
        "lands_in": data["lands_in"],
        "themes": list(data.get("themes") or ()),
        "experiments": list(data.get("experiments") or ()),
        "quotes": _chosen_quotes(form),
        "answer_by": data.get("answer_by"),
    }


def _quotes_all_found(form: RecommendationForm) -> bool:
    """Every quote chosen is from a linked theme."""
    asked = {str(v) for v in form.cleaned_data.get("quotes") or ()}
    found = {str(p.pk) for p in _chosen_quotes(form)}
    if asked - found:
        form.add_error(
            "quotes",
            "A quote you chose is from a system theme you did not link: link its theme too, "
            "or leave the quote out.",
        )
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_new(request: HttpRequest) -> HttpResponse:
    organisations = convening_organisations(request, "recommendation new")
    if request.method == "POST":
        form = _form(request, organisations, request.POST)
        if form.is_valid() and _quotes_all_found(form):
            try:
                one = services.recommendation_create(
                    actor=request.user,
                    organisation=form.cleaned_data["organisation"],
                    **_fields(form),
                )
            except services.RecommendationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    "Recommendation saved. Only conveners see it until you send it.",
                )
                return redirect("convening:recommendation", pk=one.pk)
        status = 400
    else:
        form = _form(request, organisations, initial={"organisation": organisations[0]})
        status = 200
    return render(
        request,
        "convening/recommendations/form.html",
        {"form": form, "recommendation": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    one = _recommendation(request, pk, Action.CONVENING_ITEM, f"recommendation {pk} edit")
    organisations = [one.organisation]
    sent = one.sent_at is not None
    initial = {
        "organisation": one.organisation,
        "title": one.title,
        "what": one.what,
        "to": one.to,
        "addressed_to": one.addressed_to,
        "lands_in": one.lands_in,
        "themes": list(one.themes.all()),
        "experiments": list(one.experiments.all()),
        "quotes": [str(pk) for pk in one.quotes.values_list("pk", flat=True)],
        "answer_by": one.answer_by,
        "version": one.version,
    }
    status = 200
    theirs = None
    if request.method == "POST":
        form = _form(request, organisations, request.POST, initial, sent=sent)
        if form.is_valid() and _quotes_all_found(form):
            try:
                services.recommendation_update(
                    actor=request.user,
                    recommendation=one,
                    version=form.cleaned_data.get("version") or 0,
                    **_fields(form),
                )
            except services.RecommendationConflictError as conflict:
                form = reshown_after_conflict(
                    lambda data: _form(request, organisations, data, initial, sent=sent),
                    request.POST,
                    version=conflict.current.version,
                    what="this recommendation",
                    where="below",
                )
                theirs = conflict.current
                status = 409
            except services.RecommendationError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "Recommendation saved.")
                return redirect("convening:recommendation", pk=one.pk)
        else:
            status = 400
    else:
        form = _form(request, organisations, initial=initial, sent=sent)
    context = {"form": form, "recommendation": one, "theirs": theirs}
    return render(request, "convening/recommendations/form.html", context, status=status)


@login_required
@require_POST
def recommendation_send(request: HttpRequest, pk: int) -> HttpResponse:
    one = _recommendation(request, pk, Action.CONVENING_ITEM, f"recommendation {pk} send")
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That did not work: please press Send again.")
        return redirect("convening:recommendation", pk=one.pk)
    try:
        services.recommendation_send(
            actor=request.user, recommendation=one, version=form.cleaned_data["version"]
        )
    except services.RecommendationConflictError:
        messages.error(
            request,
            "Someone changed it while you were reading it: check what it says now, then send it.",
        )
    except services.RecommendationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Sent. {selectors.addressee_words(one)} can now answer it.")
    return redirect("convening:recommendation", pk=one.pk)


# --- one recommendation, and answering it ------------------------------------------------------


def _page(
    request: HttpRequest,
    one: Recommendation,
    *,
    answer_form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    is_convener = policy.can(user, Action.CONVENING_ITEM, one)
    may_answer = one.sent_at is not None and policy.can(user, Action.RECOMMENDATION_ANSWER, one)
    if may_answer and answer_form is None:
        answer_form = AnswerForm(initial={"version": one.version})
    context = {
        "one": one,
        "detail": selectors.detail(one, exact_own=is_convener),
        "is_convener": is_convener,
        "may_answer": may_answer,
        "answer_form": answer_form if may_answer else None,
        "send_form": SendForm(initial={"version": one.version})
        if is_convener and one.sent_at is None
        else None,
        "pdf_available": pdf_available(),
    }
    return render(request, "convening/recommendations/detail.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    one = _recommendation(request, pk, Action.RECOMMENDATION_VIEW, f"recommendation {pk}")
    audit.record(request.user, AuditAction.VIEW, one, detail=f"recommendation {pk}")
    return _page(request, one)


@login_required
@require_POST
def recommendation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    one = _recommendation(request, pk, Action.RECOMMENDATION_ANSWER, f"recommendation {pk} answer")
    form = AnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_add(
                actor=request.user,
                recommendation=one,
                version=data["version"],
                status=data["status"],
                words=data["words"],
                follow_up_on=data["follow_up_on"],
                what_changed=data["what_changed"],
            )
        except services.RecommendationConflictError as conflict:
            posted = request.POST.copy()
            posted["version"] = str(conflict.current.version)
            form = AnswerForm(posted)
            form.is_valid()
            form.add_error(
                None,
                "It changed while you were writing (someone else answered, or its evidence "
                "changed): what it says now is above. Your answer is still here: send it if "
                "it still holds.",
            )
            one = selectors.recommendation_of(pk) or one
            return _page(request, one, answer_form=form, status=409)
        except services.RecommendationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Thank you: your answer is saved, and the convener sees it.")
            return redirect("convening:recommendation", pk=one.pk)
    return _page(request, one, answer_form=form, status=400)


# --- briefings -------------------------------------------------------------------------------


def _download(title: str, body: bytes, content_type: str, suffix: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = slugify(title) or "briefing"
    response["Content-Disposition"] = f'attachment; filename="{name}-{suffix}"'
    return response


def _briefing_page(
    request: HttpRequest,
    doc: Document,
    *,
    back: str,
    back_text: str,
    charts: list[briefing.Monthly],
    **extra: Any,
) -> HttpResponse:
    context = {
        "title": doc.title,
        "blocks": briefing.web_blocks(doc, charts),
        "back": back,
        "back_text": back_text,
        "pdf_available": pdf_available(),
        **extra,
    }
    return render(request, "convening/briefing.html", context)


def _recommendation_for_briefing(request: HttpRequest, pk: int, what: str) -> Recommendation:
    return _recommendation(
        request, pk, Action.RECOMMENDATION_VIEW, f"recommendation {pk} briefing {what}"
    )


@login_required
def recommendation_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    one = _recommendation_for_briefing(request, pk, "page")
    audit.record(request.user, AuditAction.VIEW, one, detail=f"recommendation {pk} briefing")
    doc, charts = briefing.recommendation_document(one)
    return _briefing_page(
        request,
        doc,
        charts=charts,
        back=reverse("convening:recommendation", args=[one.pk]),
        back_text="Back to the recommendation",
        docx_url=reverse("convening:recommendation_briefing_docx", args=[one.pk]),
        pdf_url=reverse("convening:recommendation_briefing_pdf", args=[one.pk]),
    )


@login_required
def recommendation_briefing_docx(request: HttpRequest, pk: int) -> HttpResponse:
    one = _recommendation_for_briefing(request, pk, "docx")
    services.briefing_exported(actor=request.user, item=one, what="docx")
    doc, _ = briefing.recommendation_document(one)
    return _download(doc.title, to_docx(doc), DOCX, "briefing.docx")


@login_required
def recommendation_briefing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    one = _recommendation_for_briefing(request, pk, "pdf")
    if not pdf_available():
        raise Http404("PDF is not available here; print the briefing page to PDF instead.")
    services.briefing_exported(actor=request.user, item=one, what="pdf")
    doc, _ = briefing.recommendation_document(one)
    return _download(doc.title, to_pdf(doc), "application/pdf", "briefing.pdf")


def _theme(request: HttpRequest, pk: int, what: str) -> SystemTheme:
    theme = SystemTheme.objects.select_related("organisation").filter(pk=pk).first()
    if theme is None:
        raise Http404("No system theme here.")
    policy.require(request.user, Action.CONVENING_ITEM, theme, detail=f"theme {pk} briefing {what}")
    return theme


@login_required
def theme_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _theme(request, pk, "page")
    audit.record(request.user, AuditAction.VIEW, theme, detail=f"system theme {pk} briefing")
    doc, charts = briefing.theme_document(theme)
    try:
        back = reverse("convening:theme", args=[theme.pk])
    except NoReverseMatch:  # the theme page is another part's; the home always exists
        back = reverse("convening:home")
    return _briefing_page(
        request,
        doc,
        back=back,
        back_text="Back to the system theme",
        charts=charts,
        docx_url=reverse("convening:theme_briefing_docx", args=[theme.pk]),
        pdf_url=reverse("convening:theme_briefing_pdf", args=[theme.pk]),
    )


@login_required
def theme_briefing_docx(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _theme(request, pk, "docx")
    services.briefing_exported(actor=request.user, item=theme, what="docx")
    doc, _ = briefing.theme_document(theme)
    return _download(doc.title, to_docx(doc), DOCX, "briefing.docx")


@login_required
def theme_briefing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    theme = _theme(request, pk, "pdf")
    if not pdf_available():
        raise Http404("PDF is not available here; print the briefing page to PDF instead.")
    services.briefing_exported(actor=request.user, item=theme, what="pdf")
    doc, _ = briefing.theme_document(theme)
    return _download(doc.title, to_pdf(doc), "application/pdf", "briefing.pdf")


urlpatterns: list[URLPattern] = [
    path("recommendations/", recommendation_list, name="recommendations"),
    path("recommendations/new/", recommendation_new, name="recommendation_new"),
    path("recommendations/<int:pk>/", recommendation, name="recommendation"),
    path("recommendations/<int:pk>/edit/", recommendation_edit, name="recommendation_edit"),
    path("recommendations/<int:pk>/send/", recommendation_send, name="recommendation_send"),
    path("recommendations/<int:pk>/answer/", recommendation_answer, name="recommendation_answer"),
    path(
        "recommendations/<int:pk>/briefing/",
        recommendation_briefing,
        name="recommendation_briefing",
    ),
    path(
        "recommendations/<int:pk>/briefing.docx",
        recommendation_briefing_docx,
        name="recommendation_briefing_docx",
    ),
    path(
        "recommendations/<int:pk>/briefing.pdf",
        recommendation_briefing_pdf,
        name="recommendation_briefing_pdf",
    ),
    path("themes/<int:pk>/briefing/", theme_briefing, name="theme_briefing"),
    path("themes/<int:pk>/briefing.docx", theme_briefing_docx, name="theme_briefing_docx"),
    path("themes/<int:pk>/briefing.pdf", theme_briefing_pdf, name="theme_briefing_pdf"),
]
