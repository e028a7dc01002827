"""Reads for analytic meetings, the decision log and the reflexivity journal.

A fixed number of queries each; scoped to the study the caller looked up with
`dyads.permissions.study_access`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from analysis.deliberation.models import (
    Decision,
    DecisionState,
    JournalEntry,
    MeetingPassage,
    MeetingRecord,
)
from dyads.exceptions import NotFound
from dyads.models import Study
from interviews.selectors import format_milliseconds

_INTERVIEW = "interview__participant"


@dataclass(frozen=True)
class PassageView:
    passage: MeetingPassage
    text: str
    has_audio: bool

    @property
    def time_range(self) -> str:
        p = self.passage
        if p.t_start is None:
            return ""
        return f"{format_milliseconds(p.t_start)}–{format_milliseconds(p.t_end)}"

    @property
    def media_fragment(self) -> str:
        """The W3C media fragment `#t=start,end` in seconds."""
        p = self.passage
        return f"#t={p.t_start / 1000:g},{p.t_end / 1000:g}" if p.t_start is not None else ""


@dataclass(frozen=True)
class MeetingDetail:
    meeting: MeetingRecord
    passages: list[PassageView]
    decisions: list[Decision]
    proposals: list[Decision]


def _has_audio(interview) -> bool:
    return getattr(interview, "audio", None) is not None


def meeting_detail(*, study: Study, meeting_id: int) -> MeetingDetail:
    """The meeting with attendees, reviewed passages and the decisions taken (5 queries)."""
    meeting = (
        MeetingRecord.objects.filter(study=study, pk=meeting_id)
        .select_related("created_by")
        .prefetch_related("attendees")
        .first()
    )
    if meeting is None:
        raise NotFound("No such meeting in this study.")
    passages = (
        MeetingPassage.objects.filter(meeting=meeting, removed_at__isnull=True)
        .select_related(_INTERVIEW, "interview__audio", "revision", "added_by")
        .order_by("added_at", "pk")
    )
    decisions = list(
        Decision.objects.filter(meeting=meeting)
        .select_related("code", "theme", "author", "decided_by")
        .order_by("created_at", "pk")
    )
    return MeetingDetail(
        meeting=meeting,
        passages=[
            PassageView(
                passage=p,
                text=p.revision.text[p.start : p.end] if p.revision_id else "",
                has_audio=_has_audio(p.interview),
            )
            for p in passages
        ],
        decisions=[d for d in decisions if d.state == DecisionState.ACCEPTED],
        proposals=[d for d in decisions if d.state != DecisionState.ACCEPTED],
    )


@dataclass(frozen=True)
class TimelineItem:
    date: dt.date
    meeting: MeetingRecord | None = None
    entry: JournalEntry | None = None


def meeting_timeline(*, study: Study) -> list[TimelineItem]:
    """Meetings (with their decision counts) and shared reflexive memos, newest first (2 queries)."""
    meetings = MeetingRecord.objects.filter(study=study).annotate(
        decision_count=Count("decisions", filter=Q(decisions__state=DecisionState.ACCEPTED))
    )
    shared = JournalEntry.objects.filter(
        study=study, shared=True, deleted_at__isnull=True
    ).select_related("author")
    items = [TimelineItem(m.date, meeting=m) for m in meetings] + [
        TimelineItem(e.date, entry=e) for e in shared
    ]
    return sorted(items, key=lambda item: (item.date, item.meeting is not None), reverse=True)


def decision_log(*, study: Study, state: str = "") -> QuerySet[Decision]:
    """The study's decisions and proposals, newest first, with what they are about."""
    decisions = Decision.objects.filter(study=study).select_related(
        "code", "theme", "meeting", "author", "decided_by"
    )
    if state:
        decisions = decisions.filter(state=state)
    return decisions.order_by("-created_at", "-pk")


def study_meetings(*, study: Study) -> QuerySet[MeetingRecord]:
    return MeetingRecord.objects.filter(study=study).order_by("-date", "-pk")


def journal_entries(*, user, study: Study) -> QuerySet[JournalEntry]:
    """The user's own entries and everyone's shared ones, newest first."""
    return (
        JournalEntry.objects.filter(study=study, deleted_at__isnull=True)
        .filter(Q(author=user) | Q(shared=True))
        .select_related("author")
        .order_by("-date", "-pk")
    )


def journal_entry_get(*, user, study: Study, entry_id: int) -> JournalEntry:
    entry = journal_entries(user=user, study=study).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("No such journal entry.")
    return entry
