"""The area insight home (issue 14): one screen of the area's dashboard for its analysts and
commissioners (data sets, findings, what good looks like, the pulse, wellbeing across
coaching), with the way on to each part; and the area briefing (item 8), the same dashboard
as a web page, Word and PDF from one document (`insight/briefing.py`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from alongside.accounts import policy
from alongside.accounts.models import Area
from alongside.core import audit
from alongside.core.documents import Document, pdf_available, to_docx, to_pdf
from alongside.core.models import AuditAction

from .. import briefing
from ..selectors import home as selectors
from ..selectors.areas import areas_for, keeping_organisation


def insight_areas(request: HttpRequest, detail: str) -> list[Area]:
    """The areas this user's analyst or commissioner roles cover; a refusal (audited) for
    anyone else."""
    areas = areas_for(request.user)
    if not areas:
        policy.record_denied(request, detail)
    return areas


def chosen_area(request: HttpRequest, detail: str) -> tuple[Area, list[Area]]:
    """The area a page is about: `?area=<id>` when the user works on several, else their one.
    Asking for an area the user does not work on is refused (audited), never quietly
    swapped for another."""
    areas = insight_areas(request, detail)
    asked = request.GET.get("area", "")
    area = areas[0]
    if asked:
        found = next((a for a in areas if str(a.pk) == asked), None)
        if found is None:
            # A digit string too long for the database's integers is no area either.
            readable = asked.isdigit() and len(asked) < 18
            other = Area.objects.filter(pk=int(asked)).first() if readable else None
            if other is None:
                policy.record_denied(request, f"{detail}: no such area")
            policy.authorize(request, policy.Action.INSIGHT_WORK, other, detail=detail)
            assert other is not None  # authorize refused anyone else
            found = other
        area = found
    policy.authorize(request, policy.Action.INSIGHT_WORK, area, detail=detail)
    return area, areas


def area_query(area: Area, areas: list[Area]) -> str:
    """The `?area=` to carry on links when the user works on more than one area."""
    return f"?area={area.pk}" if len(areas) > 1 else ""


@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    area, areas = chosen_area(request, "insight home")
    page = selectors.dashboard(area)
    return render(
        request,
        "insight/home.html",
        {
            "page": page,
            "area": area,
            "areas": areas,
            "area_query": area_query(area, areas),
            "pdf_available": pdf_available(),
        },
    )


urlpatterns: list[URLPattern] = [path("", home, name="home")]


# --- the area briefing (item 8) ----------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _audit(request: HttpRequest, area: Area, action: str, what: str) -> None:
    """A briefing holds aggregates only; reading or downloading one is still written down,
    filed under the organisation the user works for in the area."""
    keeper = keeping_organisation(request.user, area)
    audit.record(
        request.user, action, area, detail=f"area briefing {what}", organisation_id=keeper.pk
    )


def _download(doc: Document, body: bytes, content_type: str, suffix: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = slugify(doc.title) or "area-briefing"
    response["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    return response


@login_required
@require_http_methods(["GET"])
def briefing_page(request: HttpRequest) -> HttpResponse:
    area, areas = chosen_area(request, "insight briefing")
    _audit(request, area, AuditAction.VIEW, "page")
    doc, charts = briefing.area_document(area)
    query = area_query(area, areas)
    return render(
        request,
        "insight/briefing.html",
        {
            "title": doc.title,
            "blocks": briefing.web_blocks(doc, charts),
            "area": area,
            "areas": areas,
            "area_query": query,
            "pdf_available": pdf_available(),
        },
    )


@login_required
@require_http_methods(["GET"])
def briefing_docx(request: HttpRequest) -> HttpResponse:
    area, _ = chosen_area(request, "insight briefing docx")
    _audit(request, area, AuditAction.EXPORT, "docx")
    doc, _charts = briefing.area_document(area)
    return _download(doc, to_docx(doc), DOCX, "docx")


@login_required
@require_http_methods(["GET"])
def briefing_pdf(request: HttpRequest) -> HttpResponse:
    area, _ = chosen_area(request, "insight briefing pdf")
    if not pdf_available():
        raise Http404("PDF is not available here; print the briefing page to PDF instead.")
    _audit(request, area, AuditAction.EXPORT, "pdf")
    doc, _charts = briefing.area_document(area)
    return _download(doc, to_pdf(doc), "application/pdf", "pdf")


urlpatterns += [
    path("briefing/", briefing_page, name="briefing"),
    path("briefing.docx", briefing_docx, name="briefing_docx"),
    path("briefing.pdf", briefing_pdf, name="briefing_pdf"),
]
