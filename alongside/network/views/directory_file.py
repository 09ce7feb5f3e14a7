"""The directory as a file (issue 15, item 2): the network's staff download their whole
published directory as Open Referral UK (HSDS) JSON, or bring such a file in: every record is
checked first, each one that needs fixing is named, and nothing is written unless all are good.
The same as `manage.py directory_export` and `directory_import`, for people without a shell."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts import policy
from alongside.accounts.models import Organisation
from alongside.core.audit import record
from alongside.core.models import AuditAction

from .. import hsds_import
from ..forms_directory_file import DirectoryFileForm
from ..selectors import openreferral as selectors
from ..services import feeds as services

Action = policy.Action
SHOWN_PROBLEMS = 200


def _network(request: HttpRequest, network_id: int, detail: str) -> Organisation:
    network = get_object_or_404(Organisation, pk=network_id, kind=Organisation.Kind.NETWORK)
    policy.require(request.user, Action.NETWORK_STAFF, network, detail=detail)
    return network


@login_required
@require_GET
def directory_file(request: HttpRequest) -> HttpResponse:
    networks = selectors.staff_networks(request.user)
    if not networks:
        policy.record_denied(request, f"{Action.NETWORK_STAFF.value} directory file")
    return render(
        request,
        "network/directory_file/page.html",
        {"networks": networks, "form": DirectoryFileForm()},
    )


@login_required
@require_GET
def directory_file_download(request: HttpRequest, network_id: int) -> HttpResponse:
    network = _network(request, network_id, "directory file download")
    record(request.user, AuditAction.EXPORT, network, detail="directory file")
    body = json.dumps(selectors.directory_document(network.pk), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-directory.json"'
    return response


@login_required
@require_http_methods(["POST"])
def directory_file_bring_in(request: HttpRequest, network_id: int) -> HttpResponse:
    network = _network(request, network_id, "directory file")
    form = DirectoryFileForm(request.POST, request.FILES)
    problems: list[hsds_import.Problem] = []
    if form.is_valid():
        try:
            result = services.directory_file_bring_in(
                actor=request.user, network=network, data=form.cleaned_data["file"]
            )
        except hsds_import.DocumentProblemError as problem:
            form.add_error("file", str(problem))
        else:
            if result.ok:
                messages.success(request, _said(result))
                return redirect("network:directory_file")
            problems = result.problems
    return render(
        request,
        "network/directory_file/page.html",
        {
            "networks": selectors.staff_networks(request.user),
            "form": form,
            "chosen": network,
            "problems": problems[:SHOWN_PROBLEMS],
            "problem_count": len(problems),
        },
        status=400,
    )


def _said(result: hsds_import.Result) -> str:
    records = f"{result.records} record{'s' if result.records != 1 else ''}"
    if not result.added and not result.updated:
        return f"Checked {records}: the directory already said all of it, so nothing changed."
    return (
        f"Brought in {records}: {result.added} service{'s' if result.added != 1 else ''} "
        f"added, {result.updated} updated."
    )


urlpatterns: list[URLPattern] = [
    path("directory/file/", directory_file, name="directory_file"),
    path(
        "directory/file/<int:network_id>/directory.json",
        directory_file_download,
        name="directory_file_download",
    ),
    path(
        "directory/file/<int:network_id>/",
        directory_file_bring_in,
        name="directory_file_bring_in",
    ),
]
