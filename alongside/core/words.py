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
