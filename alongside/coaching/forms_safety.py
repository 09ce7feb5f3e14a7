"""The safety plan form: it speaks to the person, whoever is typing."""

from __future__ import annotations

from django import forms

from .models import SafetyPlan


def _words(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SafetyPlanForm(forms.Form):
    keeps_me_safe = _words("What keeps you safe", "In your own words. Leave out anything you like.")
    early_signs = _words(
        "Early signs that things are getting hard",
        "What you, or people close to you, might notice.",
    )
    what_helps = _words("What helps", "Things you can do, places, people, anything.")
    who_to_contact = _words(
        "Who you'd like contacted", "Names and how to reach them, if you want anyone contacted."
    )
    what_others_can_do = _words(
        "What you'd like others to do", "And anything you'd rather people didn't do."
    )
    visible_to = forms.MultipleChoiceField(
        label="Who may see your safety plan",
        help_text="You can always see it. Choose anyone else; you can change this at any time.",
        choices=SafetyPlan.Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        fields = (
            "keeps_me_safe",
            "early_signs",
            "what_helps",
            "who_to_contact",
            "what_others_can_do",
        )
        if not any((cleaned.get(name) or "").strip() for name in fields):
            raise forms.ValidationError("Write something in at least one part of the plan.")
        return cleaned
