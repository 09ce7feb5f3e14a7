"""`{% url %}` answers from core.paths: the same addresses Django's reverse gives, worked out
once for plain arguments (issue 11), and forgotten when the URL configuration changes."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from alongside.core import paths


def _render(source: str, **context: Any) -> str:
    return Template(source).render(Context(context))


def test_the_tag_gives_what_reverse_gives() -> None:
    assert _render("{% url 'home:home' %}") == reverse("home:home")
    assert _render("{% url 'coaching:person' 7 %}") == reverse("coaching:person", args=[7])
    assert _render("{% url 'coaching:person' pk %}", pk="12") == reverse(
        "coaching:person", args=["12"]
    )
    assert _render("{% url 'coaching:person' person_id=3 %}") == reverse(
        "coaching:person", kwargs={"person_id": 3}
    )
    assert _render("{% url 'coaching:person' 5 as there %}[{{ there }}]") == (
        f"[{reverse('coaching:person', args=[5])}]"
    )


def test_an_unknown_name_still_fails_loudly_unless_kept_as_a_variable() -> None:
    with pytest.raises(NoReverseMatch):
        _render("{% url 'no:such' %}")
    assert _render("{% url 'no:such' as there %}[{{ there }}]") == "[]"


def test_each_address_is_worked_out_once() -> None:
    paths.forget()
    with mock.patch.object(paths, "reverse", wraps=reverse) as spy:
        for _ in range(5):
            _render("{% for n in ids %}{% url 'coaching:person' n %}{% endfor %}", ids=[1, 2, 3])
    assert spy.call_count == 3


def test_words_from_a_template_are_plain_too() -> None:
    paths.forget()
    source = "{% url 'me:correction_ask' 'goal' n 'words' %}"
    with mock.patch.object(paths, "reverse", wraps=reverse) as spy:
        for _ in range(3):
            assert _render(source, n=4) == reverse("me:correction_ask", args=["goal", 4, "words"])
    assert spy.call_count == 1


def test_arguments_that_are_not_plain_are_worked_out_each_time() -> None:
    class Id:
        def __str__(self) -> str:
            return "9"

    with mock.patch.object(paths, "reverse", wraps=reverse) as spy:
        for _ in range(3):
            assert paths.path_to("coaching:person", [Id()]) == reverse("coaching:person", args=[9])
    assert spy.call_count == 3


def test_a_new_url_configuration_is_not_answered_from_the_old(settings: Any) -> None:
    before = paths.path_to("home:home")
    assert paths._reverse.cache_info().currsize > 0 and paths._known
    settings.ROOT_URLCONF = "alongside.urls"  # the same module: the setting changed
    assert paths._reverse.cache_info().currsize == 0 and not paths._known
    assert paths.path_to("home:home") == before


def test_arguments_equal_but_of_another_type_are_not_taken_for_each_other() -> None:
    # 5 and 5.0 are equal (and hash alike): reverse writes them differently, so the address
    # for one must not be given for the other.
    assert paths.path_to("me:correction_ask", ["goal", 5, "words"]) == reverse(
        "me:correction_ask", args=["goal", 5, "words"]
    )
    with pytest.raises(NoReverseMatch):
        paths.path_to("me:correction_ask", ["goal", 5.0, "words"])


def test_within_a_request_the_place_is_read_once_and_the_answers_are_reverse_s() -> None:
    from alongside.core import request_id

    _, tokens = request_id.begin()
    try:
        with mock.patch.object(paths, "get_script_prefix", wraps=paths.get_script_prefix) as spy:
            for n in (1, 2, 1, 3):
                assert paths.path_to("coaching:person", [n]) == reverse("coaching:person", args=[n])
            assert paths.path_to("home:home") == reverse("home:home")
        assert spy.call_count == 1
    finally:
        request_id.end(tokens)


def test_a_prefix_from_the_server_is_part_of_the_address() -> None:
    from django.urls import set_script_prefix

    plain = paths.path_to("coaching:person", [4])
    set_script_prefix("/alongside/")
    try:
        assert paths.path_to("coaching:person", [4]) == "/alongside" + plain
    finally:
        set_script_prefix("/")
    assert paths.path_to("coaching:person", [4]) == plain
