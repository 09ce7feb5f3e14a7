"""A portfolio and its decision as one document (issue 15, item 3): built once as a
`core.documents.Document` and rendered to the web page, Word and PDF from that one document
(as convening's briefings are), so all three always say the same.

It leaves Alongside (to a board, a funder, a commissioner), so it carries only what the
portfolio already holds: the organisation's own words, the figures as they were frozen when it
was sent (disclosure-controlled when they were worked out, see `evidence`), the names of its
documents, the assessor's latest word on each criterion and the decision. A portfolio not yet
sent shows its chosen figures worked out live today, and says so.
"""

from __future__ import annotations

from typing import Any

from alongside.core.documents import (
    Block,
    BulletList,
    Document,
    Facts,
    Heading,
    Paragraph,
    WebBlock,
)
from alongside.core.documents import web_blocks as documents_web_blocks
from alongside.core.words import day_words

from . import evidence
from .models import Portfolio
from .selectors.accreditation import latest_reviews, live_figures, overview

PROTECTED_NOTE = (
    "The figures come from the organisation's own records in Alongside. To protect people, "
    "every count of people or their records is rounded to the nearest 5, any count under 10 "
    "is shown as \u201cfewer than 10\u201d, and a share is shown only when the counts behind "
    "it are. Nobody is named."
)


def _facts(portfolio: Portfolio) -> Facts:
    pairs = [
        ("Organisation", portfolio.organisation.name),
        ("Network", portfolio.network.name),
        ("Rubric", portfolio.rubric.name),
        ("Where it is", portfolio.get_status_display()),
    ]
    if portfolio.submitted_at:
        pairs.append(("Sent to the network", day_words(portfolio.submitted_at)))
    if portfolio.status == Portfolio.Status.DECIDED:
        pairs.append(("Decision", portfolio.get_outcome_display()))
        if portfolio.level:
            pairs.append(("Level", portfolio.level.name))
        pairs.append(("Decided on", day_words(portfolio.decided_at)))
        if portfolio.renewal_due_on:
            pairs.append(("Renewal due", day_words(portfolio.renewal_due_on)))
    return Facts(pairs)


def _figure_blocks(figure: dict[str, Any]) -> list[Block]:
    rows = [
        (str(label), str(value))
        for row in figure.get("rows", [])
        if isinstance(row, (list, tuple)) and len(row) == 2
        for label, value in [row]
    ]
    blocks: list[Block] = [
        Heading(str(figure.get("title", "")), 3),
        Paragraph(str(figure.get("headline", ""))),
    ]
    if rows:
        blocks.append(Facts(rows))
    blocks.append(
        Paragraph(f"How it is counted: {figure.get('definition', '')} {figure.get('period', '')}.")
    )
    return blocks


def document_of(portfolio: Portfolio) -> Document:
    """The portfolio, criterion by criterion, with its decision."""
    doc = Document(
        title=f"{portfolio.organisation.name}: accreditation portfolio",
        author=portfolio.network.name,
        subject=portfolio.rubric.name,
    )
    doc.blocks.append(_facts(portfolio))
    if portfolio.status == Portfolio.Status.DECIDED:
        doc.blocks.append(Heading("The decision"))
        doc.blocks.append(
            Paragraph(
                f"{portfolio.get_outcome_display()}"
                + (f", at the level \u201c{portfolio.level.name}\u201d" if portfolio.level else "")
                + "."
            )
        )
        if portfolio.decision_note:
            doc.blocks.append(Paragraph(portfolio.decision_note))
    sent = portfolio.submitted_at is not None
    live: dict[str, dict[str, Any]] = {}
    if not sent:
        results, _, _ = live_figures(portfolio.organisation)
        live = {r.key: r.as_frozen() for r in results}
        doc.blocks.append(
            Paragraph(
                "This portfolio has not been sent yet: its figures are worked out live today "
                "and will be kept as they stand on the day it is sent."
            )
        )
    latest = latest_reviews(portfolio)
    for theme in overview(portfolio):
        doc.blocks.append(Heading(theme.title))
        if theme.description:
            doc.blocks.append(Paragraph(theme.description))
        for row in theme.rows:
            entry = row.entry
            doc.blocks.append(Heading(row.criterion.title, 2))
            if row.criterion.description:
                doc.blocks.append(Paragraph(row.criterion.description))
            doc.blocks.append(Heading("In the organisation's words", 3))
            doc.blocks.append(Paragraph(entry.narrative or "Nothing written yet."))
            if sent:
                figures = [f for f in entry.figures_frozen or [] if isinstance(f, dict)]
            else:
                figures = [live[k] for k in entry.figure_keys or [] if k in live]
            for figure in figures:
                doc.blocks.extend(_figure_blocks(figure))
            names = [d.name for d in entry.documents.all()]
            if names:
                doc.blocks.append(Heading("Documents", 3))
                doc.blocks.append(BulletList(names))
            review = latest.get(row.criterion.pk)
            if review is not None:
                doc.blocks.append(Heading("The assessor's word", 3))
                words = f"{review.get_verdict_display()} ({day_words(review.at)})."
                doc.blocks.append(Paragraph(f"{words} {review.comment}".strip()))
    doc.blocks.append(Heading("About the figures"))
    doc.blocks.append(Paragraph(PROTECTED_NOTE))
    known = ", ".join(f.title.lower() for f in evidence.FIGURES.values())
    doc.blocks.append(Paragraph(f"The figures an organisation may draw on: {known}."))
    return doc


def web_blocks(doc: Document) -> list[WebBlock]:
    return documents_web_blocks(doc)
