"""Forms for accreditation: what a lead writes for a criterion and the documents they add, and
what an assessor says about it and decides."""

from __future__ import annotations

from typing import Any

from django import forms

from alongside.core.forms import DateInput

from . import evidence
from .models import CriterionReview, Portfolio
from .portfolio_uploads import ACCEPT, UploadProblemError, check_upload, max_bytes

NARRATIVE_MAX = 20_000
COMMENT_MAX = 5_000


def _text(value: str) -> str:
    return (value or "").replace("\x00", "").strip()


class VersionForm(forms.Form):
    # The version the page was showing: a step taken from an older page is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StartForm(forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    network = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class EntryForm(forms.Form):
    narrative = forms.CharField(
        label="What you would like the network to know",
        required=False,
        max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="In your own words: what you do, how you know, what is still hard. Leave "
        "out anyone's name unless they have agreed to be named.",
    )
    figures = forms.MultipleChoiceField(
        label="Figures from your own records to include",
        required=False,
        choices=[(key, figure.title) for key, figure in evidence.FIGURES.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="Each is worked out live from your records. When you send the portfolio, "
        "the ones you tick are kept as they stand that day.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_narrative(self) -> str:
        return _text(self.cleaned_data.get("narrative", ""))


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Add a document",
        help_text=f"A PDF, Word (.docx), OpenDocument (.odt), PNG or JPEG picture, or plain text "
        f"file, up to {max_bytes() // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "Choose a file to add."},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                check_upload(upload)
            except UploadProblemError as problem:
                raise forms.ValidationError(str(problem)) from problem
        return upload


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label="How well is this shown?",
        choices=CriterionReview.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how well the criterion is shown."},
    )
    comment = forms.CharField(
        label="Your comment",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The organisation reads this. Unless it is shown, say what more you would "
        "like to see.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        verdict = data.get("verdict")
        if (
            verdict
            and verdict != CriterionReview.Verdict.MET
            and not _text(data.get("comment", ""))
        ):
            self.add_error("comment", "Say what is missing or what more you would like to see.")
        return data


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label="The decision",
        choices=Portfolio.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome."},
    )
    level = forms.TypedChoiceField(
        label="Level (when accredited)",
        coerce=int,
        required=False,
        empty_value=None,
        choices=(),
    )
    note = forms.CharField(
        label="A note on the decision",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The organisation reads this, and it goes in the exported portfolio.",
        error_messages={"required": "Write a note on the decision: the organisation will read it."},
    )
    renewal_due_on = forms.DateField(
        label="Renewal due on (when accredited)",
        required=False,
        widget=DateInput(),
        help_text="Three years from today unless you choose another day.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, levels: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["level"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose a level")] + [(lv.pk, lv.name) for lv in levels or []]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Portfolio.Outcome.ACCREDITED and not data.get("level"):
            self.add_error("level", "Choose the level it is accredited at.")
        return data
