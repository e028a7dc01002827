"""Meeting passages follow a corrected transcript (see analysis.coding.services.reanchoring):
a passage whose text vanished keeps its old revision and is named in the audit event."""

from analysis.coding.services.reanchoring import reanchoring_record, rows_move, spans_follow
from analysis.deliberation.models import MeetingPassage
from interviews.anchoring import TextMap
from interviews.models import TranscriptRevision


def passages_follow_revision(
    *, actor, old: TranscriptRevision, new: TranscriptRevision, mapping: TextMap
) -> None:
    rows = MeetingPassage.objects.filter(revision=old).values_list("pk", "start", "end")
    followed = spans_follow(rows=rows, mapping=mapping)
    rows_move(MeetingPassage, new, followed.moving)
    reanchoring_record(
        actor=actor, old=old, new=new, action="meeting.passage_reanchor", followed=followed
    )
