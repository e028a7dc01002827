"""Writes to interviews and their guides. Each is one transaction with its audit event."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from dyads.audit import audit_record
from dyads.changes import apply_changes, check_version, mark_removed, snapshot, validate
from dyads.exceptions import DomainError, NotFound
from dyads.models import Dyad, Participant, ParticipantRole, Study
from dyads.permissions import Action, study_access

from ..models import GuideQuestion, Interview, InterviewGuide

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


@transaction.atomic
def interview_delete(*, actor, interview: Interview, version: int | None = None) -> None:
    """Remove an interview entered by mistake (soft); its transcript stays in the database."""
    study_access(actor, interview.study, Action.MANAGE_INTERVIEWS)
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if interview.deleted_at is not None:
        raise NotFound("This interview has already been removed.")
    check_version(interview, version)
    mark_removed(interview, "deleted_at")
    audit_record(
        study=interview.study,
        actor=actor,
        action="interview.delete",
        target=interview,
        old={"participant": interview.participant_id, "sequence_number": interview.sequence_number},
    )


GUIDE_FIELDS = {"title", "role", "focus"}


@transaction.atomic
def guide_update(
    *, actor, guide: InterviewGuide, version: int | None = None, **changes: Any
) -> InterviewGuide:
    """Retitle a guide or change the role or focus it is meant for."""
    study_access(actor, guide.study, Action.MANAGE_INTERVIEWS)
    guide = InterviewGuide.objects.select_for_update().get(pk=guide.pk)
    if "title" in changes:
        taken = InterviewGuide.objects.filter(study=guide.study, title=changes["title"])
        if taken.exclude(pk=guide.pk).exists():
            raise DomainError({"title": f"There is already a guide called '{changes['title']}'."})
    old, new = apply_changes(guide, changes, allowed=GUIDE_FIELDS, version=version)
    if new:
        audit_record(
            study=guide.study, actor=actor, action="guide.update", target=guide, old=old, new=new
        )
    return guide
