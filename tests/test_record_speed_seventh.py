"""Issue 11, seventh pass on the whole record and the person page: the JSON download writes
its indented JSON itself (`coaching.views.export.indented_json`), the whole record's fragments
escape plain words in line (`coaching/templatetags/whole_record.py`), the safety plans come
with the record's other parts, and the person page writes its sections in turn with one tag
(`person_page.record_sections`) rather than eleven includes. Each writes what it wrote before,
byte for byte."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from alongside.coaching.models import Person
from alongside.coaching.selectors import person_record
from alongside.coaching.selectors.export import person_export
from alongside.coaching.templatetags import whole_record
from alongside.coaching.views.export import indented_json
from alongside.core.html import lines, text

from .test_coaching_export import a_record_with_history
from .test_record_written import _more

SHAPES: list[Any] = [
    {},
    [],
    "",
    0,
    None,
    True,
    {"empty": [], "nothing": {}, "none": None, "no": False, "yes": True},
    {"words": 'é “quoted” "plain" <b>&</b>\n\ttab\r\u2028 \U0001f600', "n": -3, "big": 10**30},
    {"nested": [[[{"deep": [[], {}]}]]], "tuple": (1, (2, "three"))},
    {"floats": [0.1, -0.0, 1e100, float("inf"), float("-inf"), float("nan")]},
    {7: "a number as a key", True: "a truth", None: "nothing", 2.5: "a float", "k": {3: [4]}},
    ["a", ["b", {"c": "d"}], {"e": ("f",)}],
]


@pytest.mark.parametrize("value", SHAPES)
def test_indented_json_is_what_json_dumps_writes(value):
    assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_indented_json_refuses_what_json_dumps_refuses():
    with pytest.raises(TypeError):
        indented_json({"when": object()})


@pytest.mark.django_db
def test_a_whole_export_is_written_as_json_dumps_wrote_it(world, login):
    sam = world["sam"]
    a_record_with_history(sam, world["coach"])
    _more(sam, world["coach"])
    sam = Person.objects.select_related("organisation").get(pk=sam.pk)
    data = person_export(world["coach"], sam)
    assert indented_json(data) == json.dumps(data, indent=2, ensure_ascii=False)
    answer = login(world["coach"]).get(f"/people/{sam.pk}/record.json")
    written = answer.content.decode()
    assert written == json.dumps(json.loads(written), indent=2, ensure_ascii=False)


# --- the whole record's fragments, against what they wrote before ---------------------------


def _summary_list_before(facts: list[tuple[Any, Any]]) -> str:
    if not facts:
        return ""
    rows = "".join(
        f"<div><dt>{text(label)}</dt><dd>{lines(value)}</dd></div>" for label, value in facts
    )
    return f'<dl class="summary-list">{rows}</dl>'


def _bullets_before(items: list[Any]) -> str:
    if not items:
        return ""
    return "<ul>" + "".join(f"<li>{text(item)}</li>" for item in items) + "</ul>"


def _cells_before(row: list[Any]) -> str:
    if not row:
        return ""
    first, *rest = row
    return f'<th scope="row">{text(first)}</th>' + "".join(f"<td>{text(c)}</td>" for c in rest)


AWKWARD: list[Any] = [
    "plain",
    "<b>bold</b> & 'quoted' \"twice\"",
    "one\ntwo",
    "one\r\ntwo\rthree",
    mark_safe("<i>already safe</i>\nnext"),
    mark_safe("safe\r\nwith a return"),
    42,
    "",
]


def test_the_fragments_write_what_they_wrote_before():
    facts = [(label, value) for label in AWKWARD for value in AWKWARD]
    assert whole_record.summary_list(facts) == _summary_list_before(facts)
    assert whole_record.summary_list([]) == _summary_list_before([]) == ""
    assert whole_record.bullets(AWKWARD) == _bullets_before(AWKWARD)
    assert whole_record.bullets([]) == ""
    assert whole_record.table_cells(AWKWARD) == _cells_before(AWKWARD)
    assert whole_record.table_cells([]) == ""
    assert whole_record.table_body([AWKWARD, AWKWARD[::-1]]) == "".join(
        f"<tr>{_cells_before(row)}</tr>" for row in (AWKWARD, AWKWARD[::-1])
    )


# --- the person page's sections in turn ------------------------------------------------------


@pytest.mark.django_db
def test_the_sections_tag_writes_what_the_includes_wrote(world):
    sam = world["sam"]
    a_record_with_history(sam, world["coach"])
    sam = Person.objects.select_related("organisation").get(pk=sam.pk)
    context = person_record(sam)
    context["may_invite"] = True
    request = RequestFactory().get(f"/people/{sam.pk}/")
    request.user = world["coach"]
    engine = engines["django"]
    now = engine.from_string("{% load person_page %}{% record_sections %}").render(context, request)
    then = engine.from_string(
        "{% for section in record_sections %}{% include section %}{% endfor %}"
    ).render(context, request)
    # A form's token is masked afresh each time it is written.
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub("", now) == token.sub("", then)
    assert now.count("<section") >= 5
