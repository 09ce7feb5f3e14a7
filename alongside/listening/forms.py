"""Forms for listening: an exercise, a contribution captured on a phone, the check of
what was taken out, and an import. Each re-shows what was typed when something needs
changing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst

from alongside.accounts.models import Area
from alongside.core.forms import DateInput, RecordChoices

from . import redaction
from .building import ContributionFields
from .models import Channel, Contribution, Redaction
from .services.exercises import DEFAULT_CONSENT_SCRIPT
from .uploads import MAX_UPLOAD_BYTES

YES_NO = [("yes", "Yes, they said we may quote their words"), ("no", "No, don't quote them")]


class ExerciseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Which organisation is listening", queryset=None, empty_label=None
    )
    title = forms.CharField(
        label="A short name for this exercise",
        max_length=200,
        help_text="For example: Voices from the bus station.",
    )
    question = forms.CharField(
        label="The one open question",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One question, open enough that people can bring whatever matters to them.",
    )
    asked_by = forms.CharField(
        label="Who asked for it",
        max_length=200,
        required=False,
        help_text="The people or group who want to hear the answers.",
    )
    area = forms.ModelChoiceField(
        label="Area",
        queryset=Area.objects.order_by("name"),
        required=False,
        empty_label="Not one area in particular",
    )
    starts_on = forms.DateField(label="Listening starts", widget=DateInput(), required=False)
    ends_on = forms.DateField(label="Listening ends", widget=DateInput(), required=False)
    target_groups = forms.CharField(
        label="Who we especially want to hear from",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="People whose voices are often missed, in your own words.",
    )
    channels = forms.MultipleChoiceField(
        label="How people can take part",
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[value for value, _ in Channel.choices],
    )
    consent_script = forms.CharField(
        label="What we say to each person before they share",
        widget=forms.Textarea(attrs={"rows": 6}),
        initial=DEFAULT_CONSENT_SCRIPT,
        help_text="Listeners read this out or show it. Change it to sound like you.",
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end comes before the start.")
        return data

    def details(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        return data


class ExerciseEditForm(ExerciseForm):
    team = RecordChoices(
        label="The team",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only the team reads contributions. Listeners and leads can be in it.",
    )
    names_to_redact = forms.CharField(
        label="Names to take out wherever they appear",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: people, streets or places small enough to point to someone. "
        "When you add a name, every contribution is looked through again.",
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        kwargs.setdefault("organisations", _none_queryset())
        super().__init__(*args, **kwargs)
        del self.fields["organisation"]
        self.fields["team"].queryset = candidates
        self.fields["team"].label_from_instance = lambda user: user.display_name()


def _none_queryset() -> Any:
    from alongside.accounts.models import Organisation

    return Organisation.objects.none()


class ContributionForm(forms.Form):
    channel = forms.ChoiceField(
        label="How did you hear it?", choices=Channel.choices, widget=forms.RadioSelect
    )
    place = forms.CharField(
        label="Where, in general",
        max_length=200,
        required=False,
        help_text="A street, a town, a kind of place. Never a home address.",
        widget=forms.TextInput(attrs={"list": "places-used", "autocomplete": "off"}),
    )
    heard_on = forms.DateField(
        label="When", widget=DateInput(), initial=timezone.localdate, required=False
    )
    text = forms.CharField(
        label="What they said",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="In their words as far as you can, or your notes. Names and phone numbers "
        "are taken out before anyone else in the team reads it.",
    )
    credit = forms.ChoiceField(
        label="How they'd like to be named if we quote them",
        choices=[
            (Contribution.Credit.ANONYMOUS, "No name: anonymous"),
            (Contribution.Credit.NAMED, "A first name or a made-up name, and a place"),
        ],
        widget=forms.RadioSelect,
        initial=Contribution.Credit.ANONYMOUS,
    )
    credit_name = forms.CharField(
        label="The name they chose", max_length=80, required=False, help_text="For example: Sam."
    )
    credit_place = forms.CharField(
        label="The place they chose",
        max_length=120,
        required=False,
        help_text="For example: Oxford Street.",
    )
    consent_to_quote = forms.ChoiceField(
        label="May we quote their words in the report?", choices=YES_NO, widget=forms.RadioSelect
    )
    content_warnings = forms.CharField(
        label="Content warnings",
        max_length=300,
        required=False,
        help_text="Anything a reader may want warning of, such as self-harm or abuse. "
        "Leave empty if none.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, channels: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if channels:
            self.fields["channel"].choices = [c for c in Channel.choices if c[0] in channels]

    def clean_heard_on(self) -> Any:
        heard_on = self.cleaned_data.get("heard_on")
        if heard_on and heard_on > timezone.localdate():
            raise forms.ValidationError("That date hasn't happened yet.")
        return heard_on

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        named = data.get("credit") == Contribution.Credit.NAMED
        if named and not (data.get("credit_name") or "").strip():
            self.add_error("credit_name", "Write the name they chose, or choose anonymous.")
        return data

    def fields_for_service(self) -> ContributionFields:
        data = self.cleaned_data
        return ContributionFields(
            channel=data["channel"],
            text=data["text"],
            place=data["place"],
            heard_on=data["heard_on"],
            credit=data["credit"],
            credit_name=data["credit_name"],
            credit_place=data["credit_place"],
            consent_to_quote=data["consent_to_quote"] == "yes",
            content_warnings=data["content_warnings"],
        )

    @staticmethod
    def initial_from(contribution: Contribution) -> dict[str, Any]:
        return {
            "channel": contribution.channel,
            "place": contribution.place,
            "heard_on": contribution.heard_on,
            "text": contribution.text,
            "credit": contribution.credit,
            "credit_name": contribution.credit_name,
            "credit_place": contribution.credit_place,
            "consent_to_quote": "yes" if contribution.consent_to_quote else "no",
            "content_warnings": contribution.content_warnings,
            "version": contribution.version,
        }


class ContributionEditForm(ContributionForm):
    """Any team member may change the details; only the listener who captured it may see
    (and so change) the words."""

    def __init__(self, *args: Any, words: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not words:
            del self.fields["text"]

    def fields_for_service(self, current_text: str = "") -> ContributionFields:
        if "text" not in self.fields:
            self.cleaned_data["text"] = current_text
        return super().fields_for_service()


DECISION_CHOICES = [
    (Redaction.Decision.REMOVE, "Take it out"),
    (Redaction.Decision.KEEP, "Keep it: it doesn't point to anyone"),
]
LABEL_CHOICES = [(label, capfirst(redaction.LABEL_WORDS[label])) for label in redaction.LABELS]


class ReviewForm(forms.Form):
    extra_words = forms.CharField(
        label="Another detail to take out",
        max_length=300,
        required=False,
        help_text="Type the exact words, as they appear in the text. Every place they appear "
        "is taken out.",
    )
    extra_label = forms.ChoiceField(
        label="What kind of detail is it?", choices=LABEL_CHOICES, initial="name", required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, redactions: list[Redaction], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision_fields = []
        for row in redactions:
            name = f"decision_{row.pk}"
            decided = row.decision != Redaction.Decision.SUGGESTED
            self.fields[name] = forms.ChoiceField(
                label=f"{getattr(row, 'words', '') or row.stand_in}",
                choices=DECISION_CHOICES,
                widget=forms.RadioSelect,
                initial=row.decision if decided else Redaction.Decision.REMOVE,
                # Left unanswered, a suggestion is taken out: the safe default.
                required=False,
            )
            self.decision_fields.append((row, self[name]))

    def decisions(self) -> dict[int, str]:
        chosen = {row.pk: self.cleaned_data.get(bound.name) for row, bound in self.decision_fields}
        return {pk: choice for pk, choice in chosen.items() if choice}


KINDS = {".csv": "csv", ".zip": "zip"}


class ImportForm(forms.Form):
    file = forms.FileField(
        label="The file",
        help_text=f"A .csv file, or a .zip of a folder of .txt and .eml files. "
        f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB at most.",
    )
    channel = forms.ChoiceField(
        label="For a zip: how were these heard?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        initial=Channel.EMAIL,
        help_text="A CSV file says the channel on each row.",
    )
    place = forms.CharField(
        label="For a zip: where, in general (optional)", max_length=200, required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        kind = KINDS.get(Path(upload.name or "").suffix.lower())
        if kind is None:
            raise forms.ValidationError("Choose a .csv or a .zip file.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"This file is too big: {MAX_UPLOAD_BYTES // (1024 * 1024)} MB at most. "
                "Split it into smaller files and bring them in one at a time."
            )
        self.kind = kind
        self.file_name = Path(upload.name or "").name[:100]
        self.raw = upload.read(MAX_UPLOAD_BYTES + 1)
        return upload
