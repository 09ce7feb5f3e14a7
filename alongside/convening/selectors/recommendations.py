"""Reading recommendations, their evidence and their answers (issue 13, items 5 and 6).

Whoever reads a recommendation (its conveners, or whom it is addressed to) sees its evidence
only as convening may: counts of consented barriers, quotes in redacted words (a withdrawn
barrier drops out at once), never a name. Counts seen by anyone outside the convening
organisation follow disclosure control (DESIGN.md principle 9); its conveners see their own
organisation's exactly, as on the theme page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, Role
from alongside.core.disclosure import protect
from alongside.core.words import day_words
from alongside.core.written import columns, instances
from alongside.core.written import rows as written_rows

from ..models import Answer, BarrierPlacement, Experiment, Recommendation, SystemTheme
from .evidence import placed, redacted, usable_barriers

STATUS_TAGS: dict[str, str] = {
    Answer.Status.ACCEPTED: "tag--green",
    Answer.Status.IN_PROGRESS: "tag--blue",
    Answer.Status.DECLINED: "tag--red",
}


# --- where a recommendation stands, in words ----------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where a recommendation stands, in words, from its latest answer (if any)."""

    label: str  # "Not sent yet", "Waiting for an answer", "Accepted", ...
    tag: str  # a .tag modifier class
    words: str  # "Accepted on Monday 9 March 2026."
    moved: str  # "What changed: ..." or ""
    overdue: str  # why it is overdue, in words, or "" when it is not


def latest_answer(recommendation: Recommendation) -> Answer | None:
    """The answer that holds: the latest. Reads the prefetched answers when there are any."""
    answers = list(recommendation.answers.all())
    return answers[-1] if answers else None


def standing(recommendation: Recommendation, *, today: date | None = None) -> Standing:
    today = today or timezone.localdate()
    year = today.year
    if recommendation.sent_at is None:
        return Standing(
            "Not sent yet", "tag--grey", "Only conveners can see it until it is sent.", "", ""
        )
    latest = latest_answer(recommendation)
    sent = day_words(recommendation.sent_at, leave_out_year=year)
    if latest is None:
        wanted = (
            f" An answer is wanted by {day_words(recommendation.answer_by, leave_out_year=year)}."
            if recommendation.answer_by
            else ""
        )
        overdue = ""
        if recommendation.answer_by and recommendation.answer_by < today:
            overdue = (
                f"Sent on {sent}; the answer was wanted by "
                f"{day_words(recommendation.answer_by, leave_out_year=year)} and has not come."
            )
        return Standing(
            "Overdue" if overdue else "Waiting for an answer",
            "tag--yellow",
            overdue or f"Sent on {sent}, waiting for an answer.{wanted}",
            "",
            overdue,
        )
    at = day_words(latest.at, leave_out_year=year)
    if latest.status == Answer.Status.ACCEPTED:
        words = f"Accepted on {at}."
    elif latest.status == Answer.Status.IN_PROGRESS:
        words = f"In progress, as answered on {at}."
    else:
        words = f"Declined on {at}: {latest.words}"
    overdue = ""
    if latest.follow_up_on:
        follow = day_words(latest.follow_up_on, leave_out_year=year)
        if latest.follow_up_on < today:
            overdue = f"The follow-up was due on {follow} and nothing newer has been said."
        else:
            words += f" Follow-up on {follow}."
    moved = f"What changed: {latest.what_changed}" if latest.what_changed else ""
    label = latest.get_status_display()
    return Standing(
        "Follow-up due" if overdue else label,
        "tag--yellow" if overdue else STATUS_TAGS.get(latest.status, "tag--grey"),
        words,
        moved,
        overdue,
    )


@dataclass(frozen=True)
class RecommendationRow:
    pk: int
    title: str
    to: str  # "Leadership of Harbour Lane", "A commissioner at Northfield Council"
    lands_in: str
    lands_in_label: str
    standing: Standing
    sent: bool


def addressee_words(recommendation: Recommendation) -> str:
    name = recommendation.addressed_to.name
    if recommendation.to == Recommendation.To.COMMISSIONER:
        return f"The commissioners at {name}"
    if recommendation.to == Recommendation.To.STRATEGIC_GROUP:
        return f"A strategic group, answered by the leads of {name}"
    return f"The leadership of {name}"


def row(recommendation: Recommendation, *, today: date) -> RecommendationRow:
    return RecommendationRow(
        pk=recommendation.pk,
        title=recommendation.title,
        to=addressee_words(recommendation),
        lands_in=recommendation.lands_in,
        lands_in_label=recommendation.get_lands_in_display(),
        standing=standing(recommendation, today=today),
        sent=recommendation.sent_at is not None,
    )


def with_answers(queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Two queries, whatever the number: the recommendations (with whom they are addressed
    to), and all their answers."""
    return queryset.select_related("addressed_to").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.order_by("at", "id"))
    )


def of_organisations(organisation_ids: Iterable[int]) -> QuerySet[Recommendation]:
    return with_answers(Recommendation.objects.filter(organisation_id__in=list(organisation_ids)))


def _answerer(user: Any) -> tuple[list[int], list[int]]:
    """The organisations a user leads and the areas where they commission, sorted."""
    led = policy.organisations_where(user, Role.LEAD)
    areas = {
        held.area_id
        for held in policy.held_roles(user)
        if held.role == Role.COMMISSIONER and held.area_id is not None
    }
    return sorted(led), sorted(areas)


def _answerable(led: list[int], areas: list[int]) -> QuerySet[Recommendation]:
    where = Q(pk__in=[])
    if led:
        where |= Q(addressed_to_id__in=led) & ~Q(to=Recommendation.To.COMMISSIONER)
    if areas:
        where |= Q(addressed_to__area_id__in=areas, to=Recommendation.To.COMMISSIONER)
    return Recommendation.objects.filter(where, sent_at__isnull=False)


def answerable_by(user: Any) -> QuerySet[Recommendation]:
    """Sent recommendations this user may answer: addressed to leadership or a strategic
    group of an organisation they lead, or to a commissioner of their area. The same rule as
    `policy.RECOMMENDATION_ANSWER`, as a query."""
    return with_answers(_answerable(*_answerer(user)))


def rows(
    queryset: QuerySet[Recommendation], *, today: date | None = None
) -> list[RecommendationRow]:
    today = today or timezone.localdate()
    return [row(r, today=today) for r in queryset]


@dataclass(frozen=True)
class Waiting:
    """For a lead's or commissioner's home: recommendations waiting for their answer, and
    answered ones whose follow-up date has passed."""

    unanswered: list[RecommendationRow]
    follow_ups: list[RecommendationRow]

    @property
    def any(self) -> bool:
        return bool(self.unanswered or self.follow_ups)


_LATEST = ("pk", "status", "words", "at", "follow_up_on", "what_changed")


def with_latest_answer(queryset: QuerySet[Recommendation], *first: Any) -> QuerySet[Any]:
    """Rows of `first` (names or expressions, for the caller), then every column of the
    recommendation, the name of whom it is addressed to and only its latest answer's columns
    (no prefetch): enough for where it stands. `from_latest_answer` reads them."""
    latest = Answer.objects.filter(recommendation=OuterRef("pk")).order_by("-at", "-id")
    return queryset.annotate(
        **{f"latest_{name}": Subquery(latest.values(name)[:1]) for name in _LATEST}
    ).values_list(
        *first,
        *columns(Recommendation),
        "addressed_to__name",
        *(f"latest_{n}" for n in _LATEST),
    )


def from_latest_answer(rows_found: list[tuple[Any, ...]]) -> list[Recommendation]:
    """The recommendations in rows of `with_latest_answer` (without the caller's first
    columns), each with whom it is addressed to (their name only) and its latest answer."""
    n_columns = len(columns(Recommendation))
    found: list[Any] = instances(Recommendation, [row[:n_columns] for row in rows_found])
    for one, row_found in zip(found, rows_found, strict=True):
        name, *latest = row_found[n_columns:]
        # Whom it is addressed to is read for their name only.
        one.addressed_to = Organisation.from_db(
            DEFAULT_DB_ALIAS, ["id", "name"], (one.addressed_to_id, name)
        )
        answers = []
        if latest[0] is not None:
            answers.append(Answer(recommendation=one, **dict(zip(_LATEST, latest, strict=True))))
        one._prefetched_objects_cache = {"answers": answers}
    return found


def _waiting_query(led: list[int], areas: list[int]) -> QuerySet[Any]:
    """The recommendations a lead or commissioner may answer, oldest sent first."""
    return with_latest_answer(_answerable(led, areas).order_by("sent_at", "id"))


def _with_latest_answer(led: list[int], areas: list[int]) -> list[Recommendation]:
    """The recommendations, in one query the ORM writes once per connection (for each number
    of organisations and areas, core.written), each with whom it is addressed to and its
    latest answer."""
    if not led and not areas:
        return []  # the ORM asks nothing of a filter that matches nothing
    rows_found = written_rows(
        ("recommendations waiting", len(led), len(areas)),
        lambda ids: _waiting_query(ids[: len(led)], ids[len(led) :]),
        [*led, *areas],
    )
    return from_latest_answer(rows_found)


def waiting_for(user: Any, *, today: date | None = None, limit: int = 10) -> Waiting:
    """One query, or none for a user who answers none (the home pages' budgets count it)."""
    today = today or timezone.localdate()
    held = policy.roles(user)
    if Role.LEAD not in held and Role.COMMISSIONER not in held:
        return Waiting([], [])
    unanswered: list[RecommendationRow] = []
    follow_ups: list[RecommendationRow] = []
    for recommendation in _with_latest_answer(*_answerer(user)):
        one = row(recommendation, today=today)
        latest = latest_answer(recommendation)
        if latest is None:
            unanswered.append(one)
        elif one.standing.overdue:
            follow_ups.append(one)
    return Waiting(unanswered[:limit], follow_ups[:limit])


# --- evidence ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeCount:
    theme_id: int
    own: int  # barriers of the convening organisation's own people: exact
    others: int  # barriers from other organisations in the area

    def words(self, *, exact_own: bool) -> str:
        """The count as a reader may see it. Outside the organisation (`exact_own` False),
        the whole count is disclosure-controlled."""
        if not self.own and not self.others:
            return "no barriers yet"
        if not exact_own:
            return _barriers(str(protect(self.own + self.others)), self.own + self.others)
        if not self.others:
            return _barriers(str(self.own), self.own)
        if not self.own:
            shown = _barriers(str(protect(self.others)), self.others)
            return f"{shown}, from other organisations in the area"
        return (
            f"{_barriers(str(self.own), self.own)} here, and {protect(self.others)} from other "
            "organisations in the area"
        )


def _barriers(shown: str, n: int) -> str:
    return f"{shown} barrier{'' if shown == '1' else 's'}"


# Whom a theme gathers from: its organisation, and the area when it gathers across it.
Gathers = tuple[int, int | None]


def gathers(theme: SystemTheme) -> Gathers:
    """Reads `theme.organisation` (select it with the theme)."""
    return gathers_from(theme.organisation_id, theme.area_id, theme.organisation.area_id)


def gathers_from(
    organisation_id: int, area_id: int | None, organisation_area_id: int | None
) -> Gathers:
    """A theme gathers across its area only while its organisation is still in that area."""
    return (organisation_id, area_id if area_id == organisation_area_id else None)


def theme_counts(themes: Sequence[SystemTheme]) -> dict[int, ThemeCount]:
    """Live counts for many themes: one query per (organisation, area) the themes gather from,
    usually one. Reads `theme.organisation` (select it with the themes)."""
    return counts_of({t.pk: gathers(t) for t in themes})


def _placed_counts(
    organisation_id: int, area_id: int | None, theme_ids: list[int]
) -> QuerySet[Any]:
    """(theme, the barrier's organisation, how many) of the themes' placements whose barriers
    they may use now: from the placements, consent checked on their barriers only."""
    usable = usable_barriers(organisation_id=organisation_id, area_id=area_id)
    return (
        placed(usable, theme_id__in=theme_ids)
        .values_list("convening_placements__theme_id", "organisation_id")
        .annotate(n=Count("convening_placements__pk"))
        .order_by()
    )


def _placed_count_rows(
    organisation_id: int, area_id: int | None, theme_ids: list[int]
) -> list[tuple[Any, ...]]:
    """`_placed_counts`' rows, from the query the ORM writes once per connection for each
    shape (`core.written`); which barriers count is `usable_barriers`' own rule, unchanged."""
    across = area_id is not None
    ids = [organisation_id, *([area_id] if area_id is not None else []), *theme_ids]

    def build(stand_ins: list[int]) -> QuerySet[Any]:
        area = stand_ins[1] if across else None
        return _placed_counts(stand_ins[0], area, stand_ins[1 + across :])

    return written_rows(("theme counts", across), build, ids)


def counts_of(themes: dict[int, Gathers]) -> dict[int, ThemeCount]:
    """Live counts of the themes (by id, with whom each gathers from): one query per
    (organisation, area), usually one."""
    groups: dict[Gathers, list[int]] = defaultdict(list)
    for pk, gathering in themes.items():
        groups[gathering].append(pk)
    own: dict[int, int] = dict.fromkeys(themes, 0)
    others: dict[int, int] = dict.fromkeys(themes, 0)
    for (organisation_id, area_id), ids in groups.items():
        for theme_id, org_id, n in _placed_count_rows(organisation_id, area_id, ids):
            (own if org_id == organisation_id else others)[theme_id] += n
    return {pk: ThemeCount(pk, own[pk], others[pk]) for pk in themes}


@dataclass(frozen=True)
class Quote:
    placement_id: int
    theme_id: int
    words: str
    service: str
    organisation: str


def quotes_of(placements: QuerySet[BarrierPlacement], themes: Sequence[SystemTheme]) -> list[Quote]:
    """The chosen placements' words, redacted, only while their barriers may be used: a
    withdrawn barrier drops out at once. One query per (organisation, area) of the themes."""
    by_theme = {t.pk: t for t in themes}
    groups: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for theme in themes:
        area_id = theme.area_id if theme.area_id == theme.organisation.area_id else None
        groups[(theme.organisation_id, area_id)].append(theme.pk)
    found: list[Quote] = []
    for (organisation_id, area_id), ids in groups.items():
        usable = usable_barriers(organisation_id=organisation_id, area_id=area_id)
        rows_ = (
            placements.filter(theme_id__in=ids, barrier__in=Subquery(usable.values("pk")))
            .exclude(barrier__what_happened="")
            .order_by("theme_id", "pk")
            .values_list(
                "pk",
                "theme_id",
                "barrier__what_happened",
                "barrier__service",
                "barrier__person__chosen_name",
                "barrier__person__organisation__name",
            )
        )
        for pk, theme_id, words, service, name, organisation in rows_:
            if theme_id in by_theme:
                found.append(
                    Quote(
                        pk,
                        theme_id,
                        redacted(words, [name]),
                        redacted(service, [name]),
                        organisation,
                    )
                )
    return sorted(found, key=lambda q: (q.theme_id, q.placement_id))


@dataclass(frozen=True)
class ThemeEvidence:
    theme: SystemTheme
    count: str
    quotes: list[Quote] = field(default_factory=list)


@dataclass(frozen=True)
class ExperimentEvidence:
    pk: int
    title: str
    hypothesis: str
    dates: str


@dataclass(frozen=True)
class AnswerRow:
    status: str
    status_label: str
    tag: str
    words: str
    follow_up_on: str
    what_changed: str
    at: str
    by: str  # the answerer's role and organisation, never a name


@dataclass(frozen=True)
class Detail:
    recommendation: Recommendation
    to: str
    standing: Standing
    themes: list[ThemeEvidence]
    experiments: list[ExperimentEvidence]
    quotes: list[Quote]
    answers: list[AnswerRow]
    answer_by: str
    sent_on: str


def experiment_hypothesis(experiment: Experiment) -> str:
    return f"If we {experiment.if_we.strip()}, then {experiment.then.strip()}"


def experiment_dates(experiment: Experiment) -> str:
    return dates_words(experiment.starts_on, experiment.ends_on)


def dates_words(starts_on: date, ends_on: date | None) -> str:
    start = day_words(starts_on)
    if ends_on:
        return f"From {start} to {day_words(ends_on)}"
    return f"From {start}"


def recommendation_of(pk: int) -> Recommendation | None:
    """One recommendation with what its page and the policy read."""
    return (
        Recommendation.objects.select_related("organisation", "addressed_to").filter(pk=pk).first()
    )


def answerer_words(user_id: int | None, recommendation: Recommendation) -> str:
    """Who answered, without a name: the role they answer in."""
    if recommendation.to == Recommendation.To.COMMISSIONER:
        return f"a commissioner at {recommendation.addressed_to.name}"
    return f"a lead at {recommendation.addressed_to.name}"


def detail(recommendation: Recommendation, *, exact_own: bool, today: date | None = None) -> Detail:
    """Everything the recommendation's page shows. A fixed number of queries: the themes,
    their counts and chosen quotes (one each per (organisation, area), usually one), the
    experiments, the answers."""
    today = today or timezone.localdate()
    themes = list(recommendation.themes.select_related("organisation").order_by("title", "pk"))
    counts = theme_counts(themes)
    chosen = quotes_of(recommendation.quotes.all(), themes)
    by_theme: dict[int, list[Quote]] = defaultdict(list)
    for quote in chosen:
        by_theme[quote.theme_id].append(quote)
    experiments = [
        ExperimentEvidence(e.pk, e.title, experiment_hypothesis(e), experiment_dates(e))
        for e in recommendation.experiments.order_by("-starts_on", "pk")
    ]
    answers = list(recommendation.answers.order_by("at", "id"))
    # Where it stands reads the answers: these, not another query.
    cache = {**getattr(recommendation, "_prefetched_objects_cache", {}), "answers": answers}
    setattr(recommendation, "_prefetched_objects_cache", cache)  # noqa: B010
    return Detail(
        recommendation=recommendation,
        to=addressee_words(recommendation),
        standing=standing(recommendation, today=today),
        themes=[
            ThemeEvidence(t, counts[t.pk].words(exact_own=exact_own), by_theme.get(t.pk, []))
            for t in themes
        ],
        experiments=experiments,
        quotes=chosen,
        answers=[
            AnswerRow(
                status=a.status,
                status_label=a.get_status_display(),
                tag=STATUS_TAGS.get(a.status, "tag--grey"),
                words=a.words,
                follow_up_on=day_words(a.follow_up_on),
                what_changed=a.what_changed,
                at=day_words(a.at),
                by=answerer_words(a.by_id, recommendation),
            )
            for a in answers
        ],
        answer_by=day_words(recommendation.answer_by),
        sent_on=day_words(recommendation.sent_at),
    )


# --- for the form ---------------------------------------------------------------------------


def themes_of(organisation_ids: Iterable[int]) -> QuerySet[SystemTheme]:
    return SystemTheme.objects.filter(organisation_id__in=list(organisation_ids)).select_related(
        "organisation"
    )


def experiments_of(organisation_ids: Iterable[int]) -> QuerySet[Experiment]:
    return Experiment.objects.filter(organisation_id__in=list(organisation_ids)).order_by(
        "-starts_on", "pk"
    )


def quote_choices(themes: Sequence[SystemTheme], *, per_theme: int = 8) -> list[Quote]:
    """Quotes a convener may choose as evidence: the consented barriers of their themes, in
    redacted words, up to `per_theme` a theme (the most recent first). One query a theme."""
    from .themes import quotes

    return [
        Quote(q.placement_id, theme.pk, q.words, q.service, q.organisation)
        for theme in themes
        for q in quotes(theme=theme, limit=per_theme)
    ]


def addressable(organisations: Sequence[Organisation]) -> QuerySet[Organisation]:
    """Whom a convener may address: their own organisation, and every organisation in its
    area (other providers' leadership, the council's commissioners)."""
    areas = {o.area_id for o in organisations if o.area_id is not None}
    return Organisation.objects.filter(
        Q(pk__in=[o.pk for o in organisations]) | Q(area_id__in=areas)
    ).order_by("name", "pk")
