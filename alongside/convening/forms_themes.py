"""Forms for system themes: making and editing one, placing a barrier, linking listening
themes, accepting a suggested theme."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from alongside.core.forms import RecordChoices, record_id
from alongside.listening.models import Theme

from .models import SystemTheme

MAX_IDS = 2000


class ThemeForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give the theme a title."}
    )
    summary = forms.CharField(
        label="What it is about",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="In plain words: what keeps getting in people's way, and where.",
    )
    across_area = forms.BooleanField(
        label="Gather barriers from every organisation in our area that shares them",
        required=False,
    )
    # The version of the theme this edit started from: an edit from an older page is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, has_area: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_area:
            del self.fields["across_area"]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].replace("\x00", "").split())
        if not title:
            raise forms.ValidationError("Give the theme a title.")
        return title

    def clean_summary(self) -> str:
        return self.cleaned_data["summary"].replace("\x00", "").strip()


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class PlaceForm(forms.Form):
    """Put one barrier in a theme: one press for the suggested theme, or a choice of any."""

    barrier = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    theme = ThemeChoiceField(
        label="Put it in", queryset=SystemTheme.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, themes: QuerySet[SystemTheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes  # type: ignore[attr-defined]


class ListeningChoices(RecordChoices):
    def label_from_instance(self, obj: Any) -> str:
        keywords = ", ".join(list(obj.keywords or [])[:5])
        about = f" ({keywords})" if keywords else ""
        return f"{obj.title}{about}, from \u201c{obj.exercise.title}\u201d"


class ListeningForm(forms.Form):
    listening_themes = ListeningChoices(
        label="Listening themes that speak of the same thing",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Themes from your organisation's listening, and from published listening reports "
            "in your area."
        ),
    )

    def __init__(self, *args: Any, themes: QuerySet[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["listening_themes"].queryset = themes  # type: ignore[attr-defined]


class AcceptForm(forms.Form):
    """Accept a theme the engine suggested from groups of barriers not yet in a theme."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give the theme a title."}
    )
    barriers = forms.CharField(widget=forms.HiddenInput, max_length=MAX_IDS * 21)
    across_area = forms.BooleanField(
        label="Gather barriers from every organisation in our area that shares them",
        required=False,
    )

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].replace("\x00", "").split())
        if not title:
            raise forms.ValidationError("Give the theme a title.")
        return title

    def clean_barriers(self) -> list[int]:
        ids = []
        for part in self.cleaned_data["barriers"].split(","):
            value = record_id(part.strip())
            if value is None:
                raise forms.ValidationError("Those barriers could not be read: please try again.")
            ids.append(value)
        if not ids or len(ids) > MAX_IDS:
            raise forms.ValidationError("Those barriers could not be read: please try again.")
        return ids
