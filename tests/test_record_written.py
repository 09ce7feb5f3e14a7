"""The whole record read in queries the ORM writes once per connection (issue 11): every
part of `_loaded` is compared with `_loaded` as it was, kept below, on a record with one of
everything and a history, and on an empty one; the page, the JSON and the person's own copy
are then what they were (their own tests check their words)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from alongside.coaching.models import (
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
from alongside.coaching.selectors import export

from .factories import person
from .round_trips import round_trips
from .test_coaching_export import a_record_with_history

pytestmark = pytest.mark.django_db


# coaching.selectors.export._children and _loaded as they were.
def _then_children(parents: list[Any], rows: Any, key: str, *fields: str) -> dict[int, list[Any]]:
    """`rows` (the person's goal steps) by their parent's id (`key`); no query when there
    are no parents, as prefetching did."""
    if not parents:
        return {}
    return export._grouped(rows.values_list(key, *fields, named=True), key)


def _then_loaded(person: Person) -> export.Loaded:
    """The person with every part of their record, in a fixed number of queries (fewer when
    a part with parts of its own is empty)."""
    if not Person.organisation.is_cached(person):  # person_or_404 reads it with the person
        person = Person.objects.select_related("organisation").get(pk=person.pk)
    safety_plans = list(SafetyPlan.objects.filter(person=person))
    for plan in safety_plans:
        plan.person = person  # the policy asks whose plan it is
    relationships: list[Any] = list(
        Relationship.objects.filter(person=person)
        .order_by("id")
        .values_list(
            "id",
            "state",
            "intensity",
            "started_on",
            "keep_in_touch",
            "last_contact_on",
            "next_meeting_on",
            *export._user_columns("coach"),
            named=True,
        )
    )
    conversations: list[Any] = list(
        Conversation.objects.filter(person=person).values_list(
            "id",
            "happened_on",
            "place",
            "notes",
            "reflection",
            *export._user_columns("written_by"),
            named=True,
        )
    )
    goals: list[Any] = list(
        Goal.objects.filter(person=person)
        .order_by("id")
        .values_list(
            "id",
            "words",
            "why_it_matters",
            "status",
            "suggested_by_id",
            "accepted_at",
            "hoped_by",
            "achieved_on",
            named=True,
        )
    )
    spend_requests: list[Any] = list(
        SpendRequest.objects.filter(person=person)
        .order_by("id")
        .values_list(
            "id",
            "what_for",
            "category",
            "amount_pence",
            "goal_id",
            "status",
            "created_at",
            "decided_at",
            "decision_note",
            *export._user_columns("decided_by"),
            named=True,
        )
    )
    return export.Loaded(
        person=person,
        relationships=relationships,
        changes=_then_children(
            relationships,
            RelationshipChange.objects.filter(relationship__person=person),
            "relationship_id",
            "at",
            "from_state",
            "to_state",
            "intensity",
            "note",
            *export._user_columns("by"),
        ),
        conversations=conversations,
        conversation_goals=_then_children(
            conversations,
            Conversation.goals.through.objects.filter(conversation__person=person),
            "conversation_id",
            "goal_id",
        ),
        strengths=list(
            Strength.objects.filter(person=person)
            .order_by("id")
            .values_list("kind", "words", "created_at", named=True)
        ),
        goals=goals,
        steps=_then_children(
            goals, GoalStep.objects.filter(goal__person=person), "goal_id", "words", "done_on"
        ),
        check_ins=list(
            CheckIn.objects.filter(person=person).values_list(
                "instrument", "instrument_version", "taken_on", "answers", named=True
            )
        ),
        milestones=list(
            Milestone.objects.filter(person=person)
            .order_by("id")
            .values_list("kind", "words", "happened_on", named=True)
        ),
        spend_requests=spend_requests,
        payments=_then_children(
            spend_requests,
            Payment.objects.filter(spend_request__person=person).order_by("id"),
            "spend_request_id",
            "amount_pence",
            "paid_on",
            "receipt",
        ),
        safety_plans=safety_plans,
        circle=list(
            CircleMember.objects.filter(person=person).values_list(
                "id", "name", "kind", "about", "consent_to_contact", "since", "until", named=True
            )
        ),
        barriers=list(
            Barrier.objects.filter(person=person)
            .order_by("id")
            .values_list(
                "id",
                "service",
                "happened_on",
                "response",
                "what_happened",
                "what_we_did",
                "outcome",
                "share_with_convening",
                named=True,
            )
        ),
        corrections=list(
            CorrectionRequest.objects.filter(person=person)
            .order_by("id")
            .values_list(
                "about_type",
                "as_written",
                "asked_for",
                "why",
                "status",
                "reply",
                "decided_at",
                named=True,
            )
        ),
        # In the order they were made (the model's ordering: at, then id).
        consent_events=list(
            ConsentEvent.objects.filter(person=person).values_list(
                "id", "choice", "scope", "given", "at", named=True
            )
        ),
    )


def _more(sam: Person, coach: Any) -> None:
    """A second of most things, in an order their ids do not follow, words to escape."""
    goal = Goal.objects.create(person=sam, words="a <flat> & a job", status="working_on_it")
    GoalStep.objects.create(goal=goal, words="ring them", done_on=datetime(2026, 5, 1).date())
    talk = Conversation.objects.create(
        person=sam, notes="line one\r\nline two", happened_on=datetime(2025, 1, 2).date()
    )
    talk.goals.add(goal, *sam.goals.all())
    CheckIn.objects.create(person=sam, answers={"anxiety": 2}, taken_on=datetime(2024, 1, 1).date())
    CircleMember.objects.create(person=sam, name="Aunt Jo", kind="family", consent_to_contact=True)
    Barrier.objects.create(
        person=sam, service="GP", what_happened="no appointment", share_with_convening=True
    )
    spend = SpendRequest.objects.create(
        person=sam, what_for="boots", amount_pence=4500, status="approved", decided_by=coach
    )
    Payment.objects.create(spend_request=spend, amount_pence=1000, receipt="receipts/a.pdf")
    Strength.objects.create(person=sam, kind="quality", words="patient")
    Milestone.objects.create(person=sam, kind="work", words="first shift")
    ConsentEvent.objects.create(
        person=sam, choice="share_barriers", given=False, at=datetime(2026, 1, 1, tzinfo=UTC)
    )


@pytest.fixture
def full(world) -> Person:
    sam = world["sam"]
    a_record_with_history(sam, world["coach"])
    _more(sam, world["coach"])
    return Person.objects.select_related("organisation").get(pk=sam.pk)


def test_every_part_is_what_it_was(full, world):
    now, then = export._loaded(full), _then_loaded(full)
    assert now == then
    for part in (
        "relationships",
        "conversations",
        "goals",
        "steps",
        "check_ins",
        "payments",
        "circle",
        "barriers",
        "corrections",
        "consent_events",
        "changes",
        "conversation_goals",
    ):
        assert getattr(now, part), part  # every part has rows: the comparison means something
    # Named as before: the page and the JSON read rows by their columns' names.
    assert now.relationships[0].coach__username == world["coach"].username
    assert [type(r) for r in now.goals] == [type(r) for r in then.goals]
    assert now.check_ins[0].answers == then.check_ins[0].answers
    # Someone else's record gives someone else's rows.
    jo = Person.objects.select_related("organisation").get(pk=world["jo"].pk)
    assert export._loaded(jo) == _then_loaded(jo)
    assert export._loaded(jo).goals == []


def test_an_empty_record_asks_no_more_than_it_did(world):
    someone = person(world["home"], world["coach"], "New")
    someone = Person.objects.select_related("organisation").get(pk=someone.pk)
    export._loaded(someone)  # the queries written once, outside the count
    with round_trips() as now:
        found = export._loaded(someone)
    with round_trips() as then:
        expected = _then_loaded(someone)
    assert found == expected
    # Fewer on PostgreSQL, where the parts go to the database together (core.written.together).
    assert len(now) <= len(then)


def test_the_page_and_json_are_what_they_were(full, world, login):
    client = login(world["coach"])
    for path in (f"/people/{full.pk}/record/", f"/people/{full.pk}/record.json"):
        assert client.get(path).status_code == 200
    user = world["coach"]
    assert export.person_record(user, full) == _record_then(user, full)


def _record_then(user: Any, who: Person) -> Any:
    """person_record as it read the record before (the same code over the old rows)."""
    real = export._loaded
    export._loaded = _then_loaded  # type: ignore[assignment]
    try:
        return export.person_record(user, who)
    finally:
        export._loaded = real
