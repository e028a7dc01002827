"""Guide-question coverage follows a corrected transcript (see
analysis.coding.services.reanchoring): a passage whose text vanished keeps its old
revision and is named in the audit event."""

from analysis.coding.services.reanchoring import reanchoring_record, rows_move, spans_follow
from analysis.themes.models import QuestionCoverage
from interviews.anchoring import TextMap
from interviews.models import TranscriptRevision


def coverage_follow_revision(
    *, actor, old: TranscriptRevision, new: TranscriptRevision, mapping: TextMap
) -> None:
    question_of = dict(
        QuestionCoverage.objects.filter(revision=old).values_list("pk", "question_id")
    )
    rows = QuestionCoverage.objects.filter(revision=old).values_list("pk", "start", "end")
    followed = spans_follow(
        rows=rows,
        mapping=mapping,
        unique=lambda pk, start, end: (question_of[pk], start, end),
    )
    rows_move(QuestionCoverage, new, followed.moving)
    reanchoring_record(actor=actor, old=old, new=new, action="coverage.reanchor", followed=followed)
