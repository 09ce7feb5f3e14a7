"""Forms for writing a conversation up together, and for the organisation's language list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from alongside.core.form_renderer import field_html
from alongside.core.forms import DateInput, RecordChoices
from alongside.core.html import text

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
    next_meeting_on = forms.DateField(
        label="When do you next meet? (optional)",
        widget=DateInput(),
        required=False,
        help_text="If you've agreed a day. It shows on your home page, and in their space.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        person: Person,
        next_meeting: bool = False,
        note: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if note:
            # A short note to keep in touch: the same record, a few words, dated today.
            self.fields["notes"].label = "Your note"
            self.fields["notes"].widget.attrs["rows"] = 5
            self.fields["notes"].help_text = "A few words is enough."
        goals = self.fields["goals"]
        goals.queryset = person.goals.exclude(status=Goal.Status.CHANGED_MY_MIND).order_by(
            "-created_at"
        )
        # The goal in the person's words, never "Goal object (776)".
        goals.label_from_instance = lambda goal: goal.words
        if not next_meeting:
            # Only the writer's own relationship has a next meeting to set (not an edit,
            # not the person writing for themselves).
            del self.fields["next_meeting_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("notes") or "").strip() and not (data.get("reflection") or "").strip():
            self.add_error("notes", "Write a few words about what you talked about.")
        met, next_on = data.get("happened_on"), data.get("next_meeting_on")
        if met and next_on and next_on < met:
            self.add_error("next_meeting_on", "Choose a day on or after the day you met.")
        return data

    def fields_html(self, *, note: bool, goals: list[tuple[int, str]]) -> str:
        """The form's fields as coaching/conversations/form.html wrote them, each through
        field.html and the goals as a fieldset of checkboxes, written here (see `field_html`).
        `goals` are the goals field's choices as (id, words): `selectors.conversations.
        goal_choices`, the same rows as its queryset without a model instance each."""
        if note:
            return field_html(self["notes"])
        written = [field_html(self[name]) for name in ("happened_on", "place", "notes")]
        written.append(field_html(self["reflection"]))
        written.append(self._goals_html(goals) if goals else "")
        if "next_meeting_on" in self.fields:
            written.append(f"\n  {field_html(self['next_meeting_on'])}\n  ")
        else:
            written.append("")
        return "\n  ".join(written)

    def _goals_html(self, goals: list[tuple[int, str]]) -> str:
        # Each box as Django's checkbox widget writes it (its id, then "checked").
        field = self["goals"]
        chosen = set(field.field.widget.format_value(field.value()))
        name, auto_id = text(field.html_name), text(field.auto_id)
        boxes = "".join(
            f'<div class="choice"><input type="checkbox" name="{name}" value="{pk}"'
            f' id="{auto_id}_{index}"{" checked" if str(pk) in chosen else ""}>'
            f' <label for="{auto_id}_{index}">{text(words)}</label></div>'
            for index, (pk, words) in enumerate(goals)
        )
        return (
            '\n  <fieldset class="field">\n'
            f"    <legend>{text(field.label)} (optional)</legend>\n"
            f"    {boxes}\n"
            "  </fieldset>\n  "
        )

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
