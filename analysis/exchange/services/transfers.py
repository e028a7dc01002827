"""Imports from other tools' files, and the exchange jobs that run imports and exports.

`codebook_import` (owners and analysts, like `code_create`) adds a file's codes;
`project_import` (owners: it adds participants, interviews and transcripts)
adds a REFI-QDA project. Both run as one transaction, check the plan again
and write nothing while the file has an error. Every created object gets its
audit event: codes, participants, interviews, revisions and memos through
`audit_record` one by one, as the existing services do; codings, which can
number hundreds of thousands, are inserted in bulk and their events appended
to the chain in bulk too (`_audit_codings`): one event per coding, hashed in
order under one lock of the chain head, which verifies exactly like events
appended one at a time and costs four queries per 2,000 codings instead of
four per coding.
"""

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from analysis.coding.models import Code, Coding, Memo
from analysis.deliberation.models import DecisionKind
from analysis.deliberation.services.decisions import decision_record
from analysis.exchange.models import ExchangeFormat, ExchangeJob, ExchangeKind, ExchangeState
from analysis.exchange.parsed import ParsedProject, ParsedSource
from analysis.exchange.plan import SKIP, Plan, colour_of, plan_project, plan_users
from analysis.exchange.refi import parse_code_description
from dyads.access import access_log_record
from dyads.audit import as_json_value, audit_record, current_request_id, seal
from dyads.changes import snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import (
    AccessAction,
    AuditChainHead,
    AuditEvent,
    Dyad,
    Participant,
    ParticipantRole,
    Study,
)
from dyads.permissions import Action, study_access
from dyads.registry import may_change_rounds
from dyads.services import dyad_create, participant_create
from dyads.uploads import max_upload_bytes
from interviews.models import Interview, InterviewFocus, InterviewTiming, TranscriptRevision
from interviews.services import interview_create, transcript_revision_create
from interviews.turns import detect_turns

BULK = 2000
IMPORT_FORMATS = {
    ExchangeFormat.QDPX: Action.MANAGE_STUDY,
    ExchangeFormat.QDC: Action.CODE,
    ExchangeFormat.CODEBOOK_CSV: Action.CODE,
    ExchangeFormat.CODEBOOK_XLSX: Action.CODE,
}
EXPORT_FORMATS = {
    ExchangeFormat.QDPX: Action.VIEW_ANALYSIS,
    ExchangeFormat.QDC: Action.VIEW_ANALYSIS,
    ExchangeFormat.SEGMENTS_CSV: Action.VIEW_ANALYSIS,
    ExchangeFormat.SEGMENTS_XLSX: Action.VIEW_ANALYSIS,
    ExchangeFormat.EXCERPTS_DOCX: Action.VIEW_ANALYSIS,
    ExchangeFormat.BACKUP: Action.MANAGE_STUDY,
}
UPLOAD_SUFFIX = {
    ExchangeFormat.QDPX: "qdpx",
    ExchangeFormat.QDC: "qdc",
    ExchangeFormat.CODEBOOK_CSV: "csv",
    ExchangeFormat.CODEBOOK_XLSX: "xlsx",
}


@dataclass
class ImportResult:
    codes: int = 0
    participants: int = 0
    dyads: int = 0
    interviews: int = 0
    revisions: int = 0
    codings: int = 0
    codings_already_present: int = 0
    memos: int = 0
    code_ids: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data.pop("code_ids")
        return data


# --- jobs ----------------------------------------------------------------------------------


def _enqueue(job: ExchangeJob) -> None:
    """Send the job's task on commit, under the job's task id (a redelivery carries it)."""
    from analysis.tasks import run_exchange_job

    task_id = str(job.task_id)
    transaction.on_commit(lambda: run_exchange_job.apply_async(args=[job.pk], task_id=task_id))


@transaction.atomic
def exchange_export_start(
    *, actor, study: Study, format: str, options: dict | None = None, request=None
) -> ExchangeJob:
    """Queue an export; owners, analysts and auditors export, owners alone back up."""
    if format not in EXPORT_FORMATS:
        raise DomainError(
            {
                "format": f"'{format}' is not an export format; use one of {', '.join(EXPORT_FORMATS)}."
            }
        )
    study_access(actor, study, EXPORT_FORMATS[ExchangeFormat(format)])
    options = dict(options or {})
    code = options.get("code")
    if code is not None and not (
        str(code).isdigit() and Code.objects.filter(study=study, pk=int(code)).exists()
    ):
        raise DomainError({"code": "No such code in this study."})
    job = ExchangeJob.objects.create(
        study=study, kind=ExchangeKind.EXPORT, format=format, options=options, created_by=actor
    )
    access_log_record(
        user=actor,
        study=study,
        action=AccessAction.EXPORT,
        target=job,
        detail=ExchangeFormat(format).label,
        request=request,
    )
    _enqueue(job)
    return job


@transaction.atomic
def exchange_import_start(*, actor, study: Study, format: str, upload) -> ExchangeJob:
    """Store an uploaded file and queue its preview; nothing is imported until it is confirmed."""
    if format not in IMPORT_FORMATS:
        raise DomainError(
            {
                "format": f"'{format}' is not an import format; use one of {', '.join(IMPORT_FORMATS)}."
            }
        )
    study_access(actor, study, IMPORT_FORMATS[ExchangeFormat(format)])
    size = getattr(upload, "size", 0)
    name = getattr(upload, "name", "") or f"upload.{UPLOAD_SUFFIX[format]}"
    if not size:
        raise DomainError({"file": f"{name}: the file is empty."})
    if size > max_upload_bytes():
        raise DomainError({"file": f"{name}: larger than the upload limit."})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    job = ExchangeJob(
        study=study,
        kind=ExchangeKind.IMPORT,
        format=format,
        file_name=name[:255],
        checksum=digest.hexdigest(),
        created_by=actor,
    )
    upload.seek(0)
    job.upload.save(f"{uuid.uuid4().hex}.{UPLOAD_SUFFIX[format]}", upload, save=False)
    job.save()
    _enqueue(job)
    return job


@transaction.atomic
def exchange_import_confirm(*, actor, job: ExchangeJob, mapping: dict | None = None) -> ExchangeJob:
    """Run a previewed import, with the user's source mapping (source GUID -> target)."""
    study_access(actor, job.study, IMPORT_FORMATS[ExchangeFormat(job.format)])
    job = ExchangeJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise DomainError("Only the person who uploaded the file can confirm its import.")
    if job.state != ExchangeState.PREVIEWED:
        raise DomainError(
            f"This import is {job.get_state_display().lower()}, not waiting for confirmation."
        )
    if mapping is not None and not (
        isinstance(mapping, dict) and all(isinstance(v, str) for v in mapping.values())
    ):
        raise DomainError({"mapping": "Give the mapping as {source GUID: target}."})
    job.options = {**job.options, "confirmed": True, "mapping": mapping or {}}
    job.state = ExchangeState.QUEUED
    job.progress = 0
    # The import is a run of its own: the preview's task, delivered again, cannot take it.
    job.task_id = uuid.uuid4()
    job.save(update_fields=["options", "state", "progress", "task_id"])
    _enqueue(job)
    return job


# --- codes ---------------------------------------------------------------------------------


def _create_codes(
    *, actor, study: Study, project: ParsedProject, plan: Plan, result: ImportResult
) -> None:
    """Create the plan's new codes (parents first) with their audit events and decisions."""
    ids_by_path: dict[str, int] = {}
    last_position: dict[int | None, int] = {}
    for step, (_, code) in zip(plan.codes, project.all_codes(), strict=True):
        if step.existing is not None:
            ids_by_path[step.path] = step.existing
            result.code_ids[code.guid] = step.existing
            continue
        parent_id = ids_by_path.get(step.parent_path) if step.parent_path else None
        if parent_id not in last_position:
            siblings = Code.objects.filter(study=study, parent_id=parent_id)
            last_position[parent_id] = siblings.aggregate(last=Max("position"))["last"] or 0
        last_position[parent_id] += 1
        texts = parse_code_description(code.description)
        new = Code(
            study=study,
            parent_id=parent_id,
            guid=uuid.UUID(step.guid),
            name=step.name,
            colour=colour_of(code.colour),
            position=last_position[parent_id],
            **texts,
        )
        validate(new)
        new.save()
        after = {
            **snapshot(new, fields=["name", "parent", "colour", "position", *texts]),
            "guid": step.guid,
        }
        reason = f"Imported from {project.file_name}"
        audit_record(
            study=study, actor=actor, action="code.import", target=new, new=after, reason=reason
        )
        decision_record(
            actor=actor,
            study=study,
            kind=DecisionKind.CODE_CREATE,
            meeting=None,
            rationale=reason,
            after=after,
            code=new,
        )
        ids_by_path[step.path] = new.pk
        result.code_ids[code.guid] = new.pk
        result.codes += 1


@transaction.atomic
def codebook_import(*, actor, study: Study, project: ParsedProject) -> ImportResult:
    """Add a codebook's codes to the study; codes it already has (by GUID or name) stay as they are."""
    study_access(actor, study, Action.CODE)
    plan = plan_project(study, project, actor)
    result = ImportResult()
    _create_codes(actor=actor, study=study, project=project, plan=plan, result=result)
    audit_record(
        study=study,
        actor=actor,
        action="exchange.import_codebook",
        object_type="file",
        object_id=project.file_name[:64],
        new=result.as_dict(),
    )
    return result


# --- projects ------------------------------------------------------------------------------


PARTICIPANT_VARIABLES = {
    "Gender": "gender",
    "Age": "age",
    "Profession": "profession",
    "Theoretical orientation": "theoretical_orientation",
    "Presenting problems": "presenting_problems",
}
CASE_ONLY = {"Role", "Site", "Dyad"}


def _participant_from_case(*, actor, study: Study, case) -> Participant:
    fields: dict[str, Any] = {"attributes": {}}
    for name, value in case.variables.items():
        if name in PARTICIPANT_VARIABLES:
            fields[PARTICIPANT_VARIABLES[name]] = value
        elif name not in CASE_ONLY:
            fields["attributes"][name] = value
    if "age" in fields and not isinstance(fields["age"], int):
        fields["attributes"]["Age"] = fields.pop("age")
    site = study.sites.filter(name=str(case.variables.get("Site", ""))).first()
    return participant_create(
        actor=actor,
        study=study,
        role=ParticipantRole(str(case.variables["Role"]).strip().lower()),
        pseudonym=case.name[:80],
        site=site,
        **fields,
    )


def _choice(value: Any, choices) -> str | None:
    text = str(value or "").strip().lower()
    return next((c.value for c in choices if text in (c.value, c.label.lower())), None)


def _new_interview(
    *, actor, participant: Participant, number: int | None, source: ParsedSource, users
) -> Interview:
    taken = set(participant.interviews.values_list("sequence_number", flat=True))
    if number is None or number < 1 or number in taken:
        number = max(taken, default=0) + 1
    variables = source.variables
    date = variables.get("Interview date")
    duration = variables.get("Duration (minutes)")
    interviewer = users.get(str(variables.get("Interviewer", "")).lower())
    return interview_create(
        actor=actor,
        participant=participant,
        dyad=_dyad_of(participant, source),
        sequence_number=number,
        focus=_choice(variables.get("Focus"), InterviewFocus) or InterviewFocus.BOTH,
        timing=_choice(variables.get("Timing"), InterviewTiming) or InterviewTiming.AFTER,
        date=date if isinstance(date, str) and date else None,
        duration_minutes=duration if isinstance(duration, int) and duration > 0 else None,
        interviewer=interviewer,
    )


def _revision_for(
    *, actor, interview: Interview, source: ParsedSource, project: ParsedProject, result
) -> TranscriptRevision:
    """The interview's current revision if its text is the source's, else a new revision."""
    transcript = getattr(interview, "transcript", None)
    current = transcript.current_revision if transcript else None
    if current is not None and current.text == source.text:
        return current
    result.revisions += 1
    return transcript_revision_create(
        actor=actor,
        interview=interview,
        text=source.text,
        turns=detect_turns(source.text),
        source_name=f"{project.file_name}: {source.name}"[:255],
        source_format="qdpx",
    )


def _pair_dyads(
    *, actor, study: Study, project: ParsedProject, created: dict[str, Participant], result
) -> None:
    """Make the dyads that new participants' cases name, where both partners are new."""
    by_label: dict[str, dict[str, Participant]] = {}
    for case in project.cases:
        label = str(case.variables.get("Dyad", "")).strip()[:40]
        if label and case.guid in created:
            by_label.setdefault(label, {})[created[case.guid].role] = created[case.guid]
    for label, partners in sorted(by_label.items()):
        if len(partners) == 2 and not Dyad.objects.filter(study=study, label=label).exists():
            dyad_create(
                actor=actor,
                study=study,
                label=label,
                therapist=partners[ParticipantRole.THERAPIST],
                client=partners[ParticipantRole.CLIENT],
            )
            result.dyads += 1


def _dyad_of(participant: Participant, source: ParsedSource) -> Dyad | None:
    """The dyad the source names, else the participant's only dyad."""
    dyads = Dyad.objects.filter(deleted_at__isnull=True).filter(
        Q(therapist=participant) | Q(client=participant)
    )
    label = str(source.variables.get("Dyad", "")).strip()
    named = dyads.filter(label=label).first() if label else None
    return named or (dyads.first() if dyads.count() == 1 else None)


@transaction.atomic
def project_import(
    *, actor, study: Study, project: ParsedProject, mapping: dict[str, str] | None = None
) -> ImportResult:
    """Import a REFI-QDA project: codes, participants from cases, interviews and their
    transcripts, codings and notes. Owners only; one transaction."""
    study_access(actor, study, Action.MANAGE_STUDY)
    plan = plan_project(study, project, actor, mapping)
    result = ImportResult()
    _create_codes(actor=actor, study=study, project=project, plan=plan, result=result)
    users = plan_users(study, project.users, actor)
    members = {user.username.lower(): user for user in users.values()}
    steps = [step for step in plan.sources if step.target != SKIP]
    cases = {case.guid: case for case in project.cases}
    created: dict[str, Participant] = {}
    for guid in plan.new_cases:
        created[guid] = _participant_from_case(actor=actor, study=study, case=cases[guid])
        result.participants += 1
    _pair_dyads(actor=actor, study=study, project=project, created=created, result=result)
    sources = {source.guid: source for source in project.sources}
    revisions: dict[str, TranscriptRevision] = {}
    for step in steps:
        source = sources[step.guid]
        kind, _, key = step.target.partition(":")
        if kind == "interview":
            interview = Interview.objects.select_related("transcript__current_revision").get(pk=key)
        else:
            participant = (
                created[key] if kind == "case" else Participant.objects.get(pk=key, study=study)
            )
            interview = _new_interview(
                actor=actor,
                participant=participant,
                number=step.number,
                source=source,
                users=members,
            )
            result.interviews += 1
        revisions[source.guid] = _revision_for(
            actor=actor, interview=interview, source=source, project=project, result=result
        )
    coding_ids = _import_codings(
        actor=actor, study=study, project=project, revisions=revisions, users=users, result=result
    )
    _import_notes(
        actor=actor,
        study=study,
        project=project,
        revisions=revisions,
        coding_ids=coding_ids,
        code_ids=result.code_ids,
        users=users,
        result=result,
    )
    audit_record(
        study=study,
        actor=actor,
        action="exchange.import_project",
        object_type="file",
        object_id=project.file_name[:64],
        new={**result.as_dict(), "origin": project.origin, "positions": project.convention},
    )
    return result


def _import_codings(*, actor, study, project, revisions, users, result) -> dict[str, int]:
    """Insert the codings in bulk, one audit event each; skip those already present."""
    wanted = []
    for source in project.sources:
        revision = revisions.get(source.guid)
        if revision is None:
            continue
        for selection in source.selections:
            for coding in selection.codings:
                coder = users.get(coding.user_guid, actor)
                key = (
                    revision.pk,
                    selection.start,
                    selection.end,
                    result.code_ids[coding.code_guid],
                    coder.pk,
                )
                wanted.append((key, coding.guid, coding.created))
    present = set(
        Coding.objects.filter(
            revision_id__in={key[0] for key, _, _ in wanted}, deleted_at__isnull=True
        ).values_list("revision_id", "start", "end", "code_id", "coder_id")
    )
    seen, rows = set(present), []
    for key, guid, created in wanted:
        if key in seen:
            result.codings_already_present += 1
            continue
        seen.add(key)
        rows.append((key, guid, created))
    ids: dict[str, int] = {}
    for first in range(0, len(rows), BULK):
        batch = rows[first : first + BULK]
        codings = Coding.objects.bulk_create(
            Coding(study=study, revision_id=r, start=s, end=e, code_id=c, coder_id=u)
            for (r, s, e, c, u), _, _ in batch
        )
        _audit_codings(
            actor=actor,
            study=study,
            codings=codings,
            created=[created for _, _, created in batch],
            file_name=project.file_name,
        )
        ids.update({guid: coding.pk for (_, guid, _), coding in zip(batch, codings, strict=True)})
    result.codings += len(rows)
    return ids


def _audit_codings(
    *, actor, study: Study, codings: list[Coding], created: Iterable, file_name: str
) -> None:
    """One `coding.import` event per coding, appended to the chain in one go."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(study=study)
    now, request_id = timezone.now(), current_request_id.get()
    action = "coding.import"
    round_changing = may_change_rounds(action)
    events, previous = [], head.last_hash
    for sequence, (coding, when) in enumerate(
        zip(codings, created, strict=True), start=head.sequence + 1
    ):
        event = AuditEvent(
            study=study,
            sequence=sequence,
            actor=actor,
            created_at=now,
            action=action,
            object_type=Coding._meta.label_lower,
            object_id=str(coding.pk),
            new_value=as_json_value(
                {
                    "revision": coding.revision_id,
                    "start": coding.start,
                    "end": coding.end,
                    "code": coding.code_id,
                    "coder": coding.coder_id,
                    "created_in_source": when,
                }
            ),
            old_value=None,
            reason=f"Imported from {file_name}",
            request_id=request_id,
            may_change_rounds=round_changing,
        )
        previous = seal(event, previous)
        events.append(event)
    AuditEvent.objects.bulk_create(events)
    if events:
        head.sequence, head.last_hash = events[-1].sequence, events[-1].hash
        head.save(update_fields=["sequence", "last_hash"])


def _import_notes(*, actor, study, project, revisions, coding_ids, code_ids, users, result) -> None:
    """Each note becomes a memo on the coding, code or transcript that refers to it first."""
    subject: dict[str, dict[str, Any]] = {}
    for source in project.sources:
        revision = revisions.get(source.guid)
        for selection in source.selections:
            for coding in selection.codings:
                for note in coding.notes + selection.notes:
                    if coding.guid in coding_ids:
                        subject.setdefault(note, {"coding_id": coding_ids[coding.guid]})
        for note in source.notes:
            if revision is not None:
                subject.setdefault(note, {"transcript_id": revision.transcript_id})
    for _, code in project.all_codes():
        for note in code.notes:
            subject.setdefault(note, {"code_id": code_ids.get(code.guid)})
    for guid, note in project.notes.items():
        text = note.text.strip() or note.name.strip()
        if not text:
            continue
        memo = Memo(
            study=study,
            author=users.get(note.user_guid, actor),
            title=note.name[:200],
            text=text,
            **subject.get(guid, {}),
        )
        validate(memo)
        memo.save()
        audit_record(
            study=study,
            actor=actor,
            action="memo.import",
            target=memo,
            new=snapshot(memo, fields=["title", "text", "code", "coding", "transcript", "author"]),
            reason=f"Imported from {project.file_name}",
        )
        result.memos += 1
