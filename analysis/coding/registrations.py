"""The coding sub-domain's audit actions and commentable models (see dyads.registry)."""

from analysis.coding.services.reanchoring import codings_follow_revision, codings_preview
from dyads.registry import register_audit_actions, register_commentable
from interviews.revision_followers import register_revision_follower, register_revision_preview

register_audit_actions(
    "code.create",
    "code.update",
    "code.merge",
    "code.split",
    "code.retire",
    "session.create",
    "session.close",
    "session.transcript_done",
    "session.transcript_reopen",
    may_change_rounds=True,
)
# A closed session refuses codings, so coding writes (most of a busy study's events)
# never touch a closed round; nor do memos.
register_audit_actions(
    "coding.create",
    "coding.delete",
    "coding.recode",
    "memo.create",
    "memo.update",
    "memo.delete",
    may_change_rounds=False,
)

register_commentable("analysis.code", study_path="study")
register_commentable("analysis.coding", study_path="study")

register_audit_actions(
    "coding.reanchor",
    "coding.review_accept",
    "coding.review_adjust",
    "coding.review_remove",
    may_change_rounds=True,
)
register_revision_follower(codings_follow_revision)
register_revision_preview(codings_preview)
