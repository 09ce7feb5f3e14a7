"""Forms for what good looks like: a statement, someone who took part, a way to track it, and
a survey value."""

from __future__ import annotations

from typing import Any

from django import forms

from alongside.core.forms import DateInput

from .measures import MEASURES
from .models import Statement, Tracker

MAX_VALUE = 1_000_000


def _text(value: str) -> str:
    return value.replace("\x00", "").strip()


class StatementForm(forms.Form):
    area = forms.TypedChoiceField(label="Area", coerce=int, choices=())
    voice = forms.ChoiceField(
        label="Whose voice is it in?",
        choices=Statement.Voice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whose voice the statement is in."},
        help_text="I: what people say good looks like for them. We: what organisations "
        "promise. Together: what the area does as one.",
    )
    words = forms.CharField(
        label="The statement",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the statement."},
        help_text="In the words of the people who wrote it together, for example “I can get "
        "help without telling my story again”.",
    )
    discussion = forms.CharField(
        label="What was said about it",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Notes from the conversations that shaped it. Leave out anyone's name.",
    )
    # The version this edit started from: an edit from an older page is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, areas: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = areas or []
        field = self.fields["area"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(a.pk, a.name) for a in areas]
        if len(areas) <= 1:
            # One area: nothing to choose, so the page does not ask.
            field.widget = forms.HiddenInput()
            if areas:
                self.initial.setdefault("area", areas[0].pk)

    def clean_words(self) -> str:
        words = _text(self.cleaned_data["words"])
        if not words:
            raise forms.ValidationError("Write the statement.")
        return words

    def clean_discussion(self) -> str:
        return _text(self.cleaned_data["discussion"])


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(Statement.Status.DISCUSSED, "discussed"), (Statement.Status.AGREED, "agreed")]
    )
    version = forms.IntegerField(min_value=1)


class PersonForm(forms.Form):
    name = forms.CharField(
        label="Their name, as they would like it shown",
        max_length=120,
        required=False,
        help_text="Kept only if they agree to be named. Otherwise it is not stored at all.",
    )
    role = forms.CharField(
        label="How they took part",
        max_length=120,
        required=False,
        help_text="For example “a person with lived experience”, “a housing officer” or "
        "“a carer”. Left empty, it says “a person with lived experience”.",
    )
    consents_to_be_named = forms.BooleanField(
        label="They agreed to be named on this statement", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consents_to_be_named") and not _text(data.get("name") or ""):
            self.add_error("name", "Write the name they would like shown, or untick the box.")
        return data


class TrackerForm(forms.Form):
    kind = forms.ChoiceField(
        label="How will you track it?",
        choices=Tracker.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how to track it."},
    )
    title = forms.CharField(
        label="What it is called",
        max_length=200,
        required=False,
        help_text="For a survey item, the question as people are asked it. For a measure or "
        "stories you can leave it empty: it takes the measure's or the exercise's name.",
    )
    measure = forms.ChoiceField(
        label="Measure from Alongside",
        required=False,
        widget=forms.RadioSelect,
        choices=[(key, f"{m.title}: {m.sentence}") for key, m in MEASURES.items()],
    )
    exercise = forms.TypedChoiceField(
        label="Listening exercise", required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(
        self, *args: Any, exercises: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["exercise"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose an exercise")] + list(exercises or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        data["title"] = _text(data.get("title") or "")
        if kind == Tracker.Kind.SURVEY and not data["title"]:
            self.add_error("title", "Write the survey question or item.")
        if kind == Tracker.Kind.MEASURE and not data.get("measure"):
            self.add_error("measure", "Choose a measure.")
        if kind == Tracker.Kind.STORIES and not data.get("exercise"):
            self.add_error("exercise", "Choose a listening exercise.")
        return data


class ValueForm(forms.Form):
    period_start = forms.DateField(
        label="The period starts on",
        widget=DateInput(),
        error_messages={
            "required": "Say when the period starts.",
            "invalid": "Write the day as a date, for example 1 October 2026.",
        },
    )
    value = forms.FloatField(
        label="Value",
        min_value=-MAX_VALUE,
        max_value=MAX_VALUE,
        help_text="For example the share who agreed, in per cent, or the average score.",
        error_messages={"required": "Write the value.", "invalid": "Write the value as a number."},
    )
    respondents = forms.IntegerField(
        label="How many answered",
        min_value=0,
        max_value=10_000_000,
        help_text="The value is shown only when 10 or more answered.",
        error_messages={
            "required": "Say how many answered.",
            "invalid": "Write how many answered as a whole number.",
        },
    )
    note = forms.CharField(label="A note (optional)", max_length=300, required=False)

    def clean_period_start(self) -> Any:
        day = self.cleaned_data["period_start"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError("Write a day between the years 2000 and 2100.")
        return day
