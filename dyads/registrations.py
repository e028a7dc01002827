"""The kernel's own audit actions and commentable model (see dyads.registry)."""

from .registry import register_audit_actions, register_commentable

register_audit_actions(
    "study.create",
    "study.update",
    "site.create",
    "site.update",
    "site.delete",
    "participant.create",
    "participant.update",
    "participant.delete",
    "dyad.create",
    "dyad.update",
    "dyad.delete",
    may_change_rounds=True,
)
# Who may work on the study, the recruitment log and auditors' remarks: no coding round
# depends on them.
register_audit_actions(
    "invitation.create",
    "invitation.accept",
    "invitation.revoke",
    "membership.add",
    "membership.change_role",
    "membership.remove",
    "recruitment.record",
    "audit_comment.create",
    may_change_rounds=False,
)
# The audit log's own housekeeping: scrubbing payload text, re-anchoring the chain.
register_audit_actions("audit.scrub", "audit.rekey", may_change_rounds=False)

register_commentable("dyads.auditevent", study_path="study")
