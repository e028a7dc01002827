from django.db import transaction

from dyads.audit import audit_record
from dyads.changes import snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import Study
from dyads.permissions import Action, study_access

from ..models import Code, DecisionKind, MeetingRecord, Theme, ThemeLevel
from .decisions import decision_record


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
    """An overarching theme (no parent) or a constituent of `parent`."""
    study_access(actor, study, Action.CODE)
    if parent is not None and parent.study_id != study.pk:
        raise DomainError({"parent": "The parent theme belongs to another study."})
    if any(code.study_id != study.pk for code in codes):
        raise DomainError({"codes": "Every linked code must belong to this study."})
    if Theme.objects.filter(study=study, name=name, retired_at__isnull=True).exists():
        raise DomainError({"name": f"There is already a theme called '{name}'."})
    theme = Theme(
        study=study,
        name=name,
        parent=parent,
        level=ThemeLevel.CONSTITUENT if parent else ThemeLevel.OVERARCHING,
        description=description,
        client_description=client_description,
        therapist_description=therapist_description,
    )
    validate(theme)
    theme.save()
    theme.codes.set(codes)
    after = {
        **snapshot(
            theme,
            fields=[
                "name",
                "parent",
                "level",
                "description",
                "client_description",
                "therapist_description",
            ],
        ),
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
