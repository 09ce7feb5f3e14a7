"""The area briefing (issue 14, item 8): the area dashboard as one `core.documents.Document`,
rendered to the web page, Word and PDF from that one document (as listening's report and
convening's briefings are), so all three always say the same.

It is built from the same selectors as the insight home (`selectors.home.dashboard`), so the
briefing says what the home says. Everything in it is already an aggregate: counts of people
are disclosure-controlled there (under 10 shown as "fewer than 10", others rounded to 5), and
nobody is named.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from alongside.accounts.models import Area
from alongside.core.documents import (
    Bars,
    Block,
    BulletList,
    Document,
    Facts,
    Heading,
    Paragraph,
    WebBlock,
)
from alongside.core.documents import web_blocks as documents_web_blocks
from alongside.core.words import day_month_year

from .selectors.home import Dashboard, dashboard
from .selectors.wellbeing import FirstLatestChart, Measure, Wellbeing

PROTECTED_NOTE = (
    "To protect people, every count of people here is rounded to the nearest 5 and any count "
    "under 10 is shown as \u201cfewer than 10\u201d, with no rate or average for so few. "
    "Nobody is named, and no figure is about one person."
)


@dataclass
class WellbeingBars:
    """The wellbeing measures as a document block (Word and PDF draw the bars), kept as one
    object so the web page can find it and draw its own chart with the table beside it."""

    wellbeing: Wellbeing

    @functools.cached_property
    def block(self) -> Bars:
        rows: list[tuple[str, float | None, str]] = []
        for m in self.wellbeing.measures:
            # Short labels: the PDF draws them in a narrow column beside the bars.
            rows.append((f"{m.short_label}: first", m.first, m.first_text))
            rows.append((f"{m.short_label}: latest", m.latest, m.latest_text))
        return Bars("Average score out of 10, at the first and the latest check-in", rows)

    @functools.cached_property
    def facts(self) -> Facts:
        """Every figure of each measure, in words (the web page's table says the same)."""
        return Facts([(m.label, measure_words(m)) for m in self.wellbeing.measures])

    @property
    def chart(self) -> FirstLatestChart:
        return self.wellbeing.chart


def measure_words(m: Measure) -> str:
    return (
        f"first {m.first_text}, latest {m.latest_text}, change {m.change_text} "
        f"(95% interval {m.interval_text}), UK average {m.uk_text}, people {m.people}"
    )


def _data_set_blocks(page: Dashboard) -> list[Block]:
    sets = page.data_sets
    pairs = [
        ("Service records ready", str(sets.records)),
        ("Population tables ready", str(sets.population)),
    ]
    if sets.waiting:
        pairs.append(("Still being brought in", str(sets.waiting)))
    if sets.latest_title:
        pairs.append(("The newest", f"{sets.latest_title}, brought in on {sets.latest_on}"))
    return [Heading("Data sets"), Facts(pairs)]


def _finding_blocks(page: Dashboard) -> list[Block]:
    blocks: list[Block] = [Heading("Who the system lets down most")]
    found = page.findings
    if not found.rows:
        blocks.append(Paragraph("No findings yet."))
        return blocks
    blocks.append(
        Paragraph(
            "From the newest analyses, the groups the system may be letting down first, the "
            "widest gaps first; each group's 95% interval leaves no doubt it differs from "
            "everyone else:"
        )
    )
    blocks.append(BulletList([f"{row.sentence} ({row.measure.lower()})" for row in found.rows]))
    more = found.total - len(found.rows)
    if more > 0:
        blocks.append(Paragraph(f"And {more} more on the area's analyses pages."))
    return blocks


def _good_blocks(page: Dashboard) -> list[Block]:
    good = page.good
    blocks: list[Block] = [Heading("What good looks like")]
    if not good.statements:
        blocks.append(Paragraph("No statements of what good looks like yet."))
        return blocks
    blocks.append(
        Facts(
            [
                (v.voice, f"{v.agreed} agreed, {v.discussed} being discussed, {v.drafted} drafted")
                for v in good.voices
            ]
        )
    )
    if good.trackers:
        blocks.append(Heading("The latest from the trackers", 2))
        blocks.append(BulletList([f"{t.title}: {t.value}" for t in good.trackers]))
    return blocks


def _pulse_blocks(page: Dashboard) -> list[Block]:
    found = page.pulses
    blocks: list[Block] = [Heading("System-health pulse")]
    if not found.rows:
        blocks.append(Paragraph("No pulse answers yet."))
        return blocks
    for p in found.rows:
        blocks.append(Paragraph(f"{p.audience}: {p.title}, {p.when}, {p.answers} answers."))
        if p.items:
            blocks.append(BulletList(p.items))
    if found.waiting:
        blocks.append(Paragraph(f"No answers yet from: {', '.join(found.waiting).lower()}."))
    return blocks


def _wellbeing_blocks(page: Dashboard, bars: WellbeingBars) -> list[Block]:
    w = page.wellbeing
    blocks: list[Block] = [Heading("Wellbeing across coaching"), Paragraph(w.sharing_words)]
    if not w.sharing:
        return blocks
    blocks.append(Paragraph(f"People who checked in at least twice: {w.people}."))
    blocks.extend(Paragraph(m.sentence) for m in w.measures)
    if w.shown:
        blocks.append(bars.block)
        blocks.append(bars.facts)
    if w.organisations:
        blocks.append(Heading("Each organisation that shares", 2))
        for org in w.organisations:
            blocks.append(Heading(org.name, 3))
            blocks.append(Facts([(m.label, measure_words(m)) for m in org.measures]))
    if w.wellby is not None:
        blocks.append(Heading("The social value of the change", 2))
        blocks.append(Paragraph(w.wellby.sentence))
    blocks.append(Heading("How the wellbeing figures are worked out", 2))
    blocks.extend(Paragraph(text) for text in w.method)
    return blocks


def area_document(area: Area, *, today: date | None = None) -> tuple[Document, list[WellbeingBars]]:
    """The area's briefing, and its wellbeing bars (for the web page's chart, drawn where the
    document has their table: `WellbeingBars.block`)."""
    today = today or timezone.localdate()
    page = dashboard(area)
    bars = WellbeingBars(page.wellbeing)
    blocks: list[Block] = [
        Paragraph(
            f"What area insight shows for {area.name} on {day_month_year(today)}: who the "
            "system lets down most, what good looks like, and whether the area is getting there."
        ),
        Paragraph(PROTECTED_NOTE),
    ]
    blocks += _data_set_blocks(page)
    blocks += _finding_blocks(page)
    blocks += _good_blocks(page)
    blocks += _pulse_blocks(page)
    blocks += _wellbeing_blocks(page, bars)
    document = Document(
        title=f"Area briefing: {area.name}",
        blocks=blocks,
        author=area.name,
        subject="Area insight, for partners and a board",
    )
    return document, [bars]


# --- the web page ----------------------------------------------------------------------------


def web_blocks(doc: Document, charts: list[WellbeingBars]) -> list[WebBlock]:
    """The document's blocks for the web page, in order. The wellbeing bars become a chart
    with the same figures in a table beside it (which already holds every figure of the
    measures, so their facts are left out)."""
    drawn = {id(bars.block): (bars.chart, bars.wellbeing) for bars in charts}
    return documents_web_blocks(doc, drawn, skip={id(bars.facts) for bars in charts})
