"""Recommendations and answers (issue 13, item 5): a convener writes and sends one; only whom
it is addressed to (the leads of that organisation, or the commissioners of a council's
area) may read it once sent and answer it; answers are kept and the latest holds; a declined
answer says why; an edit or answer from an older page never overwrites."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from alongside.accounts.models import Organisation, Role
from alongside.coaching.models import Barrier, Person
from alongside.convening.models import Answer, BarrierPlacement, Recommendation, SystemTheme
from alongside.convening.services import recommendations as services
from alongside.core.models import AuditAction, AuditEntry

from .factories import area, organisation, person_with_sign_in, staff, text_of

pytestmark = pytest.mark.django_db


# --- builders (the home and briefing tests use them too) ---------------------------------------


def shared_barrier(who: Person, service: str, words: str, **extra: Any) -> Barrier:
    return Barrier.objects.create(
        person=who, service=service, what_happened=words, share_with_convening=True, **extra
    )


def theme_with(
    org: Organisation, barriers: list[Barrier], title: str = "The housing register's rule"
) -> SystemTheme:
    theme = SystemTheme.objects.create(organisation=org, title=title, summary="Waiting lists.")
    for barrier in barriers:
        BarrierPlacement.objects.create(
            theme=theme, barrier=barrier, organisation=org, by_convener=True
        )
    return theme


def recommendation(
    world: dict[str, Any],
    *,
    to: str = Recommendation.To.LEADERSHIP,
    addressed_to: Organisation | None = None,
    sent: bool = True,
    answer_by: datetime.date | None = None,
    lands_in: str = Recommendation.LandsIn.SERVICE_DESIGN,
    title: str = "Keep people's place on the list",
    **extra: Any,
) -> Recommendation:
    if addressed_to is None:
        addressed_to = world["council"] if to == Recommendation.To.COMMISSIONER else world["home"]
    return Recommendation.objects.create(
        organisation=world["home"],
        title=title,
        what="Let people keep their place while they are in hospital.",
        to=to,
        addressed_to=addressed_to,
        lands_in=lands_in,
        answer_by=answer_by,
        sent_at=timezone.now() if sent else None,
        **extra,
    )


def answer_post(client, rec: Recommendation, **fields: Any):
    data = {"status": "accepted", "words": "", "what_changed": "", "follow_up_on": ""}
    data.update(version=Recommendation.objects.get(pk=rec.pk).version, **fields)
    return client.post(f"/convening/recommendations/{rec.pk}/answer/", data)


def denied(user, since: int) -> bool:
    return AuditEntry.objects.filter(
        pk__gt=since, actor_id=user.pk, action=AuditAction.DENIED
    ).exists()


def last_audit_id() -> int:
    last = AuditEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


# --- writing and sending ---------------------------------------------------------------------


def test_a_convener_writes_one_links_evidence_and_sends_it_to_the_lead(world, login):
    sam = world["sam"]
    theme = theme_with(world["home"], [shared_barrier(sam, "Housing register", "Struck off.")])
    placement = theme.placements.get()
    client = login(world["convener"])
    form = text_of(client.get("/convening/recommendations/new/"))
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", form.split("<main", 1)[1])
    # The random token left out: it may hold "Sam" by chance.
    assert "Struck off." in form and "Sam" not in main

    response = client.post(
        "/convening/recommendations/new/",
        {
            "organisation": world["home"].pk,
            "title": "Keep people's place on the list",
            "what": "Let people keep their place while they are in hospital.",
            "to": "leadership",
            "addressed_to": world["home"].pk,
            "lands_in": "service_design",
            "themes": [theme.pk],
            "quotes": [placement.pk],
            "answer_by": "2030-01-31",
            "version": "",
        },
    )
    rec = Recommendation.objects.get()
    assert response.status_code == 302
    assert list(rec.quotes.all()) == [placement]
    assert rec.sent_at is None
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_id=str(rec.pk)).exists()

    lead = login(world["lead"])
    # Not sent: whom it is addressed to sees nothing of it yet.
    assert lead.get(f"/convening/recommendations/{rec.pk}/").status_code == 404
    assert "Keep people" not in text_of(lead.get("/"))

    client.post(f"/convening/recommendations/{rec.pk}/send/", {"version": rec.version})
    rec.refresh_from_db()
    assert rec.sent_at is not None
    home = text_of(lead.get("/"))
    assert "Recommendations waiting for your answer" in home
    assert "Keep people's place on the list" in home
    page = text_of(lead.get(f"/convening/recommendations/{rec.pk}/"))
    assert "Struck off." in page and "Your answer" in page


def test_a_quote_from_a_theme_not_linked_is_refused_with_what_typed_kept(world, login):
    theme = theme_with(world["home"], [shared_barrier(world["sam"], "GP", "No address, no GP.")])
    client = login(world["convener"])
    response = client.post(
        "/convening/recommendations/new/",
        {
            "organisation": world["home"].pk,
            "title": "Register people without an address",
            "what": "Ask every surgery to.",
            "to": "leadership",
            "addressed_to": world["home"].pk,
            "lands_in": "system_design",
            "quotes": [theme.placements.get().pk],
        },
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "link its theme too" in page
    assert "Register people without an address" in page
    assert not Recommendation.objects.exists()


def test_to_a_commissioner_needs_a_council(world, login):
    response = login(world["convener"]).post(
        "/convening/recommendations/new/",
        {
            "organisation": world["home"].pk,
            "title": "Fund advocacy",
            "what": "Fund it.",
            "to": "commissioner",
            "addressed_to": world["other"].pk,
            "lands_in": "system_design",
        },
    )
    assert response.status_code == 400
    assert "choose a council" in text_of(response)
    assert not Recommendation.objects.exists()


def test_once_sent_what_it_asks_stays_as_sent(world):
    rec = recommendation(world)
    with pytest.raises(services.RecommendationError):
        services.recommendation_update(
            actor=world["convener"],
            recommendation=rec,
            version=rec.version,
            title="Something else entirely",
            what=rec.what,
            to=rec.to,
            addressed_to=rec.addressed_to,
            lands_in=rec.lands_in,
        )
    # Its dates and where it lands may still change.
    services.recommendation_update(
        actor=world["convener"],
        recommendation=rec,
        version=rec.version,
        title=rec.title,
        what=rec.what,
        to=rec.to,
        addressed_to=rec.addressed_to,
        lands_in=Recommendation.LandsIn.WORKFORCE,
        answer_by=datetime.date(2030, 1, 1),
    )
    rec.refresh_from_db()
    assert rec.lands_in == Recommendation.LandsIn.WORKFORCE and rec.version == 2


def test_once_sent_the_edit_page_keeps_the_ask_and_changes_the_rest(world, login):
    rec = recommendation(world)
    response = login(world["convener"]).post(
        f"/convening/recommendations/{rec.pk}/edit/",
        {
            "organisation": world["home"].pk,
            "title": "A different ask",
            "what": "Something else.",
            "to": "commissioner",
            "addressed_to": world["council"].pk,
            "lands_in": "organisation_development",
            "answer_by": "2030-03-01",
            "version": rec.version,
        },
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.title == "Keep people's place on the list" and rec.to == "leadership"
    assert rec.lands_in == "organisation_development"
    assert rec.answer_by == datetime.date(2030, 3, 1)


def test_an_edit_from_an_older_page_is_refused_and_shows_what_it_says_now(world, login):
    rec = recommendation(world, sent=False)
    client = login(world["convener"])
    fields = {
        "organisation": world["home"].pk,
        "what": rec.what,
        "to": "leadership",
        "addressed_to": world["home"].pk,
        "lands_in": "service_design",
        "version": rec.version,
    }
    first = client.post(
        f"/convening/recommendations/{rec.pk}/edit/", {**fields, "title": "Mine, first"}
    )
    assert first.status_code == 302
    second = client.post(
        f"/convening/recommendations/{rec.pk}/edit/", {**fields, "title": "Theirs, from before"}
    )
    assert second.status_code == 409
    page = text_of(second)
    assert "Someone else changed this recommendation" in page
    assert "Theirs, from before" in page  # what they typed is kept
    rec.refresh_from_db()
    assert rec.title == "Mine, first"


# --- who may answer --------------------------------------------------------------------------


def test_the_lead_it_is_addressed_to_answers_and_nobody_else_may(world, login):
    rec = recommendation(world)
    another_convener = staff(Role.CONVENER, world["other"])
    nobody = [
        world["other_lead"],
        world["commissioner"],
        world["convener"],  # the convener who wrote it does not answer it
        world["coach"],
        world["listener"],
        world["assessor"],
        world["sam"].user,
        another_convener,
    ]
    for user in nobody:
        since = last_audit_id()
        response = answer_post(login(user), rec, status="accepted")
        assert response.status_code == 403, user
        assert denied(user, since), user
    assert not Answer.objects.exists()

    # Reading it: its conveners and the lead; nobody else (refused and audited).
    for user in [world["other_lead"], world["commissioner"], world["coach"], another_convener]:
        since = last_audit_id()
        assert login(user).get(f"/convening/recommendations/{rec.pk}/").status_code == 403, user
        assert denied(user, since), user
    assert login(world["convener"]).get(f"/convening/recommendations/{rec.pk}/").status_code == 200

    response = answer_post(login(world["lead"]), rec, status="accepted", what_changed="Done.")
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.by == world["lead"] and answer.status == "accepted"


def test_to_a_commissioner_only_that_areas_commissioners_answer(world, login):
    rec = recommendation(world, to=Recommendation.To.COMMISSIONER)
    elsewhere = organisation(Organisation.Kind.LOCAL_AUTHORITY, area_obj=area("Elsewhere"))
    other_commissioner = staff(Role.COMMISSIONER, elsewhere)
    for user in [world["lead"], other_commissioner, world["convener"], world["other_lead"]]:
        since = last_audit_id()
        assert answer_post(login(user), rec).status_code == 403, user
        assert denied(user, since), user

    commissioner = login(world["commissioner"])
    assert "Recommendations waiting for your answer" in text_of(commissioner.get("/"))
    assert answer_post(commissioner, rec, status="in_progress").status_code == 302
    assert Answer.objects.get().status == "in_progress"


def test_a_draft_cannot_be_answered(world, login):
    rec = recommendation(world, sent=False)
    assert answer_post(login(world["lead"]), rec).status_code == 404
    with pytest.raises(services.RecommendationError):
        services.answer_add(
            actor=world["lead"], recommendation=rec, version=rec.version, status="accepted"
        )
    assert not Answer.objects.exists()


def test_declining_needs_a_reason(world, login):
    rec = recommendation(world)
    client = login(world["lead"])
    response = answer_post(client, rec, status="declined", words="   ")
    assert response.status_code == 400
    assert "Say why you are declining it." in text_of(response)
    assert not Answer.objects.exists()
    with pytest.raises(services.RecommendationError):
        services.answer_add(
            actor=world["lead"], recommendation=rec, version=rec.version, status="declined"
        )

    assert (
        answer_post(client, rec, status="declined", words="No money this year.").status_code == 302
    )
    page = text_of(login(world["convener"]).get(f"/convening/recommendations/{rec.pk}/"))
    assert "The reason: No money this year." in page


def test_answers_are_kept_and_the_latest_holds(world, login):
    rec = recommendation(world)
    client = login(world["lead"])
    answer_post(client, rec, status="in_progress", words="Looking into it.")
    answer_post(
        client, rec, status="accepted", words="Agreed at the board.", what_changed="New rule."
    )
    assert Answer.objects.count() == 2

    page = text_of(login(world["convener"]).get(f"/convening/recommendations/{rec.pk}/"))
    assert page.index("Looking into it.") < page.index("Agreed at the board.")
    assert "(where it stands now)" in page.split("Looking into it.")[1]
    assert "What changed: New rule." in page
    # Nobody is named: the answer is from "a lead at ...".
    assert f"a lead at {world['home'].name}" in page
    assert world["lead"].username not in page


def test_two_answers_at_once_never_miss_each_other(world, login):
    rec = recommendation(world)
    second_lead = staff(Role.LEAD, world["home"])
    read_at = Recommendation.objects.get(pk=rec.pk).version
    first = login(world["lead"]).post(
        f"/convening/recommendations/{rec.pk}/answer/",
        {"status": "accepted", "words": "Yes.", "version": read_at},
    )
    assert first.status_code == 302
    late = login(second_lead).post(
        f"/convening/recommendations/{rec.pk}/answer/",
        {"status": "declined", "words": "No money.", "version": read_at},
    )
    assert late.status_code == 409
    page = text_of(late)
    assert "someone else answered" in page
    assert "No money." in page  # what they typed is still there
    assert Answer.objects.count() == 1


def test_the_list_shows_each_role_only_its_own(world, login):
    ours = recommendation(world, title="For our leads")
    recommendation(world, title="A draft", sent=False)
    recommendation(world, to=Recommendation.To.COMMISSIONER, title="For the council")
    lead = text_of(login(world["lead"]).get("/convening/recommendations/"))
    assert "For our leads" in lead
    assert "A draft" not in lead and "For the council" not in lead
    council = text_of(login(world["commissioner"]).get("/convening/recommendations/"))
    assert "For the council" in council and "For our leads" not in council
    convener = text_of(login(world["convener"]).get("/convening/recommendations/"))
    assert all(t in convener for t in ("For our leads", "A draft", "For the council"))
    for user in [world["coach"], world["sam"].user, world["listener"]]:
        since = last_audit_id()
        assert login(user).get("/convening/recommendations/").status_code == 403
        assert denied(user, since)
    assert ours.pk


def test_a_person_never_reaches_a_recommendation(world, login):
    rec = recommendation(world)
    jo = person_with_sign_in(world["home"], world["coach"], "Jo")
    client = login(jo.user)
    assert client.get(f"/convening/recommendations/{rec.pk}/").status_code == 403
    assert client.get("/convening/recommendations/new/").status_code == 403


def test_the_recommendation_page_runs_the_same_queries_for_little_or_much_evidence(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rec = recommendation(world)
    client = login(world["lead"])

    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            theme = theme_with(
                world["home"],
                [shared_barrier(world["sam"], "Housing", f"Story {i}.") for _ in range(2)],
                title=f"Theme {i}",
            )
            rec.themes.add(theme)
            rec.quotes.add(*theme.placements.all())
            Answer.objects.create(recommendation=rec, status="in_progress", by=world["lead"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/convening/recommendations/{rec.pk}/").status_code == 200
        return len(captured)

    add(2, 0)
    client.get(f"/convening/recommendations/{rec.pk}/")
    few = queries()
    add(12, 2)
    assert queries() == few, "a query per theme, quote or answer crept in"


def test_a_chosen_quote_leaves_the_moment_its_barrier_is_withdrawn(world, login):
    from alongside.coaching.models import ConsentEvent

    kept = shared_barrier(world["alex"], "Housing", "Kept waiting at the desk.")
    gone = shared_barrier(world["sam"], "Housing", "Sent away three times.")
    theme = theme_with(world["home"], [kept, gone])
    rec = recommendation(world)
    rec.themes.add(theme)
    rec.quotes.set(theme.placements.all())
    client = login(world["lead"])
    page = text_of(client.get(f"/convening/recommendations/{rec.pk}/"))
    assert "Sent away three times." in page and "Kept waiting at the desk." in page

    ConsentEvent.objects.create(
        person=world["sam"],
        choice=ConsentEvent.Choice.SHARE_BARRIERS,
        scope=str(gone.pk),
        given=False,
    )
    page = text_of(client.get(f"/convening/recommendations/{rec.pk}/"))
    assert "Sent away three times." not in page
    assert "Kept waiting at the desk." in page
