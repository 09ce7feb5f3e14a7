"""Forms for recommendations and their answers. Each re-shows what was typed, with a clear
message, when something needs changing."""

from __future__ import annotations

from typing import Any

from django import forms

from alongside.accounts.models import Organisation
from alongside.core.forms import DateInput, RecordChoices

from .models import Answer, Recommendation


class RecommendationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Which organisation is recommending", queryset=None, empty_label=None
    )
    title = forms.CharField(
        label="A short title",
        max_length=200,
        help_text="For example: Let people keep their place on the housing list while in hospital.",
    )
    what = forms.CharField(
        label="What we recommend",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you are asking for, and why, in plain words.",
    )
    to = forms.ChoiceField(
        label="To whom",
        choices=Recommendation.To.choices,
        widget=forms.RadioSelect,
    )
    addressed_to = forms.ModelChoiceField(
        label="Which organisation answers",
        queryset=None,
        empty_label="Choose an organisation",
        help_text="Leadership or a strategic group: that organisation's leads answer. "
        "A commissioner: choose the council; the commissioners of its area answer.",
    )
    lands_in = forms.ChoiceField(
        label="Where the learning lands",
        choices=Recommendation.LandsIn.choices,
        widget=forms.RadioSelect,
    )
    themes = RecordChoices(
        label="System themes it draws on",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    experiments = RecordChoices(
        label="Experiments it draws on",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    quotes = forms.MultipleChoiceField(
        label="Quotes to include",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="In people's own words, with names and numbers taken out. A quote comes "
        "from one of the themes: link its theme too.",
    )
    answer_by = forms.DateField(label="Answer wanted by", required=False, widget=DateInput())
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )

    def __init__(
        self,
        *args: Any,
        organisations: Any,
        addressable: Any,
        themes: Any,
        experiments: Any,
        quote_choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0]
        self.fields["addressed_to"].queryset = addressable
        self.fields["addressed_to"].label_from_instance = _organisation_label
        self.fields["themes"].queryset = themes
        self.fields["experiments"].queryset = experiments
        self.fields["quotes"].choices = [(str(pk), words) for pk, words in quote_choices]
        if not quote_choices:
            self.fields["quotes"].help_text = (
                "Quotes come from the linked system themes' shared barriers. "
                "There are none to choose from yet."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        to, addressed = data.get("to"), data.get("addressed_to")
        if to == Recommendation.To.COMMISSIONER and addressed is not None:
            if addressed.kind != Organisation.Kind.LOCAL_AUTHORITY or addressed.area_id is None:
                self.add_error(
                    "addressed_to",
                    "For a commissioner, choose a council (a local authority with an area): "
                    "its area's commissioners answer.",
                )
        organisation = data.get("organisation")
        if organisation is not None:
            for name in ("themes", "experiments"):
                if any(item.organisation_id != organisation.pk for item in data.get(name) or ()):
                    self.add_error(name, "Choose only your organisation's own.")
        return data


def _organisation_label(organisation: Organisation) -> str:
    if organisation.kind == Organisation.Kind.LOCAL_AUTHORITY:
        return f"{organisation.name} (council)"
    return organisation.name


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label="Where it stands",
        choices=Answer.Status.choices,
        widget=forms.RadioSelect,
    )
    words = forms.CharField(
        label="Your answer in words, and the reason if you decline",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="If you decline, say why: the convener and the people in the group will read it.",
    )
    what_changed = forms.CharField(
        label="What changed",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What is different now because of it, if anything yet.",
    )
    follow_up_on = forms.DateField(
        label="Follow up on",
        required=False,
        widget=DateInput(),
        help_text="When you will say more. The convener sees it if the day passes.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == Answer.Status.DECLINED and not (data.get("words") or "").strip():
            self.add_error("words", "Say why you are declining it.")
        return data


class SendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
