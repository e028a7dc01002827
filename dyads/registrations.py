"""The kernel's own audit actions and commentable model (see dyads.registry)."""

from django.conf import settings
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from .audit.words import (
    ObjectWords,
    names_by,
    register_audit_objects,
    register_audit_references,
    register_audit_sentences,
)
from .registry import register_audit_actions, register_commentable
from .selectors import display_name

USER = settings.AUTH_USER_MODEL.lower()

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

# How the kernel's events read in the audit trail (see dyads.audit.words).
register_audit_objects(
    {
        settings.AUTH_USER_MODEL.lower(): ObjectWords("person", names_by(USER, display_name())),
        "dyads.study": ObjectWords("study", names_by("dyads.study", "title")),
        "dyads.studymembership": ObjectWords(
            "membership", names_by("dyads.studymembership", display_name("user"))
        ),
        "dyads.site": ObjectWords("site", names_by("dyads.site", "name")),
        "dyads.participant": ObjectWords("participant", names_by("dyads.participant", "pseudonym")),
        "dyads.dyad": ObjectWords("dyad", names_by("dyads.dyad", "label"), link="dyad-detail"),
        "dyads.recruitmentevent": ObjectWords("recruitment log"),
        "dyads.invitation": ObjectWords("invitation", names_by("dyads.invitation", "email")),
        "dyads.auditevent": ObjectWords(
            "audit trail entry",
            names_by("dyads.auditevent", Concat(Value("no. "), Cast("sequence", CharField()))),
        ),
    }
)
register_audit_references(
    {
        "user": USER,
        "actor": USER,
        "author": USER,
        "coder": USER,
        "coders": USER,
        "attendees": USER,
        "interviewer": USER,
        "invited_by": USER,
        "site": "dyads.site",
        "participant": "dyads.participant",
        "therapist": "dyads.participant",
        "client": "dyads.participant",
        "dyad": "dyads.dyad",
    }
)
register_audit_sentences(
    {
        "study.create": "{actor} created {object}",
        "study.update": "{actor} edited the study’s details",
        "site.create": "{actor} added {object}",
        "site.update": "{actor} edited {object}",
        "site.delete": "{actor} removed {object}",
        "participant.create": "{actor} added {object}, a {role}",
        "participant.update": "{actor} edited {object}",
        "participant.delete": "{actor} removed {object}",
        "dyad.create": "{actor} paired {therapist} and {client} as {object}",
        "dyad.update": "{actor} edited {object}",
        "dyad.delete": "{actor} removed {object}",
        "invitation.create": "{actor} invited {email} as {role}",
        "invitation.accept": "{actor} accepted the invitation to join as {role}",
        "invitation.revoke": "{actor} revoked the invitation of {email}",
        "membership.add": "{actor} gave {user} the role {role}",
        "membership.change_role": "{actor} changed {object}’s role",
        "membership.remove": "{actor} removed {user} from the study",
        "recruitment.record": "{actor} logged the recruitment step “{step}” on {occurred_on}",
        "audit_comment.create": "{actor} commented on {target}",
        "audit.scrub": "{actor} scrubbed personal text from the audit trail",
        "audit.rekey": "{actor} re-anchored the audit chain under a new key",
    }
)
