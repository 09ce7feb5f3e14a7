"""The Python form renderer (core.form_renderer) writes exactly the HTML Django's own widget
templates write, for every form in the project, blank and with hostile input, so the speed it
buys (issue 11) changes nothing a browser, a screen reader or a test sees."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.core.form_renderer import WRITERS, Renderer

from .rendering import assert_drawn_as_django_draws_it
from .test_fuzz_forms import FUZZ, MAKERS, Things, payloads, split
from .test_fuzz_forms import things as things  # noqa: F401  (the fixture)

DJANGO = DjangoTemplates()
OURS = Renderer()


def test_the_project_uses_it(settings: Any) -> None:
    assert settings.FORM_RENDERER == "alongside.core.form_renderer.Renderer"


# A few fuzzed payloads a form are enough here: the widgets are drawn the same way whatever
# was typed, and tests/test_fuzz_forms.py already throws the whole hostile set at every form.
FEW = settings(FUZZ, max_examples=4)


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", list(MAKERS), ids=lambda k: k.__name__)
@FEW
@given(data=st.data())
def test_every_form_draws_as_django_draws_it(
    form_class: type[forms.BaseForm], things: Things, data: st.DataObject
) -> None:
    make = MAKERS[form_class]
    blank = make(things, None, None)
    assert_drawn_as_django_draws_it(blank)
    _, payload = data.draw(payloads(blank), label="payload")
    bound = make(things, *split(payload))
    bound.is_valid()
    assert_drawn_as_django_draws_it(bound)


NASTY = ['"><script>alert(1)</script>', "O'Brien & Sons", "  spaced  ", "", "ü ✓ \u202e"]


@pytest.mark.parametrize(
    "widget",
    [
        forms.TextInput(attrs={"class": "wide", "required": True, "disabled": False}),
        forms.NumberInput(attrs={"min": 0}),
        forms.EmailInput(),
        forms.PasswordInput(render_value=True),
        forms.HiddenInput(),
        forms.DateInput(),
        forms.CheckboxInput(),
        forms.Textarea(attrs={"rows": 3}),
        forms.Select(choices=[("", "Anyone"), ("1", "Tom"), ("2", NASTY[0])]),
        forms.Select(choices=[("Group A", [("a", "A"), ("b", NASTY[1])]), ("c", "C")]),
        forms.SelectMultiple(choices=[("1", "One"), ("2", "Two")]),
        forms.RadioSelect(choices=[("yes", "Yes"), ("no", NASTY[1])], attrs={"class": "radios"}),
        forms.RadioSelect(choices=[("Kind", [("x", "X"), ("y", "Y")])]),
        forms.CheckboxSelectMultiple(choices=[("1", "One"), ("2", NASTY[0])]),
    ],
    ids=lambda w: type(w).__name__,
)
@pytest.mark.parametrize("value", [None, *NASTY, "1", ["1", "2"], True, 3])
@pytest.mark.parametrize("with_id", [True, False])
def test_each_widget_draws_as_django_draws_it(
    widget: forms.Widget, value: Any, with_id: bool
) -> None:
    attrs = {"id": "id_thing"} if with_id else {}
    assert widget.render("thing", value, attrs=attrs, renderer=OURS) == widget.render(
        "thing", value, attrs=attrs, renderer=DJANGO
    )


def test_it_covers_the_widgets_it_claims() -> None:
    for template in WRITERS:
        assert template.startswith("django/forms/widgets/")
