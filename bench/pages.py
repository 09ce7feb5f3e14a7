"""The pages the bench times. Add yours here when an issue adds a page.

`path` may name placeholders in braces; `placeholders()` fills them in after seeding.
`user` is a demo username from alongside/core/demo_accounts.py (None: signed out).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    path: str
    user: str | None


PAGES: list[Page] = [
    # Each role's home page.
    Page("/", "priya"),
    Page("/", "morag"),
    Page("/", "dee"),
    Page("/", "kofi"),
    Page("/", "aisha"),
    Page("/", "lena"),
    Page("/", "sam"),
    # Coaching.
    Page("/people/", "priya"),
    Page("/people/?q=sa", "priya"),
    Page("/people/{sam_person_id}/", "priya"),
    Page("/people/{sam_person_id}/record/", "priya"),
    Page("/people/{sam_person_id}/record.json", "priya"),
    Page("/people/{sam_person_id}/budget/", "priya"),
    Page("/people/{sam_person_id}/conversations/add/", "priya"),
    Page("/people/{sam_person_id}/strengths/", "priya"),
    Page("/people/{sam_person_id}/check-ins/", "priya"),
    Page("/people/{sam_person_id}/check-ins/add/?instrument=ons4", "priya"),
    Page("/people/language/", "morag"),
    Page("/people/budget/ledger/", "morag"),
    # The person's own space.
    Page("/me/", "sam"),
    Page("/me/record/", "sam"),
    Page("/me/who-has-looked/", "sam"),
    # Listening: the demo exercise and its published report.
    Page("/listening/{exercise_id}/", "kofi"),
    Page("/listening/{exercise_id}/contributions/", "kofi"),
    Page("/listening/{exercise_id}/themes/", "kofi"),
    Page("/listening/{exercise_id}/report/", "kofi"),
    Page("/listening/reports/{report_token}/", None),
    # Health checks, signed out.
    Page("/healthz", None),
    Page("/api/health", None),
]


def placeholders() -> dict[str, object]:
    """Values for the braces in PAGES, read from the freshly seeded database."""
    from alongside.coaching.models import Person
    from alongside.demo.listening import TITLE
    from alongside.listening.models import Exercise

    exercise = Exercise.objects.select_related("report").get(title=TITLE)
    return {
        "sam_person_id": Person.objects.get(user__username="sam").pk,
        "exercise_id": exercise.pk,
        "report_token": exercise.report.public_token,
    }
