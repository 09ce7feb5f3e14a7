"""The audit trail's filters: a GET form, so a filtered page has an address to share or
bookmark, and the spreadsheet link carries the same filters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import SafeString, mark_safe

from alongside.core.form_renderer import Renderer, attributes
from alongside.core.forms import DateInput
from alongside.core.html import escaped, text

from .phrasing import KINDS


class _Choices(BaseChoiceIterator):
    """Choices already as (value, label) pairs, none in groups: Django leaves a choice
    iterator as it is rather than checking each of a hundred staff names again (issue 11)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.pairs)


class _Select(forms.Select):
    """A select whose options are written here, the HTML core/form_renderer.py writes (and so
    Django's templates): a hundred staff names through the renderer were a fifth of the
    page's Python calls, an option dictionary and four escapes each (issue 11). Any other
    renderer, or choices other than `_Choices` (which are never in groups), draw it as
    Django does (tests/test_form_renderer.py and tests/test_audit_page_html.py compare the
    two)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        choices = self.choices
        if not (isinstance(renderer, Renderer) and isinstance(choices, _Choices)):
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        out = [f'<select name="{text(name)}"{attributes(self.build_attrs(self.attrs, attrs))}>']
        chosen = False  # only the first option with the value is selected, as Django does
        for option, label in choices.pairs:
            option = "" if option is None else str(option)
            selected = not chosen and option in values
            chosen = chosen or selected
            # text() for each of a hundred names, where nearly every one is a plain str.
            words = escaped(label) if type(label) is str else text(label)
            shown = escaped(option) if type(option) is str else text(option)
            out.append(
                f'\n  <option value="{shown}"{" selected" if selected else ""}>{words}</option>\n'
            )
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 - every value in it is escaped by text


class TrailFilterForm(forms.Form):
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=100,
        help_text="Their name, or part of it",
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )
    staff = forms.TypedChoiceField(
        label="Who did it", required=False, coerce=int, empty_value=None, widget=_Select
    )
    kind = forms.ChoiceField(label="What was done", required=False, widget=_Select)
    since = forms.DateField(
        label="From",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": "Enter a date, like 1 December 2026."},
    )
    until = forms.DateField(
        label="To",
        required=False,
        help_text="This day is included",
        widget=DateInput(),
        error_messages={"invalid": "Enter a date, like 31 December 2026."},
    )

    def __init__(self, *args: Any, staff: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_field = self.fields["staff"]
        kind_field = self.fields["kind"]
        assert isinstance(staff_field, forms.ChoiceField)
        assert isinstance(kind_field, forms.ChoiceField)
        staff_field.choices = _Choices([("", "Anyone")] + [(str(pk), name) for pk, name in staff])
        kind_field.choices = _Choices(
            [("", "Anything")] + [(key, label) for key, label, _ in KINDS]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "This is before the “From” date. Swap them round?")
        return data
