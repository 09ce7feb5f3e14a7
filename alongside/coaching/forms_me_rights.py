"""Forms for the person's choices and for a lead's answer to an erasure request."""

from __future__ import annotations

from django import forms

from .services.consent import CIRCLE_PARTS

YES_NO = [("yes", "Yes"), ("no", "No")]


class QuoteForm(forms.Form):
    quote = forms.ChoiceField(
        label="May we quote your words in listening reports?",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    credit = forms.CharField(
        label="How should we name you? (leave empty to stay anonymous)",
        help_text="For example your first name and your town, or a made-up name.",
        required=False,
        max_length=200,
    )


class CircleAccessForm(forms.Form):
    parts = forms.MultipleChoiceField(
        label="What may they see?",
        choices=list(CIRCLE_PARTS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": "Choose from the parts of your record listed here.",
            "invalid_list": "Choose from the parts of your record listed here.",
        },
    )


class ErasureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your answer",
        choices=[("approve", "Erase the record"), ("decline", "Not now, and say why")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Why not (for example a legal hold)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Please say why, so the person knows.")
        return data
