"""The network's resources library (issue 15, item 4): documents, links and short write-ups
that members add and share. Only members of the resource's network (NETWORK_MEMBER) see or
download it; a document is always served as a download under a cleaned name, never shown in
the browser, so a file can't run as a page of this site."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts import policy
from alongside.core.words import day_words

from ..forms_learning import ResourceFilterForm, ResourceForm
from ..models import Resource
from ..selectors import learning as selectors
from ..services import resources as services
from .events import member_networks

Action = policy.Action


def _resource(request: HttpRequest, pk: int, detail: str) -> Resource:
    resource = selectors.resource_of(pk)
    if resource is None:
        raise Http404("No resource here.")
    policy.authorize(request, Action.NETWORK_MEMBER, resource.network, detail=detail)
    return resource


@login_required
@require_GET
def resources(request: HttpRequest) -> HttpResponse:
    networks = member_networks(request, "network resources")
    form = ResourceFilterForm(request.GET or None)
    kind = words = ""
    if form.is_bound and form.is_valid():
        kind, words = form.cleaned_data["kind"], form.cleaned_data["words"]
    found = selectors.resources({n.pk for n in networks}, kind=kind, words=words)
    context = {"form": form, "resources": found, "filtered": bool(kind or words)}
    return render(request, "network/resources/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def resource_new(request: HttpRequest) -> HttpResponse:
    networks = member_networks(request, "network resource new")
    status = 200
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, networks=networks)
        if form.is_valid():
            data = form.cleaned_data
            network = next(n for n in networks if n.pk == data["network"])
            try:
                resource = services.resource_add(
                    actor=request.user,
                    network=network,
                    kind=data["kind"],
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    url=data["url"],
                    upload=data.get("upload"),
                )
            except services.ResourceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Added to the library. Thank you for sharing it.")
                return redirect("network:resource", pk=resource.pk)
        status = 400
    else:
        kind = request.GET.get("kind", "")
        initial = {"kind": kind} if kind in Resource.Kind.values else {}
        form = ResourceForm(networks=networks, initial=initial)
    return render(request, "network/resources/form.html", {"form": form}, status=status)


@login_required
@require_GET
def resource(request: HttpRequest, pk: int) -> HttpResponse:
    one = _resource(request, pk, f"resource {pk}")
    context = {
        "resource": one,
        "added": day_words(one.created_at),
        "paragraphs": selectors.paragraphs(one.body),
        "may_remove": services.may_remove(request.user, one),
        "size": f"{max(one.size // 1024, 1):,} KB" if one.size else "",
    }
    return render(request, "network/resources/resource.html", context)


@login_required
@require_GET
def resource_download(request: HttpRequest, pk: int) -> FileResponse:
    one = _resource(request, pk, f"resource {pk} download")
    if one.kind != Resource.Kind.DOCUMENT or not one.file:
        raise Http404("No document here.")
    response = FileResponse(
        one.file.open("rb"),
        as_attachment=True,
        filename=one.file_name or f"resource-{one.pk}",
        content_type=one.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def resource_remove(request: HttpRequest, pk: int) -> HttpResponse:
    one = _resource(request, pk, f"resource {pk} remove")
    if not services.may_remove(request.user, one):
        policy.record_denied(request, f"resource {pk} remove: not theirs")
    if request.method == "POST":
        try:
            services.resource_remove(actor=request.user, resource=one)
        except services.ResourceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Taken out of the library.")
        return redirect("network:resources")
    return render(request, "network/resources/remove.html", {"resource": one})


urlpatterns: list[URLPattern] = [
    path("resources/", resources, name="resources"),
    path("resources/new/", resource_new, name="resource_new"),
    path("resources/<int:pk>/", resource, name="resource"),
    path("resources/<int:pk>/download/", resource_download, name="resource_download"),
    path("resources/<int:pk>/remove/", resource_remove, name="resource_remove"),
]
