"""The form for a barrier: what got in the way, what we did, what came of it."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from alongside.core.forms import DateInput

from .models import Barrier


class BarrierForm(forms.ModelForm):
    class Meta:
        model = Barrier
        fields = [
            "service",
            "happened_on",
            "what_happened",
            "response",
            "what_we_did",
            "outcome",
            "share_with_convening",
        ]
        labels = {
            "service": "Which service or rule got in the way?",
            "happened_on": "When did it happen? (optional)",
            "what_happened": "What happened?",
            "response": "What did we do about it?",
            "what_we_did": "More about what we did (optional)",
            "outcome": "What came of it? (optional)",
            "share_with_convening": (
                "You're happy for this to be shared, without your name, to help change things"
            ),
        }
        help_texts = {
            "service": "For example: housing register, local connection rule.",
            "what_happened": "In your own words.",
            "share_with_convening": (
                "People working to change how services work will see what happened, "
                "never who it happened to. You can change your mind at any time."
            ),
        }
        widgets = {
            "happened_on": DateInput(),
            "what_happened": forms.Textarea(attrs={"rows": 4}),
            "what_we_did": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["response"].required = False
        self.fields["response"].choices = [("", "Not decided yet")] + list(Barrier.Response.choices)

    def clean_happened_on(self):
        value = self.cleaned_data.get("happened_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date can't be in the future.")
        return value
