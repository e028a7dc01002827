"""The deliberation sub-domain's audit actions and commentable models (see dyads.registry)."""

from analysis.deliberation.services.reanchoring import passages_follow_revision
from dyads.registry import register_audit_actions, register_commentable
from interviews.revision_followers import register_revision_follower

# Meetings, decisions and the journal record why the codebook changes; the change
# itself is the codebook's own event.
register_audit_actions(
    "meeting.create",
    "meeting.update",
    "meeting.add_passage",
    "meeting.remove_passage",
    "meeting.passage_reanchor",
    "decision.record",
    "decision.propose",
    "decision.accept",
    "decision.reject",
    "journal.create",
    "journal.update",
    "journal.delete",
    may_change_rounds=False,
)

register_commentable("analysis.decision", study_path="study")
register_commentable("analysis.meetingrecord", study_path="study")

register_revision_follower(passages_follow_revision)
