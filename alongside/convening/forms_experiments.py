"""Forms for experiments: the hypothesis and what we'll watch, a cycle, a story. Each re-shows
what was typed, with a clear message, when something needs changing."""

from __future__ import annotations

from typing import Any

from django import forms

from alongside.core.forms import DateInput, RecordChoices

from .forms_groups import sensible_date
from .models import Measure

PLAIN_MEASURES = [
    (Measure.Kind.CHECK_IN_CHANGE.value, "Change in check-ins (wellbeing, people coached here)"),
    (
        Measure.Kind.RELATIONSHIPS_RESTARTED.value,
        "Relationships restarted (paused or ended, then working together again)",
    ),
    (Measure.Kind.STORIES.value, "Stories (what people tell us happened)"),
]


class ExperimentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Which organisation keeps this experiment", queryset=None, empty_label=None
    )
    title = forms.CharField(label="A short name", max_length=200)
    if_we = forms.CharField(
        label="If we \u2026",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What we'll try. For example: let people keep their coach when they move "
        "into a hostel.",
    )
    then = forms.CharField(
        label="then \u2026",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What we think will happen. For example: fewer people will lose touch.",
    )
    co_designed_with = forms.CharField(
        label="Who designed it together",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The people and groups who shaped it. Name nobody who is coached unless "
        "they asked to be named.",
    )
    group = forms.ModelChoiceField(
        label="The convening group running it",
        queryset=None,
        required=False,
        empty_label="No group",
    )
    themes = RecordChoices(
        label="The system themes it works on",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label="Starts", widget=DateInput(), validators=[sensible_date])
    ends_on = forms.DateField(
        label="Ends",
        widget=DateInput(),
        validators=[sensible_date],
        required=False,
        help_text="Leave empty if it runs until we decide.",
    )
    watched_themes = RecordChoices(
        label="Watch the barriers of these themes each month",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    measure_kinds = forms.MultipleChoiceField(
        label="And watch",
        choices=PLAIN_MEASURES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        organisations: Any,
        themes: Any,
        groups: Any,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("themes", "watched_themes"):
            self.fields[name].queryset = themes
            self.fields[name].label_from_instance = lambda theme: theme.title
        self.fields["group"].queryset = groups
        self.fields["group"].label_from_instance = lambda group: group.name
        if editing:
            del self.fields["organisation"]
            return
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end comes before the start.")
        if (
            "watched_themes" in data
            and "measure_kinds" in data
            and not data["watched_themes"]
            and not data["measure_kinds"]
        ):
            self.add_error(
                "measure_kinds",
                "Choose at least one thing to watch, so we can tell whether it made a difference.",
            )
        return data

    def details(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        data.pop("version", None)
        return data


class CycleStartForm(forms.Form):
    plan = forms.CharField(
        label="What we plan to try this time",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    starts_on = forms.DateField(
        label="This cycle starts", widget=DateInput(), validators=[sensible_date]
    )


class CycleForm(forms.Form):
    plan = forms.CharField(
        label="What we planned", max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    tried = forms.CharField(
        label="What we tried",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reflections = forms.CharField(
        label="What we noticed",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="From the measures, the stories, and the people in the room.",
    )
    what_changed = forms.CharField(
        label="What we changed for next time",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The next cycle starts from this.",
    )
    starts_on = forms.DateField(label="Started", widget=DateInput(), validators=[sensible_date])
    ends_on = forms.DateField(
        label="Ended", widget=DateInput(), validators=[sensible_date], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end comes before the start.")
        return data


class StoryForm(forms.Form):
    words = forms.CharField(
        label="What they said happened",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Names, places, phone numbers and anything else that could point to someone "
        "are taken out before the story is saved.",
    )
    told_on = forms.DateField(
        label="When it was told", widget=DateInput(), validators=[sensible_date]
    )
