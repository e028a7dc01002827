"""Changes to the theme structure: create, revise, link codes, move, retire, choose quotes.

Every change is also a Decision of its kind citing a meeting or a rationale
(`decision_record`). Changes to the tree's shape (create, move, retire) first
lock every theme of the study in id order, so two of them never interleave into
a cycle or a constituent under a retired theme.
"""

from typing import Any

from django.db import transaction
from django.db.models import Max

from analysis.coding.models import Code, Coding
from analysis.deliberation.models import DecisionKind, MeetingRecord
from analysis.deliberation.services.decisions import decision_record
from analysis.themes.models import ExemplaryQuote, Theme, ThemeLevel
from analysis.themes.selectors.tree import theme_tree
from dyads.audit import audit_record
from dyads.changes import check_version, mark_removed, snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import Study
from dyads.permissions import Action, study_access

THEME_TEXT_FIELDS = ["name", "description", "client_description", "therapist_description"]
THEME_PLACE_FIELDS = ["parent", "level", "position"]
UNCHANGED: Any = object()  # `parent=UNCHANGED`: leave the theme where it is


def _lock_themes(study: Study) -> dict[int, Theme]:
    """Lock all the study's themes (in id order) and return them, current, by id."""
    return {theme.pk: theme for theme in Theme.objects.select_for_update().filter(study=study)}


def _check_name_free(study: Study, name: str, theme: Theme | None = None) -> None:
    taken = Theme.objects.filter(study=study, name=name, retired_at__isnull=True)
    if theme is not None:
        taken = taken.exclude(pk=theme.pk)
    if taken.exists():
        raise DomainError({"name": f"There is already a theme called '{name}'."})


def _check_parent(themes: dict[int, Theme], parent: Theme | None, theme: Theme | None) -> None:
    if parent is None:
        return
    current = themes.get(parent.pk)
    if current is None or current.retired_at is not None:
        raise DomainError({"parent": "The parent theme is not a live theme of this study."})
    ancestor = current
    while ancestor is not None:
        if theme is not None and ancestor.pk == theme.pk:
            raise DomainError(
                {"parent": f"'{theme.name}' cannot be moved under its own constituent."}
            )
        ancestor = themes.get(ancestor.parent_id)


def _check_codes(study: Study, codes: list[Code]) -> None:
    if any(code.study_id != study.pk for code in codes):
        raise DomainError({"codes": "Every linked code must belong to this study."})
    retired = sorted(code.name for code in codes if code.retired_at is not None)
    if retired:
        raise DomainError({"codes": f"Retired codes cannot be linked: {', '.join(retired)}."})


def _code_ids(theme: Theme) -> list[int]:
    return sorted(theme.codes.values_list("pk", flat=True))


@transaction.atomic
def theme_create(
    *,
    actor,
    study: Study,
    name: str,
    parent: Theme | None = None,
    description: str = "",
    client_description: str = "",
    therapist_description: str = "",
    codes: list[Code] = (),
    meeting: MeetingRecord | None = None,
    rationale: str = "",
) -> Theme:
    """An overarching theme (no parent) or a constituent of `parent`, at any depth."""
    study_access(actor, study, Action.CODE)
    if parent is not None and parent.study_id != study.pk:
        raise DomainError({"parent": "The parent theme belongs to another study."})
    _check_parent(_lock_themes(study), parent, None)
    _check_codes(study, list(codes))
    _check_name_free(study, name.strip())
    siblings = Theme.objects.filter(study=study, parent=parent, retired_at__isnull=True)
    theme = Theme(
        study=study,
        name=name.strip(),
        parent=parent,
        level=ThemeLevel.CONSTITUENT if parent else ThemeLevel.OVERARCHING,
        description=description,
        client_description=client_description,
        therapist_description=therapist_description,
        position=(siblings.aggregate(last=Max("position"))["last"] or 0) + 1,
    )
    validate(theme)
    theme.save()
    theme.codes.set(codes)
    after = {
        **snapshot(theme, fields=THEME_TEXT_FIELDS + THEME_PLACE_FIELDS),
        "codes": sorted(code.pk for code in codes),
    }
    audit_record(study=study, actor=actor, action="theme.create", target=theme, new=after)
    decision_record(
        actor=actor,
        study=study,
        kind=DecisionKind.THEME_CREATE,
        meeting=meeting,
        rationale=rationale,
        after=after,
        theme=theme,
    )
    return theme


def _revise(theme: Theme, texts: dict[str, str]) -> tuple[dict, dict]:
    """Set the changed texts (unsaved); (before, after) of what changed."""
    unknown = set(texts) - set(THEME_TEXT_FIELDS)
    if unknown:
        raise DomainError(dict.fromkeys(sorted(unknown), "This field cannot be changed."))
    if "name" in texts:
        texts["name"] = texts["name"].strip()
        _check_name_free(theme.study, texts["name"], theme)
    changed = {field: value for field, value in texts.items() if getattr(theme, field) != value}
    before = {field: getattr(theme, field) for field in changed}
    for field, value in changed.items():
        setattr(theme, field, value)
    return before, changed


def _move(
    themes: dict[int, Theme], theme: Theme, parent: Theme | None, position: int | None
) -> tuple[dict, dict]:
    """Re-parent and/or reorder the theme (unsaved); (before, after) of what changed."""
    _check_parent(themes, parent, theme)
    before = snapshot(theme, fields=THEME_PLACE_FIELDS)
    if position is None and theme.parent_id != (parent.pk if parent else None):
        siblings = [
            other.position
            for other in themes.values()
            if other.parent_id == (parent.pk if parent else None) and other.retired_at is None
        ]
        position = max(siblings, default=0) + 1  # last among its new siblings
    theme.parent = parent
    theme.level = ThemeLevel.CONSTITUENT if parent else ThemeLevel.OVERARCHING
    if position is not None:
        theme.position = position
    after = snapshot(theme, fields=THEME_PLACE_FIELDS)
    changed = [field for field in THEME_PLACE_FIELDS if before[field] != after[field]]
    return {f: before[f] for f in changed}, {f: after[f] for f in changed}


@transaction.atomic
def theme_update(
    *,
    actor,
    theme: Theme,
    version: int | None = None,
    meeting: MeetingRecord | None = None,
    rationale: str = "",
    codes: list[Code] | None = None,
    parent: Theme | None = UNCHANGED,
    position: int | None = None,
    **texts: str,
) -> Theme:
    """Revise a theme's texts, link or unlink codes, or move it; a stale version is a Conflict.

    `codes` is the new set of linked codes; `parent=None` makes the theme an
    overarching one. Each kind of change records its own decision (revise,
    link codes, move), all citing the same meeting or rationale.
    """
    study_access(actor, theme.study, Action.CODE)
    moving = parent is not UNCHANGED or position is not None
    if moving:
        themes = _lock_themes(theme.study)
        theme = themes[theme.pk]
    else:
        theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if theme.retired_at is not None:
        raise DomainError(f"Theme '{theme.name}' is retired and cannot be changed.")
    check_version(theme, version)
    decisions: list[tuple[DecisionKind, dict, dict]] = []
    old, new = _revise(theme, dict(texts))
    if new:
        decisions.append((DecisionKind.THEME_REVISE, old, new))
    if moving:
        if parent is not UNCHANGED and parent is not None and parent.study_id != theme.study_id:
            raise DomainError({"parent": "The parent theme belongs to another study."})
        old, new = _move(themes, theme, theme.parent if parent is UNCHANGED else parent, position)
        if new:
            decisions.append((DecisionKind.THEME_MOVE, old, new))
    if codes is not None:
        _check_codes(theme.study, codes)
        linked, wanted = _code_ids(theme), sorted({code.pk for code in codes})
        if linked != wanted:
            decisions.append((DecisionKind.THEME_LINK_CODE, {"codes": linked}, {"codes": wanted}))
    if not decisions:
        return theme
    validate(theme)
    theme.version += 1
    theme.save()
    if codes is not None:
        theme.codes.set(codes)
    old = {key: value for _, before, _ in decisions for key, value in before.items()}
    new = {key: value for _, _, after in decisions for key, value in after.items()}
    audit_record(
        study=theme.study, actor=actor, action="theme.update", target=theme, old=old, new=new
    )
    for kind, before, after in decisions:
        decision_record(
            actor=actor,
            study=theme.study,
            kind=kind,
            meeting=meeting,
            rationale=rationale,
            before=before,
            after=after,
            theme=theme,
        )
    return theme


@transaction.atomic
def theme_retire(
    *,
    actor,
    theme: Theme,
    version: int | None = None,
    meeting: MeetingRecord | None = None,
    rationale: str = "",
) -> Theme:
    """Retire a theme (soft delete); one with live constituents must have them moved first."""
    study_access(actor, theme.study, Action.CODE)
    theme = _lock_themes(theme.study)[theme.pk]
    if theme.retired_at is not None:
        raise DomainError(f"Theme '{theme.name}' is already retired.")
    check_version(theme, version)
    children = list(theme.children.filter(retired_at__isnull=True).values_list("name", flat=True))
    if children:
        raise DomainError(
            f"Theme '{theme.name}' still has constituents ({', '.join(children)}); "
            "retire or move them first."
        )
    mark_removed(theme, "retired_at")
    audit_record(
        study=theme.study,
        actor=actor,
        action="theme.retire",
        target=theme,
        old={"retired_at": None},
        new={"retired_at": theme.retired_at},
    )
    decision_record(
        actor=actor,
        study=theme.study,
        kind=DecisionKind.THEME_RETIRE,
        meeting=meeting,
        rationale=rationale,
        before={"name": theme.name},
        theme=theme,
    )
    return theme


def _quote_snapshot(quote: ExemplaryQuote) -> dict:
    coding = quote.coding
    return {
        "theme": quote.theme_id,
        "perspective": quote.perspective,
        "coding": coding.pk,
        "position": quote.position,
        "text": coding.revision.text[coding.start : coding.end],
    }


def _check_quotable(theme: Theme, coding: Coding) -> str:
    """The perspective the coding speaks from, if it may illustrate the theme."""
    if coding.study_id != theme.study_id:
        raise DomainError({"coding": "The excerpt belongs to another study."})
    if coding.deleted_at is not None:
        raise DomainError({"coding": "The excerpt's coding has been removed."})
    if coding.revision.transcript.current_revision_id != coding.revision_id:
        raise DomainError({"coding": "The excerpt is on an outdated revision of its transcript."})
    node = theme_tree(study=theme.study).find(theme.pk)
    if node is None or coding.code_id not in node.code_ids:
        raise DomainError(
            {
                "coding": f"The excerpt is coded '{coding.code.name}', "
                f"which is not linked to theme '{theme.name}'."
            }
        )
    return coding.revision.transcript.interview.participant.role


@transaction.atomic
def theme_quote_add(
    *,
    actor,
    theme: Theme,
    coding: Coding,
    meeting: MeetingRecord | None = None,
    rationale: str = "",
) -> ExemplaryQuote:
    """Choose a coded excerpt as an exemplary quote of the theme.

    Its perspective is the speaker's: a client's excerpt illustrates the client
    perspective. It is placed after the perspective's other quotes.
    """
    study_access(actor, theme.study, Action.CODE)
    theme = Theme.objects.select_for_update().get(pk=theme.pk)
    if theme.retired_at is not None:
        raise DomainError(f"Theme '{theme.name}' is retired.")
    coding = Coding.objects.select_related(
        "code", "revision__transcript__interview__participant"
    ).get(pk=coding.pk)
    perspective = _check_quotable(theme, coding)
    chosen = ExemplaryQuote.objects.filter(theme=theme, removed_at__isnull=True)
    if chosen.filter(coding=coding).exists():
        raise DomainError({"coding": "This excerpt is already a quote of this theme."})
    last = chosen.filter(perspective=perspective).aggregate(last=Max("position"))["last"]
    quote = ExemplaryQuote(
        study=theme.study,
        theme=theme,
        perspective=perspective,
        coding=coding,
        position=(last or 0) + 1,
        chosen_by=actor,
    )
    validate(quote)
    quote.save()
    after = _quote_snapshot(quote)
    audit_record(study=theme.study, actor=actor, action="quote.add", target=quote, new=after)
    decision_record(
        actor=actor,
        study=theme.study,
        kind=DecisionKind.THEME_SET_QUOTE,
        meeting=meeting,
        rationale=rationale,
        after=after,
        theme=theme,
    )
    return quote


@transaction.atomic
def theme_quote_remove(
    *,
    actor,
    quote: ExemplaryQuote,
    meeting: MeetingRecord | None = None,
    rationale: str = "",
) -> None:
    """Withdraw an exemplary quote (soft delete)."""
    study_access(actor, quote.study, Action.CODE)
    quote = (
        ExemplaryQuote.objects.select_for_update(of=("self",))
        .select_related("theme", "coding__revision")
        .get(pk=quote.pk)
    )
    if quote.removed_at is not None:
        raise DomainError("This quote has already been withdrawn.")
    before = _quote_snapshot(quote)
    mark_removed(quote, "removed_at")
    audit_record(study=quote.study, actor=actor, action="quote.remove", target=quote, old=before)
    decision_record(
        actor=actor,
        study=quote.study,
        kind=DecisionKind.THEME_SET_QUOTE,
        meeting=meeting,
        rationale=rationale,
        before=before,
        theme=quote.theme,
    )
