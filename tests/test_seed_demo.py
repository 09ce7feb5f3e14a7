"""The synthetic demo: deterministic, idempotent, signs in, and speaks respectfully."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from alongside.accounts.models import Area, Membership, Organisation, User
from alongside.coaching.models import (
    Barrier,
    CheckIn,
    Conversation,
    Goal,
    Milestone,
    Person,
    Relationship,
    RelationshipChange,
    SpendRequest,
    Strength,
)
from alongside.demo.seed import OTHER_COACH_PASSPHRASE, seed_demo
from alongside.demo.sign_ins import (
    DEMO_LEAD_TOTP_KEY_HEX,
    DEMO_OTHER_COACH,
    DEMO_PERSON_NAME,
    DEMO_SIGN_INS,
)

pytestmark = pytest.mark.django_db
N = 40

DEFICIT = re.compile(
    r"\b(client|clients|service users?|case|cases|caseloads?|chaotic|non-compliant|"
    r"refused to engage|hard to reach)\b",
    re.IGNORECASE,
)
COUNTED = [
    Area,
    Organisation,
    User,
    Membership,
    TOTPDevice,
    Person,
    Relationship,
    RelationshipChange,
    Conversation,
    Strength,
    Goal,
    CheckIn,
    Milestone,
    SpendRequest,
    Barrier,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def snapshot() -> list[tuple]:
    """What the demo says, independent of primary keys."""
    result = []
    for person in Person.objects.order_by("pk").prefetch_related("goals", "check_ins"):
        result.append(
            (
                person.chosen_name,
                person.pronouns,
                tuple(sorted((g.words, g.status, g.why_it_matters) for g in person.goals.all())),
                tuple(
                    (c.taken_on, tuple(sorted(c.answers.items()))) for c in person.check_ins.all()
                ),
            )
        )
    return result


def test_same_seed_same_demo_and_another_seed_differs():
    seed_demo(people=N, seed=7)
    first = snapshot()
    seed_demo(people=N, seed=7)
    assert snapshot() == first
    seed_demo(people=N, seed=8)
    assert snapshot() != first


def test_as_of_moves_every_date_of_the_story_by_the_same_days():
    import datetime

    from alongside.demo.seed import REFERENCE_DATE

    def dates() -> list[object]:
        sam = Person.objects.get(chosen_name=DEMO_PERSON_NAME)
        relationship = sam.relationships.get()
        talks = sorted(
            Conversation.objects.filter(person=sam).values_list("happened_on", flat=True)
        )
        spends = sorted(
            SpendRequest.objects.filter(person=sam).values_list("created_at", flat=True)
        )
        return [relationship.next_meeting_on, relationship.last_contact_on, *talks, *spends]

    seed_demo(people=N, seed=3)
    told_then = dates()
    later = REFERENCE_DATE + datetime.timedelta(days=45)
    seed_demo(people=N, seed=3, as_of=later)
    told_later = dates()
    shift = datetime.timedelta(days=45)
    assert told_later == [value + shift for value in told_then]
    # The command tells it as of today, so a coach's week has meetings in it.
    call_command("seed_demo", people=N, seed=3, stdout=StringIO())
    from django.utils import timezone

    today_shift = timezone.localdate() - REFERENCE_DATE
    assert dates()[0] == told_then[0] + today_shift


def test_running_twice_leaves_the_same_rows():
    report = seed_demo(people=N, seed=1)
    before = counts()
    again = seed_demo(people=N, seed=1)
    assert counts() == before
    assert report.people == again.people == N == before["Person"]
    assert before["Relationship"] == N
    assert report.conversations == before["Conversation"]


def test_running_again_after_someone_made_a_choice_keeps_their_consent_events():
    from alongside.coaching.models import ConsentEvent

    seed_demo(people=N, seed=1)
    person = Person.objects.order_by("pk").first()
    ConsentEvent.objects.create(
        person=person, choice=ConsentEvent.Choice.SHARE_BARRIERS, given=True
    )
    again = seed_demo(people=N, seed=1)  # consent events are append-only: none deleted
    assert again.people == N
    assert ConsentEvent.objects.filter(person_id=person.pk).count() == 1


def test_first_time_only_leaves_an_existing_demo_alone():
    seed_demo(people=N, seed=1)
    before = counts()
    report = seed_demo(people=N * 2, seed=2, first_time_only=True)
    assert report.skipped
    assert counts() == before


def test_first_time_only_builds_when_there_is_no_demo():
    report = seed_demo(people=N, seed=1, first_time_only=True)
    assert not report.skipped
    assert Person.objects.count() == N


def test_every_demo_sign_in_works():
    seed_demo(people=N, seed=1)
    request = RequestFactory().post("/accounts/sign-in/")
    for entry in DEMO_SIGN_INS:
        user = authenticate(request, username=entry.username, password=entry.passphrase)
        assert user is not None, entry.username
        if entry.role == "person":
            assert user.person.chosen_name == DEMO_PERSON_NAME
        else:
            assert Membership.objects.filter(
                user=user, role=entry.role, organisation__slug=entry.organisation_slug
            ).exists()
    tom = authenticate(request, username=DEMO_OTHER_COACH[0], password=OTHER_COACH_PASSPHRASE)
    assert tom is not None
    assert tom.memberships.get().organisation.slug == DEMO_OTHER_COACH[2]


def test_extra_coaches_cannot_sign_in_and_share_the_people():
    seed_demo(people=300, seed=1)
    coaches = User.objects.filter(memberships__role="coach").distinct()
    assert coaches.count() == 5  # 300 // 60
    for coach in coaches.exclude(username__in=["priya", DEMO_OTHER_COACH[0]]):
        assert not coach.has_usable_password()
    per_coach = [Relationship.objects.filter(coach=c).count() for c in coaches]
    assert min(per_coach) > 30
    assert max(per_coach) < 100


def test_fewer_people_next_time_removes_the_extra_coaches():
    seed_demo(people=300, seed=1)
    seed_demo(people=N, seed=1)
    assert User.objects.filter(memberships__role="coach").distinct().count() == 2


def test_the_lead_has_a_confirmed_authenticator():
    seed_demo(people=N, seed=1)
    device = TOTPDevice.objects.get(user__username="morag")
    assert device.confirmed
    assert device.name == "demo authenticator"
    assert device.key == DEMO_LEAD_TOTP_KEY_HEX
    assert device.verify_token(f"{totp(bytes.fromhex(DEMO_LEAD_TOTP_KEY_HEX)):06d}")


def test_sams_record_has_every_kind_of_row():
    seed_demo(people=N, seed=1)
    sam = Person.objects.get(user__username="sam")
    assert sam.chosen_name == DEMO_PERSON_NAME
    relationship = sam.relationships.get()
    assert relationship.coach.username == "priya"
    assert relationship.state == Relationship.State.WORKING_TOGETHER
    assert relationship.changes.count() >= 2
    assert sam.conversations.count() >= 4
    assert sam.conversations.exclude(reflection="").exists()
    assert sam.strengths.count() >= 3
    assert sam.milestones.exists()
    assert sam.spend_requests.exists()
    assert sam.barriers.exists()
    suggestions = [g for g in sam.goals.all() if g.is_suggestion]
    assert len(suggestions) == 1 and suggestions[0].suggested_by.username == "priya"
    check_ins = list(sam.check_ins.all())
    assert 4 <= len(check_ins) <= 6
    assert check_ins[-1].answers["life_satisfaction"] > check_ins[0].answers["life_satisfaction"]
    assert check_ins[-1].answers["anxiety"] < check_ins[0].answers["anxiety"]


def test_relationships_pause_and_end_with_the_persons_words():
    seed_demo(people=300, seed=1)
    states = set(Relationship.objects.values_list("state", flat=True))
    assert states == set(Relationship.State.values)
    for state in (Relationship.State.PAUSED, Relationship.State.ENDED):
        for rel in Relationship.objects.filter(state=state):
            last = rel.changes.last()
            assert last.to_state == state
            assert last.note
            assert rel.next_meeting_on is None
    paused = Relationship.objects.filter(state=Relationship.State.PAUSED).count()
    ended = Relationship.objects.filter(state=Relationship.State.ENDED).count()
    assert 15 <= paused <= 50
    assert 10 <= ended <= 45


def test_goals_are_varied_and_achievements_dated():
    seed_demo(people=300, seed=1)
    assert set(Goal.objects.values_list("status", flat=True)) == set(Goal.Status.values)
    assert not Goal.objects.filter(status=Goal.Status.ACHIEVED, achieved_on__isnull=True).exists()
    suggested = Goal.objects.filter(suggested_by__isnull=False)
    assert suggested.filter(accepted_at__isnull=False).exists()
    assert suggested.filter(accepted_at__isnull=True).exists()
    assert SpendRequest.objects.filter(goal__isnull=False).count() == SpendRequest.objects.count()
    assert len(set(SpendRequest.objects.values_list("status", flat=True))) == 4
    assert Barrier.objects.filter(share_with_convening=True).exists()
    assert Barrier.objects.filter(share_with_convening=False).exists()


def test_check_in_answers_are_whole_numbers_from_0_to_10():
    seed_demo(people=N, seed=1)
    items = {"life_satisfaction", "worthwhile", "happiness", "anxiety"}
    for check_in in CheckIn.objects.all():
        assert check_in.instrument == "ons4"
        assert set(check_in.answers) <= items
        for value in check_in.answers.values():
            assert isinstance(value, int) and 0 <= value <= 10


def test_no_deficit_words_in_anything_the_demo_wrote():
    seed_demo(people=300, seed=1)
    texts: list[str] = []
    texts += Person.objects.values_list("chosen_name", flat=True)
    texts += RelationshipChange.objects.values_list("note", flat=True)
    for notes, reflection, place in Conversation.objects.values_list(
        "notes", "reflection", "place"
    ):
        texts += [notes, reflection, place]
    texts += Strength.objects.values_list("words", flat=True)
    for words, why in Goal.objects.values_list("words", "why_it_matters"):
        texts += [words, why]
    texts += Milestone.objects.values_list("words", flat=True)
    texts += SpendRequest.objects.values_list("what_for", flat=True)
    for row in Barrier.objects.values_list("service", "what_happened", "what_we_did", "outcome"):
        texts += row
    offenders = sorted({t for t in texts if DEFICIT.search(t)})
    assert offenders == []
    assert len(texts) > 1000


def test_command_prints_the_sign_ins_and_the_lead_secret():
    out = StringIO()
    call_command("seed_demo", "--people", str(N), "--seed", "3", stdout=out)
    text = out.getvalue()
    for entry in DEMO_SIGN_INS:
        assert entry.username in text and entry.passphrase in text
    lead = next(e for e in DEMO_SIGN_INS if e.totp_key_hex)
    assert lead.totp_base32() in text
    assert "manage.py demo_totp" in text
    out = StringIO()
    call_command("seed_demo", "--first-time-only", stdout=out)
    assert "already set up" in out.getvalue()
    assert Person.objects.count() == N


def test_demo_totp_prints_the_current_code():
    key = bytes.fromhex(DEMO_LEAD_TOTP_KEY_HEX)
    out = StringIO()
    before = f"{totp(key):06d}"
    call_command("demo_totp", stdout=out)
    after = f"{totp(key):06d}"  # the 30-second step may turn over in between
    assert before in out.getvalue() or after in out.getvalue()
