"""Reading for the person's rights pages: who has looked, their choices, and what
convening may see because of those choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, TruncDate

from alongside.accounts.models import Area, User
from alongside.core.models import AuditAction, AuditEntry

from ..models import Barrier, ConsentEvent, Person

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


def _what(entry: Any) -> str:
    detail = entry.detail
    if detail in SPECIAL:
        return SPECIAL[detail]
    if entry.action == AuditAction.VIEW:
        return f"read {READ.get(detail, 'your record')}"
    if entry.action == AuditAction.EXPORT:
        return "downloaded your record"
    thing = THINGS.get(entry.object_type, "something in your record")
    if entry.action == AuditAction.CREATE:
        return f"added {thing}"
    if entry.action == AuditAction.CHANGE:
        return f"changed {thing}"
    return "used your record"


def _role_words(role: str) -> str:
    article = "an" if role[:1] in "aeiou" else "a"
    return f"{article} {role}"


def who_has_looked(person: Person, limit: int = WHO_HAS_LOOKED_LIMIT) -> list[Line]:
    """The last `limit` audit entries about this person, newest first, in plain words.
    Four queries however many entries there are."""
    # The entries without their actors, then each actor once: 200 entries are mostly the same
    # two or three people, and joining them in built 600 objects to name a handful. Each
    # entry's day in the site's time zone comes from the database: a day is cheaper to read
    # than a moment, and the day is all the page says.
    entries = list(
        AuditEntry.objects.filter(person_id=person.pk)
        .order_by("-at", "-id")
        .annotate(on=TruncDate("at"))
        .values_list("on", "action", "object_type", "detail", "actor_id", named=True)[:limit]
    )
    actor_ids = {e.actor_id for e in entries if e.actor_id}
    coach_ids = set(person.relationships.values_list("coach_id", flat=True))
    # Each actor once with each role they hold, newest role first (one row with no role for
    # someone who holds none): (id, first name, their person's id, organisation id, role,
    # organisation name).
    actors: dict[int, tuple[str, int | None]] = {}
    held: dict[int, tuple[str, str]] = {}
    for pk, first_name, person_id, organisation_id, role, organisation_name in (
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
    for entry in entries:
        on = entry.on
        if entry.action == AuditAction.DENIED:
            sentence = "Someone who may not see your record tried to open it, and was stopped"
            key: tuple[Any, ...] = ("denied", on)
        else:
            said = (entry.actor_id, entry.action, entry.object_type, entry.detail)
            sentence = sentences.get(said, "")
            if not sentence:
                who = _who(entry.actor_id, actors, person, coach_ids, held)
                sentence = sentences[said] = f"{who} {_what(entry)}"
            key = (entry.actor_id, sentence, on)
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
        where = Q(person__organisation__area=organisation_or_area)
    else:
        where = Q(person__organisation=organisation_or_area)
    latest = (
        ConsentEvent.objects.filter(
            person_id=OuterRef("person_id"), choice=ConsentEvent.Choice.SHARE_BARRIERS
        )
        .filter(Q(scope="") | Q(scope=Cast(OuterRef("pk"), output_field=CharField())))
        .order_by("-at", "-id")
        .values("given")[:1]
    )
    return (
        Barrier.objects.filter(where, share_with_convening=True)
        .annotate(latest_choice=Subquery(latest))
        .filter(Q(latest_choice__isnull=True) | Q(latest_choice=True))
    )
