"""Form pieces every module shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import QueryDict


class DateInput(forms.DateInput):
    """The browser's own date picker. It needs ISO dates: with en-GB formatting Django would
    render 23/11/2026, which a date input shows as empty."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


# The largest primary key a 64-bit column holds (SQLite and PostgreSQL bigint alike).
LARGEST_ID = 2**63 - 1


def record_id(value: object) -> int | None:
    """A record's id as typed into a URL or a form, or None if it cannot be one. Only ASCII
    digits count (str.isdigit() also accepts "²", which int() refuses), and only numbers a
    64-bit key can hold (a bigger one makes SQLite raise OverflowError)."""
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= LARGEST_ID else None


class RecordChoices(forms.ModelMultipleChoiceField):
    """A multiple choice of records that refuses an id no record could have with the usual
    "not one of the available choices" message, rather than letting the database raise on it
    (Django guards single lookups against numbers past 64 bits, but not lists of them)."""

    def _check_values(self, value: Any) -> Any:
        key = self.to_field_name or "pk"
        if key == "pk":
            for each in value or ():
                if record_id(str(each)) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": each},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # Django's, not in the stubs


def posted_words(value: object, *, max_length: int) -> str:
    """Words a page posts without a form (a button's value naming a list entry): a string,
    no NUL characters (PostgreSQL's text columns cannot hold them, and no entry has one), cut
    to the column's length."""
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "")[:max_length]


def reshown_after_conflict(
    make: Callable[[QueryDict], forms.BaseForm],
    posted: QueryDict,
    *,
    version: int,
    what: str,
    where: str = "above",
) -> forms.BaseForm:
    """Someone saved `what` ("this event") while this person was editing it: the form again,
    bound to what they typed but carrying the version now current (so saving again knowingly
    replaces theirs), with a message saying so. Nothing typed is lost, nothing is overwritten
    silently; the page shows theirs `where` it puts it."""
    data = posted.copy()
    data["version"] = str(version)
    form = make(data)
    form.is_valid()
    form.add_error(
        None,
        f"Someone else changed {what} while you were editing it. What you typed is still "
        f"here; what it says now is shown {where}. Save again to replace it with yours.",
    )
    return form
