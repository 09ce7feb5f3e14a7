"""A person's whole record: as plain data for the JSON download, and in words for the
printable page and the PDF.

Both are read from the same loaded record (`_loaded`), so the document can never show less
than the JSON (or more). The JSON is a data format: its keys and ISO dates stay as they are.
What people read (`person_record`) has every label and date in words, in UK time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from operator import attrgetter
from typing import Any

from django.db.models import QuerySet
from django.db.models.utils import create_namedtuple_class

from alongside.core import documents
from alongside.core.documents import label_for
from alongside.core.money import pounds
from alongside.core.words import day_words, when_words
from alongside.core.written import columns, instances, person_rows, together

from ..models import (
    Barrier,
    CheckIn,
    CircleMember,
    ConsentEvent,
    Conversation,
    CorrectionRequest,
    Goal,
    GoalStep,
    Milestone,
    Payment,
    Person,
    Relationship,
    RelationshipChange,
    SafetyPlan,
    SpendRequest,
    Strength,
)
from .checkins import _definition_for, _definitions

FORMAT_VERSION = 1

# Choices by their labels, as `get_FOO_display()` gives them.
AUDIENCES = dict(SafetyPlan.Audience.choices)
STATES = dict(Relationship.State.choices)
INTENSITIES = dict(Relationship.Intensity.choices)
STRENGTH_KINDS = dict(Strength.Kind.choices)
GOAL_STATUSES = dict(Goal.Status.choices)
SPEND_STATUSES = dict(SpendRequest.Status.choices)
CIRCLE_KINDS = dict(CircleMember.Kind.choices)
RESPONSES = dict(Barrier.Response.choices)
CORRECTION_STATUSES = dict(CorrectionRequest.Status.choices)
CHOICES = dict(ConsentEvent.Choice.choices)


def _day(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def safety_plans_for(user: Any, plans: list[SafetyPlan]) -> list[SafetyPlan]:
    """All versions, when the person's latest choice lets this user read the plan; else none.
    One rule for the page and the export: the policy's SAFETY_PLAN_VIEW."""
    from alongside.accounts.policy import Action, can

    latest = max(plans, key=lambda plan: plan.version, default=None)
    return plans if can(user, Action.SAFETY_PLAN_VIEW, latest) else []


# Who wrote or decided something: three columns read with the row (a LEFT JOIN, so all None
# when nobody is named).
def _user_columns(prefix: str) -> tuple[str, ...]:
    return (f"{prefix}__username", f"{prefix}__first_name", f"{prefix}__last_name")


# The three columns of each prefix read in one call (a busy record names someone on a
# hundred rows: three `getattr`s of names put together each time were most of `_who_of`).
_WHO_COLUMNS = {
    prefix: attrgetter(*_user_columns(prefix))
    for prefix in ("coach", "written_by", "decided_by", "by")
}


def _who_of(row: Any, prefix: str) -> str | None:
    """The user named by `_user_columns(prefix)` as `user.get_full_name() or
    user.first_name or user.username` says them; None when nobody is named."""
    username, first, last = _WHO_COLUMNS[prefix](row)
    if username is None:
        return None
    return f"{first} {last}".strip() or first or username


def _label(choices: dict[str, str], value: str) -> str:
    """A choice by its label, as `get_FOO_display()` says it (an unknown code as it is)."""
    return choices.get(value, value)


def _grouped(rows: Any, key: str) -> dict[int, list[Any]]:
    """Rows (already in order) in lists by one of their columns."""
    groups: dict[int, list[Any]] = {}
    for row in rows:
        groups.setdefault(getattr(row, key), []).append(row)
    return groups


@dataclass
class Loaded:
    """Every part of a person's record, read in a fixed number of queries as plain rows
    (named tuples: `row.words`), not model instances: a busy record has hundreds of rows, and
    building a model for each (with the prefetch machinery around them) was most of the cost
    of the record page and the JSON. The safety plans stay models: the policy reads them.
    Each part comes in its model's own ordering, as it did when prefetched."""

    person: Person
    relationships: list[Any]
    changes: dict[int, list[Any]]  # by relationship id
    conversations: list[Any]
    conversation_goals: dict[int, list[Any]]  # by conversation id: rows with goal_id
    strengths: list[Any]
    goals: list[Any]
    steps: dict[int, list[Any]]  # by goal id
    check_ins: list[Any]
    milestones: list[Any]
    spend_requests: list[Any]
    payments: dict[int, list[Any]]  # by spend request id
    safety_plans: list[SafetyPlan]
    circle: list[Any]
    barriers: list[Any]
    corrections: list[Any]
    consent_events: list[Any]


@dataclass(frozen=True)
class _Part:
    """One part's query, named by the person's id, and the columns of its rows: written by
    the ORM once per connection (core.written), read as named tuples of these columns, as
    `values_list(..., named=True)` read them."""

    model: Any
    person: str  # the lookup naming the person: "person_id", "goal__person_id"
    columns: tuple[str, ...]
    by_id: bool = True  # ordered by id, or by the model's own ordering

    def build(self, person_id: int) -> QuerySet[Any]:
        found = self.model.objects.filter(**{self.person: person_id})
        return (found.order_by("id") if self.by_id else found).values_list(*self.columns)

    def rows(self, person_id: int) -> list[Any]:
        row = create_namedtuple_class(*self.columns)
        return [row._make(values) for values in person_rows(self.build, person_id)]


_RELATIONSHIPS = _Part(
    Relationship,
    "person_id",
    (
        "id",
        "state",
        "intensity",
        "started_on",
        "keep_in_touch",
        "last_contact_on",
        "next_meeting_on",
        *_user_columns("coach"),
    ),
)
_CONVERSATIONS = _Part(
    Conversation,
    "person_id",
    ("id", "happened_on", "place", "notes", "reflection", *_user_columns("written_by")),
    by_id=False,
)
_GOALS = _Part(
    Goal,
    "person_id",
    (
        "id",
        "words",
        "why_it_matters",
        "status",
        "suggested_by_id",
        "accepted_at",
        "hoped_by",
        "achieved_on",
    ),
)
_SPEND_REQUESTS = _Part(
    SpendRequest,
    "person_id",
    (
        "id",
        "what_for",
        "category",
        "amount_pence",
        "goal_id",
        "status",
        "created_at",
        "decided_at",
        "decision_note",
        *_user_columns("decided_by"),
    ),
)
_CHANGES = _Part(
    RelationshipChange,
    "relationship__person_id",
    (
        "relationship_id",
        "at",
        "from_state",
        "to_state",
        "intensity",
        "note",
        *_user_columns("by"),
    ),
    by_id=False,
)
_CONVERSATION_GOALS = _Part(
    Conversation.goals.through,
    "conversation__person_id",
    ("conversation_id", "goal_id"),
    by_id=False,
)
_STRENGTHS = _Part(Strength, "person_id", ("kind", "words", "created_at"))
_STEPS = _Part(GoalStep, "goal__person_id", ("goal_id", "words", "done_on"), by_id=False)
_CHECK_INS = _Part(
    CheckIn,
    "person_id",
    ("instrument", "instrument_version", "taken_on", "answers"),
    by_id=False,
)
_MILESTONES = _Part(Milestone, "person_id", ("kind", "words", "happened_on"))
_PAYMENTS = _Part(
    Payment,
    "spend_request__person_id",
    ("spend_request_id", "amount_pence", "paid_on", "receipt"),
)
_CIRCLE = _Part(
    CircleMember,
    "person_id",
    ("id", "name", "kind", "about", "consent_to_contact", "since", "until"),
    by_id=False,
)
_BARRIERS = _Part(
    Barrier,
    "person_id",
    (
        "id",
        "service",
        "happened_on",
        "response",
        "what_happened",
        "what_we_did",
        "outcome",
        "share_with_convening",
    ),
)
_CORRECTIONS = _Part(
    CorrectionRequest,
    "person_id",
    ("about_type", "as_written", "asked_for", "why", "status", "reply", "decided_at"),
)
# In the order they were made (the model's ordering: at, then id).
_CONSENT_EVENTS = _Part(ConsentEvent, "person_id", ("id", "choice", "scope", "given", "at"), False)


# Every part `_read` reads, sent to the database together (core.written.together); a part
# with parts of its own (a goal's steps) comes whether or not there are any parents.
_PARTS = (
    _RELATIONSHIPS,
    _CHANGES,
    _CONVERSATIONS,
    _CONVERSATION_GOALS,
    _STRENGTHS,
    _GOALS,
    _STEPS,
    _CHECK_INS,
    _MILESTONES,
    _SPEND_REQUESTS,
    _PAYMENTS,
    _CIRCLE,
    _BARRIERS,
    _CORRECTIONS,
    _CONSENT_EVENTS,
)


def _children(parents: list[Any], part: _Part, person_id: int) -> dict[int, list[Any]]:
    """A part's rows (the person's goal steps) by their parent's id (the part's first
    column); no query when there are no parents, as prefetching did."""
    if not parents:
        return {}
    return _grouped(part.rows(person_id), part.columns[0])


def _loaded(person: Person) -> Loaded:
    """The person with every part of their record, in a fixed number of queries (fewer when
    a part with parts of its own is empty)."""
    if not Person.organisation.is_cached(person):  # person_or_404 reads it with the person
        person = Person.objects.select_related("organisation").get(pk=person.pk)
    with together([_safety_plans, *(part.build for part in _PARTS)], person.pk):
        return _read(person)


def _safety_plans(person_id: int) -> QuerySet[Any]:
    """The person's safety plans, every column, in the model's order: made into models (the
    policy reads them) from rows sent with the other parts rather than by a query of its own
    put together on every request."""
    return SafetyPlan.objects.filter(person_id=person_id).values_list(*columns(SafetyPlan))


def _read(person: Person) -> Loaded:
    pk = person.pk
    safety_plans = instances(SafetyPlan, person_rows(_safety_plans, pk))
    for plan in safety_plans:
        plan.person = person  # the policy asks whose plan it is
    relationships = _RELATIONSHIPS.rows(pk)
    conversations = _CONVERSATIONS.rows(pk)
    goals = _GOALS.rows(pk)
    spend_requests = _SPEND_REQUESTS.rows(pk)
    return Loaded(
        person=person,
        relationships=relationships,
        changes=_children(relationships, _CHANGES, pk),
        conversations=conversations,
        conversation_goals=_children(conversations, _CONVERSATION_GOALS, pk),
        strengths=_STRENGTHS.rows(pk),
        goals=goals,
        steps=_children(goals, _STEPS, pk),
        check_ins=_CHECK_INS.rows(pk),
        milestones=_MILESTONES.rows(pk),
        spend_requests=spend_requests,
        payments=_children(spend_requests, _PAYMENTS, pk),
        safety_plans=safety_plans,
        circle=_CIRCLE.rows(pk),
        barriers=_BARRIERS.rows(pk),
        corrections=_CORRECTIONS.rows(pk),
        consent_events=_CONSENT_EVENTS.rows(pk),
    )


def person_export(user: Any, person: Person) -> dict[str, Any]:
    """Everything recorded about `person` that `user` may see, as JSON-ready data."""
    record = _loaded(person)
    person = record.person
    plans = safety_plans_for(user, record.safety_plans)
    return {
        "format": "alongside-person-record",
        "format_version": FORMAT_VERSION,
        "person": {
            "id": person.pk,
            "chosen_name": person.chosen_name,
            "pronouns": person.pronouns,
            "organisation": person.organisation.name,
            "since": _day(person.created_at),
            "budget_allocation_pence": person.budget_allocation_pence
            or person.organisation.budget_allocation_pence,
        },
        "relationships": [
            {
                "coach": _who_of(rel, "coach"),
                "state": _label(STATES, rel.state),
                "how_often_we_meet": _label(INTENSITIES, rel.intensity),
                "started_on": _day(rel.started_on),
                "keep_in_touch": rel.keep_in_touch,
                "last_contact_on": _day(rel.last_contact_on),
                "next_meeting_on": _day(rel.next_meeting_on),
                "history": [
                    {
                        "at": _day(change.at),
                        "by": _who_of(change, "by"),
                        "from": change.from_state,
                        "to": change.to_state,
                        "how_often_we_meet": change.intensity,
                        "note": change.note,
                    }
                    for change in record.changes.get(rel.id, ())
                ],
            }
            for rel in record.relationships
        ],
        "conversations": [
            {
                "happened_on": _day(c.happened_on),
                "place": c.place,
                "notes": c.notes,
                "reflection": c.reflection,
                "written_by": _who_of(c, "written_by"),
                "goal_ids": [g.goal_id for g in record.conversation_goals.get(c.id, ())],
            }
            for c in record.conversations
        ],
        "strengths": [
            {
                "kind": _label(STRENGTH_KINDS, s.kind),
                "words": s.words,
                "added_on": _day(s.created_at),
            }
            for s in record.strengths
        ],
        "goals": [
            {
                "id": g.id,
                "words": g.words,
                "why_it_matters": g.why_it_matters,
                "status": _label(GOAL_STATUSES, g.status),
                "suggested_not_yet_accepted": _is_suggestion(g),
                "hoped_by": _day(g.hoped_by),
                "achieved_on": _day(g.achieved_on),
                "steps": [
                    {"words": s.words, "done_on": _day(s.done_on)}
                    for s in record.steps.get(g.id, ())
                ],
            }
            for g in record.goals
        ],
        "check_ins": [
            {
                "instrument": c.instrument,
                "instrument_version": c.instrument_version,
                "taken_on": _day(c.taken_on),
                "answers": c.answers,
            }
            for c in record.check_ins
        ],
        "milestones": [
            {"kind": m.kind, "words": m.words, "happened_on": _day(m.happened_on)}
            for m in record.milestones
        ],
        "spend_requests": [
            {
                "what_for": s.what_for,
                "category": s.category,
                "amount_pence": s.amount_pence,
                "goal_id": s.goal_id,
                "status": _label(SPEND_STATUSES, s.status),
                "asked_on": _day(s.created_at),
                "decided_by": _who_of(s, "decided_by"),
                "decided_at": _day(s.decided_at),
                "decision_note": s.decision_note,
                "payments": [
                    {
                        "amount_pence": p.amount_pence,
                        "paid_on": _day(p.paid_on),
                        "has_receipt": bool(p.receipt),
                    }
                    for p in record.payments.get(s.id, ())
                ],
            }
            for s in record.spend_requests
        ],
        "safety_plan_versions": [
            {
                "version": p.version,
                "written_on": _day(p.created_at),
                "what_keeps_me_safe": p.keeps_me_safe,
                "early_signs": p.early_signs,
                "what_helps": p.what_helps,
                "who_to_contact": p.who_to_contact,
                "what_others_can_do": p.what_others_can_do,
                "who_may_see_it": p.visible_to,
            }
            for p in plans
        ],
        "circle": [
            {
                "name": m.name,
                "kind": _label(CIRCLE_KINDS, m.kind),
                "about": m.about,
                "happy_to_be_contacted": m.consent_to_contact,
                "since": _day(m.since),
                "until": _day(m.until),
            }
            for m in record.circle
        ],
        "barriers": [
            {
                "service_or_rule": b.service,
                "happened_on": _day(b.happened_on),
                "what_happened": b.what_happened,
                "what_we_did": _label(RESPONSES, b.response) if b.response else "",
                "what_we_did_in_words": b.what_we_did,
                "outcome": b.outcome,
                "shared_anonymously_with_convening": b.share_with_convening,
            }
            for b in record.barriers
        ],
        "corrections": [
            {
                "about": c.about_type,
                "as_written": c.as_written,
                "asked_for": c.asked_for,
                "why": c.why,
                "status": _label(CORRECTION_STATUSES, c.status),
                "reply": c.reply,
                "decided_at": _day(c.decided_at),
            }
            for c in record.corrections
        ],
        "choices": [
            {
                "choice": _label(CHOICES, e.choice),
                "about": e.scope,
                "given": e.given,
                "at": _day(e.at),
            }
            for e in record.consent_events
        ],
    }


def _is_suggestion(goal: Any) -> bool:
    """`Goal.is_suggestion`, for a goal read as a row."""
    return goal.suggested_by_id is not None and goal.accepted_at is None


# --- the same record in words: the printable page and the PDF --------------------------------


@dataclass(frozen=True)
class Entry:
    """One thing in a part of the record: a goal, a talk, a check-in."""

    heading: str
    facts: list[tuple[str, str]] = field(default_factory=list)  # label, value in words
    items_label: str = ""
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Table:
    """Many entries of one shape (check-ins), as a table on the web page."""

    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Section:
    """One part of the record, with its own heading and place in the contents."""

    key: str  # its anchor on the page
    title: str
    empty: str  # what to say when nothing is recorded
    facts: list[tuple[str, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    # The same entries as tables, for the web page where a table reads better; the PDF keeps
    # the entries (a page of A4 has no room for wide tables).
    tables: list[Table] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.facts or self.items or self.entries)


@dataclass(frozen=True)
class Record:
    name: str
    organisation: str
    sections: list[Section]


CORRECTION_ABOUT = {
    "conversation": "A talk with the coach",
    "goal": "A goal",
    "strength": "A strength",
    "step": "A step towards a goal",
}


def _facts(*pairs: tuple[str, Any]) -> list[tuple[str, str]]:
    """The pairs that hold something, every value already in words."""
    return [(label, str(value)) for label, value in pairs if value not in (None, "", [])]


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]


def person_record(user: Any, person: Person) -> Record:
    """Everything `person_export` holds, for a person to read: in sections with headings,
    choices by their labels, money in pounds and dates in words, in UK time."""
    record = _loaded(person)
    person = record.person
    plans = safety_plans_for(user, record.safety_plans)
    name = person.chosen_name
    goals = {goal.id: goal for goal in record.goals}
    check_ins = record.check_ins
    circle = record.circle
    barriers = record.barriers
    allocation = person.budget_allocation_pence or person.organisation.budget_allocation_pence
    return Record(
        name=name,
        organisation=person.organisation.name,
        sections=[
            Section(
                "about",
                f"About {name}",
                "",
                facts=_facts(
                    ("Name they use", name),
                    ("Pronouns", person.pronouns),
                    ("Organisation", person.organisation.name),
                    ("On our records since", day_words(person.created_at)),
                ),
            ),
            Section(
                "relationships",
                "Working together",
                "No coach is working with them yet.",
                entries=[
                    _relationship(rel, record.changes.get(rel.id, []))
                    for rel in record.relationships
                ],
            ),
            Section(
                "conversations",
                "Conversations",
                "No conversations written up yet.",
                entries=[
                    _conversation(c, name, goals, record.conversation_goals.get(c.id, []))
                    for c in record.conversations
                ],
            ),
            Section(
                "goals",
                "Goals and steps",
                "No goals yet.",
                entries=[_goal(goal, record.steps.get(goal.id, [])) for goal in goals.values()],
            ),
            Section(
                "strengths",
                f"What {name} has going for them",
                "No strengths written down yet.",
                items=[
                    f"{_label(STRENGTH_KINDS, s.kind)}: {s.words} (added {day_words(s.created_at)})"
                    for s in record.strengths
                ],
            ),
            _check_ins(person, check_ins),
            Section(
                "milestones",
                "Milestones: good things that happened",
                "No milestones recorded yet.",
                items=[
                    f"{day_words(m.happened_on)}: {_sentence(m.kind)}"
                    + (f". {m.words}" if m.words else "")
                    for m in record.milestones
                ],
            ),
            _budget(record, allocation, goals),
            Section(
                "safety-plan",
                "Safety plan",
                "No safety plan shared here.",
                entries=[_safety_plan(plan) for plan in plans],
            ),
            Section(
                "circle",
                "Circle: the people and places around them",
                "Nobody added yet.",
                entries=[
                    Entry(
                        m.name,
                        _facts(
                            ("Who they are", _label(CIRCLE_KINDS, m.kind)),
                            ("About them", m.about),
                            ("Happy to be contacted", _yes_no(m.consent_to_contact)),
                            ("Since", day_words(m.since)),
                            ("Until", day_words(m.until)),
                        ),
                    )
                    for m in circle
                ],
            ),
            Section(
                "barriers",
                "Things that got in the way",
                "Nothing recorded.",
                entries=[
                    Entry(
                        b.service,
                        _facts(
                            ("When", day_words(b.happened_on)),
                            ("What happened", b.what_happened),
                            ("What we did", _label(RESPONSES, b.response) if b.response else ""),
                            ("What we did, in words", b.what_we_did),
                            ("What happened next", b.outcome),
                            (
                                "Shared without a name to help change things",
                                _yes_no(b.share_with_convening),
                            ),
                        ),
                    )
                    for b in barriers
                ],
            ),
            Section(
                "corrections",
                "Changes asked for",
                "No changes asked for.",
                entries=[
                    Entry(
                        CORRECTION_ABOUT.get(c.about_type, label_for(c.about_type)),
                        _facts(
                            ("It said", c.as_written),
                            ("Asked to say", c.asked_for),
                            ("Why", c.why),
                            ("Where it is", _label(CORRECTION_STATUSES, c.status)),
                            ("Reply", c.reply),
                            ("Decided", when_words(c.decided_at)),
                        ),
                    )
                    for c in record.corrections
                ],
            ),
            Section(
                "choices",
                "Choices about sharing",
                "No choices made yet.",
                items=[_choice(e, circle, barriers) for e in record.consent_events],
            ),
        ],
    )


def _relationship(rel: Any, changes: list[Any]) -> Entry:
    history = []
    for change in changes:
        now = STATES.get(change.to_state, label_for(change.to_state))
        if not change.from_state:
            words = f"{when_words(change.at)}: started, {now.lower()}"
        elif change.from_state == change.to_state:
            words = f"{when_words(change.at)}: still {now.lower()}"
        else:
            before = STATES.get(change.from_state, label_for(change.from_state))
            words = f"{when_words(change.at)}: from {before.lower()} to {now.lower()}"
        if change.intensity:
            meeting = INTENSITIES.get(change.intensity, label_for(change.intensity))
            words += f", meeting {meeting.lower()}"
        by = _who_of(change, "by")
        if by:
            words += f" (changed by {by})"
        if change.note:
            words += f". “{change.note}”"
        history.append(words)
    return Entry(
        f"With {_who_of(rel, 'coach')}",
        _facts(
            ("Where it is", _label(STATES, rel.state)),
            ("How often we meet", _label(INTENSITIES, rel.intensity)),
            ("Started", day_words(rel.started_on)),
            ("How they'd like us to keep in touch", rel.keep_in_touch),
            ("Last in touch", day_words(rel.last_contact_on)),
            ("Next meeting", day_words(rel.next_meeting_on)),
        ),
        "What changed, and when",
        history,
    )


def _conversation(talk: Any, name: str, goals: dict[int, Any], talked: list[Any]) -> Entry:
    heading = day_words(talk.happened_on) + (f", {talk.place}" if talk.place else "")
    talked_about = [goals[g.goal_id].words for g in talked if g.goal_id in goals]
    return Entry(
        heading,
        _facts(
            ("Notes", talk.notes),
            (f"{name}'s thoughts", talk.reflection),
            ("Written by", _who_of(talk, "written_by")),
            ("Goals talked about", "; ".join(talked_about)),
        ),
    )


def _goal(goal: Any, steps: list[Any]) -> Entry:
    return Entry(
        goal.words,
        _facts(
            (
                "Where it is",
                _label(GOAL_STATUSES, goal.status)
                + (" (suggested by the coach, not yet accepted)" if _is_suggestion(goal) else ""),
            ),
            ("Why it matters", goal.why_it_matters),
            ("Hoped for by", day_words(goal.hoped_by)),
            ("Achieved", day_words(goal.achieved_on)),
        ),
        "Steps",
        [
            s.words + (f" (done {day_words(s.done_on)})" if s.done_on else " (not done yet)")
            for s in steps
        ],
    )


def _check_ins(person: Person, check_ins: list[Any]) -> Section:
    """Each check-in with its questions by name and each answer as a score out of the
    scale's top (the instrument definitions are files: a query only for an organisation's own).
    On the page, one table for each set of questions, a row for each check-in."""
    section = Section("check-ins", "Check-ins", "No check-ins yet.")
    if not check_ins:
        return section
    definitions = _definitions(person, check_ins)
    tables: dict[str, Table] = {}
    for check_in in check_ins:
        definition = _definition_for(definitions, check_in)
        name = definition.name if definition else label_for(check_in.instrument)
        items: list[tuple[str, str, int | None]] = (
            [(i.key, i.label, i.max) for i in definition.items] if definition else []
        )
        known = {key for key, _, _ in items}
        items += [(key, label_for(key), None) for key in check_in.answers if key not in known]
        values = [check_in.answers.get(key) for key, _, _ in items]
        answers = [
            (label, _score(value, top))
            for (_, label, top), value in zip(items, values, strict=True)
        ]
        section.entries.append(Entry(day_words(check_in.taken_on), [("Questions", name), *answers]))
        # In a table the scale goes in the heading, so each cell is one number.
        columns = [label if top is None else f"{label} (out of {top})" for _, label, top in items]
        table = tables.setdefault(
            f"{name} {columns}",
            Table(f"{name}: the answers at each check-in", ["Date", *columns], []),
        )
        table.rows.append(
            [day_words(check_in.taken_on), *[_score(value, None) for value in values]]
        )
    section.tables.extend(tables.values())
    return section


def _score(value: Any, top: int | None) -> str:
    if value is None:
        return "Skipped"
    return f"{value} out of {top}" if top is not None else str(value)


def _budget(record: Loaded, allocation: int, goals: dict[int, Any]) -> Section:
    spends = record.spend_requests
    paid = sum(p.amount_pence for s in spends for p in record.payments.get(s.id, ()))
    entries = []
    for s in spends:
        entries.append(
            Entry(
                s.what_for,
                _facts(
                    ("Amount", pounds(s.amount_pence)),
                    ("Kind of spending", _sentence(s.category)),
                    ("Towards the goal", goals[s.goal_id].words if s.goal_id in goals else ""),
                    ("Where it is", _label(SPEND_STATUSES, s.status)),
                    ("Asked on", day_words(s.created_at)),
                    ("Decided by", _who_of(s, "decided_by")),
                    ("Decided", when_words(s.decided_at)),
                    ("Note with the decision", s.decision_note),
                ),
                "Payments",
                [
                    f"{pounds(p.amount_pence)} paid on {day_words(p.paid_on)}"
                    + (", receipt kept" if p.receipt else ", no receipt yet")
                    for p in record.payments.get(s.id, ())
                ],
            )
        )
    return Section(
        "budget",
        "Personal budget",
        "",
        facts=_facts(("Budget", pounds(allocation)), ("Paid so far", pounds(paid))),
        entries=entries,
    )


def _safety_plan(plan: SafetyPlan) -> Entry:
    audience = [AUDIENCES.get(code, label_for(code)) for code in plan.visible_to]
    return Entry(
        f"Version {plan.version}, written {day_words(plan.created_at)}",
        _facts(
            ("What keeps me safe", plan.keeps_me_safe),
            ("Early signs that things are getting hard", plan.early_signs),
            ("What helps", plan.what_helps),
            ("Who I'd like contacted", plan.who_to_contact),
            ("What I'd like others to do", plan.what_others_can_do),
            ("Who may see it", "; ".join(audience) or "Only me"),
        ),
    )


def _choice(event: Any, circle: list[Any], barriers: list[Any]) -> str:
    answer = "Yes" if event.given else "No"
    words = f"{when_words(event.at)}: {_label(CHOICES, event.choice)}: {answer}"
    about = ""
    if event.scope and event.scope.isdigit():
        pk = int(event.scope)
        if event.choice == ConsentEvent.Choice.CIRCLE_ACCESS:
            about = next((m.name for m in circle if m.id == pk), "")
        elif event.choice == ConsentEvent.Choice.SHARE_BARRIERS:
            about = next((b.service for b in barriers if b.id == pk), "")
    return words + (f" (about {about})" if about else "")


def record_document(record: Record, *, title: str, intro: str) -> documents.Document:
    """The record as a document to download: a title, a contents list, then each part under
    its own heading, each entry under a smaller one."""
    blocks: list[documents.Block] = [
        documents.Paragraph(intro),
        documents.Heading("Contents", 1),
        documents.BulletList([section.title for section in record.sections]),
    ]
    for section in record.sections:
        blocks.append(documents.Heading(section.title, 1))
        if section.is_empty:
            blocks.append(documents.Paragraph(section.empty))
        if section.facts:
            blocks.append(documents.Facts(section.facts))
        if section.items:
            blocks.append(documents.BulletList(section.items))
        for entry in section.entries:
            blocks.append(documents.Heading(entry.heading, 2))
            if entry.facts:
                blocks.append(documents.Facts(entry.facts))
            if entry.items:
                blocks.append(documents.Heading(entry.items_label, 3))
                blocks.append(documents.BulletList(entry.items))
    return documents.Document(
        title=title, blocks=blocks, subject=f"Everything recorded at {record.organisation}"
    )
