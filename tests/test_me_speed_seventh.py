"""Who has looked, read through queries written once (core.written), says what the queries
the ORM built each time said, and the safety plan on /me/record/, written in Python, is what
the template wrote: the old ways are kept here and compared with the new."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models.functions import TruncDate
from django.template import engines

from alongside.accounts.models import User
from alongside.coaching.models import SafetyPlan
from alongside.coaching.selectors import me_rights
from alongside.coaching.selectors.me_rights import Line, _who, who_has_looked
from alongside.coaching.templatetags.me_pages import safety_plan_facts
from alongside.core import audit
from alongside.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def _what_then(entry: Any) -> str:
    return me_rights._what(entry.action, entry.object_type, entry.detail)


def _who_has_looked_then(person: Any, limit: int) -> list[tuple[str, Any, int]]:
    """who_has_looked as it was, with each query built by the ORM on every call."""
    entries = list(
        AuditEntry.objects.filter(person_id=person.pk)
        .order_by("-at", "-id")
        .annotate(on=TruncDate("at"))
        .values_list("on", "action", "object_type", "detail", "actor_id", named=True)[:limit]
    )
    actor_ids = {e.actor_id for e in entries if e.actor_id}
    coach_ids = set(person.relationships.values_list("coach_id", flat=True))
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
    lines: dict[tuple[Any, ...], Line] = {}
    for entry in entries:
        if entry.action == AuditAction.DENIED:
            sentence = "Someone who may not see your record tried to open it, and was stopped"
            key: tuple[Any, ...] = ("denied", entry.on)
        else:
            who = _who(entry.actor_id, actors, person, coach_ids, held)
            sentence = f"{who} {_what_then(entry)}"
            key = (entry.actor_id, sentence, entry.on)
        if key in lines:
            lines[key].times += 1
        else:
            lines[key] = Line(sentence, entry.on)
    return [(line.text, line.on, line.times) for line in lines.values()]


def _said(lines: list[Line]) -> list[tuple[str, Any, int]]:
    return [(line.text, line.on, line.times) for line in lines]


def _entries(world: dict[str, Any]) -> None:
    sam = world["sam"]
    for user in (world["coach"], world["lead"], world["second_coach"]):
        audit.record(user, AuditAction.VIEW, sam, detail="goal")
        audit.record(user, AuditAction.CHANGE, sam, detail="spend approved")
        audit.record(user, AuditAction.EXPORT, sam, detail="")
    audit.record(sam.user, AuditAction.VIEW, sam, detail="my space everything")
    audit.record(world["alex"].user, AuditAction.DENIED, sam, detail="person.view")
    audit.record(world["alex"].user, AuditAction.VIEW, sam, detail="circle")
    audit.record(None, AuditAction.CREATE, sam, detail="invite code")
    audit.record(world["coach"], AuditAction.VIEW, world["alex"], detail="record")


def test_who_has_looked_says_what_it_said(world):
    _entries(world)
    sam = world["sam"]
    assert _said(who_has_looked(sam)) == _who_has_looked_then(sam, 200)
    assert len(who_has_looked(sam)) > 4


@pytest.mark.parametrize("limit", [1, 3, 7])
def test_a_shorter_window_says_what_it_said(world, limit):
    _entries(world)
    sam = world["sam"]
    assert _said(who_has_looked(sam, limit)) == _who_has_looked_then(sam, limit)


# The safety plan on /me/record/ as the template wrote it before `safety_plan_facts`.
_PLAN_THEN = """<dl class="facts">
    {% if safety_plan.keeps_me_safe %}<dt>What keeps you safe</dt><dd>{{ safety_plan.keeps_me_safe|linebreaksbr }}</dd>{% endif %}
    {% if safety_plan.early_signs %}<dt>Early signs that things are getting hard</dt><dd>{{ safety_plan.early_signs|linebreaksbr }}</dd>{% endif %}
    {% if safety_plan.what_helps %}<dt>What helps</dt><dd>{{ safety_plan.what_helps|linebreaksbr }}</dd>{% endif %}
    {% if safety_plan.who_to_contact %}<dt>Who you'd like contacted</dt><dd>{{ safety_plan.who_to_contact|linebreaksbr }}</dd>{% endif %}
    {% if safety_plan.what_others_can_do %}<dt>What you'd like others to do</dt><dd>{{ safety_plan.what_others_can_do|linebreaksbr }}</dd>{% endif %}
  </dl>"""  # noqa: E501

_AWKWARD = "<b>Tom & 'Jo'</b> \"quoted\"\r\nnext\rline\n\nlast"


@pytest.mark.parametrize(
    "parts",
    [
        {},
        {"keeps_me_safe": "walks"},
        {"early_signs": _AWKWARD, "who_to_contact": "my sister\nor my brother"},
        {
            "keeps_me_safe": _AWKWARD,
            "early_signs": "not sleeping",
            "what_helps": "music\r\nwalks",
            "who_to_contact": _AWKWARD,
            "what_others_can_do": "ask me",
        },
    ],
)
def test_the_safety_plan_is_written_as_the_template_wrote_it(parts):
    plan = SafetyPlan(**parts)
    then = engines["django"].from_string(_PLAN_THEN).render({"safety_plan": plan})
    assert safety_plan_facts(plan) == then
