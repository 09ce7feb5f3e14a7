"""Feeds (issue 15, item 2): network staff bring in another directory's Open Referral UK API
on a schedule. The list, adding one, changing or pausing it (version-checked), running it now,
and each run's result with the records that need fixing named.

Every page needs NETWORK_STAFF on the feed's network; anyone else is refused and audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from alongside.accounts import policy
from alongside.accounts.models import Organisation
from alongside.core import words
from alongside.core.forms import reshown_after_conflict

from .. import jobs  # noqa: F401  (registers the feed job, should apps.py not have yet)
from ..forms_feeds import EVERY, FeedForm
from ..models import Feed, FeedRun
from ..selectors import openreferral as selectors
from ..services import feeds as services

Action = policy.Action
EVERY_WORDS = dict(EVERY)
STATUS_TAGS = {
    FeedRun.Status.RUNNING: "tag--blue",
    FeedRun.Status.DONE: "tag--green",
    FeedRun.Status.REFUSED: "tag--red",
    FeedRun.Status.FAILED: "tag--red",
}


def _networks(request: HttpRequest, detail: str) -> list[Organisation]:
    networks = selectors.staff_networks(request.user)
    if not networks:
        policy.record_denied(request, f"{Action.NETWORK_STAFF.value} {detail}")
    return networks


def _feed(request: HttpRequest, pk: int, detail: str) -> Feed:
    feed = get_object_or_404(Feed.objects.select_related("network", "created_by"), pk=pk)
    policy.authorize(request, Action.NETWORK_STAFF, feed.network, detail=detail)
    return feed


def _run_words(run: FeedRun | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {
        "run": run,
        "status": run.get_status_display(),
        "tag": STATUS_TAGS.get(FeedRun.Status(run.status), "tag--yellow"),
        "started": words.when_words(run.started_at),
        "finished": words.when_words(run.finished_at) if run.finished_at else "",
        "problem_count": len(run.problems or []),
    }


@login_required
@require_http_methods(["GET"])
def feeds(request: HttpRequest) -> HttpResponse:
    networks = _networks(request, "feeds")
    rows = [
        {
            "feed": row.feed,
            "records": row.records,
            "last": _run_words(row.last_run),
            "every": EVERY_WORDS.get(row.feed.every_hours) or f"Every {row.feed.every_hours} hours",
        }
        for row in selectors.feeds_of(networks)
    ]
    return render(
        request,
        "network/feeds/list.html",
        {"rows": rows, "several_networks": len(networks) > 1},
    )


@login_required
@require_http_methods(["GET", "POST"])
def feed_add(request: HttpRequest) -> HttpResponse:
    networks = _networks(request, "feed add")
    queryset = Organisation.objects.filter(pk__in=[n.pk for n in networks]).order_by("name")
    form = FeedForm(request.POST or None, networks=queryset)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        feed = services.feed_add(
            actor=request.user,  # type: ignore[arg-type]
            network=data["network"],
            name=data["name"],
            url=data["url"],
            every_hours=data["every_hours"],
        )
        messages.success(
            request, "The feed is added. Run it now to bring its services in, or wait for its time."
        )
        return redirect("network:feed", pk=feed.pk)
    status = 400 if form.is_bound else 200
    return render(request, "network/feeds/form.html", {"form": form, "feed": None}, status=status)


@login_required
@require_http_methods(["GET"])
def feed(request: HttpRequest, pk: int) -> HttpResponse:
    one = _feed(request, pk, f"feed {pk}")
    runs = [_run_words(run) for run in selectors.runs_of(one)]
    return render(
        request,
        "network/feeds/feed.html",
        {
            "feed": one,
            "runs": runs,
            "records": selectors.services_of_feed(one),
            "running": services.running_run(one) is not None,
            "every": EVERY_WORDS.get(one.every_hours) or f"Every {one.every_hours} hours",
            "added_when": words.when_words(one.created_at),
            "last_when": words.when_words(one.last_run_at) if one.last_run_at else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def feed_edit(request: HttpRequest, pk: int) -> HttpResponse:
    one = _feed(request, pk, f"feed {pk} edit")
    initial = {
        "name": one.name,
        "url": one.url,
        "every_hours": one.every_hours,
        "active": one.active,
        "version": one.version,
    }
    form = FeedForm(request.POST or None, initial=initial, editing=True)
    theirs = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.feed_update(
                actor=request.user,  # type: ignore[arg-type]
                feed=one,
                version=data["version"] or 0,
                name=data["name"],
                url=data["url"],
                every_hours=data["every_hours"],
                active=data["active"],
            )
        except services.FeedConflictError as conflict:
            # Lose nothing: show theirs, keep what was typed, and a second save replaces theirs.
            theirs = conflict.current
            form = reshown_after_conflict(
                lambda data: FeedForm(data, editing=True),
                request.POST,
                version=theirs.version,
                what="this feed",
                where="below",
            )
            status = 409
        else:
            messages.success(request, "Feed saved.")
            return redirect("network:feed", pk=one.pk)
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "feed": one,
        "theirs": theirs,
        "theirs_every": EVERY_WORDS.get(theirs.every_hours) if theirs else "",
    }
    return render(request, "network/feeds/form.html", context, status=status)


@login_required
@require_http_methods(["POST"])
def feed_run(request: HttpRequest, pk: int) -> HttpResponse:
    one = _feed(request, pk, f"feed {pk} run")
    try:
        services.feed_run_now(actor=request.user, feed=one)  # type: ignore[arg-type]
    except services.FeedError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(
            request,
            "The feed is being read. Every record is checked first: nothing changes unless "
            "all of them are good. Its result shows here when it is done.",
        )
    return redirect("network:feed", pk=one.pk)


@login_required
@require_http_methods(["GET"])
def feed_run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(FeedRun.objects.select_related("feed__network"), pk=pk)
    policy.authorize(request, Action.NETWORK_STAFF, run.feed.network, detail=f"feed run {pk}")
    return render(
        request,
        "network/feeds/run.html",
        {"feed": run.feed, "run": _run_words(run), "problems": run.problems or []},
    )


urlpatterns: list[URLPattern] = [
    path("feeds/", feeds, name="feeds"),
    path("feeds/add/", feed_add, name="feed_add"),
    path("feeds/<int:pk>/", feed, name="feed"),
    path("feeds/<int:pk>/edit/", feed_edit, name="feed_edit"),
    path("feeds/<int:pk>/run/", feed_run, name="feed_run"),
    path("feeds/runs/<int:pk>/", feed_run_detail, name="feed_run_detail"),
]
