"""The network's default rubric for accreditation from real practice (issue 15, item 3).

Not a quality mark of boxes ticked: it gathers evidence around three themes, working
alongside people in a person-led, strengths-based way; an organisation's own culture; and
influencing and disrupting the wider system. Each criterion says what counts as evidence and
names the live figures (`network.evidence.FIGURES`) that speak to it, so an organisation shows
what it does from its own records as well as in its own words.

The rubric is data: a network may change its own copy. `ensure_default_rubric` writes this one
once per network and afterwards returns what is there, whatever has been changed since.
"""

from __future__ import annotations

from django.db import transaction

from alongside.accounts.models import Organisation

from .models import Criterion, Level, Rubric, RubricTheme

NAME = "Accreditation from real practice"
DESCRIPTION = (
    "Not a traditional quality mark. It gathers evidence around three themes: working "
    "alongside people in a person-led, strengths-based way; an organisation's own culture; and "
    "influencing and disrupting the wider system. By sharing what they learn from working "
    "this way, organisations influence others through doing."
)

LEVELS: list[tuple[str, str]] = [
    (
        "Working towards",
        "The organisation has begun to work this way and can show where it is heading, with "
        "honest reflection on what is still hard.",
    ),
    (
        "Established",
        "Working this way is how the organisation does things day to day, shown in its own "
        "records and in what people say about it.",
    ),
    (
        "Leading",
        "The organisation works this way throughout, helps others to, and can show change it "
        "has brought about in the wider system.",
    ),
]

# (theme title, theme description, [(criterion title, description, what counts, figure keys)])
THEMES: list[tuple[str, str, list[tuple[str, str, str, list[str]]]]] = [
    (
        "Person-led and strengths-based practice",
        "Working alongside people on their terms: starting from their strengths and what they "
        "want, not from a service's boxes.",
        [
            (
                "People start on their own terms",
                "Anyone can start working with us with only the name they choose: no referral "
                "form, eligibility test or assessment stands in the way.",
                "How people start with you, in your words and theirs. Relationships started "
                "with a name only. Stories of someone who could not get help elsewhere.",
                ["started_name_only"],
            ),
            (
                "Goals are the person's own",
                "Goals are written in the person's own words, or suggested and then accepted by "
                "them. Changing your mind is never counted as failure.",
                "The share of goals in people's own words or accepted by them. Examples of "
                "goals that changed as someone's life changed.",
                ["goals_own_words", "budget_own_goals"],
            ),
            (
                "No cliff edges",
                "Working together can pause, change pace, or end when the person chooses, and "
                "the door stays open: coming back needs no new referral.",
                "Pauses and restarts set against endings. How you keep in touch while things "
                "are paused. What is in place when someone moves on.",
                ["pauses_restarts"],
            ),
            (
                "Strengths and wellbeing, not deficits",
                "What is measured is wellbeing, strengths, connections and what people achieve, "
                "never needs or risk levels.",
                "Change in wellbeing from people's first check-in to their latest. How "
                "strengths and connections are recorded and used.",
                ["wellbeing_change"],
            ),
        ],
    ),
    (
        "Organisational culture",
        "An organisation that flips the power: it listens to and is led by the people it works "
        "with and by the people doing the work.",
        [
            (
                "The words we use",
                "Labels that describe people as problems give way to plain, human words, in "
                "records and in conversation.",
                "The trend of the language prompt: how often it is needed, and how often "
                "people change their words when it is. What you did about it as a team.",
                ["language_prompts"],
            ),
            (
                "Money follows what people want",
                "Personal budgets are spent on people's own goals, decided with them, not on "
                "what a service thinks they need.",
                "Personal budget spent on people's own goals. How decisions about money are "
                "made, and how quickly.",
                ["budget_own_goals"],
            ),
            (
                "Learning from the people we work with",
                "The organisation listens, on purpose and regularly, to the people it works "
                "with, and changes because of what it hears.",
                "Listening exercises held, and what changed because of them. How coaches are "
                "supported, trusted and given room to decide.",
                ["listening_exercises"],
            ),
        ],
    ),
    (
        "Influencing and disrupting the wider system",
        "Changing the way services are commissioned and perceived, so that working this way "
        "becomes the norm, not the exception.",
        [
            (
                "Naming what gets in the way",
                "When a service or rule gets in someone's way, it is recorded, and, with their "
                "agreement, shared so it can be changed.",
                "Barriers recorded and shared with the person's agreement. Examples of a "
                "barrier that was challenged and what came of it.",
                ["barriers_recommendations"],
            ),
            (
                "Taking learning to people with power",
                "The organisation takes what it learns to commissioners, boards and other "
                "services, and follows it up.",
                "Recommendations made and answered. Convening groups, experiments and what "
                "changed in the wider system.",
                ["barriers_recommendations", "listening_exercises"],
            ),
            (
                "Influencing through doing",
                "The organisation shares its data, learning and stories with others, so that "
                "others can work this way too.",
                "What you have shared with other organisations, funders or commissioners, and "
                "what they did with it.",
                [],
            ),
        ],
    ),
]


def ensure_default_rubric(*, network: Organisation) -> Rubric:
    """The network's default rubric, written the first time it is asked for. Idempotent: a
    network that already has a default gets that one back, unchanged."""
    found = Rubric.objects.filter(network=network, is_default=True).order_by("pk").first()
    if found is not None:
        return found
    with transaction.atomic():
        rubric = Rubric.objects.create(
            network=network, name=NAME, description=DESCRIPTION, is_default=True
        )
        for order, (name, description) in enumerate(LEVELS):
            Level.objects.create(rubric=rubric, name=name, description=description, order=order)
        for theme_order, (title, description, criteria) in enumerate(THEMES):
            theme = RubricTheme.objects.create(
                rubric=rubric, title=title, description=description, order=theme_order
            )
            for order, (c_title, c_description, what_counts, keys) in enumerate(criteria):
                Criterion.objects.create(
                    theme=theme,
                    title=c_title,
                    description=c_description,
                    what_counts=what_counts,
                    figure_keys=list(keys),
                    order=order,
                )
    return rubric
