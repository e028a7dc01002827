"""The supervision sub-domain's audit actions and commentable models (see dyads.registry)."""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from dyads.audit.words import (
    ObjectWords,
    names_by,
    register_audit_objects,
    register_audit_references,
    register_audit_sentences,
)
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

register_audit_objects(
    {
        "analysis.auditround": ObjectWords(
            "audit round", names_by("analysis.auditround", "title"), link="audit-round"
        ),
        "analysis.auditfinding": ObjectWords(
            "audit finding",
            names_by(
                "analysis.auditfinding",
                Concat(
                    Value("passage "), Cast("position", CharField()), Value(" of "), "round__title"
                ),
            ),
        ),
    }
)
register_audit_references({"round": "analysis.auditround"})
register_audit_references({"codings": "analysis.coding"}, on="analysis.auditround")
register_audit_sentences(
    {
        "audit_round.draw": "{actor} drew {object}",
        "audit_round.sign_off": "{actor} signed off {object}",
        "audit_finding.record": "{actor} judged {object}: {verdict}",
        "audit_finding.reply": "{actor} replied to {object}",
    }
)
