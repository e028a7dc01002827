"""The coding sub-domain's audit actions and commentable models (see dyads.registry)."""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from analysis.coding.services.reanchoring import codings_follow_revision, codings_preview
from dyads.audit.words import (
    ObjectWords,
    names_by,
    register_audit_objects,
    register_audit_references,
    register_audit_sentences,
)
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

register_audit_actions(
    "coding.reanchor",
    "coding.review_accept",
    "coding.review_adjust",
    "coding.review_remove",
    may_change_rounds=True,
)
register_revision_follower(codings_follow_revision)
register_revision_preview(codings_preview)

_CODED_IN = Concat(
    "code__name",
    Value(" in "),
    "revision__transcript__interview__participant__pseudonym",
    Value(", interview "),
    Cast("revision__transcript__interview__sequence_number", CharField()),
)
register_audit_objects(
    {
        "analysis.code": ObjectWords(
            "code", names_by("analysis.code", "name"), link="code-history"
        ),
        "analysis.coding": ObjectWords(
            "coding", names_by("analysis.coding", _CODED_IN), link="coding-why"
        ),
        "analysis.codingsession": ObjectWords(
            "coding session", names_by("analysis.codingsession", "name")
        ),
        "analysis.memo": ObjectWords("memo", names_by("analysis.memo", "title")),
        "analysis.codingreview": ObjectWords("re-anchoring review"),
    }
)
register_audit_references(
    {
        "code": "analysis.code",
        "codes": "analysis.code",
        "merged_into": "analysis.code",
        "coding": "analysis.coding",
        "session": "analysis.codingsession",
    }
)
register_audit_references({"parent": "analysis.code"}, on="analysis.code")
register_audit_sentences(
    {
        "code.create": "{actor} added {object} to the codebook",
        "code.update": "{actor} revised {object}",
        "code.merge": "{actor} merged {object} into {merged_into}",
        "code.split": "{actor} split {object}",
        "code.retire": "{actor} retired {object}",
        "code.import": "{actor} imported {object} into the codebook",
        "session.create": "{actor} opened {object} for {coders}",
        "session.close": "{actor} closed {object}",
        "session.transcript_done": "{actor} marked a transcript done in {object}",
        "session.transcript_reopen": "{actor} reopened a transcript in {object}",
        "coding.create": "{actor} added {object}",
        "coding.delete": "{actor} removed {object}",
        "coding.recode": "{actor} recoded {object}",
        "coding.reanchor": "Duet moved {object} onto the corrected transcript",
        "coding.review_accept": "{actor} accepted the re-anchored {object}",
        "coding.review_adjust": "{actor} adjusted the re-anchored {object}",
        "coding.review_remove": "{actor} removed the re-anchored {object}",
        "coding.import": "{actor} imported {object}",
        "memo.create": "{actor} wrote {object} on {code}",
        "memo.update": "{actor} edited {object}",
        "memo.delete": "{actor} removed {object}",
        "memo.import": "{actor} imported {object}",
    }
)
