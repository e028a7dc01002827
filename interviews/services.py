"""Writes to interviews, guides and transcripts. Each is one transaction with its audit event."""

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from dyads.audit import audit_record
from dyads.changes import apply_changes, snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import Dyad, Participant, ParticipantRole, Study
from dyads.permissions import Action, study_access

from .models import (
    GuideQuestion,
    Interview,
    InterviewGuide,
    SpeakerRole,
    SpeakerTurn,
    Transcript,
    TranscriptRevision,
)
from .turns import Turn, is_interviewer_label

INTERVIEW_FIELDS = {
    "dyad",
    "sequence_number",
    "focus",
    "timing",
    "interviewer",
    "date",
    "duration_minutes",
    "guide",
    "notes",
}


def _check_interview_links(
    participant: Participant, dyad: Dyad | None, guide, sequence_number: Any = None
) -> None:
    errors = {}
    if isinstance(sequence_number, int) and sequence_number < 1:
        errors["sequence_number"] = "Interviews are numbered from 1."
    if dyad is not None and participant.pk not in (dyad.therapist_id, dyad.client_id):
        errors["dyad"] = f"{participant.pseudonym} is not a member of dyad {dyad.label}."
    if guide is not None and guide.study_id != participant.study_id:
        errors["guide"] = "The guide belongs to another study."
    if errors:
        raise DomainError(errors)


@transaction.atomic
def interview_create(
    *,
    actor,
    participant: Participant,
    sequence_number: int,
    focus: str,
    timing: str,
    dyad: Dyad | None = None,
    **fields: Any,
) -> Interview:
    study_access(actor, participant.study, Action.MANAGE_INTERVIEWS)
    unknown = set(fields) - INTERVIEW_FIELDS
    if unknown:
        raise DomainError(dict.fromkeys(sorted(unknown), "Unknown interview field."))
    if dyad is None and participant.role == ParticipantRole.CLIENT:
        dyad = Dyad.objects.filter(client=participant).first()
    _check_interview_links(participant, dyad, fields.get("guide"), sequence_number)
    interview = Interview(
        study_id=participant.study_id,
        participant=participant,
        dyad=dyad,
        sequence_number=sequence_number,
        focus=focus,
        timing=timing,
        **fields,
    )
    validate(interview)
    interview.save()
    audit_record(
        study=participant.study,
        actor=actor,
        action="interview.create",
        target=interview,
        new=snapshot(interview),
    )
    return interview


@transaction.atomic
def interview_update(
    *, actor, interview: Interview, version: int | None = None, **changes: Any
) -> Interview:
    study_access(actor, interview.study, Action.MANAGE_INTERVIEWS)
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    _check_interview_links(
        interview.participant,
        changes.get("dyad", interview.dyad),
        changes.get("guide", interview.guide),
        changes.get("sequence_number"),
    )
    old, new = apply_changes(interview, changes, allowed=INTERVIEW_FIELDS, version=version)
    if new:
        audit_record(
            study=interview.study,
            actor=actor,
            action="interview.update",
            target=interview,
            old=old,
            new=new,
        )
    return interview


@transaction.atomic
def guide_create(
    *,
    actor,
    study: Study,
    title: str,
    questions: Iterable[str] = (),
    role: str = "",
    focus: str = "",
) -> InterviewGuide:
    """A study-wide interview guide with its questions in order."""
    study_access(actor, study, Action.MANAGE_INTERVIEWS)
    guide = InterviewGuide(study=study, title=title, role=role, focus=focus)
    validate(guide)
    guide.save()
    texts = [text.strip() for text in questions]
    if any(not text for text in texts):
        raise DomainError({"questions": "A guide question cannot be empty."})
    GuideQuestion.objects.bulk_create(
        GuideQuestion(guide=guide, position=number, text=text)
        for number, text in enumerate(texts, start=1)
    )
    audit_record(
        study=study,
        actor=actor,
        action="guide.create",
        target=guide,
        new={**snapshot(guide), "questions": texts},
    )
    return guide


@transaction.atomic
def guide_question_add(
    *, actor, guide: InterviewGuide, text: str, participant: Participant | None = None
) -> GuideQuestion:
    """Append a question; with a participant, it is tailored to that person."""
    study_access(actor, guide.study, Action.MANAGE_INTERVIEWS)
    guide = InterviewGuide.objects.select_for_update().get(pk=guide.pk)
    if participant is not None and participant.study_id != guide.study_id:
        raise DomainError({"participant": "The participant belongs to another study."})
    last = guide.questions.order_by("-position").values_list("position", flat=True).first() or 0
    question = GuideQuestion(
        guide=guide, position=last + 1, text=text.strip(), participant=participant
    )
    validate(question)
    question.save()
    audit_record(
        study=guide.study,
        actor=actor,
        action="guide.add_question",
        target=question,
        new=snapshot(question),
    )
    return question


def speaker_role(label: str, labels: dict[str, str]) -> SpeakerRole:
    """The role of a speaker label: the user's mapping first, then the usual conventions."""
    if label in labels:
        return SpeakerRole(labels[label])
    if not label:
        return SpeakerRole.OTHER
    if is_interviewer_label(label):
        return SpeakerRole.INTERVIEWER
    return SpeakerRole.PARTICIPANT


@transaction.atomic
def transcript_revision_create(
    *,
    actor,
    interview: Interview,
    text: str,
    turns: list[Turn],
    checksum: str = "",
    source_name: str = "",
    source_format: str = "",
    original_text: str = "",
    speaker_roles: dict[str, str] | None = None,
) -> TranscriptRevision:
    """Store a new immutable revision of the interview's transcript with its turns."""
    study_access(actor, interview.study, Action.IMPORT_TRANSCRIPTS)
    if not text.strip():
        raise DomainError({"text": "The transcript has no text."})
    for turn in turns:
        if not 0 <= turn.start < turn.end <= len(text):
            raise DomainError(
                {
                    "turns": f"Turn '{turn.speaker}' at {turn.start}-{turn.end} lies outside the text."
                }
            )
    transcript, _ = Transcript.objects.select_for_update().get_or_create(interview=interview)
    number = transcript.revisions.count() + 1
    revision = TranscriptRevision.objects.create(
        transcript=transcript,
        number=number,
        text=text,
        original_text=original_text if interview.study.store_original_text else "",
        checksum=checksum or hashlib.sha256(text.encode()).hexdigest(),
        source_name=source_name,
        source_format=source_format,
        created_by=actor,
    )
    roles = speaker_roles or {}
    SpeakerTurn.objects.bulk_create(
        SpeakerTurn(
            revision=revision,
            index=index,
            speaker=turn.speaker,
            role=speaker_role(turn.speaker, roles),
            start=turn.start,
            end=turn.end,
            t_start=turn.t_start,
            t_end=turn.t_end,
        )
        for index, turn in enumerate(turns)
    )
    transcript.current_revision = revision
    transcript.save(update_fields=["current_revision"])
    audit_record(
        study=interview.study,
        actor=actor,
        action="transcript.add_revision",
        target=revision,
        new={
            "interview": interview.pk,
            "number": number,
            "checksum": revision.checksum,
            "characters": len(text),
            "turns": len(turns),
            "source_name": source_name,
        },
    )
    return revision
