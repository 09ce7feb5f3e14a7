"""Details with a fixed shape: emails, UK phone numbers, postcodes, National Insurance
numbers, dates of birth and street addresses. Each finder returns spans; none looks at names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .spans import Span

# --- email --------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# People spell addresses out so that bots miss them: "kev at gmail dot com".
_TLD = r"(?:com|co|uk|org|net|gov|ac|nhs|edu|info|me|io)"
_EMAIL_SPELT = re.compile(
    rf"""\b[\w+-]+(?:\s?(?:\.|\bdot\b)\s?[\w+-]+)*
    \s?(?:\(at\)|\[at\]|\bat\b)\s?
    [\w-]+(?:\s?(?:\(dot\)|\[dot\]|\bdot\b|\.)\s?[\w-]+)*?
    (?:\s?(?:\(dot\)|\[dot\]|\bdot\b)\s?{_TLD}\b)+""",
    re.IGNORECASE | re.VERBOSE,
)

# --- phone --------------------------------------------------------------------------------

# A run that starts like a UK number (+44, 0044, 0 or "(0") and carries on with digits and the
# separators people type. Whether it is a number is decided by counting its digits.
_PHONE_RUN = re.compile(r"(?<![\w+/.,£$])(?:\+\s?44|0044|\(?0)[\d \-.()]{7,22}\d")


def _national_digits(run: str) -> str:
    digits = re.sub(r"\D", "", run)
    if run.startswith("+") or digits.startswith("0044"):
        national = digits[2:] if run.startswith("+") else digits[4:]
        return national.removeprefix("0")  # "+44 (0)113 ..."
    return digits[1:] if digits.startswith("0") else ""


def _is_uk_number(run: str) -> bool:
    """UK national numbers have 10 digits after the 0; a few areas and 0800 have 9."""
    national = _national_digits(run)
    if len(national) == 10:
        return national[0] in "123578"
    return len(national) == 9 and (national[0] == "1" or national.startswith("800"))


def _phone_spans(text: str) -> Iterator[Span]:
    for match in _PHONE_RUN.finditer(text):
        run = match.group()
        # The run may have swallowed a following number ("07700 900123 10 times"): cut it
        # back group by group until what is left is a number.
        while run and not _is_uk_number(run):
            cut = max(run.rfind(" "), run.rfind("-"), run.rfind("."))
            run = run[:cut].rstrip(" -.(") if cut > 0 else ""
        if run:
            yield Span(match.start(), match.start() + len(run), "phone", run)


# --- postcode -----------------------------------------------------------------------------

_POSTCODE_AREAS = frozenset(
    """AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA
    LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE
    SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO
    ZE""".split()
)
_POSTCODE = re.compile(r"\b([A-Z]{1,2})(\d[A-Z\d]?)\s{0,2}(\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE)


def _postcode_spans(text: str) -> Iterator[Span]:
    for match in _POSTCODE.finditer(text):
        if match.group(1).upper() in _POSTCODE_AREAS:
            yield Span(match.start(), match.end(), "postcode", match.group())


# --- National Insurance number ------------------------------------------------------------

# HMRC never issues D, F, I, Q, U or V as the first letter, nor D, F, I, O, Q, U or V as
# the second: keeping to that spares car registrations and reference codes.
_NI_PREFIX = r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
_NI_DIGITS = r"[\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}"
_NI = re.compile(rf"\b{_NI_PREFIX}{_NI_DIGITS}[\s-]?[A-D]\b", re.IGNORECASE)
# Without its final letter only when the words before say what it is.
_NI_SHORT = re.compile(
    rf"\b(?:NI|N\.I\.?|NINO|national\s+insurance)\b[^\n\d]{{0,25}}?\b({_NI_PREFIX}{_NI_DIGITS})\b",
    re.IGNORECASE,
)


def _ni_spans(text: str) -> Iterator[Span]:
    for match in _NI.finditer(text):
        yield Span(match.start(), match.end(), "ni_number", match.group())
    for match in _NI_SHORT.finditer(text):
        yield Span(match.start(1), match.end(1), "ni_number", match.group(1))


# --- date of birth ------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?)"
_UNITS = "first second third fourth fifth sixth seventh eighth ninth"
_DAY_WORD = (
    r"(?:(?:twenty|thirty)[\s-]?(?:"
    + "|".join(_UNITS.split())
    + r")|"
    + "|".join(
        (
            _UNITS + " tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth "
            "seventeenth eighteenth nineteenth twentieth thirtieth"
        ).split()
    )
    + ")"
)
_TENS = (
    r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|"
    r"six|seven|eight|nine))?"
)
_YEAR_WORDS = (
    rf"(?:nineteen\s+{_TENS}|nineteen\s+hundred|two\s+thousand(?:\s+and)?(?:\s+\w+)?"
    rf"|twenty\s+{_TENS})"
)
_YEAR = r"(?:\d{4}|'\d{2}|’\d{2}|\d{2}\b)"
_DATE = rf"""(?:
    \d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}})\b
  | (?:{_DAY}|{_DAY_WORD})(?:\s+of)?\s+{_MONTH}(?:,?\s+(?:{_YEAR}|{_YEAR_WORDS}))?
  | {_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?
)"""
_DOB_CUE = (
    r"(?:\bborn|\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth|\bbirth\s?date|\bbirthday"
    r"|\bb-?day|\bb'day)"
)
_DOB_GAP = r"(?:[\s:,\-–—]|\bis\b|\bwas\b|\bon\b|\bthe\b|\bof\b|\bbe\b|['’]s\b){0,8}"
_DOB = re.compile(rf"{_DOB_CUE}{_DOB_GAP}(?P<date>{_DATE})(?![\w/])", re.IGNORECASE | re.VERBOSE)


def _dob_spans(text: str) -> Iterator[Span]:
    for match in _DOB.finditer(text):
        yield Span(match.start("date"), match.end("date"), "date_of_birth", match["date"])


# --- address ------------------------------------------------------------------------------

_STREET = (
    r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Way|Drive|Dr|Crescent|Cres|Court|Ct|Place"
    r"|Pl|Gardens|Gdns|Terrace|Tce|Grove|Walk|Row|Square|Sq|Hill|Mews|Park|Rise|View|Parade"
    r"|Green|Vale|Villas|Wharf|Yard|Plain|Croft|Fold|Wynd|Brow|Bank|Gate|End|Approach"
    r"|Boulevard|Broadway|Circus|Embankment|Quay|Passage|Path|Meadow|Meadows|Hollow)\b\.?"
)
_STREET_LOWER = (
    r"(?:road|street|lane|avenue|close|way|drive|crescent|court|place|gardens|terrace|grove)\b"
)
_BUILDING = (
    r"(?:House|Court|Tower|Towers|Lodge|Mansions|Buildings|Point|Heights|Block|Apartments"
    r"|Flats)\b"
)
_WORD = r"[A-Z][A-Za-z'’\-]*"
# Ordinary words that never start a street name written without capitals ("2 up the road").
_NOT_STREET_WORD = (
    r"(?!(?:the|a|an|my|our|your|his|her|their|to|up|down|on|in|of|at|from|this|that|and|or"
    r"|by|for|off|round|along|across|over|past)\b)"
)
_NUM = r"(?<![\d/.,:£$])\b\d{1,3}[A-Za-z]?(?:\s?[-–]\s?\d{1,3}[A-Za-z]?)?"
_UNIT = r"(?:[Ff]lat|FLAT|[Aa]partment|[Aa]pt|[Uu]nit|[Rr]oom|[Mm]aisonette)\.?\s*\d{1,3}[A-Za-z]?"
_STREET_PART = rf"""(?:
    {_NUM},?\s+
    (?: (?:{_WORD}\s+){{1,3}}{_STREET}
      | {_WORD}(?:way|gate)\b
      | (?:{_NOT_STREET_WORD}[a-z][a-z'’\-]*\s+){{1,2}}{_STREET_LOWER}
    )
)"""
_BUILDING_PART = rf"(?:{_WORD}\s+){{1,3}}{_BUILDING}"
# Matched in two steps because one pattern with optional prefixes is slow on long text: the
# street (from its house number), then whatever flat or building comes just before it.
_STREET_ADDRESS = re.compile(_STREET_PART, re.VERBOSE)
_PREFIX = re.compile(rf"(?:{_UNIT},?\s+)?(?:{_BUILDING_PART},?\s+)?$")
_UNIT_IN_BUILDING = re.compile(rf"{_UNIT},?\s+{_BUILDING_PART}")


_DIGITS = re.compile(r"\d+")
_NUMBER_WORD = re.compile(r"(?:[Nn]umber|[Nn]o\.?)\s*$")  # "number 9 Marsh Lane"
_UNIT_WORDS = ("flat", "apartment", "apt", "unit", "room", "maisonette")


def _address_spans(text: str, lowered: str) -> Iterator[Span]:
    end = 0
    for digits in _DIGITS.finditer(text):
        match = digits.start() >= end and _STREET_ADDRESS.match(text, digits.start())
        if not match:
            continue
        end = match.end()
        start = match.start()
        number_word = _NUMBER_WORD.search(text, max(0, start - 8), start)
        if number_word:
            start = number_word.start()
        prefix = _PREFIX.search(text, max(0, start - 80), start)
        if prefix and prefix.group():
            start = prefix.start()
        yield Span(start, end, "address", text[start:end])
    if any(word in lowered for word in _UNIT_WORDS):
        for match in _UNIT_IN_BUILDING.finditer(text):
            yield Span(match.start(), match.end(), "address", match.group())


def _email_spans(text: str, lowered: str) -> Iterator[Span]:
    for match in _EMAIL.finditer(text):
        yield Span(match.start(), match.end(), "email", match.group())
    if "dot" in lowered:
        for match in _EMAIL_SPELT.finditer(text):
            yield Span(match.start(), match.end(), "email", match.group())


_DOB_WORDS = ("born", "dob", "d.o.b", "birth", "bday", "b'day", "b-day", "d o b")


def _dob_spans_if_cued(text: str, lowered: str) -> Iterator[Span]:
    if any(word in lowered for word in _DOB_WORDS):
        yield from _dob_spans(text)


# Each finder gets the text and a copy in small letters: a substring test on the copy is far
# cheaper than running a pattern that cannot match.
FINDERS: tuple[Callable[[str, str], Iterator[Span]], ...] = (
    _email_spans,
    lambda text, lowered: _phone_spans(text),
    lambda text, lowered: _postcode_spans(text),
    lambda text, lowered: _ni_spans(text),
    _dob_spans_if_cued,
    _address_spans,
)


def fixed_format_spans(text: str) -> list[Span]:
    """Every email, phone, postcode, NI number, date of birth and address in `text`."""
    lowered = text.lower()
    return [span for finder in FINDERS for span in finder(text, lowered)]
