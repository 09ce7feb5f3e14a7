"""Days and times in words (alongside.core.words), the one place every page, document and
export takes them from."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from alongside.core import words


def test_a_day_in_words_with_and_without_its_year():
    assert words.day_words(date(2026, 3, 9)) == "Monday 9 March 2026"
    assert words.day_words(date(2026, 3, 9), leave_out_year=2026) == "Monday 9 March"
    assert words.day_words(date(2024, 12, 8), leave_out_year=2026) == "Sunday 8 December 2024"
    assert words.day_words(None) == ""


def test_a_moment_is_in_uk_time_summer_and_winter():
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    winter = datetime(2026, 12, 1, 10, 4, tzinfo=UTC)
    assert words.when_words(summer) == "Wednesday 1 July 2026, 13:00"
    assert words.when_words(winter, leave_out_year=2026) == "Tuesday 1 December, 10:04"
    # Just after midnight in summer time is the next day in the UK.
    assert words.day_words(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "Wednesday 1 July 2026"
    # A naive datetime is taken as UTC, as the database keeps them.
    assert words.when_words(datetime(2026, 7, 1, 12, 0)) == "Wednesday 1 July 2026, 13:00"


@pytest.mark.parametrize(
    ("write", "filter_format"),
    [
        (words.day_month_year, "j F Y"),
        (words.day_month, "j F"),
        (words.day_short_month, "j M"),
        (words.day_short_month_year, "j M Y"),
        (words.short_month_year, "M Y"),
        (words.month_year, "F Y"),
    ],
)
def test_the_short_forms_say_what_the_date_filter_says(write, filter_format):
    """Pages hand templates these instead of using the `date` filter: the same words, for
    every month, a day and a moment near midnight (written as its day in UK time)."""
    for month in range(1, 13):
        day = date(2026, month, 9)
        assert write(day) == date_filter(day, filter_format)
        moment = datetime(2026, month, 30 if month != 2 else 27, 23, 30, tzinfo=UTC)
        assert write(moment) == date_filter(timezone.localtime(moment), filter_format)
    assert write(None) == ""
