"""The deliberation sub-domain's audit actions and commentable models (see dyads.registry)."""

from analysis.deliberation.models import Decision
from analysis.deliberation.services.reanchoring import passages_follow_revision
from dyads.audit.words import (
    ObjectWords,
    names_by,
    register_audit_objects,
    register_audit_references,
    register_audit_sentences,
)
from dyads.registry import register_audit_actions, register_commentable
from interviews.revision_followers import register_revision_follower

# Meetings, decisions and the journal record why the codebook changes; the change
# itself is the codebook's own event.
register_audit_actions(
    "meeting.create",
    "meeting.update",
    "meeting.add_passage",
    "meeting.remove_passage",
    "meeting.passage_reanchor",
    "decision.record",
    "decision.propose",
    "decision.accept",
    "decision.reject",
    "journal.create",
    "journal.update",
    "journal.delete",
    may_change_rounds=False,
)

register_commentable("analysis.decision", study_path="study")
register_commentable("analysis.meetingrecord", study_path="study")

register_revision_follower(passages_follow_revision)


def _decision_names(ids) -> dict[str, str]:
    """'Rename code: Worse before better' (1 query)."""
    decisions = Decision.objects.filter(pk__in=[pk for pk in ids if pk.isdigit()])
    return {
        str(
            d.pk
        ): f"{d.get_kind_display()}: {d.code.name if d.code else d.theme.name if d.theme else 'the codebook'}"
        for d in decisions.select_related("code", "theme")
    }


register_audit_objects(
    {
        "analysis.meetingrecord": ObjectWords(
            "meeting", names_by("analysis.meetingrecord", "title"), link="meeting-detail"
        ),
        "analysis.decision": ObjectWords(
            "decision", _decision_names, link="decision-log", anchor="decision-"
        ),
        "analysis.meetingpassage": ObjectWords("meeting passage"),
        "analysis.journalentry": ObjectWords("journal entry"),
    }
)
register_audit_references({"meeting": "analysis.meetingrecord", "decision": "analysis.decision"})
register_audit_sentences(
    {
        "meeting.create": "{actor} recorded {object} held on {date}",
        "meeting.update": "{actor} edited the record of {object}",
        "meeting.add_passage": "{actor} put a passage on the agenda of {meeting}",
        "meeting.remove_passage": "{actor} took a passage off the agenda of {meeting}",
        "meeting.passage_reanchor": "Duet moved a passage of {meeting} onto the corrected transcript",
        "decision.record": "{actor} recorded {object}",
        "decision.propose": "{actor} proposed {object}",
        "decision.accept": "{actor} accepted the proposal {object}",
        "decision.reject": "{actor} rejected the proposal {object}",
        "journal.create": "{actor} wrote a reflexive journal entry",
        "journal.update": "{actor} edited a reflexive journal entry",
        "journal.delete": "{actor} removed a reflexive journal entry",
    }
)
