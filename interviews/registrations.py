"""The audit actions of interviews, transcripts and their imports (see dyads.registry).

Each may change a closed coding round: a new revision re-anchors its codings, and
the others are not known to leave rounds alone."""

from dyads.registry import register_audit_actions

register_audit_actions(
    "interview.create",
    "interview.update",
    "interview.delete",
    "guide.create",
    "guide.update",
    "guide.add_question",
    "audio.attach",
    "pseudonym.create",
    "pseudonym.update",
    "pseudonym.delete",
    "import.upload",
    "import.queue",
    "import.fail",
    "import.discard",
    "import.batch_upload",
    "import.batch_confirm",
    "transcript.add_revision",
    may_change_rounds=True,
)

# Proposals for the pseudonym list and the review of an upload's possible names touch
# neither transcripts nor codings.
register_audit_actions(
    "pseudonym.propose",
    "pseudonym.proposal_accepted",
    "pseudonym.proposal_rejected",
    "import.names_review",
    may_change_rounds=False,
)
