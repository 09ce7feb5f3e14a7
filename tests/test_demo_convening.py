"""The demo's convening: system themes drawing barriers from both demo providers, a group with
people with lived experience, two experiments (one with two cycles), recommendations answered
and overdue; the same for the same seed, idempotent, and no audit trail of a thing nobody did."""

from __future__ import annotations

import datetime

import pytest

from alongside.accounts.models import Organisation
from alongside.coaching.models import Barrier, ConsentEvent
from alongside.coaching.selectors.me_rights import barriers_for_convening
from alongside.convening.models import (
    Answer,
    BarrierPlacement,
    ConveningGroup,
    Cycle,
    Experiment,
    GroupAction,
    GroupMember,
    Meeting,
    Recommendation,
    Story,
    SystemTheme,
)
from alongside.core.models import AuditEntry
from alongside.demo.convening import SYSTEM_THEMES
from alongside.demo.seed import REFERENCE_DATE, seed_demo
from alongside.demo.sign_ins import DEMO_PERSON_NAME

from .test_seed_demo import DEFICIT

pytestmark = pytest.mark.django_db
N = 40


@pytest.fixture
def demo():
    seed_demo(people=N, seed=1)
    return {o.slug: o for o in Organisation.objects.all()}


def snapshot() -> list[tuple]:
    """What the demo's convening says, independent of primary keys."""
    placements = sorted(
        (p.theme.title, p.barrier.service, p.barrier.what_happened, p.by_convener, p.closeness)
        for p in BarrierPlacement.objects.select_related("theme", "barrier")
    )
    return [
        tuple(SystemTheme.objects.values_list("title", "summary")),
        tuple(placements),
        tuple(Meeting.objects.values_list("held_on", "notes", "decisions")),
        tuple(GroupAction.objects.order_by("what").values_list("what", "due_on", "done_on")),
        tuple(Experiment.objects.values_list("title", "starts_on")),
        tuple(Recommendation.objects.values_list("title", "to", "lands_in", "answer_by")),
        tuple(Answer.objects.values_list("status", "words", "at")),
    ]


def test_both_providers_share_and_a_theme_draws_barriers_from_both(demo):
    home, other = demo["harbour-lane"], demo["riverside-futures"]
    assert home.shares_barriers_in_area and other.shares_barriers_in_area
    themes = SystemTheme.objects.filter(organisation=home)
    assert themes.count() == 4
    assert all(t.area_id == home.area_id and t.owned_by_convener for t in themes)
    housing = themes.get(title="Housing register shuts people out")
    orgs = set(housing.placements.values_list("barrier__person__organisation__slug", flat=True))
    assert orgs == {"harbour-lane", "riverside-futures"}
    # The same council rule, at both providers, in one theme.
    services = set(housing.placements.values_list("barrier__service", flat=True))
    assert services == {"Housing register: local connection rule"}
    # Sam's own barrier is there too: he shared it.
    assert housing.placements.filter(barrier__person__chosen_name=DEMO_PERSON_NAME).exists()


def test_only_shared_barriers_are_placed_and_some_wait_to_be_placed(demo):
    area = demo["harbour-lane"].area
    shared = set(barriers_for_convening(area).values_list("pk", flat=True))
    placed = set(BarrierPlacement.objects.values_list("barrier_id", flat=True))
    assert placed and placed <= shared
    # Hostel, dentist and mental health barriers are left for the convener to place.
    assert shared - placed
    # Most placements are the convener's; some were suggested by the engine, with closeness.
    by_convener = BarrierPlacement.objects.filter(by_convener=True)
    suggested = BarrierPlacement.objects.filter(by_convener=False)
    assert by_convener.exists() and suggested.exists()
    assert not suggested.filter(closeness__isnull=True).exists()
    assert not by_convener.filter(placed_by__isnull=True).exists()


def test_themes_link_to_the_demo_listening_themes(demo):
    housing = SystemTheme.objects.get(title="Housing register shuts people out")
    titles = set(housing.listening_themes.values_list("title", flat=True))
    assert titles == {"Passed from desk to desk", "Cliff edges"}
    for theme in SystemTheme.objects.all():
        assert theme.listening_themes.exists(), theme.title


def test_a_group_with_staff_a_partner_and_people_with_lived_experience(demo):
    group = ConveningGroup.objects.get(name="Northfield housing access group")
    kinds = set(group.members.values_list("kind", flat=True))
    assert kinds == {"staff", "partner", "lived_experience"}
    lived = group.members.filter(kind=GroupMember.Kind.LIVED_EXPERIENCE)
    # A named guest who agreed to be named, and Sam, who has a sign-in and agreed too.
    assert lived.filter(user__isnull=True, guest_name="Lou", agreed_to_be_named=True).exists()
    assert lived.filter(user__username="sam", agreed_to_be_named=True).exists()
    # Someone who would rather not be named is in the room, with no name kept at all.
    unnamed = group.members.get(agreed_to_be_named=False)
    assert unnamed.user is None and unnamed.guest_name == ""
    assert group.themes.count() == 2
    meetings = group.meetings.all()
    assert meetings.count() == 4
    assert all(m.notes and m.decisions for m in meetings)
    actions = group.actions.all()
    assert actions.filter(done_on__isnull=False).exists()
    # One is past its date and not done, one is still to come.
    assert actions.filter(done_on__isnull=True, due_on__lt=REFERENCE_DATE).exists()
    assert actions.filter(done_on__isnull=True, due_on__gt=REFERENCE_DATE).exists()
    assert not actions.filter(owner__isnull=True).exists()


def test_two_experiments_one_with_two_cycles_measures_and_stories(demo):
    experiments = Experiment.objects.order_by("starts_on")
    assert experiments.count() == 2
    named, evenings = experiments
    assert list(named.cycles.values_list("number", flat=True)) == [1, 2]
    first = named.cycles.get(number=1)
    assert first.reflections and first.what_changed and first.ends_on
    assert evenings.cycles.count() == 1
    for experiment in experiments:
        assert experiment.if_we and experiment.then and experiment.co_designed_with
        assert experiment.group is not None and experiment.themes.exists()
        kinds = set(experiment.measures.values_list("kind", flat=True))
        assert "theme_barriers" in kinds
        assert experiment.measures.get(kind="theme_barriers").theme in experiment.themes.all()
        assert experiment.stories.exists()
    assert named.stories.count() == 3


def test_recommendations_accepted_declined_overdue_and_a_draft(demo):
    home, council = demo["harbour-lane"], demo["northfield-council"]
    recs = Recommendation.objects.filter(organisation=home)
    assert recs.count() == 4
    latest = {r.title: list(r.answers.all())[-1] if r.answers.exists() else None for r in recs}

    accepted = recs.get(to="leadership", answers__status="accepted")
    answer = latest[accepted.title]
    assert accepted.addressed_to == home
    assert answer.status == "accepted" and answer.by.username == "morag" and answer.what_changed

    declined = recs.get(to="commissioner")
    answer = latest[declined.title]
    assert declined.addressed_to == council
    assert answer.status == "declined" and answer.by.username == "aisha" and answer.words
    assert declined.answers.count() == 2  # in progress first; answers are kept

    overdue = recs.get(sent_at__isnull=False, answers__isnull=True)
    assert overdue.answer_by < REFERENCE_DATE

    draft = recs.get(sent_at__isnull=True)
    assert not draft.answers.exists()
    # Every place the learning lands has something in it.
    assert set(recs.values_list("lands_in", flat=True)) == {
        value for value, _ in Recommendation.LandsIn.choices
    }
    # Evidence: themes, experiments and quotes, the quotes from both organisations.
    assert accepted.themes.exists() and accepted.experiments.exists() and accepted.quotes.exists()
    quoted = set(declined.quotes.values_list("barrier__person__organisation__slug", flat=True))
    assert quoted == {"harbour-lane", "riverside-futures"}


def test_a_withdrawn_barrier_drops_out_of_the_shared_ones_at_once(demo):
    placement = BarrierPlacement.objects.filter(
        barrier__person__organisation__slug="riverside-futures"
    ).first()
    barrier = placement.barrier
    area = demo["harbour-lane"].area
    assert barriers_for_convening(area).filter(pk=barrier.pk).exists()
    ConsentEvent.objects.create(
        person=barrier.person,
        choice=ConsentEvent.Choice.SHARE_BARRIERS,
        scope=str(barrier.pk),
        given=False,
    )
    assert not barriers_for_convening(area).filter(pk=barrier.pk).exists()


def test_same_seed_same_convening_and_running_twice_leaves_the_same_rows(demo):
    first = snapshot()
    counts = [
        m.objects.count()
        for m in (
            SystemTheme,
            BarrierPlacement,
            ConveningGroup,
            GroupMember,
            Meeting,
            Cycle,
            Story,
            Recommendation,
            Answer,
        )
    ]
    seed_demo(people=N, seed=1)
    assert snapshot() == first
    assert [
        m.objects.count()
        for m in (
            SystemTheme,
            BarrierPlacement,
            ConveningGroup,
            GroupMember,
            Meeting,
            Cycle,
            Story,
            Recommendation,
            Answer,
        )
    ] == counts


def test_as_of_moves_the_convening_dates_so_overdue_stays_overdue(demo):
    before = Recommendation.objects.get(title="Evening and phone appointments as standard")
    later = REFERENCE_DATE + datetime.timedelta(days=30)
    seed_demo(people=N, seed=1, as_of=later)
    after = Recommendation.objects.get(title="Evening and phone appointments as standard")
    assert after.answer_by == before.answer_by + datetime.timedelta(days=30)
    assert after.answer_by < later
    assert Meeting.objects.order_by("held_on").first().held_on == datetime.date(2026, 6, 3) + (
        later - REFERENCE_DATE
    )


def test_seeding_writes_no_audit_entries_and_no_deficit_words(demo):
    assert not AuditEntry.objects.filter(object_type__startswith="convening.").exists()
    texts: list[str] = []
    for row in SystemTheme.objects.values_list("title", "summary"):
        texts += row
    for row in Meeting.objects.values_list("notes", "decisions"):
        texts += row
    texts += GroupAction.objects.values_list("what", flat=True)
    for row in Experiment.objects.values_list("title", "if_we", "then", "co_designed_with"):
        texts += row
    for row in Cycle.objects.values_list("plan", "tried", "reflections", "what_changed"):
        texts += row
    texts += Story.objects.values_list("words", flat=True)
    for row in Recommendation.objects.values_list("title", "what"):
        texts += row
    for row in Answer.objects.values_list("words", "what_changed"):
        texts += row
    assert [t for t in texts if DEFICIT.search(t)] == []
    # Stories name nobody.
    for words in Story.objects.values_list("words", flat=True):
        assert DEMO_PERSON_NAME not in words


def test_the_bench_places_its_new_peoples_shared_barriers_in_the_system_themes():
    from bench import seed_large

    seed_demo(people=1, seed=1)
    before = BarrierPlacement.objects.count()
    sizes = seed_large.Sizes(people=80, coaches=2, conversations=1, check_ins=1, contributions=5)
    seed_large.grow(sizes, seed=1, log=lambda line: None)
    home = Organisation.objects.get(slug="harbour-lane")
    placed = BarrierPlacement.objects.filter(organisation=home)
    assert placed.count() > before
    # Every shared barrier whose service a demo theme covers is in it; nothing else is.
    shared = barriers_for_convening(home.area)
    prefixes = tuple(p for spec in SYSTEM_THEMES for p in spec.services)
    covered = {b.pk for b in shared if b.service.startswith(prefixes)}
    assert set(placed.values_list("barrier_id", flat=True)) == covered
    assert len(covered) < shared.count()  # the rest wait for a convener
    orgs = set(placed.values_list("barrier__person__organisation__slug", flat=True))
    assert orgs == {"harbour-lane", "riverside-futures"}


def test_dees_home_shows_the_overdue_answer_and_what_moved(demo, login):
    from alongside.accounts.models import User

    from .factories import text_of

    body = text_of(login(User.objects.get(username="dee")).get("/convening/"))
    overdue = body.split("Answers overdue", 1)[1].split("Where the learning lands", 1)[0]
    assert "Evening and phone appointments as standard" in overdue
    assert "Coaches can go with people to the housing desk" not in overdue
    lands = body.split("Where the learning lands", 1)[1]
    for title in (
        "Coaches can go with people to the housing desk",
        "People with children in Northfield count as having a local connection",
        "Ask what someone is good at before what is wrong",
    ):
        assert title in lands
    assert "every coach can book a half day a fortnight" in lands
    for name in (DEMO_PERSON_NAME, "Sam "):
        assert name not in body.split("<main", 1)[-1]


def test_morag_and_aisha_each_see_what_was_sent_to_them(demo, login):
    from alongside.accounts.models import User

    from .factories import text_of

    morag = text_of(login(User.objects.get(username="morag")).get("/"))
    assert "Evening and phone appointments as standard" in morag  # waiting for her
    aisha = login(User.objects.get(username="aisha"))
    declined = Recommendation.objects.get(to="commissioner")
    page = text_of(aisha.get(f"/convening/recommendations/{declined.pk}/"))
    assert "review in 2027" in page
    overdue = Recommendation.objects.get(title="Evening and phone appointments as standard")
    assert aisha.get(f"/convening/recommendations/{overdue.pk}/").status_code in (403, 404)


def demo_convening_ids() -> dict[str, int]:
    """The ids the convening pages in tests/test_security_headers.PAGES name, from the demo:
    the housing theme and group, the named officer experiment and its second cycle, the
    recommendation waiting for Harbour Lane's answer, the one Aisha answered, and the draft.
    The axe walk (tests/browser/test_every_page_accessible.py) fills the same pages with them."""
    theme = SystemTheme.objects.get(title="Housing register shuts people out")
    group = ConveningGroup.objects.get(name="Northfield housing access group")
    experiment = Experiment.objects.get(title="A named officer at the housing desk")
    waiting = Recommendation.objects.get(sent_at__isnull=False, answers__isnull=True)
    return {
        "system_theme": theme.pk,
        "group": group.pk,
        "meeting": group.meetings.first().pk,
        "experiment": experiment.pk,
        "cycle": experiment.cycles.last().number,
        "recommendation": waiting.pk,
        "to_commissioner": Recommendation.objects.get(to="commissioner").pk,
        "draft": Recommendation.objects.get(sent_at__isnull=True).pk,
    }


PHONE = "07700 900777"
UNSHARED = "kept the letter in a drawer because the stamp said final warning"
WITHDRAWN = "the warden read the rules out in front of everyone in the lounge"


def test_nothing_dee_or_the_answerers_open_names_anyone_or_shows_unshared_words(demo, login):
    """Every convening page in the header list, as its role, and the briefings as Word and
    PDF, on the demo: no coached person's name, no barrier that is not shared (or was
    withdrawn), and no number a barrier's words carried."""
    import re

    from alongside.accounts.models import User
    from alongside.coaching.models import Barrier, Person

    from .factories import text_of
    from .test_convening_briefing import docx_text, pdf_text
    from .test_security_headers import PAGES

    home = demo["harbour-lane"]
    riverside = list(Person.objects.filter(organisation=demo["riverside-futures"]).order_by("pk"))
    housing = SystemTheme.objects.get(title="Housing register shuts people out")
    # Shared, with a phone number in it: shown only with the number taken out.
    numbered = Barrier.objects.create(
        person=riverside[-1],
        service="Housing register: local connection rule",
        what_happened=f"Left a message on {PHONE} and the housing team never rang back.",
        share_with_convening=True,
    )
    BarrierPlacement.objects.create(theme=housing, barrier=numbered, organisation=home)
    # Shared, by someone with a first name and a surname, named by the first name only (as a
    # coach writes): the first name is taken out too.
    full = riverside[-3]
    full.chosen_name = "Rutendo Moyo"
    full.save()
    by_first_name = Barrier.objects.create(
        person=full,
        service="Housing register: local connection rule",
        what_happened="Rutendo was sent away from the housing desk twice in one week.",
        share_with_convening=True,
    )
    BarrierPlacement.objects.create(theme=housing, barrier=by_first_name, organisation=home)
    # Not shared: never shown.
    Barrier.objects.create(
        person=riverside[-1],
        service="Housing register: local connection rule",
        what_happened=f"{riverside[-1].chosen_name} {UNSHARED}.",
        share_with_convening=False,
    )
    # Shared, placed, quoted... then withdrawn: gone everywhere at once.
    withdrawn = Barrier.objects.create(
        person=riverside[-2],
        service="Housing register: local connection rule",
        what_happened=f"{riverside[-2].chosen_name} said {WITHDRAWN}.",
        share_with_convening=True,
    )
    placement = BarrierPlacement.objects.create(
        theme=housing, barrier=withdrawn, organisation=home, by_convener=True
    )
    Recommendation.objects.get(to="commissioner").quotes.add(placement)
    ConsentEvent.objects.create(
        person=withdrawn.person,
        choice=ConsentEvent.Choice.SHARE_BARRIERS,
        scope=str(withdrawn.pk),
        given=False,
    )

    ids = demo_convening_ids()
    seen: list[tuple[str, str]] = []
    for who, path in PAGES:
        if not path.startswith("/convening/"):
            continue
        user = User.objects.get(username={"convener": "dee", "lead": "morag"}.get(who, "aisha"))
        response = login(user).get(path.format(**ids))
        assert response.status_code == 200, path
        seen.append((path, text_of(response).split("<main", 1)[-1]))
    dee = login(User.objects.get(username="dee"))
    for kind in ("docx", "pdf"):
        for base in (
            f"/convening/themes/{housing.pk}/briefing",
            f"/convening/recommendations/{ids['to_commissioner']}/briefing",
        ):
            response = dee.get(f"{base}.{kind}")
            if response.status_code == 404 and kind == "pdf":
                continue  # no PDF library here: the page says to print it instead
            assert response.status_code == 200, base
            data = b"".join(response.streaming_content) if response.streaming else response.content
            seen.append((f"{base}.{kind}", docx_text(data) if kind == "docx" else pdf_text(data)))

    # The API: nothing of a barrier or of convening is served there (a router that adds one
    # must pass through this test's checks too).
    api = dee.get("/api/openapi.json")
    assert api.status_code == 200
    assert not [p for p in api.json()["paths"] if "barrier" in p or "convening" in p]
    seen.append(("/api/openapi.json", api.content.decode()))

    sharers = Person.objects.filter(barriers__isnull=False).distinct()
    named_in_groups = {"Sam", "Lou", "Jo", "Janet", "Ravi", "Dee", "Morag"}
    names = {p.chosen_name.split()[0] for p in sharers} - named_in_groups
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")
    assert any("never rang back" in text for _, text in seen)  # the shared words are there
    assert any("sent away from the housing desk twice" in text for _, text in seen)
    for where, text in seen:
        assert PHONE not in text, where
        assert UNSHARED not in text, where
        assert WITHDRAWN not in text, where
        found = pattern.search(text)
        assert found is None, f"{where}: {found and found.group(0)!r}"
    # Sam's own barrier is quoted, but never with his name: only the group he joined, and
    # agreed to be named in, names him.
    named = [where for where, text in seen if re.search(r"\bSam\b", text)]
    assert named and all(where.startswith("/convening/groups/{group}/") for where in named), named


def test_the_convening_story_is_told_from_the_same_day_as_the_rest_of_the_demo():
    from alongside.demo import convening, seed

    assert convening.REFERENCE_DATE == seed.REFERENCE_DATE
    assert (convening.HOME_SLUG, convening.OTHER_SLUG) == (seed.HOME_SLUG, seed.OTHER_SLUG)
    moment = datetime.date(2026, 6, 3)
    assert convening.at(moment, 16) == seed.at(moment, 16)


def test_every_demo_barrier_keeps_its_persons_organisation(demo):
    # The demo bulk-creates its barriers without naming the organisation: the barrier
    # queryset fills it from each person (`coaching.models.with_organisation`).
    found = list(Barrier.objects.values_list("organisation_id", "person__organisation_id"))
    assert len({own for own, _ in found}) == 2  # both providers' barriers, Sam's among them
    assert all(own == persons for own, persons in found)
