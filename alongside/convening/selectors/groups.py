"""Reads for convening groups: the list, and one group's page (members, meetings, actions,
themes, experiments) in a fixed number of queries however big the group is.

Nobody coached is ever named here unless they agreed to be named in the group: a person with
an Alongside sign-in shows only the first word of the name they chose, a guest the name they
gave; everyone else with lived experience is "a member with lived experience".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Area, Organisation, Role, User
from alongside.core.words import DAYS, day_words

from ..models import ConveningGroup, Experiment, GroupAction, GroupMember, Meeting, SystemTheme

UNNAMED = "a member with lived experience"
UNNAMED_PARTNER = "a partner"


def convening_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations where this user convenes, by name."""
    ids = policy.organisations_where(user, Role.CONVENER)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def member_name(member: GroupMember) -> str:
    """What the group page calls this member. Needs `user` and `user.person` loaded
    (`members_query` does that) to stay free of queries."""
    if member.kind == GroupMember.Kind.LIVED_EXPERIENCE:
        if not member.agreed_to_be_named:
            return UNNAMED
        if member.user_id is not None:
            person = getattr(member.user, "person", None)
            chosen = person.chosen_name if person is not None else ""
            first = chosen.split()[0] if chosen.split() else ""
            return first or UNNAMED
        return member.guest_name.strip() or UNNAMED
    if member.user_id is not None and member.user is not None:
        user = member.user
        if getattr(user, "person", None) is not None:
            # Never happens through the forms; a person's account is never named as staff.
            return UNNAMED
        return user.get_full_name() or user.username
    return member.guest_name.strip() or UNNAMED_PARTNER


def members_query() -> QuerySet[GroupMember]:
    return GroupMember.objects.select_related("user__person")


def due_words(due: date | None, today: date | None = None) -> str:
    """When an open action is due, as people say it: "due today", "due tomorrow", "due on
    Friday", "due last Tuesday", "due Monday 9 March, 3 weeks ago"."""
    if due is None:
        return "no date set"
    today = today or timezone.localdate()
    days = (due - today).days
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    if days == -1:
        return "due yesterday"
    if 1 < days < 7:
        return f"due on {DAYS[due.weekday()]}"
    if -7 < days < -1:
        return f"due last {DAYS[due.weekday()]}"
    when = day_words(due, leave_out_year=today.year)
    if days < 0:
        weeks = -days // 7
        ago = f"{weeks} week{'s' if weeks != 1 else ''} ago" if weeks < 9 else "a while ago"
        return f"was due {when}, {ago}"
    return f"due {when}"


@dataclass
class MemberRow:
    member: GroupMember
    name: str
    kind: str
    since: str
    left: str = ""


@dataclass
class ActionRow:
    action: GroupAction
    owner: str
    due: str
    overdue: bool
    done: str = ""


@dataclass
class MeetingRow:
    meeting: Meeting
    when: str
    decisions: list[str]


@dataclass
class GroupPage:
    group: ConveningGroup
    themes: list[SystemTheme]
    members: list[MemberRow]
    past_members: list[MemberRow]
    meetings: list[MeetingRow]
    open_actions: list[ActionRow]
    done_actions: list[ActionRow]
    experiments: list[Experiment]
    overdue: int = 0
    current_members: list[GroupMember] = field(default_factory=list)


def _member_row(member: GroupMember, year: int) -> MemberRow:
    return MemberRow(
        member=member,
        name=member_name(member),
        kind=member.get_kind_display(),
        since=day_words(member.joined_on, leave_out_year=year),
        left=day_words(member.left_on, leave_out_year=year) if member.left_on else "",
    )


def group_page(group: ConveningGroup, today: date | None = None) -> GroupPage:
    """Everything the group page shows, in six queries whatever the group's size."""
    today = today or timezone.localdate()
    year = today.year
    themes = list(group.themes.order_by("title", "pk"))
    members = list(members_query().filter(group=group).order_by("joined_on", "pk"))
    by_id = {m.pk: m for m in members}
    meetings = list(Meeting.objects.filter(group=group).order_by("-held_on", "-pk"))
    actions = list(GroupAction.objects.filter(group=group).order_by("due_on", "pk"))
    experiments = list(group.experiments.order_by("-starts_on", "-pk"))
    current = [m for m in members if m.left_on is None]
    open_rows: list[ActionRow] = []
    done_rows: list[ActionRow] = []
    for action in actions:
        owner_member = by_id.get(action.owner_id) if action.owner_id else None
        owner = member_name(owner_member) if owner_member is not None else "Nobody yet"
        if action.done_on is None:
            overdue = action.due_on is not None and action.due_on < today
            open_rows.append(ActionRow(action, owner, due_words(action.due_on, today), overdue))
        else:
            done_rows.append(
                ActionRow(action, owner, "", False, day_words(action.done_on, leave_out_year=year))
            )
    # Overdue first, then by when they are due (no date last).
    open_rows.sort(key=lambda r: (not r.overdue, r.action.due_on or date.max, r.action.pk))
    done_rows.sort(key=lambda r: (r.action.done_on or date.min, r.action.pk), reverse=True)
    return GroupPage(
        group=group,
        themes=themes,
        members=[_member_row(m, year) for m in current],
        past_members=[_member_row(m, year) for m in members if m.left_on is not None],
        meetings=[
            MeetingRow(
                meeting=m,
                when=day_words(m.held_on, leave_out_year=year),
                decisions=[line.strip() for line in m.decisions.splitlines() if line.strip()],
            )
            for m in meetings
        ],
        open_actions=open_rows,
        done_actions=done_rows,
        experiments=experiments,
        overdue=sum(1 for r in open_rows if r.overdue),
        current_members=current,
    )


def groups_for(user: Any, today: date | None = None) -> list[ConveningGroup]:
    """The groups of every organisation where the user convenes, each annotated with how
    many people are in it now (`in_it`), its open actions (`open_actions`) and how many of
    those are overdue (`overdue`); its themes prefetched. Two queries."""
    today = today or timezone.localdate()
    orgs = policy.organisations_where(user, Role.CONVENER)
    return list(
        ConveningGroup.objects.filter(organisation_id__in=orgs)
        .select_related("organisation")
        .annotate(
            in_it=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
            open_actions=Count("actions", filter=Q(actions__done_on__isnull=True), distinct=True),
            overdue=Count(
                "actions",
                filter=Q(actions__done_on__isnull=True, actions__due_on__lt=today),
                distinct=True,
            ),
        )
        .prefetch_related(Prefetch("themes", queryset=SystemTheme.objects.order_by("title")))
        .order_by("name", "pk")
    )


def theme_choices(organisation: Organisation) -> QuerySet[SystemTheme]:
    """The system themes a group or experiment of this organisation may work on: its own."""
    return SystemTheme.objects.filter(organisation=organisation).order_by("title", "pk")


def staff_choices(organisation: Organisation) -> QuerySet[User]:
    """Staff of the organisation (any role), never a person's own account."""
    return (
        User.objects.filter(memberships__organisation=organisation, is_active=True)
        .exclude(person__isnull=False)
        .distinct()
        .order_by("first_name", "username")
    )


def partner_user(username: str, organisation: Organisation) -> User | None:
    """A partner's Alongside sign-in: staff of another organisation (never a person)."""
    return (
        User.objects.filter(username__iexact=username.strip(), is_active=True, person__isnull=True)
        .exclude(memberships__organisation=organisation)
        .filter(memberships__isnull=False)
        .distinct()
        .first()
    )


def lived_experience_user(username: str, organisation: Organisation) -> User | None:
    """A person's own Alongside sign-in, for someone coached by this organisation or, when it
    is in an area, by an organisation in the same area."""
    found = User.objects.filter(
        username__iexact=username.strip(), is_active=True, person__isnull=False
    )
    if organisation.area_id is not None:
        found = found.filter(
            Q(person__organisation=organisation)
            | Q(person__organisation__area=Area(pk=organisation.area_id))
        )
    else:
        found = found.filter(person__organisation=organisation)
    return found.select_related("person").first()


def is_current_member(group: ConveningGroup, user: User) -> bool:
    return group.members.filter(user=user, left_on__isnull=True).exists()
