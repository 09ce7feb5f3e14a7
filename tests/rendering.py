"""Draw a form's widgets with Django's own widget templates and with the project's Python
renderer (core.form_renderer), to show they write the same HTML."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates

from alongside.core.form_renderer import Renderer

DJANGO = DjangoTemplates()
OURS = Renderer()


def assert_drawn_as_django_draws_it(form: forms.BaseForm) -> None:
    for bound in form:
        widget = bound.field.widget
        attrs = bound.build_widget_attrs({})
        if bound.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", bound.auto_id)
        value = bound.value()
        django_html = widget.render(bound.html_name, value, attrs=attrs, renderer=DJANGO)
        our_html = widget.render(bound.html_name, value, attrs=attrs, renderer=OURS)
        assert our_html == django_html, bound.name
