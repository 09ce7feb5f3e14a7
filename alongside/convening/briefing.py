"""A short briefing for a board, from a system theme or a recommendation (issue 13, item 7).

Built once as a `core.documents.Document` and rendered to the web page, Word and PDF from that
one document (as listening's report is), so all three always say the same. A briefing leaves
Alongside, so every count in it is disclosure-controlled (DESIGN.md principle 9: under 10
shown as "fewer than 10", others rounded to 5), every word of a barrier is redacted, only
barriers whose sharing still holds are read (a withdrawal takes one out at once), and no
person is named anywhere: quotes are credited to the organisation they came through.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone

from alongside.coaching.models import Barrier
from alongside.core.charts import Chart, line_chart
from alongside.core.disclosure import protect, protect_table
from alongside.core.documents import (
    Bars,
    Block,
    BulletList,
    Document,
    Facts,
    Heading,
    Paragraph,
    Quote,
    WebBlock,
)
from alongside.core.documents import web_blocks as documents_web_blocks
from alongside.core.words import MONTHS, day_words

from .models import Recommendation, SystemTheme
from .selectors.evidence import redacted
from .selectors.recommendations import (
    addressee_words,
    experiment_dates,
    experiment_hypothesis,
    quotes_of,
    standing,
    with_answers,
)
from .selectors.themes import counted, last_months, monthly_counts, quotes

PROTECTED_NOTE = (
    "To protect people, every count here is rounded to the nearest 5 and any count under 10 "
    "is shown as \u201cfewer than 10\u201d. Nobody is named, and people's words have names, "
    "places and numbers taken out. Only what people agreed to share is included."
)
OUTCOMES_SHOWN = 5
QUOTES_SHOWN = 5


def month_words(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


@dataclass
class Monthly:
    """Barriers a month, as a briefing may show them: disclosure-controlled."""

    theme: SystemTheme
    rows: list[tuple[date, str, int | None]]  # month, shown, value for the chart (or None)
    total: str

    @functools.cached_property
    def block(self) -> Bars:
        """The months as a document block, a bar and a number each (Word and PDF draw the bars;
        a hidden small number has none): the same object each time, so the web page can find
        it and draw its own chart with this table there."""
        return Bars(
            "Barriers each month",
            [(month_words(m), value, shown) for m, shown, value in self.rows]
            + [("Total", None, self.total)],
        )


def monthly(theme: SystemTheme, *, today: date) -> Monthly:
    start, end = last_months(today, 12)
    counts = monthly_counts(theme=theme, start=start, end=end)
    cells, total = protect_table({month.isoformat(): n for month, n in counts})
    return Monthly(
        theme=theme,
        rows=[
            (month, str(cells[month.isoformat()]), cells[month.isoformat()].value)
            for month, _ in counts
        ],
        total=str(total),
    )


def chart_of(theme: SystemTheme, data: Monthly) -> Chart:
    """The monthly counts as a picture, for the web page (suppressed months have no dot)."""
    values = [v for _, _, v in data.rows if v is not None]
    top = max([10, *values])
    top = int(5 * ((top + 4) // 5))
    return line_chart(
        chart_id=f"briefing-theme-{theme.pk}",
        title="Barriers each month",
        series=[(month, value) for month, _, value in data.rows],
        y_min=0,
        y_max=top,
        y_label="Barriers",
        y_step=max(1, top // 5),
    )


@dataclass(frozen=True)
class ThemeFacts:
    total: str
    organisations: list[str]
    services: list[str]
    responses: list[str]
    outcomes: list[str]


def theme_facts(theme: SystemTheme) -> ThemeFacts:
    """What the theme's consented barriers say, counted with disclosure control: which
    organisations they came through, which services or rules, what people did and what came
    of it (redacted). Five queries; each service is redacted once, with the chosen names of
    the people whose barriers name it."""
    placed = counted(theme)
    total = placed.count()
    organisations = sorted(
        set(placed.values_list("person__organisation__name", flat=True).distinct())
    )
    names: dict[str, set[str]] = defaultdict(set)
    for service, name in placed.values_list("service", "person__chosen_name").distinct():
        names[service].add(name)
    service_counts = dict(
        placed.order_by().values_list("service").annotate(n=Count("pk")).values_list("service", "n")
    )
    services: Counter[str] = Counter()
    for service, n in service_counts.items():
        words = redacted(service, sorted(names.get(service, ()))).strip()
        if words:
            services[words] += n
    service_cells = protect_table(dict(services))[0] if services else {}
    labels = dict(Barrier.Response.choices)
    responses: Counter[str] = Counter()
    for response, n in (
        placed.order_by()
        .values_list("response")
        .annotate(n=Count("pk"))
        .values_list("response", "n")
    ):
        responses[labels.get(response, "Not written down")] += n
    response_cells = protect_table(dict(responses))[0] if responses else {}
    outcomes = [
        redacted(outcome, [name])
        for outcome, name in placed.exclude(outcome="")
        .order_by("-created_at", "-pk")
        .values_list("outcome", "person__chosen_name")[:OUTCOMES_SHOWN]
    ]
    return ThemeFacts(
        total=str(protect(total)),
        organisations=organisations,
        services=[f"{service}: {cell}" for service, cell in sorted(service_cells.items())],
        responses=[f"{label}: {cell}" for label, cell in response_cells.items()],
        outcomes=[o for o in outcomes if o.strip()],
    )


def _quote_blocks(items: list[tuple[str, str, str]]) -> list[Block]:
    """(words, service, organisation) as quotes credited to the organisation, never a person."""
    return [
        Quote(
            text=words,
            credit=f"About {service}, shared through {organisation}"
            if service
            else f"Shared through {organisation}",
        )
        for words, service, organisation in items
    ]


def _answers_blocks(recommendation: Recommendation, *, today: date) -> list[Block]:
    blocks: list[Block] = []
    answers = list(recommendation.answers.all())
    if not answers:
        blocks.append(Paragraph(standing(recommendation, today=today).words))
        return blocks
    for answer in answers:
        pairs = [("Answer", answer.get_status_display()), ("Answered on", day_words(answer.at))]
        if answer.words:
            label = "The reason" if answer.status == "declined" else "What they said"
            pairs.append((label, answer.words))
        if answer.what_changed:
            pairs.append(("What changed", answer.what_changed))
        if answer.follow_up_on:
            pairs.append(("Follow up on", day_words(answer.follow_up_on)))
        blocks.append(Facts(pairs))
    return blocks


def theme_document(
    theme: SystemTheme, *, today: date | None = None
) -> tuple[Document, list[Monthly]]:
    """A system theme's briefing, and its monthly counts (for the web page's chart, drawn
    where the document has their table: `Monthly.block`)."""
    today = today or timezone.localdate()
    facts = theme_facts(theme)
    months = monthly(theme, today=today)
    blocks: list[Block] = [Paragraph(theme.summary or "What keeps getting in people's way.")]
    blocks.append(Heading("The evidence in numbers"))
    blocks.append(
        Facts(
            [
                ("Barriers people agreed to share", facts.total),
                ("Organisations they came through", ", ".join(facts.organisations) or "None yet"),
                ("As of", day_words(today)),
            ]
        )
    )
    blocks.append(Paragraph(PROTECTED_NOTE))
    blocks.append(Heading("Barriers each month, over the last year", 2))
    blocks.append(months.block)
    blocks.append(Heading("Services and rules involved"))
    blocks.append(
        BulletList(facts.services) if facts.services else Paragraph("None written down yet.")
    )
    blocks.append(Heading("What people did about it, and what came of it"))
    if facts.responses:
        blocks.append(BulletList(facts.responses))
    if facts.outcomes:
        blocks.append(Paragraph("What came of it, for some of them:"))
        blocks.append(BulletList(facts.outcomes))
    if not facts.responses and not facts.outcomes:
        blocks.append(Paragraph("Nothing written down yet."))
    found = quotes(theme=theme, limit=QUOTES_SHOWN)
    blocks.append(Heading("In people's words"))
    if found:
        blocks.extend(_quote_blocks([(q.words, q.service, q.organisation) for q in found]))
    else:
        blocks.append(Paragraph("No words to quote yet."))
    listening = list(theme.listening_themes.select_related("exercise").order_by("title", "pk"))
    if listening:
        blocks.append(Heading("What listening heard"))
        blocks.append(
            BulletList([f"{t.title} (from \u201c{t.exercise.title}\u201d)" for t in listening])
        )
    experiments = list(theme.experiments.order_by("-starts_on", "pk"))
    if experiments:
        blocks.append(Heading("What we are trying"))
        for experiment in experiments:
            blocks.append(Heading(experiment.title, 2))
            blocks.append(Paragraph(experiment_hypothesis(experiment)))
            blocks.append(Paragraph(experiment_dates(experiment) + "."))
    recommendations = list(
        with_answers(theme.recommendations.filter(sent_at__isnull=False)).order_by("sent_at", "pk")
    )
    if recommendations:
        blocks.append(Heading("What we recommended, and the answers"))
        for recommendation in recommendations:
            blocks.append(Heading(recommendation.title, 2))
            blocks.append(Paragraph(recommendation.what))
            blocks.append(Paragraph(f"To: {addressee_words(recommendation)}."))
            blocks.extend(_answers_blocks(recommendation, today=today))
    document = Document(
        title=f"Briefing: {theme.title}",
        blocks=blocks,
        author=theme.organisation.name,
        subject="A system theme, for a board",
    )
    return document, [months]


def recommendation_document(
    recommendation: Recommendation, *, today: date | None = None
) -> tuple[Document, list[Monthly]]:
    """A recommendation's briefing: the ask, its evidence, and its answers."""
    today = today or timezone.localdate()
    where = standing(recommendation, today=today)
    blocks: list[Block] = [Heading("What we recommend"), Paragraph(recommendation.what)]
    pairs = [
        ("To", addressee_words(recommendation)),
        ("Where the learning lands", recommendation.get_lands_in_display()),
        ("From", recommendation.organisation.name),
    ]
    if recommendation.sent_at:
        pairs.append(("Sent on", day_words(recommendation.sent_at)))
    if recommendation.answer_by:
        pairs.append(("Answer wanted by", day_words(recommendation.answer_by)))
    pairs.append(("Where it stands", where.words))
    blocks.append(Facts(pairs))

    themes = list(recommendation.themes.select_related("organisation").order_by("title", "pk"))
    charts: list[Monthly] = []
    if themes:
        blocks.append(Heading("The evidence"))
        blocks.append(Paragraph(PROTECTED_NOTE))
        for theme in themes:
            facts = theme_facts(theme)
            blocks.append(Heading(theme.title, 2))
            if theme.summary:
                blocks.append(Paragraph(theme.summary))
            blocks.append(
                Facts(
                    [
                        ("Barriers people agreed to share", facts.total),
                        (
                            "Organisations they came through",
                            ", ".join(facts.organisations) or "None yet",
                        ),
                    ]
                )
            )
            blocks.append(Heading(f"{theme.title}: barriers each month", 3))
            months = monthly(theme, today=today)
            charts.append(months)
            blocks.append(months.block)
            if facts.services:
                blocks.append(Heading(f"{theme.title}: services and rules involved", 3))
                blocks.append(BulletList(facts.services))
    chosen = quotes_of(recommendation.quotes.all(), themes)
    if chosen:
        blocks.append(Heading("In people's words"))
        blocks.extend(_quote_blocks([(q.words, q.service, q.organisation) for q in chosen]))
    experiments = list(recommendation.experiments.order_by("-starts_on", "pk"))
    if experiments:
        blocks.append(Heading("What we tried"))
        for experiment in experiments:
            blocks.append(Heading(experiment.title, 2))
            blocks.append(Paragraph(experiment_hypothesis(experiment)))
            blocks.append(Paragraph(experiment_dates(experiment) + "."))
    blocks.append(Heading("The answers"))
    blocks.extend(_answers_blocks(recommendation, today=today))
    document = Document(
        title=recommendation.title,
        blocks=blocks,
        author=recommendation.organisation.name,
        subject="A recommendation, for a board",
    )
    return document, charts


# --- the web page ----------------------------------------------------------------------------


def web_blocks(doc: Document, charts: Sequence[Monthly] = ()) -> list[WebBlock]:
    """The document's blocks for the web page, in order. Each monthly table (`charts`)
    becomes a chart with the same table beside it, so the page shows the picture too."""
    drawn = {id(months.block): (chart_of(months.theme, months), months) for months in charts}
    return documents_web_blocks(doc, drawn)
