"""The vocabulary of an area's data: which columns a file may have, the categories each
characteristic takes (the ONS harmonised ones where there are some), and how a group is named
in a sentence.

A value is normalised once, on import (`normalise`), so "F", "female" and "Female" are one
group; a value that cannot be read is a problem named by row and column, never guessed.
Missing, "prefer not to say" and "not known" all become NOT_RECORDED, a group of its own that is
counted but never flagged (there is no population to compare it with).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NOT_RECORDED = "Not recorded"
_MISSING = {
    "",
    "na",
    "n/a",
    "none",
    "null",
    "unknown",
    "not known",
    "not recorded",
    "prefer not to say",
    "not stated",
    "refused",
    "-",
}


@dataclass(frozen=True)
class Characteristic:
    key: str
    label: str  # "Ethnic group"
    # Accepted spellings (lower case) → the category stored. Empty: any words are a category.
    categories: dict[str, str] = field(default_factory=dict)
    # How a category is named in a sentence: "Black residents", "people aged 18 to 24".
    people: dict[str, str] = field(default_factory=dict)
    hint: str = ""


ETHNIC_GROUPS = {
    "Asian, Asian British or Asian Welsh": "Asian",
    "Black, Black British, Black Welsh, Caribbean or African": "Black",
    "Mixed or Multiple ethnic groups": "Mixed or multiple",
    "White": "White",
    "Other ethnic group": "Other",
}


def _ethnicity_spellings() -> dict[str, str]:
    spellings: dict[str, str] = {}
    for category, short in ETHNIC_GROUPS.items():
        spellings[category.lower()] = category
        spellings[short.lower()] = category
    spellings.update(
        {
            "asian or asian british": "Asian, Asian British or Asian Welsh",
            "black or black british": "Black, Black British, Black Welsh, Caribbean or African",
            "black british": "Black, Black British, Black Welsh, Caribbean or African",
            "mixed": "Mixed or Multiple ethnic groups",
            "mixed or multiple": "Mixed or Multiple ethnic groups",
            "white british": "White",
            "arab": "Other ethnic group",
            "other": "Other ethnic group",
            "any other ethnic group": "Other ethnic group",
        }
    )
    return spellings


CHARACTERISTICS: dict[str, Characteristic] = {
    c.key: c
    for c in [
        Characteristic(
            "ethnicity",
            "Ethnic group",
            _ethnicity_spellings(),
            {category: f"{short} residents" for category, short in ETHNIC_GROUPS.items()},
            hint="The ONS harmonised groups (Census 2021): Asian, Black, Mixed or multiple, "
            "White, Other; the detailed groups are read as their broad group.",
        ),
        Characteristic(
            "sex",
            "Sex",
            {
                "female": "Female",
                "f": "Female",
                "woman": "Female",
                "male": "Male",
                "m": "Male",
                "man": "Male",
            },
            {"Female": "Women", "Male": "Men"},
            hint="Female or Male, as the Census asks.",
        ),
        Characteristic(
            "age_band",
            "Age band",
            hint='Bands such as "18 to 24", "25-34" or "65+".',
        ),
        Characteristic(
            "disability",
            "Disability",
            {
                "disabled": "Disabled",
                "yes": "Disabled",
                "y": "Disabled",
                "true": "Disabled",
                "not disabled": "Not disabled",
                "no": "Not disabled",
                "n": "Not disabled",
                "false": "Not disabled",
            },
            {"Disabled": "Disabled residents", "Not disabled": "Residents who are not disabled"},
            hint="Disabled or Not disabled (Equality Act 2010).",
        ),
    ]
}

# Columns every file of service records has; characteristics and outcomes are chosen.
RECORD_COLUMNS = {
    "person_id": "Person (a pseudonymous id)",
    "date": "Date of the episode or contact",
    "service": "Service",
}
POPULATION_COUNT = "count"

# Ignoring capitals, so a band read back in its stored form ("Under 18", "65 and over") is
# read as itself. ASCII digits only: int() would read other scripts' digits, SQL would not.
_AGE = re.compile(r"^\s*([0-9]{1,3})\s*(?:-|–|to)\s*([0-9]{1,3})\s*$", re.IGNORECASE)
_AGE_OVER = re.compile(r"^\s*([0-9]{1,3})\s*(?:\+|and over|or over|plus)\s*$", re.IGNORECASE)
_AGE_UNDER = re.compile(r"^\s*(?:under|less than)\s*([0-9]{1,3})\s*$", re.IGNORECASE)


class NotACategoryError(ValueError):
    """The words a problem row shows: what was found and what was expected."""


def normalise(key: str, value: str | None) -> str:
    """The stored category for a raw value of a characteristic, or NotACategoryError."""
    text = (value or "").strip()
    if text.lower() in _MISSING:
        return NOT_RECORDED
    if key == "age_band":
        return _age_band(text)
    known = CHARACTERISTICS.get(key)
    if known is None or not known.categories:
        return text[:100]
    found = known.categories.get(text.lower())
    if found is None and key == "ethnicity":
        # A detailed group, "White: Irish" or "Asian or Asian British: Indian", is its broad one.
        head = re.split(r"[:,(]", text, maxsplit=1)[0].strip().lower()
        found = known.categories.get(head) or known.categories.get(head.split(" ")[0])
    if found is None:
        groups = known.label.lower().removesuffix(" group")
        raise NotACategoryError(f'"{text[:40]}" is not one of the {groups} groups')
    return found


def _age_band(text: str) -> str:
    if match := _AGE.match(text):
        low, high = int(match[1]), int(match[2])
        if low <= high <= 120:
            return f"{low} to {high}"
    elif match := _AGE_OVER.match(text):
        return f"{int(match[1])} and over"
    elif match := _AGE_UNDER.match(text):
        return f"Under {int(match[1])}"
    raise NotACategoryError(f'"{text[:40]}" is not an age band such as "18 to 24" or "65+"')


def label(key: str) -> str:
    known = CHARACTERISTICS.get(key)
    return known.label if known else key.replace("_", " ").capitalize()


def people(key: str, category: str) -> str:
    """How a group is named in a sentence: "Black residents", "Women", "People aged 18 to
    24", "People whose disability is not recorded"."""
    if category == NOT_RECORDED:
        return f"People whose {label(key).lower()} is not recorded"
    known = CHARACTERISTICS.get(key)
    if known and category in known.people:
        return known.people[category]
    if key == "age_band":
        return f"People aged {category[0].lower() + category[1:]}"
    return f"People in the group “{category}”"


_TRUE = {"1", "yes", "y", "true", "t"}
_FALSE = {"0", "no", "n", "false", "f"}


def outcome(value: str | None) -> bool | None:
    """An outcome cell: yes or no, or None when blank (not known). NotACategoryError else."""
    text = (value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _MISSING:
        return None
    raise NotACategoryError(f'"{text[:40]}" is not yes or no')


def slug(text: str) -> str:
    """A safe column key for a name the analyst typed ("Housed?" → "housed")."""
    cleaned = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return (cleaned or "column")[:40]
