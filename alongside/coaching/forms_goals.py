"""Forms for goals and steps, strengths and milestones."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from alongside.core.forms import DateInput

from .models import Goal, MilestoneKind, Strength


class GoalForm(forms.Form):
    words = forms.CharField(
        label="The goal, in the person's own words",
        max_length=300,
        help_text="Write it the way they say it.",
    )
    why_it_matters = forms.CharField(
        label="Why it matters",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hoped_by = forms.DateField(
        label="When they'd like to get there (optional)",
        required=False,
        widget=DateInput(),
        help_text="Only if they want a date. There's no deadline.",
    )


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Where this goal is now",
        choices=Goal.Status.choices,
        widget=forms.RadioSelect,
        help_text="Changing your mind is part of the journey, never a failure.",
    )
    achieved_on = forms.DateField(
        label="When it was achieved (if it was)", required=False, widget=DateInput()
    )


class StepForm(forms.Form):
    words = forms.CharField(label="A small step", max_length=300)


class StrengthForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of strength",
        choices=Strength.Kind.choices,
        widget=forms.RadioSelect,
    )
    words = forms.CharField(
        label="In the person's words",
        max_length=300,
        help_text="For example: \u201cI can fix any bike\u201d or \u201cMy sister\u201d.",
    )


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label="What happened", choices=())
    words = forms.CharField(
        label="In the person's words (optional)",
        max_length=300,
        required=False,
    )
    happened_on = forms.DateField(label="When", widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, kinds: list[MilestoneKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose one")] + [(k.label, k.label) for k in kinds]


class MilestoneKindForm(forms.Form):
    label = forms.CharField(label="Something that can happen", max_length=60)
