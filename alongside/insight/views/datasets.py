"""Area insight pages: an area's data sets (issue 14, item 1). The list, the upload, matching
a file's columns (which starts the import), one data set's page with the import's progress
and the rows that need fixing, and deleting one.

The list and the upload need an analyst or commissioner role in an area (INSIGHT_WORK);
everything about one data set INSIGHT_ITEM, so another area's data set is a 403, audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from alongside.accounts import policy
from alongside.accounts.models import Area

from ..forms_datasets import MappingForm, UploadForm
from ..models import DataSet
from ..selectors import datasets as selectors
from ..services import datasets as services
from ..uploads import UploadProblemError
from .home import insight_areas

Action = policy.Action


def dataset_for(request: HttpRequest, dataset_id: int, detail: str) -> DataSet:
    dataset = get_object_or_404(DataSet.objects.select_related("area", "created_by"), pk=dataset_id)
    policy.authorize(request, Action.INSIGHT_ITEM, dataset, detail=detail)
    return dataset


@login_required
@require_http_methods(["GET"])
def datasets(request: HttpRequest) -> HttpResponse:
    areas = insight_areas(request, "data sets")
    return render(
        request,
        "insight/datasets/list.html",
        {"rows": selectors.datasets_for(request.user), "several_areas": len(areas) > 1},
    )


@login_required
@require_http_methods(["GET", "POST"])
def dataset_new(request: HttpRequest) -> HttpResponse:
    areas = insight_areas(request, "data set upload")
    queryset = Area.objects.filter(pk__in=[a.pk for a in areas]).order_by("name")
    form = UploadForm(request.POST or None, request.FILES or None, areas=queryset)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.dataset_upload(
                actor=request.user,  # type: ignore[arg-type]
                area=form.cleaned_data["area"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except (UploadProblemError, ValueError) as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "The file is here. Now say what its columns are.")
            return redirect("insight:dataset_columns", dataset_id=dataset.pk)
    return render(request, "insight/datasets/new.html", {"form": form}, status=_status(form))


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


@login_required
@require_http_methods(["GET"])
def dataset(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = dataset_for(request, dataset_id, "data set")
    page = selectors.dataset_page(dataset)
    context = {"page": page, "dataset": dataset}
    if getattr(request, "htmx", False) and request.GET.get("progress"):
        if page.status != DataSet.Status.CHECKING:
            # Done, refused or stopped: the whole page changes, so htmx loads it again.
            return HttpResponse(headers={"HX-Refresh": "true"})
        return render(request, "insight/datasets/_progress.html", context)
    return render(request, "insight/datasets/dataset.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dataset_columns(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = dataset_for(request, dataset_id, "data set columns")
    # A post goes on to the service, which says whether it came from an older page.
    if request.method == "GET" and not selectors.may_map(dataset):
        messages.info(request, "This data set's columns can't be changed now.")
        return redirect("insight:dataset", dataset_id=dataset.pk)
    offered, from_saved = selectors.mapping_to_offer(dataset)
    headers = list(dataset.headers)
    form = MappingForm(
        request.POST or None,
        kind=dataset.kind,
        headers=headers,
        mapping=offered,
        initial={"version": dataset.version},
    )
    context: dict[str, Any] = {"form": form, "dataset": dataset, "from_saved": from_saved}
    if request.method == "POST" and form.is_valid():
        try:
            services.dataset_map(
                actor=request.user,  # type: ignore[arg-type]
                dataset=dataset,
                mapping=form.mapping,
                version=form.cleaned_data["version"],
            )
        except services.StaleEditError as conflict:
            theirs = conflict.current
            posted = request.POST.copy()
            posted["version"] = str(theirs.version)
            form = MappingForm(posted, kind=dataset.kind, headers=headers, mapping=offered)
            form.is_valid()
            dataset.mapping = theirs.mapping
            context.update(
                form=form,
                theirs=theirs,
                theirs_lines=selectors.mapping_lines(theirs),
                theirs_status=theirs.get_status_display(),
            )
            return render(request, "insight/datasets/columns.html", context, status=409)
        except ValueError as problem:
            form.add_error(None, str(problem))
        except PermissionDenied:
            raise
        else:
            messages.success(request, "Checking every row now. This page shows how far it has got.")
            return redirect("insight:dataset", dataset_id=dataset.pk)
    return render(request, "insight/datasets/columns.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def dataset_delete(request: HttpRequest, dataset_id: int) -> HttpResponse:
    dataset = dataset_for(request, dataset_id, "data set delete")
    if request.method == "POST":
        title = dataset.title
        services.dataset_delete(actor=request.user, dataset=dataset)  # type: ignore[arg-type]
        messages.success(request, f"“{title}” is deleted, with its rows and analyses.")
        return redirect("insight:datasets")
    return render(
        request,
        "insight/datasets/delete.html",
        {"dataset": dataset, "analyses": dataset.analyses.count()},
    )


urlpatterns: list[URLPattern] = [
    path("data/", datasets, name="datasets"),
    path("data/new/", dataset_new, name="dataset_new"),
    path("data/<int:dataset_id>/", dataset, name="dataset"),
    path("data/<int:dataset_id>/columns/", dataset_columns, name="dataset_columns"),
    path("data/<int:dataset_id>/delete/", dataset_delete, name="dataset_delete"),
]
