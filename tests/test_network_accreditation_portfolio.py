"""Accreditation from real practice (issue 15, item 3): a member organisation's lead starts a
portfolio against the network's default rubric, writes for each criterion with live figures,
sends it (figures frozen, refused while a criterion is unwritten); an assessor reviews
criterion by criterion, asks for more; the lead sees what was asked, changes it and sends it
again; the assessor decides, and the lead sees the decision. Edits from an older page never
overwrite."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from alongside.coaching.models import Goal
from alongside.network.models import (
    Criterion,
    CriterionReview,
    Level,
    Portfolio,
    PortfolioEntry,
    Rubric,
)
from alongside.network.rubric_default import ensure_default_rubric
from alongside.network.services import accreditation as services

from .factories import text_of

pytestmark = pytest.mark.django_db


def start(world, login):
    client = login(world["lead"])
    response = client.post(
        "/network/accreditation/start/",
        {"organisation": world["home"].pk, "network": world["network"].pk},
    )
    portfolio = Portfolio.objects.get(organisation=world["home"])
    assert response.status_code == 302
    assert response["Location"] == f"/network/accreditation/{portfolio.pk}/"
    return client, portfolio


def write_all(world, portfolio, *, skip=()):
    for entry in portfolio.entries.select_related("criterion"):
        if entry.criterion.title in skip:
            continue
        services.entry_save(
            actor=world["lead"],
            entry=entry,
            version=entry.version,
            narrative=f"What we do for {entry.criterion.title}.",
            figure_keys=list(entry.criterion.figure_keys),
        )


def submitted(world, login):
    client, portfolio = start(world, login)
    write_all(world, portfolio)
    portfolio.refresh_from_db()
    response = client.post(
        f"/network/accreditation/{portfolio.pk}/submit/", {"version": portfolio.version}
    )
    assert response.status_code == 302
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.SUBMITTED
    return client, portfolio


def test_the_default_rubric_is_three_themes_and_is_made_once(world):
    rubric = ensure_default_rubric(network=world["network"])
    assert ensure_default_rubric(network=world["network"]) == rubric
    assert Rubric.objects.filter(network=world["network"]).count() == 1
    themes = [t.title for t in rubric.themes.all()]
    assert themes == [
        "Person-led and strengths-based practice",
        "Organisational culture",
        "Influencing and disrupting the wider system",
    ]
    for theme in rubric.themes.all():
        assert 3 <= theme.criteria.count() <= 4
    assert [lv.name for lv in rubric.levels.all()] == ["Working towards", "Established", "Leading"]
    from alongside.network.evidence import FIGURES

    for criterion in Criterion.objects.filter(theme__rubric=rubric):
        assert criterion.what_counts
        assert set(criterion.figure_keys) <= set(FIGURES)


def test_a_lead_starts_a_portfolio_with_a_page_per_criterion(world, login):
    client, portfolio = start(world, login)
    assert portfolio.rubric.is_default and portfolio.network == world["network"]
    assert (
        portfolio.entries.count()
        == Criterion.objects.filter(theme__rubric=portfolio.rubric).count()
    )
    page = text_of(client.get(f"/network/accreditation/{portfolio.pk}/"))
    assert "Goals are the person's own" in page
    assert "Not written yet" in page
    # One open portfolio at a time: the start button is gone, and starting again is refused.
    listing = text_of(client.get("/network/accreditation/"))
    assert "Start a portfolio for" not in listing
    with pytest.raises(services.PortfolioError):
        services.portfolio_start(
            actor=world["lead"], network=world["network"], organisation=world["home"]
        )


def test_a_criterion_page_shows_live_figures_and_saves_what_is_ticked(world, login):
    client, portfolio = start(world, login)
    Goal.objects.bulk_create(Goal(person=world["sam"], words=f"own {i}") for i in range(12))
    entry = portfolio.entries.get(criterion__title="Goals are the person's own")
    url = f"/network/accreditation/{portfolio.pk}/criteria/{entry.pk}/"
    page = text_of(client.get(url))
    assert "Goals in the person's own words" in page
    assert "100% of goals were in the person's own words" in page  # shown live
    assert "How it is counted:" in page
    response = client.post(
        url,
        {
            "narrative": "People write their own goals.",
            "figures": ["goals_own_words", "wellbeing_change"],
            "version": entry.version,
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.narrative == "People write their own goals."
    assert entry.figure_keys == ["goals_own_words", "wellbeing_change"]
    assert entry.version == 2


def test_an_edit_from_an_older_page_is_refused_and_shown_beside_what_was_typed(world, login):
    client, portfolio = start(world, login)
    entry = portfolio.entries.first()
    url = f"/network/accreditation/{portfolio.pk}/criteria/{entry.pk}/"
    services.entry_save(
        actor=world["lead"],
        entry=entry,
        version=1,
        narrative="Theirs, saved first.",
        figure_keys=[],
    )
    response = client.post(url, {"narrative": "Mine, typed later.", "version": 1})
    assert response.status_code == 409
    page = text_of(response)
    assert "Theirs, saved first." in page and "Mine, typed later." in page
    entry.refresh_from_db()
    assert entry.narrative == "Theirs, saved first."


def test_sending_is_refused_while_a_criterion_is_unwritten(world, login):
    client, portfolio = start(world, login)
    write_all(world, portfolio, skip={"No cliff edges"})
    portfolio.refresh_from_db()
    response = client.post(
        f"/network/accreditation/{portfolio.pk}/submit/",
        {"version": portfolio.version},
        follow=True,
    )
    assert "Still to write: No cliff edges" in text_of(response)
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.DRAFT


def test_sending_freezes_the_chosen_figures(world, login):
    Goal.objects.bulk_create(Goal(person=world["sam"], words=f"own {i}") for i in range(12))
    client, portfolio = submitted(world, login)
    entry = portfolio.entries.get(criterion__title="Goals are the person's own")
    frozen = {f["key"]: f for f in entry.figures_frozen}
    assert set(frozen) == {"goals_own_words", "budget_own_goals"}
    assert frozen["goals_own_words"]["headline"].startswith("100% of goals")
    # The data moves on; what was sent does not.
    Goal.objects.bulk_create(
        Goal(person=world["sam"], words="s", suggested_by=world["coach"]) for _ in range(12)
    )
    entry.refresh_from_db()
    assert entry.figures_frozen[0]["headline"].startswith("100% of goals")
    assert portfolio.submitted_at is not None


def test_a_lead_cannot_change_it_once_sent(world, login):
    client, portfolio = submitted(world, login)
    entry = portfolio.entries.first()
    before = entry.narrative
    response = client.post(
        f"/network/accreditation/{portfolio.pk}/criteria/{entry.pk}/",
        {"narrative": "Sneaky change", "version": entry.version},
    )
    assert response.status_code == 400
    assert "with the network now" in text_of(response)
    entry.refresh_from_db()
    assert entry.narrative == before
    # The page shows it to read, without the form.
    page = text_of(client.get(f"/network/accreditation/{portfolio.pk}/criteria/{entry.pk}/"))
    assert "Figures, as they stood when you sent it" in page or "What you wrote" in page
    assert 'name="narrative"' not in page


def test_review_ask_for_more_resubmit_and_decide(world, login):
    lead_client, portfolio = submitted(world, login)
    assessor = login(world["assessor"])
    queue = text_of(assessor.get("/network/assessing/"))
    assert world["home"].name in queue
    entries = list(portfolio.entries.select_related("criterion"))
    cliff = next(e for e in entries if e.criterion.title == "No cliff edges")
    page = text_of(assessor.get(f"/network/assessing/{portfolio.pk}/criteria/{cliff.pk}/"))
    assert "What we do for No cliff edges." in page
    response = assessor.post(
        f"/network/assessing/{portfolio.pk}/criteria/{cliff.pk}/",
        {"verdict": "more", "comment": "Tell us how you keep in touch during a pause."},
    )
    assert response.status_code == 302
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.IN_REVIEW
    assert portfolio.assessor == world["assessor"]
    assessor.post(f"/network/assessing/{portfolio.pk}/ask-more/", {"version": portfolio.version})
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.MORE_ASKED

    # The lead sees what was asked, changes the criterion and sends it again.
    page = text_of(lead_client.get(f"/network/accreditation/{portfolio.pk}/"))
    assert "The assessor has asked for more" in page
    assert "Tell us how you keep in touch during a pause." in page
    cliff.refresh_from_db()
    response = lead_client.post(
        f"/network/accreditation/{portfolio.pk}/criteria/{cliff.pk}/",
        {"narrative": "We text, as the person asked.", "version": cliff.version},
    )
    assert response.status_code == 302
    portfolio.refresh_from_db()
    lead_client.post(
        f"/network/accreditation/{portfolio.pk}/submit/", {"version": portfolio.version}
    )
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.SUBMITTED

    # Every review is kept; the latest holds.
    assessor.post(
        f"/network/assessing/{portfolio.pk}/criteria/{cliff.pk}/",
        {"verdict": "met", "comment": ""},
    )
    reviews = CriterionReview.objects.filter(portfolio=portfolio, criterion=cliff.criterion)
    assert reviews.count() == 2
    assert reviews.first().verdict == "met"  # newest first

    level = Level.objects.get(rubric=portfolio.rubric, name="Established")
    portfolio.refresh_from_db()
    response = assessor.post(
        f"/network/assessing/{portfolio.pk}/decide/",
        {
            "outcome": "accredited",
            "level": level.pk,
            "note": "Warm, honest and clear.",
            "renewal_due_on": "",
            "version": portfolio.version,
        },
    )
    assert response.status_code == 302
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.DECIDED
    assert portfolio.level == level and portfolio.decided_by == world["assessor"]
    today = timezone.localdate()
    assert portfolio.renewal_due_on == today.replace(year=today.year + 3)

    page = text_of(lead_client.get(f"/network/accreditation/{portfolio.pk}/"))
    assert "The network's decision: Accredited, Established" in page
    assert "Warm, honest and clear." in page


def test_asking_for_more_needs_a_review_that_asks(world, login):
    _, portfolio = submitted(world, login)
    response = login(world["assessor"]).post(
        f"/network/assessing/{portfolio.pk}/ask-more/", {"version": portfolio.version}, follow=True
    )
    assert "Review at least one criterion" in text_of(response)
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.SUBMITTED


def test_a_decision_needs_a_level_and_keeps_what_was_typed(world, login):
    _, portfolio = submitted(world, login)
    response = login(world["assessor"]).post(
        f"/network/assessing/{portfolio.pk}/decide/",
        {"outcome": "accredited", "note": "Lovely work.", "version": portfolio.version},
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Choose the level it is accredited at." in page
    assert "Lovely work." in page
    portfolio.refresh_from_db()
    assert portfolio.status == Portfolio.Status.SUBMITTED


def test_a_decision_from_an_older_page_is_refused(world, login):
    _, portfolio = submitted(world, login)
    old = portfolio.version
    services.portfolio_decide(
        actor=world["assessor"],
        portfolio=portfolio,
        version=old,
        outcome="not_yet",
        level=None,
        note="Not yet: more on culture, please.",
        renewal_due_on=None,
    )
    with pytest.raises(services.PortfolioError):
        services.portfolio_decide(
            actor=world["assessor"],
            portfolio=Portfolio.objects.get(pk=portfolio.pk),
            version=old,
            outcome="accredited",
            level=Level.objects.filter(rubric=portfolio.rubric).first(),
            note="Yes",
            renewal_due_on=timezone.localdate() + timedelta(days=400),
        )
    portfolio.refresh_from_db()
    assert portfolio.outcome == "not_yet" and portfolio.renewal_due_on is None


def test_sending_from_an_older_page_is_refused(world, login):
    client, portfolio = start(world, login)
    write_all(world, portfolio)
    with pytest.raises(services.PortfolioConflictError):
        services.portfolio_submit(actor=world["lead"], portfolio=portfolio, version=99)
    assert (
        PortfolioEntry.objects.filter(portfolio=portfolio).exclude(figures_frozen=[]).count() == 0
    )
