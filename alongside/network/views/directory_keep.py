"""Keeping the directory (issue 15, item 1), under /network/directory/, signed in.

A member organisation's leads see their entries and propose: a new organisation entry, a new
service, a change to a service or taking it out (DIRECTORY_KEEP on the entry; a new entry needs
NETWORK_MEMBER and leading the organisation). The network's staff see the queue, compare each
proposal with the live entry field by field, and approve or decline it (NETWORK_STAFF). Nothing
public changes until a proposal is approved; a staff member's own edit is approved at once.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts import policy
from alongside.accounts.models import Organisation

from .. import entries
from ..forms_directory import DecisionForm, OrganisationEntryForm, ServiceForms, VersionOnlyForm
from ..models import DirectoryChange, DirectoryOrganisation, Service
from ..practice_vocabulary import ensure_own_taxonomy
from ..selectors import directory as selectors
from ..services import directory as services

Action = policy.Action
CONFLICT = (
    "Someone changed this entry while you were editing it. What you typed is still here; what "
    "it says now is shown above. Send it again to propose yours instead."
)


def _organisation(request: HttpRequest, pk: uuid.UUID, detail: str) -> DirectoryOrganisation:
    one = selectors.directory_organisation(pk)
    if one is None:
        raise Http404("No directory entry here.")
    policy.authorize(request, Action.DIRECTORY_KEEP, one, detail=detail)
    return one


def _service(request: HttpRequest, pk: uuid.UUID, detail: str) -> Service:
    one = selectors.keep_service(pk)
    if one is None:
        raise Http404("No service here.")
    policy.authorize(request, Action.DIRECTORY_KEEP, one.organisation, detail=detail)
    return one


def _sent(request: HttpRequest, change: DirectoryChange) -> None:
    if change.status == DirectoryChange.Status.APPROVED:
        messages.success(request, "Saved. The directory shows it now.")
    else:
        messages.success(
            request,
            "Sent to the network. The directory will show it once they have approved it.",
        )


# --- the member's page ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def keep(request: HttpRequest) -> HttpResponse:
    members = selectors.member_organisations(request.user)
    staff_page = selectors.staff_entries(request.user, request.GET.get("page"))
    if not members and staff_page is None and not policy.network_ids_of_member(request.user):
        policy.record_denied(request, "directory keep")
    context = {
        "entries": selectors.kept_entries(request.user),
        "proposals": [selectors.change_summary(c) for c in selectors.own_proposals(request.user)],
        "can_propose": bool(members),
        "staff_page": staff_page,
        "waiting": (
            len(selectors.queue(policy.network_staff_ids(request.user)))
            if staff_page is not None
            else 0
        ),
    }
    return render(request, "network/keep/home.html", context)


def _keepers(request: HttpRequest) -> list[tuple[str, str]]:
    pairs = []
    for member in selectors.member_organisations(request.user):
        for network in member.networks.all():
            pairs.append((f"{member.pk}:{network.pk}", f"{member.name}, in {network.name}"))
    return pairs


@login_required
@require_http_methods(["GET", "POST"])
def organisation_new(request: HttpRequest) -> HttpResponse:
    keepers = _keepers(request)
    if not keepers:
        policy.record_denied(request, "directory organisation new")
    status = 200
    if request.method == "POST":
        form = OrganisationEntryForm(request.POST, keepers=keepers)
        if form.is_valid():
            member_pk, network_pk = form.cleaned_data["keeper"].split(":")
            member = Organisation.objects.get(pk=int(member_pk))
            network = Organisation.objects.get(pk=int(network_pk))
            try:
                change = services.organisation_propose(
                    actor=request.user, network=network, member=member, entry=form.entry()
                )
            except services.DirectoryError as error:
                form.add_error(None, str(error))
            else:
                _sent(request, change)
                return redirect("network:directory_keep")
        status = 400
    else:
        form = OrganisationEntryForm(keepers=keepers)
    context = {"form": form, "organisation": None, "theirs": None}
    return render(request, "network/keep/organisation_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def organisation(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    one = _organisation(request, pk, "directory organisation")
    return render(request, "network/keep/organisation.html", selectors.organisation_keep_page(one))


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    one = _organisation(request, pk, "directory organisation edit")
    initial = {**entries.organisation_entry(one), "version": one.version}
    status, theirs = 200, None
    if request.method == "POST":
        form = OrganisationEntryForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                change = services.organisation_change_propose(
                    actor=request.user,
                    organisation=one,
                    entry=form.entry(),
                    version=form.cleaned_data.get("version") or 0,
                )
            except services.DirectoryConflictError as conflict:
                posted = request.POST.copy()
                posted["version"] = str(conflict.current["based_on_version"])
                form = OrganisationEntryForm(posted, initial=initial)
                form.is_valid()
                form.add_error(None, CONFLICT)
                theirs = entries.entry_words(conflict.current)
                status = 409
            except services.DirectoryError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                _sent(request, change)
                return redirect("network:directory_organisation", pk=one.pk)
        else:
            status = 400
    else:
        form = OrganisationEntryForm(initial=initial)
    context = {"form": form, "organisation": one, "theirs": theirs}
    return render(request, "network/keep/organisation_form.html", context, status=status)


# --- services ------------------------------------------------------------------------------


def _service_forms(
    data: Any, *, organisation: DirectoryOrganisation, entry: dict[str, Any], version: int | None
) -> ServiceForms:
    ensure_own_taxonomy(network=organisation.network)
    groups, names = selectors.term_choices(organisation.network_id)
    return ServiceForms(
        data,
        entry=entry,
        term_groups=groups,
        term_names=names,
        area_choices=selectors.all_area_choices(),
        version=version,
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_new(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    one = _organisation(request, pk, "directory service new")
    blank = entries.blank_service_entry(one)
    status = 200
    forms = _service_forms(
        request.POST if request.method == "POST" else None,
        organisation=one,
        entry=blank,
        version=None,
    )
    if request.method == "POST":
        if forms.is_valid():
            try:
                change = services.service_propose(
                    actor=request.user, organisation=one, entry=forms.entry()
                )
            except services.DirectoryError as error:
                forms.form.add_error(None, str(error))
            else:
                _sent(request, change)
                return redirect("network:directory_organisation", pk=one.pk)
        status = 400
    context = {"forms": forms, "organisation": one, "service": None, "theirs": None}
    return render(request, "network/keep/service_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    one = _service(request, pk, "directory service edit")
    live = entries.service_entry(one)
    status, theirs = 200, None
    data = request.POST if request.method == "POST" else None
    forms = _service_forms(data, organisation=one.organisation, entry=live, version=one.version)
    if request.method == "POST":
        if forms.is_valid():
            try:
                change = services.service_change_propose(
                    actor=request.user,
                    service=one,
                    entry=forms.entry(),
                    version=forms.form.cleaned_data.get("version") or 0,
                )
            except services.DirectoryConflictError as conflict:
                posted = request.POST.copy()
                posted["version"] = str(conflict.current["based_on_version"])
                forms = _service_forms(
                    posted, organisation=one.organisation, entry=live, version=one.version
                )
                forms.is_valid()
                forms.form.add_error(None, CONFLICT)
                theirs = entries.entry_words(conflict.current)
                status = 409
            except services.DirectoryError as error:
                forms.form.add_error(None, str(error))
                status = 400
            else:
                _sent(request, change)
                return redirect("network:directory_organisation", pk=one.organisation_id)
        else:
            status = 400
    context = {
        "forms": forms,
        "organisation": one.organisation,
        "service": one,
        "theirs": theirs,
    }
    return render(request, "network/keep/service_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def service_withdraw(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    one = _service(request, pk, "directory service withdraw")
    if request.method == "POST":
        form = VersionOnlyForm(request.POST)
        if form.is_valid():
            try:
                change = services.service_withdraw_propose(
                    actor=request.user, service=one, version=form.cleaned_data["version"]
                )
            except services.DirectoryConflictError:
                messages.error(
                    request,
                    "Someone changed this service a moment ago. Check it is still the one to "
                    "take out, then press the button again.",
                )
                return redirect("network:directory_service_withdraw", pk=one.pk)
            except services.DirectoryError as error:
                messages.error(request, str(error))
                return redirect("network:directory_organisation", pk=one.organisation_id)
            if change.status == DirectoryChange.Status.APPROVED:
                messages.success(request, "Taken out of the directory.")
            else:
                messages.success(
                    request,
                    "Sent to the network. The service stays listed until they approve it.",
                )
            return redirect("network:directory_organisation", pk=one.organisation_id)
    return render(request, "network/keep/withdraw.html", {"service": one})


@login_required
@require_http_methods(["GET", "HEAD"])
def service_history(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    one = _service(request, pk, "directory service history")
    context = {"service": one, "changes": selectors.history(one)}
    return render(request, "network/keep/history.html", context)


# --- the network's queue -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def changes(request: HttpRequest) -> HttpResponse:
    networks = policy.network_staff_ids(request.user)
    if not networks:
        policy.record_denied(request, "directory changes")
    return render(request, "network/keep/changes.html", {"queue": selectors.queue(networks)})


def _change(request: HttpRequest, pk: int, detail: str) -> tuple[DirectoryChange, bool]:
    """The change and whether this user decides it (network staff) or only proposed it."""
    one = selectors.change_of(pk)
    if one is None:
        raise Http404("No change here.")
    if policy.can(request.user, Action.NETWORK_STAFF, one.network):
        return one, True
    action, subject = services.keeper_rule(one)
    policy.authorize(request, action, subject, detail=detail)
    return one, False


@login_required
@require_http_methods(["GET", "HEAD"])
def change(request: HttpRequest, pk: int) -> HttpResponse:
    one, decides = _change(request, pk, f"directory change {pk}")
    context = {
        **selectors.change_page(one),
        "decides": decides,
        "form": DecisionForm(initial={"version": one.version}),
    }
    return render(request, "network/keep/change.html", context)


@login_required
@require_POST
def change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    one = selectors.change_of(pk)
    if one is None:
        raise Http404("No change here.")
    policy.authorize(request, Action.NETWORK_STAFF, one.network, detail=f"directory change {pk}")
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                services.change_approve(
                    actor=request.user, change=one, version=data["version"], note=data["note"]
                )
                messages.success(request, "Approved. The directory shows it now.")
            else:
                services.change_decline(
                    actor=request.user, change=one, version=data["version"], note=data["note"]
                )
                messages.success(request, "Not approved. The organisation can see your note.")
        except services.DirectoryError as error:
            form.add_error(None, str(error))
        else:
            return redirect("network:directory_changes")
    context = {**selectors.change_page(one), "decides": True, "form": form}
    return render(request, "network/keep/change.html", context, status=400)


@login_required
@require_POST
def change_take_back(request: HttpRequest, pk: int) -> HttpResponse:
    one = selectors.change_of(pk)
    if one is None:
        raise Http404("No change here.")
    form = VersionOnlyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That did not work: please press the button again.")
        return redirect("network:directory_change", pk=one.pk)
    try:
        services.change_take_back(
            actor=request.user, change=one, version=form.cleaned_data["version"]
        )
    except services.DirectoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Taken back. Nothing in the directory has changed.")
    return redirect("network:directory_keep")


urlpatterns: list[URLPattern] = [
    path("directory/", keep, name="directory_keep"),
    path("directory/organisations/new/", organisation_new, name="directory_organisation_new"),
    path("directory/organisations/<uuid:pk>/", organisation, name="directory_organisation"),
    path(
        "directory/organisations/<uuid:pk>/edit/",
        organisation_edit,
        name="directory_organisation_edit",
    ),
    path(
        "directory/organisations/<uuid:pk>/services/new/",
        service_new,
        name="directory_service_new",
    ),
    path("directory/services/<uuid:pk>/edit/", service_edit, name="directory_service_edit"),
    path(
        "directory/services/<uuid:pk>/withdraw/",
        service_withdraw,
        name="directory_service_withdraw",
    ),
    path(
        "directory/services/<uuid:pk>/history/",
        service_history,
        name="directory_service_history",
    ),
    path("directory/changes/", changes, name="directory_changes"),
    path("directory/changes/<int:pk>/", change, name="directory_change"),
    path("directory/changes/<int:pk>/decide/", change_decide, name="directory_change_decide"),
    path(
        "directory/changes/<int:pk>/take-back/",
        change_take_back,
        name="directory_change_take_back",
    ),
]
