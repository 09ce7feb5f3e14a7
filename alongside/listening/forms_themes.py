"""Forms for themes, excerpts and the report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.text import Truncator

from alongside.core.forms import RecordChoices

from .models import Contribution, Excerpt, Theme
from .selectors.themes import QuoteView

DIDNT_FIT = "didnt-fit"
QUOTE_LABEL_WORDS = 40


def _quote_label(view: QuoteView) -> str:
    words = Truncator(view.excerpt.text).words(QUOTE_LABEL_WORDS, truncate=" …")
    return f"\u201c{words}\u201d \u2014 {view.contribution.credit_line}"


def _contribution_label(contribution: Contribution) -> str:
    words = contribution.redacted_text or "(waiting for someone to check what was removed)"
    return Truncator(words).words(QUOTE_LABEL_WORDS, truncate=" …")


def _theme_label(theme: Theme) -> str:
    return theme.title


class SuggestForm(forms.Form):
    k = forms.IntegerField(
        label="How many themes (optional)",
        required=False,
        min_value=2,
        max_value=40,
        help_text="Leave empty and the suggestion chooses a number that fits what people said.",
    )
    seed = forms.IntegerField(
        label="Which way of sorting (a number)",
        min_value=0,
        max_value=2_147_483_647,
        help_text=(
            "Each number sorts what people said into themes in its own way, and the same "
            "number always gives the same themes. Try another number to see them sorted "
            "differently."
        ),
    )


class ThemeForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    synthesis = forms.CharField(
        label="What we heard (synthesis)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    content_warnings = forms.CharField(
        label="Content warnings",
        required=False,
        max_length=300,
        help_text="Shown before the quotes, for example \u201csuicide, self-harm\u201d.",
    )
    recommendations = forms.CharField(
        label="Recommendations",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One per line.",
    )
    headline = forms.ModelChoiceField(
        label="Headline quote",
        queryset=Excerpt.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label="No headline quote yet",
        help_text=(
            "Only words from a checked contribution whose contributor agreed to be quoted "
            "can be chosen."
        ),
    )
    quotes = RecordChoices(
        label="Supporting quotes",
        queryset=Excerpt.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, theme: Theme, choices: Sequence[QuoteView], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        ids = [view.excerpt.pk for view in choices]
        labels = {view.excerpt.pk: _quote_label(view) for view in choices}
        for name in ("headline", "quotes"):
            field = self.fields[name]
            field.queryset = Excerpt.objects.filter(pk__in=ids).order_by("position", "pk")
            field.label_from_instance = lambda excerpt: labels[excerpt.pk]
        if theme.is_didnt_fit:
            # The honest name of this group is not for renaming.
            self.fields["title"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        headline = data.get("headline")
        quotes = data.get("quotes")
        if headline is not None and quotes is not None:
            data["quotes"] = [q for q in quotes if q.pk != headline.pk]
        return data


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label="Merge into", queryset=Theme.objects.none(), widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, themes: Sequence[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        field.queryset = Theme.objects.filter(pk__in=[t.pk for t in themes])
        field.label_from_instance = _theme_label


class SplitForm(forms.Form):
    title = forms.CharField(label="Title of the new theme", max_length=200)
    members = RecordChoices(
        label="Contributions to move into the new theme",
        queryset=Contribution.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one contribution."},
    )

    def __init__(self, *args: Any, theme: Theme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        field.queryset = Contribution.objects.filter(theme=theme).order_by("pk")
        field.label_from_instance = _contribution_label


class ThemeChoiceForm(forms.Form):
    """Where to put a contribution or an excerpt: one of the themes, or "didn't fit"."""

    theme = forms.ChoiceField(label="Move to", widget=forms.RadioSelect)

    def __init__(
        self, *args: Any, themes: Sequence[Theme], didnt_fit: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.themes = {str(t.pk): t for t in themes if not t.is_didnt_fit}
        choices = [(key, theme.title) for key, theme in self.themes.items()]
        if didnt_fit:
            choices.append((DIDNT_FIT, "Didn't fit: none of the themes"))
        self.fields["theme"].choices = choices

    def chosen(self) -> Theme | None:
        """The chosen theme, or None for "didn't fit"."""
        return self.themes.get(self.cleaned_data["theme"])


class ExcerptForm(forms.Form):
    words = forms.CharField(
        label="The words to highlight",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Copy them exactly from the contribution above.",
    )
    theme = forms.ModelChoiceField(label="Theme", queryset=Theme.objects.none(), empty_label=None)
    # Where the words start, when a highlighter can say; typed words are found without it.
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, themes: Sequence[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["theme"]
        field.queryset = Theme.objects.filter(pk__in=[t.pk for t in themes]).order_by(
            "is_didnt_fit", "position", "pk"
        )
        field.label_from_instance = _theme_label


class ReportForm(forms.Form):
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Why this question, who asked it, and what happens next.",
    )
    how_we_listened = forms.CharField(
        label="How we listened",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Where and how people were listened to, and what they were told first.",
    )
