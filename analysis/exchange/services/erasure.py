"""Erasing a participant who withdrew consent: their data goes, for good.

`participant_erase` deletes, in one transaction, the participant's interviews
with everything that hangs on them: transcripts (every revision and speaker
turn), audio recordings (the files too, once the transaction commits), import
uploads and jobs, codings on those transcripts, memos on those codings and
transcripts, exemplary quotes, coverage marks, meeting passages, resolutions
and whatever else refers to them; and the interview-guide questions tailored
to the participant. The Participant row stays as a tombstone: its pseudonym
(so the dyad and the study's counts stay true) and `erased_at`; every
personal attribute is blanked.

What refers to an erased row is found by walking the model graph, so a model
added later is covered without changing this module: a row that cannot exist
without an erased one (a non-null foreign key) is erased with it; a nullable
reference is set to NULL, except the few listed in DELETED_WITH_TARGET. If the
walk would reach a study-level object (a code, a theme, a session, a study,
a user), it stops and refuses: that needs a decision, not a guess.

The audit log is append-only and hash-chained; its rows are never touched.
One event, "participant.erase", says that the erasure happened, with counts
and no personal data. Earlier events hold ids, offsets and field names, not
transcript text (see docs/security.md).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone

from dyads.audit import audit_record
from dyads.exceptions import DomainError
from dyads.models import Participant, RecruitmentEvent
from dyads.permissions import Action, study_access
from interviews.models import GuideQuestion, Interview


class ErasureReason(models.TextChoices):
    CONSENT_WITHDRAWN = "consent_withdrawn", "The participant withdrew consent"
    ERASURE_REQUEST = "erasure_request", "The participant asked for erasure"
    ETHICS_REQUIREMENT = "ethics_requirement", "The ethics committee or law requires it"


# Nullable references whose row is about the erased data and goes with it.
DELETED_WITH_TARGET = {("analysis.memo", "coding"), ("analysis.memo", "transcript")}
# Rows the walk must never delete: reaching one means a model needs a decision.
NEVER_DELETED = {
    "dyads.study",
    "dyads.participant",
    "dyads.dyad",
    "dyads.auditevent",
    "analysis.code",
    "analysis.theme",
    "analysis.codingsession",
    "analysis.meetingrecord",
    settings.AUTH_USER_MODEL.lower(),
}
PERSONAL_BLANKS = {
    "site": None,
    "gender": "",
    "age": None,
    "profession": "",
    "theoretical_orientation": "",
    "presenting_problems": "",
    "attributes": {},
}
ERASED_REASON = "[erased]"

Rows = dict[type[models.Model], set]


def _references_to(model: type[models.Model]) -> Iterable[tuple[type[models.Model], models.Field]]:
    """Every concrete foreign key (of any model, M2M tables included) that points at `model`."""
    for other in apps.get_models(include_auto_created=True):
        for field in other._meta.concrete_fields:
            if field.is_relation and field.related_model is model:
                yield other, field


def _collect(roots: Rows) -> tuple[Rows, dict[tuple[type[models.Model], str], set]]:
    """The rows to delete, from the roots outwards, and the nullable references to clear."""
    doomed: Rows = defaultdict(set)
    cleared: dict[tuple[type[models.Model], str], set] = defaultdict(set)
    queue = [(model, set(pks)) for model, pks in roots.items()]
    while queue:
        model, pks = queue.pop()
        new = pks - doomed[model]
        if not new:
            continue
        if model._meta.label_lower in NEVER_DELETED:
            raise RuntimeError(
                f"Erasure would delete {model._meta.label} rows; decide how it should be handled."
            )
        doomed[model] |= new
        for other, field in _references_to(model):
            rows = set(
                other._base_manager.filter(**{f"{field.attname}__in": new}).values_list(
                    "pk", flat=True
                )
            )
            if not rows:
                continue
            if field.null and (other._meta.label_lower, field.name) not in DELETED_WITH_TARGET:
                cleared[(other, field.attname)] |= rows
            else:
                queue.append((other, rows))
    return doomed, cleared


def _deletion_order(doomed: Rows) -> list[type[models.Model]]:
    """Models ordered so that every row is deleted before the rows it points to."""
    order: list[type[models.Model]] = []
    seen: set[type[models.Model]] = set()

    def visit(model):
        if model in seen:
            return
        seen.add(model)
        for other, field in _references_to(model):
            if other in doomed and other is not model and not field.null:
                visit(other)
        order.append(model)

    for model in doomed:
        visit(model)
    return order


def _file_names(doomed: Rows) -> list[str]:
    names = []
    for model, pks in doomed.items():
        file_fields = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)
        ]
        for field in file_fields:
            names += [
                name
                for name in model._base_manager.filter(pk__in=pks).values_list(field, flat=True)
                if name
            ]
    return names


def _delete(doomed: Rows, cleared: dict) -> dict[str, int]:
    # References from rows that stay are cleared; so are nullable references
    # between doomed rows, which breaks cycles (a transcript's current revision).
    for (model, attname), pks in cleared.items():
        keep = pks - doomed.get(model, set())
        if keep:
            model._base_manager.filter(pk__in=keep).update(**{attname: None})
    for model, pks in doomed.items():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.null and field.related_model in doomed:
                model._base_manager.filter(pk__in=pks).exclude(
                    **{f"{field.attname}__isnull": True}
                ).update(**{field.attname: None})
    for model in _deletion_order(doomed):
        model._base_manager.filter(pk__in=doomed[model]).delete()
    return {model._meta.label_lower: len(pks) for model, pks in doomed.items()}


@transaction.atomic
def participant_erase(
    *, actor, participant: Participant, pseudonym: str, reason: ErasureReason | str
) -> dict[str, int]:
    """Erase the participant's interviews, transcripts, audio, codings and attributes.

    Owners only; `pseudonym` must repeat the participant's pseudonym, as a
    confirmation. Returns how many rows of each model were deleted.
    """
    study, _ = study_access(actor, participant.study, Action.ERASE_DATA)
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    errors = {}
    if pseudonym.strip() != participant.pseudonym:
        errors["pseudonym"] = (
            f"Type the participant's pseudonym exactly ({participant.pseudonym}) to confirm."
        )
    if reason not in ErasureReason.values:
        errors["reason"] = f"Give one of: {', '.join(ErasureReason.values)}."
    if participant.erased_at is not None:
        errors["participant"] = f"{participant.pseudonym} has already been erased."
    if errors:
        raise DomainError(errors)

    roots: Rows = {
        Interview: set(
            Interview.objects.filter(participant=participant).values_list("pk", flat=True)
        ),
        GuideQuestion: set(
            GuideQuestion.objects.filter(participant=participant).values_list("pk", flat=True)
        ),
    }
    doomed, cleared = _collect(roots)
    files = _file_names(doomed)
    counts = _delete(doomed, cleared)

    for field, blank in PERSONAL_BLANKS.items():
        setattr(participant, field, blank)
    participant.erased_at = timezone.now()
    participant.version += 1
    participant.save(update_fields=[*PERSONAL_BLANKS, "erased_at", "version"])
    reasons = RecruitmentEvent.objects.filter(participant=participant).exclude(reason="")
    counts["dyads.recruitmentevent (reason blanked)"] = reasons.update(reason=ERASED_REASON)

    audit_record(
        study=study,
        actor=actor,
        action="participant.erase",
        target=participant,
        new={
            "deleted": {label: n for label, n in sorted(counts.items()) if n},
            "files": len(files),
        },
        reason=ErasureReason(reason).label,
    )
    transaction.on_commit(lambda: _delete_files(files))
    return counts


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
