"""Accreditation, for a member organisation's leads (issue 15, item 3): start a portfolio,
write for each criterion with live figures and documents, send it, answer what the assessor
asks, and read the decision. The portfolio and its decision export as a document (web page,
Word and PDF), for the organisation's leads and the network's assessors (PORTFOLIO_VIEW).

Pages ask the policy first: PORTFOLIO_WORK for a lead's pages, PORTFOLIO_VIEW for the export
and the documents. Anything of another portfolio named in a URL is not found."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts import policy
from alongside.accounts.models import Organisation, Role
from alongside.core.documents import pdf_available, to_docx, to_pdf

from .. import evidence, portfolio_document
from ..forms_accreditation import DocumentForm, EntryForm, StartForm, VersionForm
from ..models import Portfolio, PortfolioEntry
from ..selectors import accreditation as selectors
from ..services import accreditation as services

Action = policy.Action
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def portfolio_for(request: HttpRequest, pk: int, action: Action, detail: str) -> Portfolio:
    one = selectors.portfolio_of(pk)
    if one is None:
        raise Http404("No portfolio here.")
    policy.authorize(request, action, one, detail=detail)
    return one


def _entry(request: HttpRequest, portfolio: Portfolio, entry_pk: int) -> PortfolioEntry:
    entry = selectors.entry_of(portfolio, entry_pk)
    if entry is None:
        raise Http404("No such criterion in this portfolio.")
    return entry


@login_required
@require_http_methods(["GET"])
def accreditation(request: HttpRequest) -> HttpResponse:
    # Every member of a network may read how accreditation works; only an organisation's
    # leads see its portfolios (PORTFOLIO_WORK), and the network's assessors are pointed to
    # their queue.
    if not policy.network_ids_of_member(request.user):
        policy.record_denied(request, "accreditation")
    portfolios, startable = selectors.for_lead(request.user)
    context = {
        "portfolios": portfolios,
        "startable": startable,
        "is_lead": bool(policy.organisations_where(request.user, Role.LEAD)),
        "is_assessor": bool(policy.network_ids_where(request.user, Role.ASSESSOR)),
    }
    return render(request, "network/accreditation/list.html", context)


@login_required
@require_POST
def portfolio_start(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That did not work: please press the button again.")
        return redirect("network:accreditation")
    organisation = Organisation.objects.filter(pk=form.cleaned_data["organisation"]).first()
    network = Organisation.objects.filter(
        pk=form.cleaned_data["network"], kind=Organisation.Kind.NETWORK
    ).first()
    if organisation is None or network is None:
        raise Http404("No such organisation.")
    try:
        portfolio = services.portfolio_start(
            actor=request.user, network=network, organisation=organisation
        )
    except services.PortfolioError as error:
        messages.error(request, str(error))
        return redirect("network:accreditation")
    messages.success(request, "Your portfolio is started. Take each criterion in your own time.")
    return redirect("network:portfolio", pk=portfolio.pk)


@login_required
@require_http_methods(["GET"])
def portfolio(request: HttpRequest, pk: int) -> HttpResponse:
    one = portfolio_for(request, pk, Action.PORTFOLIO_WORK, f"portfolio {pk}")
    themes = selectors.overview(one)
    missing = [row.criterion for theme in themes for row in theme.rows if not row.written]
    context = {
        "portfolio": one,
        "themes": themes,
        "missing": missing,
        "is_open": one.status in selectors.OPEN,
        "asked": selectors.asked_for(one),
        "reminders": selectors.reminders_of(one),
        "Status": Portfolio.Status,
    }
    return render(request, "network/accreditation/portfolio.html", context)


def _entry_page(
    request: HttpRequest,
    one: Portfolio,
    entry: PortfolioEntry,
    *,
    form: EntryForm,
    document_form: DocumentForm | None = None,
    theirs: PortfolioEntry | None = None,
    status: int = 200,
) -> HttpResponse:
    live, since, until = selectors.live_figures(one.organisation)
    suggested = set(entry.criterion.figure_keys or [])
    context = {
        "portfolio": one,
        "entry": entry,
        "criterion": entry.criterion,
        "form": form,
        "document_form": document_form or DocumentForm(),
        "documents": list(entry.documents.order_by("added_at", "pk")),
        "is_open": one.status in selectors.OPEN,
        "live": sorted(live, key=lambda r: (r.key not in suggested, r.title)),
        "suggested": suggested,
        "chosen": set(entry.figure_keys or []),
        "period": evidence.period_words(since, until),
        "frozen": selectors.frozen_figures(entry),
        "reviews": selectors.reviews_of(one, entry.criterion),
        "theirs": theirs,
    }
    return render(request, "network/accreditation/entry.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    one = portfolio_for(request, pk, Action.PORTFOLIO_WORK, f"portfolio {pk} entry {entry_pk}")
    found = _entry(request, one, entry_pk)
    initial = {
        "narrative": found.narrative,
        "figures": list(found.figure_keys or []),
        "version": found.version,
    }
    if request.method != "POST":
        return _entry_page(request, one, found, form=EntryForm(initial=initial))
    form = EntryForm(request.POST, initial=initial)
    if not form.is_valid():
        return _entry_page(request, one, found, form=form, status=400)
    try:
        services.entry_save(
            actor=request.user,
            entry=found,
            version=form.cleaned_data["version"],
            narrative=form.cleaned_data["narrative"],
            figure_keys=list(form.cleaned_data["figures"]),
        )
    except services.PortfolioConflictError as conflict:
        posted = request.POST.copy()
        posted["version"] = str(conflict.current.version)
        form = EntryForm(posted, initial=initial)
        form.is_valid()
        form.add_error(
            None,
            "Someone else saved this criterion while you were writing. What you typed is "
            "still here; what they saved is shown above it. Save again to replace theirs "
            "with yours.",
        )
        return _entry_page(request, one, found, form=form, theirs=conflict.current, status=409)
    except services.PortfolioError as error:
        form.add_error(None, str(error))
        return _entry_page(request, one, found, form=form, status=400)
    messages.success(request, f"Saved: {found.criterion.title}.")
    return redirect("network:portfolio", pk=one.pk)


@login_required
@require_POST
def document_add(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    one = portfolio_for(request, pk, Action.PORTFOLIO_WORK, f"portfolio {pk} document add")
    found = _entry(request, one, entry_pk)
    document_form = DocumentForm(request.POST, request.FILES)
    if document_form.is_valid():
        try:
            services.document_add(
                actor=request.user, entry=found, upload=document_form.cleaned_data["file"]
            )
        except services.PortfolioError as error:
            document_form.add_error("file", str(error))
        else:
            messages.success(request, "Document added.")
            return redirect("network:portfolio_entry", pk=one.pk, entry_pk=found.pk)
    initial = {
        "narrative": found.narrative,
        "figures": list(found.figure_keys or []),
        "version": found.version,
    }
    return _entry_page(
        request,
        one,
        found,
        form=EntryForm(initial=initial),
        document_form=document_form,
        status=400,
    )


@login_required
@require_POST
def document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    one = portfolio_for(request, pk, Action.PORTFOLIO_WORK, f"portfolio {pk} document remove")
    document = selectors.document_of(one, document_pk)
    if document is None:
        raise Http404("No such document in this portfolio.")
    entry_pk = document.entry_id
    try:
        services.document_remove(actor=request.user, document=document)
    except services.PortfolioError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Document taken away.")
    return redirect("network:portfolio_entry", pk=one.pk, entry_pk=entry_pk)


@login_required
@require_http_methods(["GET"])
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    one = portfolio_for(request, pk, Action.PORTFOLIO_VIEW, f"portfolio {pk} document")
    document = selectors.document_of(one, document_pk)
    if document is None or not document.file:
        raise Http404("No such document in this portfolio.")
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=document.content_type,
    )


@login_required
@require_POST
def portfolio_submit(request: HttpRequest, pk: int) -> HttpResponse:
    one = portfolio_for(request, pk, Action.PORTFOLIO_WORK, f"portfolio {pk} submit")
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That did not work: please press the button again.")
        return redirect("network:portfolio", pk=one.pk)
    try:
        services.portfolio_submit(
            actor=request.user, portfolio=one, version=form.cleaned_data["version"]
        )
    except services.PortfolioConflictError:
        messages.error(
            request,
            "Someone changed the portfolio while you were reading it: check it now, then send "
            "it again.",
        )
    except services.PortfolioError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "Sent to the network. Thank you: an assessor will read it and may ask for more.",
        )
    return redirect("network:portfolio", pk=one.pk)


# --- the export: the portfolio and its decision, as a web page, Word and PDF --------------------


def _download(title: str, body: bytes, content_type: str, suffix: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = slugify(title) or "portfolio"
    response["Content-Disposition"] = f'attachment; filename="{name}-{suffix}"'
    return response


@login_required
@require_http_methods(["GET"])
def portfolio_export(request: HttpRequest, pk: int) -> HttpResponse:
    one = portfolio_for(request, pk, Action.PORTFOLIO_VIEW, f"portfolio {pk} document")
    doc = portfolio_document.document_of(one)
    if policy.can(request.user, Action.PORTFOLIO_ASSESS, one):
        back, back_text = reverse("network:assess_portfolio", args=[one.pk]), "Back to assessing"
    else:
        back, back_text = reverse("network:portfolio", args=[one.pk]), "Back to the portfolio"
    context: dict[str, Any] = {
        "title": doc.title,
        "blocks": portfolio_document.web_blocks(doc),
        "back": back,
        "back_text": back_text,
        "pdf_available": pdf_available(),
        "docx_url": reverse("network:portfolio_export_docx", args=[one.pk]),
        "pdf_url": reverse("network:portfolio_export_pdf", args=[one.pk]),
    }
    return render(request, "network/accreditation/document.html", context)


@login_required
@require_http_methods(["GET"])
def portfolio_export_docx(request: HttpRequest, pk: int) -> HttpResponse:
    one = portfolio_for(request, pk, Action.PORTFOLIO_VIEW, f"portfolio {pk} docx")
    services.portfolio_exported(actor=request.user, portfolio=one, what="docx")
    doc = portfolio_document.document_of(one)
    return _download(doc.title, to_docx(doc), DOCX, "portfolio.docx")


@login_required
@require_http_methods(["GET"])
def portfolio_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    one = portfolio_for(request, pk, Action.PORTFOLIO_VIEW, f"portfolio {pk} pdf")
    if not pdf_available():
        raise Http404("PDF is not available here; print the portfolio page to PDF instead.")
    services.portfolio_exported(actor=request.user, portfolio=one, what="pdf")
    doc = portfolio_document.document_of(one)
    return _download(doc.title, to_pdf(doc), "application/pdf", "portfolio.pdf")


urlpatterns: list[URLPattern] = [
    path("accreditation/", accreditation, name="accreditation"),
    path("accreditation/start/", portfolio_start, name="portfolio_start"),
    path("accreditation/<int:pk>/", portfolio, name="portfolio"),
    path("accreditation/<int:pk>/submit/", portfolio_submit, name="portfolio_submit"),
    path("accreditation/<int:pk>/criteria/<int:entry_pk>/", entry, name="portfolio_entry"),
    path(
        "accreditation/<int:pk>/criteria/<int:entry_pk>/documents/",
        document_add,
        name="portfolio_document_add",
    ),
    path(
        "accreditation/<int:pk>/documents/<int:document_pk>/",
        document_download,
        name="portfolio_document",
    ),
    path(
        "accreditation/<int:pk>/documents/<int:document_pk>/remove/",
        document_remove,
        name="portfolio_document_remove",
    ),
    path("accreditation/<int:pk>/document/", portfolio_export, name="portfolio_export"),
    path(
        "accreditation/<int:pk>/document/portfolio.docx",
        portfolio_export_docx,
        name="portfolio_export_docx",
    ),
    path(
        "accreditation/<int:pk>/document/portfolio.pdf",
        portfolio_export_pdf,
        name="portfolio_export_pdf",
    ),
]
