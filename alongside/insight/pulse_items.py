"""The items of the system-health pulse, one short list for each audience.

They come from seed 002's table "System redesign: behaviour changes at every level": what
people with power, workers and volunteers, and citizens do and feel when a system works
alongside people. Each row of the table is reworded as statements a person agrees or
disagrees with on a 5-point scale, split where a compound row would be hard to answer on a
phone, and kept to at most six an audience so a pulse takes a minute or two.

The keys are stable: answers are kept under them, so a key is never reused for different
words. Change the words only in ways that keep their meaning, or add a new key.
"""

from __future__ import annotations

from dataclasses import dataclass

POWER = "power"
WORKERS = "workers"
CITIZENS = "citizens"

# The 5-point scale, from 1 to 5, as the answer page shows it.
SCALE: tuple[tuple[int, str], ...] = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
)
# Agree and strongly agree: what "the share agreeing" counts.
AGREEING = frozenset({4, 5})
MAX_ITEMS = 6


@dataclass(frozen=True)
class Item:
    key: str
    words: str
    # The row of seed 002's table it comes from, for the analyst choosing items.
    from_row: str

    def as_stored(self) -> dict[str, str]:
        """How a pulse keeps it (`Pulse.items`)."""
        return {"key": self.key, "words": self.words}


ITEMS: dict[str, tuple[Item, ...]] = {
    POWER: (
        Item(
            "power.empathy",
            "We show empathy and humanity in how we lead.",
            "We show empathy and humanity, and feel valued",
        ),
        Item("power.valued", "I feel valued.", "We show empathy and humanity, and feel valued"),
        Item(
            "power.open",
            "We are open to change and to being led by others.",
            "We are open to change and being led by others",
        ),
        Item(
            "power.community",
            "We are present in our community and build alliances.",
            "We are present in our community, and build alliances",
        ),
        Item(
            "power.thrive",
            "I am happy in my role, and people here can learn, thrive and build deep "
            "relationships.",
            "We are happy in our roles, creating healthy, learning workplaces",
        ),
        Item(
            "power.wellbeing",
            "We aim for wellbeing, and we measure the good and bad impacts of our work.",
            "We aim for wellbeing and measure the good and bad impacts of our work",
        ),
    ),
    WORKERS: (
        Item(
            "workers.empathy",
            "People here show empathy and humanity.",
            "We show empathy and humanity, and feel valued",
        ),
        Item("workers.valued", "I feel valued.", "We show empathy and humanity, and feel valued"),
        Item(
            "workers.alongside",
            "I work alongside people, not for them, connecting them with others.",
            "We work alongside (not for) citizens, connecting ourselves and others",
        ),
        Item(
            "workers.happy",
            "I am happy in my role.",
            "We are happy in our roles and help people to live good lives",
        ),
        Item(
            "workers.capacity",
            "I help people live good lives, working with what they can do, not just what "
            "they need.",
            "We help people to live good lives, working with their capacity not just their needs",
        ),
        Item(
            "workers.what_matters",
            "I do what matters to people rather than to the system, with humility and courage "
            "at the right times.",
            "We are confident we do what matters to people rather than the system",
        ),
    ),
    CITIZENS: (
        Item(
            "citizens.empathy",
            "People around me show empathy and humanity.",
            "We show empathy and humanity, and feel valued",
        ),
        Item("citizens.valued", "I feel valued.", "We show empathy and humanity, and feel valued"),
        Item(
            "citizens.active",
            "I am active in my community, doing and starting things.",
            "We are active – doing and starting stuff in the community",
        ),
        Item(
            "citizens.connected",
            "I am well connected with other people.",
            "We are well-connected with others",
        ),
        Item(
            "citizens.good_life",
            "The support I get helps me live my idea of a good life.",
            "We pursue good lives and are happier, and expect support to help us live our idea "
            "of a good life",
        ),
        Item(
            "citizens.lead",
            "I feel confident to say what I want from organisations, give feedback and take "
            "the lead.",
            "We define the lives we want to live and the roles we want any organisations to "
            "play; feeling confident to feed back and take the lead",
        ),
    ),
}

ALL_KEYS: frozenset[str] = frozenset(item.key for items in ITEMS.values() for item in items)


def items_for(audience: str) -> tuple[Item, ...]:
    """The items for an audience, in the order they are asked; none for an unknown one."""
    return ITEMS.get(audience, ())


def scale_words(value: int) -> str:
    return dict(SCALE).get(value, "")
