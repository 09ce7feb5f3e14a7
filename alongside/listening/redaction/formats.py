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
# separators people type, slashes and dashes included ("07700/900/274", "07700 – 900 274").
# Whether it is a number is decided by counting its digits.
_PHONE_RUN = re.compile(
    r"(?<![\w+/.,£$])(?:\+\s?44|0044|\(?0)[\d \u00a0\-.()/_–—\u2010\u2011]{7,22}\d"
)
_PHONE_CUTS = " \u00a0-./_–—\u2010\u2011"
# "01/02/1987" is a date: a phone's first group is a dialling code of three digits or more.
_SLASHED_DATE = re.compile(r"\(?\d{1,2}/\d{1,2}(?:/\d{2,4})?")


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


# An extension belongs to the number: "0113 496 0555 ext. 204", "x204", "(extension 12)".
_EXTENSION = re.compile(
    r"[ \t]*,?[ \t]*\(?(?:ext(?:ension|n)?\.?[ \t]*|x[ \t]?)\d{1,5}\)?", re.IGNORECASE
)
# Numbers no one has as their own: freephone, and other non-geographic numbers (03, 08, 09)
# announced as a helpline. Hiding them would cost the report meaning and protect nobody.
_HELPLINE_CUE = re.compile(
    r"(?:help\s?line|advice\s+line|crisis\s+line|hotline|freephone|free\s+phone)\W+(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)
# People swap the letter O for a zero: "O7700 9OO 431".
_LETTER_O = re.compile(r"(?<![\w+])[0O](?:[ \-]?[\dO]){8,12}(?!\w)")
_O_BY_A_DIGIT = re.compile(r"O\d|\dO")


def _phone_spans(text: str) -> Iterator[Span]:
    for start, end in _phone_runs(text):
        run = text[start:end]
        if not _is_helpline(text, start, run):
            yield _with_extension(text, start, end)
    if "O" in text and _O_BY_A_DIGIT.search(text):
        for match in _LETTER_O.finditer(text):
            if "O" in match.group() and _is_uk_number(match.group().replace("O", "0")):
                yield _with_extension(text, match.start(), match.end())


def _phone_runs(text: str) -> Iterator[tuple[int, int]]:
    """Where each UK number runs, skipping a date that starts a run ("01/02/2023 0113 ...")."""
    match = _PHONE_RUN.search(text)
    while match:
        start, run = match.start(), match.group()
        date = _SLASHED_DATE.match(text, start) if "/" in run else None
        if date:
            match = _PHONE_RUN.search(text, date.end())
            continue
        # The run may have swallowed a following number ("07700 900123 10 times", "07700
        # 900123 / 07700 900124"): cut it back group by group until what is left is a number,
        # and look for the next number just after it.
        while run and not _is_uk_number(run):
            cut = max(run.rfind(c) for c in _PHONE_CUTS)
            run = run[:cut].rstrip(_PHONE_CUTS + "(") if cut > 0 else ""
        if run:
            yield start, start + len(run)
        match = _PHONE_RUN.search(text, start + len(run) if run else match.end())


# "The council's repairs line is 0113 ...": a landline named as some body's line.
_BODY_LINE_CUE = re.compile(
    r"\b(?:the|their|its)[ \t]+"
    r"(?:(?!(?:direct|home|work|personal|private|own|mobile)\b)[\w'’]+[ \t]+){1,2}"
    r"line[ \t]*(?:is|was|on|:)?[ \t]*$",
    re.IGNORECASE,
)


def _is_helpline(text: str, start: int, run: str) -> bool:
    national = _national_digits(run)
    if national.startswith(("800", "808")):
        return True
    if national[:1] in ("1", "2", "3") and _BODY_LINE_CUE.search(text, max(0, start - 50), start):
        return True
    return national[:1] in ("3", "8", "9") and bool(
        _HELPLINE_CUE.search(text, max(0, start - 60), start)
    )


def _with_extension(text: str, start: int, end: int) -> Span:
    extension = _EXTENSION.match(text, end)
    if extension:
        end = extension.end()
    return Span(start, end, "phone", text[start:end])


# Numbers read out: "oh seven seven double oh, nine double oh, four six one".
_DIGIT_WORDS = {
    "oh": "0", "o": "0", "zero": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_REPEAT_WORDS = {"double": 2, "triple": 3, "treble": 3}
_SPOKEN_WORD = (
    r"(?:oh|o|zero|nought|one|two|three|four|five|six|seven|eight|nine"
    r"|double|triple|treble|hundred|\d{1,5})"
)
_SPOKEN_RUN = re.compile(rf"\b{_SPOKEN_WORD}(?:[ ,\-]{{1,3}}{_SPOKEN_WORD}){{5,}}\b", re.IGNORECASE)
_SPOKEN_TOKEN = re.compile(rf"\b{_SPOKEN_WORD}\b", re.IGNORECASE)


def _spoken_digits(words: list[str]) -> str:
    digits, repeat = [], 1
    for word in words:
        if word in _REPEAT_WORDS:
            repeat = _REPEAT_WORDS[word]
            continue
        if word == "hundred":  # "nine hundred" is 900
            digits.append("00")
        else:
            digits.append((_DIGIT_WORDS.get(word) or word) * repeat)
        repeat = 1
    return "".join(digits)


def _spoken_phone_spans(text: str) -> Iterator[Span]:
    for match in _SPOKEN_RUN.finditer(text):
        tokens = list(_SPOKEN_TOKEN.finditer(text, match.start(), match.end()))
        if not any(
            t.group().isalpha() and t.group().lower() not in ("o", "hundred") for t in tokens
        ):
            continue  # digits alone are the ordinary finder's business
        # Drop words from the end until what is left reads as a number: "... one one eight or".
        for last in range(len(tokens), 5, -1):
            digits = _spoken_digits([t.group().lower() for t in tokens[:last]])
            if _is_uk_number(digits) or (
                digits[:1] == "7" and _is_uk_number("0" + digits)  # "seven seven double oh ..."
            ):
                end = tokens[last - 1].end()
                yield Span(match.start(), end, "phone", text[match.start() : end])
                break


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
# Six digits however they are grouped: "123456", "12 34 56", "123 456", "1 2 3 4 5 6", "12.34.56".
_SEP = r"[ \t.\-/]{0,2}"
_NI_DIGITS = rf"{_SEP}\d(?:{_SEP}\d){{5}}"
# Before the final letter people also write " - " ("JN 51 23 86 - C").
_LAST_SEP = r"[ \t.\-/–]{0,3}"
# Read out with pauses: "S T, 47, 21, 89, A" (only with an NI cue before it).
_COMMA_SEP = r"[ \t.\-/,]{0,3}"
_NI_ISSUED = re.compile(_NI_PREFIX, re.IGNORECASE)
# One pass for both kinds; which prefixes count is decided on each match.
_NI = re.compile(rf"\b([A-Za-z]{{2}}){_NI_DIGITS}{_LAST_SEP}[A-Da-d]\b")
# A number with letters HMRC never issues (BG, GB, NK, QQ, ZZ, D, F, I, U, V ...) still
# identifies whoever it was written down for. In capitals it has the shape; in small letters
# only after words that say what it is.
_NI_CUE = r"\b(?:NI|N\.\s?I\.?|NINO|national\s+insurance|nat\.?\s+ins\.?|insurance)\b"
# Without its final letter, or with any letters, only when the words before say what it is.
_NI_CUED = re.compile(
    rf"{_NI_CUE}[^\n\d]{{0,25}}?\b([A-Z](?:[ \t.\-]{{1,2}})?[A-Z]{_NI_DIGITS}"
    rf"(?:{_LAST_SEP}[A-D]\b)?)"
    rf"(?!{_SEP}\d)",
    re.IGNORECASE,
)


_NI_CUE_BEFORE = re.compile(_NI_CUE, re.IGNORECASE)


# Two-letter words and abbreviations that stand before figures in ordinary writing ("at 10 11
# 12 a", "ID 12 34 56 A"): set apart from the digits they are a word, not a prefix, unless the
# words before say an NI number follows (_NI_CUED).
_WORDS_BEFORE_FIGURES = frozenset(
    """am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we
    id pm tv uk""".split()
)


# Letters spelt out one by one: "J K 48 29 17 C". In capitals only, as the written-on form.
# (No \b in front: a pattern that starts with a letter class is found much faster.)
_NI_SPELT = re.compile(rf"([A-Z])[ \t.\-]{{1,2}}([A-Z]){_NI_DIGITS}{_LAST_SEP}[A-D]\b")
_NI_SPELT_COMMAS = re.compile(
    rf"([A-Z])[ \t.\-,]{{1,3}}([A-Z]){_COMMA_SEP}\d(?:{_COMMA_SEP}\d){{5}}{_COMMA_SEP}[A-D]\b"
)


def _ni_spans(text: str) -> Iterator[Span]:
    for match in _NI_SPELT.finditer(text):
        if match.start() and (text[match.start() - 1].isalnum()):
            continue
        if _NI_ISSUED.fullmatch(match.group(1) + match.group(2)) or _NI_CUE_BEFORE.search(
            text, max(0, match.start() - 40), match.start()
        ):
            yield Span(match.start(), match.end(), "ni_number", match.group())
    if "," in text:
        for match in _NI_SPELT_COMMAS.finditer(text):
            cued = _NI_CUE_BEFORE.search(text, max(0, match.start() - 45), match.start())
            if (
                cued
                and "," in match.group()
                and not text[match.start() - 1 : match.start()].isalnum()
            ):
                yield Span(match.start(), match.end(), "ni_number", match.group())
    for match in _NI.finditer(text):
        letters, final = match.group(1), match.group()[-1]
        if letters.lower() in _WORDS_BEFORE_FIGURES and not text[match.end(1)].isdigit():
            continue
        if _NI_ISSUED.fullmatch(letters) or (letters.isupper() and final.isupper()):
            yield Span(match.start(), match.end(), "ni_number", match.group())
    for match in _NI_CUED.finditer(text):
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
# "eighty-two", "oh one": a year said without its century, after a day and month.
_SHORT_YEAR_WORDS = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four"
    r"|five|six|seven|eight|nine))?|oh[\s-](?:one|two|three|four|five|six|seven|eight|nine))\b"
)
_YEAR = r"(?:\d{4}|'\d{2}|’\d{2}|\d{2}\b)"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])(?:st|nd|rd|th)?"
# "the seventeenth of the ninth": a month said as its number in words.
_MONTH_WORD = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)"
)
# Day and month alone ("bday 8/3"), only straight after a cue: with no year it could be any date.
_DAY_MONTH = re.compile(r"(?:[0-2]?[1-9]|[1-3]0|31)([/.])(?:0?[1-9]|1[0-2])(?![/.]?\d)(?!\s+of\b)")
_DATE = rf"""(?:
    \d{{1,2}}[/.\-\ ]\d{{1,2}}[/.\-\ ](?:\d{{4}}|\d{{2}})\b
  | \d{{4}}-\d{{1,2}}-\d{{1,2}}\b
  | (?:{_DAY}|{_DAY_WORD})(?:\s+of)?\s+{_MONTH}
    (?:,?\s+(?:{_YEAR}|{_YEAR_WORDS}|{_SHORT_YEAR_WORDS}))?
  | (?:{_DAY}|{_DAY_WORD})\s+of\s+the\s+(?:{_MONTH_NUMBER}|{_MONTH_WORD})(?:\s+month)?
    (?:,?\s+(?:{_YEAR}|{_YEAR_WORDS}|{_SHORT_YEAR_WORDS}))?
  | {_MONTH}\s+(?:the\s+)?(?:{_DAY}|{_DAY_WORD})
    (?:,?\s+(?:{_YEAR}|{_YEAR_WORDS}|{_SHORT_YEAR_WORDS}))?
  | {_MONTH},?\s+(?:of\s+)?(?:\d{{4}}|['’]\d{{2}}|{_YEAR_WORDS})
  | (?:christmas|boxing|new\s+year['’]?s)\s+day(?:,?\s+\d{{4}})?
)"""
_DOB_CUE = (
    r"(?:\bborn|\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth|\bbirth\s?date|\bbirthday"
    r"|\bb-?day|\bb'day|\bb\.\s?day|\bb\.(?=\s?\d))"
)
_DOB_GAP = (
    r"(?:[\s:,\-–—]|\([^()\n]{1,15}\)|\bis\b|\bwas\b|\bon\b|\bin\b|\bthe\b|\bof\b|\bbe\b|['’]s\b|\ba\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b){0,8}"
)
_DOB = re.compile(rf"{_DOB_CUE}{_DOB_GAP}(?P<date>{_DATE})(?![\w/])", re.IGNORECASE | re.VERBOSE)
# The cue can come after the date: "on the 5th of June, my birthday that is".
_DOB_AFTER = re.compile(
    rf"(?<![\w/])(?P<date>{_DATE})(?![\w/])[\s,\-–—]*(?:(?:that|it)['’]?s\s+|it\s+is\s+)?"
    r"(?:my|his|her|their|our)\s+(?:\w+['’]s\s+)?(?:birthday|b-?day|b'day|date\s+of\s+birth|dob)\b"
    # "We met on 5 June, my birthday was a week later": a new clause about the birthday, not
    # the date named again.
    r"(?!['’]s\b|\s+(?:was|is|were|will|would|falls|fell|came|comes|had|has|went|isn['’]t"
    r"|wasn['’]t)\b)",
    re.IGNORECASE | re.VERBOSE,
)


_AFTER_CUE = re.compile(r"birthday|b-?day|b'day|date\s+of\s+birth|dob\b", re.IGNORECASE)


_DAY_MONTH_CUED = re.compile(
    rf"{_DOB_CUE}(?:[\s:,\-–—]|\bis\b|\bon\b|['’]s\b){{0,6}}(?P<date>{_DAY_MONTH.pattern})",
    re.IGNORECASE,
)


# A second birth date in the same breath: "born on 31 Jan 2003 and the other on 6 Aug 2006".
_AND_ANOTHER = re.compile(
    rf"""[ \t]*,?[ \t]+(?:and|&)[ \t]+
    (?:(?:the|my|his|her|their|our)[ \t]+(?:other|second|youngest|eldest|oldest|twin|baby
      |brother|sister|son|daughter|boy|girl|partner|husband|wife|mum|dad)(?:[ \t]+one)?[ \t]+)?
    (?:(?:was|is|were)[ \t]+)?(?:born[ \t]+)?(?:on[ \t]+|in[ \t]+)?(?:the[ \t]+)?
    (?P<date>{_DATE})(?![\w/])""",
    re.IGNORECASE | re.VERBOSE,
)


def _dob_spans(text: str) -> Iterator[Span]:
    for match in _DOB.finditer(text):
        yield Span(match.start("date"), match.end("date"), "date_of_birth", match["date"])
        another = _AND_ANOTHER.match(text, match.end())
        if another and re.search(r"\d{4}|\d{2}$", another["date"]):  # a whole date, year and all
            yield Span(another.start("date"), another.end("date"), "date_of_birth", another["date"])
    for match in _DAY_MONTH_CUED.finditer(text) if "/" in text or "." in text else ():
        yield Span(match.start("date"), match.end("date"), "date_of_birth", match["date"])
    # Looked for only just before a cue: trying a date at every place in the text is slow.
    for cue in _AFTER_CUE.finditer(text):
        for match in _DOB_AFTER.finditer(text, max(0, cue.start() - 70), cue.end() + 12):
            yield Span(match.start("date"), match.end("date"), "date_of_birth", match["date"])


# --- address ------------------------------------------------------------------------------

# The common street words and their abbreviations count with or without capitals ("14
# westfield rd", "4 Orchard Cl.", "12 MILL LANE"); the rarer ones only with one ("Mews").
_ABBREVIATION_STOP = r"(?:\.(?=[ \t]*[,;:)]|[ \t]+[a-z\d]))?"  # its full stop, not the sentence's
_STREET_ANY_CASE = (
    r"(?:(?i:road|street|lane|avenue|close|way|drive|crescent|court|place|gardens|terrace"
    r"|grove)\b"
    rf"|(?i:rd|st|ave|av|cl|cres|cresc|dr|ln|gdns|pl|sq|ter|terr|tce|ct|gr|gro|pde)\b{_ABBREVIATION_STOP})"
)
_STREET = (
    rf"(?:{_STREET_ANY_CASE}|(?:Square|La|Walk|Row|Hill|Mews|Park|Rise|View|Parade|Green|Vale|Villas"
    r"|Wharf|Yard|Plain|Croft|Fold|Wynd|Brow|Bank|Gate|End|Approach|Boulevard|Broadway|Circus"
    r"|Embankment|Quay|Passage|Path|Meadow|Meadows|Hollow)\b)"
)
_BUILDING = (
    r"(?:House|Court|Tower|Towers|Lodge|Mansions|Buildings|Point|Heights|Block|Apartments"
    r"|Flats)\b"
)
_BUILDING_LOWER = r"(?:house|court|tower|lodge|mansions|buildings|point|heights)\b"
_WORD = r"[A-Z][A-Za-z'’\-]*"
# Ordinary words that never start a street name written without capitals ("2 up the road",
# "3 appointments with dr", "a 10 minute drive", "2 people close to me").
_NOT_STREET_WORD = (
    r"(?!(?:the|a|an|my|our|your|his|her|their|to|up|down|on|in|of|at|from|this|that|and|or"
    r"|by|for|off|round|along|across|over|past|with|is|was|are|were|it|i|me|people|kids|bed"
    r"|beds|bedroom|quid|pounds|times|mins?|minutes?|hours?|hrs?|days?|weeks?|months?|years?"
    r"|miles?|seconds?|more|less|other|different|per|metres?|meters?|feet|foot|inch(?:es)?"
    r"|cm|mm|km|kg)\b)"
)
_NUM = r"(?<![\d/.,:£$])\b\d{1,3}[A-Za-z]?(?:\s?[-–]\s?\d{1,3}[A-Za-z]?)?"
_UNIT = (
    r"(?:[Ff]lat|FLAT|[Aa]partment|[Aa]pt|[Uu]nit|[Rr]oom|[Mm]aisonette)\.?\s*\d{1,3}[A-Za-z]?"
    r"(?:,?\s+[Bb]lock\s+(?:[A-Z]|[a-z](?![\w'’])|\d{1,2}\b))?"
)
_STREET_PART = rf"""(?:
    {_NUM},?\s+
    (?: (?:{_WORD}\s+){{1,3}}(?:{_STREET}|{_BUILDING})
      | {_WORD}(?:way|gate)\b
      | (?:{_NOT_STREET_WORD}[a-z][a-z'’\-]*\s+){{1,2}}{_STREET_ANY_CASE}
      | the\s+(?:crescent|close|grove|green|avenue|drive|parade|square|mews|walk|broadway)\b
    )
)"""
_BUILDING_PART = rf"(?:{_WORD}\s+){{1,3}}{_BUILDING}"
# Matched in two steps because one pattern with optional prefixes is slow on long text: the
# street (from its house number), then whatever flat or building comes just before it.
_STREET_ADDRESS = re.compile(_STREET_PART, re.VERBOSE)
_PREFIX = re.compile(rf"(?:{_UNIT},?\s+)?(?:{_BUILDING_PART},?\s+)?$")
# "Flat 4, Willow Court, Banbury Road": the street after the building belongs to it.
_UNIT_IN_BUILDING = re.compile(
    rf"{_UNIT},?\s+(?:{_BUILDING_PART}|(?:{_NOT_STREET_WORD}[a-z][a-z'’\-]*\s+){{1,2}}{_BUILDING_LOWER})"
    rf"(?:,?\s+(?:{_WORD}\s+){{1,3}}{_STREET})?"
)
_BUILDING_END = re.compile(rf"{_BUILDING}$")
_STREET_AFTER = re.compile(rf",?\s+(?:{_WORD}\s+){{1,3}}{_STREET}")
# "number 14 on Station Road", but not "the number 25 on Iffley Road" (a bus).
# Tried only at a number with "number" or "no." just before it (see _NUMBER_WORD).
_ON_STREET = re.compile(
    rf"\d{{1,3}}[A-Za-z]?,?\s+(?:on|in|along|up|down)\s+(?:the\s+)?(?:{_WORD}\s+){{1,3}}{_STREET}"
)
# A house with a name, not a number: "Rose Cottage", "Rose Cottage, Mill Lane".
_HOUSE_NAME = re.compile(
    rf"\b(?:{_WORD}\s+){{1,2}}(?:Cottage|Bungalow|Farmhouse)\b"
    rf"(?:,\s+(?:{_WORD}\s+){{1,3}}{_STREET})?"
)

_DIGITS = re.compile(r"\d+")
# "2 Park House meetings a week": the number counts what happens at the place.
_COUNTED_THINGS = re.compile(
    r"[ \t]+(?:meetings|sessions|groups|classes|courses|lessons|appointments|events|visits"
    r"|shifts|drop-ins|services|residents|staff|workers|volunteers)\b"
)
_NUMBER_WORD = re.compile(r"(?<!\w)(?:[Nn]umber|[Nn]o\.?)\s*$")  # "number 9 Marsh Lane"
_UNIT_WORD = re.compile(
    r"(?<!\w)(?:[Ff]lat|FLAT|[Aa]partment|[Aa]pt|[Uu]nit|[Rr]oom|[Mm]aisonette)\.?\s*$"
)


def _address_spans(text: str, lowered: str) -> Iterator[Span]:
    # Every address rule starts at a number, so each is tried only where a number stands.
    end = 0
    for digits in _DIGITS.finditer(text):
        at = digits.start()
        if at < end:
            continue
        match = _STREET_ADDRESS.match(text, at)
        if match:
            end = match.end()
            if _COUNTED_THINGS.match(text, end):
                continue
            street = _BUILDING_END.search(match.group()) and _STREET_AFTER.match(text, end)
            if street:  # "Flat 4, Willow Court, Banbury Road"
                end = street.end()
            unit = _UNIT_WORD.search(text, max(0, at - 14), at)  # "Flat 7 Orchard Court"
            yield _address_from(text, unit.start() if unit else at, end)
            continue
        other = _unit_or_numbered_address(text, at)
        if other:
            end = other.end
            yield other
    yield from _house_names(text, lowered)


def _unit_or_numbered_address(text: str, at: int) -> Span | None:
    """At a number that starts no street: "flat 6 kestrel house", "number 14 on Station Road"."""
    unit = _UNIT_WORD.search(text, max(0, at - 14), at)
    in_building = _UNIT_IN_BUILDING.match(text, unit.start()) if unit else None
    if in_building:
        return Span(in_building.start(), in_building.end(), "address", in_building.group())
    number_word = _NUMBER_WORD.search(text, max(0, at - 8), at)
    if not number_word:
        return None
    start = number_word.start()
    on_street = _ON_STREET.match(text, at)
    if not on_street or text[max(0, start - 4) : start].lower() == "the ":  # "the number 25" bus
        return None
    return Span(start, on_street.end(), "address", text[start : on_street.end()])


def _house_names(text: str, lowered: str) -> Iterator[Span]:
    if "cottage" in lowered or "bungalow" in lowered or "farmhouse" in lowered:
        for match in _HOUSE_NAME.finditer(text):
            yield Span(match.start(), match.end(), "address", match.group())


def _address_from(text: str, start: int, end: int) -> Span:
    """The street address from its house number, with "number", a flat or a building before."""
    number_word = _NUMBER_WORD.search(text, max(0, start - 8), start)
    if number_word:
        start = number_word.start()
    prefix = _PREFIX.search(text, max(0, start - 80), start)
    if prefix and prefix.group():
        start = prefix.start()
    return Span(start, end, "address", text[start:end])


# "j.okafor[at]outlook.com": the at written out, the dots left in.
_EMAIL_BRACKETED_AT = re.compile(
    r"(?<![\w.+-])[\w.+-]+[ \t]?(?:\[at\]|\(at\)|\{at\})[ \t]?[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)


# The common mail providers: "jo.b AT gmail.com", "jo_b @ hotmail.co.uk", "jo.b@gmail".
_PROVIDERS = (
    "gmail", "googlemail", "hotmail", "outlook", "yahoo", "icloud", "btinternet", "aol",
    "protonmail", "live", "msn", "ymail",
)  # fmt: skip
_PROVIDER = "(?:" + "|".join(_PROVIDERS) + ")"
_EMAIL_LOOSE = re.compile(
    rf"(?<![\w.+-])[\w.+-]*\w(?:[ \t]+@[ \t]*|[ \t]*@[ \t]+)[\w-]+(?:\.[\w-]+)+"
    rf"|(?<![\w.+-])[\w.+-]*\w@{_PROVIDER}\b(?!\.\w)"
    rf"|(?<![\w.+-])(?!(?:look|looked|me|us|them|him|her|it|work|works|worked|is|was)\b)"
    rf"[\w+-](?:[\w.+-]*\w)?[ \t]+at[ \t]+{_PROVIDER}(?:\.[\w-]+)+",
    re.IGNORECASE,
)


def _email_spans(text: str, lowered: str) -> Iterator[Span]:
    for match in _EMAIL.finditer(text):
        yield Span(match.start(), match.end(), "email", match.group())
    if "@" in text or any(p in lowered for p in _PROVIDERS[:4]):
        for match in _EMAIL_LOOSE.finditer(text):
            yield Span(match.start(), match.end(), "email", match.group())
    if "at]" in lowered or "at)" in lowered or "at}" in lowered:
        for match in _EMAIL_BRACKETED_AT.finditer(text):
            yield Span(match.start(), match.end(), "email", match.group())
    if "dot" in lowered:
        for match in _EMAIL_SPELT.finditer(text):
            yield Span(match.start(), match.end(), "email", match.group())


# A UK number read out starts "oh", "zero" or "seven seven" (07...), or repeats a digit.
_SPOKEN_HINTS = ("oh ", "zero", "nought", "double", "treble", "triple", "seven seven")


def _spoken_phone_spans_if_any(text: str, lowered: str) -> Iterator[Span]:
    if any(word in lowered for word in _SPOKEN_HINTS):
        yield from _spoken_phone_spans(text)


_DOB_WORDS = ("born", "dob", "d.o.b", "birth", "bday", "b'day", "b-day", "d o b", "b.day")


def _dob_spans_if_cued(text: str, lowered: str) -> Iterator[Span]:
    if any(word in lowered for word in _DOB_WORDS) or (" b." in lowered or lowered[:2] == "b."):
        yield from _dob_spans(text)


# Each finder gets the text and a copy in small letters: a substring test on the copy is far
# cheaper than running a pattern that cannot match.
FINDERS: tuple[Callable[[str, str], Iterator[Span]], ...] = (
    _email_spans,
    lambda text, lowered: _phone_spans(text),
    _spoken_phone_spans_if_any,
    lambda text, lowered: _postcode_spans(text),
    lambda text, lowered: _ni_spans(text),
    _dob_spans_if_cued,
    _address_spans,
)


def fixed_format_spans(text: str) -> list[Span]:
    """Every email, phone, postcode, NI number, date of birth and address in `text`."""
    lowered = text.lower()
    return [span for finder in FINDERS for span in finder(text, lowered)]
