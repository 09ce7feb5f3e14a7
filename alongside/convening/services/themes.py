"""System themes: made and shaped by conveners, helped by the engine (issue 13, items 1-2).

The engine only ever suggests. A barrier a convener placed (`by_convener=True`) stays where
they put it: a new suggestion moves only the engine's own placements. A theme a convener named
or edited is `owned_by_convener`. An edit made from an older page is refused
(`ThemeConflictError`), never silently written over someone else's.

Every write goes through `policy.writing` (the policy first, then the change and its audit
entry in one transaction). A barrier can be placed only while the convening organisation may
use it (`selectors.evidence.shared_barriers`: consent holding, its own or a sharing
organisation's in its area).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import F
from django.template.defaultfilters import pluralize
from django.utils import timezone

from alongside.accounts import policy
from alongside.accounts.models import Organisation, User
from alongside.coaching.models import Barrier
from alongside.core.models import AuditAction
from alongside.listening.models import Theme

from .. import suggesting
from ..models import BarrierPlacement, SystemTheme
from ..selectors import themes as selectors
from ..selectors.evidence import shared_barriers

Action = policy.Action


class ThemeError(ValueError):
    """A change that cannot be made; the message says why, plainly."""


class ThemeConflictError(Exception):
    """Someone else saved the theme first. `current` is the theme as they saved it."""

    def __init__(self, current: SystemTheme) -> None:
        super().__init__("system theme changed by someone else")
        self.current = current


def _area_for(organisation: Organisation, across_area: bool) -> int | None:
    if not across_area:
        return None
    if organisation.area_id is None:
        raise ThemeError(
            "Your organisation is not part of an area yet, so a theme can only gather its own "
            "barriers."
        )
    return organisation.area_id


def theme_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    summary: str = "",
    across_area: bool = False,
    owned_by_convener: bool = True,
) -> SystemTheme:
    area_id = _area_for(organisation, across_area)
    with policy.writing(actor, Action.CONVENING_WORK, organisation, detail="theme add") as write:
        theme = SystemTheme.objects.create(
            organisation=organisation,
            created_by=actor,
            title=title.strip(),
            summary=summary.strip(),
            area_id=area_id,
            owned_by_convener=owned_by_convener,
        )
        write.audit(AuditAction.CREATE, theme, detail="system theme added")
    return theme


def theme_update(
    *,
    actor: User,
    theme: SystemTheme,
    version: int,
    title: str,
    summary: str = "",
    across_area: bool = False,
) -> SystemTheme:
    """Save an edit that started from `version`; a person's edit makes the theme theirs."""
    area_id = _area_for(theme.organisation, across_area)
    with policy.writing(actor, Action.CONVENING_ITEM, theme, detail="theme edit") as write:
        changed = SystemTheme.objects.filter(pk=theme.pk, version=version).update(
            title=title.strip(),
            summary=summary.strip(),
            area_id=area_id,
            owned_by_convener=True,
            version=F("version") + 1,
        )
        if not changed:
            raise ThemeConflictError(
                SystemTheme.objects.select_related("organisation").get(pk=theme.pk)
            )
        theme.refresh_from_db()
        write.audit(
            AuditAction.CHANGE, theme, detail=f"system theme changed to version {theme.version}"
        )
        if area_id is None:
            # No longer across the area: other organisations' barriers go back to "not yet
            # in a theme" rather than staying placed where they no longer count.
            others = BarrierPlacement.objects.filter(theme=theme).exclude(
                barrier__person__organisation_id=theme.organisation_id
            )
            moved = list(others.values_list("pk", flat=True))
            if moved:
                BarrierPlacement.objects.filter(pk__in=moved).delete()
                write.audit(
                    AuditAction.CHANGE,
                    theme,
                    detail=f"{len(moved)} other organisations' barriers taken out: theme "
                    "now gathers only its own organisation's",
                )
    return theme


def theme_listening_set(
    *, actor: User, theme: SystemTheme, listening_themes: Iterable[Theme]
) -> SystemTheme:
    """Link the listening themes that speak of the same thing. Only themes a convener of
    this organisation may link (`selectors.themes.linkable_listening`) are kept."""
    chosen = {t.pk for t in listening_themes}
    allowed = set(
        selectors.linkable_listening(theme.organisation)
        .filter(pk__in=chosen)
        .values_list("pk", flat=True)
    )
    if chosen - allowed:
        raise ThemeError("One of those listening themes can't be linked from here.")
    with policy.writing(actor, Action.CONVENING_ITEM, theme, detail="theme listening") as write:
        theme.listening_themes.set(sorted(allowed))
        SystemTheme.objects.filter(pk=theme.pk).update(version=F("version") + 1)
        write.audit(
            AuditAction.CHANGE,
            theme,
            detail=f"linked listening themes: {', '.join(map(str, sorted(allowed))) or 'none'}",
        )
    return theme


# --- placing barriers -------------------------------------------------------------------


def _usable(organisation: Organisation, barrier_id: int) -> Barrier:
    barrier = (
        shared_barriers(convening=organisation)
        .select_related("person")
        .only("pk", "person__organisation_id")
        .filter(pk=barrier_id)
        .first()
    )
    if barrier is None:
        raise ThemeError(
            "That barrier can't be placed: it is no longer shared, or it isn't one your "
            "organisation may use."
        )
    return barrier


def barrier_place(
    *, actor: User, organisation: Organisation, barrier_id: int, theme: SystemTheme
) -> BarrierPlacement:
    """A convener puts a barrier in a theme (or moves it there). A person's choice: a
    suggestion never moves it again."""
    if theme.organisation_id != organisation.pk:
        raise ThemeError("That theme belongs to another organisation.")
    policy.require(actor, Action.CONVENING_ITEM, theme, detail="barrier place")
    barrier = _usable(organisation, barrier_id)
    if not selectors.may_hold(theme, organisation, barrier.person.organisation_id):
        raise ThemeError(
            "That theme gathers only your own organisation's barriers. Choose a theme that "
            "gathers across the area, or change the theme to gather across it."
        )
    with policy.writing(actor, Action.CONVENING_ITEM, theme, detail="barrier place") as write:
        placement, created = BarrierPlacement.objects.select_for_update().update_or_create(
            organisation=organisation,
            barrier=barrier,
            defaults={
                "theme": theme,
                "by_convener": True,
                "closeness": None,
                "placed_at": timezone.now(),
                "placed_by": actor,
            },
        )
        write.audit(
            AuditAction.CREATE if created else AuditAction.CHANGE,
            placement,
            detail=f"barrier {barrier.pk} placed in system theme {theme.pk} by a convener",
        )
    return placement


def placement_keep(*, actor: User, placement: BarrierPlacement) -> BarrierPlacement:
    """A convener agrees with the engine: the barrier stays where it was suggested."""
    with policy.writing(
        actor, Action.CONVENING_ITEM, placement.theme, detail="placement keep"
    ) as write:
        BarrierPlacement.objects.filter(pk=placement.pk).update(
            by_convener=True, placed_by=actor, placed_at=timezone.now()
        )
        placement.refresh_from_db()
        write.audit(AuditAction.CHANGE, placement, detail="suggested placement kept by a convener")
    return placement


def placement_remove(*, actor: User, placement: BarrierPlacement) -> None:
    """Take a barrier out of its theme: it is "not yet in a theme" again, and, a convener's
    choice, no suggestion puts it back."""
    theme = placement.theme
    if theme is None:  # already out of every theme
        return
    with policy.writing(actor, Action.CONVENING_ITEM, theme, detail="placement remove") as write:
        write.audit(
            AuditAction.CHANGE,
            placement,
            detail=f"barrier {placement.barrier_id} taken out of system theme {theme.pk}",
        )
        BarrierPlacement.objects.filter(pk=placement.pk).update(
            theme=None, by_convener=True, closeness=None, placed_by=actor, placed_at=timezone.now()
        )


# --- suggesting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SuggestOutcome:
    placed: int  # barriers the engine placed or moved this time
    unplaced: int  # barriers it found no theme close enough for
    kept: int  # barriers conveners placed, left where they are

    @property
    def summary(self) -> str:
        kept = (
            f" {self.kept} stayed where a convener put {pluralize(self.kept, 'it,them')}."
            if self.kept
            else ""
        )
        left = (
            f" {self.unplaced} {pluralize(self.unplaced, 'is,are')} not close to any theme yet."
            if self.unplaced
            else ""
        )
        return f"Suggested places for {self.placed} barrier{pluralize(self.placed)}.{left}{kept}"


def placements_suggest(*, actor: User, organisation: Organisation) -> SuggestOutcome:
    """Suggest each barrier not placed by a convener into the closest system theme. The
    engine runs before the transaction (it may take a moment); the write then touches only
    the engine's own placements and barriers still unplaced."""
    policy.require(actor, Action.CONVENING_WORK, organisation, detail="placements suggest")
    themes = list(selectors.themes_of(organisation))
    if not themes:
        raise ThemeError("There are no system themes yet: make one, or accept a suggested one.")
    candidates = selectors.suggestion_candidates(organisation, limit=suggesting.MAX_AT_ONCE)
    kept = selectors.placed_by_conveners(organisation)
    if not candidates:
        return SuggestOutcome(placed=0, unplaced=0, kept=kept)
    words = selectors.theme_words(organisation, themes)
    allowed = [
        [i for i, t in enumerate(themes) if selectors.may_hold(t, organisation, c.organisation_id)]
        for c in candidates
    ]
    found = suggesting.closest([c.words for c in candidates], words, allowed)

    with policy.writing(
        actor, Action.CONVENING_WORK, organisation, detail="placements suggest"
    ) as write:
        theirs = set(
            BarrierPlacement.objects.filter(organisation=organisation, by_convener=True)
            .filter(barrier_id__in=[c.barrier_id for c in candidates])
            .values_list("barrier_id", flat=True)
        )
        engine_rows = {
            p.barrier_id: p
            for p in BarrierPlacement.objects.filter(
                organisation=organisation,
                by_convener=False,
                barrier_id__in=[c.barrier_id for c in candidates],
            )
        }
        new: list[BarrierPlacement] = []
        placed = unplaced = 0
        now = timezone.now()
        for candidate, closest in zip(candidates, found, strict=True):
            if candidate.barrier_id in theirs:
                continue  # a convener placed it meanwhile: theirs stands
            if closest is None:
                unplaced += 1
                continue
            theme = themes[closest.theme]
            row = engine_rows.get(candidate.barrier_id)
            if row is None:
                new.append(
                    BarrierPlacement(
                        theme=theme,
                        barrier_id=candidate.barrier_id,
                        organisation=organisation,
                        by_convener=False,
                        closeness=closest.closeness,
                        placed_at=now,
                    )
                )
            else:
                BarrierPlacement.objects.filter(pk=row.pk, by_convener=False).update(
                    theme=theme, closeness=closest.closeness, placed_at=now
                )
            placed += 1
        BarrierPlacement.objects.bulk_create(new, ignore_conflicts=True)
        write.audit(
            AuditAction.CHANGE,
            organisation,
            detail=f"placements suggested: {placed} placed, method={suggesting.method()}",
            organisation_id=organisation.pk,
        )
    return SuggestOutcome(placed=placed, unplaced=unplaced, kept=kept)


def suggested_theme_accept(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    barrier_ids: Sequence[int],
    across_area: bool = False,
) -> SystemTheme:
    """Make a theme the engine suggested (from groups of unplaced barriers) and put in it its
    barriers that are still shared and still unplaced, as the engine's placements."""
    if not title.strip():
        raise ThemeError("Give the theme a title.")
    policy.require(actor, Action.CONVENING_WORK, organisation, detail="suggested theme accept")
    area_id = _area_for(organisation, across_area)
    found = shared_barriers(convening=organisation).filter(pk__in=list(barrier_ids))
    if area_id is None:
        # A theme of our own organisation only holds our own barriers.
        found = found.filter(person__organisation=organisation)
    usable = set(found.values_list("pk", flat=True))
    if not usable:
        raise ThemeError(
            "None of those barriers can go in a theme now: they are no longer shared, or not "
            "ones your organisation may use."
        )
    with policy.writing(
        actor, Action.CONVENING_WORK, organisation, detail="suggested theme accept"
    ) as write:
        theme = SystemTheme.objects.create(
            organisation=organisation,
            created_by=actor,
            title=title.strip()[:200],
            area_id=area_id,
            owned_by_convener=False,
        )
        taken = set(
            BarrierPlacement.objects.filter(
                organisation=organisation, barrier_id__in=usable
            ).values_list("barrier_id", flat=True)
        )
        BarrierPlacement.objects.bulk_create(
            [
                BarrierPlacement(
                    theme=theme, barrier_id=pk, organisation=organisation, by_convener=False
                )
                for pk in sorted(usable - taken)
            ],
            ignore_conflicts=True,
        )
        write.audit(
            AuditAction.CREATE,
            theme,
            detail=f"suggested system theme accepted with {len(usable - taken)} barriers",
        )
    return theme
