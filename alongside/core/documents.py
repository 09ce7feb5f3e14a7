"""A tiny document model and its Word and PDF renderers.

Listening reports and a person's own record are written once as a `Document` (a title and a
list of blocks) and rendered to Word with python-docx or to PDF with reportlab. Both
renderers take text typed by real people, so every string is cleaned first: characters XML
cannot hold are dropped, line endings are made consistent, and for the PDF any character the
embedded font cannot draw is decomposed (ą → a), dropped (an emoji) or shown as "?" (a
letter from a script the font lacks), never left to crash the renderer.

reportlab is optional: importing this module never needs it, `pdf_available()` says whether
it imports, and `to_pdf` raises `PdfUnavailableError` without it.
"""

from __future__ import annotations

import functools
import io
import os
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from .words import when_words

LANGUAGE = "en-GB"
BODY_PT = 12
CREATOR = "Alongside"


# XML 1.0 allows tab, newline, carriage return and these ranges; python-docx refuses the rest.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 is a main section; the document title sits above every heading


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Quote:
    text: str
    credit: str
    warning: str = ""  # a content warning, shown before the quote


@dataclass(frozen=True)
class BulletList:
    items: Sequence[str]


@dataclass(frozen=True)
class Facts:
    pairs: Sequence[tuple[str, str]]  # label, value


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Bars:
    """A small bar chart a document can carry, with each bar's number written beside it (so
    the numbers are there for anyone who cannot see the bars). A row whose value is None has
    no bar: its words say why (a small number hidden, a total)."""

    title: str
    rows: Sequence[tuple[str, float | None, str]]  # label, value, the value in words


Block = Heading | Paragraph | Quote | BulletList | Facts | PageBreak | Bars

BAR_CELLS = 20  # the longest bar, in characters (Word) or a share of the width (PDF)


def bar_length(value: float | None, top: float, cells: int = BAR_CELLS) -> int:
    """How long a bar is, out of `cells`: at least one for anything above nothing."""
    if value is None or value <= 0 or top <= 0:
        return 0
    return max(1, round(cells * min(value, top) / top))


def _top(block: Bars) -> float:
    return max((value for _, value, _ in block.rows if value is not None), default=0.0)


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    language: str = LANGUAGE
    author: str = ""
    subject: str = ""


@dataclass(frozen=True)
class WebBlock:
    """A block of a `Document` as a web page draws it (the briefings of convening and
    insight). A chart block carries the app's drawn chart and the figures its table shows
    beside it (`data`)."""

    kind: str  # heading, paragraph, quote, list, facts, chart
    text: str = ""
    level: int = 2  # the HTML heading level: the document title is the page's h1
    credit: str = ""
    items: list[Any] = field(default_factory=list)
    chart: Any = None
    data: Any = None


def web_blocks(
    doc: Document,
    charts: Mapping[int, tuple[Any, Any]] | None = None,
    skip: Collection[int] = (),
) -> list[WebBlock]:
    """The document's blocks for the web page, in order. `charts` maps a block (by `id`) that
    the page draws as a chart to its (chart, figures); blocks in `skip` are left out (a table
    the chart's own table already shows). Bars, which Word and the PDF draw themselves, are
    facts on the web unless a chart stands in for them."""
    charts = charts or {}
    found: list[WebBlock] = []
    for block in doc.blocks:
        if id(block) in skip:
            continue
        if id(block) in charts:
            chart, data = charts[id(block)]
            found.append(WebBlock("chart", chart=chart, data=data))
        elif isinstance(block, Heading):
            found.append(WebBlock("heading", block.text, level=min(block.level + 1, 6)))
        elif isinstance(block, Paragraph):
            found.append(WebBlock("paragraph", block.text))
        elif isinstance(block, Quote):
            found.append(WebBlock("quote", block.text, credit=block.credit))
        elif isinstance(block, BulletList):
            found.append(WebBlock("list", items=list(block.items)))
        elif isinstance(block, Facts):
            found.append(WebBlock("facts", items=list(block.pairs)))
        elif isinstance(block, Bars):
            found.append(
                WebBlock("facts", items=[(label, shown) for label, _, shown in block.rows])
            )
    return found


class PdfUnavailableError(RuntimeError):
    """reportlab is not installed, so there is no PDF; offer the Word or web version."""


# --- text cleaning, shared by both renderers -------------------------------------------------


def clean_text(text: object) -> str:
    """Any value as text XML can hold, with every line ending as a single newline."""
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", value)


def _credit_line(credit: str) -> str:
    return f"— {credit}"


def _warning_line(warning: str) -> str:
    return f"Content warning: {warning}"


# --- Word -----------------------------------------------------------------------------------


def to_docx(doc: Document) -> bytes:
    """The document as a .docx file: real Word headings, a Quote style for quotes, page
    numbers in the footer, and the title and language in the file's properties."""
    import docx
    from docx.shared import Pt

    word = docx.Document()
    _docx_properties(word, doc)
    normal = word.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _docx_language(word, doc.language)
    _docx_page_numbers(word)

    word.add_heading(clean_text(doc.title), level=0)
    for block in doc.blocks:
        _DOCX_RENDERERS[type(block)](word, block)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _docx_properties(word: Any, doc: Document) -> None:
    props = word.core_properties
    props.title = _property(doc.title)
    props.language = doc.language
    props.subject = _property(doc.subject)
    # The python-docx template carries its own author and comments; none of it is ours.
    props.author = _property(doc.author) or CREATOR
    props.last_modified_by = CREATOR
    props.comments = ""
    props.keywords = ""
    props.created = datetime.now().replace(microsecond=0)
    props.modified = props.created


def _property(text: str) -> str:
    """Word's document properties hold at most 255 characters."""
    value = clean_text(text)
    return value if len(value) <= 255 else value[:254] + "…"


def _docx_language(word: Any, language: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = word.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    lang.set(qn("w:bidi"), language)
    rpr.append(lang)


def _docx_page_numbers(word: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    footer = word.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    field_ = OxmlElement("w:fldSimple")
    field_.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field_.append(run)
    footer._p.append(field_)


def _docx_heading(word: Any, block: Heading) -> None:
    word.add_heading(clean_text(block.text), level=min(max(block.level, 1), 9))


def _docx_paragraph(word: Any, block: Paragraph) -> None:
    word.add_paragraph(clean_text(block.text))


def _docx_quote(word: Any, block: Quote) -> None:
    from docx.shared import Pt

    if block.warning.strip():
        warning = word.add_paragraph()
        warning.add_run(_warning_line(clean_text(block.warning))).bold = True
    word.add_paragraph(clean_text(block.text), style="Quote")
    if block.credit.strip():
        credit = word.add_paragraph(_credit_line(clean_text(block.credit)))
        credit.paragraph_format.left_indent = Pt(36)


def _docx_bullets(word: Any, block: BulletList) -> None:
    for item in block.items:
        word.add_paragraph(clean_text(item), style="List Bullet")


def _docx_facts(word: Any, block: Facts) -> None:
    if not block.pairs:
        return
    table = word.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in block.pairs:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(clean_text(label)).bold = True
        cells[1].paragraphs[0].add_run(clean_text(value))
    word.add_paragraph()  # Word glues a following heading to a table without it


def _docx_page_break(word: Any, block: PageBreak) -> None:
    word.add_page_break()


def _docx_bars(word: Any, block: Bars) -> None:
    """A table of label, bar (drawn with full blocks) and number: Word has no chart of its
    own that python-docx can make."""
    if not block.rows:
        return
    word.add_paragraph().add_run(clean_text(block.title)).bold = True
    top = _top(block)
    table = word.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    for label, value, shown in block.rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(clean_text(label))
        cells[1].paragraphs[0].add_run("\u2588" * bar_length(value, top))
        cells[2].paragraphs[0].add_run(clean_text(shown))
    word.add_paragraph()


_DOCX_RENDERERS: dict[type, Callable[[Any, Any], None]] = {
    Heading: _docx_heading,
    Paragraph: _docx_paragraph,
    Quote: _docx_quote,
    BulletList: _docx_bullets,
    Facts: _docx_facts,
    PageBreak: _docx_page_break,
    Bars: _docx_bars,
}


# --- PDF ------------------------------------------------------------------------------------


@functools.cache
def pdf_available() -> bool:
    """True when reportlab imports, so a PDF can be offered."""
    try:
        import reportlab  # noqa: F401
    except ImportError:
        return False
    return True


# DejaVu covers far more scripts than the Vera font reportlab ships (Polish, Greek, Cyrillic,
# many symbols); Vera is the fallback so a PDF never depends on what the machine has.
_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
)
_DEJAVU = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf")
_DEJAVU_BOLD_ITALIC = "DejaVuSans-BoldOblique.ttf"
_VERA = ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf")
FONT = "AlongsideSans"


@dataclass(frozen=True)
class _Font:
    name: str
    covers: frozenset[int]  # code points every face of the family can draw


def _font_files() -> tuple[str, str, str, str]:
    for folder in _FONT_DIRS:
        paths = [os.path.join(folder, name) for name in (*_DEJAVU, _DEJAVU_BOLD_ITALIC)]
        if all(os.path.isfile(path) for path in paths):
            return paths[0], paths[1], paths[2], paths[3]
    import reportlab

    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    regular, bold, italic, bold_italic = (os.path.join(folder, name) for name in _VERA)
    return regular, bold, italic, bold_italic


@functools.cache
def _pdf_font() -> _Font:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    faces = {}
    for suffix, path in zip(("", "-Bold", "-Italic", "-BoldItalic"), _font_files(), strict=True):
        faces[suffix] = TTFont(FONT + suffix, path)
        pdfmetrics.registerFont(faces[suffix])
    for bold, italic, suffix in (
        (0, 0, ""),
        (1, 0, "-Bold"),
        (0, 1, "-Italic"),
        (1, 1, "-BoldItalic"),
    ):
        addMapping(FONT, bold, italic, FONT + suffix)
    covers = frozenset.intersection(*(frozenset(f.face.charToGlyph) for f in faces.values()))
    # reportlab writes a broken text map for characters beyond U+FFFF (most emoji), so text
    # could not be copied or read aloud from the PDF: leave them out.
    return _Font(FONT, frozenset(point for point in covers if point <= 0xFFFF))


def fit_to_font(text: str, covers: Callable[[int], bool]) -> str:
    """`text` with only characters the font can draw. A letter the font lacks is decomposed
    (ą → a) when it can be; symbols and emoji it cannot draw are dropped; anything else
    becomes "?" so the reader can see something was there."""
    return _fit(text, covers)[0]


def _fit(text: str, covers: Callable[[int], bool]) -> tuple[str, int]:
    """The fitted text and how many characters became "?"."""
    out: list[str] = []
    lost = 0
    for char in clean_text(text):
        if char == "\n" or covers(ord(char)):
            out.append(char)
            continue
        category = unicodedata.category(char)
        if category.startswith("Z") or char == "\t":
            out.append(" ")
        elif category.startswith("C") or category.startswith("M"):
            continue  # joiners, variation selectors, marks with no glyph: nothing to see
        elif base := _drawable_base(char, covers):
            out.append(base)
        elif category in ("So", "Sk", "Sm"):
            continue
        else:
            out.append("?")
            lost += 1
    return "".join(out), lost


def _drawable_base(char: str, covers: Callable[[int], bool]) -> str:
    parts = [c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)]
    if parts and all(covers(ord(c)) for c in parts):
        return "".join(parts)
    return ""


def _markup(text: str, font: _Font) -> str:
    """Text as reportlab paragraph markup: escaped, with line breaks kept."""
    fitted = fit_to_font(text, font.covers.__contains__)
    return escape(fitted).replace("\n", "<br/>")


def _pdf_styles(font: _Font) -> dict[str, Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    ink = HexColor("#1a1a1a")
    quiet = HexColor("#444444")
    body = ParagraphStyle(
        "body", fontName=font.name, fontSize=BODY_PT, leading=17, spaceAfter=8, textColor=ink
    )

    def like(name: str, **overrides: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **overrides)

    def heading(name: str, size: int, leading: int, before: int) -> ParagraphStyle:
        return like(
            name,
            fontName=FONT + "-Bold",
            fontSize=size,
            leading=leading,
            spaceBefore=before,
            keepWithNext=1,
        )

    return {
        "title": like("title", fontName=FONT + "-Bold", fontSize=22, leading=28, spaceAfter=16),
        "h1": heading("h1", 18, 23, 14),
        "h2": heading("h2", 15, 20, 10),
        "h3": heading("h3", 13, 18, 8),
        "body": body,
        "warning": like(
            "warning", fontName=FONT + "-Bold", leftIndent=24, spaceAfter=4, keepWithNext=1
        ),
        "quote": like(
            "quote",
            fontName=FONT + "-Italic",
            fontSize=13,
            leading=19,
            leftIndent=24,
            rightIndent=12,
            spaceBefore=4,
            spaceAfter=2,
        ),
        "credit": like("credit", leftIndent=24, textColor=quiet, spaceAfter=12),
        "bullet": like(
            "bullet", leftIndent=20, bulletIndent=6, bulletFontName=font.name, spaceAfter=4
        ),
        "fact": like("fact", leftIndent=12, firstLineIndent=-12, spaceAfter=4),
    }


def to_pdf(doc: Document) -> bytes:
    """The document as an A4 PDF: 12pt body text, headings in the outline, indented quotes
    with the credit under them, "Page N of M" on every page, and the title and language
    in the file's metadata."""
    if not pdf_available():
        raise PdfUnavailableError("reportlab is not installed, so this document has no PDF.")
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm

    font = _pdf_font()
    styles = _pdf_styles(font)
    out = io.BytesIO()
    template = _outlined_template()(
        out,
        pagesize=A4,
        leftMargin=2.2 * cm,
        rightMargin=2.2 * cm,
        topMargin=2 * cm,
        bottomMargin=2.2 * cm,
        title=clean_text(doc.title),
        author=clean_text(doc.author) or CREATOR,
        subject=clean_text(doc.subject),
        creator=CREATOR,
        lang=doc.language,
        displayDocTitle=1,
    )
    story = [_pdf_title(doc.title, styles, font)]
    for block in doc.blocks:
        story.extend(_pdf_flowables(block, styles, font))
    template.build(story, canvasmaker=_numbered_canvas(font))
    return out.getvalue()


def _pdf_title(title: str, styles: dict[str, Any], font: _Font) -> Any:
    from reportlab.platypus import Paragraph as RLParagraph

    return RLParagraph(_markup(title, font), styles["title"])


UNSHOWN_NOTE = (
    "Some words above are in a script this PDF cannot show, so they appear as question marks."
    " The Word and web versions show every word."
)


def _pdf_flowables(block: Block, styles: dict[str, Any], font: _Font) -> list[Any]:
    """The block's flowables, then a note when any of its letters could not be drawn: a
    voice is never silently changed (DESIGN.md principle 7)."""
    from reportlab.platypus import Paragraph as RLParagraph

    flowables = _block_flowables(block, styles, font)
    if any(_fit(text, font.covers.__contains__)[1] for text in _block_texts(block)):
        flowables.append(RLParagraph(escape(UNSHOWN_NOTE), styles["credit"]))
    return flowables


def _block_texts(block: Block) -> list[str]:
    if isinstance(block, Heading | Paragraph):
        return [block.text]
    if isinstance(block, Quote):
        return [block.text, block.credit, block.warning]
    if isinstance(block, BulletList):
        return list(block.items)
    if isinstance(block, Facts):
        return [text for pair in block.pairs for text in pair]
    if isinstance(block, Bars):
        return [block.title, *(text for label, _, shown in block.rows for text in (label, shown))]
    return []


def _block_flowables(block: Block, styles: dict[str, Any], font: _Font) -> list[Any]:
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import Paragraph as RLParagraph

    def para(text: str, style: str, **kwargs: Any) -> Any:
        return RLParagraph(_markup(text, font), styles[style], **kwargs)

    if isinstance(block, Heading):
        heading = para(block.text, f"h{min(max(block.level, 1), 3)}")
        heading.outline_level = max(block.level, 1)
        heading.outline_text = fit_to_font(block.text, font.covers.__contains__)
        return [heading]
    if isinstance(block, Paragraph):
        return [para(block.text, "body")]
    if isinstance(block, Quote):
        parts = []
        if block.warning.strip():
            parts.append(para(_warning_line(block.warning), "warning"))
        parts.append(para(block.text, "quote"))
        if block.credit.strip():
            parts.append(para(_credit_line(block.credit), "credit"))
        return parts
    if isinstance(block, BulletList):
        return [para(item, "bullet", bulletText="•") for item in block.items]
    if isinstance(block, Facts):
        return [
            RLParagraph(f"<b>{_markup(label, font)}:</b> {_markup(value, font)}", styles["fact"])
            for label, value in block.pairs
        ]
    if isinstance(block, PageBreak):
        return [RLPageBreak()]
    if isinstance(block, Bars):
        return _pdf_bars(block, styles, font) if block.rows else []
    raise TypeError(f"Not a document block: {block!r}")


def _pdf_bars(block: Bars, styles: dict[str, Any], font: _Font) -> list[Any]:
    """The bars drawn as shapes, each row's label on the left and its number on the right."""
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph as RLParagraph

    row_height, label_width, number_width, bar_width = 16, 150, 90, 200
    top = _top(block)
    drawing = Drawing(label_width + bar_width + number_width, row_height * len(block.rows))
    for index, (label, value, shown) in enumerate(block.rows):
        y = row_height * (len(block.rows) - index - 1)
        drawing.add(
            String(
                0,
                y + 4,
                fit_to_font(label, font.covers.__contains__),
                fontName=font.name,
                fontSize=10,
            )
        )
        length = bar_length(value, top) * bar_width / BAR_CELLS
        if length:
            drawing.add(
                Rect(
                    label_width,
                    y + 3,
                    length,
                    row_height - 6,
                    fillColor=HexColor("#0b5c4b"),
                    strokeColor=None,
                )
            )
        drawing.add(
            String(
                label_width + bar_width + 8,
                y + 4,
                fit_to_font(shown, font.covers.__contains__),
                fontName=font.name,
                fontSize=10,
            )
        )
    return [RLParagraph(f"<b>{_markup(block.title, font)}</b>", styles["fact"]), drawing]


@functools.cache
def _outlined_template() -> type:
    """A SimpleDocTemplate that puts every heading in the PDF outline (the bookmarks pane),
    so a reader can jump to "Part 3 of 7" directly."""
    from reportlab.platypus import SimpleDocTemplate

    class OutlinedTemplate(SimpleDocTemplate):
        def beforeDocument(self) -> None:  # noqa: N802 (reportlab's hook name)
            self._outline_level = -1
            self._outline_count = 0

        def afterFlowable(self, flowable: Any) -> None:  # noqa: N802
            level = getattr(flowable, "outline_level", None)
            if level is None:
                return
            # The outline may go down only one level at a time, whatever levels were asked for.
            level = min(level - 1, self._outline_level + 1)
            self._outline_level = level
            self._outline_count += 1
            key = f"h{self._outline_count}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_text or " ", key, level=level)

    return OutlinedTemplate


def _numbered_canvas(font: _Font) -> type:
    """A canvas that prints "Page N of M" on every page. M is unknown until the end, so each
    page draws a named form that `save` fills in once the last page is done; holding whole
    pages back instead would send every outline entry to page 1."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            label = f"Page {self._pageNumber} of "
            width = self.stringWidth(label + "00", font.name, 10)
            self.saveState()
            self.setFont(font.name, 10)
            self.drawString((A4[0] - width) / 2, 1.2 * cm, label)
            self.translate((A4[0] - width) / 2 + self.stringWidth(label, font.name, 10), 1.2 * cm)
            self.doForm("page_total")
            self.restoreState()
            super().showPage()

        def save(self) -> None:
            self.beginForm("page_total")
            self.setFont(font.name, 10)
            self.drawString(0, 0, str(self._pageNumber - 1))
            self.endForm()
            super().save()

    return NumberedCanvas


# --- a readable document from nested data ----------------------------------------------------


def record_document(
    title: str, data: Mapping[str, Any], intro: str = "", skip: Sequence[str] = ()
) -> Document:
    """A document from any JSON-ready data: each top-level key a section, each entry in a
    list its own group of label/value rows, dates in words. Labels come from the keys, so
    this is a fallback: a person's record is written for people by
    `coaching.selectors.export.record_document` instead."""
    blocks: list[Block] = []
    if intro:
        blocks.append(Paragraph(intro))
    for key, value in data.items():
        if key in skip:
            continue
        blocks.append(Heading(label_for(key), 1))
        blocks.extend(_record_blocks(value, level=2))
    return Document(title=title, blocks=blocks)


def label_for(key: str) -> str:
    """ "how_often_we_meet" → "How often we meet"."""
    words = str(key).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _record_blocks(value: Any, level: int) -> list[Block]:
    if isinstance(value, Mapping):
        return _mapping_blocks(value, level)
    if isinstance(value, list | tuple):
        if not value:
            return [Paragraph("Nothing recorded.")]
        if all(not isinstance(item, Mapping | list | tuple) for item in value):
            return [BulletList([_as_words("", item) for item in value])]
        blocks: list[Block] = []
        for number, item in enumerate(value, 1):
            blocks.append(Heading(f"{number} of {len(value)}", min(level, 3)))
            blocks.extend(_record_blocks(item, level + 1))
        return blocks
    return [Paragraph(_as_words("", value))]


def _mapping_blocks(value: Mapping[str, Any], level: int) -> list[Block]:
    pairs = []
    nested: list[Block] = []
    for key, item in value.items():
        if isinstance(item, Mapping | list | tuple) and item:
            nested.append(Heading(label_for(key), min(level, 3)))
            nested.extend(_record_blocks(item, level + 1))
        else:
            pairs.append((label_for(key), _as_words(key, item)))
    return ([Facts(pairs)] if pairs else []) + nested


def _as_words(key: str, value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key.endswith("_pence") and isinstance(value, int):
        from .money import pounds

        return pounds(value)
    if isinstance(value, datetime | date):
        return when_words(value)
    return str(value)
