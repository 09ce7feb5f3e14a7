"""Days and times as the home pages write them: words for a person, in Europe/London time
(alongside.core.words, with the year only when it is not this year)."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from alongside.core import words

register = template.Library()


@register.filter
def day(value: date | datetime | None) -> str:
    """ "Tuesday 1 December" this year, "Sunday 8 December 2024" in another."""
    return words.day_words(value, leave_out_year=words.this_year())


@register.filter
def moment(value: datetime | None) -> str:
    """ "Tuesday 1 December, 10:04" (London time), with the year when it is not this one."""
    return words.when_words(value, leave_out_year=words.this_year())
