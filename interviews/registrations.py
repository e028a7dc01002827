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

# The import job's task, which registers its kind of job with dyads.jobs (for the sweep).
from . import tasks  # noqa: E402, F401
