"""What an experiment watches, before and during (issue 13, item 4).

Each measure is read for two stretches of time of the same length: DURING, from the day the
experiment starts to its end (or today, if sooner), and BEFORE, as many days just before it
started. Each becomes a sentence ("3 a month before, 1 a month during"), a small before-and-
during bar chart and the table beside it.

- Barriers of a theme: the theme's consented barriers (`themes.counted`), by the day each
  happened. The convening organisation's own are exact; other organisations' in the area are
  counted apart and disclosure-controlled (principle 9).
- Change in check-ins: for people of the convening organisation with a check-in both before
  and during, their latest answer in each; the mean of each question and its change. Only ever
  an aggregate: fewer than 10 people and nothing is shown.
- Relationships restarted: relationships of the organisation that went from paused or ended
  back to working together, disclosure-controlled.
- Stories: how many were told (their words, already redacted, are listed on the page).

One query per measure at most, whatever the amount of data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from alongside.coaching import instruments
from alongside.coaching.models import CheckIn, ErasureRequest, Relationship, RelationshipChange
from alongside.core.charts import Chart, line_chart, number
from alongside.core.disclosure import THRESHOLD, protect
from alongside.core.pair_charts import Pair, PairChart
from alongside.core.words import day_words, in_london

from ..models import Experiment, Measure, Story
from .themes import barrier_day, counted, month_of, months_between

DAYS_IN_MONTH = 30.44
PLANNED_DAYS_WHEN_OPEN = 91  # an experiment with no end date yet: watch about 3 months before
ERASED = ErasureRequest.Status.DONE


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


def windows(experiment: Experiment, today: date | None = None) -> tuple[Window, Window | None]:
    """(before, during). During is None when the experiment has not started yet; before is
    then as long as the experiment is planned to run."""
    today = today or timezone.localdate()
    starts = experiment.starts_on
    if starts > today:
        planned = (
            (experiment.ends_on - starts).days + 1
            if experiment.ends_on and experiment.ends_on >= starts
            else PLANNED_DAYS_WHEN_OPEN
        )
        return _before(starts, planned), None
    end = min(experiment.ends_on or today, today)
    end = max(end, starts)
    during = Window(starts, end)
    return _before(starts, during.days), during


def _before(starts: date, days: int) -> Window:
    """The `days` just before `starts`, never before the first day there is."""
    end = starts - timedelta(days=1) if starts > date.min else starts
    start = starts - timedelta(days=days) if (starts - date.min).days > days else date.min
    return Window(start, max(start, end))


def period_words(days: int) -> str:
    """How long a stretch of time is, roughly: "10 days", "6 weeks", "4 months"."""
    if days < 21:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 61:
        weeks = round(days / 7)
        return f"{weeks} weeks"
    months = round(days / DAYS_IN_MONTH)
    return f"{months} months"


def per_month(count: int, days: int) -> float:
    return count / max(days / DAYS_IN_MONTH, 1e-9)


def rate_words(rate: float) -> str:
    """2.0 → "2 a month", 0.52 → "0.5 a month", 12.4 → "12 a month"."""
    shown = round(rate) if rate >= 10 else round(rate, 1)
    return f"{number(shown)} a month"


# --- what each measure shows ------------------------------------------------------------------


@dataclass
class Result:
    measure: Measure
    title: str
    headline: str
    chart: PairChart | None = None
    caption: str = ""
    head: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    months: list[tuple[str, str, str]] = field(default_factory=list)  # month, count, when
    text_cols: int = 2  # the leading columns of words; the rest are numbers
    monthly: Chart | None = None  # month by month, before and during (core.charts)


def _count_rows(before: Window, during: Window | None, counts: Sequence[str]) -> list[list[str]]:
    rows = [
        [
            "Before",
            f"{day_words(before.start)} to {day_words(before.end)}",
            counts[0],
        ]
    ]
    if during is not None:
        rows.append(["During", f"{day_words(during.start)} to {day_words(during.end)}", counts[1]])
    return rows


def _rates_chart(
    chart_id: str, title: str, before_rate: float | None, during_rate: float | None
) -> PairChart:
    values = [v for v in (before_rate, during_rate) if v is not None]
    before_text = rate_words(before_rate) if before_rate is not None else ""
    during_text = rate_words(during_rate) if during_rate is not None else ""
    if before_rate is not None and during_rate is not None:
        description = f"{title}: {before_text} before, {during_text} during."
    elif before_rate is not None:
        description = f"{title}: {before_text} before; not started yet."
    else:
        description = f"{title}: too few to show."
    return PairChart(
        chart_id=chart_id,
        title=title,
        description=description,
        y_label="A month, on average",
        y_max=max(values + [1.0]) * 1.2,
        pairs=[
            Pair(
                "",
                before_rate,
                during_rate,
                before_text.replace(" a month", ""),
                during_text.replace(" a month", ""),
            )
        ],
    )


def _headline(before_rate: float | None, during_rate: float | None, started: bool) -> str:
    if not started:
        return (
            f"{rate_words(before_rate)} before; it hasn't started yet."
            if before_rate is not None
            else "It hasn't started yet."
        )
    if before_rate is None or during_rate is None:
        return "Too few to show without pointing to someone."
    return f"{rate_words(before_rate)} before, {rate_words(during_rate)} during."


def theme_barriers(
    measure: Measure, organisation_id: int, before: Window, during: Window | None
) -> Result:
    """Needs `measure.theme` with its organisation loaded. One query."""
    theme = measure.theme
    if theme is None:
        return Result(measure, "Barriers of a theme", "The theme this watched was taken away.")
    own_days: list[date] = []
    other_days: list[date] = []
    for happened_on, created_at, org_id in counted(theme).values_list(
        "happened_on", "created_at", "person__organisation_id"
    ):
        (own_days if org_id == organisation_id else other_days).append(
            barrier_day(happened_on, created_at)
        )
    own_before = sum(1 for d in own_days if before.holds(d))
    own_during = sum(1 for d in own_days if during is not None and during.holds(d))
    before_rate = per_month(own_before, before.days)
    during_rate = per_month(own_during, during.days) if during is not None else None
    title = f"Barriers of \u201c{theme.title}\u201d"
    result = Result(
        measure=measure,
        title=title,
        headline=_headline(before_rate, during_rate, during is not None),
        chart=_rates_chart(f"measure-{measure.pk}", title, before_rate, during_rate),
        caption=f"{title}: before and during",
        head=["", "When", "Barriers"],
        rows=_count_rows(before, during, [str(own_before), str(own_during)]),
    )
    if theme.area_id is not None:
        other_before = protect(sum(1 for d in other_days if before.holds(d)))
        other_during = protect(sum(1 for d in other_days if during is not None and during.holds(d)))
        result.head.append("From other organisations in the area")
        result.rows[0].append(str(other_before))
        if during is not None:
            result.rows[1].append(str(other_during))
        result.notes.append(
            "The counts and the chart are of barriers from here. Other organisations' are "
            "counted apart, and small numbers there are not shown, so no one can be picked out."
        )
    end = during.end if during is not None else before.end
    by_month: dict[date, int] = defaultdict(int)
    for day in own_days:
        if before.start <= day <= end:
            by_month[month_of(day)] += 1
    for month in months_between(before.start, end):
        if during is not None and month >= month_of(during.start):
            partly = month == month_of(during.start) and during.start.day != 1
            when = "Starts this month" if partly else "During"
        else:
            when = "Before"
        result.months.append((f"{month:%B %Y}", str(by_month.get(month, 0)), when))
    series = [(month, float(by_month.get(month, 0))) for month in months_between(before.start, end)]
    if len(series) > 1:
        top = max(int(value) for _, value in series)
        result.monthly = line_chart(
            chart_id=f"measure-{measure.pk}-months",
            title=f"{title}, month by month",
            series=series,
            y_min=0,
            y_max=max(top + 1, 5),
            y_label="Barriers",
        )
        first, last = series[0], series[-1]
        result.monthly.description = (
            f"{title}, month by month, from {first[0]:%B %Y} to {last[0]:%B %Y}: "
            + ", ".join(f"{int(v)} in {m:%B}" for m, v in series)
            + (f". The experiment started in {during.start:%B %Y}." if during else ".")
        )
    return result


def check_in_change(
    measure: Measure, organisation_id: int, before: Window, during: Window | None
) -> Result:
    """Mean answers before and during, for people with a check-in in both. One query."""
    title = "Change in check-ins"
    if during is None:
        return Result(measure, title, "It hasn't started yet: nothing to compare.")
    definition = instruments.latest(list(instruments.shipped()), "ons4")
    assert definition is not None
    rows = (
        CheckIn.objects.filter(
            person__organisation_id=organisation_id,
            instrument=definition.key,
            taken_on__gte=before.start,
            taken_on__lte=during.end,
        )
        .exclude(person__erasure_requests__status=ERASED)
        .order_by("taken_on", "pk")
        .values_list("person_id", "taken_on", "answers")
    )
    # The latest answer to each question, per person, in each stretch of time.
    latest: dict[tuple[int, str, str], float] = {}
    for person_id, taken_on, answers in rows:
        stretch = "before" if before.holds(taken_on) else "during"
        for item in definition.items:
            value = (answers or {}).get(item.key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                latest[(person_id, stretch, item.key)] = float(value)
    result = Result(
        measure=measure,
        title=title,
        headline="",
        caption=f"{title}: the mean answer before and during",
        head=["Question", "Before", "During", "Change", "People"],
        text_cols=1,
    )
    pairs: list[Pair] = []
    sentences: list[str] = []
    for item in definition.items:
        people = {p for (p, s, k) in latest if k == item.key and s == "before"} & {
            p for (p, s, k) in latest if k == item.key and s == "during"
        }
        cell = protect(len(people))
        if cell.suppressed:
            result.rows.append([item.label, "not shown", "not shown", "", str(cell)])
            pairs.append(Pair(_short_label(item.key), None, None, "", ""))
            continue
        mean_before = sum(latest[(p, "before", item.key)] for p in people) / len(people)
        mean_during = sum(latest[(p, "during", item.key)] for p in people) / len(people)
        change = round(mean_during - mean_before, 1)
        better = (change > 0) == (item.direction == "higher_is_better")
        change_text = (
            "the same"
            if change == 0
            else f"{'up' if change > 0 else 'down'} {number(abs(change))}"
            + (" (better)" if better else " (worse)")
        )
        b, d = round(mean_before, 1), round(mean_during, 1)
        result.rows.append([item.label, number(b), number(d), change_text, f"about {cell}"])
        pairs.append(Pair(_short_label(item.key), b, d, number(b), number(d)))
        sentences.append(f"{item.label} {number(b)} before, {number(d)} during")
    if sentences:
        result.headline = "; ".join(sentences) + "."
    else:
        result.headline = (
            f"Fewer than {THRESHOLD} people had a check-in both before and during: too few "
            "to show without pointing to someone."
        )
    result.chart = PairChart(
        chart_id=f"measure-{measure.pk}",
        title=title,
        description=result.headline,
        y_label="Mean score (0 to 10)",
        y_max=10,
        pairs=pairs,
    )
    result.notes.append(
        "People coached here who had a check-in both before and during: the latest answer in "
        "each, averaged. Anxiety is better when it goes down."
    )
    return result


RESTARTED_FROM = (Relationship.State.PAUSED, Relationship.State.ENDED)


def relationships_restarted(
    measure: Measure, organisation_id: int, before: Window, during: Window | None
) -> Result:
    """Paused or ended, then working together again. One query; disclosure-controlled."""
    title = "Relationships restarted"
    end = during.end if during is not None else before.end
    moments = RelationshipChange.objects.filter(
        relationship__organisation_id=organisation_id,
        from_state__in=RESTARTED_FROM,
        to_state=Relationship.State.WORKING_TOGETHER,
        at__date__gte=before.start - timedelta(days=1),
        at__date__lte=end + timedelta(days=1),
    ).exclude(relationship__person__erasure_requests__status=ERASED)
    days = [in_london(at).date() for at in moments.values_list("at", flat=True)]
    n_before = sum(1 for d in days if before.holds(d))
    n_during = sum(1 for d in days if during is not None and during.holds(d))
    cell_before, cell_during = protect(n_before), protect(n_during)
    before_rate = (
        per_month(cell_before.value, before.days) if cell_before.value is not None else None
    )
    during_rate = (
        per_month(cell_during.value, during.days)
        if during is not None and cell_during.value is not None
        else None
    )
    headline = _headline(before_rate, during_rate, during is not None)
    if during is not None and (before_rate is None or during_rate is None):
        headline = (
            f"{cell_before} before and {cell_during} during: small numbers are not shown, "
            "so no one can be picked out."
        )
    return Result(
        measure=measure,
        title=title,
        headline=headline,
        chart=_rates_chart(f"measure-{measure.pk}", title, before_rate, during_rate),
        caption=f"{title}: before and during",
        head=["", "When", "Restarted"],
        rows=_count_rows(before, during, [str(cell_before), str(cell_during)]),
        notes=[
            "Relationships here that went from paused or ended back to working together. "
            "Counts are rounded to 5, and under 10 are not shown."
        ],
    )


def stories(
    measure: Measure, told: Sequence[Story], before: Window, during: Window | None
) -> Result:
    title = "Stories"
    n_before = sum(1 for s in told if before.holds(s.told_on))
    n_during = sum(1 for s in told if during is not None and during.holds(s.told_on))
    before_rate = per_month(n_before, before.days)
    during_rate = per_month(n_during, during.days) if during is not None else None
    if during is None:
        headline = f"{n_before} told before; it hasn't started yet."
    else:
        headline = f"{n_before} told before, {n_during} during."
    return Result(
        measure=measure,
        title=title,
        headline=headline,
        chart=_rates_chart(f"measure-{measure.pk}", title, before_rate, during_rate),
        caption=f"{title}: how many were told, before and during",
        head=["", "When", "Stories"],
        rows=_count_rows(before, during, [str(n_before), str(n_during)]),
    )


def results(
    experiment: Experiment,
    measures: Sequence[Measure],
    told: Sequence[Story],
    today: date | None = None,
) -> list[Result]:
    """Each measure's result, in the order they were chosen. `measures` with
    `theme__organisation` loaded; `told`, the experiment's stories."""
    before, during = windows(experiment, today)
    org = experiment.organisation_id
    out: list[Result] = []
    for measure in measures:
        if measure.kind == Measure.Kind.THEME_BARRIERS:
            out.append(theme_barriers(measure, org, before, during))
        elif measure.kind == Measure.Kind.CHECK_IN_CHANGE:
            out.append(check_in_change(measure, org, before, during))
        elif measure.kind == Measure.Kind.RELATIONSHIPS_RESTARTED:
            out.append(relationships_restarted(measure, org, before, during))
        elif measure.kind == Measure.Kind.STORIES:
            out.append(stories(measure, told, before, during))
    return out


def stretch_words(window: Window, year: int | None = None) -> str:
    """ "Sunday 2 August to Thursday 1 October"; the year only when it isn't `year`."""
    start = day_words(window.start, leave_out_year=year)
    if window.start == window.end:
        return start
    return f"{start} to {day_words(window.end, leave_out_year=year)}"


def window_words(experiment: Experiment, today: date | None = None) -> dict[str, Any]:
    """The two stretches of time, in words, for the page."""
    today = today or timezone.localdate()
    before, during = windows(experiment, today)
    return {
        "before": stretch_words(before, today.year),
        "during": stretch_words(during, today.year) if during is not None else "",
        "length": period_words(during.days if during is not None else before.days),
        "started": during is not None,
    }


def _short_label(key: str) -> str:
    """A question's key as a short label under its bars: "life_satisfaction" → "Life
    satisfaction" (the table beside the chart has the question's full label)."""
    return key.replace("_", " ").capitalize()
