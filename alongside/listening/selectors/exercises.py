"""Reads for listening exercises and their contributions, each in a fixed number of
queries however many contributions there are."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from alongside.accounts import policy
from alongside.accounts.models import Membership, Organisation, Role, User

from .. import redaction
from ..models import Channel, Contribution, Exercise, Redaction

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


def exercises_for(user: Any) -> list[Exercise]:
    """The exercises whose team the user is in, and for a lead every exercise in their
    organisation, newest first, each with how many contributions wait for a check."""
    listening_orgs = policy.organisations_where(user, Role.LISTENER) | policy.organisations_where(
        user, Role.LEAD
    )
    lead_orgs = policy.organisations_where(user, Role.LEAD)
    in_team = Exercise.team.through.objects.filter(exercise_id=OuterRef("pk"), user_id=user.pk)
    visible = Exercise.objects.filter(
        Q(organisation_id__in=lead_orgs)
        | Q(organisation_id__in=listening_orgs, pk__in=in_team.values("exercise_id"))
    )
    return list(
        Exercise.objects.filter(pk__in=visible.values("pk"))
        .select_related("organisation")
        .annotate(
            in_team=Exists(in_team),
            total=Count("contributions"),
            waiting=Count("contributions", filter=Q(contributions__state=DRAFT)),
        )
        .order_by("-created_at", "-pk")
    )


def overview(exercise: Exercise) -> dict[str, Any]:
    """How many contributions, by channel and by place, and how many wait for a check.
    Counts only: no words."""
    by_state = dict(exercise.contributions.values_list("state").annotate(n=Count("id")).order_by())
    by_channel = [
        {"label": CHANNEL_LABELS.get(channel, channel), "count": n}
        for channel, n in exercise.contributions.values_list("channel")
        .annotate(n=Count("id"))
        .order_by("-n", "channel")
    ]
    places = list(
        exercise.contributions.values_list("place").annotate(n=Count("id")).order_by("-n", "place")
    )
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


def team_candidates(organisation: Organisation) -> QuerySet[User]:
    """The people who may be in an exercise's team: listeners and leads there."""
    user_ids = Membership.objects.filter(organisation=organisation, role__in=TEAM_ROLES).values(
        "user_id"
    )
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("first_name", "username")


def team(exercise: Exercise) -> list[Any]:
    # display_name() reads the user's person row, if any: fetch it in the same query.
    return list(exercise.team.select_related("person").order_by("first_name", "username"))


def contributions(exercise: Exercise, show: str, page_number: Any) -> dict[str, Any]:
    """One page of the exercise's contributions: the redacted words only."""
    show = show if show in FILTERS else "waiting"
    queryset: QuerySet[Contribution] = (
        exercise.contributions.filter(FILTERS[show][1])
        .select_related("captured_by")
        .defer("text")  # the words as heard never leave the database for a list
        .order_by("-captured_at", "-pk")
    )
    page: Page = Paginator(queryset, PER_PAGE).get_page(page_number)
    for contribution in page.object_list:
        contribution.snippet = _snippet(contribution.redacted_text)
        contribution.channel_label = CHANNEL_LABELS.get(contribution.channel, "")
    return {
        "page": page,
        "show": show,
        "filters": [(key, label) for key, (label, _) in FILTERS.items()],
    }


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
