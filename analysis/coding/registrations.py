"""The coding sub-domain's audit actions and commentable models (see dyads.registry)."""

from dyads.registry import register_audit_actions, register_commentable

register_audit_actions(
    "code.create",
    "code.update",
    "code.merge",
    "code.split",
    "code.retire",
    "session.create",
    "session.close",
    "session.reopen",
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
    "coding.restore",
    "memo.create",
    "memo.update",
    "memo.delete",
    may_change_rounds=False,
)

register_commentable("analysis.code", study_path="study")
register_commentable("analysis.coding", study_path="study")
