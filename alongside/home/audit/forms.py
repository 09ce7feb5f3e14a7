"""The audit trail's filters: a GET form, so a filtered page has an address to share or
bookmark, and the spreadsheet link carries the same filters."""

from __future__ import annotations

from typing import Any

from django import forms

from alongside.core.forms import DateInput

from .phrasing import KINDS


class TrailFilterForm(forms.Form):
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=100,
        help_text="Their name, or part of it",
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )
    staff = forms.TypedChoiceField(label="Who did it", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="What was done", required=False)
    since = forms.DateField(
        label="From",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Enter a date, like 1 December 2026."},
    )
    until = forms.DateField(
        label="To",
        required=False,
        help_text="This day is included",
        widget=DateInput(),
        error_messages={"invalid": "Enter a date, like 31 December 2026."},
    )

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_field = self.fields["staff"]
        kind_field = self.fields["kind"]
        assert isinstance(staff_field, forms.ChoiceField)
        assert isinstance(kind_field, forms.ChoiceField)
        staff_field.choices = [("", "Anyone")] + [(str(pk), name) for pk, name in staff]
        kind_field.choices = [("", "Anything")] + [(key, label) for key, label, _ in KINDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "This is before the “From” date. Swap them round?")
        return data
