"""Wellbeing across coaching (issue 14, item 7): how the four ONS personal well-being
measures moved for people coached by the organisations of an area that agree to share
(`Organisation.shares_coaching_figures_in_area`), against the UK averages, and the social
value of the change in life satisfaction in WELLBYs (HM Treasury Green Book supplementary
guidance on wellbeing, 2021).

For each measure, a person counts once they have answered that item at two check-ins or more
(any item may be skipped, so the first and latest check-ins that answered it are used). The
means and intervals are computed from the true figures; the number of people leaves here
protected (`core.disclosure`), and nothing is shown for a measure with fewer than 10 people.
The check-ins are read in one query and summed in Python: a handful of numbers each, so
10,000 people is well under a second, and no row leaves this module.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import FloatField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.safestring import SafeString, mark_safe

from alongside.accounts.models import Area, Organisation
from alongside.coaching import instruments
from alongside.coaching.models import CheckIn, ErasureRequest
from alongside.core.disclosure import THRESHOLD, Cell, protect
from alongside.core.pair_charts import Pair, PairChart

INSTRUMENT = "ons4"
MIN_PEOPLE = THRESHOLD  # no mean, change or value for fewer people than this
LIFE_SATISFACTION = "life_satisfaction"

# HM Treasury, Green Book supplementary guidance: wellbeing (2021). One WELLBY is a change of
# one point of life satisfaction (0 to 10) for one person for one year.
WELLBY_POUNDS = 13_000
WELLBY_LOW_POUNDS = 10_000
WELLBY_HIGH_POUNDS = 16_000
WELLBY_PRICES = 2021
# The value is shown to the nearest £1,000 so it cannot be divided back into an exact count.
POUNDS_ROUND_TO = 1_000

Z95 = 1.959963984540054


def t95(df: int) -> float:
    """The 97.5th percentile of Student's t with `df` degrees of freedom (Cornish-Fisher
    expansion about the normal: within 0.0005 of the tables from 3 degrees of freedom, and
    we never use fewer than 9)."""
    if df <= 0:
        return math.inf
    z = Z95
    v = float(df)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v**4)
    )


# --- summing the check-ins --------------------------------------------------------------------


@dataclass
class Sums:
    """Running totals for one measure over a set of people (no person kept)."""

    n: int = 0
    first: float = 0.0
    latest: float = 0.0
    change: float = 0.0
    change_squared: float = 0.0

    def add(self, first: float, latest: float) -> None:
        self.n += 1
        self.first += first
        self.latest += latest
        self.change += latest - first
        self.change_squared += (latest - first) ** 2


def sum_people(
    rows: Iterable[tuple[Any, ...]], keys: list[str]
) -> tuple[dict[int, dict[str, Sums]], dict[int, int]]:
    """Totals by organisation and measure from check-ins ordered by person, then day, each
    row (person, organisation, then a score or None for each of `keys`): for each person and
    item, the first and latest answers, counted when there are two or more. Also how many
    people each organisation has counted for at least one measure."""
    totals: dict[int, dict[str, Sums]] = {}
    people: dict[int, int] = {}
    person = None
    organisation = 0
    width = len(keys)
    first: list[float | None] = [None] * width
    latest: list[float] = [0.0] * width
    count = [0] * width

    def flush() -> None:
        counted = False
        for index in range(width):
            if count[index] >= 2:
                found = totals.get(organisation)
                if found is None:
                    found = totals[organisation] = {k: Sums() for k in keys}
                found[keys[index]].add(first[index] or 0.0, latest[index])
                counted = True
        if counted:
            people[organisation] = people.get(organisation, 0) + 1

    for row in rows:
        if row[0] != person:
            flush()
            person, organisation = row[0], row[1]
            first = [None] * width
            count = [0] * width
        for index in range(width):
            score = row[2 + index]
            if score is None:
                continue
            if count[index] == 0:
                first[index] = float(score)
            latest[index] = float(score)
            count[index] += 1
    flush()
    return totals, people


# --- what the page shows ------------------------------------------------------------------------


def two(value: float) -> str:
    return f"{value:.2f}"


def signed(value: float) -> str:
    """+0.85, −0.40 (a true minus sign), 0.00."""
    if round(value, 2) == 0:
        return "0.00"
    return f"+{value:.2f}" if value > 0 else f"\u2212{abs(value):.2f}"


def pounds(value: float) -> str:
    rounded = int(POUNDS_ROUND_TO * round(value / POUNDS_ROUND_TO))
    return f"\u2212£{abs(rounded):,}" if rounded < 0 else f"£{rounded:,}"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    higher_is_better: bool
    people: Cell  # protected
    shown: bool  # enough people (10 or more) to show the figures
    first: float | None = None
    latest: float | None = None
    change: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    uk_mean: float | None = None

    @property
    def short_label(self) -> str:
        """For under the chart's bars: "Worthwhile" rather than the whole question."""
        return self.key.replace("_", " ").capitalize()

    @property
    def first_text(self) -> str:
        return two(self.first) if self.first is not None else "not shown"

    @property
    def latest_text(self) -> str:
        return two(self.latest) if self.latest is not None else "not shown"

    @property
    def change_text(self) -> str:
        return signed(self.change) if self.change is not None else "not shown"

    @property
    def interval_text(self) -> str:
        if self.ci_low is None or self.ci_high is None:
            return "not shown"
        return f"{signed(self.ci_low)} to {signed(self.ci_high)}"

    @property
    def uk_text(self) -> str:
        return two(self.uk_mean) if self.uk_mean is not None else "none published"

    @property
    def better_words(self) -> str:
        return "higher is better" if self.higher_is_better else "lower is better"

    @property
    def sentence(self) -> str:
        """The change in plain words, or why there is none."""
        if not self.shown or self.change is None:
            return f"{self.label}: fewer than 10 people checked in twice, so nothing is shown."
        if self.ci_low is not None and self.ci_high is not None:
            moved = self.ci_low > 0 or self.ci_high < 0
        else:
            moved = False
        direction = "rose" if self.change > 0 else "fell"
        if round(self.change, 2) == 0:
            words = "stayed the same on average"
        else:
            words = f"{direction} by {two(abs(self.change))} points on average"
        sure = (
            "a change larger than chance would explain"
            if moved
            else "within what chance alone could explain"
        )
        named = self.label if self.higher_is_better else f"{self.label} (lower is better)"
        return (
            f"{named} {words}, from {self.first_text} to {self.latest_text} "
            f"(95% interval {self.interval_text}; {sure}), for {self.people} people."
        )


def _measure(key: str, item: instruments.Item, sums: Sums) -> Measure:
    label = item.label or key.replace("_", " ").capitalize()
    higher = item.direction != "lower_is_better"
    people = protect(sums.n)
    if sums.n < MIN_PEOPLE:
        return Measure(key, label, higher, people, False, uk_mean=item.reference_mean)
    mean = sums.change / sums.n
    variance = max(0.0, (sums.change_squared - sums.n * mean * mean) / (sums.n - 1))
    half = t95(sums.n - 1) * math.sqrt(variance / sums.n)
    return Measure(
        key=key,
        label=label,
        higher_is_better=higher,
        people=people,
        shown=True,
        first=sums.first / sums.n,
        latest=sums.latest / sums.n,
        change=mean,
        ci_low=mean - half,
        ci_high=mean + half,
        uk_mean=item.reference_mean,
    )


@dataclass(frozen=True)
class Wellby:
    """The social value of the change in life satisfaction, in 2021 prices."""

    people: Cell
    points: float  # the sum of the changes: WELLBYs, if each change lasts one year
    central: float  # £13,000 a WELLBY
    low: float  # £10,000 a WELLBY
    high: float  # £16,000 a WELLBY
    interval_low: float  # the lower end of the change's interval, at £13,000
    interval_high: float

    @property
    def points_text(self) -> str:
        return f"{self.points:,.0f}"

    @property
    def central_text(self) -> str:
        return pounds(self.central)

    @property
    def range_text(self) -> str:
        return f"{pounds(self.low)} to {pounds(self.high)}"

    @property
    def interval_text(self) -> str:
        return f"{pounds(self.interval_low)} to {pounds(self.interval_high)}"

    @property
    def sentence(self) -> str:
        return (
            f"If the change in life satisfaction lasts a year, it is worth about "
            f"{self.central_text} in 2021 prices ({self.range_text} across the Green Book's "
            f"range; {self.interval_text} across the change's 95% interval)."
        )


def wellby_of(measure: Measure, n: int) -> Wellby | None:
    """Mean change × people × £ a WELLBY, with the Green Book's range and the interval's ends."""
    if not measure.shown or measure.change is None or n < MIN_PEOPLE:
        return None
    points = measure.change * n
    low = measure.ci_low if measure.ci_low is not None else measure.change
    high = measure.ci_high if measure.ci_high is not None else measure.change
    return Wellby(
        people=measure.people,
        points=points,
        central=points * WELLBY_POUNDS,
        low=points * (WELLBY_LOW_POUNDS if points >= 0 else WELLBY_HIGH_POUNDS),
        high=points * (WELLBY_HIGH_POUNDS if points >= 0 else WELLBY_LOW_POUNDS),
        interval_low=low * n * WELLBY_POUNDS,
        interval_high=high * n * WELLBY_POUNDS,
    )


@dataclass(frozen=True)
class OrganisationFigures:
    pk: int
    name: str
    measures: list[Measure]

    @property
    def table_id(self) -> str:
        return f"wellbeing-org-{self.pk}"

    @property
    def caption(self) -> str:
        return f"Average scores out of 10 at {self.name}"


METHOD = [
    "These figures come from the ONS personal well-being questions (ONS4) that people "
    "answer at their check-ins with their coach, each on a scale from 0 to 10. For anxiety a "
    "lower score is better; for the other three a higher score is better.",
    "Only the organisations in the area that agree to share their coaching figures are "
    "included, and only people who answered a question at two check-ins or more. Anyone may "
    "skip a question, so for each question we use the first and the latest check-in at which "
    "the person answered it.",
    "For each question we show the average score at the first and at the latest check-in, "
    "and the average change with its 95% interval (from Student's t distribution). If the "
    "interval does not include zero, the change is larger than chance alone would explain. "
    "It does not prove coaching caused it: people's lives change for many reasons.",
    "The UK averages are from the ONS Annual Population Survey, for comparison only: the "
    "people coached are not a sample of the UK.",
    "A WELLBY (wellbeing-adjusted life year) is a change of one point of life satisfaction "
    "for one person for one year. HM Treasury's Green Book guidance values one at £13,000, "
    "with a range of £10,000 to £16,000, in 2021 prices. We multiply the average change in "
    "life satisfaction by the number of people and by £13,000. This assumes the change lasts "
    "one year; it may last longer or shorter. It is a social value, not cash anyone will "
    "save or spend, and it covers only the organisations that share.",
    "No person can be identified: counts of people are rounded to the nearest 5, anything "
    "for fewer than 10 people is not shown, and values in pounds are rounded to the nearest "
    "£1,000. An organisation's own figures are shown only when every sharing organisation "
    "has at least 10 people for every question.",
]


@dataclass
class Wellbeing:
    area: Area
    sharing: list[str]  # the names of the organisations that share
    not_sharing: int  # how many coaching organisations in the area do not
    people: Cell  # people who checked in at least twice, over any measure
    measures: list[Measure]
    wellby: Wellby | None
    organisations: list[OrganisationFigures] = field(default_factory=list)
    method: list[str] = field(default_factory=lambda: list(METHOD))

    @property
    def shown(self) -> bool:
        return any(m.shown for m in self.measures)

    @property
    def sharing_words(self) -> str:
        """Which organisations share, by name, and how many do not."""
        if not self.sharing:
            if not self.not_sharing:
                return "There is no coaching organisation in the area yet."
            if self.not_sharing == 1:
                return "The one coaching organisation in the area does not share its figures yet."
            return (
                f"None of the {self.not_sharing} coaching organisations in the area shares its "
                "figures yet."
            )
        else:
            names = and_list(self.sharing)
            if len(self.sharing) == 1:
                words = f"One coaching organisation shares its coaching figures: {names}."
            else:
                words = f"{len(self.sharing)} coaching organisations share their figures: {names}."
        if self.not_sharing == 1:
            words += " One other in the area does not, so its people are not counted here."
        elif self.not_sharing:
            words += (
                f" {self.not_sharing} others in the area do not, so their people are not "
                "counted here."
            )
        return words

    @property
    def headline(self) -> str:
        """One sentence for the home page and the briefing."""
        if not self.sharing:
            return self.sharing_words
        life = next((m for m in self.measures if m.key == LIFE_SATISFACTION), None)
        if life is None or not life.shown:
            return (
                "Fewer than 10 people have checked in twice at the organisations that share, "
                "so there is nothing to show yet."
            )
        return life.sentence

    @property
    def chart(self) -> FirstLatestChart:
        return FirstLatestChart(
            chart_id="wellbeing-ons4",
            title="Average score at the first and the latest check-in",
            description=" ".join(m.sentence for m in self.measures),
            y_label="Average score (0 to 10)",
            y_max=10,
            pairs=[
                Pair(
                    label=m.short_label,
                    before=m.first,
                    during=m.latest,
                    before_text=f"{m.first:.1f}" if m.first is not None else "",
                    during_text=f"{m.latest:.1f}" if m.latest is not None else "",
                )
                for m in self.measures
            ],
        )


class FirstLatestChart(PairChart):
    """The before-and-during chart with its bars named for check-ins."""

    @property
    def svg(self) -> SafeString:
        # The words under the bars are constants of PairChart; naming them "first" and
        # "latest" changes nothing a person typed, so the result is as safe as before.
        drawn = str(super().svg)
        drawn = drawn.replace(">before</text>", ">first</text>")
        drawn = drawn.replace(">during</text>", ">latest</text>")
        return mark_safe(drawn)  # noqa: S308 - built from format_html and constants


def and_list(names: list[str]) -> str:
    """["A", "B", "C"] → "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _items() -> list[instruments.Item]:
    definition = instruments.latest(list(instruments.shipped()), INSTRUMENT)
    return list(definition.items) if definition is not None else []


def sharing_organisations(area: Area) -> tuple[list[Organisation], int]:
    """The coaching organisations of the area that share, and how many do not (one query)."""
    found = list(
        Organisation.objects.filter(area=area, kind=Organisation.Kind.PROVIDER).order_by(
            "name", "pk"
        )
    )
    sharing = [o for o in found if o.shares_coaching_figures_in_area]
    return sharing, len(found) - len(sharing)


def summary(area: Area) -> Wellbeing:
    """The area's wellbeing across coaching: two queries however many people there are."""
    sharing, not_sharing = sharing_organisations(area)
    items = _items()
    keys = [item.key for item in items]
    totals: dict[int, dict[str, Sums]] = {}
    people: dict[int, int] = {}
    if sharing:
        erased = ErasureRequest.objects.filter(status=ErasureRequest.Status.DONE).values(
            "person_id"
        )
        rows = (
            CheckIn.objects.filter(
                instrument=INSTRUMENT, person__organisation__in=[o.pk for o in sharing]
            )
            .exclude(person_id__in=erased)
            .order_by("person_id", "taken_on", "id")
            .values_list(
                "person_id",
                "person__organisation_id",
                # Each answer as a number from the database, absent (skipped) as NULL.
                *(Cast(KeyTextTransform(key, "answers"), FloatField()) for key in keys),
            )
        )
        # Fetched whole, not through `.iterator()`: on PostgreSQL that is a server-side cursor,
        # planned for a fast first row, which took a hundred times longer here.
        totals, people = sum_people(rows, keys)
    area_sums = {key: Sums() for key in keys}
    for by_key in totals.values():
        for key, sums in by_key.items():
            whole = area_sums[key]
            whole.n += sums.n
            whole.first += sums.first
            whole.latest += sums.latest
            whole.change += sums.change
            whole.change_squared += sums.change_squared
    measures = [_measure(item.key, item, area_sums[item.key]) for item in items]
    life = next((m for m in measures if m.key == LIFE_SATISFACTION), None)
    wellby = wellby_of(life, area_sums[LIFE_SATISFACTION].n) if life is not None else None
    organisations: list[OrganisationFigures] = []
    everyone_enough = len(sharing) > 1 and all(
        totals.get(o.pk) is not None and all(s.n >= MIN_PEOPLE for s in totals[o.pk].values())
        for o in sharing
    )
    if everyone_enough:
        organisations = [
            OrganisationFigures(
                o.pk, o.name, [_measure(item.key, item, totals[o.pk][item.key]) for item in items]
            )
            for o in sharing
        ]
    return Wellbeing(
        area=area,
        sharing=[o.name for o in sharing],
        not_sharing=not_sharing,
        people=protect(sum(people.values())),
        measures=measures,
        wellby=wellby,
        organisations=organisations,
    )
