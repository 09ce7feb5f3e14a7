"""Reads for listening exercises and their contributions, each in a fixed number of
queries however many contributions there are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from alongside.accounts import policy
from alongside.accounts.models import Membership, Organisation, Role, User
from alongside.core import written
from alongside.core.paths import path_to
from alongside.core.words import day_short_month_year

from .. import redaction
from ..models import Channel, Contribution, Exercise, Redaction, credit_line

DRAFT = Contribution.State.DRAFT
REVIEWED = Contribution.State.REVIEWED
HIDDEN = (Redaction.Decision.SUGGESTED, Redaction.Decision.REMOVE)
CHANNEL_LABELS = dict(Channel.choices)
PLACES_SHOWN = 12
PER_PAGE = 50
# Who may be in an exercise's team: its organisation's listeners and leads.
TEAM_ROLES = (Role.LISTENER, Role.LEAD)
SNIPPET_CHARS = 180

# ?show= on the contributions list
FILTERS = {
    "waiting": ("Waiting for a check", Q(state=DRAFT)),
    "checked": ("Checked", Q(state=REVIEWED)),
    "all": ("All", Q()),
}


@dataclass(frozen=True)
class ExerciseRow:
    """An exercise on the list of exercises, with its counts."""

    pk: int
    title: str
    question: str
    total: int
    waiting: int  # contributions waiting for a check
    in_team: bool


def exercises_for(user: Any) -> list[ExerciseRow]:
    """The exercises whose team the user is in, and for a lead every exercise in their
    organisation, newest first, each with how many contributions wait for a check. Three
    plain queries (the user's teams, the exercises, their counts by state): one query with
    the counts and the team as subqueries cost twice the Python to build (issue 11)."""
    listening_orgs = policy.organisations_where(user, Role.LISTENER) | policy.organisations_where(
        user, Role.LEAD
    )
    lead_orgs = policy.organisations_where(user, Role.LEAD)
    teams = set(
        Exercise.team.through.objects.filter(user_id=user.pk).values_list("exercise_id", flat=True)
    )
    exercises = list(
        Exercise.objects.filter(
            Q(organisation_id__in=lead_orgs) | Q(organisation_id__in=listening_orgs, pk__in=teams)
        )
        .order_by("-created_at", "-pk")
        .values_list("pk", "title", "question")
    )
    total: dict[int, int] = {}
    waiting: dict[int, int] = {}
    if exercises:
        by_state = (
            Contribution.objects.filter(exercise_id__in=[pk for pk, _, _ in exercises])
            .values_list("exercise_id", "state")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for exercise_id, state, n in by_state:
            total[exercise_id] = total.get(exercise_id, 0) + n
            if state == DRAFT:
                waiting[exercise_id] = n
    return [
        ExerciseRow(pk, title, question, total.get(pk, 0), waiting.get(pk, 0), pk in teams)
        for pk, title, question in exercises
    ]


def _by_state_and_channel(ids: list[int]) -> QuerySet[Any]:
    return (
        Contribution.objects.filter(exercise_id=ids[0])
        .values_list("state", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )


def _by_place(ids: list[int]) -> QuerySet[Any]:
    return (
        Contribution.objects.filter(exercise_id=ids[0])
        .values_list("place")
        .annotate(n=Count("id"))
        .order_by("-n", "place")
    )


def overview(exercise: Exercise) -> dict[str, Any]:
    """How many contributions, by channel and by place, and how many wait for a check.
    Counts only: no words. Both counts are written once per connection (core.written):
    building the two grouped querysets was most of the overview's Python (issue 11)."""
    # One count by state and channel gives both. The channels are ordered here, most first:
    # their values are fixed words that sort the same in any collation.
    by_state: dict[str, int] = {}
    per_channel: dict[str, int] = {}
    for state, channel, n in written.rows_for_ids(_by_state_and_channel, [exercise.pk]):
        by_state[state] = by_state.get(state, 0) + n
        per_channel[channel] = per_channel.get(channel, 0) + n
    by_channel = [
        {"label": CHANNEL_LABELS.get(channel, channel), "count": n}
        for channel, n in sorted(per_channel.items(), key=lambda item: (-item[1], item[0]))
    ]
    places = written.rows_for_ids(_by_place, [exercise.pk])
    by_place = [{"label": place or "Place not given", "count": n} for place, n in places]
    shown, rest = by_place[:PLACES_SHOWN], by_place[PLACES_SHOWN:]
    if len(rest) == 1:
        shown += rest  # one more place is shown by its name, not as "1 other place"
    elif rest:
        label = f"{len(rest)} other places"
        shown.append({"label": label, "count": sum(p["count"] for p in rest)})
    total = sum(by_state.values())
    return {
        "total": total,
        "waiting": by_state.get(DRAFT, 0),
        "checked": by_state.get(REVIEWED, 0),
        "by_channel": by_channel,
        "by_place": shown,
    }


def team_candidates(organisation: Organisation | int) -> QuerySet[User]:
    """The people who may be in an exercise's team: listeners and leads there (the
    organisation, or its id)."""
    user_ids = Membership.objects.filter(organisation=organisation, role__in=TEAM_ROLES).values(
        "user_id"
    )
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("first_name", "username")


def _team(ids: list[int]) -> QuerySet[Any]:
    # The user's person row, if any, in the same query: its id tells "no person" from a
    # person whose chosen name is blank, as User.display_name does.
    return (
        User.objects.filter(listening_exercises=ids[0])
        .values_list("first_name", "username", "person__pk", "person__chosen_name")
        .order_by("first_name", "username")
    )


def team(exercise: Exercise) -> list[str]:
    """The team's names as User.display_name gives them, in the order of their first names
    (then usernames): one query written once per connection (core.written)."""
    return [
        chosen_name if person_pk is not None else (first_name or username)
        for first_name, username, person_pk, chosen_name in written.rows_for_ids(
            _team, [exercise.pk]
        )
    ]


@dataclass(frozen=True)
class ContributionRow:
    """One card of the contributions list, its words worked out once: a list of fifty
    model instances made the template engine look up and format a dozen things on each
    (issue 11)."""

    path: str
    heading: str  # "Face to face, Market Square, 3 Mar 2026"
    snippet: str  # the start of the redacted text
    status: str  # "Checked · Anonymous · may be quoted"
    review_path: str  # "" once it has been checked


# What a list row reads of a contribution: never `text`, the words as heard.
ROW_FIELDS = (
    "pk",
    "channel",
    "place",
    "heard_on",
    "redacted_text",
    "state",
    "credit",
    "credit_name",
    "credit_place",
    "consent_to_quote",
    "content_warnings",
)
STATE_LABELS = dict(Contribution.State.choices)


class _Listed:
    """A filter's contributions as the paginator reads them (a count, then one slice), each
    query written once per connection (core.written): building the count and the page's
    queryset on every request was most of the list's Python (issue 11)."""

    def __init__(self, exercise_id: int, show: str) -> None:
        self.exercise_id = exercise_id
        self.show = show

    def _filtered(self, exercise_id: int) -> QuerySet[Contribution]:
        return Contribution.objects.filter(FILTERS[self.show][1], exercise_id=exercise_id)

    def count(self) -> int:
        def build(ids: list[int]) -> QuerySet[Any]:
            # Grouped by the one exercise asked for: no rows when it has none.
            grouped = self._filtered(ids[0]).values("exercise_id").annotate(n=Count("pk"))
            return grouped.order_by().values_list("n")

        found = written.rows(("contributions counted", self.show), build, [self.exercise_id])
        return found[0][0] if found else 0

    def __getitem__(self, part: slice) -> list[dict[str, Any]]:
        bottom, top = part.start, part.stop
        if top <= bottom:
            return []  # as a queryset's empty slice: no query

        # A page's rows from its first: the last page asks for a whole page's worth and gets
        # what there is, so one query is written per page, whatever the count.
        def build(ids: list[int]) -> QuerySet[Any]:
            ordered = self._filtered(ids[0]).order_by("-captured_at", "-pk")
            # The words as heard never leave the database for a list.
            return ordered.values_list(*ROW_FIELDS)[bottom : bottom + PER_PAGE]

        found = written.rows(("contributions page", self.show, bottom), build, [self.exercise_id])
        return [dict(zip(ROW_FIELDS, row, strict=True)) for row in found[: top - bottom]]


def contributions(exercise: Exercise, show: str, page_number: Any) -> dict[str, Any]:
    """One page of the exercise's contributions: the redacted words only."""
    show = show if show in FILTERS else "waiting"
    listed: Any = _Listed(exercise.pk, show)
    page: Page = Paginator(listed, PER_PAGE).get_page(page_number)
    # Each card's address is the list's own with the contribution's id after it.
    base = path_to("listening:contributions", [exercise.pk])
    return {
        "page": page,
        "rows": [_row(values, base) for values in page.object_list],
        "show": show,
        "filters": [(key, label) for key, (label, _) in FILTERS.items()],
    }


def _row(values: dict[str, Any], base: str) -> ContributionRow:
    heading = [CHANNEL_LABELS.get(values["channel"], "")]
    if values["place"]:
        heading.append(values["place"])
    if values["heard_on"]:
        heading.append(day_short_month_year(values["heard_on"]))
    status = [
        STATE_LABELS[values["state"]],
        credit_line(values["credit"], values["credit_name"], values["credit_place"]),
    ]
    if values["consent_to_quote"]:
        status.append("may be quoted")
    if values["content_warnings"]:
        status.append(f"content warning: {values['content_warnings']}")
    path = f"{base}{values['pk']}/"
    return ContributionRow(
        path=path,
        heading=", ".join(heading),
        snippet=_snippet(values["redacted_text"]),
        status=" · ".join(status),
        review_path=f"{path}review/" if values["state"] == DRAFT else "",
    )


def next_waiting(contribution: Contribution) -> int | None:
    """The next contribution in the exercise waiting for a check, after this one, or
    failing that the first one waiting."""
    waiting = (
        Contribution.objects.filter(exercise_id=contribution.exercise_id, state=DRAFT)
        .exclude(pk=contribution.pk)
        .order_by("captured_at", "pk")
        .values_list("pk", flat=True)
    )
    after = Q(captured_at__gt=contribution.captured_at) | Q(
        captured_at=contribution.captured_at, pk__gt=contribution.pk
    )
    return waiting.filter(after).first() or waiting.first()


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"


def places_used(exercise: Exercise) -> list[str]:
    """Places already written for this exercise, to offer as suggestions when capturing."""
    return list(
        exercise.contributions.exclude(place="")
        .values_list("place", flat=True)
        .annotate(n=Count("id"))
        .order_by("-n", "place")[:40]
    )


# --- one contribution's words, in pieces the template can highlight ----------------------


@dataclass(frozen=True)
class Segment:
    """A piece of a contribution's text. `redaction` is set on the pieces that were (or
    may be) taken out; `masked` when the reader sees the placeholder, not the words."""

    text: str
    redaction: Redaction | None = None
    masked: bool = False

    @property
    def css(self) -> str:
        if self.redaction is None:
            return ""
        return f"redaction redaction-{self.redaction.decision}"


def segments(contribution: Contribution, redactions: list[Redaction], *, original: bool) -> list:
    """The text cut at each redaction. With `original` (only for the listener who captured
    it) every piece shows its words; otherwise the hidden pieces show their placeholder
    ("[phone]") and the words never reach the page. Rendered with auto-escaping, so
    nothing here is trusted as HTML."""
    text = contribution.text
    pieces: list[Segment] = []
    last = 0
    for row in sorted(redactions, key=lambda r: (r.start, r.end)):
        if row.start < last:  # never show a piece twice if spans ever overlap
            continue
        if row.start > last:
            pieces.append(Segment(text[last : row.start]))
        words = text[row.start : row.end]
        if original or row.decision not in HIDDEN:
            pieces.append(Segment(words, row))
        else:
            pieces.append(Segment(placeholder(row.label, words), row, masked=True))
        last = row.end
    if last < len(text):
        pieces.append(Segment(text[last:]))
    return pieces


def placeholder(label: str, words: str) -> str:
    """What stands in for removed words, as the redaction engine writes it."""
    return redaction.apply(words, [redaction.Span(0, len(words), label, words)])


def label_text(label: str) -> str:
    """The kind of detail in words: "ni_number" -> "National Insurance number"."""
    return redaction.LABEL_WORDS.get(label, label.replace("_", " "))


def contribution_page(contribution: Contribution, *, original: bool) -> dict[str, Any]:
    rows = list(contribution.redactions.all())
    for row in rows:
        row.label_text = label_text(row.label)
        row.words = contribution.text[row.start : row.end] if original else ""
        row.stand_in = placeholder(row.label, contribution.text[row.start : row.end])
    return {
        "segments": segments(contribution, rows, original=original),
        "redactions": rows,
        "hidden_count": sum(1 for r in rows if r.decision in HIDDEN),
        "channel_label": CHANNEL_LABELS.get(contribution.channel, ""),
    }
