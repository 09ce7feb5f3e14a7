"""Live evidence for a portfolio (issue 15, item 3): figures an organisation draws from its own
Alongside records to show how it works, each with a plain definition of how it is counted.

A figure leaves the organisation (its assessor reads it, the export goes to funders), so:

- every count of people or of their records goes through `core.disclosure` (under 10 shown
  as "fewer than 10", the rest rounded to the nearest 5; a table's parts through
  `protect_table`, so a hidden part cannot be worked out from the total);
- a share is worked out from the true counts but shown only with 10 or more on each side of
  it (the part and the rest, a rest of none allowed), and an average only over 10 or more;
- a count of the organisation's own activities, not of people (listening exercises held,
  recommendations made or answered), is shown as it is: it names nobody, and "three
  exercises" is the evidence itself;
- no figure names a person, and records erased at a person's request are left out.

A figure is worked out for one organisation over a period of days (`since` to `until`, both
included) by `compute(organisation, *, since, until)`, and comes back as a `Result`: plain
words, ready for a page or a document, and `as_frozen()` for what a submitted portfolio keeps.

The network sits above convening and insight in the layers (pyproject's import contract), so
it reads convening's recommendations directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from alongside.accounts.models import Organisation
from alongside.coaching.models import (
    Barrier,
    CheckIn,
    ErasureRequest,
    Goal,
    LanguagePromptEvent,
    Payment,
    Relationship,
    RelationshipChange,
    Strength,
)
from alongside.coaching.selectors.me_rights import barriers_for_convening
from alongside.convening.models import Recommendation
from alongside.core.disclosure import THRESHOLD, Cell, protect, protect_table
from alongside.core.money import pounds
from alongside.core.words import LONDON, day_words
from alongside.listening.models import Contribution, Exercise

ERASED = ErasureRequest.Status.DONE
ONS4 = "ons4"
# The ONS personal wellbeing items (coaching/instruments/ons4.json), and which way is better.
ONS4_ITEMS: tuple[tuple[str, str, bool], ...] = (
    ("life_satisfaction", "Life satisfaction", True),
    ("worthwhile", "Feeling that what you do is worthwhile", True),
    ("happiness", "Happiness yesterday", True),
    ("anxiety", "Anxiety yesterday", False),
)
TOO_FEW = "not shown: fewer than 10 behind it"


@dataclass(frozen=True)
class Result:
    """One figure for one organisation and period, in words. `rows` are (label, value) pairs;
    `headline` is the sentence that sums it up, or says why there is no sum."""

    key: str
    title: str
    definition: str
    since: date
    until: date
    headline: str
    rows: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def period(self) -> str:
        return period_words(self.since, self.until)

    def as_frozen(self) -> dict[str, Any]:
        """What a submitted portfolio keeps: the figure as it stood, JSON only."""
        return {
            "key": self.key,
            "title": self.title,
            "definition": self.definition,
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "period": self.period,
            "headline": self.headline,
            "rows": [list(row) for row in self.rows],
            "worked_out_at": timezone.now().isoformat(),
        }


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    definition: str
    work_out: Callable[[Organisation, date, date], tuple[str, Sequence[tuple[str, str]]]]

    def compute(self, organisation: Organisation, *, since: date, until: date) -> Result:
        headline, rows = self.work_out(organisation, since, until)
        return Result(
            key=self.key,
            title=self.title,
            definition=self.definition,
            since=since,
            until=until,
            headline=headline,
            rows=tuple(rows),
        )


# --- helpers ---------------------------------------------------------------------------------


def period_words(since: date, until: date) -> str:
    return f"From {day_words(since)} to {day_words(until)}"


def last_twelve_months(today: date | None = None) -> tuple[date, date]:
    """The period a portfolio shows by default: the year up to and including today."""
    today = today or timezone.localdate()
    try:
        start = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28)
    return start + timedelta(days=1), today


def _moments(since: date, until: date) -> tuple[datetime, datetime]:
    """The first moment of `since` and of the day after `until`, in UK time."""
    return (
        datetime.combine(since, time.min, tzinfo=LONDON),
        datetime.combine(until + timedelta(days=1), time.min, tzinfo=LONDON),
    )


def share_shown(part: int, whole: int) -> bool:
    """Whether a share may be shown: 10 or more on each side of it (the part, and the rest),
    as insight's rates are, so a share can never give away a small count that its rows hide.
    A rest of none is allowed: "all of them" names nobody."""
    rest = whole - part
    return part >= THRESHOLD and (rest >= THRESHOLD or rest == 0)


def share_words(part: int, whole: int) -> str | None:
    """A share in whole per cent, or None when `share_shown` says no."""
    if not share_shown(part, whole):
        return None
    return f"{round(100 * part / whole)}%"


def _not_erased(queryset: QuerySet[Any], person_path: str) -> QuerySet[Any]:
    return queryset.exclude(**{f"{person_path}__erasure_requests__status": ERASED})


def _cell(cell: Cell) -> str:
    return str(cell)


# --- the figures -----------------------------------------------------------------------------


def goals_own_words(org: Organisation, since: date, until: date) -> tuple[str, list]:
    start, end = _moments(since, until)
    goals = _not_erased(
        Goal.objects.filter(person__organisation=org, created_at__gte=start, created_at__lt=end),
        "person",
    )
    counts = goals.aggregate(
        n=Count("pk"),
        own=Count("pk", filter=Q(suggested_by__isnull=True)),
        accepted=Count("pk", filter=Q(suggested_by__isnull=False, accepted_at__isnull=False)),
    )
    n, own, accepted = counts["n"], counts["own"], counts["accepted"]
    waiting = n - own - accepted
    cells, total = protect_table(
        {"own": own, "accepted": accepted, "waiting": waiting} if n else {}
    )
    empty = Cell(None)
    rows = [
        ("Goals written", _cell(total)),
        ("In the person's own words", _cell(cells.get("own", empty))),
        ("Suggested, then accepted by the person", _cell(cells.get("accepted", empty))),
        ("Suggestions not (yet) accepted", _cell(cells.get("waiting", empty))),
    ]
    share = share_words(own + accepted, n)
    if share is None:
        return f"Too few goals to show a share ({total}).", rows
    return f"{share} of goals were in the person's own words or accepted by them.", rows


def started_name_only(org: Organisation, since: date, until: date) -> tuple[str, list]:
    def before_start(model: Any) -> Exists:
        return Exists(
            model.objects.filter(
                person_id=OuterRef("person_id"), created_at__date__lt=OuterRef("started_on")
            )
        )

    started = _not_erased(
        Relationship.objects.filter(organisation=org, started_on__gte=since, started_on__lte=until),
        "person",
    ).annotate(
        had_goal=before_start(Goal),
        had_strength=before_start(Strength),
        had_check_in=before_start(CheckIn),
        had_barrier=before_start(Barrier),
    )
    counts = started.aggregate(
        n=Count("pk"),
        name_only=Count(
            "pk",
            filter=Q(had_goal=False, had_strength=False, had_check_in=False, had_barrier=False),
        ),
    )
    n, name_only = counts["n"], counts["name_only"]
    cells, total = protect_table({"name": name_only, "more": n - name_only} if n else {})
    rows = [
        ("Relationships started", _cell(total)),
        ("Started with only the name the person chose", _cell(cells.get("name", Cell(None)))),
    ]
    share = share_words(name_only, n)
    if share is None:
        return f"Too few relationships started to show a share ({total}).", rows
    return f"{share} of relationships started with a name only.", rows


RESTART_FROM = (Relationship.State.PAUSED, Relationship.State.ENDED)
RESTART_TO = (Relationship.State.WORKING_TOGETHER, Relationship.State.GETTING_TO_KNOW)


def pauses_restarts(org: Organisation, since: date, until: date) -> tuple[str, list]:
    start, end = _moments(since, until)
    changes = _not_erased(
        RelationshipChange.objects.filter(
            relationship__organisation=org, at__gte=start, at__lt=end
        ),
        "relationship__person",
    )
    counts = changes.aggregate(
        pauses=Count("pk", filter=Q(to_state=Relationship.State.PAUSED)),
        restarts=Count("pk", filter=Q(from_state__in=RESTART_FROM, to_state__in=RESTART_TO)),
        endings=Count("pk", filter=Q(to_state=Relationship.State.ENDED)),
    )
    pauses, restarts, endings = counts["pauses"], counts["restarts"], counts["endings"]
    rows = [
        ("Pauses", _cell(protect(pauses))),
        ("Restarts after a pause or an ending", _cell(protect(restarts))),
        ("Endings, by the person's choice", _cell(protect(endings))),
    ]
    kept_open = pauses + restarts
    if kept_open < THRESHOLD or endings < THRESHOLD:
        return "Too few pauses, restarts or endings to compare them.", rows
    ratio = kept_open / endings
    return f"For every ending there were {ratio:.1f} pauses or restarts.", rows


def _own_goal() -> Q:
    return Q(spend_request__goal__isnull=False) & (
        Q(spend_request__goal__suggested_by__isnull=True)
        | Q(spend_request__goal__accepted_at__isnull=False)
    )


def budget_own_goals(org: Organisation, since: date, until: date) -> tuple[str, list]:
    payments = _not_erased(
        Payment.objects.filter(
            spend_request__person__organisation=org, paid_on__gte=since, paid_on__lte=until
        ),
        "spend_request__person",
    )
    counts = payments.aggregate(
        n=Count("pk"),
        pence=Sum("amount_pence"),
        own_n=Count("pk", filter=_own_goal()),
        own_pence=Sum("amount_pence", filter=_own_goal()),
    )
    n, own_n = counts["n"], counts["own_n"]
    pence, own_pence = counts["pence"] or 0, counts["own_pence"] or 0
    shown = n >= THRESHOLD
    rows = [
        ("Payments from personal budgets", _cell(protect(n))),
        ("Paid in all", pounds(pence) if shown else TOO_FEW),
        ("Payments towards a goal that is the person's own", _cell(protect(own_n))),
    ]
    if not share_shown(own_n, n) or pence == 0:
        return "Too few payments to show how much went to people's own goals.", rows
    share = round(100 * own_pence / pence)
    return f"{share}% of the money paid went towards people's own goals.", rows


def wellbeing_change(org: Organisation, since: date, until: date) -> tuple[str, list]:
    """First to latest check-in, per person and per ONS4 item: a person counts for an item
    when they answered it at least twice, the latest time within the period."""
    check_ins = _not_erased(
        CheckIn.objects.filter(person__organisation=org, instrument=ONS4, taken_on__lte=until),
        "person",
    ).order_by("person_id", "taken_on", "pk")
    first: dict[tuple[int, str], float] = {}
    latest: dict[tuple[int, str], tuple[date, float]] = {}
    times: dict[tuple[int, str], int] = {}
    for person_id, taken_on, answers in check_ins.values_list("person_id", "taken_on", "answers"):
        for item, _, _ in ONS4_ITEMS:
            value = (answers or {}).get(item)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            key = (person_id, item)
            first.setdefault(key, float(value))
            latest[key] = (taken_on, float(value))
            times[key] = times.get(key, 0) + 1
    rows: list[tuple[str, str]] = []
    people: set[int] = set()
    headline = ""
    for item, label, higher_better in ONS4_ITEMS:
        changes = [
            latest[key][1] - first[key]
            for key in latest
            if key[1] == item and times[key] >= 2 and latest[key][0] >= since
        ]
        people.update(
            key[0]
            for key in latest
            if key[1] == item and times[key] >= 2 and latest[key][0] >= since
        )
        if len(changes) < THRESHOLD:
            rows.append((label, TOO_FEW))
            continue
        mean = sum(changes) / len(changes)
        better = (mean > 0) == higher_better and abs(mean) >= 0.05
        rows.append(
            (
                label,
                f"{mean:+.1f} points on average (0 to 10), {protect(len(changes))} people"
                + (", better" if better else ""),
            )
        )
        if item == "life_satisfaction":
            headline = f"Life satisfaction changed by {mean:+.1f} points on average."
    rows.insert(0, ("People with a first and a latest check-in", _cell(protect(len(people)))))
    return headline or "Too few people with two check-ins to show a change.", rows


def _halves(since: date, until: date) -> tuple[tuple[date, date], tuple[date, date]]:
    middle = since + (until - since) // 2
    return (since, middle), (middle + timedelta(days=1), until)


def language_prompts(org: Organisation, since: date, until: date) -> tuple[str, list]:
    (a_from, a_to), (b_from, b_to) = _halves(since, until)
    counts = LanguagePromptEvent.objects.filter(
        organisation=org, on__gte=since, on__lte=until
    ).aggregate(
        first=Count("pk", filter=Q(on__lte=a_to)),
        second=Count("pk", filter=Q(on__gte=b_from)),
        changed=Count("pk", filter=Q(kept_words=False)),
    )
    first, second, changed = counts["first"], counts["second"], counts["changed"]
    rows = [
        (f"Prompts from {day_words(a_from)} to {day_words(a_to)}", _cell(protect(first))),
        (f"Prompts from {day_words(b_from)} to {day_words(b_to)}", _cell(protect(second))),
        ("Times the writer changed their words", _cell(protect(changed))),
    ]
    total = first + second
    share = share_words(changed, total)
    if share is not None:
        rows.append(("Share of prompts that led to different words", share))
    if first < THRESHOLD or second < THRESHOLD:
        return "Too few prompts to show a trend.", rows
    if second < first * 0.9:
        trend = "The prompt was needed less often in the second half of the period."
    elif second > first * 1.1:
        trend = "The prompt was needed more often in the second half of the period."
    else:
        trend = "The prompt was needed about as often in both halves of the period."
    return trend, rows


def barriers_recommendations(org: Organisation, since: date, until: date) -> tuple[str, list]:
    start, end = _moments(since, until)
    recorded = _not_erased(
        Barrier.objects.filter(person__organisation=org, created_at__gte=start, created_at__lt=end),
        "person",
    ).count()
    shared = _not_erased(
        barriers_for_convening(org).filter(created_at__gte=start, created_at__lt=end), "person"
    ).count()
    sent = Recommendation.objects.filter(sent_at__gte=start, sent_at__lt=end)

    def made_and_answered(queryset: QuerySet[Any]) -> dict[str, int]:
        return {
            "n": queryset.count(),
            "answered": queryset.filter(answers__isnull=False).distinct().count(),
        }

    made = made_and_answered(sent.filter(organisation=org))
    to_us = made_and_answered(sent.filter(addressed_to=org))
    rows = [
        ("Barriers recorded", _cell(protect(recorded))),
        ("Shared, with the person's agreement, to help change things", _cell(protect(shared))),
        ("Recommendations we made", f"{made['n']}"),
        ("of them answered", f"{made['answered']}"),
        ("Recommendations made to us", f"{to_us['n']}"),
        ("of them answered by us", f"{to_us['answered']}"),
    ]
    share = share_words(shared, recorded)
    if share is not None:
        headline = f"{share} of barriers were shared to help change things."
    else:
        headline = "Too few barriers to show a share."
    if made["n"]:
        headline += f" {made['answered']} of {made['n']} recommendations we made were answered."
    return headline, rows


def listening_exercises(org: Organisation, since: date, until: date) -> tuple[str, list]:
    held = Exercise.objects.filter(
        organisation=org, starts_on__isnull=False, starts_on__lte=until
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))
    n = held.count()
    heard = Contribution.objects.filter(exercise__in=held).count()
    rows = [
        ("Listening exercises held", f"{n}"),
        ("Contributions heard", _cell(protect(heard))),
    ]
    if n == 0:
        return "No listening exercises in this period.", rows
    return f"{n} listening exercise{'s' if n != 1 else ''} held in this period.", rows


FIGURES: dict[str, Figure] = {
    figure.key: figure
    for figure in (
        Figure(
            "goals_own_words",
            "Goals in the person's own words",
            "Goals written in the period. A goal counts when the person wrote it, or when a "
            "coach suggested it and the person accepted it; a suggestion not yet accepted "
            "does not.",
            goals_own_words,
        ),
        Figure(
            "started_name_only",
            "Relationships started with a name only",
            "Coaching relationships started in the period, and how many began with nothing "
            "recorded about the person but the name they chose: no goal, strength, check-in "
            "or barrier written down before the day it started.",
            started_name_only,
        ),
        Figure(
            "pauses_restarts",
            "Pauses and restarts against endings",
            "Changes to coaching relationships in the period: pauses, restarts (working "
            "together again after a pause or an ending, with no new referral) and endings "
            "(always by the person's choice). More pauses and restarts than endings means the "
            "door stays open.",
            pauses_restarts,
        ),
        Figure(
            "budget_own_goals",
            "Personal budget spent on people's own goals",
            "Payments from people's personal budgets made in the period. A payment counts "
            "towards a person's own goal when its request is linked to a goal they wrote or "
            "accepted. The share is of the money paid.",
            budget_own_goals,
        ),
        Figure(
            "wellbeing_change",
            "Change in wellbeing",
            "The ONS personal wellbeing questions (0 to 10), from each person's first check-in "
            "to their latest, for people whose latest check-in fell in the period and who "
            "answered the question at least twice. For anxiety, lower is better.",
            wellbeing_change,
        ),
        Figure(
            "language_prompts",
            "The language prompt over time",
            "How often the language prompt gently questioned a word that describes people "
            "as problems, in the first and second halves of the period, and how often the "
            "writer then chose different words. The prompt records no person, writer or text.",
            language_prompts,
        ),
        Figure(
            "barriers_recommendations",
            "Barriers shared and recommendations answered",
            "Barriers recorded in the period, and how many are shared for change with the "
            "person's agreement (a withdrawal takes one out at once); recommendations sent in "
            "the period, by us and to us, and how many have an answer. Recommendations are "
            "the organisation's own work, not people, so they are counted exactly.",
            barriers_recommendations,
        ),
        Figure(
            "listening_exercises",
            "Listening exercises held",
            "Listening exercises that were running at some time in the period, counted "
            "exactly (they are the organisation's own work), and the contributions heard in "
            "them.",
            listening_exercises,
        ),
    )
}


def compute(key: str, organisation: Organisation, *, since: date, until: date) -> Result | None:
    figure = FIGURES.get(key)
    if figure is None:
        return None
    return figure.compute(organisation, since=since, until=until)
