"""Forms for starting to work with someone and for how we work together."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from alongside.core.forms import DateInput

from .models import Relationship


class StartForm(forms.Form):
    chosen_name = forms.CharField(
        label="The name they'd like to use",
        help_text="Only this is needed. Everything else can be added later, by either of you.",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    pronouns = forms.CharField(
        label="Pronouns (if they'd like to say)",
        help_text="For example: she/her, they/them. Leave empty if they'd rather not say.",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, organisations: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = organisations or []
        if len(organisations) > 1:
            self.fields["organisation"] = forms.TypedChoiceField(
                label="Which organisation you're coaching with",
                choices=[("", "Choose one")] + [(o.pk, o.name) for o in organisations],
                coerce=int,
            )

    def clean_chosen_name(self) -> str:
        name = self.cleaned_data["chosen_name"].strip()
        if not name:
            raise forms.ValidationError("Write the name they'd like to use.")
        return name


class PauseForm(forms.Form):
    keep_in_touch = forms.CharField(
        label="How they'd like us to keep in touch while paused, in their words",
        help_text="For example: “a text every couple of weeks” or “I'll get in touch”.",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EndForm(forms.Form):
    in_place_now = forms.CharField(
        label="What's in place now",
        help_text="The people, groups and services they're connected with, any other "
        "options, and how to come back whenever they'd like.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class IntensityForm(forms.Form):
    intensity = forms.ChoiceField(
        label="How often they'd like to meet",
        help_text="This is their choice, and it can change again at any time.",
        choices=Relationship.Intensity.choices,
    )


class DatesForm(forms.Form):
    last_contact_on = forms.DateField(
        label="When we were last in touch",
        help_text="Leave empty if you're not sure.",
        required=False,
        widget=DateInput(),
    )
    next_meeting_on = forms.DateField(
        label="When we next meet",
        help_text="Leave empty if there's no date yet.",
        required=False,
        widget=DateInput(),
    )

    def clean_last_contact_on(self) -> Any:
        value = self.cleaned_data.get("last_contact_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("This date is in the future. Check the date.")
        return value
