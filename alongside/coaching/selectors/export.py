"""A person's whole record as plain data: the JSON download and the printable page.

One shape for both, so the document can never show less than the JSON (or more)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch

from ..models import Goal, Person, SafetyPlan, SpendRequest

FORMAT_VERSION = 1


def _who(user: Any) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.first_name or user.username


def _day(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def safety_plans_for(user: Any, plans: list[SafetyPlan]) -> list[SafetyPlan]:
    """All versions, when the person's latest choice lets this user read the plan; else none.
    One rule for the page and the export: the policy's SAFETY_PLAN_VIEW."""
    from alongside.accounts.policy import Action, can

    latest = max(plans, key=lambda plan: plan.version, default=None)
    return plans if can(user, Action.SAFETY_PLAN_VIEW, latest) else []


def person_export(user: Any, person: Person) -> dict[str, Any]:
    """Everything recorded about `person` that `user` may see, as JSON-ready data."""
    person = (
        Person.objects.select_related("organisation")
        .prefetch_related(
            "relationships__coach",
            "relationships__changes__by",
            Prefetch("conversations__goals", queryset=Goal.objects.only("id")),
            "conversations__written_by",
            "strengths",
            "goals__steps",
            "check_ins",
            "milestones",
            Prefetch(
                "spend_requests",
                queryset=SpendRequest.objects.select_related("goal", "decided_by").prefetch_related(
                    "payments"
                ),
            ),
            "safety_plans",
            "circle",
            "barriers",
            "corrections",
            "consent_events",
        )
        .get(pk=person.pk)
    )
    plans = safety_plans_for(user, list(person.safety_plans.all()))
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
                "coach": _who(rel.coach),
                "state": rel.get_state_display(),
                "how_often_we_meet": rel.get_intensity_display(),
                "started_on": _day(rel.started_on),
                "keep_in_touch": rel.keep_in_touch,
                "last_contact_on": _day(rel.last_contact_on),
                "next_meeting_on": _day(rel.next_meeting_on),
                "history": [
                    {
                        "at": _day(change.at),
                        "by": _who(change.by),
                        "from": change.from_state,
                        "to": change.to_state,
                        "how_often_we_meet": change.intensity,
                        "note": change.note,
                    }
                    for change in rel.changes.all()
                ],
            }
            for rel in person.relationships.all()
        ],
        "conversations": [
            {
                "happened_on": _day(c.happened_on),
                "place": c.place,
                "notes": c.notes,
                "reflection": c.reflection,
                "written_by": _who(c.written_by),
                "goal_ids": [g.pk for g in c.goals.all()],
            }
            for c in person.conversations.all()
        ],
        "strengths": [
            {"kind": s.get_kind_display(), "words": s.words, "added_on": _day(s.created_at)}
            for s in person.strengths.all()
        ],
        "goals": [
            {
                "id": g.pk,
                "words": g.words,
                "why_it_matters": g.why_it_matters,
                "status": g.get_status_display(),
                "suggested_not_yet_accepted": g.is_suggestion,
                "hoped_by": _day(g.hoped_by),
                "achieved_on": _day(g.achieved_on),
                "steps": [{"words": s.words, "done_on": _day(s.done_on)} for s in g.steps.all()],
            }
            for g in person.goals.all()
        ],
        "check_ins": [
            {
                "instrument": c.instrument,
                "instrument_version": c.instrument_version,
                "taken_on": _day(c.taken_on),
                "answers": c.answers,
            }
            for c in person.check_ins.all()
        ],
        "milestones": [
            {"kind": m.kind, "words": m.words, "happened_on": _day(m.happened_on)}
            for m in person.milestones.all()
        ],
        "spend_requests": [
            {
                "what_for": s.what_for,
                "category": s.category,
                "amount_pence": s.amount_pence,
                "goal_id": s.goal_id,
                "status": s.get_status_display(),
                "asked_on": _day(s.created_at),
                "decided_by": _who(s.decided_by),
                "decided_at": _day(s.decided_at),
                "decision_note": s.decision_note,
                "payments": [
                    {
                        "amount_pence": p.amount_pence,
                        "paid_on": _day(p.paid_on),
                        "has_receipt": bool(p.receipt),
                    }
                    for p in s.payments.all()
                ],
            }
            for s in person.spend_requests.all()
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
                "kind": m.get_kind_display(),
                "about": m.about,
                "happy_to_be_contacted": m.consent_to_contact,
                "since": _day(m.since),
                "until": _day(m.until),
            }
            for m in person.circle.all()
        ],
        "barriers": [
            {
                "service_or_rule": b.service,
                "happened_on": _day(b.happened_on),
                "what_happened": b.what_happened,
                "what_we_did": b.get_response_display() if b.response else "",
                "what_we_did_in_words": b.what_we_did,
                "outcome": b.outcome,
                "shared_anonymously_with_convening": b.share_with_convening,
            }
            for b in person.barriers.all()
        ],
        "corrections": [
            {
                "about": c.about_type,
                "as_written": c.as_written,
                "asked_for": c.asked_for,
                "why": c.why,
                "status": c.get_status_display(),
                "reply": c.reply,
                "decided_at": _day(c.decided_at),
            }
            for c in person.corrections.all()
        ],
        "choices": [
            {
                "choice": e.get_choice_display(),
                "about": e.scope,
                "given": e.given,
                "at": _day(e.at),
            }
            for e in sorted(person.consent_events.all(), key=lambda e: (e.at, e.pk))
        ],
    }
