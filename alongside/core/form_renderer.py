"""Form widgets rendered in Python, the same HTML Django's widget templates give.

Django renders every widget, and every option of a select or a list of radios, through a
template of its own (`django/forms/widgets/*.html`): a select of 200 staff names is 400
template renders. On the audit trail that was a third of the page's time (issue 11). This
renderer writes the common widgets' HTML directly, byte for byte what those templates write,
and leaves every other template (a form's layout, a widget we do not know) to Django.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .html import text

_WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = {
    f"{_WIDGETS}{kind}.html"
    for kind in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
}


def attributes(attrs: Mapping[str, Any]) -> str:
    """What attrs.html writes: ` name="value"`, ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


# Each template file ends in a newline, and an {% include %} keeps it: the HTML below keeps
# them too, so the output is byte for byte the same.


def _input(widget: Mapping[str, Any]) -> str:
    """input.html."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{attributes(widget["attrs"])}>\n'
    )


def _input_kind(widget: Mapping[str, Any]) -> str:
    """text.html, number.html, ...: `{% include "input.html" %}` and a newline."""
    return _input(widget) + "\n"


def _input_option(option: Mapping[str, Any]) -> str:
    """radio_option.html: input_option.html (with its newline) and a newline."""
    if not option.get("wrap_label"):
        return _input(option) + "\n\n"
    label_id = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(label_id)}"' if label_id else ""
    label = conditional_escape(option["label"])
    return f"<label{label_for}>{_input(option)} {label}</label>\n\n"


def _select(widget: Mapping[str, Any]) -> str:
    out = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            out.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def _multiple_input(widget: Mapping[str, Any]) -> str:
    attrs = widget["attrs"]
    own_id = attrs.get("id")
    out = ["<div"]
    if own_id:
        out.append(f' id="{conditional_escape(own_id)}"')
    if attrs.get("class"):
        out.append(f' class="{conditional_escape(attrs["class"])}"')
    out.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{conditional_escape(group)}</label>")
        for option in options:
            out.append(f"<div>\n    {_input_option(option)}</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>\n\n")  # multiple_input.html's newline, then radio.html's
    return "".join(out)


def _textarea(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    words = conditional_escape(value) if value else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>\n'
        f"{words}</textarea>\n"
    )


WRITERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    f"{_WIDGETS}input.html": _input,
    **{name: _input_kind for name in INPUT_TEMPLATES - {f"{_WIDGETS}input.html"}},
    f"{_WIDGETS}select.html": _select,
    f"{_WIDGETS}radio.html": _multiple_input,
    f"{_WIDGETS}checkbox_select.html": _multiple_input,
    f"{_WIDGETS}textarea.html": _textarea,
}


class Renderer(DjangoTemplates):
    """settings.FORM_RENDERER: the common widgets in Python, everything else as Django does."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        writer = WRITERS.get(template_name)
        # A widget whose options use a template of their own is left to Django.
        if writer is None or widget is None or not _plain_options(widget):
            return super().render(template_name, context, request)
        # Django's renderer strips what a template gives, so the same here.
        # Every value and label in it went through conditional_escape above.
        return mark_safe(writer(widget).strip())  # noqa: S308


_PLAIN_OPTIONS = {f"{_WIDGETS}{kind}_option.html" for kind in ("select", "radio", "checkbox")}


def _plain_options(widget: Mapping[str, Any]) -> bool:
    return all(
        option.get("template_name") in _PLAIN_OPTIONS
        for _group, options, _index in widget.get("optgroups", ())
        for option in options
    )


# Fields field.html draws as a group of choices or a checkbox: left to the template.
_NOT_ONE_BOX = {"radioselect", "checkboxselectmultiple", "checkbox"}


def field_html(field: BoundField) -> str:
    """What `{% include "field.html" %}` writes for `field`, byte for byte: for a field with
    one box to fill in (a line of text, a number, a date, a select, a textarea) its label,
    hint, errors and control written here (the include and its dozen lookups cost several
    hundred Python calls a field; issue 11); a group of choices or a checkbox by the template.
    Every part is escaped; mark it safe where it goes into a page."""
    if field.widget_type in _NOT_ONE_BOX:
        return str(get_template("field.html").render({"field": field}))
    errors = field.errors
    hint = (
        f'<p class="hint" id="{text(field.auto_id)}_helptext">{text(field.help_text)}</p>'
        if field.help_text
        else ""
    )
    written = "".join([f'<p class="error">{text(error)}</p>' for error in errors])
    return (
        f'\n\n<div class="field{" field-error" if errors else ""}">\n'
        f'  <label for="{text(field.id_for_label)}">{text(field.label)}</label>\n'
        f"  {hint}\n"
        f"  {written}\n"
        f"  {text(field)}\n"
        "</div>\n\n"
    )
