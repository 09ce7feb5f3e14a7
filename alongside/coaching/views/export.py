"""A person's whole record, as a JSON download and as a readable, printable page."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

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
    response = HttpResponse(indented_json(data), content_type="application/json")
    return _attachment(response, person, "json")


def indented_json(value: Any, indent: str = "") -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, byte for byte. With an indent the
    standard library writes JSON with its pure-Python encoder, a chain of generators resumed
    for every value at every depth (about 15,000 calls for one record, two thirds of the
    download's cost); here each string is written by the C encoder and each list or dict is
    one call. Anything but a plain str, int, bool, None, list or dict (a float, a tuple) is
    left to `json.dumps`, indented to where it sits: JSON text holds no raw line break, so
    every line break it writes starts a line of the structure."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    inner = indent + "  "
    if kind is dict:
        if not value:
            return "{}"
        items = [
            f"{inner}{_key(key)}: "
            + (encode_basestring(item) if type(item) is str else indented_json(item, inner))
            for key, item in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if kind is list:
        if not value:
            return "[]"
        items = [
            inner + (encode_basestring(item) if type(item) is str else indented_json(item, inner))
            for item in value
        ]
        return "[\n" + ",\n".join(items) + f"\n{indent}]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return str(value)
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)


def _key(key: Any) -> str:
    """A dict's key as `json.dumps` writes it; a key that is not a string is written as the
    standard library writes it (`1` as `"1"`, `True` as `"true"`)."""
    if type(key) is str:
        return encode_basestring(key)
    return json.dumps({key: 0})[1:-4]


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
