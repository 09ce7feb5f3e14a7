"""Personal names, found from word lists (lexicon.py) and the words around them.

A capitalised word is a name when the lists know it as one and nothing around it says
otherwise ("Sharon", "Okafor"), or when the words before it say a person follows whatever the
word is ("my son Tyler", "Mr Pike", "called Bernadette", "Kind regards,\\nLorraine"). Names that
are also everyday words ("Hope", "Mark") or places ("Chester", "May") need more: a capital
away from the start of a sentence for the first, words around it for the second. A name
followed by a street or building word ("George Street", "John Radcliffe Hospital") is a
place, and so is one after "the" or "St".
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from functools import cache

from .lexicon import GIVEN, PLACE, SURNAME, WORD, lexicon
from .spans import Span

_NAME_FLAGS = GIVEN | SURNAME
_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")

TITLES_ANY_CASE = frozenset("mr mrs ms miss mx dr cllr pc dc ds di sgt prof".split())
TITLES_CAPITALISED = frozenset(
    """nurse sister father doctor councillor officer sergeant reverend rev pastor imam professor
    sir dame lady lord captain""".split()
)
FAMILY_TITLES = frozenset(
    "aunty auntie aunt uncle nanny nana nan nanna grandad grandma granny gran".split()
)
TITLES = TITLES_ANY_CASE | TITLES_CAPITALISED | FAMILY_TITLES

RELATIONS = frozenset(
    """son daughter boy girl lad kid baby partner husband wife ex mum mam mom mother dad father
    stepdad stepmum brother sister bro sis nan nanna gran granny grandma grandad grandson
    granddaughter cousin niece nephew auntie aunty uncle friend mate pal neighbour boyfriend
    girlfriend fiance fiancé fiancee fiancée flatmate housemate cellmate colleague boss keyworker
    worker coach officer advocate solicitor landlord landlady consultant gp doctor nurse
    therapist counsellor mentor carer adviser advisor manager receptionist vicar imam chaplain
    teacher midwife psychiatrist psychologist volunteer visitor eldest youngest oldest""".split()
)
# "a cat called Biscuit" names a pet or a thing, not a person.
THINGS = frozenset(
    """cat dog kitten puppy pet horse rabbit pub shop cafe café place charity group project
    street road estate film book song app thing programme show game band club company
    organisation firm school hostel""".split()
)
GREETINGS = frozenset(
    "hi hello hiya hey dear morning evening afternoon thanks cheers ta sorry bye night".split()
)
FORM_LABELS = frozenset("name signed applicant contact from kin worker witness".split())
PREPOSITIONS = frozenset(
    "to in from at near round around via of outside past through towards into".split()
)
PERSON_VERBS = frozenset(
    """said says told tells came comes was is has had helped helps rang rings phoned called
    texted asked sorted got gave gives took takes runs ran does did drove brought found met
    knows knew wrote works worked lives lived went goes at""".split()
)
# Only a person does these, so a name that is also a place or month is a person before them:
# "Jordan rang", "hope said" (a month "was" and "is"; it does not ring).
STRONG_PERSON_VERBS = frozenset(
    """said says told tells rang rings phoned texted messaged emailed asked asks helped helps
    sorted sorts drove brought lent gave gives wrote knows knew reckons reckoned thinks thought
    promised offered visited explained listened hugged smiled laughed cried shouted picked
    met found works worked lives lived""".split()
)
MODALS = frozenset(
    """will would can could should might must won't can't wouldn't couldn't didn't doesn't
    isn't wasn't hasn't""".split()
)
# Seasons and months that are names too: "Summer is the worst" is the season.
TIME_WORDS = frozenset("summer autumn winter spring april may june august".split())
# Verbs a person does to someone: "told Grace", "asked Jordan", "met May".
OBJECT_VERBS = frozenset(
    """told tell tells ask asked asks met meet meets thank thanked rang ring phoned phone
    texted text messaged saw see visited hugged call calls email emailed contact contacted
    trust trusted""".split()
)
# "a card from Florence": things a person sends.
SENT_THINGS = frozenset("card letter text message call present gift note email visit hug".split())
# "the Jordan family", "the Jordan twins".
FAMILY_WORDS = frozenset("family families twins household brothers sisters lot".split())
# Names that are also verbs: after "my partner" in small letters they are the verb ("my
# partner will come", "my mum may know").
VERB_NAMES = frozenset("will may mark rob pat sue chase drew bill frank don grant rose".split())
POSSESSIVES = frozenset("my his her our their your".split())
# Where a person comes from: "mark from the council", "Chelsea from the youth hub".
ORGANISATION_WORDS = frozenset(
    """council hostel hub job jobcentre food drop outreach housing church team group centre
    center shelter refuge mosque office day night youth project charity surgery college school
    library ward probation dwp bank""".split()
)
# Ordinary words that start a sentence: the word after one is not "inside a capitalised run".
OPENERS = frozenset(
    """without with ask tell thanks thank sorry when after before until unless because since
    like maybe even only just also then and but so if now well yeah plus anyway""".split()
)
# A name followed by one of these is a place or an organisation: "George Street".
PLACE_WORDS = frozenset(
    """road rd street st lane avenue ave close drive crescent way place terrace grove gardens
    square row walk mews rise parade vale court tower towers estate centre center hospital
    infirmary surgery clinic practice station school academy college university library
    church chapel mosque temple gurdwara trust foundation project hostel prison hotel inn
    stadium ward unit team shop bank market bridge quay wharf circus arms tavern lodge manor
    cottages villas mansions buildings yard barracks show programme fund charity society
    association council services homes housing group partnership network institute memorial
    house hall""".split()
)
# These are surnames too ("Kevin Green"), so they end a name only after an ambiguous one.
PLACE_WORDS_WEAK = frozenset("hill green park wood field fields cross heath marsh end".split())
STOP = frozenset(
    """i me my mine you your yours he him his she her hers it its we us our ours they them
    their theirs the a an and but or so if when then than yes no not nor is was are were be
    been being do did does done has had have to in on at for from of with by as that this
    these those there here what who whom why how where which all everyone anyone someone
    nobody everybody both each team sir madam mum mam mom dad nan gran god ok okay thanks
    thank sorry please hi hello dear hiya hey love x xx xxx monday tuesday wednesday thursday
    friday saturday sunday mon tue tues wed thu thur thurs fri sat sun january february march
    july september october november december feb mar apr jun jul aug sep sept oct nov dec
    christmas easter covid lockdown council universal credit job centre
    jobcentre hospital doctor gp nhs dwp pip esa uc mp police probation housing the
    listening coach worker officer services service support team street road""".split()
)
# A sign-off at the start of a line or sentence; the name follows it.
_SIGN_OFF = re.compile(
    r"(?:^|(?<=[\n.!?]))[ \t]*(?:(?:kind|best|warm|warmest|many|with|yours|all\s+the)\s+)?"
    r"(?:regards|wishes|thanks|thank\s+you|cheers|love|sincerely|faithfully|best|take\s+care"
    r"|speak\s+soon|ta)[ \t]*[,!.\-–]?\s*",
    re.IGNORECASE,
)
_NUMBER_NEXT = re.compile(r"\s?\d")
_SENTENCE_END = set('.!?:;"“”(•*>-–—')


class _Token:
    """A word. Built for every word of every contribution, so kept small: what only a
    candidate name needs is worked out when asked for."""

    __slots__ = ("start", "end", "full_end", "word", "key", "flags", "cap", "gap", "first")

    def __init__(self, start: int, full: str, key: str, gap: str, first: bool, flags: int) -> None:
        self.start = start
        self.full_end = start + len(full)
        if len(full) > 3 and full[-2] in "'’" and full[-1] in "sS":
            full, key = full[:-2], key[:-2]  # the name part of "Hannah's"
        self.end = start + len(full)
        self.word = full
        self.key = key
        self.flags = flags
        self.cap = full[0].isupper()
        self.gap = gap  # the text between the previous word and this one
        self.first = first

    @property
    def full(self) -> str:
        """The word as written, possessive and all, casefolded: "name's"."""
        return self.key + ("'s" if self.full_end > self.end else "")

    @property
    def sentence_start(self) -> bool:
        return self.first or _ends_sentence(self.gap)

    @property
    def line_start(self) -> bool:
        return self.first or "\n" in self.gap

    @property
    def shouting(self) -> bool:
        return len(self.word) > 1 and self.word.isupper()


class _Words:
    """The words of a text. Each becomes a _Token only when something looks at it: most
    words are small-lettered and no name, and building all of them is what would cost time."""

    __slots__ = ("text", "spans", "built", "flags")

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [m.span() for m in _TOKEN.finditer(text)]
        self.built: dict[int, _Token] = {}
        self.flags = lexicon().flags

    def __len__(self) -> int:
        return len(self.spans)

    def __getitem__(self, i: int) -> _Token:
        token = self.built.get(i)
        if token is None:
            start, end = self.spans[i]
            full = self.text[start:end]
            key = _key(full)
            found = self.flags.get(key, 0)
            if not found and len(key) > 3 and key[-2:] == "'s":
                found = self.flags.get(key[:-2], 0)
            if not found and "-" in key:
                found = _compound_flags(key, self.flags)
            gap = self.text[self.spans[i - 1][1] if i else 0 : start]
            token = self.built[i] = _Token(start, full, key, gap, i == 0, found)
        return token

    def worth_a_look(self, i: int) -> bool:
        """Capitalised, or a name in the lists ("me and jade"): anything else is no name."""
        start, end = self.spans[i]
        if self.text[start].isupper():
            return True
        key = _key(self.text[start:end])
        return key in self.flags or (key[-2:] == "'s" and key[:-2] in self.flags)


def _key(word: str) -> str:
    key = word.casefold()
    return key.replace("’", "'") if "’" in key else key


def _compound_flags(key: str, flags: dict[str, int]) -> int:
    """ "Kelly-Marie", "Jackson-Reid": a hyphenated name whose every part is a name."""
    if "-" not in key:
        return 0
    parts = [flags.get(part, 0) for part in key.split("-")]
    if any(p & PLACE for p in parts):
        return 0  # "April-May", "Chester-le-Street"
    if all(p & GIVEN for p in parts):
        return GIVEN
    return SURNAME if all(p & _NAME_FLAGS for p in parts) else 0


def _ends_sentence(gap: str) -> bool:
    if "\n" in gap:
        return True
    stripped = gap.strip()
    if not stripped:
        return False
    last = stripped[-1]
    return last in _SENTENCE_END or unicodedata.category(last).startswith("S")


def _tight(token: _Token) -> bool:
    """Only spaces between this token and the one before."""
    return token.gap != "" and token.gap.strip(" ") == ""


def _after_comma(token: _Token) -> bool:
    return "\n" not in token.gap and token.gap.strip() in ("", ",")


def _is_initial(token: _Token) -> bool:
    return len(token.word) == 1 and token.word.isupper() and token.word not in "AI"


def _plain_given(token: _Token) -> bool:
    return bool(token.flags & GIVEN) and not token.flags & (WORD | PLACE)


# --- the words before a name ---------------------------------------------------------------


def _cue(tokens: _Words, i: int, text: str, after_sign_off: set[int]) -> str | None:
    """What the words before tokens[i] say about it, if anything."""
    token = tokens[i]
    prev = tokens[i - 1] if i else None
    prev2 = tokens[i - 2] if i > 1 else None
    if prev is not None:
        title = prev.key.rstrip(".")
        # "my nan's house": what follows a possessive is hers, not her name.
        if prev.end == prev.full_end and "\n" not in token.gap and token.gap.strip() in ("", "."):
            if title in TITLES_ANY_CASE or (title in TITLES_CAPITALISED and prev.cap):
                return "title"
            if title in FAMILY_TITLES:
                return "family"
        if prev.key in RELATIONS and prev.end == prev.full_end and _after_comma(token):
            return "relation"
        if _tight(token) and (
            prev.full in ("called", "named", "calls")
            or prev.full in ("name's", "names")
            or (prev2 is not None and (prev2.full, prev.full) in _CALLED_PAIRS)
        ):
            if not (prev2 is not None and prev2.key in THINGS):
                return "called"
        if _after_greeting_intro(tokens, i):
            return "greeting-intro"  # "hiya it's May", "hi its amber from the bench"
        if _tight(token) and (
            prev.full in ("i'm", "im")
            or (prev2 is not None and (prev2.full, prev.full) == ("i", "am"))
        ):
            return "intro"
        if _tight(token) and (
            prev.full in ("it's", "its", "she's", "he's", "hes", "shes")
            or (prev2 is not None and (prev2.full, prev.full) == ("this", "is"))
        ):
            return "intro-not-place"
        if prev.key == "to" and _tight(token) and _spoken_to(tokens, i - 1):
            return "told"  # "Spoke to Jordan after group", "pass this on to faith"
        if prev2 is not None and (prev2.key, prev.full) in _WITH_ME and _tight(token):
            return "companion"
        if prev.key == "me" and token.gap.strip() == "&":  # "me & hope"
            return "companion"
        if _after_comma(token) and (
            (prev.key in GREETINGS and prev.sentence_start)
            or (
                prev2 is not None
                and (prev2.key, prev.key) == ("thank", "you")
                and prev2.sentence_start
            )
        ):
            return "greeting"
        if _tight(token) and prev.key in OBJECT_VERBS:
            return "told" if prev.key in _TOLD_VERBS else "object"
        if _tight(token) and prev.key == "from" and prev2 is not None and prev2.key in SENT_THINGS:
            return "object"
        if prev.key in FORM_LABELS and ":" in token.gap:
            return "label"
        if prev.word == "I" and token.gap.strip() == ",":
            return "label"
    if token.start in after_sign_off:
        return "signoff"
    if prev is not None and prev.word in _KISSES and _is_kiss_sign_off(tokens, i, text):
        return "signoff"  # "see you Thursday x Rose"
    if token.line_start and _is_last_short_line(tokens, i, text):
        return "signoff"
    return None


# "me and jade went": whoever comes after "me and" is a person, even a name that is a word.
_WITH_ME = frozenset({("me", "and"), ("me", "n"), ("me", "an"), ("and", "me")})
_CALLED_PAIRS = frozenset(
    {("known", "as"), ("credited", "as"), ("name", "is"), ("names", "is"), ("call", "me")}
    | {(verb, who) for verb in ("call", "calls", "called") for who in ("him", "her", "them")}
    | {("calls", "himself"), ("calls", "herself"), ("goes", "by")}
)


# "spoke to Jordan", "pass this on to faith": verbs whose "to" is followed by a person.
_TO_PERSON_VERBS = frozenset(
    """spoke speak speaks speaking talk talked talks talking chat chatted chatting explained
    explain mentioned mention pass passed passing handed hand introduced listened listen
    apologised apologise""".split()
)
# Between the verb and its "to": "passed it on to", "spoke directly to".
_TO_FILLERS = frozenset("it this that them these those on back over again directly".split())
_GREETING_INTRO = frozenset({("it's",), ("its",), ("this", "is"), ("it", "is")})
_INTRO_LAST = frozenset({"it's", "its", "is"})
_KISSES = frozenset({"x", "xx", "xxx", "xo", "xoxo"})


def _spoken_to(tokens: _Words, k: int) -> bool:
    """Whether the "to" at tokens[k] follows a verb of speaking or passing on."""
    for n in range(k - 1, max(k - 4, -1), -1):
        key = tokens[n].key
        if key in _TO_PERSON_VERBS:
            return True
        if key not in _TO_FILLERS or not _tight(tokens[n + 1]):
            return False
    return False


def _after_greeting_intro(tokens: _Words, i: int) -> bool:
    """ "hiya it's May", "hello, this is June": a greeting, then who is speaking."""
    if i < 2 or tokens[i - 1].full not in _INTRO_LAST or not _tight(tokens[i]):
        return False
    for size in (1, 2):
        g = i - size - 1
        if g < 0:
            return False
        words = tuple(tokens[n].full for n in range(i - size, i))
        greeting = tokens[g]
        if (
            words in _GREETING_INTRO
            and greeting.key in GREETINGS
            and greeting.sentence_start
            and _after_comma(tokens[g + 1])
        ):
            return True
    return False


def _is_kiss_sign_off(tokens: _Words, i: int, text: str) -> bool:
    """A capitalised word after a kiss, closing the message or its line: "... x Rose"."""
    token = tokens[i]
    if not token.cap or not token.flags & GIVEN or not _tight(token):
        return False
    rest = text[token.full_end :].lstrip(" \t")
    return not rest or rest[0] in "\n.!x"


def _is_last_short_line(tokens: _Words, i: int, text: str) -> bool:
    """A closing line of one to three capitalised words under a longer message: a signature."""
    line_end = text.find("\n", tokens[i].start)
    if line_end != -1 and text[line_end:].strip():
        return False
    if "\n" not in text[: tokens[i].start].strip():
        return False
    line_text = text[tokens[i].start : line_end if line_end != -1 else len(text)]
    if not _SIGNATURE_LINE.fullmatch(line_text.strip()):
        return False
    line = [tokens[n] for n in range(i, len(tokens))]
    line = [t for t in line if line_end == -1 or t.start < line_end]
    words = [t for t in line if t.key not in ("x", "xx", "xxx")]
    return 1 <= len(words) <= 3 and all(t.cap and t.key not in STOP for t in words)


# Nothing but words on the line, perhaps a kiss: not "Phone: 07700 900 118".
_SIGNATURE_LINE = re.compile(r"[^\W\d_][\w'’.\- ]*?(?:\s+x{1,3})?[.!]?")


# After these cues a word the lists do not know may still be a name ("my cousin Ngozi"),
# unless its ending marks it as an ordinary English word.
_LOOSE_CUES = frozenset({"relation", "greeting", "intro", "intro-not-place"})
_LOOKS_LIKE_A_WORD = re.compile(r"(?:ing|ed|ly|tion|sion|ment|ness|ship|ance|ence|ers|ies|ives)$")


def _place_word_next(token: _Token, text: str) -> bool:
    """ "rang Chester council": the word after makes it a place, capitals or not."""
    following = _NEXT_WORD.match(text, token.full_end)
    return following is not None and following.group(1).casefold() in PLACE_WORDS


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")


def _accepts(token: _Token, cue: str, text: str = "", possessive_before: bool = False) -> bool:
    """Whether the token can be the name the cue announces."""
    if token.key in STOP or token.key in TITLES or token.key.startswith("i'"):
        return False  # "a girl I'd never met"
    if token.shouting and not token.flags & _NAME_FLAGS:
        return False  # "a PTS Coach, NEF Report"
    if not token.flags and cue in _LOOSE_CUES and _LOOKS_LIKE_A_WORD.search(token.key):
        return False  # "its partner Changing Lives"
    if cue == "companion":
        return bool(token.flags & GIVEN)
    if cue in ("object", "told"):
        if not token.flags & GIVEN or _place_word_next(token, text):
            return False
        # "i told rose everything": after telling, asking, ringing, small letters will do.
        return token.cap or (cue == "told" and token.word.islower())
    if cue == "greeting-intro":  # not "hi, it's May already"
        following = _NEXT_WORD.match(text, token.full_end)
        return bool(token.flags & GIVEN) and not (
            following is not None and following.group(1).lower() in _ALREADY
        )
    if cue in ("intro", "intro-not-place"):
        if not token.flags & GIVEN:
            return False
        if cue == "intro-not-place" and token.flags & PLACE:
            following = _NEXT_WORD.match(text, token.full_end)  # "It's Jordan here"
            return following is not None and following.group(1).lower() == "here"
        return token.cap or _plain_given(token)
    if token.cap:
        return True
    if cue in ("family", "title"):
        return bool(token.flags & _NAME_FLAGS)
    if cue == "greeting" and token.flags & GIVEN and token.word.islower():
        rest = text[token.full_end :].lstrip(" \t")  # "thanks grace x", not "hi hope you're ok"
        return not rest or rest[0] in "\n,.!x"
    if cue == "relation" and token.flags & GIVEN and possessive_before:
        if token.key not in VERB_NAMES:
            return True  # "his girlfriend hope"
        # "my neighbour bill rang", not "my partner will come"
        following = _NEXT_WORD.match(text, token.full_end)
        return following is not None and following.group(1).lower() in STRONG_PERSON_VERBS
    return _plain_given(token)


# --- the name on its own ------------------------------------------------------------------


# Before a name these make it a place: "the Warneford", "St Mungo's", "the river jordan".
_PLACE_BEFORE = frozenset("the a an st saint river mount lake".split())


def _known_name(tokens: _Words, i: int) -> bool:
    """Whether tokens[i] is a name from the lists alone, with no cue before it."""
    token = tokens[i]
    flags = token.flags
    prev = tokens[i - 1] if i else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if prev is not None and _tight(token) and prev.key in _PLACE_BEFORE:
        # "the Jordan family" is a surname; "the Warneford" is a place.
        return (
            bool(flags & _NAME_FLAGS)
            and prev.key == "the"
            and token.cap
            and nxt is not None
            and _tight(nxt)
            and nxt.key in FAMILY_WORDS
        )
    if not flags & _NAME_FLAGS:
        return _unlisted_person(tokens, i, prev)
    after_preposition = prev is not None and prev.key in PREPOSITIONS
    if not token.cap:
        if not token.word.islower() or not flags & GIVEN:
            return False
        if (
            token.full_end > token.end
            and nxt is not None
            and (nxt.key in _PEOPLE_OF or _whose_person(tokens, i))
        ):
            return not (prev is not None and _tight(token) and prev.key in _THING_DETERMINERS)
        if flags & WORD:
            # "hope rang back", "mark from the council", "rose n me": a word-name in small
            # letters is a name only at the start of a clause with a person's doing after
            # it, or with "and me" after it.
            if token.sentence_start or (prev is not None and prev.key in _CLAUSE_JOINS):
                if _person_follows(tokens, i) or _plainly_a_person(tokens, i):
                    return True  # "mark is sleeping in his van", "frank passed away"
            return _with_me_after(tokens, i)
        return not (flags & PLACE and after_preposition)
    if (
        flags & GIVEN
        and token.full_end > token.end
        and nxt is not None
        and (nxt.key in _PEOPLE_OF or nxt.key in _PERSONAL_THINGS or _whose_person(tokens, i))
    ):
        return True  # "Jordan's mum", "Jordan's flat", "Hunter's social worker"
    if token.shouting and not _plain_given(token):
        return False
    followed_by_name = (
        nxt is not None
        and _tight(nxt)
        and nxt.cap
        and bool(nxt.flags & _NAME_FLAGS)
        and nxt.key not in PLACE_WORDS | PLACE_WORDS_WEAK
    )
    if flags & PLACE and token.key in _MONTH_NAMES and flags & GIVEN and token.cap:
        # "hiya, May said", "I sat with June": a month only where the words around say so.
        if token.sentence_start:
            return _person_follows(tokens, i) or _plainly_a_person(tokens, i)
        return not _month_context(tokens, i)
    if flags & PLACE and flags & GIVEN and prev is not None and prev.key == "with":
        return _tight(token)  # "I went to court with Georgia"
    if flags & PLACE:
        return not after_preposition and (
            followed_by_name
            or (
                bool(flags & GIVEN) and (_person_follows(tokens, i) or _plainly_a_person(tokens, i))
            )
        )
    if not flags & GIVEN and _starts_capitalised_run(nxt):
        return False  # "Bridges Outcomes Partnership"
    if not flags & GIVEN and _NUMBER_NEXT.match(tokens.text, token.full_end):
        return False  # "Ward 5A", "Room 4"
    if flags & WORD:
        if prev is not None and _tight(token) and prev.key in _THING_DETERMINERS:
            return False  # "no Sky, no wifi", "any Joy"
        if token.key in _DESCRIPTIVE and not _person_follows(tokens, i):
            return False  # "maths and English", "Black women": the word, unless a verb says
        if token.sentence_start:
            if token.key in _ABSTRACT and _MONEY_SOON.match(tokens.text, token.full_end):
                return False  # "Bill came in at £340"
            if token.key in _NATURE and nxt is not None and nxt.key in _THINGS_DO_TOO:
                return _plainly_a_person(tokens, i)  # "Sky went dark", "Van got towed"
            return bool(flags & GIVEN) and (
                followed_by_name
                or _person_follows(tokens, i, loose=token.key not in TIME_WORDS)
                or _plainly_a_person(tokens, i)
            )
        if token.key in VERB_NAMES and nxt is not None and _tight(nxt):
            if nxt.key in _PRONOUNS or nxt.key == "do":
                return False  # "..., Will you be there?", "Will do."
        return not _inside_capitalised_run(token, prev)
    if flags & GIVEN:
        return True
    return (
        not token.sentence_start
        and not after_preposition
        and not _inside_capitalised_run(token, prev)
    )


def _whose_person(tokens: _Words, i: int) -> bool:
    """ "Hunter's social worker", "jack's new school": one describing word, then the
    person or thing that is theirs."""
    if i + 2 >= len(tokens) or not _tight(tokens[i + 1]) or not _tight(tokens[i + 2]):
        return False
    between = tokens[i + 1]
    if between.cap or between.key in STOP or between.key in _PEOPLE_OF:
        return False
    return tokens[i + 2].key in _PEOPLE_OF or tokens[i + 2].key in _PERSONAL_THINGS


def _person_follows(tokens: _Words, i: int, loose: bool = False) -> bool:
    """Whether the words after tokens[i] say it is a person: a verb only a person does ("rang",
    "told"), "from the council"; with `loose`, also "was", "has", "will", "and me"."""
    if i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    if not _tight(nxt):
        return False
    if tokens[i].full_end != tokens[i].end:  # "Hope's been brilliant": has, not hers
        return loose and nxt.key == "been" and not _a_thing_follows(tokens, i + 2)
    if nxt.key in STRONG_PERSON_VERBS:
        return True
    if loose:
        if nxt.key in ("is", "was"):  # "Hope was the only one", not "Hope is all I've got"
            return not _a_thing_follows(tokens, i + 2) and not _MEASURE.match(
                tokens.text, nxt.full_end
            )
        if nxt.key in _AND:  # "Hope and I went", not "Hope and faith"
            return _companion_after_and(tokens, i + 1)
        if nxt.key in PERSON_VERBS or nxt.key in MODALS:
            return True
    if nxt.key in ("is", "was") and i + 3 < len(tokens):  # "Summer was my coach"
        return tokens[i + 2].key in POSSESSIVES and tokens[i + 3].key in RELATIONS
    if nxt.key not in ("from", "at") or i + 3 >= len(tokens):
        return False
    after = tokens[i + 2]  # "jade from the council", "hope at the hostel"
    return after.key in ("the", "my") and tokens[i + 3].key in ORGANISATION_WORDS


_AND = frozenset({"and", "n", "an"})
_MONTH_NAMES = frozenset("april may june august".split())
# Words that start a new clause: "... and frank passed away", "i think mark is ...".
_CLAUSE_JOINS = frozenset(
    """and but so then cos coz because n think reckon heard hear knew know said says when
    while if unless until before after since""".split()
)
# Capitalised away from a sentence start these are mostly a language or a colour.
_DESCRIPTIVE = frozenset("english french black white".split())
# Before a word-name these make it the word: "we had no Sky", "not much Hope".
_THING_DETERMINERS = frozenset("no any some every much more less such".split())
_HE_SHE = frozenset("he she him his her himself herself he's she's hes shes".split())
# What is said of a person but not of a thing: "Robin used to run", "frank passed away".
_LIFE_VERBS = frozenset("died passed used lives lived moved stays stayed sleeps slept".split())
# Where a person is: "Bill on the third floor", "Pat next door", "Joy upstairs".
_WHERE_PEOPLE_LIVE = frozenset("upstairs downstairs next opposite".split())
_FLOORS = frozenset("first second third fourth fifth sixth top ground floor".split())


def _plainly_a_person(tokens: _Words, i: int) -> bool:
    """Looser signs after a word-name at the start of a sentence that it is a person: a life
    verb ("died", "passed away", "used to"), "and her little boy", an age ("sky is 16"),
    where someone lives ("Bill on the third floor"), or a person's verb and then he or she
    ("jack got his keys", "mark is sleeping in his van")."""
    if i + 1 >= len(tokens):
        return _described_after(tokens, i)
    if tokens[i].full_end != tokens[i].end:
        return _is_or_has(tokens, i)
    if _described_after(tokens, i):
        return True  # "Summer (my eldest) does", "Poppy (4)", "frank my neighbour has"
    nxt = tokens[i + 1]
    if not _tight(nxt) and nxt.gap.strip() != "&":
        return False
    if _does_something(tokens, i):
        return True  # "Pat never judged me", "robin keeps my tablets", "Storm gets anxious"
    after = tokens[i + 2] if i + 2 < len(tokens) and _tight(tokens[i + 2]) else None
    if nxt.key in _LIFE_VERBS:
        if nxt.key == "passed":
            return after is not None and after.key == "away"
        if nxt.key == "used":
            return after is not None and after.key == "to"
        return True
    if nxt.gap.strip() == "&":  # "ruby & her boyfriend", "Hope & Jordan went"
        return nxt.key in ("her", "his", "their") or (nxt.cap and bool(nxt.flags & GIVEN))
    if nxt.key in _AND or nxt.key == "with":  # "Faith with her two kids"
        return after is not None and after.key in ("her", "his", "their")
    if nxt.key in _WHERE_PEOPLE_LIVE:
        return nxt.key != "next" or (after is not None and after.key == "door")
    if nxt.key in ("on", "from") and after is not None and after.key == "the":
        return i + 3 < len(tokens) and tokens[i + 3].key in _FLOORS
    if nxt.key in ("is", "was", "'s") and _AGE.match(tokens.text, nxt.full_end):
        return True
    if tokens[i].key in _ABSTRACT and not tokens[i].cap:
        return False  # "hope has gone, he's given up", "faith got him through"
    if nxt.key in PERSON_VERBS or nxt.key in MODALS or nxt.key in ("is", "was", "has", "had"):
        if nxt.key in ("is", "was") and _a_thing_follows(tokens, i + 2):
            return False
        return _he_or_she_soon(tokens, i + 2)
    return False


# Words that take a clause after them: "Hope my son is ok", "Trust me", "Mark my words".
_CLAUSE_VERBS = frozenset("hope trust will may mark grant bless wish pray thank".split())
# "Summer (my eldest)", "Poppy (4)": a word-name described in brackets straight after it.
_BRACKETED = re.compile(
    r"[ \t]*\((?:[ \t]*(?:1[0-9]|[1-9])[ \t]*|(?:my|our|his|her|their)[ \t][^()\n]{1,30})\)"
)


def _described_after(tokens: _Words, i: int) -> bool:
    """A description straight after a word-name says it is a person: "Summer (my eldest)",
    "Poppy (4)", "frank my neighbour", "June, my support worker"."""
    token = tokens[i]
    if token.full_end != token.end or token.key in _CLAUSE_VERBS:
        return False
    if _BRACKETED.match(tokens.text, token.full_end):
        return True
    if i + 2 >= len(tokens) or tokens[i + 1].key not in ("my", "our"):
        return False
    if not _after_comma(tokens[i + 1]) or tokens[i + 1].sentence_start:
        return False
    # "my key worker", "my support worker", "my neighbour"
    return tokens[i + 2].key in RELATIONS or (
        i + 3 < len(tokens) and _tight(tokens[i + 3]) and tokens[i + 3].key in RELATIONS
    )


# What "'s" is short for when it is "is" or "has": "Jack's in year 7", "Faith's the only one".
_AFTER_IS_OR_HAS = frozenset(
    """the a an in at on with got gone just always never still not so really very doing going
    coming back off out up home here there only been started moved left had done finally now
    also staying living brilliant amazing lovely great kind fab fantastic ace helpful
    wonderful""".split()
)
_ELDEST = RELATIONS | frozenset(
    "kids sons daughters children boys girls twins eldest youngest oldest middle".split()
)
# Who or what "the only one" is: a person when "who", "he" or "she" follows.
_WHO = frozenset("who he she his her him".split())


def _is_or_has(tokens: _Words, i: int) -> bool:
    """ "Jack's in year 7 now", "Faith's the only one who picks up": 's as is or has after a
    word-name at the start of a sentence. Words that are also feelings, things or seasons
    ("Hope's the only thing", "Summer's here") need a who/he/she after."""
    if i + 1 >= len(tokens) or not _tight(tokens[i + 1]):
        return False
    token = tokens[i]
    if tokens[i + 1].key in ("my", "our") and i + 2 < len(tokens):
        # "June's my keyworker", "Summer's our eldest"
        return tokens[i + 2].key in _ELDEST or (
            i + 3 < len(tokens) and tokens[i + 3].key in _ELDEST
        )
    if tokens[i + 1].key not in _AFTER_IS_OR_HAS or _a_thing_follows(tokens, i + 1):
        return False
    if token.key in _ABSTRACT or token.key in TIME_WORDS or token.flags & PLACE:
        return _who_soon(tokens, i + 1)
    return True


def _who_soon(tokens: _Words, k: int) -> bool:
    for n in range(k, min(k + 9, len(tokens))):
        if tokens[n].sentence_start:
            return False
        if tokens[n].key in _WHO:
            return True
    return False


# Between a name and its verb: "Pat never judged me", "chase never got his PIP sorted".
_ADVERBS = frozenset(
    """never always still just really also usually often sometimes even finally only literally
    actually basically hardly barely already""".split()
)
# Verbs in the third person or the past: after a word-name at the start of a sentence they
# make it the one doing ("robin keeps my tablets"). Things do some of these too ("Storm gets
# worse"), so words that are also feelings, seasons, weather or places take only the verbs
# and states in _PERSON_ONLY / _PERSON_STATES.
_DOING_VERBS = frozenset(
    """gets got keeps kept started starts stays stayed comes came goes went says said tells
    told knows knew does did makes made takes took gives gave helps helped judged judges
    loves loved hates hated wants wanted needs needed likes liked thinks thought feels felt
    tries tried sees saw looks looked calls called rings rang texts texted picks picked
    visits visited brings brought buys bought pays paid cooks cooked walks walked drives
    drove works worked lives lived moves moved leaves left learnt learned plays played
    sleeps slept eats ate joined joins finished finishes misses missed struggles struggled
    worries worried panics panicked cries cried sorted sorts deals dealt manages managed
    refuses refused reckons reckoned listens listened understands understood cares cared
    smiles smiled laughs laughed shouts shouted sits sat stands stood talks talked writes
    wrote reads remembers remembered forgets forgot owes owed turned showed popped""".split()
)
_PERSON_ONLY = STRONG_PERSON_VERBS | frozenset(
    """judged judges loves loved hates hated wants wanted likes liked thinks thought tries
    tried worries worried panics panicked struggles struggled cries cried refuses refused
    listens listened understands understood cares cared smiles smiled laughs laughed shouts
    shouted talks talked remembers remembered forgets forgot learnt learned owes owed showed
    popped""".split()
)
_BECOMING = frozenset("gets got is was feels felt goes went became becomes".split())
_INTENSIFIERS = frozenset("really so very quite a bit too proper well".split())
# States of a person: "Storm gets really anxious", "honey is autistic".
_PERSON_STATES = frozenset(
    """anxious upset angry scared nervous worried stressed depressed lonely poorly ill sick
    autistic pregnant homeless shy frightened overwhelmed tearful confused embarrassed
    ashamed jealous bored grumpy cross aggressive violent drunk sober""".split()
)
# Things a person starts, joins or leaves: "Autumn started at the nursery last week".
_PLACES_FOR_PEOPLE = frozenset(
    """nursery school college uni university reception playgroup preschool secondary primary
    work job apprenticeship course class""".split()
)
# Word-names that are also weather, money, vehicles or things: they "get", "come" and "go"
# too ("Storm gets worse", "Van got towed", "Penny dropped").
_NATURE = frozenset(
    """storm sky rain river dawn sunny van gift queen young penny clay gale kitty miles
    mercedes roman gene blessing favour precious angel candy ginger christian junior trace
    sterling misty max dot chuck guy jewel crystal""".split()
)


# What weather, vehicles and money do as well as people.
_THINGS_DO_TOO = frozenset("went goes got gets came comes fell falls dropped".split())


def _does_something(tokens: _Words, i: int) -> bool:
    """A verb in the third person or the past after a word-name at the start of a sentence,
    perhaps after "never", "always", "still": "Pat never judged me", "robin keeps"."""
    k = i + 1
    while k < len(tokens) and _tight(tokens[k]) and tokens[k].key in _ADVERBS and k < i + 3:
        k += 1
    if k >= len(tokens) or not _tight(tokens[k]):
        return False
    verb = tokens[k].key
    if verb in _BECOMING and _state_follows(tokens, k):
        return True
    if verb not in _DOING_VERBS:
        return False
    token = tokens[i]
    strict = (
        token.key in _ABSTRACT
        or token.key in TIME_WORDS
        or token.key in _NATURE
        or bool(token.flags & PLACE)
    )
    if not strict:
        return True
    if verb in _PERSON_ONLY:
        return True
    return verb in ("started", "starts", "joined", "joins", "left", "leaves") and any(
        tokens[n].key in _PLACES_FOR_PEOPLE for n in range(k + 1, min(k + 5, len(tokens)))
    )


def _state_follows(tokens: _Words, k: int) -> bool:
    for n in range(k + 1, min(k + 4, len(tokens))):
        if not _tight(tokens[n]):
            return False
        if tokens[n].key in _PERSON_STATES:
            return True
        if tokens[n].key not in _INTENSIFIERS:
            return False
    return False


# Names that are also feelings, virtues, things or times of day and year: in small letters,
# "hope has gone, he's given up" and "when bill is due he panics" are the words, so only the
# plainer signs above make them a person.
_ABSTRACT = frozenset(
    """hope faith grace joy mercy patience charity destiny harmony liberty comfort promise
    chance love trust unity honour bill rose dawn summer autumn winter spring grant""".split()
)


# An amount of money in the same clause: the bill, not Bill.
_MONEY_SOON = re.compile(r"[^.!?\n£]{0,30}(?:£[ \t]?\d|\d+[ \t]?(?:quid|pounds)\b)")


# An age: "sky is 16", "Robin's 19 next week"; not money or a time ("is 16 quid", "is 5pm").
_AGE = re.compile(
    r"[ \t]+(?:1[0-9]|[2-9][0-9]|[2-9])(?![\d.,:%£$\w])(?![ \t]*(?:quid|pounds?|p|pence|pm|am"
    r"|percent|per|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|miles?|mph|kg|st|stone|cm"
    r"|degrees|o['’]clock)\b)"
)


# "Sky is 30 quid a month", "Rose is 5 minutes away": an amount, said of a thing or a place.
_MEASURE = re.compile(
    r"[ \t]+(?:£|\$|about[ \t]+|like[ \t]+)?\d[\d.,]*[ \t]*(?:quid|pounds?|p|pence|%|percent"
    r"|per|minutes?|mins?|hours?|hrs?|miles?|mph|metres?|meters?|k|kg|st|stone|degrees|cm|mm"
    r"|grand|a[ \t]+(?:month|week))\b"
    r"|[ \t]+£"
)


def _he_or_she_soon(tokens: _Words, k: int) -> bool:
    """ "he" or "she", "his" or "her" within the next few words of the same sentence."""
    for n in range(k, min(k + 5, len(tokens))):
        if tokens[n].sentence_start:
            return False
        if tokens[n].key in _HE_SHE:
            return True
    return False


def _month_context(tokens: _Words, i: int) -> bool:
    """Whether the words around a capitalised month name make it the month: "in May",
    "last June", "May 2024", "5th May", "May half term", "April and May"."""
    prev = tokens[i - 1] if i else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if _YEAR_OR_DAY_NEXT.match(tokens.text, tokens[i].full_end):
        return True
    if _DAY_BEFORE.search(tokens[i].gap) or (
        prev is not None and prev.key in ("st", "nd", "rd", "th") and _DAY_BEFORE.search(prev.gap)
    ):
        return True  # "6 May", "the 5th May"
    if prev is not None and (prev.key in _MONTH_BEFORE or prev.key in _MONTH_NAMES):
        return True
    if prev is not None and _tight(tokens[i]) and _its_now(tokens, i - 1):
        return True  # "It's May already", "It is now August" ("hiya it's May" is a greeting)
    if nxt is not None and _tight(nxt) and nxt.key in _ALREADY:
        return True
    if nxt is not None and _tight(nxt) and nxt.key in _MONTH_AFTER:
        return True
    if prev is not None and prev.key in ("and", "or", "to") and i > 1:
        before = tokens[i - 2]
        return before.key in _MONTH_NAMES or before.key in _OTHER_MONTHS
    if nxt is not None and nxt.key in ("and", "or", "to") and i + 2 < len(tokens):
        return tokens[i + 2].key in _MONTH_NAMES or tokens[i + 2].key in _OTHER_MONTHS
    return False


_YEAR_OR_DAY_NEXT = re.compile(r"[ \t,]*['’]?\d")
_DAY_BEFORE = re.compile(r"\d[ \t]*$")


def _its_now(tokens: _Words, k: int) -> bool:
    """ "it's", "it is", "it's now", "it is already" ending at tokens[k]."""
    if tokens[k].key in _ALREADY and k > 0:
        k -= 1
    if tokens[k].full in ("it's", "its"):
        return True
    return tokens[k].key == "is" and k > 0 and tokens[k - 1].key == "it"


_ALREADY = frozenset("already nearly almost now soon finally over".split())
_MONTH_BEFORE = frozenset(
    """in on of since until till til last next this that early late mid end start beginning
    middle every each by from before after around about through throughout during for to
    till into""".split()
)
_MONTH_AFTER = frozenset(
    """half bank time holiday holidays day morning afternoon evening night week weekend
    payday rent onwards onward""".split()
)
_OTHER_MONTHS = frozenset(
    """january february march july september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec""".split()
)
# Whose people they are: "Jordan's mum", "jack's kids".
_PEOPLE_OF = RELATIONS | frozenset(
    "kids sons daughters children grandkids grandchildren boys girls twins".split()
)
# What only a person has: "Jordan's flat", "Chelsea's birthday".
_PERSONAL_THINGS = frozenset(
    "flat house place room bedroom bed sofa settee gaff car phone birthday funeral wedding".split()
)
# Verbs after which a given name in small letters is still a person: "i told rose".
_TOLD_VERBS = frozenset(
    """told tell tells asked ask asks thanked thank rang ring rings phoned texted messaged hugged
    emailed""".split()
)
# What a word-name "is" when it is the word: "Hope is all I've got", "Patience is a virtue".
_THING_COMPLEMENTS = frozenset(
    """all everything nothing something what important key vital precious priceless essential
    enough overrated dangerous fragile powerful contagious everywhere nowhere""".split()
)
_THING_NOUNS = frozenset("thing things virtue word gift".split())


def _a_thing_follows(tokens: _Words, k: int) -> bool:
    if k >= len(tokens):
        return False
    if tokens[k].key in _THING_COMPLEMENTS:
        return True
    return any(tokens[n].key in _THING_NOUNS for n in range(k, min(k + 3, len(tokens))))


def _companion_after_and(tokens: _Words, k: int) -> bool:
    """After the "and" at tokens[k]: "me", "I" or a capitalised given name."""
    if k + 1 >= len(tokens) or not _tight(tokens[k + 1]):
        return False
    after = tokens[k + 1]
    return after.key in ("me", "i") or (after.cap and bool(after.flags & GIVEN))


def _with_me_after(tokens: _Words, i: int) -> bool:
    """ "rose n me", "hope and me", "jade & me": a companion, whatever the word."""
    if i + 1 >= len(tokens) or tokens[i].full_end != tokens[i].end:
        return False
    nxt = tokens[i + 1]
    if nxt.key == "me" and nxt.gap.strip() == "&":
        return True
    return (
        _tight(nxt)
        and nxt.key in _AND
        and i + 2 < len(tokens)
        and _tight(tokens[i + 2])
        and tokens[i + 2].key == "me"
    )


# Verbs of speaking and touch: a word that does one of these is a person ("... and Sky texted
# me"), even a word the lists do not know as a name. Organisations text and ring too, so the
# word must not be in _NOT_PEOPLE or look like a plural or a company name ("Barclays").
SPEAKING_VERBS = frozenset(
    """said says told tells rang rings phoned texted texts messaged emailed asked asks hugged
    smiled laughed cried shouted replied answered promised reckons reckoned""".split()
)
_NOT_PEOPLE = frozenset(
    """somebody someone anybody anyone everybody everyone nobody mummy daddy mama papa staff
    reception security management admin maintenance office agency everything nothing
    something christ allah buddha""".split()
)


def _unlisted_person(tokens: _Words, i: int, prev: _Token | None) -> bool:
    """A capitalised word the lists do not know as a name, or know only as a word ("Sky"),
    with a verb of speaking or "and me" after it. Away from the start of a sentence unless
    the lists know it as a word that is also a name: "Everybody said" starts sentences too."""
    if i + 1 >= len(tokens):
        return False
    start, end = tokens.spans[i + 1]  # looked at first: it rules out nearly every word, cheaply
    following = tokens.text[start:end].lower()
    if following not in SPEAKING_VERBS and following not in _AND and following != "me":
        return False
    token = tokens[i]
    if not token.cap or token.shouting or len(token.word) < 2:
        return False
    if token.key in STOP or token.key in TITLES or token.key in RELATIONS:
        return False
    if token.key in _NOT_PEOPLE or token.key.startswith("i'"):
        return False
    if not token.flags & WORD and (token.sentence_start or token.key.endswith("s")):
        return False
    if _inside_capitalised_run(token, prev):
        return False  # "Universal Credit said"
    if following in SPEAKING_VERBS:
        return token.full_end == token.end and _tight(tokens[i + 1])
    return _with_me_after(tokens, i)  # "Sky n me"


def _starts_capitalised_run(nxt: _Token | None) -> bool:
    return nxt is not None and _tight(nxt) and nxt.cap and not nxt.flags & _NAME_FLAGS


def _inside_capitalised_run(token: _Token, prev: _Token | None) -> bool:
    """A word after another capitalised word that was not taken as a name belongs to a title
    or a place: "Christmas Eve", "Church Lane", "Eastwood Park"."""
    if prev is None or not prev.cap or not _tight(token) or token.sentence_start:
        return False
    return not (
        prev.sentence_start
        and (
            prev.key in OPENERS
            or prev.key in OBJECT_VERBS
            or (prev.key.endswith("ly") and not prev.flags & _NAME_FLAGS)  # "Honestly"
        )
    )


# --- from the first word of a name to the last --------------------------------------------


def _extend(tokens: _Words, i: int, open_ended: bool, blocked: set[int]) -> int:
    """Index of the last token of the name starting at tokens[i]: a surname, a second given
    name. `open_ended` lets a capitalised word the lists do not know count as a surname."""
    j = i
    while j + 1 < len(tokens) and j - i < 3 and j + 1 not in blocked:
        current, nxt = tokens[j], tokens[j + 1]
        joined = _tight(nxt) or (_is_initial(current) and nxt.gap.strip() == ".")
        if not joined or current.full_end != current.end:
            break
        if not nxt.cap or nxt.shouting or nxt.key in STOP or nxt.key in TITLES:
            break
        if nxt.key.startswith("i'"):  # "Without Sharon I'd be lost"
            break
        if nxt.key in PLACE_WORDS or nxt.key in PLACE_WORDS_WEAK:
            if not (nxt.flags & SURNAME and nxt.key in PLACE_WORDS_WEAK and _plain_given(current)):
                break
        if nxt.flags & _NAME_FLAGS or (open_ended and not nxt.flags & _NAME_FLAGS):
            j += 1
            continue
        break
    return j


def _followed_by_place_word(tokens: _Words, i: int, j: int) -> bool:
    if j + 1 >= len(tokens) or not _tight(tokens[j + 1]):
        return False
    nxt = tokens[j + 1]
    if nxt.key in PLACE_WORDS and nxt.cap:
        return True
    # "Rose Hill", "Eastwood Park": a weak place word ends a name only after an ambiguous one.
    return nxt.key in PLACE_WORDS_WEAK and nxt.cap and (j > i or not _plain_given(tokens[i]))


def _ends_cleanly(tokens: _Words, j: int, text: str) -> bool:
    """After a greeting the name stands alone: "Hi Priya," not "Dear Listening Team"."""
    rest = text[tokens[j].full_end :].lstrip(" ")
    if not rest or rest[0] in "\n,.!?:;)" or rest.startswith(("x", "X")):
        return True
    return unicodedata.category(rest[0]).startswith("S")


def name_spans(text: str, skip: Iterable[Span] = ()) -> list[Span]:
    """Names in `text`, leaving alone any word inside a `skip` span."""
    tokens = _Words(text)
    taken = [(s.start, s.end) for s in skip]
    taken += [(m.start(), m.end()) for m in _not_names_pattern().finditer(text)]
    blocked = _tokens_inside(tokens, taken)
    after_sign_off = {m.end() for m in _SIGN_OFF.finditer(text)}
    spans: list[Span] = []
    i = 0
    while i < len(tokens):
        if not tokens.worth_a_look(i) or i in blocked:
            i += 1
            continue
        token = tokens[i]
        if (
            (not token.cap and not token.flags & _NAME_FLAGS)
            or token.key in TITLES
            or (token.key in STOP and not token.flags)
        ):
            i += 1
            continue
        cue = _cue(tokens, i, text, after_sign_off)
        possessive = cue == "relation" and i > 1 and tokens[i - 2].key in POSSESSIVES
        cued = cue is not None and _accepts(token, cue, text, possessive)
        if not cued and not _known_name(tokens, i):
            i += 1
            continue
        j = _extend(tokens, i, cued or _plain_given(token), blocked)
        if _is_initial(token) and j == i:
            i += 1
            continue
        rejected = _followed_by_place_word(tokens, i, j) or (
            cue == "greeting" and not _ends_cleanly(tokens, j, text) and not _known_name(tokens, i)
        )
        if not rejected:
            spans.append(
                Span(token.start, tokens[j].end, "name", text[token.start : tokens[j].end])
            )
        i = j + 1
    return spans + _names_listed_with(tokens, spans, blocked)


def _names_listed_with(tokens: _Words, spans: list[Span], blocked: set[int]) -> list[Span]:
    """Names in a list with a name found already: "Grace, Hope and Jordan all came"."""
    if not spans:
        return []
    starts = [start for start, _ in tokens.spans]
    named = set()
    for span in spans:
        first = bisect_right(starts, span.start) - 1
        last = bisect_right(starts, span.end - 1) - 1
        named.add((first, last))
    taken = {n for a, b in named for n in range(a, b + 1)}
    found: list[Span] = []
    queue = list(named)
    while queue:
        first, last = queue.pop()
        for n in _list_neighbours(tokens, first, last):
            if n in taken or n in blocked or not _listable(tokens, n):
                continue
            taken.add(n)
            queue.append((n, n))
            token = tokens[n]
            found.append(Span(token.start, token.end, "name", token.word))
    return found


def _list_neighbours(tokens: _Words, first: int, last: int) -> list[int]:
    out = []
    if first > 0 and tokens[first].gap.strip() in (",", "&") and "\n" not in tokens[first].gap:
        out.append(first - 1)
    elif first > 1 and tokens[first - 1].key in ("and", "n") and _tight(tokens[first - 1]):
        out.append(first - 2)
    if last + 1 < len(tokens):
        nxt = tokens[last + 1]
        if nxt.gap.strip() in (",", "&") and "\n" not in nxt.gap:
            out.append(last + 1)
        elif nxt.key in ("and", "n") and _tight(nxt) and last + 2 < len(tokens):
            out.append(last + 2)
    return out


def _listable(tokens: _Words, n: int) -> bool:
    """A capitalised given name, not a place ("Rose Hill"), not "Will you"."""
    token = tokens[n]
    if not token.cap or not token.flags & GIVEN or token.key in STOP or token.shouting:
        return False
    if n > 0 and tokens[n - 1].key in PREPOSITIONS:
        return False
    nxt = tokens[n + 1] if n + 1 < len(tokens) else None
    if nxt is not None and _tight(nxt) and (nxt.cap or nxt.key in _PRONOUNS):
        return False
    return True


_PRONOUNS = frozenset("i you we they he she it".split())


def _tokens_inside(tokens: _Words, taken: list[tuple[int, int]]) -> set[int]:
    """Indexes of the tokens that overlap any of the `taken` character ranges."""
    starts = [start for start, _ in tokens.spans]
    inside: set[int] = set()
    for a, b in taken:
        n = max(bisect_right(starts, a) - 1, 0)
        while n < len(tokens) and tokens.spans[n][0] < b:
            if tokens.spans[n][1] > a:
                inside.add(n)
            n += 1
    return inside


@cache
def _not_names_pattern() -> re.Pattern[str]:
    phrases = (r"\s+".join(map(re.escape, p.split())) for p in lexicon().not_names)
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)")


def extra_name_spans(text: str, extra_names: Iterable[str]) -> list[Span]:
    """Every mention of a name the team listed, capitals or not, whatever the context."""
    words = sorted({n.strip() for n in extra_names if n and n.strip()}, key=len, reverse=True)
    if not words:
        return []
    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
        + r")(?!\w)",
        re.IGNORECASE,
    )
    return [Span(m.start(), m.end(), "name", m.group()) for m in pattern.finditer(text)]
