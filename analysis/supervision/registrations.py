"""The supervision sub-domain's audit actions and commentable models (see dyads.registry)."""

from dyads.registry import register_audit_actions, register_commentable

# Audit rounds read the codings; they change none.
register_audit_actions(
    "audit_round.draw",
    "audit_round.sign_off",
    "audit_finding.record",
    "audit_finding.reply",
    may_change_rounds=False,
)

register_commentable("analysis.auditround", study_path="study")
register_commentable("analysis.auditfinding", study_path="round__study")
