"""Starting a listening exercise: the area list offers "no area" in words, never "---------"
(issue 12, item 7)."""

from __future__ import annotations

import pytest

from .factories import text_of

pytestmark = pytest.mark.django_db


def test_the_area_list_says_in_words_that_no_area_is_chosen(world, login):
    page = text_of(login(world["listener"]).get("/listening/add/"))
    area_field = page[
        page.index('name="area"') : page.index("</select>", page.index('name="area"'))
    ]
    assert '<option value="" selected>Not one area in particular</option>' in area_field
    assert "---------" not in area_field
    assert world["area"].name in area_field
