"""Form pieces every module shares."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker. It needs ISO dates: with en-GB formatting Django would
    render 23/11/2026, which a date input shows as empty."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)
