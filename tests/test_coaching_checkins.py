"""Check-ins through the real pages: the form, the charts, who may, and loading instruments."""

from __future__ import annotations

import copy
import json
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.coaching import instruments
from alongside.coaching.models import CheckIn, Instrument
from alongside.coaching.services.checkins import checkin_record, instrument_load
from alongside.core.models import AuditAction, AuditEntry

from .factories import text_of

pytestmark = pytest.mark.django_db

ONS4 = instruments.shipped()[0]
REFUSED = ["other_coach", "second_coach", "alex", "commissioner"]


def user_of(world, who):
    return world[who].user if who == "alex" else world[who]


def answers_post(**chosen):
    data = {f"item_{item.key}": "skip" for item in ONS4.items}
    data.update({f"item_{k}": str(v) for k, v in chosen.items()})
    data["taken_on"] = timezone.localdate().isoformat()
    return data


def a_file(data, name="mine.json"):
    return SimpleUploadedFile(name, json.dumps(data).encode(), content_type="application/json")


def swemwbs_like(version="1"):
    """A made-up licensed-style instrument: two items on a 1–5 scale."""
    data = copy.deepcopy(ONS4.raw)
    data.update(key="calm-check", version=version, name="Calm check")
    data["licence"] = {"name": "Our licence", "url": "", "holder": "Someone Else Ltd"}
    data["items"] = [
        {
            "key": "calm",
            "text": "I've been feeling calm",
            "scale": {
                "min": 1,
                "max": 5,
                "anchors": {"1": "None of the time", "5": "All of the time"},
            },
            "direction": "higher_is_better",
            "thresholds": [
                {"min": 1, "max": 2, "label": "Low"},
                {"min": 3, "max": 5, "label": "Higher"},
            ],
        },
        {
            "key": "close",
            "text": "I've been feeling close to other people",
            "scale": {
                "min": 1,
                "max": 5,
                "anchors": {"1": "None of the time", "5": "All of the time"},
            },
            "direction": "higher_is_better",
            "thresholds": [{"min": 1, "max": 5, "label": "Any"}],
            "reference": {"mean": 3.5, "source": "A survey", "period": "2023"},
        },
    ]
    return data


# --- the check-in form ----------------------------------------------------------------


def test_the_form_has_a_radio_group_per_question_with_skip_chosen(world, login):
    sam = world["sam"]
    response = login(world["coach"]).get(f"/people/{sam.pk}/check-ins/add/?instrument=ons4")
    assert response.status_code == 200
    body = text_of(response)
    assert body.count("<fieldset") == 4
    for item in ONS4.items:
        assert f"<legend>{item.text}</legend>" in body
        skip = f'type="radio" name="item_{item.key}" value="skip"'
        assert skip in body
        # Skip is the choice already made, so nothing is assumed.
        assert re.search(rf'name="item_{item.key}" value="skip"[^>]* checked>', body)
        assert not re.search(rf'name="item_{item.key}" value="[0-9]+"[^>]* checked>', body)
    assert "Completely anxious" in body
    assert body.count("Skip this one") == 4


def test_coach_records_a_check_in_with_a_skipped_question(world, login):
    sam = world["sam"]
    client = login(world["coach"])
    response = client.post(
        f"/people/{sam.pk}/check-ins/add/?instrument=ons4",
        answers_post(life_satisfaction=6, worthwhile=7, anxiety=3),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/people/{sam.pk}/check-ins/"
    check_in = CheckIn.objects.get(person=sam)
    assert check_in.answers == {"life_satisfaction": 6, "worthwhile": 7, "anxiety": 3}
    assert "happiness" not in check_in.answers
    assert (check_in.instrument, check_in.instrument_version) == ("ons4", "1")
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, person_id=sam.pk)
    assert entry.actor_id == world["coach"].pk
    assert entry.detail == "check-in recorded"
    followed = text_of(client.get(response["Location"]))
    assert "Check-in saved" in followed


def test_the_person_records_their_own_check_in(world, login):
    sam = world["sam"]
    client = login(sam.user)
    response = client.post(f"/people/{sam.pk}/check-ins/add/", answers_post(happiness=9))
    assert response.status_code == 302
    assert CheckIn.objects.get(person=sam).answers == {"happiness": 9}


def test_a_check_in_with_every_question_skipped_is_not_saved(world, login):
    """Any one question can be skipped, but a check-in with no answer at all is not a
    check-in: the coach is told so, nothing is saved, and the form keeps what was chosen."""
    sam = world["sam"]
    data = answers_post()
    data["taken_on"] = (timezone.localdate() - timedelta(days=2)).isoformat()
    response = login(world["coach"]).post(f"/people/{sam.pk}/check-ins/add/", data)
    assert response.status_code == 200
    body = text_of(response)
    assert "Every question was skipped, so there is nothing to save yet." in body
    assert 'class="error-summary"' in body
    assert f'value="{data["taken_on"]}"' in body  # the date they typed is kept
    for item in ONS4.items:
        assert re.search(rf'name="item_{item.key}" value="skip"[^>]* checked>', body)
    assert not CheckIn.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.CREATE).exists()


def test_the_service_refuses_a_check_in_with_no_answer(world):
    """The same rule in the service, so no page (or future API) can save an empty one."""
    sam = world["sam"]
    for nothing in ({}, {"happiness": None, "anxiety": ""}):
        with pytest.raises(ValidationError) as refused:
            checkin_record(
                actor=world["coach"],
                person=sam,
                instrument=ONS4,
                answers=nothing,
                taken_on=timezone.localdate(),
            )
        assert "Every question was skipped" in refused.value.messages[0]
    assert not CheckIn.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.CREATE).exists()


def test_bad_input_reshows_what_was_typed_and_writes_nothing(world, login):
    sam = world["sam"]
    data = answers_post(life_satisfaction=6, anxiety=2)
    data["taken_on"] = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = login(world["coach"]).post(f"/people/{sam.pk}/check-ins/add/", data)
    assert response.status_code == 200
    body = text_of(response).replace("\n", "")
    assert "The date can't be in the future." in body
    assert re.search(r'name="item_life_satisfaction" value="6"[^>]* checked>', body)
    assert re.search(r'name="item_anxiety" value="2"[^>]* checked>', body)
    assert re.search(r'name="item_happiness" value="skip"[^>]* checked>', body)
    assert f'value="{data["taken_on"]}"' in body
    assert not CheckIn.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.CREATE).exists()


def test_an_answer_off_the_scale_is_refused(world, login):
    sam = world["sam"]
    response = login(world["coach"]).post(
        f"/people/{sam.pk}/check-ins/add/", answers_post(life_satisfaction=11)
    )
    assert response.status_code == 200
    assert "Choose a number, or “Skip this one”." in text_of(response)
    assert not CheckIn.objects.exists()


def test_an_unknown_instrument_is_not_found(world, login):
    sam = world["sam"]
    response = login(world["coach"]).get(f"/people/{sam.pk}/check-ins/add/?instrument=nope")
    assert response.status_code == 404


@pytest.mark.parametrize("who", REFUSED)
def test_others_may_not_add_or_see_check_ins(world, login, who):
    sam = world["sam"]
    CheckIn.objects.create(person=sam, answers={"life_satisfaction": 4})
    client = login(user_of(world, who))
    for path in (f"/people/{sam.pk}/check-ins/", f"/people/{sam.pk}/check-ins/add/"):
        response = client.get(path)
        assert response.status_code == 403
        assert "life_satisfaction" not in text_of(response)
    response = client.post(f"/people/{sam.pk}/check-ins/add/", answers_post(happiness=2))
    assert response.status_code == 403
    assert CheckIn.objects.filter(person=sam).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).count() == 3
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW, person_id=sam.pk).exists()


def test_the_service_checks_answers_and_permission(world):
    sam = world["sam"]
    today = timezone.localdate()
    for bad in ({"life_satisfaction": 11}, {"mood": 3}, {"anxiety": True}, {"anxiety": "x"}):
        with pytest.raises(ValidationError):
            checkin_record(
                actor=world["coach"], person=sam, instrument=ONS4, answers=bad, taken_on=today
            )
    with pytest.raises(ValidationError):
        checkin_record(
            actor=world["coach"],
            person=sam,
            instrument=ONS4,
            answers={},
            taken_on=today + timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        checkin_record(
            actor=world["other_coach"],
            person=sam,
            instrument=ONS4,
            answers={"anxiety": 2},
            taken_on=today,
        )
    assert AuditEntry.objects.filter(action=AuditAction.DENIED, person_id=sam.pk).count() == 1
    assert not CheckIn.objects.exists()
    made = checkin_record(
        actor=sam.user,
        person=sam,
        instrument=ONS4,
        answers={"anxiety": 2, "happiness": None},
        taken_on=today,
    )
    assert made.answers == {"anxiety": 2}


# --- charts and the person page ---------------------------------------------------------


def _sams_check_ins(sam):
    for when, answers in [
        (date(2026, 3, 9), {"life_satisfaction": 3, "worthwhile": 4, "happiness": 3, "anxiety": 8}),
        (date(2026, 4, 6), {"life_satisfaction": 4, "worthwhile": 5, "anxiety": 7}),
        (
            date(2026, 10, 27),
            {"life_satisfaction": 7, "worthwhile": 7, "happiness": 7, "anxiety": 4},
        ),
    ]:
        CheckIn.objects.create(person=sam, taken_on=when, answers=answers)


def test_the_check_ins_page_has_a_chart_and_table_for_each_measure(world, login):
    sam = world["sam"]
    _sams_check_ins(sam)
    response = login(world["coach"]).get(f"/people/{sam.pk}/check-ins/")
    assert response.status_code == 200
    body = text_of(response)
    assert body.count('role="img"') == 4
    assert body.count("<table>") == 4
    assert (
        "Life satisfaction rose from 3 in March to 7 in October, over 3 check-ins; "
        "the UK average is 7.45." in body
    )
    assert "Anxiety fell from 8 in March to 4 in October" in body
    assert "Skipped" in body  # happiness in April
    assert "Very high" not in body and "Medium" in body
    assert "Open Government Licence v3.0" in body
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, person_id=sam.pk).count() == 1


def test_the_person_page_shows_the_latest_check_in_and_links_to_the_charts(world, login):
    sam = world["sam"]
    _sams_check_ins(sam)
    body = text_of(login(sam.user).get(f"/people/{sam.pk}/"))
    assert "3 check-ins. The latest, on 27 October 2026" in body
    assert f'href="/people/{sam.pk}/check-ins/"' in body
    assert "7.45" in body and "High" in body


def test_no_check_ins_yet(world, login):
    sam = world["sam"]
    body = text_of(login(world["coach"]).get(f"/people/{sam.pk}/check-ins/"))
    assert "No check-ins yet." in body


def test_the_check_ins_page_has_a_fixed_query_count(world, login):
    sam = world["sam"]
    client = login(world["coach"])
    _sams_check_ins(sam)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/people/{sam.pk}/check-ins/").status_code == 200
        return len(captured)

    few = count()
    for i in range(20):
        CheckIn.objects.create(
            person=sam, taken_on=date(2025, 1, 1) + timedelta(days=i), answers={"anxiety": i % 11}
        )
    assert count() == few


# --- loading an instrument ---------------------------------------------------------------


def test_a_lead_sees_the_instruments(world, login):
    body = text_of(login(world["lead"]).get("/people/instruments/"))
    assert "ONS personal well-being (ONS4)" in body
    assert "None yet." in body


def test_a_lead_loads_an_instrument_and_it_can_be_used(world, login):
    client = login(world["lead"])
    response = client.post("/people/instruments/load/", {"file": a_file(swemwbs_like())})
    assert response.status_code == 302
    loaded = Instrument.objects.get()
    assert (loaded.organisation, loaded.key, loaded.version) == (world["home"], "calm-check", "1")
    assert loaded.loaded_by == world["lead"]
    entry = AuditEntry.objects.get(action=AuditAction.CREATE)
    assert entry.detail == f"instrument loaded {loaded.pk}"
    assert "Calm check" in text_of(client.get("/people/instruments/"))

    # A coach can now use it for a check-in.
    sam = world["sam"]
    coach = login(world["coach"])
    chooser = text_of(coach.get(f"/people/{sam.pk}/check-ins/add/"))
    assert "Calm check" in chooser and "ONS personal well-being" in chooser
    form = coach.get(f"/people/{sam.pk}/check-ins/add/?instrument=calm-check")
    assert "I've been feeling calm" in text_of(form)
    response = coach.post(
        f"/people/{sam.pk}/check-ins/add/?instrument=calm-check",
        {"item_calm": "4", "item_close": "skip", "taken_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    check_in = CheckIn.objects.get(person=sam)
    assert (check_in.instrument, check_in.answers) == ("calm-check", {"calm": 4})
    body = text_of(coach.get(f"/people/{sam.pk}/check-ins/"))
    assert "Calm check" in body and "reference average" in body
    # Not for another organisation's people.
    jo = world["jo"]
    other = login(world["other_coach"])
    assert other.get(f"/people/{jo.pk}/check-ins/add/?instrument=calm-check").status_code == 404


def test_an_instruments_own_words_are_escaped_on_the_form_and_the_charts(world, login):
    """The form's radios and the charts are written in Python (for speed), not by the
    template: every word a loaded file brings must still be escaped."""
    data = swemwbs_like()
    item = data["items"][0]
    item["text"] = "Calm <b>now</b>?"
    item["label"] = 'Calm "<i>"'
    item["scale"]["anchors"] = {"1": "<script>x()</script>", "5": "All & more"}
    item["thresholds"] = [{"min": 1, "max": 5, "label": "<em>Band</em>"}]
    client = login(world["lead"])
    assert client.post("/people/instruments/load/", {"file": a_file(data)}).status_code == 302
    sam = world["sam"]
    coach = login(world["coach"])
    form = coach.get(f"/people/{sam.pk}/check-ins/add/?instrument=calm-check").content.decode()
    assert "<script>x()" not in form and "&lt;script&gt;x()&lt;/script&gt;" in form
    assert "Calm &lt;b&gt;now&lt;/b&gt;?" in form and "All &amp; more" in form
    assert '<input type="radio" name="item_calm" value="skip" id="id_item_calm_0" checked>' in form
    assert '<input type="radio" name="item_calm" value="3" id="id_item_calm_3">' in form
    CheckIn.objects.create(
        person=sam, instrument="calm-check", taken_on=date(2026, 9, 3), answers={"calm": 3}
    )
    page = coach.get(f"/people/{sam.pk}/check-ins/").content.decode()
    assert "<em>" not in page and "<i>" not in page
    assert "&lt;em&gt;Band&lt;/em&gt;" in page
    assert "<h3>Calm &quot;&lt;i&gt;&quot;</h3>" in page
    assert "<td>3 Sep 2026</td>" in page


def test_a_bad_file_shows_every_problem_and_keeps_nothing(world, login):
    data = swemwbs_like()
    data["items"][0]["scale"]["max"] = 0
    data["items"][1]["key"] = "calm"
    del data["licence"]
    response = login(world["lead"]).post("/people/instruments/load/", {"file": a_file(data)})
    assert response.status_code == 200
    body = text_of(response)
    assert "items[0].scale.max must be a whole number bigger than min" in body
    assert 'items[1].key "calm" is used by an earlier item' in body
    assert "licence is missing" in body
    assert not Instrument.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.CREATE).exists()


def test_a_file_must_be_json_whatever_it_is_called(world, login):
    client = login(world["lead"])
    fake = SimpleUploadedFile(
        "looks.json", b"<html>not json</html>", content_type="application/json"
    )
    body = text_of(client.post("/people/instruments/load/", {"file": fake}))
    assert "the file is not valid JSON" in body
    big = SimpleUploadedFile("big.json", b" " * (instruments.MAX_UPLOAD_BYTES + 1))
    body = text_of(client.post("/people/instruments/load/", {"file": big}))
    assert "The file is too big" in body
    # A JSON file called .txt is fine: the content decides.
    named_txt = a_file(swemwbs_like(), name="calm.txt")
    assert client.post("/people/instruments/load/", {"file": named_txt}).status_code == 302
    assert Instrument.objects.count() == 1


def test_a_version_cannot_be_replaced_once_loaded(world, login):
    client = login(world["lead"])
    client.post("/people/instruments/load/", {"file": a_file(swemwbs_like())})
    changed = swemwbs_like()
    changed["name"] = "Calm check, changed"
    body = text_of(client.post("/people/instruments/load/", {"file": a_file(changed)}))
    assert 'Version "1" of "calm-check" is already loaded and can\'t be replaced' in body
    assert Instrument.objects.get().name == "Calm check"
    assert (
        client.post(
            "/people/instruments/load/", {"file": a_file(swemwbs_like(version="2"))}
        ).status_code
        == 302
    )
    assert Instrument.objects.count() == 2


def test_a_shipped_key_cannot_be_loaded_over(world, login):
    data = copy.deepcopy(ONS4.raw)
    data["version"] = "2"
    body = text_of(login(world["lead"]).post("/people/instruments/load/", {"file": a_file(data)}))
    assert "comes with Alongside" in body
    assert not Instrument.objects.exists()


@pytest.mark.parametrize("who", ["coach", "other_coach", "second_coach", "alex", "commissioner"])
def test_only_leads_manage_instruments(world, login, who):
    client = login(user_of(world, who))
    assert client.get("/people/instruments/").status_code == 403
    response = client.post("/people/instruments/load/", {"file": a_file(swemwbs_like())})
    assert response.status_code == 403
    assert not Instrument.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.DENIED).count() == 2


def test_a_lead_may_not_load_into_another_organisation(world, login):
    client = login(world["other_lead"])
    home = world["home"].pk
    assert client.get(f"/people/instruments/?organisation={home}").status_code == 403
    response = client.post(
        f"/people/instruments/load/?organisation={home}", {"file": a_file(swemwbs_like())}
    )
    assert response.status_code == 403
    assert not Instrument.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.DENIED).count() == 2
    with pytest.raises(PermissionDenied):
        instrument_load(
            actor=world["other_lead"],
            organisation=world["home"],
            raw=json.dumps(swemwbs_like()).encode(),
        )


def test_the_person_page_compares_the_latest_check_in_with_the_one_before_and_the_average(
    world, login
):
    from alongside.coaching.models import CheckIn

    sam = world["sam"]
    early = {"life_satisfaction": 3, "worthwhile": 4, "happiness": 3, "anxiety": 8}
    later = {"life_satisfaction": 7, "worthwhile": 7, "happiness": 6, "anxiety": 4}
    CheckIn.objects.create(person=sam, taken_on="2026-03-01", answers=early)
    CheckIn.objects.create(person=sam, taken_on="2026-09-01", answers=later)
    body = text_of(login(world["coach"]).get(f"/people/{sam.pk}/"))
    assert "beside the one before on 1 March 2026" in body
    assert "Since the one before" in body and "UK average" in body
    assert "up 4" in body, "life satisfaction went from 3 to 7"
    assert "up 3" in body and "down 4" in body, "worthwhile 4 → 7, anxiety 8 → 4"
    assert "7.45" in body
    # The charts over time are one click away, on the check-ins page, each with its table.
    assert "a chart of each question over time" in body
    charts = login(world["coach"]).get(f"/people/{sam.pk}/check-ins/").content.decode()
    assert charts.count('role="img"') == 4, "one chart per ONS4 measure"
