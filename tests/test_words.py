"""Days and times in words (alongside.core.words), the one place every page, document and
export takes them from."""

from __future__ import annotations

from datetime import UTC, date, datetime

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
