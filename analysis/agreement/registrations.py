"""The agreement sub-domain's audit actions (see dyads.registry)."""

from analysis.agreement.services.reanchoring import agreement_follow_revision
from dyads.registry import register_audit_actions
from interviews.revision_followers import register_revision_follower

register_audit_actions(
    "resolution.create",
    "resolution.withdraw",
    "calibration.reference_create",
    "calibration.attempt_start",
    "calibration.attempt_submit",
    "resolution.reanchor",
    "calibration.reanchor",
    may_change_rounds=True,
)
# Putting a disagreement on a meeting's agenda settles nothing.
register_audit_actions("meeting.agenda_add", "meeting.agenda_reanchor", may_change_rounds=False)

register_revision_follower(agreement_follow_revision)
