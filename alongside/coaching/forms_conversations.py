"""Forms for writing a conversation up together, and for the organisation's language list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from alongside.core.forms import DateInput, RecordChoices

from .models import Goal, Person


class ConversationForm(forms.Form):
    happened_on = forms.DateField(
        label="When we met", widget=DateInput(), initial=timezone.localdate
    )
    place = forms.CharField(
        label="Where we met",
        max_length=120,
        required=False,
        help_text="Wherever the person chose: a café, a walk, their home, the phone.",
    )
    notes = forms.CharField(
        label="What we talked about",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Write this together. There are no private notes: the person can always "
        "read this in their own space.",
    )
    reflection = forms.CharField(
        label="The person's own reflection",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In their words, if they'd like to add one.",
    )
    goals = RecordChoices(
        label="Goals we talked about",
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = person.goals.exclude(
            status=Goal.Status.CHANGED_MY_MIND
        ).order_by("-created_at")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("notes") or "").strip() and not (data.get("reflection") or "").strip():
            self.add_error("notes", "Write a few words about what you talked about.")
        return data

    def free_text(self) -> str:
        return "\n".join(
            [self.cleaned_data.get("notes") or "", self.cleaned_data.get("reflection") or ""]
        )


class LanguageWordForm(forms.Form):
    phrase = forms.CharField(
        label="Word or phrase", max_length=80, help_text="The words to gently question."
    )
    suggestion = forms.CharField(
        label="What might be said instead",
        max_length=300,
        help_text="A kinder alternative the writer will see.",
    )
