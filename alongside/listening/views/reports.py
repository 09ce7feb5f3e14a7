"""Listening pages: the report (the team's working copy, editing and publishing, the versions
it published, the public page) and the downloads: Word, PDF, and the codebook and coded
excerpts as REFI-QDA and CSV.

The public page and its Word and PDF files serve the latest published version, frozen when the
team published it (models.ReportVersion); the team's pages show the working copy beside it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from alongside.core.documents import Document, pdf_available, to_docx, to_pdf

from ..exports.csv_export import codebook_csv, csv_bytes, excerpts_csv
from ..exports.refi import codebook_qdc, project_qdpx
from ..forms_themes import ReportForm
from ..models import Exercise, ReportVersion
from ..selectors import reports as selectors
from ..services import reports as services
from .themes import exercise_for, gate, read

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page(doc: Document, **context: Any) -> dict[str, Any]:
    return {"title": doc.title, "sections": selectors.web_sections(doc), **context}


@login_required
def report(request: HttpRequest, exercise_id: int) -> HttpResponse:
    """The team's working copy: the report exactly as a reader would see it if they published
    now, what stops it being published yet, and whether it differs from what readers see."""
    exercise = read(request, exercise_id, "report")
    with selectors.reading_ahead(exercise):
        one = selectors.report_of(exercise)
        working = selectors.preview(exercise, one)
    versions = selectors.versions_of(one)
    latest = versions[0] if versions else None
    public_url = ""
    if one.is_published:
        public_url = request.build_absolute_uri(
            reverse("listening:report_public", args=[one.public_token])
        )
    context = _page(
        working.document,
        exercise=exercise,
        report=one,
        problems=working.problems,
        pdf_available=pdf_available(),
        public_url=public_url,
        versions=versions,
        latest=latest,
        changed=latest is not None and latest.digest != working.digest,
        next_number=(latest.number if latest else 0) + 1,
    )
    return render(request, "listening/reports/report.html", context)


@login_required
def report_version(request: HttpRequest, exercise_id: int, number: int) -> HttpResponse:
    """One published version, as it was published, for the team."""
    exercise = read(request, exercise_id, f"report version {number}")
    one = selectors.report_of(exercise)
    version = selectors.version_of(one, number)
    if version is None:
        raise Http404("The report has no version with that number.")
    context = _page(
        selectors.version_document(version),
        exercise=exercise,
        report=one,
        version=version,
        is_latest=selectors.is_latest(version),
        pdf_available=pdf_available(),
    )
    return render(request, "listening/reports/version.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = gate(request, exercise_id, "report edit")
    one = selectors.report_of(exercise)
    form = ReportForm(
        initial={"introduction": one.introduction, "how_we_listened": one.how_we_listened}
    )
    problems: list[str] = []
    action = request.POST.get("action", "save")
    if request.method == "POST" and action == "publish":
        try:
            version = services.report_publish(actor=request.user, exercise=exercise)
        except services.ReportNotReadyError as error:
            problems = error.problems
        else:
            messages.success(
                request,
                f"Published as version {version.number}. Anyone with the link can read it, "
                "as it is now, until you publish again.",
            )
            return redirect("listening:report", exercise_id=exercise.pk)
    elif request.method == "POST" and action == "unpublish":
        services.report_unpublish(actor=request.user, exercise=exercise)
        messages.success(request, "Unpublished. The link no longer works.")
        return redirect("listening:report_edit", exercise_id=exercise.pk)
    elif request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            services.report_update(actor=request.user, exercise=exercise, **form.cleaned_data)
            messages.success(request, "Report saved.")
            return redirect("listening:report", exercise_id=exercise.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "exercise": exercise,
        "report": one,
        "form": form,
        "problems": problems,
        "refused": bool(problems),
    }
    return render(request, "listening/reports/edit.html", context, status=status)


def _published(public_token: str) -> ReportVersion:
    version = selectors.published_version(public_token)
    if version is None:
        raise Http404("No published report at this address.")
    return version


def report_public(request: HttpRequest, public_token: str) -> HttpResponse:
    """Anyone with the link, signed in or not, once the team has published it: the latest
    version they published, as they published it."""
    version = _published(public_token)
    context = _page(
        selectors.version_document(version),
        version=version,
        public_token=public_token,
        pdf_available=pdf_available(),
    )
    return render(request, "listening/reports/public.html", context)


def report_public_docx(request: HttpRequest, public_token: str) -> HttpResponse:
    doc = selectors.version_document(_published(public_token))
    return _download_named(doc.title, to_docx(doc), DOCX, "report.docx")


def report_public_pdf(request: HttpRequest, public_token: str) -> HttpResponse:
    if not pdf_available():
        raise Http404("PDF is not available here; print the report page to PDF instead.")
    doc = selectors.version_document(_published(public_token))
    return _download_named(doc.title, to_pdf(doc), "application/pdf", "report.pdf")


def _download_named(title: str, body: bytes, content_type: str, suffix: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = slugify(title) or "listening"
    response["Content-Disposition"] = f'attachment; filename="{name}-{suffix}"'
    return response


def _download(exercise: Exercise, body: bytes, content_type: str, suffix: str) -> HttpResponse:
    return _download_named(exercise.title, body, content_type, suffix)


def _for_export(request: HttpRequest, exercise_id: int, what: str) -> Exercise:
    exercise = exercise_for(request, exercise_id, f"export {what}")
    services.export_record(actor=request.user, exercise=exercise, what=what)
    return exercise


@login_required
def report_docx(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = _for_export(request, exercise_id, "report docx")
    doc = selectors.document(exercise, selectors.report_of(exercise))
    return _download(exercise, to_docx(doc), DOCX, "report.docx")


@login_required
def report_pdf(request: HttpRequest, exercise_id: int) -> HttpResponse:
    if not pdf_available():
        raise Http404("PDF is not available here; print the report page to PDF instead.")
    exercise = _for_export(request, exercise_id, "report pdf")
    doc = selectors.document(exercise, selectors.report_of(exercise))
    return _download(exercise, to_pdf(doc), "application/pdf", "report.pdf")


def _version_for_export(
    request: HttpRequest, exercise_id: int, number: int, kind: str
) -> tuple[Exercise, Document]:
    what = f"report version {number} {kind}"
    exercise = exercise_for(request, exercise_id, f"export {what}")
    version = selectors.version_of(selectors.report_of(exercise), number)
    if version is None:
        raise Http404("The report has no version with that number.")
    services.export_record(actor=request.user, exercise=exercise, what=what)
    return exercise, selectors.version_document(version)


@login_required
def report_version_docx(request: HttpRequest, exercise_id: int, number: int) -> HttpResponse:
    exercise, doc = _version_for_export(request, exercise_id, number, "docx")
    return _download(exercise, to_docx(doc), DOCX, f"report-version-{number}.docx")


@login_required
def report_version_pdf(request: HttpRequest, exercise_id: int, number: int) -> HttpResponse:
    if not pdf_available():
        raise Http404("PDF is not available here; print the report page to PDF instead.")
    exercise, doc = _version_for_export(request, exercise_id, number, "pdf")
    return _download(exercise, to_pdf(doc), "application/pdf", f"report-version-{number}.pdf")


@login_required
def codebook_qdc_download(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = exercise_for(request, exercise_id, "export codebook qdc")
    coding = selectors.coding(exercise)
    if not coding.codebook.codes:
        messages.error(request, "There are no themes yet, so there is no codebook to download.")
        return redirect("listening:report", exercise_id=exercise.pk)
    services.export_record(actor=request.user, exercise=exercise, what="codebook qdc")
    return _download(exercise, codebook_qdc(coding.codebook), "application/xml", "codebook.qdc")


@login_required
def project_qdpx_download(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = _for_export(request, exercise_id, "project qdpx")
    coding = selectors.coding(exercise)
    body = project_qdpx(
        exercise.title,
        coding.codebook,
        coding.sources,
        coding.excerpts,
        user_name=exercise.organisation.name,
    )
    return _download(exercise, body, "application/zip", "project.qdpx")


@login_required
def codebook_csv_download(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = _for_export(request, exercise_id, "codebook csv")
    body = csv_bytes(codebook_csv(selectors.coding(exercise).codebook))
    return _download(exercise, body, "text/csv; charset=utf-8", "codebook.csv")


@login_required
def excerpts_csv_download(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = _for_export(request, exercise_id, "excerpts csv")
    coding = selectors.coding(exercise)
    body = csv_bytes(excerpts_csv(coding.excerpts, coding.codebook))
    return _download(exercise, body, "text/csv; charset=utf-8", "excerpts.csv")


urlpatterns: list[URLPattern] = [
    path("<int:exercise_id>/report/", report, name="report"),
    path("<int:exercise_id>/report/edit/", report_edit, name="report_edit"),
    path("<int:exercise_id>/report/versions/<int:number>/", report_version, name="report_version"),
    path(
        "<int:exercise_id>/report/versions/<int:number>/report.docx",
        report_version_docx,
        name="report_version_docx",
    ),
    path(
        "<int:exercise_id>/report/versions/<int:number>/report.pdf",
        report_version_pdf,
        name="report_version_pdf",
    ),
    path("<int:exercise_id>/report/report.docx", report_docx, name="report_docx"),
    path("<int:exercise_id>/report/report.pdf", report_pdf, name="report_pdf"),
    path("<int:exercise_id>/report/codebook.qdc", codebook_qdc_download, name="codebook_qdc"),
    path("<int:exercise_id>/report/project.qdpx", project_qdpx_download, name="project_qdpx"),
    path("<int:exercise_id>/report/codebook.csv", codebook_csv_download, name="codebook_csv"),
    path("<int:exercise_id>/report/excerpts.csv", excerpts_csv_download, name="excerpts_csv"),
    path("reports/<str:public_token>/", report_public, name="report_public"),
    path("reports/<str:public_token>/report.docx", report_public_docx, name="report_public_docx"),
    path("reports/<str:public_token>/report.pdf", report_public_pdf, name="report_public_pdf"),
]
