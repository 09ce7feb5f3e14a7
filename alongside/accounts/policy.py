"""The one place that decides who may do what to which object.

Every view that touches personal data calls `authorize(request, action, obj)`, which
asks `can(user, action, obj)`, writes the audit entry (the read or write, or the
refusal) and raises PermissionDenied when the answer is no. Add a rule here, never in
a view.

Who may see a person's record:
- the person themselves;
- a coach who works (or worked) alongside them in an organisation where they coach;
- a lead of the organisation that holds the record (approvals, data requests).
Conveners, listeners, commissioners and assessors never see a single person's record:
commissioners see disclosure-controlled aggregates for their area only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest

from alongside.accounts.models import Area, Membership, Organisation, Role
from alongside.core import written
from alongside.core.audit import record
from alongside.core.models import AuditAction
from alongside.core.request_id import request_memo


class Action(StrEnum):
    PERSON_VIEW = "person.view"
    PERSON_CHANGE = "person.change"
    PERSON_INVITE = "person.invite"
    PERSON_START = "person.start"  # obj: Organisation — start working with someone new
    PERSON_EXPORT = "person.export"  # obj: Person — the whole record as JSON or a document
    PERSON_SELF = "person.self"  # obj: Person — only the person themselves (their choices)
    PERSON_STAFF_CHANGE = "person.staff_change"  # obj: Person — staff who may change it, never
    # the person themselves (deciding a correction they asked for, recording a payment)
    SAFETY_PLAN_VIEW = "safety_plan.view"  # obj: SafetyPlan — as the person chose
    SPEND_DECIDE = "spend.decide"  # obj: SpendRequest — approve or decline
    ORGANISATION_MANAGE = "organisation.manage"
    ORGANISATION_AGGREGATES = "organisation.aggregates"
    AREA_AGGREGATES = "area.aggregates"
    LISTENING_WORK = "listening.work"  # obj: Organisation
    EXERCISE_CREATE = "exercise.create"  # obj: Organisation — start a listening exercise there
    EXERCISE_VIEW = "exercise.view"  # obj: Exercise — its overview (counts, no contributions)
    EXERCISE_WORK = "exercise.work"  # obj: Exercise — capture, import, review, read redacted
    EXERCISE_EDIT = "exercise.edit"  # obj: Exercise — its details, team and names to redact
    CONTRIBUTION_VIEW = "contribution.view"  # obj: Contribution — the redacted text
    CONTRIBUTION_ORIGINAL = "contribution.original"  # obj: Contribution — the listener's words
    CONVENING_WORK = "convening.work"  # obj: Organisation
    CONVENING_ITEM = "convening.item"  # obj: a system theme, group, experiment or recommendation
    RECOMMENDATION_VIEW = "recommendation.view"  # obj: Recommendation — its conveners and answerers
    RECOMMENDATION_ANSWER = "recommendation.answer"  # obj: Recommendation — whom it is addressed to
    NETWORK_ASSESS = "network.assess"  # obj: Organisation (the network)
    # The network (issue 15). obj: Organisation (the network) unless said.
    NETWORK_STAFF = "network.staff"  # its leads and assessors: approve, run events, news, feeds
    NETWORK_MEMBER = "network.member"  # staff of a member organisation, or network staff
    DIRECTORY_KEEP = "directory.keep"  # obj: DirectoryOrganisation — its member's leads, staff
    PORTFOLIO_WORK = "portfolio.work"  # obj: Portfolio — the organisation's leads, while open
    PORTFOLIO_VIEW = "portfolio.view"  # obj: Portfolio — its leads and the network's assessors
    PORTFOLIO_ASSESS = "portfolio.assess"  # obj: Portfolio — the network's assessors
    RESOURCE_REMOVE = "resource.remove"  # obj: Resource — whoever added it (still a member), staff
    INSIGHT_WORK = "insight.work"  # obj: Area — its analysts and commissioners, aggregates only
    INSIGHT_ITEM = "insight.item"  # obj: anything insight keeps for an area (its area_id)
    AUDIT_VIEW = "audit.view"  # obj: Organisation — read and download its audit trail


# Reads are audited here, as they are allowed. Writes are audited by the service that
# makes them, once the new or changed row exists.
AUDIT_FOR = {
    Action.PERSON_VIEW: AuditAction.VIEW,
    Action.PERSON_EXPORT: AuditAction.EXPORT,
    Action.CONTRIBUTION_VIEW: AuditAction.VIEW,
    Action.CONTRIBUTION_ORIGINAL: AuditAction.VIEW,
}


@dataclass(frozen=True)
class Held:
    organisation_id: int
    area_id: int | None
    kind: str
    role: str
    # Whether the organisation asks all its staff for a code from an app (two-factor).
    two_factor: bool = False
    # Whether the organisation is a member of a network (issue 15): the navigation shows the
    # network to its staff without asking the database again on every page.
    in_network: bool = False


def held_roles(user: Any) -> list[Held]:
    """The user's memberships, fetched once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_alongside_held", None)
    if cached is None:
        found = written.rows("held roles", _memberships, [user.pk])
        # (SQLite gives its booleans as 0 and 1.)
        cached = [Held(o, a, k, r, bool(two), bool(net)) for o, a, k, r, two, net in found]
        user._alongside_held = cached
    return cached


def _memberships(user_ids: list[int]) -> QuerySet[Membership, tuple[Any, ...]]:
    """The memberships' query, written by the ORM once (core.written): every signed-in page
    asks it, and building and compiling it took about 2,000 Python calls a request (issue 11)."""
    return (
        Membership.objects.filter(user_id=user_ids[0])
        .annotate(
            in_network=Exists(
                Organisation.networks.through.objects.filter(
                    from_organisation_id=OuterRef("organisation_id")
                )
            )
        )
        .values_list(
            "organisation_id",
            "organisation__area_id",
            "organisation__kind",
            "role",
            "organisation__requires_two_factor",
            "in_network",
        )
    )


def roles(user: Any) -> set[str]:
    return {held.role for held in held_roles(user)}


def organisations_where(user: Any, role: str) -> set[int]:
    return {held.organisation_id for held in held_roles(user) if held.role == role}


def is_person(user: Any) -> bool:
    # No query for a signed-in user: the backend (accounts.backends) loads the person with them.
    return getattr(user, "is_authenticated", False) and hasattr(user, "person")


def is_the_person(user: Any, person: Any) -> bool:
    """Is this user the person whose record it is?"""
    return person.user_id is not None and person.user_id == getattr(user, "pk", None)


def _coaching_query(relationship: Any, ids: list[int]) -> QuerySet[Any, tuple[Any, ...]]:
    """One of the coach's (`ids[0]`) relationships with the person (`ids[1]`) in one of the
    organisations (`ids[2:]`), if any: written by the ORM once (core.written), as "exists"."""
    coach, person, *organisations = ids
    return relationship.objects.filter(
        coach_id=coach, person_id=person, organisation_id__in=organisations
    ).values_list("pk")[:1]


def coaches(user: Any, person: Any) -> bool:
    """Does this user coach (or did they coach) this person, in an organisation where they
    coach now?"""
    coaching_orgs = organisations_where(user, Role.COACH)
    if not coaching_orgs:
        return False
    # A page asks this for each thing it may show (the record, the invite link, the safety
    # plan): once per request is enough.
    memo = request_memo()
    key = ("coaches", getattr(user, "pk", None), person.pk)
    if memo is not None and key in memo:
        return bool(memo[key])
    relationship = type(person).relationships.rel.related_model
    answer = bool(
        written.rows(
            ("policy coaches", relationship),
            lambda ids: _coaching_query(relationship, ids),
            [user.pk, person.pk, *sorted(coaching_orgs)],
        )
    )
    if memo is not None:
        memo[key] = answer
    return answer


# --- rules --------------------------------------------------------------------------


def _person_view(user: Any, person: Any) -> bool:
    if is_the_person(user, person):
        return True
    if person.organisation_id in organisations_where(user, Role.LEAD):
        return True
    return coaches(user, person)


def _person_change(user: Any, person: Any) -> bool:
    return _person_view(user, person)


def _person_invite(user: Any, person: Any) -> bool:
    # Only staff issue invites; a person does not invite themselves.
    return _person_staff_change(user, person)


def _person_staff_change(user: Any, person: Any) -> bool:
    return not is_the_person(user, person) and _person_change(user, person)


def _safety_plan_view(user: Any, plan: Any) -> bool:
    """The person always. Their coach when the person chose "my coach"; other staff of the
    organisation (leads, other coaches who may see the record) when they chose
    "organisation". Nobody else."""
    person = plan.person
    if is_the_person(user, person):
        return True
    if not _person_view(user, person):
        return False
    chosen = set(plan.visible_to or [])
    if "my_coach" in chosen and coaches(user, person):
        return True
    if "organisation" in chosen:
        staff_orgs = organisations_where(user, Role.COACH) | organisations_where(user, Role.LEAD)
        return person.organisation_id in staff_orgs
    return False


def _spend_decide(user: Any, spend: Any) -> bool:
    """Coaches approve up to their organisation's limit for people they work alongside;
    leads of the organisation approve any amount. Nobody approves their own request as a
    person."""
    person = spend.person
    if is_the_person(user, person):
        return False
    if person.organisation_id in organisations_where(user, Role.LEAD):
        return True
    limit = person.organisation.coach_approval_limit_pence
    return spend.amount_pence <= limit and _person_view(user, person)


def _person_start(user: Any, organisation: Organisation) -> bool:
    return organisation.pk in organisations_where(user, Role.COACH)


def _organisation_manage(user: Any, organisation: Organisation) -> bool:
    return organisation.pk in organisations_where(user, Role.LEAD)


def _organisation_aggregates(user: Any, organisation: Organisation) -> bool:
    if organisation.pk in organisations_where(user, Role.LEAD):
        return True
    return organisation.area_id is not None and organisation.area_id in _commissioned_areas(user)


def _area_aggregates(user: Any, area: Area) -> bool:
    return area.pk in _commissioned_areas(user)


def _commissioned_areas(user: Any) -> set[int]:
    return {
        held.area_id
        for held in held_roles(user)
        if held.role == Role.COMMISSIONER and held.area_id is not None
    }


def _role_in(role: str) -> Callable[[Any, Organisation], bool]:
    def rule(user: Any, organisation: Organisation) -> bool:
        return organisation.pk in organisations_where(user, role)

    return rule


def _assessor_of_network(user: Any, organisation: Organisation) -> bool:
    return organisation.pk in network_ids_where(user, Role.ASSESSOR)


# Listening (DESIGN.md principle 8). Only the exercise's team reads contributions, and only
# while they still listen or lead in the exercise's organisation: leaving the organisation
# ends access even if nobody tidied the team list. The words as heard stay with the
# listener who captured them; everyone else in the team reads the redacted text. A lead who
# is not in the team sees the exercise's overview (counts, no words) and may change its team.


def _listening_roles(user: Any, organisation_id: int) -> bool:
    return any(
        held.organisation_id == organisation_id and held.role in (Role.LISTENER, Role.LEAD)
        for held in held_roles(user)
    )


def _exercise_create(user: Any, organisation: Organisation) -> bool:
    return _listening_roles(user, organisation.pk)


def _in_team(user: Any, exercise: Any) -> bool:
    if not _listening_roles(user, exercise.organisation_id):
        return False
    # A page asks this for each thing it may show (view, work, edit): once per request.
    memo = request_memo()
    key = ("in_team", getattr(user, "pk", None), exercise.pk)
    if memo is not None and key in memo:
        return bool(memo[key])
    team: Any = type(exercise)._meta.get_field("team")
    answer = bool(
        written.rows(
            ("policy in team", team),
            lambda ids: _team_query(team, ids),
            [exercise.pk, user.pk],
        )
    )
    if memo is not None:
        memo[key] = answer
    return answer


def _team_query(team: Any, ids: list[int]) -> QuerySet[Any, tuple[Any, ...]]:
    """The exercise's (`ids[0]`) team row for the user (`ids[1]`), if any: written by the ORM
    once (core.written), as "exists"; every listening page asks it."""
    exercise, user = ids
    return team.remote_field.through.objects.filter(
        **{f"{team.m2m_field_name()}_id": exercise, f"{team.m2m_reverse_field_name()}_id": user}
    ).values_list("pk")[:1]


def _exercise_view(user: Any, exercise: Any) -> bool:
    if exercise.organisation_id in organisations_where(user, Role.LEAD):
        return True
    return _in_team(user, exercise)


def _contribution_view(user: Any, contribution: Any) -> bool:
    return _in_team(user, contribution.exercise)


def _contribution_original(user: Any, contribution: Any) -> bool:
    if contribution.captured_by_id is None or contribution.captured_by_id != user.pk:
        return False
    return _in_team(user, contribution.exercise)


# Convening (issue 13). Conveners work on what their organisation keeps; a recommendation is
# answered by whom it is addressed to: the leads of that organisation, or, addressed to a
# commissioner, the commissioners of that organisation's area.


def _convening_item(user: Any, item: Any) -> bool:
    return item.organisation_id in organisations_where(user, Role.CONVENER)


def _recommendation_answer(user: Any, recommendation: Any) -> bool:
    addressed = recommendation.addressed_to
    if recommendation.to == "commissioner":
        return addressed.area_id is not None and addressed.area_id in _commissioned_areas(user)
    return addressed.pk in organisations_where(user, Role.LEAD)


def _recommendation_view(user: Any, recommendation: Any) -> bool:
    return _convening_item(user, recommendation) or _recommendation_answer(user, recommendation)


# The network (issue 15). A network is an Organisation of kind NETWORK. Its staff are its leads
# and assessors; its members are the organisations whose `networks` include it, and any staff
# role there makes someone a member of the network (events, resources). A directory entry is
# kept by its member organisation's leads, and the network's staff. A portfolio is the
# organisation's leads' to build and the network's assessors' to review.


NETWORK_STAFF_ROLES = (Role.LEAD, Role.ASSESSOR)


def network_ids_where(user: Any, *roles: str) -> set[int]:
    """The networks where this user holds one of these roles. No query: `held_roles` knows."""
    return {
        held.organisation_id
        for held in held_roles(user)
        if held.kind == Organisation.Kind.NETWORK and held.role in roles
    }


def network_staff_ids(user: Any) -> set[int]:
    """The networks this user is staff of (a lead or an assessor there)."""
    return network_ids_where(user, *NETWORK_STAFF_ROLES)


def works_only_for_networks(user: Any) -> bool:
    """Are all this user's roles at networks (the network's own staff, whose home is the
    network's)?"""
    held = held_roles(user)
    return bool(held) and all(h.kind == Organisation.Kind.NETWORK for h in held)


def _network_staff(user: Any, network: Organisation) -> bool:
    return network.pk in network_staff_ids(user)


def in_a_network(user: Any) -> bool:
    """Does this user belong to any network (as its staff or through their organisation)?
    No query: `held_roles` knows."""
    return any(h.kind == Organisation.Kind.NETWORK or h.in_network for h in held_roles(user))


def _networks_joined(organisation_ids: list[int]) -> QuerySet[Any, tuple[Any, ...]]:
    """The networks these organisations belong to, written by the ORM once (core.written):
    every network page asks it."""
    return Organisation.networks.through.objects.filter(
        from_organisation_id__in=organisation_ids
    ).values_list("to_organisation_id")


def network_ids_of_member(user: Any) -> set[int]:
    """The networks this user belongs to: through their organisations' memberships, or as
    staff of the network itself."""
    memo = request_memo()
    key = ("network_ids", getattr(user, "pk", None))
    if memo is not None and key in memo:
        return set(memo[key])
    held = held_roles(user)
    own = {h.organisation_id for h in held if h.kind == Organisation.Kind.NETWORK}
    organisation_ids = sorted({h.organisation_id for h in held})
    through = (
        {network for (network,) in written.rows_for_ids(_networks_joined, organisation_ids)}
        if organisation_ids
        else set()
    )
    answer = own | through
    if memo is not None:
        memo[key] = frozenset(answer)
    return answer


def _network_member(user: Any, network: Organisation) -> bool:
    return network.kind == Organisation.Kind.NETWORK and network.pk in network_ids_of_member(user)


def _directory_keep(user: Any, entry: Any) -> bool:
    if getattr(entry, "source_feed_id", None) is not None:
        # Brought in from another directory's feed: it is kept there, and the feed's next run
        # would silently overwrite a change made here.
        return False
    if entry.member_id is not None and entry.member_id in organisations_where(user, Role.LEAD):
        return True
    return entry.network_id in network_staff_ids(user)


def _resource_remove(user: Any, resource: Any) -> bool:
    network = resource.network
    if resource.created_by_id is not None and resource.created_by_id == getattr(user, "pk", None):
        return _network_member(user, network)
    return _network_staff(user, network)


def _portfolio_work(user: Any, portfolio: Any) -> bool:
    return portfolio.organisation_id in organisations_where(user, Role.LEAD)


def _portfolio_assess(user: Any, portfolio: Any) -> bool:
    return portfolio.network_id in network_ids_where(user, Role.ASSESSOR)


def _portfolio_view(user: Any, portfolio: Any) -> bool:
    return _portfolio_work(user, portfolio) or _portfolio_assess(user, portfolio)


# Area insight (issue 14). An area's analysts and commissioners work on what the area keeps:
# imported data sets, analyses, statements of what good looks like, pulses. All of it is
# aggregates; no insight page names a person.


INSIGHT_ROLES = (Role.ANALYST, Role.COMMISSIONER)


def insight_area_ids(user: Any) -> set[int]:
    """The areas where this user is an analyst or a commissioner."""
    return {
        held.area_id
        for held in held_roles(user)
        if held.role in INSIGHT_ROLES and held.area_id is not None
    }


def _insight_work(user: Any, area: Area) -> bool:
    return area.pk in insight_area_ids(user)


def _insight_item(user: Any, item: Any) -> bool:
    return item.area_id in insight_area_ids(user)


RULES: dict[Action, Callable[[Any, Any], bool]] = {
    Action.PERSON_VIEW: _person_view,
    Action.PERSON_CHANGE: _person_change,
    Action.PERSON_INVITE: _person_invite,
    Action.PERSON_SELF: is_the_person,
    Action.PERSON_STAFF_CHANGE: _person_staff_change,
    Action.SAFETY_PLAN_VIEW: _safety_plan_view,
    Action.PERSON_START: _person_start,
    Action.PERSON_EXPORT: _person_view,
    Action.SPEND_DECIDE: _spend_decide,
    Action.ORGANISATION_MANAGE: _organisation_manage,
    Action.ORGANISATION_AGGREGATES: _organisation_aggregates,
    Action.AREA_AGGREGATES: _area_aggregates,
    Action.LISTENING_WORK: _role_in(Role.LISTENER),
    Action.EXERCISE_CREATE: _exercise_create,
    Action.EXERCISE_VIEW: _exercise_view,
    Action.EXERCISE_WORK: _in_team,
    Action.EXERCISE_EDIT: _exercise_view,
    Action.CONTRIBUTION_VIEW: _contribution_view,
    Action.CONTRIBUTION_ORIGINAL: _contribution_original,
    Action.CONVENING_WORK: _role_in(Role.CONVENER),
    Action.CONVENING_ITEM: _convening_item,
    Action.RECOMMENDATION_VIEW: _recommendation_view,
    Action.RECOMMENDATION_ANSWER: _recommendation_answer,
    Action.NETWORK_ASSESS: _assessor_of_network,
    Action.NETWORK_STAFF: _network_staff,
    Action.NETWORK_MEMBER: _network_member,
    Action.DIRECTORY_KEEP: _directory_keep,
    Action.PORTFOLIO_WORK: _portfolio_work,
    Action.PORTFOLIO_VIEW: _portfolio_view,
    Action.PORTFOLIO_ASSESS: _portfolio_assess,
    Action.RESOURCE_REMOVE: _resource_remove,
    Action.INSIGHT_WORK: _insight_work,
    Action.INSIGHT_ITEM: _insight_item,
    Action.AUDIT_VIEW: _organisation_manage,  # the organisation's leads, nobody else
}


def can(user: Any, action: Action | str, obj: Any) -> bool:
    """May this user do this action to this object? No side effects."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    rule = RULES.get(Action(action))
    if rule is None or obj is None:
        return False
    return rule(user, obj)


def require(user: Any, action: Action | str, obj: Any, *, detail: str = "") -> None:
    """Audit the refusal and raise PermissionDenied unless `can` allows it.

    Services call this before they open their transaction: a refusal raised inside
    `transaction.atomic` would roll back its own audit entry."""
    action = Action(action)
    if not can(user, action, obj):
        record(user, AuditAction.DENIED, obj, detail=f"{action.value} {detail}".strip())
        raise PermissionDenied


def authorize(request: HttpRequest, action: Action | str, obj: Any, *, detail: str = "") -> None:
    """Allow and audit, or audit the refusal and raise PermissionDenied."""
    action = Action(action)
    require(request.user, action, obj, detail=detail)
    audit_allowed(request, action, obj, detail=detail)


def audit_allowed(
    request: HttpRequest, action: Action | str, obj: Any, *, detail: str = ""
) -> None:
    """The audit entry for an allowed read (`authorize` without asking again): for a page
    that must first find the part of the record it names before it counts as a read."""
    audit_action = AUDIT_FOR.get(Action(action))
    if audit_action is not None:
        record(request.user, audit_action, obj, detail=detail)


def refuse_not_found(request: HttpRequest, obj: Any, *, detail: str) -> NoReturn:
    """A URL that names something outside the record it claims to be part of (another
    person's goal under this person's address): audited as a refusal, never as a read, and
    answered as not found."""
    record(request.user, AuditAction.DENIED, obj, detail=f"{detail}: not part of this record")
    raise Http404


def record_denied(request: HttpRequest, detail: str) -> None:
    """Audit and refuse a request for a page the user's roles do not open."""
    record(request.user, AuditAction.DENIED, None, detail=detail)
    raise PermissionDenied


# --- one way to write -----------------------------------------------------------------


class UnauditedWriteError(RuntimeError):
    """A write finished without saying what it changed: a bug, so the change is undone."""


class Write:
    """The write in progress inside `writing`: the service says here what it changed."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.audited = 0

    def audit(
        self,
        action: AuditAction | str,
        obj: Any,
        *,
        detail: str = "",
        organisation_id: int | None = None,
    ) -> None:
        """One audit entry for what this write did, in the same transaction as the change."""
        record(self.actor, action, obj, detail=detail, organisation_id=organisation_id)
        self.audited += 1


@contextmanager
def writing(actor: Any, action: Action | str, obj: Any, *, detail: str = "") -> Iterator[Write]:
    """Every write that touches personal data goes through here, and does the same four
    things: the permission check, one transaction, the change (the body of the `with`), and
    the audit entry (`write.audit(...)`, at least once, or the whole change is undone).

        with policy.writing(actor, Action.PERSON_CHANGE, person, detail="goal add") as write:
            goal = Goal.objects.create(...)
            write.audit(AuditAction.CREATE, goal, detail="goal added")

    The check comes before the transaction opens, so a refusal's own audit entry is kept."""
    require(actor, action, obj, detail=detail)
    with _audited_transaction(actor) as write:
        yield write


@contextmanager
def writing_without_check(actor: Any, *, why: str) -> Iterator[Write]:
    """The same transaction and audit for the few writes that have no permission to ask
    for, because the actor is proving who they are (redeeming an invite code, setting up
    two-factor sign-in). `why` says which, for whoever reads the code."""
    if not why:
        raise ValueError("say why this write needs no permission check")
    with _audited_transaction(actor) as write:
        yield write


@contextmanager
def _audited_transaction(actor: Any) -> Iterator[Write]:
    write = Write(actor)
    with transaction.atomic():
        yield write
        if not write.audited:
            raise UnauditedWriteError("a write to personal data must say what it changed")
