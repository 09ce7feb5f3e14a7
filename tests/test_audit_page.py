"""The audit trail a lead can use (/audit/, /audit.csv): rows in words, filters, every row
page by page, a spreadsheet safe to open, reading it audited, and nobody else let in."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.accounts.models import Membership, Organisation, Role
from alongside.coaching.models import Goal
from alongside.core import audit
from alongside.core.models import AuditAction, AuditEntry
from alongside.home.audit import phrasing, selectors

from .factories import person, text_of

pytestmark = pytest.mark.django_db

DAY_AND_TIME = re.compile(
    r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} "
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"( \d{4})?, \d\d:\d\d"
)


def _named(world):
    for key, name in (("coach", "Priya"), ("lead", "Morag"), ("other_lead", "Olu")):
        world[key].first_name = name
        world[key].save()
    world["commissioner"].first_name = "Aisha"
    world["commissioner"].save()


def _entry(actor, action, *, at, person=None, org=None, detail="", object_type="") -> AuditEntry:
    return AuditEntry.objects.create(
        at=at,
        actor=actor,
        action=action,
        object_type=object_type or ("coaching.person" if person else ""),
        object_id=str(person.pk) if person else "",
        person_id=person.pk if person else None,
        organisation_id=org.pk if org else None,
        detail=detail,
    )


def _rows(response) -> list[str]:
    """The "What happened" cells of the page's table, in order."""
    body = response.content.decode()
    return [
        text_of_cell(cell) for cell in re.findall(r'data-label="What happened">(.*?)</td>', body)
    ]


def text_of_cell(cell: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", cell)).replace("Stopped ", "", 1).strip()


def _csv(response) -> list[dict[str, str]]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


# --- words -------------------------------------------------------------------------------------


def test_rows_read_as_sentences_with_dates_in_uk_time(world, login):
    _named(world)
    sam, coach, home = world["sam"], world["coach"], world["home"]
    # 10:04 UTC on 1 December is 10:04 in London; 09:00 UTC on 1 July is 10:00 (summer time).
    _entry(coach, AuditAction.VIEW, at=datetime(2026, 12, 1, 10, 4, tzinfo=UTC),
           person=sam, org=home, detail="budget")  # fmt: skip
    goal = Goal.objects.create(person=sam, words="Find a flat")
    with_goal = audit.record(coach, AuditAction.CREATE, goal, detail="goal added")
    assert with_goal.organisation_id is None  # a part of a record names only the person
    _entry(sam.user, AuditAction.VIEW, at=datetime(2026, 7, 1, 9, 0, tzinfo=UTC),
           person=sam, org=home, detail="my space everything")  # fmt: skip

    response = login(world["lead"]).get("/audit/")
    assert response.status_code == 200
    page = text_of(response)
    assert "Priya read Sam's budget" in page
    assert "Tuesday 1 December" in page and ", 10:04" in page
    assert "Priya added a goal to Sam's record" in page
    assert "Sam read their own record" in page
    assert "Wednesday 1 July" in page and ", 10:00" in page
    for code in ("coaching.person", "coaching.goal", "goal added", "AuditEntry object", "+00:00"):
        assert code not in page
    cells = re.findall(r'data-label="When">([^<]*)<', response.content.decode())
    assert cells and all(DAY_AND_TIME.fullmatch(cell) for cell in cells), cells


def test_every_phrase_in_the_table_makes_a_sentence():
    names = phrasing.Names(actor="Priya", person="Sam")
    for action, detail, _template in phrasing.PHRASES:
        words = phrasing.sentence(action, detail, "coaching.goal", names)
        assert "{" not in words and words[0].isupper(), words
        assert "Priya" in words, words


def test_rows_no_phrase_knows_still_read_as_words():
    names = phrasing.Names(actor="Priya", person="Sam")
    assert (
        phrasing.sentence("create", "something new", "coaching.strength", names)
        == "Priya added a strength to Sam's record"
    )
    nobody = phrasing.Names(actor="", person="")
    assert phrasing.sentence("view", "", "listening.exercise", nobody) == (
        "Someone looked at a listening exercise"
    )
    assert phrasing.sentence("unheard-of", "", "x.y", nobody) == "Someone acted"
    erased = phrasing.Names(actor="Morag", person="", person_erased=True)
    assert phrasing.sentence("change", "record erased", "coaching.erasurerequest", erased) == (
        "Morag erased an erased person's record"
    )


def test_staff_of_another_organisation_say_where_they_are_from(world, login):
    _named(world)
    sam, home = world["sam"], world["home"]
    audit.record(world["commissioner"], AuditAction.DENIED, sam, detail="person.view record")
    page = text_of(login(world["lead"]).get("/audit/"))
    assert (
        f"Aisha (commissioner at {world['council'].name}) was stopped from opening Sam's record"
        in page
    )
    assert "tag tag--red" in login(world["lead"]).get("/audit/").content.decode()
    assert home.name in page


# --- whose rows ------------------------------------------------------------------------------


def test_only_this_organisations_rows_are_shown(world, login):
    _named(world)
    sam, jo = world["sam"], world["jo"]
    audit.record(world["coach"], AuditAction.VIEW, sam, detail="budget")
    audit.record(world["other_coach"], AuditAction.VIEW, jo, detail="budget")
    jo_goal = Goal.objects.create(person=jo, words="Jo's goal")
    audit.record(world["other_coach"], AuditAction.CREATE, jo_goal, detail="goal added")
    audit.record(world["coach"], AuditAction.SIGN_IN, world["coach"])
    audit.record(world["other_coach"], AuditAction.SIGN_IN, world["other_coach"])

    rows = _rows(login(world["lead"]).get("/audit/"))
    assert "Priya read Sam's budget" in rows
    assert "Priya signed in" in rows
    assert not [row for row in rows if "Jo" in row or world["other_coach"].username in row]


# --- filters --------------------------------------------------------------------------------


@pytest.fixture
def busy(world):
    """A few days of rows at Sam and Alex's organisation."""
    _named(world)
    sam, alex, home = world["sam"], world["alex"], world["home"]
    coach, second = world["coach"], world["second_coach"]
    second.first_name = "Dev"
    second.save()
    at = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    _entry(coach, AuditAction.VIEW, at=at, person=sam, org=home, detail="budget")
    _entry(coach, AuditAction.VIEW, at=at + timedelta(days=1), person=alex, org=home,
           detail="safety plan")  # fmt: skip
    _entry(second, AuditAction.CHANGE, at=at + timedelta(days=2), person=sam, org=home,
           detail="spend approved", object_type="coaching.spendrequest")  # fmt: skip
    _entry(world["commissioner"], AuditAction.DENIED, at=at + timedelta(days=3), person=sam,
           org=home, detail="person.view record")  # fmt: skip
    return world


def _what(client, query: str) -> list[str]:
    return [row for row in _rows(client.get(f"/audit/?{query}")) if "audit trail" not in row]


def test_filter_by_person_name_and_by_their_record(busy, login):
    client = login(busy["lead"])
    by_name = _what(client, "person=sa")
    assert by_name == [
        f"Aisha (commissioner at {busy['council'].name}) was stopped from opening Sam's record",
        "Dev approved a spend from Sam's budget",
        "Priya read Sam's budget",
    ]
    assert _what(client, f"person_id={busy['sam'].pk}") == by_name
    assert _what(client, f"person_id={busy['alex'].pk}") == ["Priya read Alex's safety plan"]
    nobody = text_of(client.get("/audit/?person=zebedee"))
    assert "Nobody at" in nobody and "zebedee" in nobody
    assert _what(client, "person=zebedee") == []


def test_another_organisations_person_cannot_be_filtered_into_view(busy, login):
    jo = busy["jo"]
    audit.record(busy["other_coach"], AuditAction.VIEW, jo, detail="budget")
    client = login(busy["lead"])
    assert _what(client, f"person_id={jo.pk}") == []
    assert "not one" in text_of(client.get(f"/audit/?person_id={jo.pk}"))
    assert _what(client, "person=jo") == []


def test_filter_by_staff_member(busy, login):
    client = login(busy["lead"])
    assert _what(client, f"staff={busy['second_coach'].pk}") == [
        "Dev approved a spend from Sam's budget"
    ]
    # Only the organisation's own staff are offered; anyone else is a mistake to put right.
    response = client.get(f"/audit/?staff={busy['other_coach'].pk}")
    assert "Something needs changing" in text_of(response)
    assert _rows(response) == []


def test_filter_by_kind_of_action(busy, login):
    client = login(busy["lead"])
    assert _what(client, "kind=changed") == ["Dev approved a spend from Sam's budget"]
    assert _what(client, "kind=stopped") == [
        f"Aisha (commissioner at {busy['council'].name}) was stopped from opening Sam's record"
    ]
    read = _what(client, "kind=read")
    assert read == ["Priya read Alex's safety plan", "Priya read Sam's budget"]


def test_filter_by_dates_in_uk_time(busy, login):
    client = login(busy["lead"])
    assert _what(client, "since=2026-11-11&until=2026-11-12") == [
        "Dev approved a spend from Sam's budget",
        "Priya read Alex's safety plan",
    ]
    # 23:30 UTC on 30 June is 00:30 on 1 July in London: it belongs to 1 July.
    _entry(busy["coach"], AuditAction.VIEW, at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
           person=busy["sam"], org=busy["home"], detail="check-ins")  # fmt: skip
    assert _what(client, "since=2026-07-01&until=2026-07-01") == ["Priya read Sam's check-ins"]
    assert _what(client, "since=2026-06-30&until=2026-06-30") == []


def test_filters_combine_and_a_backwards_date_range_is_explained(busy, login):
    client = login(busy["lead"])
    query = f"person=sam&staff={busy['coach'].pk}&kind=read&since=2026-11-01&until=2026-11-30"
    assert _what(client, query) == ["Priya read Sam's budget"]
    response = client.get("/audit/?since=2026-11-30&until=2026-11-01")
    assert response.status_code == 200
    assert "This is before the “From” date" in text_of(response)
    assert _rows(response) == []


# --- every row, page by page ------------------------------------------------------------------


def test_pages_go_through_every_row_once_even_when_times_are_equal(world, login):
    sam, home = world["sam"], world["home"]
    same_moment = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    made = [
        _entry(world["coach"], AuditAction.VIEW, at=same_moment, person=sam, org=home,
               detail="record").pk
        for _ in range(selectors.PER_PAGE * 2 + 7)
    ]  # fmt: skip
    client = login(world["lead"])
    seen: list[int] = []
    url = "/audit/?kind=read&until=2026-11-30"
    pages = 0
    while url:
        response = client.get(url)
        body = response.content.decode()
        ids = _entries(body)
        seen += ids
        pages += 1
        older = re.search(r'href="(/audit/\?[^"]*after=[^"]*)">Older entries', body)
        url = older.group(1).replace("&amp;", "&") if older else ""
        if pages == 2:
            newer = re.search(r'href="(/audit/\?[^"]*before=[^"]*)">Newer entries', body)
            assert newer, "a later page links back to the newer one"
            back = client.get(newer.group(1).replace("&amp;", "&")).content.decode()
            first = _entries(back)
            assert first == seen[: selectors.PER_PAGE]
    assert pages == 3
    assert seen == sorted(made, reverse=True)


def _entries(body: str) -> list[int]:
    """The audit entries each line of the table stands for, in order."""
    found = re.findall(r'<tr[^>]*data-entry="([\d ]+)"', body)
    return [int(pk) for line in found for pk in line.split()]


def test_the_same_thing_done_again_and_again_is_one_line(world, login):
    _named(world)
    sam, home, coach = world["sam"], world["home"], world["coach"]
    start = datetime(2026, 11, 3, 9, 25, tzinfo=UTC)
    made = [
        _entry(coach, AuditAction.VIEW, at=start + timedelta(minutes=i), person=sam, org=home,
               detail="record").pk
        for i in range(3)
    ]  # fmt: skip
    body = login(world["lead"]).get("/audit/?kind=read&until=2026-11-30").content.decode()
    assert _rows_of(body) == ["Priya opened Sam's record (3 times, 09:25 to 09:27)"]
    assert _entries(body) == made[::-1]


def _rows_of(body: str) -> list[str]:
    cells = re.findall(r'data-label="What happened">(.*?)</td>', body)
    return [text_of_cell(cell) for cell in cells]


def test_a_broken_place_in_the_list_shows_the_newest(busy, login):
    client = login(busy["lead"])
    newest = _what(client, "kind=stopped")
    assert newest[0].startswith("Aisha")
    for token in ("nonsense", "1.2.3", "99999999999999999999999999.1", "-5.3", "5.-3"):
        assert _what(client, f"kind=stopped&after={token}") == newest


# --- the spreadsheet ------------------------------------------------------------------------


def test_the_spreadsheet_holds_the_filtered_rows_in_words(busy, login):
    response = login(busy["lead"]).get(f"/audit.csv?person_id={busy['sam'].pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert [row["What happened"] for row in rows] == [
        f"Aisha (commissioner at {busy['council'].name}) was stopped from opening Sam's record",
        "Dev approved a spend from Sam's budget",
        "Priya read Sam's budget",
    ]
    last = rows[-1]
    assert last["When"].startswith("Tuesday 10 November") and last["When"].endswith(", 12:00")
    assert (last["Date"], last["Time (UK)"]) == ("10/11/2026", "12:00")
    assert last["Who"] == "Priya" and last["Whose record"] == "Sam"
    assert last["Kind"] == "Reading a record or page"


def test_the_spreadsheet_is_safe_from_formulas(world, login):
    sam, coach = world["sam"], world["coach"]
    sam.chosen_name = '=HYPERLINK("http://evil.example","Sam")'
    sam.save()
    coach.first_name = "@SUM(1+1)"
    coach.save()
    second = world["second_coach"]
    second.first_name = "+cmd"
    second.save()
    audit.record(coach, AuditAction.VIEW, sam, detail="budget")
    audit.record(second, AuditAction.VIEW, sam, detail="budget")
    body = b"".join(login(world["lead"]).get("/audit.csv").streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")], cells
    assert "'@SUM(1+1)" in cells and "'+cmd" in cells
    assert '\'=HYPERLINK("http://evil.example","Sam")' in cells


def test_the_spreadsheet_streams_every_row_in_chunks(world, login, monkeypatch):
    """Rows reach the trail three ways (naming the organisation, naming one of its people,
    done by its staff and naming no record); read seven at a time, each row comes once."""
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 7)
    _named(world)
    sam, home, coach = world["sam"], world["home"], world["coach"]
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    made = []
    for i in range(31):
        at = start + timedelta(minutes=i // 2)
        if i % 3 == 0:  # names the organisation and the person: found two ways
            made.append(_entry(coach, AuditAction.VIEW, at=at, person=sam, org=home,
                               detail="record"))  # fmt: skip
        elif i % 3 == 1:  # names only the person (a part of the record)
            made.append(_entry(coach, AuditAction.CREATE, at=at, person=sam,
                               detail="goal added", object_type="coaching.goal"))  # fmt: skip
        else:  # names no record: a staff member signing in
            made.append(_entry(coach, AuditAction.SIGN_IN, at=at, object_type="accounts.user"))
    rows = _csv(login(world["lead"]).get("/audit.csv?until=2026-11-30"))
    numbers = [int(row["Entry number"]) for row in rows]
    assert numbers == sorted((entry.pk for entry in made), reverse=True)
    assert {row["What happened"] for row in rows} == {
        "Priya opened Sam's record",
        "Priya added a goal to Sam's record",
        "Priya signed in",
    }


# --- reading it is audited --------------------------------------------------------------------


def test_reading_the_trail_and_downloading_it_are_audited(busy, login):
    lead, home = busy["lead"], busy["home"]
    client = login(lead)
    client.get(f"/audit/?kind=read&staff={busy['coach'].pk}")
    read = AuditEntry.objects.filter(actor=lead, action=AuditAction.VIEW).get()
    assert read.organisation_id == home.pk and read.person_id is None
    assert read.detail.startswith(phrasing.AUDIT_PAGE_DETAIL)
    assert f"staff {busy['coach'].pk}" in read.detail and "kind view" in read.detail
    client.get(f"/audit/?person=sam{'x' * 3}")
    assert "samxxx" not in "".join(AuditEntry.objects.values_list("detail", flat=True))

    _csv(client.get("/audit.csv?kind=stopped"))
    export = AuditEntry.objects.filter(actor=lead, action=AuditAction.EXPORT).get()
    assert export.organisation_id == home.pk
    assert export.detail.startswith(phrasing.AUDIT_CSV_DETAIL)
    # And the next reader sees both, in words.
    page = text_of(client.get("/audit/"))
    assert "Morag read the audit trail" in page
    assert "Morag downloaded the audit trail as a spreadsheet" in page


# --- who may read it -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coach", "listener", "convener", "commissioner", "assessor"])
@pytest.mark.parametrize("path", ["/audit/", "/audit.csv"])
def test_other_roles_are_refused_and_the_refusal_audited(busy, login, who, path):
    user = busy[who]
    response = login(user).get(path)
    assert response.status_code == 403
    about_the_trail = AuditEntry.objects.filter(actor=user, detail__startswith="audit trail")
    assert [entry.action for entry in about_the_trail] == [AuditAction.DENIED]


@pytest.mark.parametrize("path", ["/audit/", "/audit.csv"])
def test_the_person_is_refused(busy, login, path):
    sam_user = busy["sam"].user
    assert login(sam_user).get(path).status_code == 403
    assert AuditEntry.objects.filter(actor=sam_user, action=AuditAction.DENIED).exists()


@pytest.mark.parametrize("path", ["/audit/", "/audit.csv"])
def test_another_organisations_lead_is_refused_this_organisations_trail(busy, login, path):
    other_lead, home = busy["other_lead"], busy["home"]
    client = login(other_lead)
    response = client.get(f"{path}?organisation={home.pk}")
    assert response.status_code == 403
    refusal = AuditEntry.objects.filter(actor=other_lead, action=AuditAction.DENIED).get()
    assert refusal.detail.startswith("audit.view")
    assert refusal.object_type == "accounts.organisation" and refusal.object_id == str(home.pk)
    # Their own trail opens, and holds none of this organisation's rows.
    own = client.get("/audit/")
    assert own.status_code == 200
    assert not [row for row in _rows(own) if "Sam" in row or "Priya" in row]


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for path in ("/audit/", "/audit.csv"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_lead_of_two_organisations_reads_each_trail_apart(busy, login):
    lead = busy["lead"]
    second = Organisation.objects.create(
        name="Zebra Crossing Trust", slug="zebra", kind=Organisation.Kind.PROVIDER
    )
    Membership.objects.create(user=lead, organisation=second, role=Role.LEAD)
    zed = person(second, None, "Zed")
    audit.record(lead, AuditAction.VIEW, zed, detail="budget")
    client = login(lead)
    home_rows = " ".join(_rows(client.get(f"/audit/?organisation={busy['home'].pk}")))
    zebra_rows = " ".join(_rows(client.get(f"/audit/?organisation={second.pk}")))
    assert "Sam" in home_rows and "Zed" not in home_rows
    assert "Morag read Zed's budget" in zebra_rows and "Sam" not in zebra_rows


def test_the_policy_lets_only_the_organisations_leads_read_its_trail(busy):
    from alongside.accounts.policy import Action, can

    home = busy["home"]
    assert can(busy["lead"], Action.AUDIT_VIEW, home)
    for who in ("coach", "other_lead", "commissioner", "listener", "convener", "assessor"):
        assert not can(busy[who], Action.AUDIT_VIEW, home), who
    assert not can(busy["sam"].user, Action.AUDIT_VIEW, home)


def test_leads_find_the_trail_in_the_navigation(world, login):
    assert 'href="/audit/"' in login(world["lead"]).get("/").content.decode()
    assert 'href="/audit/"' not in login(world["coach"]).get("/").content.decode()


# --- a fixed number of queries ----------------------------------------------------------------

# Session, user, the lead's authenticator (two-factor), memberships; the organisations led,
# the staff for the filter; the rows (one query for each way a row can be the
# organisation's); their actors with their roles, the people named; the audit entry for
# reading it. It was 13 when the actors' roles were a query of their own.
AUDIT_PAGE_BUDGET = 12


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("query", ["", "?kind=read", "?person=a", "?staff={coach}&kind=changed"])
def test_the_page_has_a_fixed_query_count(world, login, query):
    home, coach = world["home"], world["coach"]
    path = "/audit/" + query.format(coach=coach.pk)
    client = login(world["lead"])
    sam = world["sam"]
    audit.record(coach, AuditAction.VIEW, sam, detail="budget")
    audit.record(coach, AuditAction.CHANGE, sam, detail="goal changed")
    few = _queries(client, path)
    for i in range(40):
        someone = person(home, coach, f"Alex {i}")
        helper = Membership.objects.create(
            user=type(coach).objects.create_user(username=f"helper{i}", first_name=f"H{i}"),
            organisation=home,
            role=Role.COACH,
        ).user
        audit.record(helper, AuditAction.VIEW, someone, detail="record")
        audit.record(helper, AuditAction.CHANGE, someone, detail="goal changed")
        audit.record(helper, AuditAction.SIGN_IN, helper)
    many = _queries(client, path)
    assert few == many, "a query per row crept in"
    assert many <= AUDIT_PAGE_BUDGET, many


def test_signing_in_and_out_names_no_record(world, login):
    """The trail looks for sign-ins only among rows that name no record (see
    `selectors.trail`): that holds for staff and for people alike."""
    for user in (world["coach"], world["sam"].user):
        client = login(user)
        client.post("/accounts/sign-out/")
    rows = AuditEntry.objects.filter(action__in=list(selectors.NAMES_NO_RECORD))
    assert rows.count() >= 4
    assert not rows.exclude(person_id=None).exists()
    assert not rows.exclude(organisation_id=None).exists()
