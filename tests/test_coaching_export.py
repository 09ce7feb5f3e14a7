"""A person's whole record, as JSON and as a readable page: complete, permitted, audited."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
    RelationshipChange,
    SafetyPlan,
    SpendRequest,
    Strength,
)
from alongside.core.models import AuditAction, AuditEntry

from .factories import text_of

pytestmark = pytest.mark.django_db


def one_of_everything(sam, coach, shared=("my_coach",), version=1):
    goal = Goal.objects.create(person=sam, words="get my licence back", why_it_matters="kids")
    GoalStep.objects.create(goal=goal, words="book the theory test")
    talk = Conversation.objects.create(
        person=sam, notes="We walked by the river.", reflection="Felt good", written_by=coach
    )
    talk.goals.add(goal)
    Strength.objects.create(person=sam, kind="skill", words="fixing bikes")
    CheckIn.objects.create(person=sam, answers={"life_satisfaction": 6, "anxiety": 4})
    Milestone.objects.create(person=sam, kind="own home", words="keys on Friday")
    spend = SpendRequest.objects.create(
        person=sam, goal=goal, what_for="theory test fee", amount_pence=2300, status="paid"
    )
    Payment.objects.create(spend_request=spend, amount_pence=2300, paid_on=date(2026, 10, 1))
    SafetyPlan.objects.create(
        person=sam, version=version, keeps_me_safe="my sister's number", visible_to=list(shared)
    )
    CircleMember.objects.create(person=sam, name="Job centre", kind="service")
    Barrier.objects.create(person=sam, service="Housing register", what_happened="local rule")


def test_the_json_holds_every_kind_of_entry(world, login):
    sam, coach = world["sam"], world["coach"]
    one_of_everything(sam, coach)
    response = login(coach).get(f"/people/{sam.pk}/record.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="sam-record.json"'
    data = json.loads(response.content)
    assert data["person"]["chosen_name"] == "Sam"
    for key in [
        "relationships",
        "conversations",
        "strengths",
        "goals",
        "check_ins",
        "milestones",
        "spend_requests",
        "safety_plan_versions",
        "circle",
        "barriers",
    ]:
        assert len(data[key]) == 1, key
    assert data["goals"][0]["steps"][0]["words"] == "book the theory test"
    assert data["conversations"][0]["goal_ids"] == [data["goals"][0]["id"]]
    assert data["spend_requests"][0]["payments"][0]["amount_pence"] == 2300
    assert data["check_ins"][0]["answers"] == {"life_satisfaction": 6, "anxiety": 4}


def test_the_printable_page_shows_the_same_record(world, login):
    sam, coach = world["sam"], world["coach"]
    one_of_everything(sam, coach)
    page = text_of(login(coach).get(f"/people/{sam.pk}/record/"))
    for words in [
        "get my licence back",
        "book the theory test",
        "We walked by the river.",
        "fixing bikes",
        '<th scope="col">Life satisfaction (out of 10)</th>',
        "<td>6</td>",
        "keys on Friday",
        "£23",
        "my sister's number",
        "Job centre",
        "Housing register",
    ]:
        assert words in page, words


def test_the_person_downloads_their_own_record(world, login):
    sam = world["sam"]
    one_of_everything(sam, world["coach"], shared=())
    data = json.loads(login(sam.user).get(f"/people/{sam.pk}/record.json").content)
    assert data["safety_plan_versions"][0]["what_keeps_me_safe"] == "my sister's number"


def test_a_safety_plan_not_shared_with_the_coach_stays_out_of_their_export(world, login):
    sam = world["sam"]
    one_of_everything(sam, world["coach"], shared=())
    data = json.loads(login(world["coach"]).get(f"/people/{sam.pk}/record.json").content)
    assert data["safety_plan_versions"] == []
    page = text_of(login(world["coach"]).get(f"/people/{sam.pk}/record/"))
    assert "my sister's number" not in page


def test_export_is_audited_as_an_export(world, login):
    sam = world["sam"]
    login(world["coach"]).get(f"/people/{sam.pk}/record.json")
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.actor_id == world["coach"].pk
    assert entry.person_id == sam.pk


@pytest.mark.parametrize("who", ["other_coach", "second_coach", "commissioner", "listener"])
@pytest.mark.parametrize("path", ["record.json", "record/"])
def test_others_may_not_export(world, login, who, path):
    response = login(world[who]).get(f"/people/{world['sam'].pk}/{path}")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, actor=world[who]).exists()


def test_another_person_may_not_export(world, login):
    response = login(world["alex"].user).get(f"/people/{world['sam'].pk}/record.json")
    assert response.status_code == 403


def test_export_query_count_does_not_grow_with_the_record(world, login):
    sam, coach = world["sam"], world["coach"]
    client = login(coach)
    one_of_everything(sam, coach)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/people/{sam.pk}/record.json")
    for version in range(2, 7):
        one_of_everything(sam, coach, version=version)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/people/{sam.pk}/record.json")
    assert len(few) == len(many)


# --- what people read is in words, not codes (issue 12) -----------------------------------------

# Machine values that must never reach a page or document people read: ISO dates and times,
# snake_case choice codes, a field name's "pence", an instrument's key.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
CODES = re.compile(r"\b[a-z]+_[a-z_]+\b")
NOT_FOR_PEOPLE = ("pence", "ons4", "None", "object (", "True", "False")


def a_record_with_history(sam, coach):
    """Everything, plus what the issue found as codes: a relationship's history (stored as
    choice codes, at a time in winter and one in summer), a correction, a consent choice."""
    one_of_everything(sam, coach)
    relationship = sam.relationships.get()
    RelationshipChange.objects.create(
        relationship=relationship,
        at=datetime(2026, 3, 9, 10, 0, tzinfo=UTC),
        by=coach,
        to_state="getting_to_know",
        intensity="weekly",
    )
    RelationshipChange.objects.create(
        relationship=relationship,
        at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC),  # 13:00 in London (summer time)
        by=coach,
        from_state="getting_to_know",
        to_state="working_together",
        intensity="fortnightly",
    )
    goal = sam.goals.get()
    CorrectionRequest.objects.create(
        person=sam,
        about_type="goal",
        about_id=goal.pk,
        field_name="words",
        as_written="get my licence back",
        asked_for="get my driving licence back",
        status="changed",
        decided_at=datetime(2026, 3, 10, 9, 30, tzinfo=UTC),
    )
    ConsentEvent.objects.create(
        person=sam, choice="share_barriers", given=True, at=datetime(2026, 3, 11, 15, 0, tzinfo=UTC)
    )


def words_people_read(response) -> str:
    """The page's main content as text: tags, link addresses and attributes left out."""
    html = text_of(response)
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def assert_in_words(text: str) -> None:
    assert not ISO_DATE.findall(text), ISO_DATE.findall(text)
    assert not CODES.findall(text), CODES.findall(text)
    for code in NOT_FOR_PEOPLE:
        assert code not in text, code


def test_the_printable_page_is_in_words_not_codes(world, login):
    sam, coach = world["sam"], world["coach"]
    a_record_with_history(sam, coach)
    text = words_people_read(login(coach).get(f"/people/{sam.pk}/record/"))
    assert_in_words(text)
    for words in [
        "Monday 9 March 2026, 10:00: started, getting to know each other",
        "Wednesday 1 July 2026, 13:00: from getting to know each other to working together",
        "About once a fortnight",
        "ONS personal well-being (ONS4)",
        "Life satisfaction (out of 10)",
        "Thursday 1 October 2026",  # the payment
        "Changed as you asked",
        "Tuesday 10 March 2026, 09:30",
        "Share what got in the way, without my name: Yes",
        "My coach",  # who may see the safety plan, by its label
    ]:
        assert words in text, words


def test_the_printable_page_has_a_contents_list_linking_each_part(world, login):
    sam = world["sam"]
    page = text_of(login(world["coach"]).get(f"/people/{sam.pk}/record/"))
    start = page.index('id="contents-title"')
    contents = page[start : page.index("</nav>", start)]
    for anchor, title in [
        ("relationships", "Working together"),
        ("conversations", "Conversations"),
        ("goals", "Goals and steps"),
        ("check-ins", "Check-ins"),
        ("budget", "Personal budget"),
        ("safety-plan", "Safety plan"),
        ("circle", "Circle"),
        ("barriers", "Things that got in the way"),
        ("corrections", "Changes asked for"),
    ]:
        assert f'<a href="#{anchor}">{title}' in contents, anchor
        assert f'<section class="record-part" id="{anchor}"' in page, anchor


def test_the_json_keeps_its_keys_and_iso_values(world, login):
    """The data file is a format other systems read: only what people read changed."""
    sam, coach = world["sam"], world["coach"]
    a_record_with_history(sam, coach)
    data = json.loads(login(coach).get(f"/people/{sam.pk}/record.json").content)
    history = data["relationships"][0]["history"]
    assert history[0]["at"] == "2026-03-09T10:00:00+00:00"
    assert (history[1]["from"], history[1]["to"]) == ("getting_to_know", "working_together")
    assert data["check_ins"][0]["instrument"] == "ons4"
    assert "budget_allocation_pence" in data["person"]
    assert data["spend_requests"][0]["payments"][0]["paid_on"] == "2026-10-01"
    assert data["safety_plan_versions"][0]["who_may_see_it"] == ["my_coach"]


def test_the_persons_own_whole_record_shows_dates_in_words(world, login):
    sam, coach = world["sam"], world["coach"]
    a_record_with_history(sam, coach)
    Conversation.objects.filter(person=sam).update(happened_on=date(2026, 3, 9))
    text = words_people_read(login(sam.user).get("/me/record/"))
    assert "Monday 9 March 2026" in text  # the talk
    assert "Paid £23 on Thursday 1 October 2026" in text
    assert "Changed as you asked, Tuesday 10 March 2026, 09:30" in text
    assert "Working with your coach" in text
    assert not ISO_DATE.findall(text), ISO_DATE.findall(text)


# Session, user, memberships, the person (with their organisation), the policy, the audit
# row, then one read for each part of the record, the same reads as the data file: words cost
# no queries. It was 25, then 22: the coaches and authors come with their rows, and the
# person is not read again.
RECORD_QUERIES = 22


@pytest.mark.parametrize("path", ["record/", "record.pdf"])
def test_the_page_and_pdf_query_count_does_not_grow_with_the_record(world, login, path):
    sam, coach = world["sam"], world["coach"]
    client = login(coach)
    one_of_everything(sam, coach)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/people/{sam.pk}/{path}")
    for version in range(2, 7):
        one_of_everything(sam, coach, version=version)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/people/{sam.pk}/{path}")
    with CaptureQueriesContext(connection) as data_file:
        client.get(f"/people/{sam.pk}/record.json")
    assert len(few) == len(many) == len(data_file)
    assert len(many) <= RECORD_QUERIES, len(many)


# --- the page's repeated fragments, built in Python (issue 11) ----------------------------------

TRICKY = [
    "plain words",
    "a <b>tag</b> & an ampersand, \"quotes\" and 'apostrophes'",
    "one line\nanother\r\nand a third\rand a fourth",
    "",
]


def test_the_fact_and_list_filters_write_what_the_template_loop_wrote():
    from django.template import engines
    from django.utils.safestring import mark_safe

    from alongside.coaching.templatetags.whole_record import bullets, summary_list, table_cells

    loop = engines["django"].from_string(
        '{% if facts %}<dl class="summary-list">{% for label, value in facts %}<div><dt>'
        "{{ label }}</dt><dd>{{ value|linebreaksbr }}</dd></div>{% endfor %}</dl>{% endif %}"
        "|{% if items %}<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>{% endif %}"
    )
    for facts, items in [
        ([(label, value) for label in TRICKY[:2] for value in TRICKY], TRICKY),
        ([("Safe", mark_safe("<em>kept</em>"))], [mark_safe("<em>kept</em>")]),
        ([], []),
    ]:
        assert f"{summary_list(facts)}|{bullets(items)}" == loop.render(
            {"facts": facts, "items": items}
        )
    cells = engines["django"].from_string(
        '{% for cell in row %}{% if forloop.first %}<th scope="row">{{ cell }}</th>'
        "{% else %}<td>{{ cell }}</td>{% endif %}{% endfor %}"
    )
    for row in [TRICKY, TRICKY[:1], []]:
        assert table_cells(row) == cells.render({"row": row})


ME_RECORD_QUERIES = 16


def test_the_persons_own_record_has_a_fixed_query_count(world, login):
    sam, coach = world["sam"], world["coach"]
    client = login(sam.user)
    a_record_with_history(sam, coach)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/me/record/").status_code == 200
    for version in range(2, 7):
        one_of_everything(sam, coach, version=version)
    with CaptureQueriesContext(connection) as many:
        client.get("/me/record/")
    assert len(few) == len(many)
    # Session, user (with their person), the audit row, then one read for each part (a goal's
    # steps and a request's payments in one each), the latest safety plan and corrections. It
    # was 17, with the check-ins counted apart from reading them.
    assert len(many) <= ME_RECORD_QUERIES, len(many)
