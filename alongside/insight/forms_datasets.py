"""The forms for an area's data sets: the upload, and matching the file's columns."""

from __future__ import annotations

from typing import Any

from django import forms

from . import fields
from .models import DataSet
from .uploads import UploadProblemError, check_upload, max_bytes

# Empty rows offered for outcomes and other characteristics beyond those already chosen.
SPARE_OUTCOMES = 3
SPARE_OTHERS = 2
NOT_IN_FILE = ("", "Not in this file")


class UploadForm(forms.Form):
    area = forms.ModelChoiceField(label="Which area is this for", queryset=None, empty_label=None)
    title = forms.CharField(
        label="A short name for this data set",
        max_length=200,
        help_text="For example: Housing support contacts 2024 to 2025.",
    )
    kind = forms.ChoiceField(
        label="What is in the file",
        choices=[
            (DataSet.Kind.RECORDS, "Service records: one row for each episode or contact"),
            (
                DataSet.Kind.POPULATION,
                "A population table: how many people live in the area, "
                "by characteristic (from the Census, say)",
            ),
        ],
        widget=forms.RadioSelect,
        initial=DataSet.Kind.RECORDS,
    )
    file = forms.FileField(
        label="The file",
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx,.tsv,.txt"}),
        help_text="A CSV file or an Excel workbook (.xlsx, its first sheet), with the column "
        "headings in its first row.",
    )

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        field.queryset = areas  # type: ignore[attr-defined]
        if len(areas) == 1:
            field.widget = forms.HiddenInput()
            field.initial = areas[0].pk
        mb = max_bytes() // (1024 * 1024)
        self.fields["file"].help_text += f" Up to {mb:,} MB."
        self.file_format = ""
        self.headers: list[str] = []

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            self.file_format, self.headers = check_upload(upload)
        except UploadProblemError as problem:
            raise forms.ValidationError(str(problem)) from problem
        return upload


def _column_choices(headers: list[str]) -> list[tuple[str, str]]:
    return [NOT_IN_FILE] + [(h, h) for h in headers if h]


class MappingForm(forms.Form):
    """A select of the file's headings for each thing the import needs; for records also
    outcome columns (each with its phrase) and characteristics of the analyst's own naming."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, kind: str, headers: list[str], mapping: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        choices = _column_choices(headers)
        records = kind == DataSet.Kind.RECORDS

        def select(name: str, label: str, initial: str, required: bool, hint: str = "") -> None:
            first = ("", "Choose a column") if required else NOT_IN_FILE
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=[first, *choices[1:]],
                required=required,
                initial=initial,
                help_text=hint,
            )

        if records:
            for key, words in fields.RECORD_COLUMNS.items():
                select(key, words, mapping.get(key, ""), True)
        chosen = mapping.get("characteristics") or {}
        for key, known in fields.CHARACTERISTICS.items():
            select(f"char_{key}", known.label, chosen.get(key, ""), False, known.hint)
        others = [(k, c) for k, c in chosen.items() if k not in fields.CHARACTERISTICS]
        self.other_rows = len(others) + SPARE_OTHERS
        for i in range(self.other_rows):
            key, column = others[i] if i < len(others) else ("", "")
            select(f"other_{i}_column", f"Other characteristic {i + 1}: its column", column, False)
            self.fields[f"other_{i}_name"] = forms.CharField(
                label=f"Other characteristic {i + 1}: what it is",
                max_length=40,
                required=False,
                initial=fields.label(key) if key else "",
            )
        self.outcome_rows = 0
        if records:
            outcomes = list((mapping.get("outcomes") or {}).values())
            self.outcome_rows = len(outcomes) + SPARE_OUTCOMES
            for i in range(self.outcome_rows):
                outcome = outcomes[i] if i < len(outcomes) else {}
                select(
                    f"outcome_{i}_column",
                    f"Outcome {i + 1}: its column (yes or no)",
                    outcome.get("column", ""),
                    False,
                )
                self.fields[f"outcome_{i}_phrase"] = forms.CharField(
                    label=f"Outcome {i + 1}: what yes means",
                    max_length=60,
                    required=False,
                    initial=outcome.get("phrase", ""),
                    help_text="As it would read in “were … at 0.64 times the rate”: housed, "
                    "back in work, helped to stay at home.",
                )
        else:
            select("count", "How many people (a whole number)", mapping.get("count", ""), True)

    # Rows for the template, each a pair of bound fields.
    def other_pairs(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"other_{i}_column"], self[f"other_{i}_name"]) for i in range(self.other_rows)
        ]

    def outcome_pairs(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"outcome_{i}_column"], self[f"outcome_{i}_phrase"])
            for i in range(self.outcome_rows)
        ]

    def known_characteristics(self) -> list[Any]:
        return [self[f"char_{key}"] for key in fields.CHARACTERISTICS]

    def record_columns(self) -> list[Any]:
        if self.kind != DataSet.Kind.RECORDS:
            return []
        return [self[key] for key in fields.RECORD_COLUMNS]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        used: dict[str, str] = {}

        def use(name: str, column: str) -> None:
            if not column:
                return
            if column in used:
                self.add_error(name, f'"{column}" is already chosen above.')
            used[column] = name

        for name in [*fields.RECORD_COLUMNS, "count"]:
            if name in self.fields:
                use(name, data.get(name) or "")
        characteristics: dict[str, str] = {}
        for key in fields.CHARACTERISTICS:
            column = data.get(f"char_{key}") or ""
            use(f"char_{key}", column)
            if column:
                characteristics[key] = column
        for i in range(self.other_rows):
            column = data.get(f"other_{i}_column") or ""
            name = (data.get(f"other_{i}_name") or "").strip()
            if not column and not name:
                continue
            if not column:
                self.add_error(f"other_{i}_column", "Choose the column, or empty its name.")
                continue
            use(f"other_{i}_column", column)
            key = fields.slug(name or column)
            if (
                key in characteristics
                or key in fields.CHARACTERISTICS
                or key in ("person_id", "date", "service", "count", "rn")
            ):
                self.add_error(f"other_{i}_name", "Choose a name not already used.")
                continue
            characteristics[key] = column
        outcomes: dict[str, dict[str, str]] = {}
        for i in range(self.outcome_rows):
            column = data.get(f"outcome_{i}_column") or ""
            phrase = (data.get(f"outcome_{i}_phrase") or "").strip()
            if not column and not phrase:
                continue
            if not column:
                self.add_error(f"outcome_{i}_column", "Choose the column, or empty the words.")
                continue
            if not phrase:
                self.add_error(f"outcome_{i}_phrase", "Say what yes means, such as “housed”.")
                continue
            use(f"outcome_{i}_column", column)
            key = fields.slug(phrase)
            if key in outcomes:
                self.add_error(f"outcome_{i}_phrase", "Two outcomes have the same words.")
                continue
            outcomes[key] = {"column": column, "phrase": phrase}
        if self.kind == DataSet.Kind.POPULATION and not characteristics:
            self.add_error(None, "Choose at least one characteristic the counts are by.")
        self.mapping: dict[str, Any] = {"characteristics": characteristics}
        if self.kind == DataSet.Kind.RECORDS:
            for key in fields.RECORD_COLUMNS:
                self.mapping[key] = data.get(key) or ""
            self.mapping["outcomes"] = outcomes
        else:
            self.mapping["count"] = data.get("count") or ""
        return data
