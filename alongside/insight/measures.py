"""Measures from Alongside's own data, for tracking what good looks like in an area (issue 14,
item 5).

Each measure is worked out live, month by month over the last 12 months, from the coaching
records of the provider organisations in the area that agree to share their coaching figures
(`Organisation.shares_coaching_figures_in_area`). An organisation that does not share adds
nothing, not even to a total. Records erased at the person's request are left out.

Every month leaves here already protected (`core.disclosure`): the count behind it (`n`) is a
`Cell`, and a month with fewer than 10 behind it has no value at all. Values are worked out
from the true counts, as the issue asks; only counts are rounded.

Each measure is one aggregate query, grouped by month in the database, whatever the number of
people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from django.db.models import (
    Avg,
    Count,
    DateField,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from alongside.accounts.models import Area, Organisation
from alongside.coaching.models import (
    Barrier,
    CheckIn,
    ErasureRequest,
    Goal,
    Person,
    Relationship,
    RelationshipChange,
)
from alongside.core.disclosure import Cell, protect
from alongside.core.words import LONDON, MONTHS

MONTHS_SHOWN = 12
ERASED = ErasureRequest.Status.DONE
RESTARTED_FROM = (Relationship.State.PAUSED, Relationship.State.ENDED)
NOT_ANSWERED = ("", Barrier.Response.NOTHING_YET)
ONS4 = "ons4"
LIFE_SATISFACTION = "life_satisfaction"  # the item's key in coaching/instruments/ons4.json


class MonthValue(NamedTuple):
    """One month of a measure: (month_start, value, n). `value` is None when fewer than 10
    are behind it; `n` is the protected count ("fewer than 10", or rounded to 5)."""

    month: date
    value: float | None
    n: Cell


@dataclass(frozen=True)
class Measure:
    """A measure in the registry: its title, a sentence of what it counts, and the function
    that works it out, `function(area, months) -> list[MonthValue]`. `unit` says how a value
    reads: "share" (per cent), "count" or "points" (a change on a 0 to 10 scale); `counts`
    names what `n` counts ("goals started")."""

    key: str
    title: str
    sentence: str
    function: Callable[[Area, list[date]], list[MonthValue]]
    unit: str
    counts: str


def last_months(today: date | None = None, count: int = MONTHS_SHOWN) -> list[date]:
    """The first days of the last `count` months, oldest first, this month last."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return starts[::-1]


def month_words(month: date) -> str:
    """date(2026, 11, 1) → "November 2026"."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def sharing_organisations(area: Area) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        area=area,
        kind=Organisation.Kind.PROVIDER,
        shares_coaching_figures_in_area=True,
    )


def _window(months: list[date]) -> tuple[Any, Any]:
    """The first moment of the first month and of the month after the last, in UK time."""
    from datetime import datetime

    first, last = months[0], months[-1]
    after = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    return (
        datetime(first.year, first.month, first.day, tzinfo=LONDON),
        datetime(after.year, after.month, after.day, tzinfo=LONDON),
    )


def _month_of(value: Any) -> date:
    # TruncMonth gives a date on one database and a datetime on another.
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    return value


def _by_month(
    months: list[date],
    rows: Iterable[Any],
    value_of: Callable[[Any], float | None],
) -> list[MonthValue]:
    """A value for every month asked for (an empty month has n 0, so no value), each behind
    the disclosure threshold."""
    found = {_month_of(row["month"]): row for row in rows}
    out = []
    for month in months:
        row = found.get(month)
        n = int(row["n"]) if row else 0
        cell = protect(n)
        value = value_of(row) if row and not cell.suppressed else None
        out.append(MonthValue(month, None if value is None else round(value, 2), cell))
    return out


def goals_own_words(area: Area, months: list[date]) -> list[MonthValue]:
    start, end = _window(months)
    rows = (
        Goal.objects.filter(
            person__organisation__in=sharing_organisations(area),
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(person__erasure_requests__status=ERASED)
        .annotate(month=TruncMonth("created_at", output_field=DateField(), tzinfo=LONDON))
        .values("month")
        .annotate(n=Count("pk"), own=Count("pk", filter=Q(suggested_by__isnull=True)))
        .order_by("month")
    )
    return _by_month(months, rows, lambda row: 100 * row["own"] / row["n"])


def relationships_restarted(area: Area, months: list[date]) -> list[MonthValue]:
    start, end = _window(months)
    rows = (
        RelationshipChange.objects.filter(
            relationship__organisation__in=sharing_organisations(area),
            from_state__in=RESTARTED_FROM,
            to_state=Relationship.State.WORKING_TOGETHER,
            at__gte=start,
            at__lt=end,
        )
        .exclude(relationship__person__erasure_requests__status=ERASED)
        .annotate(month=TruncMonth("at", output_field=DateField(), tzinfo=LONDON))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    # The value is the count itself, so it is shown only as disclosure control rounds it.
    return _by_month(months, rows, lambda row: protect(int(row["n"])).value)


def wellbeing_change(area: Area, months: list[date]) -> list[MonthValue]:
    """Among people whose latest ONS4 check-in answering life satisfaction fell in a month,
    the mean change from their first such check-in to that latest one. Someone with only
    one check-in has no change yet and is not counted."""
    first_day, last_month = months[0], months[-1]
    after = date(last_month.year + (last_month.month == 12), last_month.month % 12 + 1, 1)
    answered = CheckIn.objects.filter(
        person=OuterRef("pk"), instrument=ONS4, answers__has_key=LIFE_SATISFACTION
    )
    score = Cast(KeyTextTransform(LIFE_SATISFACTION, "answers"), FloatField())
    first = answered.order_by("taken_on", "pk")
    latest = answered.order_by("-taken_on", "-pk")
    rows = (
        Person.objects.filter(organisation__in=sharing_organisations(area))
        .exclude(erasure_requests__status=ERASED)
        .annotate(
            latest_on=Subquery(latest.values("taken_on")[:1]),
            first_id=Subquery(first.values("pk")[:1]),
            latest_id=Subquery(latest.values("pk")[:1]),
        )
        .filter(latest_on__gte=first_day, latest_on__lt=after)
        .exclude(first_id=F("latest_id"))
        .annotate(
            first_score=Subquery(first.annotate(s=score).values("s")[:1]),
            latest_score=Subquery(latest.annotate(s=score).values("s")[:1]),
            month=TruncMonth("latest_on", output_field=DateField()),
        )
        .values("month")
        .annotate(n=Count("pk"), mean=Avg(F("latest_score") - F("first_score")))
        .order_by("month")
    )
    return _by_month(months, rows, lambda row: row["mean"])


def barriers_answered(area: Area, months: list[date]) -> list[MonthValue]:
    start, end = _window(months)
    rows = (
        Barrier.objects.filter(
            person__organisation__in=sharing_organisations(area),
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(person__erasure_requests__status=ERASED)
        .annotate(month=TruncMonth("created_at", output_field=DateField(), tzinfo=LONDON))
        .values("month")
        .annotate(n=Count("pk"), answered=Count("pk", filter=~Q(response__in=NOT_ANSWERED)))
        .order_by("month")
    )
    return _by_month(months, rows, lambda row: 100 * row["answered"] / row["n"])


MEASURES: dict[str, Measure] = {
    measure.key: measure
    for measure in (
        Measure(
            key="goals_own_words",
            title="Goals in people's own words",
            sentence="Of the goals started each month, the share the person wrote themselves "
            "rather than accepting a coach's suggestion.",
            function=goals_own_words,
            unit="share",
            counts="goals started",
        ),
        Measure(
            key="relationships_restarted",
            title="Relationships restarted",
            sentence="How many coaching relationships went back to working together each "
            "month after a pause or an ending.",
            function=relationships_restarted,
            unit="count",
            counts="relationships restarted",
        ),
        Measure(
            key="wellbeing_change",
            title="Change in life satisfaction",
            sentence="For people whose latest check-in was that month, the average change in "
            "life satisfaction (0 to 10) from their first check-in to their latest.",
            function=wellbeing_change,
            unit="points",
            counts="people",
        ),
        Measure(
            key="barriers_answered",
            title="Barriers answered",
            sentence="Of the barriers recorded each month, the share where something was done "
            "about it: challenged, complained, advocated together or found another way.",
            function=barriers_answered,
            unit="share",
            counts="barriers recorded",
        ),
    )
}


def value_words(measure: Measure, value: float) -> str:
    """A value as it reads: "62%", "15", "+1.2 points"."""
    if measure.unit == "share":
        return f"{value:.0f}%"
    if measure.unit == "points":
        sign = "+" if value > 0 else ("−" if value < 0 else "")  # noqa: RUF001 - a minus sign
        return f"{sign}{abs(value):.1f} points"
    return f"{value:,.0f}"


def month_sentence(measure: Measure, point: MonthValue) -> str:
    """One month in words, for a list or a briefing."""
    when = month_words(point.month)
    if point.value is None:
        return f"{when}: fewer than 10 {measure.counts}, so no figure is shown."
    if measure.unit == "count":
        return f"{when}: about {value_words(measure, point.value)} {measure.counts}."
    return f"{when}: {value_words(measure, point.value)} (of about {point.n} {measure.counts})."


def latest_sentence(measure: Measure, points: list[MonthValue]) -> str:
    """The latest month with a figure, in words, or why there is none yet."""
    for point in reversed(points):
        if point.value is not None:
            return month_sentence(measure, point)
    return f"No month yet with 10 or more {measure.counts}, so no figure is shown."


def compute(area: Area, key: str, months: list[date] | None = None) -> list[MonthValue]:
    """One measure for an area over `months` (the last 12, by default)."""
    return MEASURES[key].function(area, months or last_months())
