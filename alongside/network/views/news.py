"""The network's news (issue 15, item 4): its staff (NETWORK_STAFF) write it, its members
(NETWORK_MEMBER) read it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts import policy
from alongside.core.forms import reshown_after_conflict
from alongside.core.words import day_words

from ..forms_learning import NewsForm
from ..models import NewsItem
from ..selectors import learning as selectors
from ..services import news as services
from .events import member_networks

Action = policy.Action


def _item(request: HttpRequest, pk: int, action: Action, detail: str) -> NewsItem:
    item = selectors.news_of(pk)
    if item is None:
        raise Http404("No news here.")
    policy.authorize(request, action, item.network, detail=detail)
    return item


@login_required
@require_GET
def news(request: HttpRequest) -> HttpResponse:
    networks = member_networks(request, "network news")
    items = selectors.news({n.pk for n in networks})
    context = {
        "items": [(item, day_words(item.published_at)) for item in items],
        "is_staff": bool(selectors.staff_networks(request.user, networks)),
    }
    return render(request, "network/news/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def news_new(request: HttpRequest) -> HttpResponse:
    networks = selectors.staff_networks(request.user, member_networks(request, "network news new"))
    if not networks:
        policy.record_denied(request, "network news new: not staff")
    status = 200
    if request.method == "POST":
        form = NewsForm(request.POST, networks=networks)
        if form.is_valid():
            network = next(n for n in networks if n.pk == form.cleaned_data["network"])
            try:
                item = services.news_create(
                    actor=request.user,
                    network=network,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except services.NewsError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "News published.")
                return redirect("network:news_item", pk=item.pk)
        status = 400
    else:
        form = NewsForm(networks=networks)
    context = {"form": form, "item": None, "theirs": None}
    return render(request, "network/news/form.html", context, status=status)


@login_required
@require_GET
def news_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, Action.NETWORK_MEMBER, f"news {pk}")
    context = {
        "item": item,
        "published": day_words(item.published_at),
        "paragraphs": selectors.paragraphs(item.body),
        "is_staff": policy.can(request.user, Action.NETWORK_STAFF, item.network),
    }
    return render(request, "network/news/item.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def news_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, Action.NETWORK_STAFF, f"news {pk} edit")
    networks = [item.network]
    initial = {
        "network": item.network_id,
        "title": item.title,
        "body": item.body,
        "version": item.version,
    }
    status = 200
    theirs = None
    if request.method == "POST":
        form = NewsForm(request.POST, networks=networks, initial=initial)
        if form.is_valid():
            try:
                services.news_update(
                    actor=request.user,
                    item=item,
                    version=form.cleaned_data.get("version") or 0,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                )
            except services.NewsConflictError as conflict:
                form = reshown_after_conflict(
                    lambda data: NewsForm(data, networks=networks, initial=initial),
                    request.POST,
                    version=conflict.current.version,
                    what="this news",
                )
                theirs = conflict.current
                status = 409
            except services.NewsError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, "News saved.")
                return redirect("network:news_item", pk=item.pk)
        else:
            status = 400
    else:
        form = NewsForm(initial=initial, networks=networks)
    context = {
        "form": form,
        "item": item,
        "theirs": theirs,
        "their_paragraphs": selectors.paragraphs(theirs.body) if theirs else [],
    }
    return render(request, "network/news/form.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("news/", news, name="news"),
    path("news/new/", news_new, name="news_new"),
    path("news/<int:pk>/", news_item, name="news_item"),
    path("news/<int:pk>/edit/", news_edit, name="news_edit"),
]
