"""Forms for check-ins: the answers to an instrument, and loading an instrument file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.safestring import mark_safe

from alongside.core.forms import DateInput
from alongside.core.html import escaped

from . import instruments
from .services.checkins import EVERY_QUESTION_SKIPPED

SKIP = "skip"


class CheckInForm(forms.Form):
    """One radio group per item, built from the instrument's definition. "Skip this one" is
    the default for every item, so nothing is assumed."""

    taken_on = forms.DateField(
        label="Date of this check-in",
        help_text="For example, 27/10/2026. Today's date is filled in.",
        widget=DateInput(),
    )

    def __init__(self, *args: Any, definition: instruments.Definition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.fields["taken_on"].initial = timezone.localdate()
        for item in definition.items:
            choices = [(SKIP, "Skip this one")] + [(str(v), str(v)) for v in item.values]
            self.fields[f"item_{item.key}"] = forms.ChoiceField(
                label=item.text,
                choices=choices,
                initial=SKIP,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose a number, or “Skip this one”.",
                    "invalid_choice": "Choose a number, or “Skip this one”.",
                },
            )

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        if taken_on > timezone.localdate():
            raise forms.ValidationError("The date can't be in the future.")
        return taken_on

    def clean(self) -> dict[str, Any]:
        """Any question may be skipped, but not all of them (the service says the same)."""
        data = super().clean()
        items = [f"item_{item.key}" for item in self.definition.items]
        answered = [name for name in items if data.get(name) not in (None, "", SKIP)]
        if items and not answered and not any(name in self.errors for name in items):
            raise forms.ValidationError(EVERY_QUESTION_SKIPPED, code="all_skipped")
        return data

    def item_groups(self) -> list[dict[str, Any]]:
        """What the template needs for each question: the item's words, its errors and its
        radios as ready markup. Each radio is written here, not by the template: a form of four
        questions has about fifty radios, and rendering each through Django's widget
        templates made this the slowest form in the product; writing them in the template
        still took half the page (five lookups a radio)."""
        groups = []
        for item in self.definition.items:
            field = self[f"item_{item.key}"]
            chosen = str(field.value())
            name, auto_id = escaped(field.html_name), escaped(field.auto_id)
            radios = [
                _radio(
                    name,
                    f"{auto_id}_{index}",
                    escaped(str(value)),
                    escaped(str(label)),
                    value == chosen,
                )
                for index, (value, label) in enumerate(field.field.choices)
            ]
            # One <li> a point of the scale, each on its own line as the template wrote them.
            points = "".join(f"\n      <li>{radio}</li>" for radio in radios[1:])
            groups.append(
                {
                    "item": item,
                    "field": field,
                    # Plain words and numbers as text: a dict lookup is the template's
                    # cheapest, and a number as text is not run through localisation.
                    "text": item.text,
                    "min": str(item.min),
                    "max": str(item.max),
                    "low": item.low_anchor,
                    "high": item.high_anchor,
                    "errors": field.errors,
                    # Markup made of escaped parts (see _radio).
                    "skip": mark_safe(radios[0]),  # noqa: S308
                    "points": mark_safe(points),  # noqa: S308
                }
            )
        return groups

    def answers(self) -> dict[str, Any]:
        """Cleaned answers with skipped items left out."""
        found = {}
        for item in self.definition.items:
            value = self.cleaned_data.get(f"item_{item.key}")
            if value and value != SKIP:
                found[item.key] = int(value)
        return found


def _radio(name: str, radio_id: str, value: str, label: str, checked: bool) -> str:
    """One radio and its label, as markup (every argument already escaped): the whole label
    is the target, so a small screen can tap anywhere on it."""
    return (
        f'<label class="scale-point" for="{radio_id}"><input type="radio" name="{name}" '
        f'value="{value}" id="{radio_id}"{" checked" if checked else ""}> {label}</label>'
    )


class InstrumentLoadForm(forms.Form):
    file = forms.FileField(
        label="Instrument file",
        help_text=(
            f"A JSON file of {instruments.MAX_UPLOAD_BYTES // 1024} KB at most, written as "
            "the guide to instrument files describes."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > instruments.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is too big: instrument files can be "
                f"{instruments.MAX_UPLOAD_BYTES // 1024} KB at most."
            )
        self.raw = upload.read(instruments.MAX_UPLOAD_BYTES + 1)
        data, problems = instruments.parse(self.raw)
        if problems:
            raise forms.ValidationError(problems)
        self.definition_data = data
        return upload
