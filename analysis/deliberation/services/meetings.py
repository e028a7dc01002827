"""Analytic meetings: their record, attendees, notes and the passages reviewed in them."""

import datetime as dt

from django.db import transaction

from analysis.deliberation.models import MeetingPassage, MeetingRecord
from dyads.audit import audit_record
from dyads.changes import apply_changes, check_version, mark_removed, snapshot, validate
from dyads.exceptions import DomainError, NotFound
from dyads.models import Study, StudyMembership
from dyads.permissions import Action, study_access
from dyads.text import clean_rich_text
from interviews.models import Interview, TranscriptRevision


def _attendee_ids(study: Study, attendees: list) -> set[int]:
    attendee_ids = {user.pk for user in attendees}
    members = set(
        StudyMembership.objects.filter(
            study=study, user_id__in=attendee_ids, removed_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    if attendee_ids - members:
        raise DomainError({"attendees": "Every attendee must be a member of the study."})
    return attendee_ids


@transaction.atomic
def meeting_create(
    *,
    actor,
    study: Study,
    date: dt.date,
    title: str,
    attendees: list,
    agenda: str = "",
    notes: str = "",
) -> MeetingRecord:
    study_access(actor, study, Action.RECORD_MEETING)
    attendee_ids = _attendee_ids(study, attendees)
    meeting = MeetingRecord(
        study=study,
        date=date,
        title=title,
        agenda=clean_rich_text(agenda),
        notes=clean_rich_text(notes),
        created_by=actor,
    )
    validate(meeting)
    meeting.save()
    meeting.attendees.set(attendee_ids)
    audit_record(
        study=study,
        actor=actor,
        action="meeting.create",
        target=meeting,
        new={
            **snapshot(meeting, fields=["date", "title", "agenda", "notes"]),
            "attendees": sorted(attendee_ids),
        },
    )
    return meeting


MEETING_FIELDS = {"date", "title", "agenda", "notes"}
RICH_TEXT_FIELDS = {"agenda", "notes"}


@transaction.atomic
def meeting_update(
    *,
    actor,
    meeting: MeetingRecord,
    version: int | None = None,
    attendees: list | None = None,
    **changes,
) -> MeetingRecord:
    """Correct a meeting's date, title, agenda, notes or attendees; a stale version is a Conflict."""
    study_access(actor, meeting.study, Action.RECORD_MEETING)
    meeting = MeetingRecord.objects.select_for_update().get(pk=meeting.pk)
    for field in RICH_TEXT_FIELDS & set(changes):
        changes[field] = clean_rich_text(changes[field])
    check_version(meeting, version)
    old, new = apply_changes(meeting, changes, allowed=MEETING_FIELDS)
    fields_changed = bool(new)
    if attendees is not None:
        attendee_ids = _attendee_ids(meeting.study, attendees)
        before = sorted(meeting.attendees.values_list("pk", flat=True))
        if sorted(attendee_ids) != before:
            meeting.attendees.set(attendee_ids)
            old["attendees"], new["attendees"] = before, sorted(attendee_ids)
            if not fields_changed:  # apply_changes moved the version on otherwise
                meeting.version += 1
                meeting.save(update_fields=["version"])
    if new:
        audit_record(
            study=meeting.study,
            actor=actor,
            action="meeting.update",
            target=meeting,
            old=old,
            new=new,
        )
    return meeting


PASSAGE_FIELDS = ["interview", "revision", "start", "end", "t_start", "t_end", "note"]


def _check_passage_ranges(interview: Interview, revision, start, end, t_start, t_end) -> None:
    errors = {}
    if revision is None and t_start is None:
        errors["t_start"] = "Give a time range of the audio or a text range of the transcript."
    if revision is not None:
        if revision.transcript.interview_id != interview.pk:
            errors["revision"] = "The transcript revision belongs to another interview."
        elif start is None or end is None or not 0 <= start < end <= len(revision.text):
            errors["start"] = (
                f"The text range {start}-{end} must lie within the transcript "
                f"(0-{len(revision.text)}) and not be empty."
            )
    if (t_start is None) != (t_end is None) or (t_start is not None and not 0 <= t_start < t_end):
        errors["t_end"] = f"The time range {t_start}-{t_end} ms must start before it ends."
    if errors:
        raise DomainError(errors)


@transaction.atomic
def meeting_passage_add(
    *,
    actor,
    meeting: MeetingRecord,
    interview: Interview,
    revision: TranscriptRevision | None = None,
    start: int | None = None,
    end: int | None = None,
    t_start: int | None = None,
    t_end: int | None = None,
    note: str = "",
) -> MeetingPassage:
    """Record an audio or transcript passage reviewed in the meeting (milliseconds, code points)."""
    study_access(actor, meeting.study, Action.RECORD_MEETING)
    if interview.study_id != meeting.study_id or interview.deleted_at is not None:
        raise DomainError({"interview": "The interview is not an interview of this study."})
    _check_passage_ranges(interview, revision, start, end, t_start, t_end)
    passage = MeetingPassage(
        meeting=meeting,
        interview=interview,
        revision=revision,
        start=start,
        end=end,
        t_start=t_start,
        t_end=t_end,
        note=note.strip(),
        added_by=actor,
    )
    validate(passage)
    passage.save()
    audit_record(
        study=meeting.study,
        actor=actor,
        action="meeting.add_passage",
        target=passage,
        new={"meeting": meeting.pk, **snapshot(passage, fields=PASSAGE_FIELDS)},
    )
    return passage


@transaction.atomic
def meeting_passage_remove(*, actor, passage: MeetingPassage) -> None:
    """Take a passage off the meeting's list (soft: it stays in the database and the trail)."""
    study_access(actor, passage.meeting.study, Action.RECORD_MEETING)
    passage = MeetingPassage.objects.select_for_update().get(pk=passage.pk)
    if passage.removed_at is not None:
        raise NotFound("This passage was already removed from the meeting.")
    mark_removed(passage, "removed_at")
    audit_record(
        study=passage.meeting.study,
        actor=actor,
        action="meeting.remove_passage",
        target=passage,
        old={"meeting": passage.meeting_id, **snapshot(passage, fields=PASSAGE_FIELDS)},
    )
