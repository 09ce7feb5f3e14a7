"""Addresses for the coaching pages' rows, worked out once for a whole list.

The person page lists a few dozen things, each with a link, and `{% url %}` costs about
seventy Python calls a link, so the selectors hand templates rows with their addresses already
written (their days come from core.words, as the `date` filter would write them)."""

from __future__ import annotations

from collections.abc import Callable

from alongside.core.paths import path_to

# A number no part of a record has as its id, to find where the id goes in an address.
_MARK = 987654321


def part_paths(name: str, person_id: int) -> Callable[[int], str]:
    """The address of each part of one person's record named `name` (a URL name taking the
    person's id and the part's id), reversed once for the whole list: `paths(goal.pk)`."""
    head, _, tail = path_to(name, [person_id, _MARK]).rpartition(str(_MARK))
    return lambda part_id: f"{head}{part_id}{tail}"
