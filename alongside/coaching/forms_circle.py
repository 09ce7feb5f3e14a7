"""The form for someone or something in the person's circle."""

from __future__ import annotations

from typing import Any

from django import forms

from alongside.core.forms import DateInput

from .models import CircleMember


class CircleMemberForm(forms.Form):
    name = forms.CharField(
        label="Who or what",
        help_text="A name, or a few words, like “my sister” or “the food bank”.",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label="They are",
        choices=CircleMember.Kind.choices,
    )
    about = forms.CharField(
        label="About them (optional)",
        help_text="What they mean to you, or what they help with.",
        max_length=300,
        required=False,
    )
    consent_to_contact = forms.BooleanField(
        label="You're happy for your coach to contact them",
        required=False,
    )
    since = forms.DateField(
        label="In your life since (optional)",
        required=False,
        widget=DateInput(),
    )
    until = forms.DateField(
        label="Until (optional)",
        help_text="If they're no longer part of your life, or you stopped using the service.",
        required=False,
        widget=DateInput(),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "This is before the date they came into your life.")
        return data
