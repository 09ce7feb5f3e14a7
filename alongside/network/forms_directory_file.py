"""The network's staff bring an Open Referral UK (HSDS) JSON file into the directory."""

from __future__ import annotations

import json
from typing import Any

from django import forms

MAX_BYTES = 20 * 1024 * 1024


class DirectoryFileForm(forms.Form):
    file = forms.FileField(
        label="An Open Referral UK (HSDS) JSON file",
        help_text="An export from this or another directory, at most 20 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self) -> Any:
        """The file's JSON, read here so a file that is not JSON is a message, not a crash."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("This file is over 20 MB: split it, or ask your IT team.")
        try:
            # "utf-8-sig": a file saved on Windows may start with a byte-order mark.
            return json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError) as problem:
            raise forms.ValidationError(
                "This file is not JSON. Choose the .json file a directory exported."
            ) from problem
