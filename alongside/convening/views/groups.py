"""Convening pages: groups (issue 13). The groups a convener's organisation keeps, one
group's page (members, meetings, actions), and the forms that change them.

Every page asks the policy: the list and a new group need CONVENING_WORK in an organisation,
everything about one group CONVENING_ITEM. Another organisation's group is a 403, audited; a
member, meeting or action named under a group it isn't part of is a 404, audited as a refusal.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts import policy
from alongside.accounts.models import Role
from alongside.core.forms import record_id
from alongside.core.words import day_words

from ..forms_groups import ActionForm, GroupForm, MeetingForm, MemberForm, NamingForm
from ..models import ConveningGroup, GroupAction, GroupMember, Meeting
from ..selectors import groups as selectors
from ..services import groups as services

Action = policy.Action


def group_for(request: HttpRequest, group_id: int, detail: str) -> ConveningGroup:
    """The group a page is about, once the policy allows this user to work on it."""
    group = get_object_or_404(ConveningGroup.objects.select_related("organisation"), pk=group_id)
    policy.authorize(request, Action.CONVENING_ITEM, group, detail=detail)
    return group


def part_of(
    request: HttpRequest, group: ConveningGroup, queryset: QuerySet[Any], part_id: int, detail: str
) -> Any:
    """A member, meeting or action of this group. One of another group is a 404, audited as
    a refusal, never a read."""
    found: Any = queryset.filter(pk=part_id).first()
    if found is None:
        raise Http404
    if found.group_id != group.pk:
        policy.refuse_not_found(request, found, detail=detail)
    found.group = group
    return found


def _convener_or_denied(request: HttpRequest, detail: str) -> None:
    if Role.CONVENER not in policy.roles(request.user):
        policy.record_denied(request, detail)


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    _convener_or_denied(request, "convening groups")
    return render(
        request,
        "convening/groups/list.html",
        {"groups": selectors.groups_for(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_add(request: HttpRequest) -> HttpResponse:
    _convener_or_denied(request, "convening group add")
    organisations = selectors.convening_organisations(request.user)
    chosen = organisations.first()
    if request.method == "POST":
        picked = record_id(request.POST.get("organisation"))
        chosen = (organisations.filter(pk=picked).first() if picked else None) or chosen
    if chosen is None:
        policy.record_denied(request, "convening group add")
    form = GroupForm(
        request.POST or None,
        organisations=organisations,
        themes=selectors.theme_choices(chosen),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = services.group_create(
            actor=request.user,
            organisation=data["organisation"],
            name=data["name"],
            purpose=data["purpose"],
            themes=data["themes"],
        )
        messages.success(request, "The group has started. You're its first member.")
        return redirect("convening:group", group_id=group.pk)
    return render(
        request,
        "convening/groups/form.html",
        {"form": form, "group": None, "has_themes": selectors.theme_choices(chosen).exists()},
    )


@login_required
def group(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for(request, group_id, "group")
    return render(request, "convening/groups/group.html", {"page": selectors.group_page(group)})


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for(request, group_id, "group edit")
    themes = selectors.theme_choices(group.organisation)
    initial = {
        "name": group.name,
        "purpose": group.purpose,
        "themes": list(group.themes.values_list("pk", flat=True)),
        "version": group.version,
    }
    form = GroupForm(
        request.POST or None, initial=initial, organisations=None, themes=themes, editing=True
    )
    theirs = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_update(
                actor=request.user,
                group=group,
                version=data["version"] or 0,
                name=data["name"],
                purpose=data["purpose"],
                themes=data["themes"],
            )
        except services.StaleEditError as conflict:
            theirs = conflict.current
            posted = request.POST.copy()
            posted["version"] = str(theirs.version)  # type: ignore[attr-defined]
            form = GroupForm(posted, organisations=None, themes=themes, editing=True)
            form.is_valid()
            return render(
                request,
                "convening/groups/form.html",
                {"form": form, "group": group, "theirs": theirs, "has_themes": True},
                status=409,
            )
        messages.success(request, "Saved.")
        return redirect("convening:group", group_id=group.pk)
    return render(
        request,
        "convening/groups/form.html",
        {"form": form, "group": group, "has_themes": themes.exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for(request, group_id, "member add")
    form = MemberForm(request.POST or None, organisation=group.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_add(
                actor=request.user,
                group=group,
                kind=data["kind"],
                user=data["user"],
                guest_name=data["guest_name"],
                agreed_to_be_named=data["agreed_to_be_named"],
            )
        except ValueError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "They're in the group.")
            return redirect("convening:group", group_id=group.pk)
    return render(request, "convening/groups/member_form.html", {"form": form, "group": group})


@login_required
@require_POST
def member_leave(request: HttpRequest, group_id: int, member_id: int) -> HttpResponse:
    group = group_for(request, group_id, "member leave")
    member = part_of(request, group, GroupMember.objects.all(), member_id, "member leave")
    services.member_leave(actor=request.user, member=member)
    messages.success(request, "They've left the group. What they did in it is kept.")
    return redirect("convening:group", group_id=group.pk)


@login_required
@require_POST
def member_naming(request: HttpRequest, group_id: int, member_id: int) -> HttpResponse:
    group = group_for(request, group_id, "member naming")
    member = part_of(request, group, GroupMember.objects.all(), member_id, "member naming")
    form = NamingForm(request.POST)
    agreed = form.is_valid() and bool(form.cleaned_data["agreed_to_be_named"])
    services.member_naming(actor=request.user, member=member, agreed_to_be_named=agreed)
    messages.success(
        request,
        "Saved: they'll be named in the group."
        if agreed
        else "Saved: they're no longer named anywhere in the group.",
    )
    return redirect("convening:group", group_id=group.pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for(request, group_id, "meeting add")
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.meeting_add(
            actor=request.user,
            group=group,
            held_on=data["held_on"],
            notes=data["notes"],
            decisions=data["decisions"],
        )
        messages.success(request, "Meeting saved.")
        return redirect("convening:group", group_id=group.pk)
    return render(request, "convening/groups/meeting_form.html", {"form": form, "group": group})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, group_id: int, meeting_id: int) -> HttpResponse:
    group = group_for(request, group_id, "meeting edit")
    meeting = part_of(request, group, Meeting.objects.all(), meeting_id, "meeting edit")
    context: dict[str, Any] = {"group": group, "meeting": meeting}
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.meeting_update(
                    actor=request.user,
                    meeting=meeting,
                    version=data["version"] or 0,
                    held_on=data["held_on"],
                    notes=data["notes"],
                    decisions=data["decisions"],
                )
            except services.StaleEditError as conflict:
                # Lose nothing: show their version, keep what this writer typed, and let a
                # second save knowingly replace theirs.
                posted = request.POST.copy()
                posted["version"] = str(conflict.current.version)  # type: ignore[attr-defined]
                form = MeetingForm(posted)
                form.is_valid()
                context.update(
                    form=form,
                    theirs=conflict.current,
                    theirs_when=day_words(conflict.current.held_on),  # type: ignore[attr-defined]
                )
                return render(request, "convening/groups/meeting_form.html", context, status=409)
            messages.success(request, "Meeting saved.")
            return redirect("convening:group", group_id=group.pk)
    else:
        form = MeetingForm(
            initial={
                "held_on": meeting.held_on,
                "notes": meeting.notes,
                "decisions": meeting.decisions,
                "version": meeting.version,
            }
        )
    context["form"] = form
    return render(request, "convening/groups/meeting_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, group_id: int) -> HttpResponse:
    group = group_for(request, group_id, "action add")
    members = selectors.members_query().filter(group=group, left_on__isnull=True)
    meetings = Meeting.objects.filter(group=group).order_by("-held_on", "-pk")
    initial = {}
    meeting_id = record_id(request.GET.get("meeting"))
    if meeting_id:
        initial["meeting"] = meetings.filter(pk=meeting_id).first()
    form = ActionForm(request.POST or None, members=members, meetings=meetings, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.action_add(
            actor=request.user,
            group=group,
            what=data["what"],
            owner=data["owner"],
            due_on=data["due_on"],
            meeting=data["meeting"],
        )
        messages.success(request, "Action added.")
        return redirect("convening:group", group_id=group.pk)
    return render(request, "convening/groups/action_form.html", {"form": form, "group": group})


@login_required
@require_POST
def action_done(request: HttpRequest, group_id: int, action_id: int) -> HttpResponse:
    group = group_for(request, group_id, "action done")
    action = part_of(request, group, GroupAction.objects.all(), action_id, "action done")
    undo = request.POST.get("undo") == "1"
    services.action_done(actor=request.user, action=action, undo=undo)
    messages.success(request, "Marked not done." if undo else "Marked done. Well done.")
    return redirect("convening:group", group_id=group.pk)


urlpatterns: list[URLPattern] = [
    path("groups/", groups, name="groups"),
    path("groups/new/", group_add, name="group_add"),
    path("groups/<int:group_id>/", group, name="group"),
    path("groups/<int:group_id>/edit/", group_edit, name="group_edit"),
    path("groups/<int:group_id>/members/add/", member_add, name="member_add"),
    path("groups/<int:group_id>/members/<int:member_id>/leave/", member_leave, name="member_leave"),
    path(
        "groups/<int:group_id>/members/<int:member_id>/naming/",
        member_naming,
        name="member_naming",
    ),
    path("groups/<int:group_id>/meetings/add/", meeting_add, name="meeting_add"),
    path("groups/<int:group_id>/meetings/<int:meeting_id>/", meeting_edit, name="meeting_edit"),
    path("groups/<int:group_id>/actions/add/", action_add, name="action_add"),
    path("groups/<int:group_id>/actions/<int:action_id>/done/", action_done, name="action_done"),
]
