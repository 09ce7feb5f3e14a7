"""Reading system themes and their live evidence.

Every count, chart and quote here is of the barriers a theme may use *now*
(`evidence.theme_barriers`: consent holding, its organisation's own and, across an area, the
sharing organisations'), so a withdrawal takes a barrier out at once. Words are only ever
shown redacted. Counts of other organisations' barriers leave here disclosure-controlled
(DESIGN.md principle 9); the convening organisation's own are exact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.template.defaultfilters import pluralize
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, Role
from alongside.coaching.models import Barrier
from alongside.core import written
from alongside.core.charts import Chart, line_chart
from alongside.core.disclosure import Cell, protect, protect_table
from alongside.core.queries import AmongFew
from alongside.core.words import LONDON, day_words, in_london
from alongside.listening.models import Theme

from .. import suggesting
from ..models import BarrierPlacement, SystemTheme
from .evidence import placed as placed_usable
from .evidence import redacted, shared_barriers, theme_barriers


@dataclass(frozen=True)
class ThemeQuote:
    """A barrier's words as a convener may read them: redacted, with the service and the
    organisation it came from (never a person)."""

    placement_id: int
    words: str
    service: str
    organisation: str


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """The first of every calendar month from start's to end's, inclusive."""
    months: list[date] = []
    month, last = month_of(start), month_of(end)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def last_months(today: date, count: int = 12) -> tuple[date, date]:
    """(start, end) of the `count` calendar months ending with today's."""
    month = month_of(today)
    for _ in range(count - 1):
        month = (
            date(month.year - 1, 12, 1)
            if month.month == 1
            else month.replace(month=month.month - 1)
        )
    return month, today


def barrier_day(happened_on: date | None, created_at: datetime) -> date:
    """When a barrier happened: the day recorded, else the day it was written down."""
    return happened_on if happened_on is not None else in_london(created_at).date()


def counted(theme: SystemTheme) -> QuerySet[Barrier]:
    """The barriers placed in this theme that it may count now. No query until evaluated."""
    return theme_barriers(theme=theme).filter(
        pk__in=Subquery(BarrierPlacement.objects.filter(theme=theme).values("barrier_id"))
    )


def monthly_counts(*, theme: SystemTheme, start: date, end: date) -> list[tuple[date, int]]:
    """Per calendar month (its first day) from start to end inclusive, the consented barriers
    placed in the theme that happened that month. One query (with the theme's organisation
    selected alongside it)."""
    months = months_between(start, end)
    counts = dict.fromkeys(months, 0)
    for happened_on, created_at in counted(theme).values_list("happened_on", "created_at"):
        month = month_of(barrier_day(happened_on, created_at))
        if month in counts:
            counts[month] += 1
    return [(month, counts[month]) for month in months]


def quotes(*, theme: SystemTheme, limit: int = 5) -> list[ThemeQuote]:
    """Up to `limit` of the theme's barriers in their (redacted) words, the most recent first.
    Consented barriers only. One query."""
    rows = (
        BarrierPlacement.objects.filter(
            theme=theme, barrier__in=Subquery(theme_barriers(theme=theme).values("pk"))
        )
        .exclude(barrier__what_happened="")
        .order_by(F("barrier__happened_on").desc(nulls_last=True), "-barrier__created_at", "-pk")
        .values_list(
            "pk",
            "barrier__what_happened",
            "barrier__service",
            "barrier__person__chosen_name",
            "barrier__person__organisation__name",
        )[:limit]
    )
    return [
        ThemeQuote(
            placement_id=pk,
            words=redacted(words, [name]),
            service=redacted(service, [name]),
            organisation=organisation,
        )
        for pk, words, service, name, organisation in rows
    ]


# --- the themes page -------------------------------------------------------------------------

UNPLACED_SHOWN = 25
# How many of a theme's barriers describe it to the engine on a page (more when suggesting).
MEMBERS_ON_A_PAGE = 10
MEMBER_ROWS_LIMIT = 1000


@dataclass(frozen=True)
class ThemeCount:
    """A theme's live count as a convener may see it: their own organisation's exact, other
    organisations' disclosure-controlled (principle 9)."""

    ours: int
    others: int
    other_organisations: int

    @property
    def others_shown(self) -> Cell:
        return protect(self.others)

    @property
    def organisations(self) -> int:
        return (1 if self.ours else 0) + self.other_organisations

    @property
    def words(self) -> str:
        ours = f"{self.ours} barrier{pluralize(self.ours)}"
        if not self.other_organisations:
            return ours if self.ours else "No barriers yet"
        theirs = (
            f"{self.others_shown} from {self.other_organisations} other "
            f"organisation{pluralize(self.other_organisations)}"
        )
        if not self.ours:
            return theirs[0].upper() + theirs[1:]
        return f"{ours} from us, and {theirs}"


@dataclass(frozen=True)
class ThemeCard:
    theme: SystemTheme
    count: ThemeCount
    suggested: int  # of those, placed by the engine and not yet looked at


@dataclass(frozen=True)
class Unplaced:
    barrier_id: int
    words: str
    service: str
    organisation: str
    ours: bool
    suggested: SystemTheme | None
    closeness: float | None
    choices: list[SystemTheme]  # the themes it may go in


@dataclass(frozen=True)
class ThemesPage:
    organisation: Organisation
    themes: list[ThemeCard]
    unplaced: list[Unplaced]
    unplaced_count: int

    @property
    def more_unplaced(self) -> int:
        return self.unplaced_count - len(self.unplaced)


def convening_organisations(user: Any) -> list[Organisation]:
    """The organisations where this user convenes, by name."""
    ids = policy.organisations_where(user, Role.CONVENER)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name", "pk"))


def _theme_query(ids: list[int]) -> QuerySet[Any]:
    return SystemTheme.objects.filter(pk=ids[0]).values_list(
        *written.columns(SystemTheme),
        *(f"organisation__{name}" for name in written.columns(Organisation)),
    )


def theme_of(theme_id: int) -> SystemTheme | None:
    """The system theme with its organisation (what the policy and its pages read), or None:
    one query written once per connection (`core.written`)."""
    found = written.rows_for_ids(_theme_query, [theme_id])
    if not found:
        return None
    n_columns = len(written.columns(SystemTheme))
    theme = written.instances(SystemTheme, [found[0][:n_columns]])[0]
    theme.organisation = written.instances(Organisation, [found[0][n_columns:]])[0]
    return theme


def themes_of(organisation: Organisation) -> QuerySet[SystemTheme]:
    return SystemTheme.objects.filter(organisation=organisation).select_related("organisation")


def _themes_query(ids: list[int]) -> QuerySet[Any]:
    return themes_of(Organisation(pk=ids[0])).values_list(*written.columns(SystemTheme))


def _themes_of(organisation_id: int) -> list[SystemTheme]:
    """`themes_of`'s themes, without their organisation: for their titles. Written once per
    connection (`core.written`)."""
    return written.instances(SystemTheme, written.rows_for_ids(_themes_query, [organisation_id]))


def gathers_across(theme: SystemTheme, organisation: Organisation) -> bool:
    """Does this theme count the area's sharing organisations' barriers too?"""
    return theme.area_id is not None and theme.area_id == organisation.area_id


def may_hold(theme: SystemTheme, organisation: Organisation, barrier_org_id: int) -> bool:
    """May this theme count a barrier of that organisation?"""
    return barrier_org_id == organisation.pk or gathers_across(theme, organisation)


def _placements(organisation: Organisation) -> QuerySet[BarrierPlacement]:
    """This convening organisation's placements whose barrier it may still use."""
    return BarrierPlacement.objects.filter(
        organisation=organisation,
        barrier__in=Subquery(shared_barriers(convening=organisation).values("pk")),
    )


def theme_counts(organisation: Organisation, themes: list[SystemTheme]) -> dict[int, ThemeCard]:
    """Each theme's live count, in one query."""
    by_theme: dict[int, dict[str, Any]] = {
        t.pk: {"ours": 0, "others": 0, "orgs": set(), "suggested": 0} for t in themes
    }
    themes_by_id = {t.pk: t for t in themes}
    # From the organisation's placements, consent checked on their barriers only.
    rows = (
        placed_usable(shared_barriers(convening=organisation), organisation=organisation)
        .values_list(
            "convening_placements__theme_id",
            "person__organisation_id",
            "convening_placements__by_convener",
        )
        .annotate(n=Count("convening_placements__pk"))
        .order_by()
    )
    for theme_id, org_id, by_convener, n in rows:
        theme = themes_by_id.get(theme_id)
        if theme is None or not may_hold(theme, organisation, org_id):
            continue
        tally = by_theme[theme_id]
        if org_id == organisation.pk:
            tally["ours"] += n
        else:
            tally["others"] += n
            tally["orgs"].add(org_id)
        if not by_convener:
            tally["suggested"] += n
    return {
        pk: ThemeCard(
            theme=themes_by_id[pk],
            count=ThemeCount(tally["ours"], tally["others"], len(tally["orgs"])),
            suggested=tally["suggested"],
        )
        for pk, tally in by_theme.items()
    }


CANDIDATE_FIELDS = (
    "pk",
    "service",
    "what_happened",
    "person__chosen_name",
    "person__organisation_id",
)


@dataclass(frozen=True)
class Candidate:
    barrier_id: int
    words: str  # redacted: the service and what happened
    organisation_id: int


def _candidate(pk: int, service: str, words: str, name: str, org_id: int) -> Candidate:
    return Candidate(pk, redacted(f"{service}. {words}", [name]), org_id)


def unplaced_barriers(organisation: Organisation) -> QuerySet[Barrier]:
    # A barrier a convener took out of every theme is listed again, to be placed by hand.
    placed = BarrierPlacement.objects.filter(organisation=organisation, theme__isnull=False).values(
        "barrier_id"
    )
    return shared_barriers(convening=organisation).exclude(pk__in=Subquery(placed))


def suggestion_candidates(organisation: Organisation, *, limit: int) -> list[Candidate]:
    """The barriers a suggestion may place: unplaced ones, and those the engine placed
    before, most recent first, at most `limit`. Never one a convener placed."""
    theirs = BarrierPlacement.objects.filter(organisation=organisation, by_convener=True)
    rows = (
        shared_barriers(convening=organisation)
        .exclude(pk__in=Subquery(theirs.values("barrier_id")))
        .order_by("-created_at", "-pk")
        .values_list(*CANDIDATE_FIELDS)[:limit]
    )
    return [_candidate(*row) for row in rows]


def placed_by_conveners(organisation: Organisation) -> int:
    return _placements(organisation).filter(by_convener=True).count()


def theme_words(
    organisation: Organisation, themes: list[SystemTheme], *, per_theme: int = 50
) -> list[suggesting.ThemeWords]:
    """Each theme in words for the engine: title and summary, and the barriers conveners
    most recently placed in it (they say what the theme is; the engine's own placements would
    only confirm themselves)."""
    rows = (
        _placements(organisation)
        .filter(theme__in=[t.pk for t in themes], by_convener=True)
        .order_by("-placed_at", "-pk")
        .values_list(
            "theme_id",
            "barrier__service",
            "barrier__what_happened",
            "barrier__person__chosen_name",
        )[: max(MEMBER_ROWS_LIMIT, per_theme * len(themes))]
    )
    members: dict[int, list[str]] = {t.pk: [] for t in themes}
    for theme_id, service, words, name in rows:
        if len(members[theme_id]) < per_theme:
            members[theme_id].append(redacted(f"{service}. {words}", [name]))
    return [
        suggesting.ThemeWords(title=f"{t.title}. {t.summary}".strip(), members=members[t.pk])
        for t in themes
    ]


def themes_page(organisation: Organisation) -> ThemesPage:
    """The convening organisation's system themes with live counts, and the shared barriers
    not yet in any of them, each with the closest theme the engine suggests."""
    themes = list(themes_of(organisation))
    cards = theme_counts(organisation, themes)
    unplaced_qs = unplaced_barriers(organisation)
    unplaced_count = unplaced_qs.count()
    rows = list(
        unplaced_qs.order_by("-created_at", "-pk").values_list(
            "pk",
            "service",
            "what_happened",
            "person__chosen_name",
            "person__organisation_id",
            "person__organisation__name",
        )[:UNPLACED_SHOWN]
    )
    found: list[suggesting.Closest | None] = [None] * len(rows)
    if rows and themes:
        described = theme_words(organisation, themes, per_theme=MEMBERS_ON_A_PAGE)
        texts = [_candidate(pk, s, w, n, o).words for pk, s, w, n, o, _ in rows]
        allowed = [
            [i for i, t in enumerate(themes) if may_hold(t, organisation, row[4])] for row in rows
        ]
        found = suggesting.closest(texts, described, allowed)
    unplaced = []
    for (pk, service, words, name, org_id, org_name), closest in zip(rows, found, strict=True):
        choices = [t for t in themes if may_hold(t, organisation, org_id)]
        suggested = themes[closest.theme] if closest is not None else None
        unplaced.append(
            Unplaced(
                barrier_id=pk,
                words=redacted(words, [name]),
                service=redacted(service, [name]),
                organisation=org_name,
                ours=org_id == organisation.pk,
                suggested=suggested,
                closeness=closest.closeness if suggested is not None and closest else None,
                choices=choices,
            )
        )
    return ThemesPage(
        organisation=organisation,
        themes=[cards[t.pk] for t in themes],
        unplaced=unplaced,
        unplaced_count=unplaced_count,
    )


# --- suggested new themes ------------------------------------------------------------------

NEW_THEMES_FROM = 500


@dataclass(frozen=True)
class Proposal:
    label: str
    keywords: list[str]
    barrier_ids: list[int]
    examples: list[str]  # a few of its barriers' redacted words


def proposals(organisation: Organisation) -> list[Proposal]:
    """Groups of the unplaced barriers (the most recent NEW_THEMES_FROM), for a convener
    to accept as new themes."""
    rows = list(
        unplaced_barriers(organisation)
        .order_by("-created_at", "-pk")
        .values_list(*CANDIDATE_FIELDS)[:NEW_THEMES_FROM]
    )
    candidates = [_candidate(*row) for row in rows]
    groups = suggesting.new_themes([c.words for c in candidates])
    return [
        Proposal(
            label=group.label,
            keywords=group.keywords,
            barrier_ids=[candidates[i].barrier_id for i in group.members],
            examples=[candidates[i].words for i in group.members[:3]],
        )
        for group in groups
    ]


# --- listening themes ----------------------------------------------------------------------


def linkable_listening(organisation: Organisation) -> QuerySet[Theme]:
    """Listening themes a convener of this organisation may link: from its own exercises,
    and from published reports of exercises in its area. Never "didn't fit"."""
    where = Q(exercise__organisation=organisation)
    if organisation.area_id is not None:
        in_area = Q(exercise__area_id=organisation.area_id) | Q(
            exercise__organisation__area_id=organisation.area_id
        )
        where |= in_area & Q(exercise__report__published_at__isnull=False)
    return (
        Theme.objects.filter(where, is_didnt_fit=False)
        .select_related("exercise")
        .order_by("exercise__title", "position", "pk")
    )


@dataclass(frozen=True)
class ListeningLink:
    theme_id: int
    title: str
    exercise: str
    keywords: list[str]
    contributions: str  # in words, disclosure-controlled when another organisation's


def listening_links(organisation: Organisation, themes: QuerySet[Theme]) -> list[ListeningLink]:
    return _links(organisation, _link_rows(themes))


def _link_rows(themes: QuerySet[Theme]) -> QuerySet[Any]:
    return themes.annotate(n=Count("contributions")).values_list(
        "pk", "title", "exercise__title", "exercise__organisation_id", "keywords", "n"
    )


def _linked_to(ids: list[int]) -> QuerySet[Any]:
    """The listening themes linked to the system theme `ids[0]`, as `listening_links` reads
    them: written once per connection (`core.written`)."""
    return _link_rows(SystemTheme(pk=ids[0]).listening_themes.all())


def _links(organisation: Organisation, rows: Iterable[tuple[Any, ...]]) -> list[ListeningLink]:
    out = []
    for pk, title, exercise, org_id, keywords, n in rows:
        shown = str(n) if org_id == organisation.pk else str(protect(n))
        out.append(
            ListeningLink(
                theme_id=pk,
                title=title,
                exercise=exercise,
                keywords=list(keywords or [])[:6],
                contributions=f"{shown} contribution{pluralize(n)}",
            )
        )
    return out


# --- one theme's page ----------------------------------------------------------------------

QUOTES_SHOWN = 5
OUTCOMES_SHOWN = 5
# Of each kind (a convener's placements, the suggestion's), the most recent this many.
BARRIERS_SHOWN = 25


@dataclass(frozen=True)
class Split:
    """One line of a table: our organisation's count exact, other organisations' protected."""

    label: str
    ours: int
    others: Cell | None  # None when no other organisation's barrier is in the theme


@dataclass(slots=True)
class InTheme:
    """One barrier in the theme, as a convener may see it. Not frozen: a frozen dataclass
    sets each of its fields through `object.__setattr__`, three times the cost, for each of
    the fifty on a busy theme's page."""

    placement_id: int
    barrier_id: int
    words: str
    service: str
    organisation: str
    by_convener: bool
    closeness: float | None
    when: str


@dataclass
class ThemeDetail:
    theme: SystemTheme
    count: ThemeCount
    across: bool
    months: list[Split]
    months_total: Split
    chart: Chart
    services: list[Split]
    responses: list[Split]
    outcomes: list[str]
    quotes: list[ThemeQuote]
    organisations: list[Split]
    barriers: list[InTheme]
    listening: list[ListeningLink]
    suggested_count: int = 0
    move_to: list[SystemTheme] = field(default_factory=list)

    @property
    def suggested(self) -> list[InTheme]:
        return [b for b in self.barriers if not b.by_convener]

    @property
    def shown_each(self) -> int:
        return BARRIERS_SHOWN

    @property
    def more_barriers(self) -> int:
        return self.count.ours + self.count.others - len(self.barriers)


def _split_table(
    labels: list[str], ours: dict[str, int], others: dict[str, int], any_others: bool
) -> list[Split]:
    """Rows of (label, ours exact, others protected with secondary suppression)."""
    if not any_others:
        return [Split(label, ours.get(label, 0), None) for label in labels]
    cells, _total = protect_table({label: others.get(label, 0) for label in labels})
    return [Split(label, ours.get(label, 0), cells[label]) for label in labels]


def _service_key(service: str) -> str:
    return " ".join(service.lower().split())


# What the theme's page reads of each barrier placed in it, named from the barrier's side:
# (placement, by convener, closeness, barrier, service, words, response, outcome, happened on,
# its day (`barrier_day`), chosen name, organisation id, organisation name).
_ROW_FIELDS = (
    "convening_placements__pk",
    "convening_placements__by_convener",
    "convening_placements__closeness",
    "pk",
    "service",
    "what_happened",
    "response",
    "outcome",
    "happened_on",
    # `barrier_day`, worked out by the database: psycopg loads a moment (as Django has it do)
    # in seven Python calls, a day in none.
    Coalesce("happened_on", TruncDate("created_at", tzinfo=LONDON)),
    "person__chosen_name",
    "organisation_id",
    "organisation__name",
)


def _rows_queryset(theme: SystemTheme) -> QuerySet[Barrier]:
    """The theme's barriers it may use now (consent applied), one row a placement, the most
    recent first.

    Two choices make PostgreSQL's work less (issue 11). The rows are read from the usable
    barriers joined to their placements in the theme (`evidence.placed`), so the barrier, its
    person and organisation are joined once: asking for placements whose barrier is among the
    usable ones joined them twice, and read three times the pages. And the theme is named
    through a subquery: with its id in plain sight PostgreSQL planned the prepared statement
    afresh on every request (a third of the query's time) for the plan it always chose; not
    knowing which theme until it runs, it plans once per connection. The theme's barriers are
    also named as `AmongFew`, so PostgreSQL finds the hundred or so through their index rather
    than reading and hashing the area's thousand shared ones (1.2 → 0.7 ms)."""
    this_theme = SystemTheme.objects.filter(pk=theme.pk).order_by().values("pk")
    placed_here = BarrierPlacement.objects.filter(theme_id=Subquery(this_theme)).values("barrier")
    return (
        placed_usable(theme_barriers(theme=theme), theme_id=Subquery(this_theme))
        .filter(AmongFew(F("pk"), Subquery(placed_here)))
        .order_by(
            F("happened_on").desc(nulls_last=True), "-created_at", "-convening_placements__pk"
        )
        .values_list(*_ROW_FIELDS)
    )


def _theme_rows(theme: SystemTheme) -> list[tuple[Any, ...]]:
    """`_rows_queryset(theme)`'s rows, from the query the ORM writes once for each shape
    (across the area or not; `core.written`): building and compiling it took about 10,000
    Python calls a page (issue 11). Which barriers it lets through is `theme_barriers`' own
    filter, unchanged."""
    area_id = theme.area_id
    across = area_id is not None and area_id == theme.organisation.area_id
    ids = [theme.pk, theme.organisation_id] + ([area_id] if area_id is not None and across else [])

    def build(stand_ins: list[int]) -> QuerySet[Any]:
        area_id = stand_ins[2] if across else None
        stand_in = SystemTheme(
            pk=stand_ins[0],
            area_id=area_id,
            organisation=Organisation(pk=stand_ins[1], area_id=area_id),
        )
        return _rows_queryset(stand_in)

    return written.rows(("system theme rows", across), build, ids)


def theme_detail(theme: SystemTheme, *, today: date | None = None) -> ThemeDetail:
    """Everything the theme's page shows, in a fixed number of queries: the theme's barriers
    (one query, consent applied, written once per worker), its listening themes (one), the
    themes it may move to (one)."""
    organisation = theme.organisation
    today = today or timezone.localdate()
    start, end = last_months(today)
    rows = _theme_rows(theme)
    months = months_between(start, end)
    month_ours = dict.fromkeys(months, 0)
    month_others = dict.fromkeys(months, 0)
    service_keys: dict[str, str] = {}  # each service as written, its `_service_key`
    service_names: dict[str, str] = {}
    service_ours: dict[str, int] = defaultdict(int)
    service_others: dict[str, int] = defaultdict(int)
    response_ours: dict[str, int] = defaultdict(int)
    response_others: dict[str, int] = defaultdict(int)
    org_names: dict[int, str] = {}
    org_counts: dict[int, int] = defaultdict(int)
    outcomes: list[str] = []
    quoted: list[ThemeQuote] = []
    barriers: list[InTheme] = []
    ours_total = others_total = suggested_count = placed_shown = suggested_shown = 0
    responses = dict(Barrier.Response.choices)
    # The loop below runs once for every barrier placed in the theme (hundreds in a busy one):
    # what it can read once is read here, and its small helpers are written in (issue 11).
    own_pk = organisation.pk
    for (
        pk,
        by_convener,
        closeness,
        barrier_id,
        service,
        words,
        response,
        outcome,
        _happened_on,
        day,
        name,
        org_id,
        org_name,
    ) in rows:
        ours = org_id == own_pk
        if ours:
            ours_total += 1
        else:
            others_total += 1
        org_names[org_id] = org_name
        org_counts[org_id] += 1
        month = day.replace(day=1)  # as `month_of`
        if month in month_ours:
            (month_ours if ours else month_others)[month] += 1
        key = service_keys.get(service)
        if key is None:
            key = service_keys[service] = " ".join(service.lower().split())
        if key:
            if key not in service_names:
                service_names[key] = redacted(service.strip(), [name])
            (service_ours if ours else service_others)[key] += 1
        label = responses.get(response, "Not recorded")
        (response_ours if ours else response_others)[label] += 1
        if len(outcomes) < OUTCOMES_SHOWN and outcome.strip():
            outcomes.append(redacted(outcome, [name]))
        if by_convener:
            shown = placed_shown < BARRIERS_SHOWN
            placed_shown += shown
        else:
            suggested_count += 1
            shown = suggested_shown < BARRIERS_SHOWN
            suggested_shown += shown
        quote = len(quoted) < QUOTES_SHOWN and bool(words.strip())
        if shown or quote:
            # Redacted once for the quote and the card: the most recent rows are both.
            said, where = redacted(words, [name]), redacted(service, [name])
            if quote:
                quoted.append(ThemeQuote(pk, said, where, org_name))
            if shown:
                barriers.append(
                    InTheme(
                        pk,
                        barrier_id,
                        said,
                        where,
                        org_name,
                        by_convener,
                        closeness,
                        day_words(day),
                    )
                )
    any_others = others_total > 0
    month_labels = [f"{m:%B %Y}" for m in months]
    month_rows = _split_table(
        month_labels,
        dict(zip(month_labels, month_ours.values(), strict=True)),
        dict(zip(month_labels, month_others.values(), strict=True)),
        any_others,
    )
    in_months_ours = sum(month_ours.values())
    in_months_others = sum(month_others.values())
    months_total = Split(
        "In the last 12 months", in_months_ours, protect(in_months_others) if any_others else None
    )
    service_order = sorted(
        service_names, key=lambda k: (-(service_ours[k] + service_others[k]), service_names[k])
    )
    services = [
        Split(service_names[k], row.ours, row.others)
        for k, row in zip(
            service_order,
            _split_table(service_order, service_ours, service_others, any_others),
            strict=True,
        )
    ]
    response_labels = [
        label
        for label in [*responses.values(), "Not recorded"]
        if response_ours.get(label) or response_others.get(label)
    ]
    # Other organisations' counts with secondary suppression: their total is shown too.
    other_cells, _ = protect_table({str(o): n for o, n in org_counts.items() if o != own_pk})
    organisations = [
        Split(org_names[org_id], org_counts[org_id], None)
        if org_id == own_pk
        else Split(org_names[org_id], 0, other_cells[str(org_id)])
        for org_id in sorted(org_names, key=lambda o: (o != own_pk, org_names[o]))
    ]
    count = ThemeCount(ours_total, others_total, len(org_names) - (own_pk in org_names))
    return ThemeDetail(
        theme=theme,
        count=count,
        across=gathers_across(theme, organisation),
        months=month_rows,
        months_total=months_total,
        chart=_chart(theme, months, month_ours, any_others),
        services=services,
        responses=_split_table(response_labels, response_ours, response_others, any_others),
        outcomes=outcomes,
        quotes=quoted,
        organisations=organisations,
        barriers=barriers,
        listening=_links(organisation, written.rows_for_ids(_linked_to, [theme.pk])),
        suggested_count=suggested_count,
        move_to=[t for t in _themes_of(organisation.pk) if t.pk != theme.pk],
    )


def _chart(
    theme: SystemTheme, months: list[date], ours: dict[date, int], any_others: bool
) -> Chart:
    """Our own organisation's barriers each month (exact); other organisations' small monthly
    numbers stay in the table, protected, never drawn."""
    title = (
        "Barriers met by people we work with, each month" if any_others else "Barriers each month"
    )
    top = max([*ours.values(), 4])
    step = max(1, -(-top // 5))
    chart = line_chart(
        chart_id=f"theme-{theme.pk}-months",
        title=title,
        series=[(m, float(ours[m])) for m in months],
        y_min=0,
        y_max=step * 5,
        y_label="Barriers",
        y_step=step,
    )
    total = sum(ours.values())
    first, last = months[0], months[-1]
    busiest = max(months, key=lambda m: (ours[m], m))
    chart.description = f"{title}, {first:%B %Y} to {last:%B %Y}: {total} in all" + (
        f", the most ({ours[busiest]}) in {busiest:%B %Y}." if total else "."
    )
    return chart
