"""The agreement sub-domain's audit actions (see dyads.registry)."""

from dyads.registry import register_audit_actions

register_audit_actions(
    "resolution.create",
    "resolution.withdraw",
    "calibration.reference_create",
    "calibration.attempt_start",
    "calibration.attempt_submit",
    may_change_rounds=True,
)
# Putting a disagreement on a meeting's agenda settles nothing.
register_audit_actions("meeting.agenda_add", may_change_rounds=False)
