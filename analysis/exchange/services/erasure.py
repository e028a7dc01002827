"""Erasing a participant who withdrew consent: their data goes, for good.

`participant_erase` deletes, in one transaction, the participant's interviews
with everything that hangs on them: transcripts (every revision and speaker
turn), audio recordings (the files too, once the transaction commits), import
uploads still holding a file (matched to an interview or to its import job) and
import jobs, codings on those transcripts, memos on those codings and
transcripts, exemplary quotes, coverage marks, meeting passages, resolutions and
whatever else refers to them; and the interview-guide questions tailored to the
participant. The Participant row stays as a tombstone: its pseudonym (so the
dyad and the study's counts stay true) and `erased_at`; every personal
attribute is blanked.

What refers to an erased row is found by walking the model graph, so a model
added later is covered without changing this module: a row that cannot exist
without an erased one (a non-null foreign key) is erased with it; a nullable
reference is set to NULL, except the few listed in DELETED_WITH_TARGET. If the
walk would reach a study-level object (a code, a theme, a session, a study,
a user), it stops and refuses: that needs a decision, not a guess. Rows go in
dependency order; a nullable reference between erased rows is cleared first only
where it closes a cycle.

The participant's words also live in records that stay: the free text written
about their interviews and the excerpts of their codings are replaced by
"[erased]" in decision snapshots and memos (scrubbing.quoting_records_scrub) and
in the audit payloads (dyads.audit.audit_payloads_scrub, which keeps the chain
verifiable: the chain covers payload digests); the study's exchange files kept
in media are removed. One event, "participant.erase", says that the erasure
happened, with counts and no personal data (see docs/security.md).
"""

import itertools
from collections import defaultdict
from collections.abc import Iterable
from graphlib import CycleError, TopologicalSorter

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.utils import timezone

from analysis.coding.models import Coding
from analysis.exchange.services.scrubbing import exchange_files_remove, quoting_records_scrub
from dyads.audit import audit_payloads_scrub, audit_record
from dyads.exceptions import DomainError
from dyads.models import Participant, RecruitmentEvent
from dyads.permissions import Action, study_access
from interviews.models import GuideQuestion, ImportUpload, Interview


class ErasureReason(models.TextChoices):
    CONSENT_WITHDRAWN = "consent_withdrawn", "The participant withdrew consent"
    ERASURE_REQUEST = "erasure_request", "The participant asked for erasure"
    ETHICS_REQUIREMENT = "ethics_requirement", "The ethics committee or law requires it"


# Nullable references whose row is about the erased data and goes with it.
DELETED_WITH_TARGET = {
    ("analysis.memo", "coding"),
    ("analysis.memo", "transcript"),
    ("interviews.importupload", "interview"),
}
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
REMOVED_BY_ERASURE = "Removed by erasure: this file held erased data. Export again."
# Free text about the participant's interviews, which records that stay may quote.
FREE_TEXT = {
    "interviews.interview": ("notes",),
    "interviews.guidequestion": ("text",),
    "analysis.memo": ("title", "text"),
    "analysis.meetingpassage": ("note",),
    "analysis.resolution": ("reason",),
}
# Shorter texts are too common to be theirs: replacing them study-wide would damage others'.
SHORTEST_SCRUBBED = 8

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


def _deletion_order(doomed: Rows) -> tuple[list[type[models.Model]], list[tuple]]:
    """Models ordered so that every row is deleted before the rows it points to, and the
    nullable references that must be cleared first because they close a cycle (a
    transcript's current revision). No other reference is cleared: a meeting passage
    without its revision would break its own constraint."""
    edges: dict[tuple, list[models.Field]] = defaultdict(list)
    for model in doomed:
        for other, field in _references_to(model):
            if other in doomed and other is not model:
                edges[(other, model)].append(field)
    graph: dict[type[models.Model], set] = {model: set() for model in doomed}
    for referrer, target in edges:
        graph[target].add(referrer)
    broken: list[tuple] = []
    while True:
        try:
            return list(TopologicalSorter(graph).static_order()), broken
        except CycleError as cycle:
            referrer, target = _nullable_link(cycle.args[1], edges)
            graph[target].discard(referrer)
            broken += [(referrer, field.attname) for field in edges[(referrer, target)]]


def _nullable_link(cycle: list, edges: dict) -> tuple:
    """A link of the cycle (each model is deleted before the next) that can be cleared."""
    for referrer, target in itertools.pairwise(cycle):
        if all(field.null for field in edges[(referrer, target)]):
            return referrer, target
    raise RuntimeError(f"Erasure cannot order the deletion of {cycle}; decide how.")


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
    for (model, attname), pks in cleared.items():
        keep = pks - doomed.get(model, set())
        if keep:
            model._base_manager.filter(pk__in=keep).update(**{attname: None})
    order, broken = _deletion_order(doomed)
    for model, attname in broken:
        model._base_manager.filter(pk__in=doomed[model]).update(**{attname: None})
    for model in order:
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
        # Uploads still holding a file's bytes, matched to an interview or to its import.
        ImportUpload: set(
            ImportUpload.objects.filter(
                Q(interview__participant=participant) | Q(job__interview__participant=participant)
            ).values_list("pk", flat=True)
        ),
    }
    doomed, cleared = _collect(roots)
    files = _file_names(doomed)
    words = _their_words(doomed)
    counts = _delete(doomed, cleared)
    counts["quoting records (words replaced)"] = quoting_records_scrub(
        study=study, texts=words, replacement=ERASED_REASON
    )
    counts["exchange files"] = exchange_files_remove(study=study, note=REMOVED_BY_ERASURE)
    counts["audit events (words replaced)"] = audit_payloads_scrub(
        study=study, texts=words, replacement=ERASED_REASON, actor=actor
    )

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


def _their_words(doomed: Rows) -> set[str]:
    """What the participant said or what was written of them, which other records may quote."""
    words: set[str] = set()
    for model, pks in doomed.items():
        for field in FREE_TEXT.get(model._meta.label_lower, ()):
            words |= set(model._base_manager.filter(pk__in=pks).values_list(field, flat=True))
    excerpts = Coding.objects.filter(pk__in=doomed.get(Coding, ())).annotate(
        excerpt=Substr("revision__text", F("start") + 1, F("end") - F("start"))
    )
    words |= set(excerpts.values_list("excerpt", flat=True))
    return {word.strip() for word in words if len(word.strip()) >= SHORTEST_SCRUBBED}


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
