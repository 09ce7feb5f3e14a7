"""Forms for the person's own space, worded for the person ("your goal")."""

from __future__ import annotations

from django import forms

from alongside.core.forms import DateInput

from .models import Strength


class MyGoalForm(forms.Form):
    words = forms.CharField(
        label="Your goal, in your own words",
        max_length=300,
        help_text="Write it the way you would say it.",
    )
    why_it_matters = forms.CharField(
        label="Why it matters to you (if you want to say)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    hoped_by = forms.DateField(
        label="When you'd like to get there (if you want a date)",
        required=False,
        widget=DateInput(),
        help_text="There's no deadline.",
    )


class MyStepForm(forms.Form):
    words = forms.CharField(label="A small step you could take", max_length=300)


class MyStrengthForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of strength is it?",
        choices=Strength.Kind.choices,
        widget=forms.RadioSelect,
    )
    words = forms.CharField(
        label="In your own words",
        max_length=300,
        help_text="For example: \u201cI can fix any bike\u201d or \u201cMy sister\u201d.",
    )


class MyReflectionForm(forms.Form):
    reflection = forms.CharField(
        label="Your own thoughts about this talk",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    # The version of the talk these thoughts were written against: if the coach saved the
    # talk in the meantime, nothing is overwritten and the person's words come back.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class AskToCorrectForm(forms.Form):
    asked_for = forms.CharField(
        label="What you would like it to say",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    why = forms.CharField(
        label="Why (if you want to say)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideCorrectionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label="Your answer",
        choices=[("yes", "Change it as they asked"), ("no", "Keep it as it is, and say why")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(
        label="A note back to them",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed if you keep it as it is.",
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("accept") is False and not (data.get("reply") or "").strip():
            self.add_error("reply", "Please say why you are keeping it as it is.")
        return data
