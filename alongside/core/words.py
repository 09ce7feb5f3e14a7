"""Days and times in words, in UK time, for everything people read: "Monday 9 March 2026",
"Tuesday 1 December, 10:04". Plain Python (no Django settings), so documents, pages and
exports all say a day the same way."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def in_london(value: datetime) -> datetime:
    # A naive datetime is taken to be UTC, as the database keeps them.
    aware = value if value.tzinfo else value.replace(tzinfo=ZoneInfo("UTC"))
    return aware.astimezone(LONDON)


def this_year() -> int:
    return datetime.now(LONDON).year


def day_words(value: date | datetime | None, *, leave_out_year: int | None = None) -> str:
    """date(2026, 3, 9) → "Monday 9 March 2026"; a datetime gives its day in UK time. With
    `leave_out_year`, a day in that year is written without it ("Monday 9 March")."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = in_london(value).date()
    year = "" if value.year == leave_out_year else f" {value.year}"
    return f"{DAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]}{year}"


def when_words(value: datetime | date | None, *, leave_out_year: int | None = None) -> str:
    """A moment in UK time: 2026-03-09T10:00:00+00:00 → "Monday 9 March 2026, 10:00"."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return day_words(value, leave_out_year=leave_out_year)
    local = in_london(value)
    return f"{day_words(local.date(), leave_out_year=leave_out_year)}, {local:%H:%M}"


# The short forms the pages' tables and lists use, exactly as Django's `date` filter writes them
# (the selectors hand templates rows with their days already in words: the filter costs about
# fifty Python calls a day). A moment is written as its day in UK time, as the filter does.


def _day_of(value: date | datetime) -> date:
    return in_london(value).date() if isinstance(value, datetime) else value


def day_month_year(value: date | datetime | None) -> str:
    """`date:"j F Y"`: "3 November 2026"."""
    if value is None:
        return ""
    day = _day_of(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def day_month(value: date | datetime | None) -> str:
    """`date:"j F"`: "3 November"."""
    if value is None:
        return ""
    day = _day_of(value)
    return f"{day.day} {MONTHS[day.month - 1]}"


def day_short_month(value: date | datetime | None) -> str:
    """`date:"j M"`: "3 Nov"."""
    if value is None:
        return ""
    day = _day_of(value)
    return f"{day.day} {MONTHS[day.month - 1][:3]}"


def day_short_month_year(value: date | datetime | None) -> str:
    """`date:"j M Y"`: "3 Nov 2026"."""
    if value is None:
        return ""
    day = _day_of(value)
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def short_month_year(value: date | datetime | None) -> str:
    """`date:"M Y"`: "Nov 2026"."""
    if value is None:
        return ""
    day = _day_of(value)
    return f"{MONTHS[day.month - 1][:3]} {day.year}"


def month_year(value: date | datetime | None) -> str:
    """`date:"F Y"`: "November 2026"."""
    if value is None:
        return ""
    day = _day_of(value)
    return f"{MONTHS[day.month - 1]} {day.year}"
