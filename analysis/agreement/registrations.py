"""The agreement sub-domain's audit actions (see dyads.registry)."""

from analysis.agreement.services.reanchoring import agreement_follow_revision
from dyads.audit.words import (
    ObjectWords,
    names_by,
    register_audit_objects,
    register_audit_sentences,
)
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

register_audit_objects(
    {
        "analysis.resolution": ObjectWords(
            "resolution", names_by("analysis.resolution", "code__name")
        ),
        "analysis.agendadisagreement": ObjectWords("agenda item"),
        "analysis.calibrationreference": ObjectWords("calibration reference"),
        "analysis.calibrationattempt": ObjectWords("calibration attempt"),
    }
)
register_audit_sentences(
    {
        "resolution.create": "{actor} resolved a disagreement on {object}",
        "resolution.withdraw": "{actor} withdrew the resolution on {object}",
        "resolution.reanchor": "Duet moved the resolution on {object} onto the corrected transcript",
        "calibration.reference_create": "{actor} set a calibration reference",
        "calibration.attempt_start": "{actor} started a calibration attempt",
        "calibration.attempt_submit": "{actor} submitted a calibration attempt",
        "calibration.reanchor": "Duet moved a calibration reference onto the corrected transcript",
        "meeting.agenda_add": "{actor} put a disagreement on the agenda of {meeting}",
        "meeting.agenda_reanchor": "Duet moved an agenda disagreement onto the corrected transcript",
    }
)
