"""The demo exercise's finished report: the themes the demo team settled on, written up and
published, as a team would leave it after reading every contribution together.

The grouping below is the team's (every contribution placed by a person, every theme owned by
the team), so running the theme suggestion again on the demo keeps all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction

from alongside.listening.models import Contribution, Excerpt, Exercise, Report, Theme
from alongside.listening.publishing import store_version

from .listening import ENDS_ON, VOICES, moment


@dataclass(frozen=True)
class DemoTheme:
    title: str
    synthesis: str
    recommendations: str
    voices: tuple[int, ...]  # indices into demo.VOICES
    content_warnings: str = ""


THEMES = [
    DemoTheme(
        "Passed from desk to desk",
        "People told us about telling their story again and again, to one desk after another, "
        "and about rules that point at each other. Numbers that ring out, letters to old "
        "addresses and phone credit spent on hold all ended with the person being the one "
        "who was said not to engage.",
        "One named person who stays with someone until things are sorted.\n"
        "Tell people, and each other, before closing anyone's support.\n"
        "A free number, or a call back, for anyone waiting on hold.",
        (0, 2, 8, 13, 14, 19, 23, 30, 37, 38),
    ),
    DemoTheme(
        "Someone who stayed",
        "The help people remembered was rarely a service. It was a librarian, a man on a "
        "wall talking football, a hostel worker keeping the post, a doctor who rang back "
        "herself. What they shared: time, no forms first, and treating people as adults.",
        "Give workers time and permission to sit with people before any form.\n"
        "Fund the small places people already trust: the café, the club, the library.",
        (1, 3, 9, 12, 16, 20, 22, 26, 29, 31, 35, 39),
    ),
    DemoTheme(
        "Judged before I'm heard",
        "Forms that ask what is wrong and never what you are good at; a receptionist looking "
        "at shoes before faces; worry that saying too much goes on a file. Workers told us "
        "the same from the other side: twelve minutes a person is not enough to hear anyone.",
        "Ask what matters to the person, and what they are good at, before anything else.\n"
        "Book interpreters and other support without being asked twice.",
        (5, 6, 10, 18, 21, 24, 32, 33, 34),
        "Mentions children being taken into care.",
    ),
    DemoTheme(
        "Cliff edges",
        "Leaving hospital, prison or care, or turning eighteen, was where help stopped all at "
        "once: a flat with the heating cut off, a bin bag on release day, a leaflet instead "
        "of a worker, eighteen months waiting for an assessment.",
        "Nobody leaves hospital, prison or care without knowing who they will see that day.\n"
        "Support that tapers off when the person is ready, not on a birthday.",
        (4, 7, 11, 25, 27),
        "Mentions illness.",
    ),
    DemoTheme(
        "Help that fits a life",
        "Help came in pieces that did not fit people's lives: a worker only allowed to talk "
        "about one thing, everything online for people without the internet, drop-ins that "
        "close before the school run ends.",
        "Open when people can come, including after school and by letter or phone.\n"
        "Let workers help with whatever is in the way, not only their own part.",
        (15, 17, 28),
    ),
]
# Said honestly, and belonging to no theme (principle 7: nothing is dropped).
DIDNT_FIT = (36,)
QUOTES_PER_THEME = 4

HOW_WE_LISTENED = (
    "Over six weeks we asked one question, in person on the street and at drop-ins, by phone, "
    "by email and WhatsApp, in groups and by letter. We read every word people gave us as a "
    "team, took out names and anything else that could identify someone, and grouped what we "
    "heard. People chose whether to be quoted and how to be named."
)
INTRODUCTION = (
    "This report is what people in Northfield told us, in their own words as far as we could "
    "keep them. It is not everything, and it is not the last word."
)


def finish_demo_report(exercise: Exercise) -> Report:
    """Themes, quotes and a published report for the demo exercise (see the module doc)."""
    by_text = {c.text: c for c in exercise.contributions.all()}
    contributions = [by_text[voice[2]] for voice in VOICES]
    with transaction.atomic():
        exercise.themes.all().delete()
        for position, spec in enumerate(THEMES):
            theme = Theme.objects.create(
                exercise=exercise,
                title=spec.title,
                synthesis=spec.synthesis,
                recommendations=spec.recommendations,
                content_warnings=spec.content_warnings,
                position=position,
                owned_by_team=True,
            )
            _place(theme, [contributions[i] for i in spec.voices])
        didnt_fit = Theme.objects.create(
            exercise=exercise, title="Didn't fit", is_didnt_fit=True, owned_by_team=True
        )
        _place(didnt_fit, [contributions[i] for i in DIDNT_FIT])
        report, _ = Report.objects.update_or_create(
            exercise=exercise,
            defaults={
                "how_we_listened": HOW_WE_LISTENED,
                "introduction": INTRODUCTION,
                "published_at": moment(ENDS_ON + timedelta(days=21), 11),
            },
        )
        # What readers of the link see is the version frozen here (issue 12, item 5).
        report.versions.all().delete()
        store_version(report, published_at=report.published_at)
    return report


def _place(theme: Theme, members: list[Contribution]) -> None:
    """The team's placement, and whole-contribution excerpts: the first few that may be
    quoted become the theme's quotes, the first of them its headline."""
    Contribution.objects.filter(pk__in=[c.pk for c in members]).update(
        theme=theme, placed_by_team=True
    )
    quoted = 0
    excerpts = []
    for position, contribution in enumerate(members):
        is_quote = contribution.quotable and quoted < QUOTES_PER_THEME and not theme.is_didnt_fit
        quoted += is_quote
        excerpts.append(_whole(contribution, theme, position, is_quote))
    Excerpt.objects.bulk_create(excerpts)
    headline = next((e for e in excerpts if e.is_quote), None)
    if headline is not None:
        theme.headline = Excerpt.objects.get(theme=theme, contribution=headline.contribution)
        theme.save(update_fields=["headline"])


def _whole(contribution: Contribution, theme: Theme, position: int, is_quote: bool) -> Any:
    text = contribution.redacted_text
    return Excerpt(
        contribution=contribution,
        theme=theme,
        start=0,
        end=len(text),
        text=text,
        is_quote=is_quote,
        position=position,
        coded_by=contribution.reviewed_by,
    )
