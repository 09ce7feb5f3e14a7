"""Forms for who is let down most: choose the service records, then what to compare. Without
JavaScript the page comes in two steps (the records first, so the characteristics and outcomes
offered are that data set's own); each re-shows what was chosen, with a clear message."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import ModelChoiceField as RecordChoice

from .models import DataSet

NO_OUTCOME = ""


class RecordsForm(forms.Form):
    records = RecordChoice(
        label="Which service records",
        queryset=DataSet.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the service records to analyse."},
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["records"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = choices


class AnalysisForm(forms.Form):
    records = RecordChoice(queryset=DataSet.objects.none(), widget=forms.HiddenInput)
    by = forms.ChoiceField(
        label="Compare groups by",
        help_text="One of the characteristics matched when the records were brought in.",
        error_messages={"required": "Choose a characteristic to compare groups by."},
    )
    population = RecordChoice(
        label="Compare with the area's population",
        queryset=DataSet.objects.none(),
        required=False,
        empty_label="No population table: leave out representation",
        help_text="A population table (for example from the Census) with the same "
        "characteristic shows whether each group is in services in proportion.",
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        help_text="A yes or no outcome from the records, such as being housed.",
    )

    def __init__(
        self,
        *args: Any,
        records: Any,
        populations: Any,
        characteristics: list[tuple[str, str]],
        outcomes: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("records", records), ("population", populations)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        for name, choices in (
            ("by", characteristics),
            ("outcome", [(NO_OUTCOME, "None: only who is in services"), *outcomes]),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
