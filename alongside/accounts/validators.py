"""Passphrases that are easy to guess are refused, with the reason in plain words.

Listed in settings.AUTH_PASSWORD_VALIDATORS, so every place that sets a passphrase or
password (welcome with an invite code, `createsuperuser`, `changepassword`) uses it.
No composition rules (NCSC and NIST advice): a few ordinary words are welcome; what is
refused is a passphrase someone could guess without knowing the person.

Django's own length, common-password and similarity checks are used through the subclasses at
the end of this module, which say "passphrase" and what to try instead, never "This password
is too short" on a form that asks for a passphrase.

Two layers:
- our own checks, which always refuse only spaces, one thing said over and over
  (`aaaaaaaaaaaa`, `abcabcabcabc`), runs of keys next to each other (`qwertyuiopas`,
  `1qaz2wsx3edc`) and sequences (`123456789012`, `abcdefghijkl`);
- zxcvbn's estimate of how many guesses it would take: a score under `min_score` (3 of 4 by
  default) is refused too, and the kind of weakness it found picks the words we use.
"""

from __future__ import annotations

import threading
from typing import Any

import zxcvbn
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

TRY_INSTEAD = "Try a few words that mean something to you, like 'blue kettle sunday walk'."
REASONS = {
    "spaces": "This is only spaces, which is easy to guess.",
    "repeat": "This says the same letters over and over, which is easy to guess.",
    "keyboard": "This is a run of keys next to each other on the keyboard, which is easy to guess.",
    "sequence": "This is a sequence, like 1234 or abcd, which is easy to guess.",
    "common": "This is a password lots of people use, or close to one, which is easy to guess.",
    "words": "This is too short for ordinary words to be hard to guess. Add a word or two.",
    "date": "Dates and years, like a birthday, are easy to guess.",
    "name": "This is too close to your username or name, which is easy to guess.",
    "guessable": "This would be too easy for someone else to guess.",
}

# UK keyboard rows, unshifted and shifted, the rows typed one after another (top to bottom
# and bottom to top), and the columns. Keys next to each other in any of these make a run.
KEYBOARD_LINES = (
    "`1234567890-=",
    "qwertyuiop[]",
    "asdfghjkl;'#",
    "\\zxcvbnm,./",
    '¬!"£$%^&*()_+',
    "~!@#$%^&*()_+",
    "qwertyuiopasdfghjklzxcvbnm",
    "zxcvbnmasdfghjklqwertyuiop",
    "1qaz",
    "2wsx",
    "3edc",
    "4rfv",
    "5tgb",
    "6yhn",
    "7ujm",
    "8ik,",
    "9ol.",
    "0p;/",
)
_KEY_NEIGHBOURS: set[tuple[str, str]] = set()
for _line in KEYBOARD_LINES:
    for _a, _b in zip(_line, _line[1:], strict=False):
        _KEY_NEIGHBOURS.update({(_a, _b), (_b, _a)})

SHORTEST_RUN = 3
# zxcvbn refuses longer input: it scores the start of a longer passphrase, and our own checks
# still look at all of it.
ZXCVBN_MAX_LENGTH = 72
# zxcvbn keeps the user's words in a module-level dictionary while it scores: one at a time.
_ZXCVBN_LOCK = threading.Lock()


def _in_sequence(a: str, b: str) -> bool:
    if a.isdigit() and b.isdigit() and a.isascii() and b.isascii():
        return (int(b) - int(a)) % 10 in (1, 9)  # 8-9-0-1 carries on round
    if a.isalpha() and b.isalpha() and a.isascii() and b.isascii():
        return abs(ord(b) - ord(a)) == 1
    return False


def _next_to(a: str, b: str) -> bool:
    return (a, b) in _KEY_NEIGHBOURS or _in_sequence(a, b)


def _made_of_runs(text: str, step: Any) -> bool:
    """True when `text` is nothing but runs of at least SHORTEST_RUN characters, each one
    following on from the last by `step` (`qwerty` + `asdfgh`, `1234` + `9876`)."""
    if len(text) < SHORTEST_RUN:
        return False
    run = 1
    for a, b in zip(text, text[1:], strict=False):
        if step(a, b):
            run += 1
        elif run < SHORTEST_RUN:
            return False
        else:
            run = 1
    return run >= SHORTEST_RUN


def _repeats(text: str) -> bool:
    """True when `text` is one piece said twice or more (`aaaa`, `abcabc`, `hello hello`)."""
    return len(text) > 1 and text in (text + text)[1:-1]


def obvious_weakness(password: str) -> str | None:
    """Which of our own checks the passphrase fails ("spaces", "repeat", "sequence",
    "keyboard"), or None. Spaces and capitals are ignored: `Q W E R T Y` is still a run."""
    compact = "".join(password.split()).lower()
    if not compact:
        return "spaces"
    if _repeats(compact):
        return "repeat"
    if _made_of_runs(compact, _in_sequence):
        return "sequence"
    if _made_of_runs(compact, _next_to):
        return "keyboard"
    return None


_PATTERN_REASON = {
    "spatial": "keyboard",
    "repeat": "repeat",
    "sequence": "sequence",
    "date": "date",
    "regex": "date",  # zxcvbn's only regex is recent years
    "dictionary": "common",
}


def _zxcvbn_weakness(password: str, user_inputs: list[str], min_score: int) -> str | None:
    with _ZXCVBN_LOCK:
        result = zxcvbn.zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=user_inputs)
    if result["score"] >= min_score:
        return None
    # Name the longest weak part: that is the one most worth changing.
    parts = [m for m in result["sequence"] if m.get("pattern") in _PATTERN_REASON]
    if not parts:
        return "guessable"
    worst = max(parts, key=lambda m: len(m.get("token", "")))
    if worst["pattern"] == "dictionary":
        source = worst.get("dictionary_name")
        if source == "user_inputs":
            return "name"
        if source != "passwords":  # names and ordinary words, not a known password
            return "words"
    return _PATTERN_REASON[worst["pattern"]]


def _user_inputs(user: Any) -> list[str]:
    if user is None:
        return []
    found = []
    for attribute in ("username", "first_name", "last_name", "email"):
        value = getattr(user, attribute, "")
        if isinstance(value, str) and value.strip():
            found.append(value.strip())
    return found


class GuessablePassphraseValidator:
    """Refuses passphrases that are easy to guess, saying why and what to try instead."""

    code = "password_too_guessable"

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    def reason(self, password: str, user: Any = None) -> str | None:
        """The plain-words reason the passphrase is refused, or None if it is fine."""
        kind = obvious_weakness(password) or _zxcvbn_weakness(
            password, _user_inputs(user), self.min_score
        )
        if kind is None:
            return None
        return f"{REASONS[kind]} {TRY_INSTEAD}"

    def validate(self, password: str, user: Any = None) -> None:
        reason = self.reason(password, user)
        if reason is not None:
            raise ValidationError(reason, code=self.code)

    def get_help_text(self) -> str:
        return (
            "Your passphrase can't be easy to guess: not a run of keys like 'qwerty', "
            f"a sequence like '1234', or the same letters over and over. {TRY_INSTEAD}"
        )


# --- Django's own checks, in our words ----------------------------------------------------------


class PassphraseLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length (12 in the settings), said about a passphrase."""

    def get_error_message(self) -> str:
        return (
            f"This passphrase is too short: it needs at least {self.min_length} characters, "
            f"spaces included. {TRY_INSTEAD}"
        )

    def get_help_text(self) -> str:
        return f"Your passphrase needs at least {self.min_length} characters, spaces included."


class PassphraseCommonValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords, said about a passphrase."""

    def get_error_message(self) -> str:
        return (
            "This passphrase is too common: lots of people use it, so it is easy to guess. "
            + TRY_INSTEAD
        )

    def get_help_text(self) -> str:
        return "Your passphrase can't be one that lots of people use."


class PassphraseSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's check against the username and name, said about a passphrase."""

    def get_error_message(self) -> str:
        # Django fills in which detail it is close to ("username", "first name").
        return f"This passphrase is too close to your %(verbose_name)s. {TRY_INSTEAD}"

    def get_help_text(self) -> str:
        return "Your passphrase can't be close to your username or name."
