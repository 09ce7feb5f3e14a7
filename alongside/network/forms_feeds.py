"""The forms for a network's feeds: another directory's Open Referral UK API to bring in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator

EVERY = [
    (6, "Every 6 hours"),
    (12, "Every 12 hours"),
    (24, "Once a day"),
    (72, "Every 3 days"),
    (168, "Once a week"),
]


class FeedForm(forms.Form):
    network: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Which network is this for", queryset=None, empty_label=None
    )
    name = forms.CharField(
        label="A name for the feed",
        max_length=200,
        help_text="Whose directory it is, for example: Northshire County Council's directory.",
    )
    url = forms.URLField(
        label="The address of its Open Referral UK API",
        max_length=500,
        assume_scheme="https",
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message="Give an address that starts with https:// (or http://).",
            )
        ],
        help_text="The address its /services list is under, for example "
        "https://directory.example.gov.uk/openreferral. Its services are read page by page.",
    )
    every_hours = forms.TypedChoiceField(
        label="How often to bring it in", choices=EVERY, coerce=int, initial=24
    )
    active = forms.BooleanField(
        label="Bring it in on its schedule",
        required=False,
        initial=True,
        help_text="Untick to pause it. Its records stay in the directory.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, networks: Any = None, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if editing or networks is None:
            del self.fields["network"]
        else:
            field = self.fields["network"]
            field.queryset = networks  # type: ignore[attr-defined]
            if len(networks) == 1:
                field.initial = networks[0].pk
                field.widget = forms.HiddenInput()
        if not editing:
            del self.fields["active"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        return url.rstrip("/")
