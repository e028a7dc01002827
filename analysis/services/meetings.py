import datetime as dt

from django.db import transaction

from dyads.audit import audit_record
from dyads.changes import snapshot, validate
from dyads.exceptions import DomainError
from dyads.models import Study, StudyMembership
from dyads.permissions import Action, study_access

from ..models import MeetingRecord


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
    attendee_ids = {user.pk for user in attendees}
    members = set(
        StudyMembership.objects.filter(
            study=study, user_id__in=attendee_ids, removed_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    if attendee_ids - members:
        raise DomainError({"attendees": "Every attendee must be a member of the study."})
    meeting = MeetingRecord(
        study=study, date=date, title=title, agenda=agenda, notes=notes, created_by=actor
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
