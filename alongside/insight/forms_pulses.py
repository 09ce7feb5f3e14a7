"""Forms for the system-health pulse: choosing an audience, the pulse itself, a round and its
private links, and the answer page. Each re-shows what was typed, with a clear message, when
something needs changing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from alongside.core.forms import DateInput

from .models import Pulse
from .pulse_items import SCALE, items_for
from .services.pulses import MAX_LINKS

EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 10


class AudienceForm(forms.Form):
    """The first step: whom the pulse asks (the statements follow from it)."""

    audience = forms.ChoiceField(
        label="Who is this pulse for?",
        choices=Pulse.Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the pulse is for."},
    )


class PulseForm(forms.Form):
    area = forms.ModelChoiceField(label="Which area", queryset=None, empty_label=None)
    title = forms.CharField(
        label="The pulse's name",
        max_length=200,
        help_text="For example: How working here feels.",
        error_messages={"required": "Give the pulse a name."},
    )
    items = forms.MultipleChoiceField(
        label="The statements it asks",
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "From the behaviour changes every level makes when a system works alongside "
            "people. Untick any you would rather not ask."
        ),
        error_messages={"required": "Choose at least one statement to ask."},
    )

    def __init__(self, *args: Any, audience: str, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        # With one area there is nothing to choose.
        self.only_area = areas[0] if len(areas) == 1 else None
        if self.only_area is not None:
            del self.fields["area"]
        self.fields["items"].choices = [(item.key, item.words) for item in items_for(audience)]

    def chosen_area(self) -> Any:
        return self.only_area or self.cleaned_data["area"]


def _sensible(day: date | None) -> None:
    if day is None:
        return
    if day < EARLIEST:
        raise forms.ValidationError("Choose a day in 2000 or later.")
    if day > timezone.localdate() + timedelta(days=365 * YEARS_AHEAD):
        raise forms.ValidationError("That's more than ten years away.")


class RoundForm(forms.Form):
    title = forms.CharField(
        label="The round's name",
        max_length=200,
        help_text="For example: Spring 2027.",
        error_messages={"required": "Give the round a name."},
    )
    opens_on = forms.DateField(
        label="Opens on",
        widget=DateInput(),
        error_messages={"required": "Say when the round opens.", "invalid": "Enter a real day."},
    )
    closes_on = forms.DateField(
        label="Closes on (optional)",
        required=False,
        widget=DateInput(),
        help_text="After this day the links say the pulse has closed.",
        error_messages={"invalid": "Enter a real day."},
    )
    links = forms.IntegerField(
        label="How many private links",
        min_value=1,
        max_value=MAX_LINKS,
        help_text=(
            f"One for each person you will ask, from 1 to {MAX_LINKS:,}. Each link gives one "
            "answer. They are shown once, on the next page, to copy or download."
        ),
        error_messages={
            "required": "Say how many links to make.",
            "invalid": "Enter a whole number.",
            "min_value": "Make at least 1 link.",
            "max_value": f"Make at most {MAX_LINKS:,} links in one round.",
        },
    )

    def clean_opens_on(self) -> date | None:
        day = self.cleaned_data.get("opens_on")
        _sensible(day)
        return day

    def clean_closes_on(self) -> date | None:
        day = self.cleaned_data.get("closes_on")
        _sensible(day)
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "Choose a day on or after the day it opens.")
        return cleaned


SCALE_CHOICES = [(str(value), words) for value, words in SCALE]


class AnswerForm(forms.Form):
    """One radio group per statement; every one may be left unanswered."""

    def __init__(self, *args: Any, items: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index, item in enumerate(items):
            self.fields[f"item_{index + 1}"] = forms.ChoiceField(
                label=item["words"],
                choices=SCALE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    "invalid_choice": "Choose one of the five answers, or leave this one out."
                },
            )
        self.keys = {f"item_{index + 1}": item["key"] for index, item in enumerate(items)}

    def answers(self) -> dict[str, int]:
        """What was answered, by item key; a skipped statement is left out."""
        return {
            self.keys[name]: int(value)
            for name, value in self.cleaned_data.items()
            if name in self.keys and value
        }
