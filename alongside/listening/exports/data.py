"""Plain data for the exports. The listening views and selectors fill these in from the
models; the exporters never touch the database."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class QuoteData:
    text: str
    credit: str  # as the contributor agreed, e.g. "Sam, Oxford Street"
    content_warning: str = ""
    # Which contribution the words are from: never shown, but a published (frozen) report
    # leaves a quote out if its contributor later withdraws their agreement to be quoted.
    contribution_id: int | None = None


@dataclass(frozen=True)
class ThemePart:
    number: int  # 1 to M, the order parts appear in
    title: str
    headline: QuoteData | None
    synthesis: str  # paragraphs separated by a blank line
    quotes: list[QuoteData] = field(default_factory=list)
    content_warnings: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportData:
    title: str
    question: str
    asked_by: str
    area: str
    dates_text: str  # e.g. "July and August 2025"
    conversations: int
    channels: list[tuple[str, int]]  # ("WhatsApp", 23), in the order to show them
    places: list[str]
    how_we_listened: str  # paragraphs separated by a blank line
    parts: list[ThemePart]
    introduction: str = ""  # the team's own opening words; paragraphs as above


# --- the report as JSON, for a published version (listening.models.ReportVersion) ------------


def report_to_plain(data: ReportData) -> dict[str, Any]:
    """The report as JSON-ready values: what a published version stores. The same as
    `json.loads(json.dumps(asdict(data)))` (tests/test_listening_report_versions.py checks),
    written out because `asdict` deep-copies every value on the way, and the team's report
    page works this out on every view to compare with what was published (issue 11)."""
    plain: dict[str, Any] = json.loads(
        json.dumps(
            {
                "title": data.title,
                "question": data.question,
                "asked_by": data.asked_by,
                "area": data.area,
                "dates_text": data.dates_text,
                "conversations": data.conversations,
                "channels": data.channels,
                "places": data.places,
                "how_we_listened": data.how_we_listened,
                "parts": [_part_plain(part) for part in data.parts],
                "introduction": data.introduction,
            }
        )
    )
    return plain


def _part_plain(part: ThemePart) -> dict[str, Any]:
    return {
        "number": part.number,
        "title": part.title,
        "headline": _quote_plain(part.headline) if part.headline is not None else None,
        "synthesis": part.synthesis,
        "quotes": [_quote_plain(quote) for quote in part.quotes],
        "content_warnings": part.content_warnings,
        "recommendations": part.recommendations,
    }


def _quote_plain(quote: QuoteData) -> dict[str, Any]:
    return {
        "text": quote.text,
        "credit": quote.credit,
        "content_warning": quote.content_warning,
        "contribution_id": quote.contribution_id,
    }


def report_from_plain(plain: dict[str, Any]) -> ReportData:
    """A stored version back as a ReportData (the inverse of report_to_plain)."""

    def quote(value: dict[str, Any] | None) -> QuoteData | None:
        return QuoteData(**value) if value else None

    parts = [
        ThemePart(
            **{
                **part,
                "headline": quote(part.get("headline")),
                "quotes": [QuoteData(**q) for q in part.get("quotes", [])],
            }
        )
        for part in plain.get("parts", [])
    ]
    channels = [(str(name), int(n)) for name, n in plain.get("channels", [])]
    return ReportData(**{**plain, "channels": channels, "parts": parts})


def report_digest(plain: dict[str, Any]) -> str:
    """A fingerprint of the report's words: equal exactly when two versions say the same."""
    canonical = json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Code:
    guid: str  # a UUID string
    name: str
    description: str = ""
    colour: str = ""  # "#1b6f4a"; anything else is left out of the exports
    children: list[Code] = field(default_factory=list)


@dataclass(frozen=True)
class Codebook:
    codes: list[Code]

    def walk(self) -> list[tuple[Code, Code | None, int]]:
        """Every code, parents before their children, with its parent and depth (0 at top)."""
        found: list[tuple[Code, Code | None, int]] = []

        def visit(code: Code, parent: Code | None, depth: int) -> None:
            found.append((code, parent, depth))
            for child in code.children:
                visit(child, code, depth + 1)

        for code in self.codes:
            visit(code, None, 0)
        return found


@dataclass(frozen=True)
class Source:
    guid: str  # a UUID string
    name: str  # e.g. "Contribution 14 (WhatsApp)"; never a contributor's real name
    text: str  # the redacted text the team codes


@dataclass(frozen=True)
class CodedExcerpt:
    guid: str  # a UUID string
    source_guid: str
    start: int  # character offsets into Source.text, end exclusive
    end: int
    code_guid: str
    text: str  # Source.text[start:end]
