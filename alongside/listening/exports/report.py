"""The themed listening report in "N of M" parts (issue 5 item 5), as a Document for the
Word and PDF renderers in core/documents.

An introduction says what was asked, by whom, where and when, how many conversations came in
by which channels, and how people were listened to. Then each theme is one part: "Part 2 of 7:
…", its content warnings first, a headline quote, the synthesis, the supporting quotes with
their credits, and the recommendations.

Counts pass through core.disclosure like every aggregate shown outside a coaching team
(DESIGN.md principle 9); doing it again here is harmless when a selector already has.
"""

from __future__ import annotations

from alongside.core import disclosure
from alongside.core.documents import (
    Block,
    BulletList,
    Document,
    Facts,
    Heading,
    PageBreak,
    Paragraph,
    Quote,
    to_docx,
    to_pdf,
)

from .data import QuoteData, ReportData, ThemePart

COUNTS_NOTE = (
    "Counts are rounded to the nearest 5, and counts under 10 are not shown, so that no one "
    "can be picked out."
)


def report_document(data: ReportData) -> Document:
    """The whole report. Parts must be numbered 1 to M with no gaps, so that "Part 2 of 7"
    in the contents and on the page always agree."""
    parts = _in_order(data.parts)
    blocks: list[Block] = [*_introduction(data), *_contents(parts)]
    for part in parts:
        blocks.extend(_part(part, len(parts)))
    return Document(title=data.title, blocks=blocks, subject=data.question)


def report_docx(data: ReportData) -> bytes:
    return to_docx(report_document(data))


def report_pdf(data: ReportData) -> bytes:
    """Raises core.documents.PdfUnavailableError when reportlab is not installed."""
    return to_pdf(report_document(data))


def part_heading(number: int, total: int, title: str) -> str:
    return f"Part {number} of {total}: {title}"


def _in_order(parts: list[ThemePart]) -> list[ThemePart]:
    ordered = sorted(parts, key=lambda part: part.number)
    numbers = [part.number for part in ordered]
    if numbers != list(range(1, len(parts) + 1)):
        raise ValueError(f"Report parts must be numbered 1 to {len(parts)}; got {numbers}.")
    return ordered


def _paragraphs(text: str) -> list[Block]:
    """Blank lines separate paragraphs; a single newline stays a line break inside one."""
    chunks = text.replace("\r\n", "\n").split("\n\n")
    return [Paragraph(chunk.strip()) for chunk in chunks if chunk.strip()]


def _count(value: int) -> str:
    return str(disclosure.protect(value))


def _channels(channels: list[tuple[str, int]]) -> str:
    if not channels:
        return "Not recorded"
    cells, _total = disclosure.protect_table(dict(channels))
    return "; ".join(f"{name} ({cells[name]})" for name, _count in channels)


def _introduction(data: ReportData) -> list[Block]:
    facts = [
        ("Asked by", data.asked_by or "Not recorded"),
        ("Area", data.area or "Not recorded"),
        ("When", data.dates_text or "Not recorded"),
        ("Conversations", _count(data.conversations)),
        ("How people took part", _channels(data.channels)),
        ("Places", ", ".join(data.places) if data.places else "Not recorded"),
    ]
    return [
        Heading("About this listening", 1),
        # The team's own introduction opens the report, under its first heading.
        *_paragraphs(data.introduction),
        Paragraph(f"We asked one open question: {data.question}"),
        Facts(facts),
        Paragraph(COUNTS_NOTE),
        Heading("How we listened", 2),
        *_paragraphs(data.how_we_listened),
    ]


def _contents(parts: list[ThemePart]) -> list[Block]:
    if not parts:
        return [Heading("What we heard", 1), Paragraph("No themes have been written up yet.")]
    return [
        Heading("What we heard", 1),
        Paragraph(
            f"This report is in {len(parts)} part{'s' if len(parts) != 1 else ''}, "
            "one for each theme that came out of the conversations."
        ),
        BulletList([part_heading(p.number, len(parts), p.title) for p in parts]),
    ]


def _quote(quote: QuoteData) -> Quote:
    return Quote(quote.text, quote.credit, warning=quote.content_warning)


def _part(part: ThemePart, total: int) -> list[Block]:
    blocks: list[Block] = [PageBreak(), Heading(part_heading(part.number, total, part.title), 1)]
    warnings = [w.strip() for w in part.content_warnings if w.strip()]
    if warnings:
        blocks.append(Paragraph(f"Content warning: this part talks about {', '.join(warnings)}."))
    if part.headline is not None:
        blocks.append(_quote(part.headline))
    blocks.append(Heading("What we heard", 2))
    blocks.extend(_paragraphs(part.synthesis) or [Paragraph("Not written yet.")])
    if part.quotes:
        blocks.append(Heading("In their words", 2))
        blocks.extend(_quote(q) for q in part.quotes)
    if part.recommendations:
        blocks.append(Heading("What we recommend", 2))
        blocks.append(BulletList(list(part.recommendations)))
    return blocks
