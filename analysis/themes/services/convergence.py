"""The analysts' marks on the dyad × constituent matrix: do the two partners'
accounts of a constituent converge, diverge, or is it one-sided?

"One-sided" says one partner speaks of the constituent and the other does not, so it
is refused while a side is not coded in the consensus layer: its silence is not known
yet (`analysis.themes.selectors.matrix.cell_states`)."""

from django.db import transaction

from analysis.themes.models import ConvergenceMark, ConvergenceVerdict, Theme, ThemeLevel
from analysis.themes.selectors.matrix import cell_states
from analysis.themes.selectors.source import SideState
from dyads.audit import audit_record
from dyads.changes import check_version, mark_removed, snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import Dyad
from dyads.permissions import Action, study_access

MARK_FIELDS = ["dyad", "theme", "verdict", "note"]


def _check_cell(dyad: Dyad, theme: Theme) -> None:
    if theme.study_id != dyad.study_id:
        raise DomainError({"theme": "The theme belongs to another study."})
    if dyad.deleted_at is not None:
        raise DomainError({"dyad": f"{dyad.label} has been removed."})
    if theme.retired_at is not None or theme.level != ThemeLevel.CONSTITUENT:
        raise DomainError({"theme": f"'{theme.name}' is not a live constituent theme."})


def _check_one_sided(dyad: Dyad, theme: Theme) -> None:
    uncoded = [
        f"the {role.label.lower()}'s"
        for role, state in cell_states(study=dyad.study, dyad=dyad, theme=theme).items()
        if state == SideState.NOT_CODED
    ]
    if uncoded:
        raise DomainError(
            {
                "verdict": f"“One-sided” needs both sides coded: {' and '.join(uncoded)} side "
                f"of {dyad.label} has transcripts not coded in the consensus layer yet, so "
                f"whether it speaks of “{theme.name}” is not known. Code them (and close "
                "their coding round) first, or choose another verdict."
            }
        )


@transaction.atomic
def convergence_mark_set(
    *,
    actor,
    dyad: Dyad,
    theme: Theme,
    verdict: ConvergenceVerdict | str,
    note: str = "",
    version: int | None = None,
) -> ConvergenceMark:
    """Mark (or re-mark) the cell; re-marking a cell checks `version` if given."""
    study_access(actor, dyad.study, Action.CODE)
    _check_cell(dyad, theme)
    if verdict not in ConvergenceVerdict.values:
        choices = ", ".join(ConvergenceVerdict.values)
        raise DomainError({"verdict": f"'{verdict}' is not a verdict; use one of {choices}."})
    if verdict == ConvergenceVerdict.ONE_SIDED:
        _check_one_sided(dyad, theme)
    mark = (
        ConvergenceMark.objects.select_for_update()
        .filter(dyad=dyad, theme=theme, cleared_at__isnull=True)
        .first()
    )
    old = None
    if mark is None:
        mark = ConvergenceMark(study=dyad.study, dyad=dyad, theme=theme)
    else:
        check_version(mark, version)
        old = snapshot(mark, fields=MARK_FIELDS)
        if (mark.verdict, mark.note) == (verdict, note.strip()):
            return mark
        mark.version += 1
    mark.verdict, mark.note, mark.marked_by = ConvergenceVerdict(verdict), note.strip(), actor
    validate(mark)
    mark.save()
    audit_record(
        study=dyad.study,
        actor=actor,
        action="convergence.mark",
        target=mark,
        old=old,
        new=snapshot(mark, fields=MARK_FIELDS),
    )
    return mark


@transaction.atomic
def convergence_mark_clear(
    *, actor, mark: ConvergenceMark, version: int | None = None
) -> ConvergenceMark:
    """Take the mark off its cell (soft delete)."""
    study_access(actor, mark.study, Action.CODE)
    mark = ConvergenceMark.objects.select_for_update().get(pk=mark.pk)
    if mark.cleared_at is not None:
        raise DomainError("This mark has already been cleared.")
    check_version(mark, version)
    mark_removed(mark, "cleared_at")
    audit_record(
        study=mark.study,
        actor=actor,
        action="convergence.clear",
        target=mark,
        old=snapshot(mark, fields=MARK_FIELDS),
    )
    return mark
