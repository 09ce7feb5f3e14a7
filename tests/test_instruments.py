"""Instrument definitions: the shipped ONS4 file, and the validator's plain-English errors."""

from __future__ import annotations

import copy
import json

import pytest

from alongside.coaching import instruments


def ons4() -> dict:
    return copy.deepcopy(instruments.shipped()[0].raw)


def test_ons4_is_shipped_with_the_gss_wording_thresholds_and_uk_means():
    definition = next(d for d in instruments.shipped() if d.key == "ons4")
    assert definition.version == "1"
    assert definition.licence_name == "Open Government Licence v3.0"
    assert "Crown copyright" in definition.licence_holder
    keys = [item.key for item in definition.items]
    assert keys == ["life_satisfaction", "worthwhile", "happiness", "anxiety"]
    life = definition.item("life_satisfaction")
    assert life.text == "Overall, how satisfied are you with your life nowadays?"
    assert (life.min, life.max) == (0, 10)
    assert life.anchors == {0: "Not at all", 10: "Completely"}
    assert life.reference_mean == 7.45
    assert "Annual Population Survey" in life.reference_source
    assert life.reference_period == "year ending March 2023"
    assert [life.band(v) for v in (0, 4, 5, 6, 7, 8, 9, 10)] == [
        "Low", "Low", "Medium", "Medium", "High", "High", "Very high", "Very high",
    ]  # fmt: skip
    anxiety = definition.item("anxiety")
    assert anxiety.direction == "lower_is_better"
    assert anxiety.reference_mean == 3.23
    assert anxiety.high_anchor == "Completely anxious"
    assert [anxiety.band(v) for v in (0, 1, 2, 3, 4, 5, 6, 10)] == [
        "Very low", "Very low", "Low", "Low", "Medium", "Medium", "High", "High",
    ]  # fmt: skip
    assert definition.item("worthwhile").reference_mean == 7.73
    assert definition.item("happiness").reference_mean == 7.39


def test_the_shipped_file_validates_cleanly():
    assert instruments.validate(ons4()) == []


def test_not_an_object():
    assert instruments.validate([1, 2]) == [
        "the file must hold one JSON object, starting with { and ending with }"
    ]


def test_scale_max_must_be_bigger_than_min_and_the_path_says_where():
    data = ons4()
    data["items"][2]["scale"]["max"] = 0
    problems = instruments.validate(data)
    assert "items[2].scale.max must be a whole number bigger than min" in problems


def test_unknown_keys_are_errors_at_every_level():
    data = ons4()
    data["colour"] = "blue"
    data["items"][1]["weight"] = 2
    data["items"][0]["scale"]["step"] = 1
    problems = " | ".join(instruments.validate(data))
    assert "colour is not something an instrument file can have" in problems
    assert "items[1].weight is not something" in problems
    assert "items[0].scale.step is not something" in problems


def test_duplicate_item_keys():
    data = ons4()
    data["items"][3]["key"] = "worthwhile"
    problems = instruments.validate(data)
    assert any(
        p.startswith('items[3].key "worthwhile" is used by an earlier item') for p in problems
    )


def test_thresholds_must_cover_the_scale_without_overlapping():
    data = ons4()
    data["items"][0]["thresholds"][1] = {"min": 4, "max": 6, "label": "Medium"}
    data["items"][1]["thresholds"].pop()  # 9–10 now has no band
    problems = instruments.validate(data)
    assert any(
        p.startswith("items[0].thresholds[1] overlaps items[0].thresholds[0] at 4")
        for p in problems
    ), problems
    assert "items[1].thresholds do not cover the whole scale: no band for 9, 10" in problems


def test_anchors_outside_the_scale():
    data = ons4()
    data["items"][0]["scale"]["anchors"]["11"] = "Off the scale"
    problems = instruments.validate(data)
    assert 'items[0].scale.anchors["11"] is outside the scale (0 to 10)' in problems


def test_missing_licence_and_missing_parts():
    data = ons4()
    del data["licence"]
    del data["items"][0]["text"]
    problems = instruments.validate(data)
    assert "licence is missing" in problems
    assert "items[0].text is missing" in problems
    data = ons4()
    data["licence"] = {"name": ""}
    problems = " | ".join(instruments.validate(data))
    assert "licence.name is missing" in problems
    assert "licence.holder is missing" in problems


def test_every_problem_is_listed_at_once():
    data = ons4()
    data["version"] = 2
    data["items"][0]["direction"] = "up"
    data["items"][1]["reference"]["mean"] = 12
    data["scoring"] = {"method": "total", "items": ["life_satisfaction", "nope"]}
    problems = instruments.validate(data)
    assert len(problems) == 4, problems
    assert 'items[0].direction must be "higher_is_better" or "lower_is_better"' in problems
    assert "items[1].reference.mean is outside the scale (0 to 10)" in problems
    assert 'scoring.items[1] "nope" is not one of the items' in problems


def test_wrong_types_give_messages_not_tracebacks():
    for junk in (
        {"items": "lots"},
        {"items": [None, 3, {"scale": []}]},
        {"items": [{"key": 5, "scale": {"min": "a", "max": None, "anchors": []}}]},
        {"items": [{"thresholds": [{"min": 3, "max": 1}], "scale": {"min": 0, "max": 4}}]},
        {"licence": "OGL", "scoring": "per_item"},
    ):
        problems = instruments.validate(junk)
        assert problems and all(isinstance(p, str) for p in problems)


def test_parse_checks_size_and_json_whatever_the_file_is_called():
    good = json.dumps(ons4()).encode()
    assert instruments.parse(good)[1] == []
    data, problems = instruments.parse(b"PK\x03\x04 not json at all")
    assert data is None and problems[0].startswith("the file is not valid JSON")
    data, problems = instruments.parse(b"\xff\xfe\x00")
    assert data is None and "not text" in problems[0]
    data, problems = instruments.parse(b" " * (instruments.MAX_UPLOAD_BYTES + 1))
    assert data is None and problems[0].startswith("the file is too big")


def test_build_refuses_a_bad_definition_with_every_problem():
    data = ons4()
    del data["licence"]
    with pytest.raises(instruments.InstrumentError) as error:
        instruments.build(data)
    assert error.value.problems == ["licence is missing"]


# --- links: only http(s) web addresses ---------------------------------------------------

UNSAFE_LINKS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/licence",
    "/licence",
    "https://",
]
LINK_PROBLEM = "licence.url must be a web address starting with https:// or http://"


@pytest.mark.parametrize("url", UNSAFE_LINKS)
def test_a_licence_link_that_is_not_a_web_address_is_refused_in_plain_words(url):
    data = ons4()
    data["licence"]["url"] = url
    problems = instruments.validate(data)
    assert len(problems) == 1
    assert problems[0].startswith(LINK_PROBLEM)
    assert "javascript:" in problems[0], "the message names the kind of link refused"


@pytest.mark.parametrize(
    "url", ["https://example.org/licence", "http://example.org/licence?v=2", ""]
)
def test_web_addresses_and_no_link_at_all_are_fine(url):
    data = ons4()
    data["licence"]["url"] = url
    assert instruments.validate(data) == []


def test_loading_a_file_with_a_javascript_licence_link_is_refused():
    data = ons4()
    data["key"] = "calm-check"
    data["licence"]["url"] = "javascript:alert(1)"
    loaded, problems = instruments.parse(json.dumps(data).encode())
    assert loaded is None
    assert any(p.startswith(LINK_PROBLEM) for p in problems)


@pytest.mark.django_db
def test_the_load_page_refuses_it_with_a_clear_message_and_keeps_nothing(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from alongside.coaching.models import Instrument

    from .factories import text_of

    data = ons4()
    data.update(key="calm-check", name="Calm check")
    data["licence"]["url"] = "javascript:alert(1)"
    upload = SimpleUploadedFile("calm.json", json.dumps(data).encode(), "application/json")
    response = login(world["lead"]).post("/people/instruments/load/", {"file": upload})
    assert response.status_code == 200
    assert LINK_PROBLEM in text_of(response)
    assert not Instrument.objects.exists()


@pytest.mark.django_db
def test_a_row_stored_before_the_check_shows_its_licence_without_the_link(world):
    from alongside.coaching.models import Instrument

    data = ons4()
    data.update(key="calm-check", name="Calm check")
    data["licence"]["url"] = "javascript:alert(1)"
    Instrument.objects.create(
        organisation=world["home"],
        key="calm-check",
        version="1",
        name="Calm check",
        definition=data,
        loaded_by=world["lead"],
    )
    loaded = instruments.latest(instruments.available(world["home"]), "calm-check")
    assert loaded is not None
    assert loaded.licence_url == ""
    assert loaded.licence_name == data["licence"]["name"]


@pytest.mark.parametrize("url", UNSAFE_LINKS)
def test_the_safe_link_filter_drops_anything_but_a_web_address(url):
    from django.template import Context, Template

    template = Template(
        "{% load alongside %}{% with href=url|safe_link %}"
        '{% if href %}<a href="{{ href }}">Licence</a>{% else %}Licence{% endif %}{% endwith %}'
    )
    assert template.render(Context({"url": url})) == "Licence"
    good = template.render(Context({"url": "https://example.org/licence"}))
    assert good == '<a href="https://example.org/licence">Licence</a>'
