"""Plain words for the coaching pages, worked out in Python rather than by the template.

The person page lists a few dozen things, each with a day and a link. The template engine's
`date` filter runs about fifty Python calls for each day it writes and `{% url %}` about
seventy for each link, so the selectors hand templates rows with these already in words: the
same words the filters write (`day_month_year` is `date:"j F Y"`), in UK time."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from alongside.core.paths import path_to
from alongside.core.words import MONTHS, in_london


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    # A moment is written as its day in UK time, as the `date` filter does.
    return in_london(value).date() if isinstance(value, datetime.datetime) else value


def day_month_year(value: datetime.date | datetime.datetime | None) -> str:
    """`date:"j F Y"`: "3 November 2026"."""
    if value is None:
        return ""
    day = _day(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_month(value: datetime.date | datetime.datetime | None) -> str:
    """`date:"j F"`: "3 November"."""
    if value is None:
        return ""
    day = _day(value)
    return f"{day.day} {MONTHS[day.month - 1]}"


def day_short_month_year(value: datetime.date | datetime.datetime | None) -> str:
    """`date:"j M Y"`: "3 Nov 2026"."""
    if value is None:
        return ""
    day = _day(value)
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def short_month_year(value: datetime.date | datetime.datetime | None) -> str:
    """`date:"M Y"`: "Nov 2026"."""
    if value is None:
        return ""
    day = _day(value)
    return f"{MONTHS[day.month - 1][:3]} {day.year}"


def month_year(value: datetime.date | datetime.datetime | None) -> str:
    """`date:"F Y"`: "November 2026"."""
    if value is None:
        return ""
    day = _day(value)
    return f"{MONTHS[day.month - 1]} {day.year}"


# A number no part of a record has as its id, to find where the id goes in an address.
_MARK = 987654321


def part_paths(name: str, person_id: int) -> Callable[[int], str]:
    """The address of each part of one person's record named `name` (a URL name taking the
    person's id and the part's id), reversed once for the whole list: `paths(goal.pk)`."""
    head, _, tail = path_to(name, [person_id, _MARK]).rpartition(str(_MARK))
    return lambda part_id: f"{head}{part_id}{tail}"
