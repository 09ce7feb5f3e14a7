"""Days and times as the home pages write them: words for a person, in Europe/London time."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()


@register.filter
def day(value: date | datetime | None) -> str:
    """ "Tuesday 1 December" this year, "Sunday 8 December 2024" in another."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    if value.year == timezone.localdate().year:
        return date_format(value, "l j F")
    return date_format(value, "l j F Y")


@register.filter
def moment(value: datetime | None) -> str:
    """ "Tuesday 1 December, 10:04" (London time), with the year when it is not this one."""
    if value is None:
        return ""
    return f"{day(value)}, {date_format(timezone.localtime(value), 'H:i')}"
