"""A person's whole record, as a JSON download and as a readable, printable page."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.text import slugify

from alongside.accounts import policy
from alongside.core import documents, words

from ..models import Person
from ..selectors.export import person_export, person_record, record_document
from . import person_or_404


def _person(request: HttpRequest, person_id: int) -> Person:
    person = person_or_404(person_id)
    policy.authorize(request, policy.Action.PERSON_EXPORT, person, detail="whole record")
    return person


@login_required
def export_json(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    data = person_export(request.user, person)
    data["exported_at"] = timezone.now().isoformat()
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    return _attachment(response, person, "json")


@login_required
def export_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    """The same record as the JSON, as a document to read: a title, a contents list and a
    section for each part of the record, every label and date in words. Where the PDF library
    is installed."""
    if not documents.pdf_available():
        raise Http404("PDF is not available here: print the record page instead.")
    person = _person(request, person_id)
    record = person_record(request.user, person)
    about = "you" if _is_self(request, person) else record.name
    document = record_document(
        record,
        title=f"{record.name}'s record",
        intro=f"Everything written about {about} at {record.organisation}, as it was on "
        f"{words.when_words(timezone.now())}.",
    )
    response = HttpResponse(documents.to_pdf(document), content_type="application/pdf")
    return _attachment(response, person, "pdf")


def _is_self(request: HttpRequest, person: Person) -> bool:
    """The person reading their own record, who is spoken to as "you"."""
    return person.user_id is not None and person.user_id == request.user.pk


def _attachment(response: HttpResponse, person: Person, extension: str) -> HttpResponse:
    name = slugify(person.chosen_name) or "record"
    response["Content-Disposition"] = f'attachment; filename="{name}-record.{extension}"'
    return response


@login_required
def export_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    return render(
        request,
        "coaching/export/record.html",
        {
            "person": person,
            "record": person_record(request.user, person),
            "is_self": _is_self(request, person),
            "as_of": words.when_words(timezone.now()),
            "pdf_available": documents.pdf_available(),
        },
    )


urlpatterns: list[URLPattern] = [
    path("<int:person_id>/record.json", export_json, name="export_json"),
    path("<int:person_id>/record/", export_page, name="export_page"),
    path("<int:person_id>/record.pdf", export_pdf, name="export_pdf"),
]
