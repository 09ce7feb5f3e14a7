"""Reading for the person's rights pages: who has looked, their choices, and what
convening may see because of those choices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, TruncDate

from alongside.accounts.models import Area, User
from alongside.core import written
from alongside.core.models import AuditAction, AuditEntry

from ..models import Barrier, ConsentEvent, Person, Relationship

WHO_HAS_LOOKED_LIMIT = 200

# What was added or changed, by the kind of row the audit entry points at.
THINGS = {
    "coaching.person": "your record",
    "coaching.goal": "a goal",
    "coaching.goalstep": "a step towards a goal",
    "coaching.conversation": "notes from a conversation",
    "coaching.strength": "a strength",
    "coaching.checkin": "a check-in",
    "coaching.milestone": "a milestone",
    "coaching.spendrequest": "a spend",
    "coaching.payment": "a payment",
    "coaching.safetyplan": "your safety plan",
    "coaching.circlemember": "someone in your circle",
    "coaching.barrier": "something that got in your way",
    "coaching.consentevent": "one of your choices",
    "coaching.correctionrequest": "a request to put something right",
    "coaching.erasurerequest": "a request to erase your record",
    "coaching.relationship": "how you work together",
}

# What was read, by the short note on the entry.
READ = {
    "check-ins": "your check-ins",
    "check-in": "your check-ins",
    "check-in form": "your check-ins",
    "safety plan": "your safety plan",
    "budget": "your budget",
    "ledger": "your budget",
    "spend request": "your budget",
    "barrier": "what got in your way",
    "circle": "your circle",
    "goal": "your goals",
    "milestones": "your milestones",
    "conversation": "your notes",
    "conversation edit": "your notes",
}

SPECIAL = {
    "spend approved": "approved a spend",
    "spend declined": "said no to a spend",
    "started working together": "started working with you",
    "record erased": "erased your record",
    "erasure not done": "replied to your request to erase your record",
}


@dataclass
class Line:
    sentence: str
    on: date
    times: int = 1

    @property
    def text(self) -> str:
        when = f"on {self.on.day} {self.on:%B}"
        if self.times > 1:
            return f"{self.sentence} {self.times} times {when}"
        return f"{self.sentence} {when}"


def _what(action: str, object_type: str, detail: str) -> str:
    if detail in SPECIAL:
        return SPECIAL[detail]
    if action == AuditAction.VIEW:
        return f"read {READ.get(detail, 'your record')}"
    if action == AuditAction.EXPORT:
        return "downloaded your record"
    thing = THINGS.get(object_type, "something in your record")
    if action == AuditAction.CREATE:
        return f"added {thing}"
    if action == AuditAction.CHANGE:
        return f"changed {thing}"
    return "used your record"


def _role_words(role: str) -> str:
    article = "an" if role[:1] in "aeiou" else "a"
    return f"{article} {role}"


class _Day(TruncDate):
    """A moment's day in the site's time zone, as TruncDate says it, without TruncDate's own
    look at every value in Python (made for databases that answer with a moment): PostgreSQL
    answers with a date, and SQLite's text is made one by its backend's converter, which
    stays. Two hundred entries made it a tenth of the page's calls."""

    def get_db_converters(self, connection: BaseDatabaseWrapper) -> list[Callable[..., Any]]:
        return self.output_field.get_db_converters(connection)


def _entries_query(person_id: int, limit: int) -> QuerySet[AuditEntry, tuple[Any, ...]]:
    # Each entry's day in the site's time zone comes from the database: a day is cheaper to
    # read than a moment, and the day is all the page says.
    return (
        AuditEntry.objects.filter(person_id=person_id)
        .order_by("-at", "-id")
        .annotate(on=_Day("at"))
        .values_list("on", "action", "object_type", "detail", "actor_id")[:limit]
    )


def _coach_ids_query(person_id: int) -> QuerySet[Relationship, tuple[Any, ...]]:
    return Relationship.objects.filter(person_id=person_id).values_list("coach_id")


def _actors_query(actor_ids: list[int]) -> QuerySet[User, tuple[Any, ...]]:
    # Each actor once with each role they hold, newest role first (one row with no role for
    # someone who holds none): (id, first name, their person's id, organisation id, role,
    # organisation name).
    return (
        User.objects.filter(pk__in=actor_ids)
        .order_by("-memberships__created_at")
        .values_list(
            "pk",
            "first_name",
            "person__pk",
            "memberships__organisation_id",
            "memberships__role",
            "memberships__organisation__name",
        )
    )


def who_has_looked(person: Person, limit: int = WHO_HAS_LOOKED_LIMIT) -> list[Line]:
    """The last `limit` audit entries about this person, newest first, in plain words.
    Three queries however many entries there are, each written by the ORM once per
    connection (core.written): building them was half the page's Python."""
    # The entries without their actors, then each actor once: 200 entries are mostly the same
    # two or three people, and joining them in built 600 objects to name a handful.
    entries = written.rows(
        (_entries_query, limit), lambda ids: _entries_query(ids[0], limit), [person.pk]
    )
    actor_ids = sorted({actor_id for *_, actor_id in entries if actor_id})
    coach_ids = {coach_id for (coach_id,) in written.person_rows(_coach_ids_query, person.pk)}
    actors: dict[int, tuple[str, int | None]] = {}
    held: dict[int, tuple[str, str]] = {}
    for pk, first_name, person_id, organisation_id, role, organisation_name in (
        written.rows_for_ids(_actors_query, actor_ids) if actor_ids else []
    ):
        actors[pk] = (first_name, person_id)
        if organisation_id is None or pk in coach_ids:
            continue
        here = organisation_id == person.organisation_id
        if pk not in held or here:
            held[pk] = (role, organisation_name)

    # Each sentence worked out once: 200 entries say the same few things again and again.
    sentences: dict[tuple[Any, ...], str] = {}
    lines: dict[tuple[Any, ...], Line] = {}
    for on, action, object_type, detail, actor_id in entries:
        if action == AuditAction.DENIED:
            sentence = "Someone who may not see your record tried to open it, and was stopped"
            key: tuple[Any, ...] = ("denied", on)
        else:
            said = (actor_id, action, object_type, detail)
            sentence = sentences.get(said, "")
            if not sentence:
                who = _who(actor_id, actors, person, coach_ids, held)
                sentence = sentences[said] = f"{who} {_what(action, object_type, detail)}"
            key = (actor_id, sentence, on)
        if key in lines:
            lines[key].times += 1
        else:
            lines[key] = Line(sentence, on)
    return list(lines.values())


def _who(
    actor_id: int | None,
    actors: dict[int, tuple[str, int | None]],
    person: Person,
    coach_ids: set[int],
    held: dict[int, tuple[str, str]],
) -> str:
    actor = actors.get(actor_id) if actor_id else None
    if actor is None:
        return "Someone"
    if person.user_id is not None and actor_id == person.user_id:
        return "You"
    first_name, person_id = actor
    if person_id is not None:
        return "Someone"  # never another person's name
    first = first_name or "Someone"
    if actor_id in coach_ids:
        return f"{first}, your coach,"
    if actor_id in held:
        role, organisation = held[actor_id]
        return f"{first}, {_role_words(role)} at {organisation},"
    return "Someone"


def current_consents(person: Person) -> dict[tuple[str, str], ConsentEvent]:
    """The latest event for each (choice, scope): the choice that holds now."""
    latest: dict[tuple[str, str], ConsentEvent] = {}
    for event in ConsentEvent.objects.filter(person=person).order_by("at", "id"):
        latest[(event.choice, event.scope)] = event
    return latest


def barriers_for_convening(organisation_or_area: Any) -> QuerySet[Barrier]:
    """Barriers convening may use: shared, and the person's latest choice for that barrier
    (or for all their barriers) has not withdrawn it. Withdrawing works at once."""
    if isinstance(organisation_or_area, Area):
        where = Q(organisation__area=organisation_or_area)
    else:
        where = Q(organisation=organisation_or_area)
    return Barrier.objects.filter(where, ~Exists(_withdrawn_now()), share_with_convening=True)


def _about(barrier_pk: OuterRef) -> Q:
    """A choice about the barrier `barrier_pk` names, or about all the person's barriers."""
    return Q(scope="") | Q(scope=Cast(barrier_pk, output_field=CharField()))


def _withdrawn_now() -> QuerySet[ConsentEvent]:
    """The person's withdrawal of the outer barrier (or of all their barriers) that no later
    choice about it has undone: the barrier is usable while there is none.

    The same rule as "the latest choice for this barrier or for all, if any, gives it", asked
    the other way round. Asked for the latest choice, the database looked it up once for every
    barrier (hundreds a page, an index probe each); asked for a standing withdrawal, it reads
    the few withdrawals once and joins them to the barriers (issue 11)."""
    later = ConsentEvent.objects.filter(
        _about(OuterRef(OuterRef("pk"))),
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk")),
        person_id=OuterRef("person_id"),
        choice=ConsentEvent.Choice.SHARE_BARRIERS,
    )
    return ConsentEvent.objects.filter(
        _about(OuterRef("pk")),
        ~Exists(later),
        person_id=OuterRef("person_id"),
        choice=ConsentEvent.Choice.SHARE_BARRIERS,
        given=False,
    )
