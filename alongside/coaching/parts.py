"""The one list of the parts of a person's record.

The URLs, the person page, the whole-record reads, the export and erasure are all derived
from `PARTS`, so a new part is added here once (see ARCHITECTURE.md, "Where to add things").
`tests/test_record_parts.py` walks every model that holds personal data and fails if one is
not in a part here, if the export leaves it out, or if erasure leaves its words behind."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType
from typing import Any

from django.db import models

from . import models as m


@dataclass(frozen=True)
class Holds:
    """One model of a part: how to reach the person from it, and what erasure blanks."""

    model: type[models.Model]
    to_person: str = "person"  # the lookup from this model to the Person it belongs to
    blank: dict[str, Any] = field(default_factory=dict)  # erasure: field -> empty value
    files: tuple[str, ...] = ()  # file fields: erasure deletes the files themselves


@dataclass(frozen=True)
class Part:
    name: str
    holds: tuple[Holds, ...]
    export_keys: tuple[str, ...]  # keys of selectors.export.person_export it fills
    partials: tuple[str, ...] = ()  # templates/coaching/person/_<name>.html, in page order
    views: str = ""  # coaching.views.<views>: its own urlpatterns
    selector: str = ""  # coaching.selectors.<selector>: for_record(person) for the person page

    def views_module(self) -> ModuleType | None:
        return import_module(f"alongside.coaching.views.{self.views}") if self.views else None

    def selector_module(self) -> ModuleType | None:
        return (
            import_module(f"alongside.coaching.selectors.{self.selector}")
            if self.selector
            else None
        )


PARTS: tuple[Part, ...] = (
    Part(
        name="corrections",
        holds=(
            Holds(
                m.CorrectionRequest,
                blank={"as_written": "", "asked_for": "", "why": "", "reply": ""},
            ),
        ),
        export_keys=("corrections",),
        partials=("_corrections.html",),
        selector="corrections",
    ),
    Part(
        name="relationships",
        holds=(
            Holds(m.Relationship, blank={"keep_in_touch": ""}),
            Holds(m.RelationshipChange, to_person="relationship__person", blank={"note": ""}),
        ),
        export_keys=("relationships",),
        partials=("_relationships.html",),
        views="relationships",
        selector="relationships",
    ),
    Part(
        name="goals",
        holds=(
            Holds(m.Goal, blank={"words": "", "why_it_matters": ""}),
            Holds(m.GoalStep, to_person="goal__person", blank={"words": ""}),
            Holds(m.Strength, blank={"words": ""}),
            Holds(m.Milestone, blank={"words": ""}),
        ),
        export_keys=("goals", "strengths", "milestones"),
        partials=("_goals.html", "_strengths.html", "_milestones.html"),
        views="goals",
        selector="goals",
    ),
    Part(
        name="conversations",
        holds=(Holds(m.Conversation, blank={"place": "", "notes": "", "reflection": ""}),),
        export_keys=("conversations",),
        partials=("_conversations.html",),
        views="conversations",
        selector="conversations",
    ),
    Part(
        name="checkins",
        # Answers are numbers on a scale, kept for counts and charts; no words to blank.
        holds=(Holds(m.CheckIn),),
        export_keys=("check_ins",),
        partials=("_checkins.html",),
        views="checkins",
        selector="checkins",
    ),
    Part(
        name="budgets",
        holds=(
            Holds(m.SpendRequest, blank={"what_for": "", "decision_note": ""}),
            Holds(m.Payment, to_person="spend_request__person", files=("receipt",)),
        ),
        export_keys=("spend_requests",),
        partials=("_budget.html",),
        views="budgets",
        selector="budgets",
    ),
    Part(
        name="safety",
        holds=(
            Holds(
                m.SafetyPlan,
                blank={
                    "keeps_me_safe": "",
                    "early_signs": "",
                    "what_helps": "",
                    "who_to_contact": "",
                    "what_others_can_do": "",
                },
            ),
        ),
        export_keys=("safety_plan_versions",),
        partials=("_safety.html",),
        views="safety",
        selector="safety",
    ),
    Part(
        name="circle",
        holds=(Holds(m.CircleMember, blank={"name": "", "about": ""}),),
        export_keys=("circle",),
        partials=("_circle.html",),
        views="circle",
        selector="circle",
    ),
    Part(
        name="barriers",
        holds=(
            Holds(
                m.Barrier,
                blank={
                    "service": "",
                    "what_happened": "",
                    "what_we_did": "",
                    "outcome": "",
                    "share_with_convening": False,
                },
            ),
        ),
        export_keys=("barriers",),
        partials=("_barriers.html",),
        views="barriers",
        selector="barriers",
    ),
    Part(
        name="choices",
        # Consent events are append-only (erasure adds withdrawals, it never edits them);
        # erasure requests hold who asked and when, and no words of the person's.
        holds=(Holds(m.ConsentEvent), Holds(m.ErasureRequest, blank={"reason": ""})),
        export_keys=("choices",),
    ),
    Part(name="export", holds=(), export_keys=(), views="export"),
)


def person_partials() -> list[str]:
    """The person page's sections, in order."""
    return [f"coaching/person/{partial}" for part in PARTS for partial in part.partials]


def all_holds() -> list[Holds]:
    return [holds for part in PARTS for holds in part.holds]
