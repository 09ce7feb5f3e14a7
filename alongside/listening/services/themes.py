"""Themes: suggested by the engine, owned by the team (issue 5, item 4; DESIGN.md principle 7).

The engine only ever suggests. Once a person touches a theme (renames it, writes its synthesis,
chooses quotes, merges, splits, moves someone into it, codes an excerpt to it) the theme is
`owned_by_team`, and a contribution a person moved is `placed_by_team`. A new suggestion keeps
both: it replaces only the engine's own placements and the themes nobody has touched.

Every write here goes through `policy.writing`: the policy first (so a refusal is audited and
not rolled back), then the change and its audit entry in one transaction. The theme engine
(numpy, scikit-learn) is imported where a suggestion is made, not when the site starts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Q
from django.template.defaultfilters import pluralize

from alongside.accounts import policy
from alongside.accounts.models import User
from alongside.core import jobs
from alongside.core.models import AuditAction, Job

from ..background import SUGGEST
from ..building import locate, set_redacted_text
from ..models import Contribution, Excerpt, Exercise, Theme
from ..selectors.themes import MAX_REPRESENTATIVES, excerpt_is_current

if TYPE_CHECKING:
    import numpy as np

Action = policy.Action
DIDNT_FIT_TITLE = "Didn't fit"
# A suggested theme takes over a team's theme (and so its title) when at least this share of
# their combined members is the same: enough to be recognisably "the same theme again".
SAME_THEME_OVERLAP = 0.3


class ThemeError(ValueError):
    """A change the team asked for that cannot be made; the message says why, plainly."""


class SuggestionUnavailableError(RuntimeError):
    """The theme engine is not there (yet) or failed; nothing was changed."""


# --- suggesting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestOutcome:
    themes: int  # themes after the suggestion, not counting "didn't fit"
    placed: int  # contributions the engine placed this time
    kept: int  # contributions left where the team put them
    didnt_fit: int  # contributions now in the "didn't fit" group

    @property
    def summary(self) -> str:
        """What the team is told when a suggestion is done, on the page or from a job."""
        kept = (
            f" {self.kept} stayed where your team put {pluralize(self.kept, 'it,them')}."
            if self.kept
            else ""
        )
        return (
            f"Suggested themes: {self.themes} theme{pluralize(self.themes)}, and "
            f"{self.didnt_fit} contribution{pluralize(self.didnt_fit)} that didn't fit "
            f"any of them.{kept}"
        )


def themes_suggest_start(
    *, actor: User, exercise: Exercise, k: int | None = None, seed: int | None = None
) -> Job:
    """Ask for a suggestion in the background (see listening.jobs.suggest). If one is already
    waiting or running, that one is the answer: a second would only redo it."""
    with policy.writing(actor, Action.EXERCISE_WORK, exercise, detail="themes suggest") as write:
        Exercise.objects.select_for_update().filter(pk=exercise.pk).first()
        underway = jobs.about(exercise, kind=SUGGEST).filter(
            status__in=[Job.Status.WAITING, Job.Status.RUNNING]
        )
        job = underway.first() or jobs.start(
            kind=SUGGEST,
            title=f"Finding themes in {exercise.title}",
            started_by=actor,
            subject=exercise,
            organisation_id=exercise.organisation_id,
            payload={"k": k, "seed": seed},
        )
        write.audit(AuditAction.CREATE, exercise, detail=f"themes suggestion asked: job {job.pk}")
    return job


def _didnt_fit_group(exercise: Exercise) -> Theme:
    """The exercise's one honest home for contributions that fit no theme."""
    group = exercise.themes.filter(is_didnt_fit=True).order_by("pk").first()
    if group is None:
        group = Theme.objects.create(exercise=exercise, title=DIDNT_FIT_TITLE, is_didnt_fit=True)
    return group


def themes_suggest(
    *, actor: User, exercise: Exercise, k: int | None = None, seed: int | None = None
) -> SuggestOutcome:
    """Ask the engine for themes and apply them around what the team has already decided."""
    from alongside.listening import themes as engine

    # Asked before the slow part too, so nobody outside the team sets the server embedding and
    # clustering people's words; `writing` asks again when the change is made, as the team
    # may have changed meanwhile. The engine runs outside the transaction, which would
    # otherwise hold the database's write lock for as long as it takes.
    policy.require(actor, Action.EXERCISE_WORK, exercise, detail="themes suggest")
    contributions = list(
        exercise.contributions.order_by("pk").only(
            "pk", "redacted_text", "vector", "theme", "placed_by_team"
        )
    )
    if not contributions:
        raise ThemeError("There are no contributions to find themes in yet.")
    seed = exercise.theme_seed if seed is None else seed
    # Only the redacted words go to the engine: its keywords and labels are shown to the team.
    texts = [c.redacted_text for c in contributions]
    vectors, embedded = _stored_vectors(contributions)
    try:
        suggestion = engine.suggest(texts, k=k, seed=seed, vectors=vectors)
    except NotImplementedError as error:
        raise SuggestionUnavailableError("Theme suggestion is not available yet.") from error
    groups, didnt_fit = _every_index_once(suggestion, len(texts))

    with policy.writing(actor, Action.EXERCISE_WORK, exercise, detail="themes suggest") as write:
        Exercise.objects.select_for_update().filter(pk=exercise.pk).first()
        for contribution in embedded:
            # Only where the words are still the ones embedded: an edit saved meanwhile has
            # stored its own vector.
            Contribution.objects.filter(
                pk=contribution.pk, redacted_text=contribution.redacted_text
            ).update(vector=contribution.vector)
        if seed != exercise.theme_seed:
            exercise.theme_seed = seed
            exercise.save(update_fields=["theme_seed"])
        outcome = _apply(exercise, contributions, suggestion.themes, groups, didnt_fit)
        write.audit(
            AuditAction.CHANGE,
            exercise,
            detail=(
                f"themes suggested seed={seed} k={k or 'auto'} method={suggestion.method} "
                f"grouping={suggestion.grouping}"
            ),
        )
    return outcome


def _stored_vectors(
    contributions: Sequence[Contribution],
) -> tuple[np.ndarray | None, list[Contribution]]:
    """The contributions' MiniLM vectors, one row each, or None when the model is not installed
    (the engine then embeds the texts itself with its default method); and the contributions
    whose vector was missing and is embedded now, for the caller to store.

    Vectors are computed when redacted_text is set; any still missing (saved before the model
    was installed, or when embedding failed) are filled here in one batch, so once stored the
    next suggestion finds them."""
    import numpy as np

    from alongside.listening.themes import minilm

    if not minilm.available():
        return None, []
    rows = [None if c.vector is None else minilm.from_bytes(c.vector) for c in contributions]
    missing = [c for c, row in zip(contributions, rows, strict=True) if row is None]
    if missing:
        set_redacted_text(missing, [c.redacted_text for c in missing], embed=True)
        if any(c.vector is None for c in missing):
            return None, []  # embedding failed (logged): group by the texts instead
        rows = [minilm.from_bytes(c.vector) for c in contributions if c.vector is not None]
    return np.vstack(rows).astype(np.float32), missing  # type: ignore[arg-type]


def _every_index_once(suggestion: Any, count: int) -> tuple[list[list[int]], list[int]]:
    """Each suggested theme's members and the didn't-fit list, every index exactly once.

    The engine promises this; if it ever slipped, a contribution silently missing from the
    themes is the one thing principle 7 forbids, so a missing index goes to "didn't fit"."""
    seen: set[int] = set()
    groups: list[list[int]] = []
    for theme in suggestion.themes:
        members = [i for i in theme.members if 0 <= i < count and i not in seen]
        seen.update(members)
        groups.append(members)
    didnt_fit = [i for i in suggestion.didnt_fit if 0 <= i < count and i not in seen]
    seen.update(didnt_fit)
    didnt_fit += [i for i in range(count) if i not in seen]
    return groups, didnt_fit


def _apply(
    exercise: Exercise,
    contributions: list[Contribution],
    suggested: Sequence[Any],
    groups: list[list[int]],
    didnt_fit: list[int],
) -> SuggestOutcome:
    index_of = {c.pk: i for i, c in enumerate(contributions)}
    kept_themes = _themes_the_team_owns(exercise)
    members_of: dict[int, set[int]] = {t.pk: set() for t in kept_themes}
    for c in contributions:
        if c.theme_id in members_of:
            members_of[c.theme_id].add(index_of[c.pk])

    # Everything the engine made last time and nobody touched goes; so do its representative
    # excerpts in the themes that stay (quotes and hand-coded excerpts are the team's).
    exercise.themes.filter(is_didnt_fit=False).exclude(pk__in=[t.pk for t in kept_themes]).delete()
    group = _didnt_fit_group(exercise)
    Excerpt.objects.filter(theme__exercise=exercise, coded_by__isnull=True, is_quote=False).exclude(
        pk__in=_headline_ids(exercise)
    ).delete()

    matches = _match(groups, kept_themes, members_of)
    next_position = (exercise.themes.aggregate(m=Max("position"))["m"] or 0) + 1
    targets: list[Theme] = []
    for number, proposal in enumerate(suggested):
        theme = matches.get(number)
        if theme is None:
            theme = Theme.objects.create(
                exercise=exercise,
                title=(proposal.label or "A theme")[:200],
                keywords=list(proposal.keywords),
                position=next_position,
            )
            next_position += 1
        elif not theme.keywords:
            theme.keywords = list(proposal.keywords)
            theme.save(update_fields=["keywords"])
        targets.append(theme)

    placed = _place(contributions, groups, targets, didnt_fit, group)
    _add_representatives(contributions, suggested, groups, targets)
    in_didnt_fit = sum(1 for c in contributions if c.theme_id == group.pk)
    return SuggestOutcome(
        themes=exercise.themes.filter(is_didnt_fit=False).count(),
        placed=placed,
        kept=sum(1 for c in contributions if c.placed_by_team),
        didnt_fit=in_didnt_fit,
    )


def _themes_the_team_owns(exercise: Exercise) -> list[Theme]:
    """Themes a person has shaped, and (belt and braces) any theme someone was placed in."""
    team_placed = exercise.contributions.filter(placed_by_team=True, theme__isnull=False)
    return list(
        exercise.themes.filter(is_didnt_fit=False)
        .filter(
            Q(owned_by_team=True)
            | Q(pk__in=team_placed.values("theme_id"))
            | Q(excerpts__coded_by__isnull=False)
            | Q(excerpts__is_quote=True)
        )
        .distinct()
        .order_by("position", "pk")
    )


def _headline_ids(exercise: Exercise) -> list[int]:
    return list(
        exercise.themes.filter(headline__isnull=False).values_list("headline_id", flat=True)
    )


def _match(
    groups: list[list[int]], kept: list[Theme], members_of: dict[int, set[int]]
) -> dict[int, Theme]:
    """Pair suggested themes with the team's themes that hold mostly the same people, best
    overlap first, each at most once. A paired suggestion keeps the team's title."""
    pairs = []
    for number, members in enumerate(groups):
        suggested = set(members)
        for theme in kept:
            current = members_of[theme.pk]
            union = suggested | current
            if not union:
                continue
            overlap = len(suggested & current) / len(union)
            if overlap >= SAME_THEME_OVERLAP:
                pairs.append((overlap, -number, theme.pk, number, theme))
    pairs.sort(reverse=True, key=lambda p: p[:3])
    matched: dict[int, Theme] = {}
    used: set[int] = set()
    for _, _, theme_pk, number, theme in pairs:
        if number in matched or theme_pk in used:
            continue
        matched[number] = theme
        used.add(theme_pk)
    return matched


def _place(
    contributions: list[Contribution],
    groups: list[list[int]],
    targets: list[Theme],
    didnt_fit: list[int],
    group: Theme,
) -> int:
    """Put each contribution the engine may move where it suggests; never a team placement."""
    destination: dict[int, int] = {}
    for members, theme in zip(groups, targets, strict=True):
        for i in members:
            destination[i] = theme.pk
    for i in didnt_fit:
        destination[i] = group.pk
    changed = []
    for i, contribution in enumerate(contributions):
        if contribution.placed_by_team and contribution.theme_id is not None:
            continue
        contribution.theme_id = destination[i]
        contribution.placed_by_team = False
        changed.append(contribution)
    Contribution.objects.bulk_update(changed, ["theme", "placed_by_team"], batch_size=500)
    return len(changed)


def _add_representatives(
    contributions: list[Contribution],
    suggested: Sequence[Any],
    groups: list[list[int]],
    targets: list[Theme],
) -> None:
    """The engine's most typical contributions of each theme, as whole-text excerpts the team
    can choose quotes from. Only those still in that theme, and only words there are."""
    # A whole-text excerpt the team kept (a quote, a headline) is not offered twice.
    already = set(
        Excerpt.objects.filter(theme__in=targets, start=0).values_list(
            "theme_id", "contribution_id", "end"
        )
    )
    rows = []
    for proposal, members, theme in zip(suggested, groups, targets, strict=True):
        in_theme = set(members)
        chosen = [i for i in proposal.representatives if i in in_theme]
        chosen += [i for i in members if i not in chosen]
        position = 0
        for i in chosen:
            if position >= MAX_REPRESENTATIVES:
                break
            contribution = contributions[i]
            words = contribution.redacted_text
            if contribution.theme_id != theme.pk or not words.strip():
                continue
            if (theme.pk, contribution.pk, len(words)) in already:
                continue
            rows.append(
                Excerpt(
                    contribution_id=contribution.pk,
                    theme=theme,
                    start=0,
                    end=len(words),
                    text=words,
                    position=position,
                )
            )
            position += 1
    Excerpt.objects.bulk_create(rows, batch_size=500)


# --- the team's own changes ----------------------------------------------------------------


def _own(theme: Theme) -> None:
    if not theme.owned_by_team and not theme.is_didnt_fit:
        theme.owned_by_team = True
        theme.save(update_fields=["owned_by_team"])


def theme_update(
    *,
    actor: User,
    theme: Theme,
    title: str,
    synthesis: str = "",
    recommendations: str = "",
    content_warnings: str = "",
    headline: Excerpt | None = None,
    quotes: Iterable[Excerpt] = (),
) -> Theme:
    """Rename and write up a theme, and choose its headline and supporting quotes. Only words
    from reviewed contributions whose contributor agreed to be quoted can be quotes."""
    exercise = theme.exercise
    with policy.writing(
        actor, Action.EXERCISE_WORK, exercise, detail=f"theme {theme.pk} edit"
    ) as write:
        quotes = list(quotes)
        for excerpt in [*quotes, *([headline] if headline else [])]:
            _check_quotable(excerpt, theme)
        theme.title = title if not theme.is_didnt_fit else theme.title
        theme.synthesis = synthesis
        theme.recommendations = recommendations
        theme.content_warnings = content_warnings
        theme.headline = headline
        if not theme.is_didnt_fit:
            theme.owned_by_team = True
        theme.save()
        chosen = {e.pk for e in quotes} | ({headline.pk} if headline else set())
        theme.excerpts.exclude(pk__in=chosen).update(is_quote=False)
        theme.excerpts.filter(pk__in=chosen).update(is_quote=True)
        write.audit(AuditAction.CHANGE, exercise, detail=f"theme {theme.pk} edited")
    return theme


def _check_quotable(excerpt: Excerpt, theme: Theme) -> None:
    if excerpt.theme_id != theme.pk:
        raise ThemeError("A quote must be one of this theme's excerpts.")
    if not excerpt.contribution.quotable:
        raise ThemeError(
            "Only words from a checked contribution whose contributor agreed to be quoted "
            "can be a quote."
        )
    if not excerpt_is_current(excerpt):
        raise ThemeError("The words of that contribution changed after they were highlighted.")


def theme_merge(*, actor: User, theme: Theme, into: Theme) -> Theme:
    """Fold one theme into another: its people, excerpts and writing all move; nothing a person
    wrote is lost (synthesis and recommendations are added to the other theme's)."""
    exercise = theme.exercise
    with policy.writing(
        actor, Action.EXERCISE_WORK, exercise, detail=f"theme {theme.pk} merge"
    ) as write:
        if into.pk == theme.pk or into.exercise_id != theme.exercise_id:
            raise ThemeError("Choose a different theme of this exercise to merge into.")
        if theme.is_didnt_fit:
            raise ThemeError(
                "The \u201cdidn't fit\u201d group stays; move people out of it instead."
            )
        theme.contributions.update(theme=into, placed_by_team=True)
        theme.excerpts.update(theme=into)
        into.keywords = list(dict.fromkeys([*into.keywords, *theme.keywords]))
        into.synthesis = _joined(into.synthesis, theme.synthesis, "\n\n")
        into.recommendations = _joined(into.recommendations, theme.recommendations, "\n")
        into.content_warnings = _joined(into.content_warnings, theme.content_warnings, "; ")[:300]
        if into.headline_id is None:
            into.headline_id = theme.headline_id
        if not into.is_didnt_fit:
            into.owned_by_team = True
        into.save()
        old_pk = theme.pk
        theme.delete()
        write.audit(AuditAction.CHANGE, exercise, detail=f"theme {old_pk} merged into {into.pk}")
    return into


def _joined(first: str, second: str, separator: str) -> str:
    return separator.join(part for part in (first.strip(), second.strip()) if part)


def theme_split(
    *, actor: User, theme: Theme, contributions: Iterable[Contribution], title: str
) -> Theme:
    """Start a new theme with some of this theme's contributions (and their excerpts here)."""
    exercise = theme.exercise
    with policy.writing(
        actor, Action.EXERCISE_WORK, exercise, detail=f"theme {theme.pk} split"
    ) as write:
        chosen = [c.pk for c in contributions]
        if not chosen:
            raise ThemeError("Choose at least one contribution to move into the new theme.")
        if theme.contributions.filter(pk__in=chosen).count() != len(set(chosen)):
            raise ThemeError("Only contributions in this theme can be split off.")
        new = Theme.objects.create(
            exercise=exercise, title=title, position=theme.position, owned_by_team=True
        )
        Contribution.objects.filter(pk__in=chosen).update(theme=new, placed_by_team=True)
        theme.excerpts.filter(contribution_id__in=chosen).update(theme=new)
        if theme.headline_id and new.excerpts.filter(pk=theme.headline_id).exists():
            new.headline_id = theme.headline_id
            new.save(update_fields=["headline"])
            theme.headline = None
            theme.save(update_fields=["headline"])
        _own(theme)
        write.audit(AuditAction.CHANGE, exercise, detail=f"theme {theme.pk} split into {new.pk}")
    return new


def contribution_move(*, actor: User, contribution: Contribution, to: Theme | None) -> Theme:
    """Put a contribution where the team thinks it belongs; `None` means "didn't fit". A new
    suggestion leaves it there."""
    exercise = contribution.exercise
    with policy.writing(
        actor, Action.EXERCISE_WORK, exercise, detail=f"contribution {contribution.pk} move"
    ) as write:
        if to is not None and to.exercise_id != exercise.pk:
            raise ThemeError("Choose one of this exercise's themes.")
        target = to or _didnt_fit_group(exercise)
        Contribution.objects.filter(pk=contribution.pk).update(theme=target, placed_by_team=True)
        contribution.theme, contribution.placed_by_team = target, True
        # The engine's excerpt of it elsewhere was only there because the engine put it there.
        contribution.excerpts.filter(coded_by__isnull=True, is_quote=False).exclude(
            theme=target
        ).exclude(pk__in=_headline_ids(exercise)).delete()
        _own(target)
        write.audit(
            AuditAction.CHANGE, contribution, detail=f"contribution moved to theme {target.pk}"
        )
    return target


# --- excerpts ------------------------------------------------------------------------------


def excerpt_add(
    *,
    actor: User,
    contribution: Contribution,
    theme: Theme,
    words: str,
    start_hint: int | None = None,
) -> Excerpt:
    """Code a highlighted excerpt of a contribution's redacted text to a theme, by hand."""
    exercise = contribution.exercise
    with policy.writing(
        actor, Action.EXERCISE_WORK, exercise, detail=f"contribution {contribution.pk} excerpt"
    ) as write:
        if theme.exercise_id != exercise.pk:
            raise ThemeError("Choose one of this exercise's themes.")
        span = locate(contribution.redacted_text, words, start_hint)
        if span is None:
            raise ThemeError(
                "Those words are not in this contribution. Copy them exactly from the text "
                "shown above (removed details show as [name], [phone] and so on)."
            )
        start, end = span
        position = (theme.excerpts.aggregate(m=Max("position"))["m"] or 0) + 1
        excerpt = Excerpt.objects.create(
            contribution=contribution,
            theme=theme,
            start=start,
            end=end,
            text=contribution.redacted_text[start:end],
            position=position,
            coded_by=actor,
        )
        _own(theme)
        write.audit(AuditAction.CREATE, contribution, detail=f"excerpt {excerpt.pk} coded")
    return excerpt


def excerpt_move(*, actor: User, excerpt: Excerpt, to: Theme) -> Excerpt:
    """Code an excerpt to a different theme. It stops being a quote of the old one."""
    exercise = excerpt.theme.exercise
    with policy.writing(
        actor, Action.EXERCISE_WORK, exercise, detail=f"excerpt {excerpt.pk} move"
    ) as write:
        if to.exercise_id != exercise.pk:
            raise ThemeError("Choose one of this exercise's themes.")
        Theme.objects.filter(headline=excerpt).update(headline=None)
        excerpt.theme = to
        excerpt.is_quote = False
        # Once a person has moved it, it is theirs: a new suggestion keeps it.
        excerpt.coded_by = excerpt.coded_by or actor
        excerpt.save(update_fields=["theme", "is_quote", "coded_by"])
        _own(to)
        write.audit(AuditAction.CHANGE, excerpt.contribution, detail=f"excerpt {excerpt.pk} moved")
    return excerpt


def excerpt_remove(*, actor: User, excerpt: Excerpt) -> None:
    """Uncode an excerpt. The contribution itself stays where it is."""
    exercise = excerpt.theme.exercise
    with policy.writing(
        actor, Action.EXERCISE_WORK, exercise, detail=f"excerpt {excerpt.pk} remove"
    ) as write:
        contribution, pk = excerpt.contribution, excerpt.pk
        excerpt.delete()
        write.audit(AuditAction.CHANGE, contribution, detail=f"excerpt {pk} removed")
