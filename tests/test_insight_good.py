"""What good looks like (issue 14, item 5): statements in three voices, drafted, discussed and
agreed; who took part, named only with consent; ways to track each, with values over time,
protected by disclosure control; and nobody but the area's analysts and commissioners in."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.coaching.models import Goal, Person
from alongside.core.models import AuditEntry
from alongside.insight.models import Statement, StatementPerson, Tracker, TrackerValue
from alongside.insight.selectors import good as selectors
from alongside.insight.services import good as services
from alongside.listening.models import Contribution, Exercise, Report

from . import factories
from .factories import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return factories.world()


def _statement(w, **extra) -> Statement:
    fields = {"voice": "i", "words": "I can get help without telling my story again"}
    fields.update(extra)
    return services.statement_create(actor=w["analyst"], area=w["area"], **fields)


def test_draft_edit_discuss_and_agree_a_statement(w, login):
    client = login(w["analyst"])
    response = client.post(
        reverse("insight:statement_new"),
        {
            "area": w["area"].pk,
            "voice": "together",
            "words": "Nobody has to tell their story twice",
            "discussion": "Said first at the spring gathering.",
        },
    )
    statement = Statement.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("insight:statement", args=[statement.pk])
    assert statement.organisation == w["council"]
    assert statement.status == Statement.Status.DRAFT

    page = text_of(client.get(response.url))
    assert "Nobody has to tell their story twice" in page
    assert "Together (the area)" in page
    assert "Drafted" in page
    assert "Mark as discussed" in page and "Agree it" in page

    edit = reverse("insight:statement_edit", args=[statement.pk])
    response = client.post(
        edit,
        {
            "area": w["area"].pk,
            "voice": "together",
            "words": "Nobody has to tell their story more than once",
            "discussion": "Changed at the summer gathering.",
            "version": statement.version,
        },
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.words == "Nobody has to tell their story more than once"
    assert statement.version == 2

    status = reverse("insight:statement_status", args=[statement.pk])
    client.post(status, {"status": "discussed", "version": 2})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DISCUSSED
    assert statement.agreed_on is None
    client.post(status, {"status": "agreed", "version": 3})
    statement.refresh_from_db()
    assert statement.status == Statement.Status.AGREED
    assert statement.agreed_on == timezone.localdate()

    page = text_of(client.get(reverse("insight:statement", args=[statement.pk])))
    assert "Agreed on " in page
    assert "Marked as being discussed" in page  # the history, from the audit log
    assert "Agree it" not in page

    listed = text_of(client.get(reverse("insight:good")))
    assert "Nobody has to tell their story more than once" in listed
    assert "Agreed on " in listed


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(w, login):
    statement = _statement(w)
    services.statement_update(
        actor=w["commissioner"],
        statement=statement,
        version=1,
        words="I am believed the first time",
        voice="i",
    )
    client = login(w["analyst"])
    response = client.post(
        reverse("insight:statement_edit", args=[statement.pk]),
        {"area": w["area"].pk, "voice": "i", "words": "My words, typed carefully", "version": 1},
    )
    assert response.status_code == 409
    page = text_of(response)
    assert "My words, typed carefully" in page  # what was typed
    assert "I am believed the first time" in page  # what it says now
    statement.refresh_from_db()
    assert statement.words == "I am believed the first time"
    # A stale status button is refused too.
    client.post(
        reverse("insight:statement_status", args=[statement.pk]),
        {"status": "agreed", "version": 1},
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT


def test_an_empty_statement_is_refused_with_a_message(w, login):
    response = login(w["analyst"]).post(
        reverse("insight:statement_new"), {"area": w["area"].pk, "voice": "we", "words": "  "}
    )
    assert response.status_code == 400
    assert "Write the statement." in text_of(response)
    assert not Statement.objects.exists()


def test_a_person_without_consent_is_never_named(w, login):
    statement = _statement(w)
    client = login(w["analyst"])
    people = reverse("insight:statement_person_add", args=[statement.pk])
    client.post(people, {"name": "Marigold Quill", "role": "", "consents_to_be_named": ""})
    client.post(people, {"name": "Rowan Ashby", "role": "a carer", "consents_to_be_named": "on"})
    client.post(people, {"name": "Tamsin Hollow", "role": "a carer"})
    kept = list(StatementPerson.objects.order_by("pk").values_list("name", "role"))
    assert kept == [
        ("", "a person with lived experience"),
        ("Rowan Ashby", "a carer"),
        ("", "a carer"),
    ]
    page = text_of(client.get(reverse("insight:statement", args=[statement.pk])))
    assert "Rowan Ashby" in page
    assert "Marigold Quill" not in page and "Tamsin Hollow" not in page
    assert "A person with lived experience" in page
    assert "fewer than 10" in page  # the unnamed are counted, protected
    # Nor does the audit log keep a name.
    assert not AuditEntry.objects.filter(detail__icontains="Marigold").exists()
    assert not AuditEntry.objects.filter(detail__icontains="Rowan").exists()
    # Ticking consent without a name is explained, not saved.
    response = client.post(people, {"name": "", "consents_to_be_named": "on"})
    assert response.status_code == 400
    assert "Write the name they would like shown" in text_of(response)


def test_survey_values_under_10_respondents_are_not_shown(w, login):
    statement = _statement(w)
    client = login(w["analyst"])
    client.post(
        reverse("insight:tracker_new", args=[statement.pk]),
        {"kind": "survey", "title": "I felt listened to"},
    )
    tracker = Tracker.objects.get()
    values = reverse("insight:tracker_value_add", args=[tracker.pk])
    response = client.post(
        values, {"period_start": "2026-04-01", "value": "48.25", "respondents": "9"}
    )
    assert response.status_code == 302
    client.post(values, {"period_start": "2026-07-01", "value": "63.5", "respondents": "23"})
    assert TrackerValue.objects.count() == 2
    page = text_of(client.get(reverse("insight:statement", args=[statement.pk])))
    assert "48.25" not in page
    assert "63.5" in page
    assert "1 April 2026" in page and "2026-04-01" not in page  # dates in words
    assert "<svg" in page  # the chart, beside its table
    assert "about 25 answered" in page  # 23, rounded
    # The summary for the home page and the briefing says the same.
    (group_i, _, _) = selectors.summary(w["area"])
    assert group_i.statements[0].trackers[0].latest.startswith("63.5 for the period from")
    # A value that is not a number is explained, and what was typed stays.
    response = client.post(
        values, {"period_start": "2026-10-01", "value": "lots", "respondents": "3"}
    )
    assert response.status_code == 400
    assert "Write the value as a number." in text_of(response)


def test_a_measure_tracker_shows_its_months(w, login):
    w["home"].shares_coaching_figures_in_area = True
    w["home"].save()
    people = Person.objects.bulk_create(
        [Person(organisation=w["home"], chosen_name=f"P{i}") for i in range(12)]
    )
    Goal.objects.bulk_create([Goal(person=p, words="x") for p in people])
    statement = _statement(w)
    client = login(w["commissioner"])
    response = client.post(
        reverse("insight:tracker_new", args=[statement.pk]),
        {"kind": "measure", "measure": "goals_own_words"},
    )
    assert response.status_code == 302
    tracker = Tracker.objects.get()
    assert tracker.title == "Goals in people's own words"
    page = text_of(client.get(reverse("insight:statement", args=[statement.pk])))
    assert "100% (of about 10 goals started)" in page
    assert "<svg" in page
    assert "fewer than 10" in page  # the months before, with nothing behind them
    # A measure that is not in the registry is refused.
    response = client.post(
        reverse("insight:tracker_new", args=[statement.pk]), {"kind": "measure", "measure": "x"}
    )
    assert response.status_code == 400


def test_stories_tracker_counts_and_never_shows_words(w, login):
    exercise = Exercise.objects.create(
        organisation=w["home"], title="Being heard at the housing office", question="What helps?"
    )
    Contribution.objects.bulk_create(
        [
            Contribution(exercise=exercise, channel="phone", text=f"Secret words {i}")
            for i in range(11)
        ]
    )
    elsewhere = Exercise.objects.create(
        organisation=factories.organisation(area_obj=factories.area()),
        title="Far away",
        question="?",
    )
    statement = _statement(w)
    client = login(w["analyst"])
    form = text_of(client.get(reverse("insight:tracker_new", args=[statement.pk])))
    assert "Being heard at the housing office (about 10 heard)" in form
    assert "Far away" not in form
    # An exercise of another area is refused.
    response = client.post(
        reverse("insight:tracker_new", args=[statement.pk]),
        {"kind": "stories", "exercise": elsewhere.pk},
    )
    assert response.status_code == 400
    client.post(
        reverse("insight:tracker_new", args=[statement.pk]),
        {"kind": "stories", "exercise": exercise.pk},
    )
    page = text_of(client.get(reverse("insight:statement", args=[statement.pk])))
    assert "Being heard at the housing office" in page
    assert "About 10 stories heard" in page
    assert "Secret words" not in page
    assert "Read the published report" not in page  # not published yet
    report = Report.objects.create(exercise=exercise, published_at=timezone.now())
    page = text_of(client.get(reverse("insight:statement", args=[statement.pk])))
    assert reverse("listening:report_public", args=[report.public_token]) in page
    assert "Secret words" not in page


@pytest.mark.parametrize("who", ["coach", "lead", "convener", "sam"])
def test_nobody_else_may_see_or_change_it(w, login, who):
    statement = _statement(w)
    tracker = services.tracker_create(
        actor=w["analyst"], statement=statement, kind="survey", title="Listened to"
    )
    user = w[who].user if who == "sam" else w[who]
    client = login(user)
    for url in (
        reverse("insight:good"),
        reverse("insight:statement_new"),
        reverse("insight:statement", args=[statement.pk]),
        reverse("insight:statement_edit", args=[statement.pk]),
        reverse("insight:statement_person_add", args=[statement.pk]),
        reverse("insight:tracker_new", args=[statement.pk]),
        reverse("insight:tracker_value_add", args=[tracker.pk]),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("insight:statement_status", args=[statement.pk]),
        {"status": "agreed", "version": 1},
    )
    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT
    assert "I can get help" not in text_of(client.get(reverse("insight:good")))


def test_another_areas_commissioner_is_refused(w, login):
    statement = _statement(w)
    tracker = services.tracker_create(
        actor=w["analyst"], statement=statement, kind="survey", title="Listened to"
    )
    elsewhere = factories.area()
    council = factories.organisation("local_authority", area_obj=elsewhere)
    stranger = factories.staff("commissioner", council)
    client = login(stranger)
    # Their own area's page opens, empty of ours.
    page = client.get(reverse("insight:good"))
    assert page.status_code == 200
    assert "I can get help" not in text_of(page)
    # Ours, asked for by its id, is refused.
    assert client.get(reverse("insight:good") + f"?area={w['area'].pk}").status_code == 403
    assert client.get(reverse("insight:statement", args=[statement.pk])).status_code == 403
    response = client.post(
        reverse("insight:statement_edit", args=[statement.pk]),
        {"area": elsewhere.pk, "voice": "we", "words": "Taken over", "version": 1},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("insight:tracker_value_add", args=[tracker.pk]),
        {"period_start": "2026-04-01", "value": "1", "respondents": "50"},
    )
    assert response.status_code == 403
    assert not TrackerValue.objects.exists()
    statement.refresh_from_db()
    assert statement.words.startswith("I can get help")
    assert client.get(reverse("insight:statement", args=[999999])).status_code == 404


def test_summary_is_three_voices_in_order(w):
    _statement(w, voice="we", words="We reply within a week")
    groups = selectors.summary(w["area"], months=[date(2026, 6, 1)])
    assert [g.voice for g in groups] == ["i", "we", "together"]
    assert groups[0].statements == [] and groups[2].statements == []
    row = groups[1].statements[0]
    assert (row.words, row.status_words, row.trackers) == ("We reply within a week", "Drafted", [])


def test_an_agreed_statement_can_go_back_to_discussion(w):
    statement = _statement(w)
    services.statement_set_status(
        actor=w["analyst"], statement=statement, status="agreed", version=1, today=date(2026, 5, 4)
    )
    assert selectors.status_words(statement) == "Agreed on 4 May 2026"
    with pytest.raises(services.StatementError):
        services.statement_set_status(
            actor=w["analyst"], statement=statement, status="agreed", version=2
        )
    services.statement_set_status(
        actor=w["commissioner"], statement=statement, status="discussed", version=2
    )
    statement.refresh_from_db()
    assert (statement.status, statement.agreed_on) == ("discussed", None)
    steps = [what for what, _ in selectors.history(statement)]
    assert steps == ["Drafted", "Agreed", "Marked as being discussed"]
