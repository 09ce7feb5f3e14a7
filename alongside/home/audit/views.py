"""The audit trail for an organisation's leads: `/audit/` (filter, read, page through every
row) and `/audit.csv` (the same rows as a spreadsheet). Reading it is audited too."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.text import slugify

from alongside.accounts import policy
from alongside.accounts.models import Organisation, Role
from alongside.core.audit import record
from alongside.core.forms import record_id
from alongside.core.models import AuditAction
from alongside.core.paths import path_to
from alongside.listening.exports.csv_export import safe_cell

from . import phrasing, selectors
from .forms import TrailFilterForm

KIND_ACTIONS = {key: actions for key, _label, actions in phrasing.KINDS}
CSV_HEADER = (
    "When",
    "Date",
    "Time (UK)",
    "Who",
    "What happened",
    "Whose record",
    "Kind",
    "Entry number",
    "Request reference",
)


def _organisation(request: HttpRequest) -> tuple[Organisation, list[Organisation]]:
    """The organisation whose trail this is: a lead's own (the first by name, or the one
    `?organisation=` names). Anyone who leads none is refused, and a lead asking for an
    organisation they don't lead is refused by the policy; both refusals are audited."""
    led_ids = policy.organisations_where(request.user, Role.LEAD)
    if not led_ids:
        policy.record_denied(request, phrasing.AUDIT_PAGE_DETAIL)
    led = selectors.organisations(sorted(led_ids))
    wanted = record_id(request.GET.get("organisation"))
    organisation = led[0] if wanted is None else get_object_or_404(Organisation, pk=wanted)
    policy.require(
        request.user, policy.Action.AUDIT_VIEW, organisation, detail=phrasing.AUDIT_PAGE_DETAIL
    )
    return organisation, led


def _filters(
    request: HttpRequest, organisation: Organisation
) -> tuple[TrailFilterForm, selectors.Filters | None, dict[str, Any]]:
    """The form, the filters it asks for (None while the form has a mistake), and what the
    page says about the person filter."""
    form = TrailFilterForm(request.GET or None, staff=selectors.staff_of(organisation))
    about: dict[str, Any] = {"person": None, "people": [], "more_people": False}
    if form.is_bound and not form.is_valid():
        return form, None, about
    data = form.cleaned_data if form.is_bound else {}
    person_ids: tuple[int, ...] | None = None
    wanted = record_id(request.GET.get("person_id"))
    words = (data.get("person") or "").strip()
    if wanted is not None:
        person = selectors.person_held(organisation, wanted)
        about["person"] = person
        about["unknown_person"] = person is None
        person_ids = (person.pk,) if person is not None else ()
    elif words:
        people = selectors.people_named(organisation, words)
        about["more_people"] = len(people) > selectors.MOST_PEOPLE_NAMED
        about["people"] = people[: selectors.MOST_PEOPLE_NAMED]
        person_ids = tuple(p.pk for p in about["people"])
    filters = selectors.Filters(
        person_ids=person_ids,
        actor_id=data.get("staff"),
        actions=KIND_ACTIONS.get(data.get("kind") or "", ()),
        since=data.get("since"),
        until=data.get("until"),
    )
    return form, filters, about


def _audit_reading(
    request: HttpRequest, action: str, organisation: Organisation, detail: str, note: str
) -> None:
    """Reading the trail is itself in the trail, under the organisation it belongs to."""
    text = f"{detail}: {note}" if note else detail
    record(request.user, action, organisation, detail=text, organisation_id=organisation.pk)


def _query(params: QueryDict, **changes: str | None) -> str:
    """This page's address with some parameters changed (None takes one away)."""
    query = params.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


def _table(lines: list[selectors.Line], person_link: str) -> list[dict[str, Any]]:
    """Each line of the table as the page says it, in words and addresses worked out here:
    fifty lines looked up one attribute at a time by the template were much of the page's
    work. `person_link` is the address that shows only one record's entries, less its id
    ("" when the page shows one record already)."""
    table = []
    for line in lines:
        row = line.row
        table.append(
            {
                "entries": " ".join(map(str, line.entries)),
                "stopped": row.stopped,
                "when": row.when,
                "what": row.what,
                "span": line.span if line.times > 1 else "",
                "person": row.person,
                "person_href": f"{person_link}{row.person_id}"
                if person_link and row.person_id
                else "",
            }
        )
    return table


@login_required
def trail(request: HttpRequest) -> HttpResponse:
    organisation, led = _organisation(request)
    form, filters, about = _filters(request, organisation)
    page = None
    if filters is not None:
        page = selectors.page(
            organisation,
            filters,
            after=selectors.Place.parse(request.GET.get("after")),
            before=selectors.Place.parse(request.GET.get("before")),
        )
        _audit_reading(
            request, AuditAction.VIEW, organisation, phrasing.AUDIT_PAGE_DETAIL, filters.note()
        )
    params = request.GET
    everyone = _query(params, person_id=None, person=None, after=None, before=None)
    person_url = f"{everyone}&" if everyone else "?"
    person_link = "" if about["person"] else f"{path_to('audit:trail')}{person_url}person_id="
    context = {
        "organisation": organisation,
        "led": led,
        "form": form,
        "page": page,
        "lines": _table(selectors.in_lines(page.rows), person_link) if page else [],
        "about": about,
        "filtered": any(
            params.get(key) for key in ("person", "person_id", "staff", "kind", "since", "until")
        ),
        "older_url": page and page.older and _query(params, after=page.older, before=None),
        "newer_url": page and page.newer and _query(params, before=page.newer, after=None),
        "first_url": _query(params, after=None, before=None),
        "csv_url": _query(params, after=None, before=None),
        "everyone_url": everyone,
        "person_url": person_url,
        "paged": bool(params.get("after") or params.get("before")),
        "per_page": selectors.PER_PAGE,
    }
    return render(request, "home/audit.html", context)


@login_required
def trail_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    organisation, _led = _organisation(request)
    form, filters, _about = _filters(request, organisation)
    if filters is None:
        return HttpResponse(
            "The filters have a mistake: go back to the audit trail to put it right.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    _audit_reading(
        request, AuditAction.EXPORT, organisation, phrasing.AUDIT_CSV_DETAIL, filters.note()
    )
    response = StreamingHttpResponse(
        _csv_lines(selectors.every_row(organisation, filters)),
        content_type="text/csv; charset=utf-8",
    )
    day = timezone.localdate()
    name = f"audit-trail-{slugify(organisation.name) or 'organisation'}-{day:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class _Line:
    """Where csv.writer writes one row: it hands the row straight back."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterator[selectors.Row]) -> Iterator[str]:
    """The spreadsheet, a line at a time. Every cell people's words reach (names, and the
    sentences that hold them) is made safe from spreadsheet formulas. A byte order mark
    first, so Excel reads £ and accents."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for row in rows:
        local = row.at.astimezone(phrasing.LONDON)
        yield writer.writerow(
            [
                safe_cell(row.when),
                f"{local:%d/%m/%Y}",
                f"{local:%H:%M}",
                safe_cell(row.who),
                safe_cell(row.what),
                safe_cell(row.person),
                safe_cell(row.kind),
                row.id,
                safe_cell(row.request_id),
            ]
        )
