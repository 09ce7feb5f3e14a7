"""core/documents: the Word and PDF renderers keep every block, in order, and survive any
text people type (curly quotes, £, accents, emoji, very long words, markup characters)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from alongside.core.documents import (
    UNSHOWN_NOTE,
    Bars,
    BulletList,
    Document,
    Facts,
    Heading,
    PageBreak,
    Paragraph,
    Quote,
    bar_length,
    clean_text,
    fit_to_font,
    label_for,
    pdf_available,
    record_document,
    to_docx,
    to_pdf,
)

ROOT = Path(__file__).resolve().parent.parent

pdf_only = pytest.mark.skipif(not pdf_available(), reason="reportlab is not installed")


def sample() -> Document:
    return Document(
        title="Listening in Northtown: “what gets in the way?”",
        blocks=[
            Heading("Part 1 of 2: Waiting", 1),
            Paragraph("We heard about waiting lists costing £40 a week in bus fares & <more>."),
            Quote(
                "They said “we’ll call you back” and nobody ever did.",
                "Sam, Oxford Street",
                warning="feeling low",
            ),
            BulletList(["Call people back within a week", "Pay bus fares up front"]),
            Facts([("Conversations", "145"), ("Places", "Northtown, Café Zoë")]),
            PageBreak(),
            Heading("Part 2 of 2: Being believed", 1),
            Heading("In their words", 2),
            Quote("I had to tell my story six times.", "A woman in her forties"),
        ],
    )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


# --- Word ------------------------------------------------------------------------------------


def test_docx_keeps_headings_quotes_and_credits_in_order():
    word = docx.Document(io.BytesIO(to_docx(sample())))
    paragraphs = [(p.style.name, p.text) for p in word.paragraphs if p.text]

    assert paragraphs[0] == ("Title", "Listening in Northtown: “what gets in the way?”")
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert headings == ["Part 1 of 2: Waiting", "Part 2 of 2: Being believed", "In their words"]
    assert ("Heading 2", "In their words") in paragraphs

    texts = [text for _style, text in paragraphs]
    warning = texts.index("Content warning: feeling low")
    quote = texts.index("They said “we’ll call you back” and nobody ever did.")
    assert texts[warning + 1 : quote + 2] == [texts[quote], "— Sam, Oxford Street"]
    assert paragraphs[quote] == ("Quote", "They said “we’ll call you back” and nobody ever did.")
    second = texts.index("I had to tell my story six times.")
    assert texts[second + 1] == "— A woman in her forties"
    assert quote < texts.index("Part 2 of 2: Being believed") < second

    bullets = [text for style, text in paragraphs if style == "List Bullet"]
    assert bullets == ["Call people back within a week", "Pay bus fares up front"]
    assert "£40 a week in bus fares & <more>." in texts[2]


def test_docx_facts_are_a_two_column_table():
    word = docx.Document(io.BytesIO(to_docx(sample())))
    rows = [[cell.text for cell in row.cells] for row in word.tables[0].rows]
    assert rows == [["Conversations", "145"], ["Places", "Northtown, Café Zoë"]]


def test_docx_properties_body_size_and_page_numbers():
    word = docx.Document(io.BytesIO(to_docx(sample())))
    props = word.core_properties
    assert props.title == sample().title
    assert props.language == "en-GB"
    assert "python-docx" not in (props.author + props.comments + props.keywords)
    assert word.styles["Normal"].font.size.pt == 12
    footer_xml = word.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer_xml
    assert 'w:val="en-GB"' in word.styles["Normal"].element.xml


def test_docx_shortens_a_title_too_long_for_word_properties():
    title = "What we heard " * 40
    word = docx.Document(io.BytesIO(to_docx(Document(title, []))))
    assert word.paragraphs[0].text == title  # the page keeps it whole
    assert len(word.core_properties.title) == 255
    assert word.core_properties.title.endswith("…")


def test_docx_keeps_emoji_and_drops_only_what_xml_cannot_hold():
    doc = Document("Title\x00 with a null", [Paragraph("Happy 😀\x0b today\r\nnext line")])
    word = docx.Document(io.BytesIO(to_docx(doc)))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "Title with a null"
    assert texts[1] == "Happy 😀 today\nnext line"


# --- PDF -------------------------------------------------------------------------------------


@pdf_only
def test_pdf_has_title_quote_credit_and_metadata():
    data = to_pdf(sample())
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = flat(pdf_text(data))
    assert "Listening in Northtown: “what gets in the way?”" in text
    assert "They said “we’ll call you back” and nobody ever did." in text
    assert "— Sam, Oxford Street" in text
    assert "Content warning: feeling low" in text
    assert "£40 a week in bus fares & <more>." in text  # escaped, not read as markup
    assert "Café Zoë" in text
    assert reader.metadata.title == sample().title
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


@pdf_only
def test_pdf_keeps_order_and_breaks_pages():
    data = to_pdf(sample())
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    first, second = (flat(page.extract_text()) for page in reader.pages)
    assert "Part 1 of 2: Waiting" in first and "Part 2 of 2" not in first
    assert first.index("Waiting") < first.index("They said") < first.index("— Sam")
    assert "Part 2 of 2: Being believed" in second
    assert second.index("In their words") < second.index("I had to tell my story six times.")


@pdf_only
def test_pdf_numbers_every_page_with_the_total():
    doc = Document("Long", [Paragraph("A sentence people said. " * 40) for _ in range(40)])
    reader = PdfReader(io.BytesIO(to_pdf(doc)))
    total = len(reader.pages)
    assert total > 2
    for number, page in enumerate(reader.pages, 1):
        match = re.search(r"Page (\d+) of\s*(\d+)", page.extract_text())
        assert match and (int(match[1]), int(match[2])) == (number, total)


@pdf_only
def test_pdf_outline_lists_the_headings_on_their_pages():
    reader = PdfReader(io.BytesIO(to_pdf(sample())))
    outline = reader.outline
    assert [entry.title for entry in outline if not isinstance(entry, list)] == [
        "Part 1 of 2: Waiting",
        "Part 2 of 2: Being believed",
    ]
    assert reader.get_destination_page_number(outline[0]) == 0
    assert reader.get_destination_page_number(outline[1]) == 1
    assert outline[2][0].title == "In their words"


@pdf_only
def test_pdf_body_text_is_at_least_12pt():
    from alongside.core.documents import _pdf_font, _pdf_styles

    styles = _pdf_styles(_pdf_font())
    for name in ("body", "quote", "credit", "bullet", "fact", "warning", "h1", "h2", "h3"):
        assert styles[name].fontSize >= 12, name


@pdf_only
def test_pdf_survives_very_long_words_in_every_block():
    word = "a" * 6000
    doc = Document(
        word,
        [
            Heading(word, 1),
            Paragraph(word),
            Quote(word, word, warning=word),
            BulletList([word]),
            Facts([(word, word)]),
        ],
    )
    reader = PdfReader(io.BytesIO(to_pdf(doc)))
    assert len(reader.pages) > 1
    assert "aaaaaaaaaa" in reader.pages[0].extract_text()


def test_fit_to_font_decomposes_drops_or_marks_what_the_font_lacks():
    def ascii_only(point: int) -> bool:
        return point < 128

    assert fit_to_font("Łódź café ą", ascii_only) == "?odz cafe a"
    assert fit_to_font("so happy 😀👍🏽 today", ascii_only) == "so happy  today"
    assert fit_to_font("文字", ascii_only) == "??"
    assert fit_to_font("a\u00a0b\u200dc\r\nd", ascii_only) == "a bc\nd"


@pdf_only
def test_pdf_says_when_letters_could_not_be_shown():
    doc = Document("Voices", [Paragraph("中文 words"), Paragraph("plain words")])
    text = flat(pdf_text(to_pdf(doc)))
    assert text.count(flat(UNSHOWN_NOTE)) == 1
    assert text.index("words") < text.index(flat(UNSHOWN_NOTE)) < text.index("plain words")


@pdf_only
def test_pdf_drops_emoji_but_keeps_the_words_around_them():
    doc = Document("Emoji", [Quote("I felt 😢 then 😀 — better", "Jo 👍")])
    text = flat(pdf_text(to_pdf(doc)))
    assert "I felt then — better" in text
    assert "— Jo" in text


# Every character Python can hold, surrogates and control characters included.
any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=400)


def _any_document(texts: list[str]) -> Document:
    a, b, c, d, e = texts
    return Document(
        a,
        [
            Heading(b, 1),
            Heading(c, 3),
            Paragraph(d),
            Quote(e, a, warning=b),
            BulletList([c, d]),
            Facts([(e, a)]),
            PageBreak(),
            Paragraph(e),
        ],
    )


@given(st.lists(any_text, min_size=5, max_size=5))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_renders_to_docx(texts):
    word = docx.Document(io.BytesIO(to_docx(_any_document(texts))))
    assert word.paragraphs[0].text == clean_text(texts[0])


@pdf_only
@given(st.lists(any_text, min_size=5, max_size=5))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_renders_to_pdf(texts):
    data = to_pdf(_any_document(texts))
    assert data.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2


def test_importing_without_reportlab_still_gives_word_and_says_no_pdf():
    script = (
        "import sys\n"
        "sys.modules['reportlab'] = None\n"  # makes `import reportlab` fail
        "from alongside.core import documents as d\n"
        "assert d.pdf_available() is False\n"
        "doc = d.Document('T', [d.Paragraph('p')])\n"
        "assert d.to_docx(doc)[:2] == b'PK'\n"
        "try:\n"
        "    d.to_pdf(doc)\n"
        "except d.PdfUnavailableError:\n"
        "    print('no pdf')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "no pdf"


# --- a person's record ------------------------------------------------------------------------


def record() -> dict:
    """The shape coaching.selectors.export.person_export returns."""
    return {
        "format": "alongside-person-record",
        "person": {"chosen_name": "Sam", "pronouns": "", "budget_allocation_pence": 125050},
        "goals": [
            {
                "words": "Get my own flat",
                "status": "Working on it",
                "suggested_not_yet_accepted": False,
                "steps": [{"words": "Visit the housing office", "done_on": "2025-03-02"}],
            }
        ],
        "strengths": [],
        "circle": [{"name": "Aunt Jo", "happy_to_be_contacted": True}],
    }


def test_record_document_turns_every_field_into_readable_rows():
    doc = record_document("Sam’s record", record(), skip=("format",))
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert headings == [
        "Person",
        "Goals",
        "1 of 1",
        "Steps",
        "1 of 1",
        "Strengths",
        "Circle",
        "1 of 1",
    ]
    facts = {label: value for b in doc.blocks if isinstance(b, Facts) for label, value in b.pairs}
    assert facts["Chosen name"] == "Sam"
    assert facts["Pronouns"] == "Not recorded"
    assert facts["Budget allocation pence"] == "£1,250.50"
    assert facts["Suggested not yet accepted"] == "No"
    assert facts["Happy to be contacted"] == "Yes"
    assert facts["Done on"] == "2025-03-02"
    assert Paragraph("Nothing recorded.") in doc.blocks
    assert label_for("how_often_we_meet") == "How often we meet"


@pdf_only
def test_record_pdf_holds_what_the_json_holds():
    text = flat(pdf_text(to_pdf(record_document("Sam’s record", record()))))
    for words in ("Sam’s record", "Get my own flat", "Visit the housing office", "Aunt Jo"):
        assert words in text


BARS = Bars(
    "Barriers each month",
    [("January 2026", 4, "4"), ("February 2026", 1, "1"), ("March 2026", None, "fewer than 10")]
    + [("Total", None, "15")],
)


def test_a_bar_is_as_long_as_its_share_of_the_longest():
    assert bar_length(4, 4) == 20
    assert bar_length(1, 4) == 5
    assert bar_length(0.01, 4) == 1  # anything above nothing shows
    assert bar_length(0, 4) == bar_length(None, 4) == bar_length(3, 0) == 0


def test_docx_bars_are_a_table_of_label_bar_and_number():
    word = docx.Document(io.BytesIO(to_docx(Document("Theme", [BARS]))))
    rows = [[cell.text for cell in row.cells] for row in word.tables[0].rows]
    assert rows == [
        ["January 2026", "\u2588" * 20, "4"],
        ["February 2026", "\u2588" * 5, "1"],
        ["March 2026", "", "fewer than 10"],  # a hidden small number has no bar
        ["Total", "", "15"],
    ]
    assert "Barriers each month" in [p.text for p in word.paragraphs]


@pdf_only
def test_pdf_bars_draw_each_label_and_number():
    text = flat(pdf_text(to_pdf(Document("Theme", [BARS]))))
    for words in ("Barriers each month", "January 2026", "fewer than 10", "Total", "15"):
        assert words in text
