"""Reads for the report and the exports: the database turned into the plain data the
exporters take (alongside/listening/exports/data.py). A fixed number of queries however many
contributions there are.

What leaves here for a reader outside the team is only what principle 8 allows: quotes from
contributions someone has checked, whose contributor agreed to be quoted, in the words that
stand in the redacted text now. Counts go through disclosure control in the exporters.
The REFI-QDA and CSV exports carry only checked contributions, never the words as heard.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.dateformat import format as format_date

from alongside.core.documents import (
    BulletList,
    Document,
    Facts,
    Heading,
    PageBreak,
    Paragraph,
    Quote,
)
from alongside.core.written import (
    columns,
    instances,
    person_rows,
    rows,
    rows_by_values,
    rows_for_ids,
    together,
)

from ..exports.data import (
    Code,
    Codebook,
    CodedExcerpt,
    QuoteData,
    ReportData,
    Source,
    ThemePart,
    report_digest,
    report_from_plain,
    report_to_plain,
)
from ..exports.report import report_document
from ..models import (
    Channel,
    Contribution,
    Excerpt,
    Exercise,
    Report,
    ReportVersion,
    Theme,
    credit_line,
)
from .themes import excerpt_is_current

# Stable identifiers for the exports: the same theme has the same GUID in every download, so
# a team can import again into NVivo or QualCoder and have codes line up.
GUIDS = uuid.UUID("2d5f0f8e-6a57-4f0b-9a4e-0c1d7a3e5b21")
DIDNT_FIT_SYNTHESIS = (
    "Some of what people told us did not fit any of the themes. It is kept here, in its own "
    "part, because every voice counts."
)


def guid(kind: str, pk: int) -> str:
    return str(uuid.uuid5(GUIDS, f"{kind}:{pk}"))


# The report's reads name the exercise (or the report) by its id alone, so each is written by
# the ORM once per connection (core.written: `person_rows` takes any one id, not only a
# person's) and, on PostgreSQL, those that need nothing read before them go in one round trip.


def _report_query(exercise_id: int) -> QuerySet[Any]:
    # One at most: no need to order.
    return Report.objects.filter(exercise_id=exercise_id).values_list(*columns(Report))[:1]


def report_of(exercise: Exercise) -> Report:
    """The exercise's report; an unsaved one (nothing written yet) when there is none."""
    found = instances(Report, person_rows(_report_query, exercise.pk))
    return found[0] if found else Report(exercise=exercise)


@contextmanager
def reading_ahead(exercise: Exercise) -> Iterator[None]:
    """Inside the block, the report and what the working copy reads first (its themes, the
    counts, the places) come from one round trip to PostgreSQL rather than four."""
    with together([_report_query, _themes_query, _counts_query, _places_query], exercise.pk):
        yield


def _published_query(public_token: str) -> QuerySet[Any]:
    return (
        ReportVersion.objects.filter(
            report__public_token=public_token, report__published_at__isnull=False
        )
        .order_by("-number")
        .values_list(*columns(ReportVersion))[:1]
    )


def published_version(public_token: str) -> ReportVersion | None:
    """What readers of the public link see: the latest version the team published, while the
    report is published. One query (written once per connection); the report's live themes
    are never read."""
    found = instances(ReportVersion, rows_by_values(_published_query, public_token))
    return found[0] if found else None


@dataclass(frozen=True)
class VersionRow:
    """A published version on the team's page, without its (large) document."""

    number: int
    published_at: datetime
    digest: str
    published_by: str | None  # who published it, as User.display_name; None once they left


def _versions_query(report_id: int) -> QuerySet[Any]:
    # Who published each is named as `display_name` names them (their person's chosen name if
    # they are one, else their first name or username): read in the same query.
    return (
        ReportVersion.objects.filter(report_id=report_id)
        .order_by("-number")
        .values_list(
            "number",
            "published_at",
            "digest",
            "published_by_id",
            "published_by__first_name",
            "published_by__username",
            "published_by__person__id",
            "published_by__person__chosen_name",
        )
    )


def _display_name(first_name: str, username: str, person_id: int | None, chosen: str) -> str:
    """As User.display_name, from the values read."""
    if person_id is not None:
        return chosen
    return first_name or username


def versions_of(report: Report) -> list[VersionRow]:
    """Every published version, newest first, without their (large) documents."""
    if report.pk is None:
        return []
    return [
        VersionRow(
            number,
            published_at,
            digest,
            None if user_id is None else _display_name(first, username, person_id, chosen),
        )
        for (
            number,
            published_at,
            digest,
            user_id,
            first,
            username,
            person_id,
            chosen,
        ) in person_rows(_versions_query, report.pk)
    ]


def is_latest(version: ReportVersion) -> bool:
    later = ReportVersion.objects.filter(report_id=version.report_id, number__gt=version.number)
    return not later.exists()


def version_of(report: Report, number: int) -> ReportVersion | None:
    if report.pk is None:
        return None
    return (
        ReportVersion.objects.filter(report=report, number=number)
        .select_related("published_by")
        .first()
    )


# --- what the report says --------------------------------------------------------------------


@dataclass(frozen=True)
class _Quoted:
    """A chosen quote or a headline, with what the report needs of its contribution: read
    as plain values, not as an excerpt and a contribution (issue 11)."""

    pk: int  # the excerpt's
    theme: Theme
    text: str
    current: bool  # its words still stand in the contribution's redacted text
    contribution_id: int
    reviewed: bool
    consent_to_quote: bool
    credit_line: str
    content_warnings: str

    @property
    def publishable(self) -> bool:
        return self.consent_to_quote and self.reviewed and self.current


# What the report reads of each quote and its contribution (never `text`, the words as heard).
QUOTE_FIELDS = (
    "pk",
    "theme_id",
    "start",
    "end",
    "text",
    "contribution_id",
    "contribution__redacted_text",
    "contribution__state",
    "contribution__consent_to_quote",
    "contribution__credit",
    "contribution__credit_name",
    "contribution__credit_place",
    "contribution__content_warnings",
)


@dataclass
class _Reading:
    """Everything the report needs, read once."""

    exercise: Exercise
    themes: list[Any]  # Theme rows, each given its `count` of contributions
    quoted: list[_Quoted]
    channels: list[tuple[str, int]]
    places: list[str]
    total: int

    def parts(self) -> list[Theme]:
        """Themes with anyone in them, in the team's order; "didn't fit" last when it has any."""
        return [t for t in self.themes if t.count and not t.is_didnt_fit] + [
            t for t in self.themes if t.count and t.is_didnt_fit
        ]


def _themes_query(exercise_id: int) -> QuerySet[Any]:
    return (
        Theme.objects.filter(exercise_id=exercise_id)
        .order_by("is_didnt_fit", "position", "pk")
        .values_list(*columns(Theme))
    )


def _counts_query(exercise_id: int) -> QuerySet[Any]:
    # One count of the contributions by theme and channel gives each theme's count, the
    # channels and the total.
    return (
        Contribution.objects.filter(exercise_id=exercise_id)
        .values_list("theme_id", "channel")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _quoted_query(theme_ids: list[int], headline_ids: list[int]) -> QuerySet[Any]:
    return (
        Excerpt.objects.filter(theme_id__in=theme_ids)
        .filter(Q(is_quote=True) | Q(pk__in=headline_ids))
        .order_by("theme_id", "position", "pk")
        .values_list(*QUOTE_FIELDS)
    )


def _quoted_rows(theme_ids: list[int], headline_ids: list[int]) -> list[tuple[Any, ...]]:
    """The chosen quotes and headlines of these themes: written once for each number of
    themes and of headlines."""
    if not theme_ids:
        return []  # the ORM asks nothing of a filter that matches nothing
    n = len(theme_ids)
    return rows(
        ("report quotes", n, len(headline_ids)),
        lambda ids: _quoted_query(ids[:n], ids[n:]),
        [*theme_ids, *headline_ids],
    )


def _reading(exercise: Exercise) -> _Reading:
    themes: list[Any] = instances(Theme, person_rows(_themes_query, exercise.pk))
    per_theme: dict[int | None, int] = {}
    by_channel: dict[str, int] = {}
    for theme_id, channel, n in person_rows(_counts_query, exercise.pk):
        per_theme[theme_id] = per_theme.get(theme_id, 0) + n
        by_channel[channel] = by_channel.get(channel, 0) + n
    for theme in themes:
        theme.count = per_theme.get(theme.pk, 0)
    by_id = {t.pk: t for t in themes}
    headlines = [t.headline_id for t in themes if t.headline_id]
    quoted = [
        _Quoted(
            pk=pk,
            theme=by_id[theme_id],
            text=text,
            current=redacted[start:end] == text,  # as themes.excerpt_is_current
            contribution_id=contribution_id,
            reviewed=state == Contribution.State.REVIEWED,
            consent_to_quote=consent,
            credit_line=credit_line(credit, credit_name, credit_place),
            content_warnings=warnings,
        )
        for (
            pk,
            theme_id,
            start,
            end,
            text,
            contribution_id,
            redacted,
            state,
            consent,
            credit,
            credit_name,
            credit_place,
            warnings,
        ) in _quoted_rows(list(by_id), headlines)
    ]
    labels = dict(Channel.choices)
    channels = sorted(
        ((str(labels.get(key, key)), n) for key, n in by_channel.items()),
        key=lambda c: (-c[1], c[0]),
    )
    places = _exercise_places(exercise)
    return _Reading(exercise, themes, quoted, channels, places, sum(by_channel.values()))


def _named(exercise_id: int) -> QuerySet[Any]:
    return (
        Contribution.objects.filter(exercise_id=exercise_id)
        .exclude(place="")
        .values_list("place", flat=True)
    )


def _places_query(exercise_id: int) -> QuerySet[Any]:
    return _named(exercise_id).order_by().distinct()


def _places(contributions: QuerySet[Contribution]) -> list[str]:
    """Every place named, its spaces tidied, once however it was capitalised, in alphabetical
    order. Only the distinct places are read, unless the same place came with different
    capitals: then the spelling kept is the one captured first."""
    named = contributions.exclude(place="").values_list("place", flat=True)
    return _tidied(named.order_by().distinct(), lambda: named.order_by("captured_at", "pk"))


def _exercise_places(exercise: Exercise) -> list[str]:
    """As `_places(exercise.contributions.all())`, its first query written once."""
    distinct = (value for (value,) in person_rows(_places_query, exercise.pk))
    return _tidied(distinct, lambda: _named(exercise.pk).order_by("captured_at", "pk"))


def _tidied(distinct: Iterable[str], first_captured: Callable[[], Iterable[str]]) -> list[str]:
    seen: dict[str, str] = {}
    for value in distinct:
        name = " ".join(value.split())
        if seen.setdefault(name.casefold(), name) != name:
            return _first_spellings(first_captured())
    return sorted(seen.values(), key=str.casefold)


def _first_spellings(values: Any) -> list[str]:
    """As _places, reading every contribution's place in the order they were captured."""
    seen: dict[str, str] = {}
    for value in values:
        name = " ".join(value.split())
        seen.setdefault(name.casefold(), name)
    return sorted(seen.values(), key=str.casefold)


def publish_problems(exercise: Exercise, reading: _Reading | None = None) -> list[str]:
    """Why the report cannot be published yet, one plain sentence each; empty when it can."""
    problems: list[str] = []
    for quoted in (reading or _reading(exercise)).quoted:
        where = f"\u201c{quoted.theme.title}\u201d"
        if not quoted.reviewed:
            problem = (
                f"{where}: a quote comes from a contribution still waiting for someone to "
                "check what was removed."
            )
        elif not quoted.consent_to_quote:
            problem = (
                f"{where}: a quote comes from a contribution whose contributor did not agree "
                "to be quoted."
            )
        elif not quoted.current:
            problem = f"{where}: a quote's words changed after they were highlighted."
        else:
            continue
        if problem not in problems:
            problems.append(problem)
    return problems


def report_data(exercise: Exercise, report: Report, reading: _Reading | None = None) -> ReportData:
    reading = reading or _reading(exercise)
    parts = reading.parts()
    return ReportData(
        title=exercise.title,
        question=exercise.question,
        asked_by=exercise.asked_by,
        area=exercise.area.name if exercise.area is not None else "",
        dates_text=dates_text(exercise.starts_on, exercise.ends_on),
        conversations=reading.total,
        channels=reading.channels,
        places=reading.places,
        how_we_listened=report.how_we_listened,
        parts=[_part(number, theme, reading) for number, theme in enumerate(parts, 1)],
        introduction=report.introduction,
    )


def _part(number: int, theme: Theme, reading: _Reading) -> ThemePart:
    mine = [q for q in reading.quoted if q.theme is theme and q.publishable]
    headline = next((q for q in mine if q.pk == theme.headline_id), None)
    supporting = [q for q in mine if q is not headline]
    warnings = _warnings(theme.content_warnings, *(q.content_warnings for q in mine))
    synthesis = theme.synthesis
    if theme.is_didnt_fit:
        synthesis = _joined(DIDNT_FIT_SYNTHESIS, synthesis)
    return ThemePart(
        number=number,
        title=theme.title,
        headline=_quote(headline) if headline else None,
        synthesis=synthesis,
        quotes=[_quote(q) for q in supporting],
        content_warnings=warnings,
        recommendations=theme.recommendation_list(),
    )


def _quote(quoted: _Quoted) -> QuoteData:
    return QuoteData(
        text=quoted.text,
        credit=quoted.credit_line,
        content_warning=quoted.content_warnings.strip(),
        contribution_id=quoted.contribution_id,
    )


def _warnings(*texts: str) -> list[str]:
    found: dict[str, str] = {}
    for text in texts:
        for part in re.split(r"[;,\n]", text or ""):
            if part.strip():
                found.setdefault(part.strip().casefold(), part.strip())
    return list(found.values())


def _joined(*texts: str) -> str:
    return "\n\n".join(t.strip() for t in texts if t and t.strip())


def dates_text(starts: date | None, ends: date | None) -> str:
    """ "March 2025", "March to April 2025", "December 2024 to January 2025"."""
    if starts is None and ends is None:
        return ""
    if starts is None or ends is None:
        one = starts if starts is not None else ends
        assert one is not None  # both None returned above
        return f"{'From' if starts else 'Until'} {format_date(one, 'F Y')}"
    if (starts.year, starts.month) == (ends.year, ends.month):
        return format_date(starts, "F Y")
    if starts.year == ends.year:
        return f"{format_date(starts, 'F')} to {format_date(ends, 'F Y')}"
    return f"{format_date(starts, 'F Y')} to {format_date(ends, 'F Y')}"


def document(exercise: Exercise, report: Report, reading: _Reading | None = None) -> Document:
    """The report as one document: the web page, the Word file and the PDF all come from it,
    so they always say the same."""
    return report_document(report_data(exercise, report, reading))


@dataclass(frozen=True)
class Preview:
    """The team's working copy: the document, what stops it being published, and its
    fingerprint (to compare with what was last published)."""

    document: Document
    problems: list[str]
    digest: str


def preview(exercise: Exercise, report: Report) -> Preview:
    """The working copy and what stops it being published, from one reading."""
    reading = _reading(exercise)
    data = report_data(exercise, report, reading)
    return Preview(
        report_document(data),
        publish_problems(exercise, reading),
        report_digest(report_to_plain(data)),
    )


@dataclass(frozen=True)
class Freezing:
    """What publishing stores, and what stops it: built from one reading."""

    data: dict[str, Any]
    digest: str
    problems: list[str]


def freezing(exercise: Exercise, report: Report) -> Freezing:
    """The working copy as a version to publish (services.reports.report_publish)."""
    reading = _reading(exercise)
    plain = report_to_plain(report_data(exercise, report, reading))
    return Freezing(plain, report_digest(plain), publish_problems(exercise, reading))


def _still_quotable_query(ids: list[int]) -> QuerySet[Any]:
    return Contribution.objects.filter(
        pk__in=ids, state=Contribution.State.REVIEWED, consent_to_quote=True
    ).values_list("pk", "redacted_text")


def version_document(version: ReportVersion) -> Document:
    """A published version as it was published, less any quote that may no longer be shown:
    its contributor withdrew their agreement to be quoted, its contribution went back to be
    checked or was deleted, or its words were since taken out (DESIGN.md principle 8). At
    most one query, however long the report."""
    data = report_from_plain(version.data)
    quotes = [q for part in data.parts for q in (part.headline, *part.quotes) if q is not None]
    ids = {q.contribution_id for q in quotes if q.contribution_id is not None}
    still: dict[int, str] = {}
    if ids:
        still = dict(rows_for_ids(_still_quotable_query, sorted(ids)))

    def shown(quote: QuoteData | None) -> bool:
        if quote is None or quote.contribution_id is None:
            return quote is not None
        return quote.text in still.get(quote.contribution_id, "")

    parts = [
        ThemePart(
            number=part.number,
            title=part.title,
            headline=part.headline if shown(part.headline) else None,
            synthesis=part.synthesis,
            quotes=[q for q in part.quotes if shown(q)],
            content_warnings=part.content_warnings,
            recommendations=part.recommendations,
        )
        for part in data.parts
    ]
    return report_document(replace(data, parts=parts))


# --- the same document as HTML sections --------------------------------------------------------


@dataclass
class WebBlock:
    kind: str  # heading, paragraph, quote, list, facts
    text: str = ""
    level: int = 2  # the HTML heading level
    credit: str = ""
    warning: str = ""
    items: list[Any] = field(default_factory=list)


def web_sections(doc: Document) -> list[list[WebBlock]]:
    """The document's blocks for a template, a new section at each page break (each part).
    The document title is the page's h1, so its headings start at h2."""
    sections: list[list[WebBlock]] = [[]]
    for block in doc.blocks:
        if isinstance(block, PageBreak):
            sections.append([])
        elif isinstance(block, Heading):
            sections[-1].append(WebBlock("heading", block.text, level=min(block.level + 1, 6)))
        elif isinstance(block, Paragraph):
            sections[-1].append(WebBlock("paragraph", block.text))
        elif isinstance(block, Quote):
            sections[-1].append(
                WebBlock("quote", block.text, credit=block.credit, warning=block.warning)
            )
        elif isinstance(block, BulletList):
            sections[-1].append(WebBlock("list", items=list(block.items)))
        elif isinstance(block, Facts):
            sections[-1].append(WebBlock("facts", items=list(block.pairs)))
    return [section for section in sections if section]


# --- codebook and coded excerpts ----------------------------------------------------------------


@dataclass(frozen=True)
class Coding:
    codebook: Codebook
    sources: list[Source]
    excerpts: list[CodedExcerpt]


def coding(exercise: Exercise) -> Coding:
    """Every theme as a code; every checked contribution as a source, coded whole to the
    theme it is in; and every excerpt a person highlighted or chose as a quote, as a
    selection coded to its theme. Contributions not yet checked stay out: their redacted text
    may still hold something identifying."""
    themes = list(exercise.themes.order_by("is_didnt_fit", "position", "pk"))
    codes = [Code(guid=guid("theme", t.pk), name=t.title, description=_describe(t)) for t in themes]
    contributions = list(
        exercise.contributions.filter(state=Contribution.State.REVIEWED)
        .exclude(redacted_text="")
        .only("pk", "channel", "redacted_text", "theme_id", "state")
        .order_by("pk")
    )
    sources = [
        Source(
            guid=guid("contribution", c.pk),
            name=f"Contribution {c.pk} ({c.get_channel_display()})",
            text=c.redacted_text,
        )
        for c in contributions
    ]
    excerpts = [
        CodedExcerpt(
            guid=guid("placement", c.pk),
            source_guid=guid("contribution", c.pk),
            start=0,
            end=len(c.redacted_text),
            code_guid=guid("theme", c.theme_id),
            text=c.redacted_text,
        )
        for c in contributions
        if c.theme_id is not None
    ]
    by_pk = {c.pk: c for c in contributions}
    chosen = (
        Excerpt.objects.filter(theme__exercise=exercise, contribution_id__in=by_pk)
        .filter(Q(coded_by__isnull=False) | Q(is_quote=True))
        .only("pk", "contribution_id", "theme_id", "start", "end", "text")
        .order_by("contribution_id", "start", "pk")
    )
    for excerpt in chosen:
        contribution = by_pk[excerpt.contribution_id]
        if not excerpt_is_current(excerpt, contribution):
            continue
        excerpts.append(
            CodedExcerpt(
                guid=guid("excerpt", excerpt.pk),
                source_guid=guid("contribution", contribution.pk),
                start=excerpt.start,
                end=excerpt.end,
                code_guid=guid("theme", excerpt.theme_id),
                text=excerpt.text,
            )
        )
    return Coding(Codebook(codes), sources, excerpts)


def _describe(theme: Theme) -> str:
    if theme.synthesis.strip():
        return theme.synthesis.strip()
    if theme.keywords:
        return "Keywords: " + ", ".join(theme.keywords)
    return ""
