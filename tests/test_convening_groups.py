"""Convening groups: members (staff, partners, people with lived experience, named only when
they agreed), meetings whose notes never silently overwrite, actions with owners and dates,
who may open them, and a fixed number of queries on the group page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from alongside.accounts.models import Role
from alongside.convening.models import (
    ConveningGroup,
    GroupAction,
    GroupMember,
    Meeting,
    SystemTheme,
)
from alongside.convening.selectors.groups import UNNAMED, due_words
from alongside.convening.services import groups as services
from alongside.core.models import AuditAction, AuditEntry

from . import factories
from .factories import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme(world):
    return SystemTheme.objects.create(organisation=world["home"], title="Local connection rule")


@pytest.fixture
def group(world, theme):
    return services.group_create(
        actor=world["convener"],
        organisation=world["home"],
        name="Getting a home",
        purpose="Change the local connection rule together.",
        themes=[theme],
    )


# --- starting a group --------------------------------------------------------------------


def test_a_convener_starts_a_group_on_a_theme_and_is_its_first_member(world, login, theme):
    client = login(world["convener"])
    page = client.get("/convening/groups/new/")
    assert page.status_code == 200
    assert "Local connection rule" in text_of(page)
    response = client.post(
        "/convening/groups/new/",
        {
            "organisation": world["home"].pk,
            "name": "Getting a home",
            "purpose": "Change the rule.",
            "themes": [theme.pk],
        },
    )
    group = ConveningGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/convening/groups/{group.pk}/"
    assert list(group.themes.all()) == [theme]
    assert group.members.get().user == world["convener"]
    assert AuditEntry.objects.filter(
        actor=world["convener"], action=AuditAction.CREATE, object_type="convening.conveninggroup"
    ).exists()
    listing = text_of(client.get("/convening/groups/"))
    assert "Getting a home" in listing and "1 person in it" in listing


def test_a_group_needs_a_theme_and_a_name_and_keeps_what_was_typed(world, login, theme):
    client = login(world["convener"])
    response = client.post(
        "/convening/groups/new/",
        {"organisation": world["home"].pk, "name": "", "purpose": "Typed purpose words"},
    )
    assert response.status_code == 200
    words = text_of(response)
    assert "Choose at least one system theme" in words
    assert "Typed purpose words" in words
    assert not ConveningGroup.objects.exists()


def test_another_organisations_theme_cannot_be_chosen(world, login, theme):
    elsewhere = SystemTheme.objects.create(organisation=world["other"], title="Their theme")
    client = login(world["convener"])
    response = client.post(
        "/convening/groups/new/",
        {"organisation": world["home"].pk, "name": "G", "themes": [elsewhere.pk]},
    )
    assert response.status_code == 200
    assert not ConveningGroup.objects.exists()


# --- members and names --------------------------------------------------------------------


def test_a_person_who_agreed_is_named_by_their_first_name_only(world, login, group):
    sam = world["sam"]
    sam.chosen_name = "Sam Okafor"
    sam.save()
    client = login(world["convener"])
    response = client.post(
        f"/convening/groups/{group.pk}/members/add/",
        {"kind": "lived_experience", "username": sam.user.username, "agreed_to_be_named": "on"},
    )
    assert response.status_code == 302
    member = group.members.get(user=sam.user)
    assert member.agreed_to_be_named and member.guest_name == ""
    words = text_of(client.get(f"/convening/groups/{group.pk}/"))
    assert "Sam" in words
    assert "Okafor" not in words


def test_a_person_who_did_not_agree_is_never_named(world, login, group):
    alex = world["alex"]
    client = login(world["convener"])
    client.post(
        f"/convening/groups/{group.pk}/members/add/",
        {"kind": "lived_experience", "username": alex.user.username},
    )
    assert group.members.filter(user=alex.user, agreed_to_be_named=False).exists()
    words = text_of(client.get(f"/convening/groups/{group.pk}/"))
    assert "Alex" not in words
    assert UNNAMED.capitalize() in words


def test_a_guest_who_did_not_agree_keeps_no_name_at_all(world, login, group):
    client = login(world["convener"])
    client.post(
        f"/convening/groups/{group.pk}/members/add/",
        {"kind": "lived_experience", "guest_name": "Morwenna Quill"},
    )
    member = group.members.get(kind=GroupMember.Kind.LIVED_EXPERIENCE)
    assert member.guest_name == ""  # not kept, so it can't leak anywhere
    assert "Morwenna" not in text_of(client.get(f"/convening/groups/{group.pk}/"))


def test_a_named_guest_and_a_partner_from_another_organisation(world, login, group):
    client = login(world["convener"])
    client.post(
        f"/convening/groups/{group.pk}/members/add/",
        {"kind": "lived_experience", "guest_name": "Morwenna", "agreed_to_be_named": "on"},
    )
    partner = world["other_lead"]
    partner.first_name, partner.last_name = "Petra", "Partner"
    partner.save()
    client.post(
        f"/convening/groups/{group.pk}/members/add/",
        {"kind": "partner", "username": partner.username},
    )
    client.post(
        f"/convening/groups/{group.pk}/members/add/",
        {"kind": "partner", "guest_name": "Housing officer from the council"},
    )
    words = text_of(client.get(f"/convening/groups/{group.pk}/"))
    assert "Morwenna" in words
    assert "Petra Partner" in words
    assert "Housing officer from the council" in words
    assert group.members.filter(kind=GroupMember.Kind.PARTNER).count() == 2


def test_a_partner_username_cannot_reach_a_persons_account(world, login, group):
    client = login(world["convener"])
    response = client.post(
        f"/convening/groups/{group.pk}/members/add/",
        {"kind": "partner", "username": world["sam"].user.username},
    )
    assert response.status_code == 200
    assert "couldn't find a partner" in text_of(response)
    assert group.members.count() == 1


def test_someone_coached_in_another_area_cannot_be_added_by_username(world, login, group):
    elsewhere = factories.organisation(area_obj=factories.area("Elsewhere"))
    stranger = factories.person_with_sign_in(elsewhere, name="Stranger")
    client = login(world["convener"])
    response = client.post(
        f"/convening/groups/{group.pk}/members/add/",
        {"kind": "lived_experience", "username": stranger.user.username},
    )
    assert response.status_code == 200
    assert "couldn't find that sign-in" in text_of(response)


def test_staff_must_be_chosen_from_this_organisations_staff(world, login, group):
    client = login(world["convener"])
    response = client.post(
        f"/convening/groups/{group.pk}/members/add/",
        {"kind": "staff", "staff_user": world["other_coach"].pk},
    )
    assert response.status_code == 200
    assert group.members.count() == 1
    client.post(
        f"/convening/groups/{group.pk}/members/add/",
        {"kind": "staff", "staff_user": world["coach"].pk},
    )
    assert group.members.filter(user=world["coach"], kind=GroupMember.Kind.STAFF).exists()


def test_someone_leaves_and_can_stop_being_named(world, login, group):
    sam = world["sam"]
    member = services.member_add(
        actor=world["convener"],
        group=group,
        kind="lived_experience",
        user=sam.user,
        agreed_to_be_named=True,
    )
    client = login(world["convener"])
    client.post(f"/convening/groups/{group.pk}/members/{member.pk}/naming/", {})
    member.refresh_from_db()
    assert not member.agreed_to_be_named
    assert "Sam" not in text_of(client.get(f"/convening/groups/{group.pk}/"))
    client.post(f"/convening/groups/{group.pk}/members/{member.pk}/leave/")
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()
    assert "People who have left (1)" in text_of(client.get(f"/convening/groups/{group.pk}/"))


# --- meetings and actions -----------------------------------------------------------------


def test_meeting_notes_never_silently_overwrite(world, login, group):
    meeting = services.meeting_add(
        actor=world["convener"], group=group, held_on=date(2026, 3, 9), notes="First notes"
    )
    url = f"/convening/groups/{group.pk}/meetings/{meeting.pk}/"
    mine = login(world["convener"])
    page = mine.get(url)
    assert 'name="version" value="1"' in page.content.decode()
    second = factories.staff(Role.CONVENER, world["home"])
    theirs = login(second)
    theirs.post(url, {"held_on": "2026-03-09", "notes": "Their notes", "version": 1})
    response = mine.post(url, {"held_on": "2026-03-09", "notes": "My notes", "version": 1})
    assert response.status_code == 409
    words = text_of(response)
    assert "Their notes" in words and "My notes" in words
    meeting.refresh_from_db()
    assert meeting.notes == "Their notes" and meeting.version == 2
    # A second save, knowingly, from their version replaces it.
    again = mine.post(url, {"held_on": "2026-03-09", "notes": "Both, merged", "version": 2})
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.notes == "Both, merged" and meeting.version == 3


def test_meeting_notes_keep_out_the_names_of_people_who_did_not_agree(world, login, group):
    sam, alex = world["sam"], world["alex"]
    sam.chosen_name = "Sam Okafor"
    sam.save()
    for person, agreed in ((sam, True), (alex, False)):
        services.member_add(
            actor=world["convener"],
            group=group,
            kind="lived_experience",
            user=person.user,
            agreed_to_be_named=agreed,
        )
    client = login(world["convener"])
    client.post(
        f"/convening/groups/{group.pk}/meetings/add/",
        {
            "held_on": "2026-03-09",
            "notes": "Alex told us about the hostel. Sam Okafor agreed. "
            "Dee will ring 07700 900123.",
            "decisions": "Alex to come next time",
        },
    )
    meeting = Meeting.objects.get()
    for gone in ("Alex", "Okafor", "07700"):
        assert gone not in meeting.notes + meeting.decisions
    assert "Sam" in meeting.notes and "Dee will ring" in meeting.notes
    words = text_of(client.get(f"/convening/groups/{group.pk}/"))
    assert "Alex" not in words and "Okafor" not in words


def test_a_group_edit_from_an_old_page_is_refused(world, login, group, theme):
    url = f"/convening/groups/{group.pk}/edit/"
    form = {"name": "First", "purpose": "", "themes": [theme.pk], "version": 1}
    client = login(world["convener"])
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "name": "From the old page"})
    assert response.status_code == 409
    assert "From the old page" in text_of(response)  # what they typed is kept
    group.refresh_from_db()
    assert group.name == "First" and group.version == 2


def test_a_meeting_with_decisions_shows_them_as_a_list(world, login, group):
    client = login(world["convener"])
    client.post(
        f"/convening/groups/{group.pk}/meetings/add/",
        {"held_on": "2026-03-09", "notes": "We met.", "decisions": "Write to the council\nAsk Jo"},
    )
    meeting = Meeting.objects.get()
    assert meeting.decisions == "Write to the council\nAsk Jo"
    page = client.get(f"/convening/groups/{group.pk}/").content.decode()
    assert "<li>Write to the council</li>" in page
    assert "Monday 9 March" in page


def test_actions_with_owners_overdue_in_words_and_done(world, login, group):
    owner = group.members.get()
    today = timezone.localdate()
    late = today - timedelta(days=3)
    action = services.action_add(
        actor=world["convener"], group=group, what="Ring the housing team", owner=owner, due_on=late
    )
    client = login(world["convener"])
    words = text_of(client.get(f"/convening/groups/{group.pk}/"))
    assert "Ring the housing team" in words
    assert f"due last {late:%A}" in words
    assert "1 overdue" in words
    response = client.post(f"/convening/groups/{group.pk}/actions/{action.pk}/done/")
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == today
    assert "1 overdue" not in text_of(client.get(f"/convening/groups/{group.pk}/"))


def test_an_action_is_added_through_the_form(world, login, group):
    client = login(world["convener"])
    owner = group.members.get()
    response = client.post(
        f"/convening/groups/{group.pk}/actions/add/",
        {"what": "Draft the letter", "owner": owner.pk, "due_on": "2030-01-04"},
    )
    assert response.status_code == 302
    action = GroupAction.objects.get()
    assert action.owner == owner and action.due_on == date(2030, 1, 4)


def test_an_action_owner_must_be_in_this_group(world, login, group, theme):
    other_group = services.group_create(
        actor=world["convener"], organisation=world["home"], name="Other", themes=[theme]
    )
    stranger = other_group.members.get()
    client = login(world["convener"])
    response = client.post(
        f"/convening/groups/{group.pk}/actions/add/", {"what": "X", "owner": stranger.pk}
    )
    assert response.status_code == 200
    assert not GroupAction.objects.exists()


def test_due_words():
    tuesday = date(2026, 3, 10)
    assert due_words(tuesday, tuesday) == "due today"
    assert due_words(date(2026, 3, 11), tuesday) == "due tomorrow"
    assert due_words(date(2026, 3, 9), tuesday) == "due yesterday"
    assert due_words(date(2026, 3, 5), tuesday) == "due last Thursday"
    assert due_words(date(2026, 3, 13), tuesday) == "due on Friday"
    assert due_words(date(2026, 2, 16), tuesday) == "was due Monday 16 February, 3 weeks ago"
    assert due_words(date(2026, 4, 1), tuesday) == "due Wednesday 1 April"
    assert due_words(None, tuesday) == "no date set"


# --- who may open a group -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_convener", "coach", "lead", "sam", "commissioner"])
def test_nobody_but_its_conveners_opens_a_group(world, login, group, who):
    world["other_convener"] = factories.staff(Role.CONVENER, world["other"])
    user = world[who].user if who == "sam" else world[who]
    client = login(user)
    before = AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED).count()
    for url in (
        f"/convening/groups/{group.pk}/",
        f"/convening/groups/{group.pk}/edit/",
        f"/convening/groups/{group.pk}/members/add/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Getting a home" not in text_of(response)
    response = client.post(
        f"/convening/groups/{group.pk}/members/add/", {"kind": "partner", "guest_name": "Z"}
    )
    assert response.status_code == 403
    assert group.members.count() == 1
    after = AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED).count()
    assert after >= before + 4


@pytest.mark.parametrize("who", ["coach", "lead", "sam", "commissioner"])
def test_the_group_list_is_for_conveners(world, login, who):
    user = world[who].user if who == "sam" else world[who]
    response = login(user).get("/convening/groups/")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED).exists()


def test_another_organisations_convener_does_not_see_the_group_listed(world, login, group):
    other = factories.staff(Role.CONVENER, world["other"])
    response = login(other).get("/convening/groups/")
    assert response.status_code == 200
    assert "Getting a home" not in text_of(response)


def test_a_meeting_of_another_group_under_this_groups_address_is_not_found(
    world, login, group, theme
):
    other_group = services.group_create(
        actor=world["convener"], organisation=world["home"], name="Other", themes=[theme]
    )
    meeting = services.meeting_add(
        actor=world["convener"], group=other_group, held_on=date(2026, 3, 9), notes="secret"
    )
    client = login(world["convener"])
    response = client.get(f"/convening/groups/{group.pk}/meetings/{meeting.pk}/")
    assert response.status_code == 404
    assert AuditEntry.objects.filter(
        actor=world["convener"], action=AuditAction.DENIED, detail__contains="meeting edit"
    ).exists()


# --- a fixed number of queries ------------------------------------------------------------


def _fill(world, group, size: int) -> None:
    people = [factories.person_with_sign_in(world["home"], name=f"P{n}") for n in range(size)]
    for n, person in enumerate(people):
        member = services.member_add(
            actor=world["convener"],
            group=group,
            kind="lived_experience",
            user=person.user,
            agreed_to_be_named=n % 2 == 0,
        )
        meeting = services.meeting_add(
            actor=world["convener"],
            group=group,
            held_on=date(2026, 1, 1) + timedelta(days=n),
            notes=f"Notes {n}",
            decisions="One\nTwo",
        )
        services.action_add(
            actor=world["convener"],
            group=group,
            what=f"Action {n}",
            owner=member,
            due_on=date(2026, 1, 1) + timedelta(days=n),
            meeting=meeting,
        )


@pytest.mark.parametrize("size", [2, 12])
def test_the_group_page_reads_a_fixed_number_of_queries(
    world, login, group, size, django_assert_max_num_queries
):
    _fill(world, group, size)
    client = login(world["convener"])
    client.get(f"/convening/groups/{group.pk}/")  # warm the session
    # Session, user, person, memberships, the group, then six reads of the page.
    with django_assert_max_num_queries(13):
        response = client.get(f"/convening/groups/{group.pk}/")
    assert response.status_code == 200
    assert f"Action {size - 1}" in text_of(response)


@pytest.mark.parametrize("size", [1, 6])
def test_the_group_list_reads_a_fixed_number_of_queries(
    world, login, theme, size, django_assert_max_num_queries
):
    for n in range(size):
        services.group_create(
            actor=world["convener"], organisation=world["home"], name=f"G{n}", themes=[theme]
        )
    client = login(world["convener"])
    client.get("/convening/groups/")
    with django_assert_max_num_queries(8):
        response = client.get("/convening/groups/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "junk",
    ["abc", "99999999999999999999999", "-1", "\x00", "0001-01-01", "9999-12-31", ""],
)
def test_hostile_input_is_refused_with_a_message_never_a_crash(world, login, group, junk):
    client = login(world["convener"])
    posts = {
        "/convening/groups/new/": {"organisation": junk, "name": junk, "themes": [junk]},
        f"/convening/groups/{group.pk}/edit/": {"name": junk, "themes": [junk], "version": junk},
        f"/convening/groups/{group.pk}/members/add/": {
            "kind": junk,
            "staff_user": junk,
            "username": junk,
        },
        f"/convening/groups/{group.pk}/meetings/add/": {"held_on": junk, "notes": junk},
        f"/convening/groups/{group.pk}/actions/add/": {
            "what": junk,
            "owner": junk,
            "due_on": junk,
            "meeting": junk,
        },
    }
    for url, data in posts.items():
        response = client.post(url, data)
        assert response.status_code in (200, 302), (url, response.status_code)
    assert (
        client.get(f"/convening/groups/{group.pk}/actions/add/?meeting={junk}").status_code == 200
    )


def test_a_member_whose_record_was_erased_is_no_longer_named(world, login, group):
    sam = world["sam"]
    services.member_add(
        actor=world["convener"],
        group=group,
        kind="lived_experience",
        user=sam.user,
        agreed_to_be_named=True,
    )
    client = login(world["convener"])
    assert "Sam" in text_of(client.get(f"/convening/groups/{group.pk}/"))
    sam.user = None  # what erasure does to the person's sign-in
    sam.save()
    words = text_of(client.get(f"/convening/groups/{group.pk}/"))
    assert "Sam" not in words
    assert UNNAMED.capitalize() in words
