"""The pages the bench times: the key pages of every module. Add yours here when an issue
adds a page; `make bench` and tests/test_query_budgets_scale.py pick it up.

`path` may name placeholders in braces; `placeholders()` fills them in after seeding.
`user` is a demo username from alongside/demo/sign_ins.py (None: signed out).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    path: str
    user: str | None
    module: str = ""

    @property
    def key(self) -> str:
        """How the results name this page: who asks for which path."""
        return f"{self.user or 'signed out'} {self.path}"


# The framework floor: no session, one `SELECT 1`, a few bytes of JSON.
FLOOR = Page("/healthz", None, "core")

PAGES: list[Page] = [
    # Each role's home page.
    Page("/", "priya", "home"),
    Page("/", "morag", "home"),
    Page("/", "dee", "home"),
    Page("/", "kofi", "home"),
    Page("/", "aisha", "home"),
    Page("/", "sam", "home"),
    Page("/area/", "aisha", "home"),
    # The lead's list behind the numbers on their home.
    Page("/everyone/", "morag", "home"),
    Page("/everyone/?show=quiet", "morag", "home"),
    # Coaching: Priya's people, and two records: Sam's (hand-written, topped up to the
    # average size) and the biggest record in Priya's caseload.
    Page("/people/", "priya", "coaching"),
    Page("/people/?q=sa", "priya", "coaching"),
    Page("/people/{sam_person_id}/", "priya", "coaching"),
    Page("/people/{busiest_person_id}/", "priya", "coaching"),
    Page("/people/{sam_person_id}/record/", "priya", "coaching"),
    Page("/people/{busiest_person_id}/record/", "priya", "coaching"),
    Page("/people/{sam_person_id}/record.json", "priya", "coaching"),
    Page("/people/{sam_person_id}/budget/", "priya", "coaching"),
    Page("/people/{sam_person_id}/conversations/add/", "priya", "coaching"),
    Page("/people/{sam_person_id}/strengths/", "priya", "coaching"),
    Page("/people/{sam_person_id}/check-ins/", "priya", "coaching"),
    Page("/people/{sam_person_id}/check-ins/add/?instrument=ons4", "priya", "coaching"),
    Page("/people/language/", "morag", "coaching"),
    Page("/people/budget/ledger/", "morag", "coaching"),
    # The lead's organisation page (accounts).
    Page("/accounts/organisation/", "morag", "accounts"),
    # The lead's audit trail: its newest page, and one kind of action across every row.
    Page("/audit/", "morag", "home"),
    Page("/audit/?kind=stopped", "morag", "home"),
    # The person's own space.
    Page("/me/", "sam", "me"),
    Page("/me/record/", "sam", "me"),
    Page("/me/who-has-looked/", "sam", "me"),
    # Listening: the exercises, the demo exercise and its published report, and the bench's
    # exercise of 2,000 contributions.
    Page("/listening/", "kofi", "listening"),
    Page("/listening/{exercise_id}/", "kofi", "listening"),
    Page("/listening/{exercise_id}/contributions/", "kofi", "listening"),
    Page("/listening/{exercise_id}/themes/", "kofi", "listening"),
    Page("/listening/{exercise_id}/report/", "kofi", "listening"),
    Page("/listening/reports/{report_token}/", None, "listening"),
    Page("/listening/{big_exercise_id}/", "kofi", "listening"),
    Page("/listening/{big_exercise_id}/contributions/", "kofi", "listening"),
    # Convening: Dee's home (overdue answers, the four places learning lands, themes with live
    # counts) and the demo's biggest system theme, with every shared barrier placed in it.
    Page("/convening/", "dee", "convening"),
    Page("/convening/themes/{system_theme_id}/", "dee", "convening"),
    # The network (issue 15): Lena's home (the network's, where its staff land) and her queue
    # of portfolios; a member's events; the public directory and its Open Referral UK API.
    Page("/network/", "lena", "network"),
    Page("/network/assessing/", "lena", "network"),
    Page("/network/events/", "priya", "network"),
    Page("/directory/", None, "network"),
    Page("/directory/?q=housing", None, "network"),
    Page("/openreferral/services", None, "network"),
    # The API's health check, signed out.
    Page("/api/health", None, "api"),
]


def placeholders() -> dict[str, object]:
    """Values for the braces in PAGES, read from the freshly seeded database."""
    from django.db.models import Count

    from alongside.coaching.models import Person
    from alongside.convening.models import SystemTheme
    from alongside.demo.convening import SYSTEM_THEMES
    from alongside.demo.listening import TITLE
    from alongside.listening.models import Exercise

    from .seed_large import EXERCISE_TITLE

    exercise = Exercise.objects.select_related("report").get(title=TITLE)
    big = Exercise.objects.filter(title=EXERCISE_TITLE).first() or exercise
    sam = Person.objects.get(user__username="sam")
    busiest = (
        Person.objects.filter(relationships__coach__username="priya")
        .exclude(pk=sam.pk)
        .annotate(talks=Count("conversations"))
        .order_by("-talks", "pk")
        .first()
    ) or sam
    return {
        "sam_person_id": sam.pk,
        "busiest_person_id": busiest.pk,
        "exercise_id": exercise.pk,
        "big_exercise_id": big.pk,
        "report_token": exercise.report.public_token,
        "system_theme_id": SystemTheme.objects.get(title=SYSTEM_THEMES[0].title).pk,
    }
