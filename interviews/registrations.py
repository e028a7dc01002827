"""The audit actions of interviews, transcripts and their imports (see dyads.registry).

Each may change a closed coding round: a new revision re-anchors its codings, and
the others are not known to leave rounds alone."""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, Left

from dyads.audit.words import (
    ObjectWords,
    names_by,
    register_audit_objects,
    register_audit_references,
    register_audit_sentences,
)
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

_INTERVIEW = Concat(
    "participant__pseudonym", Value(", interview "), Cast("sequence_number", CharField())
)
register_audit_objects(
    {
        "interviews.interview": ObjectWords(
            "interview", names_by("interviews.interview", _INTERVIEW), link="interview-detail"
        ),
        "interviews.transcriptrevision": ObjectWords(
            "transcript",
            names_by(
                "interviews.transcriptrevision",
                Concat(
                    "transcript__interview__participant__pseudonym",
                    Value(", interview "),
                    Cast("transcript__interview__sequence_number", CharField()),
                    Value(", revision "),
                    Cast("number", CharField()),
                ),
            ),
        ),
        "interviews.transcript": ObjectWords(
            "transcript",
            names_by(
                "interviews.transcript",
                Concat(
                    "interview__participant__pseudonym",
                    Value(", interview "),
                    Cast("interview__sequence_number", CharField()),
                ),
            ),
        ),
        "interviews.interviewguide": ObjectWords(
            "interview guide", names_by("interviews.interviewguide", "title")
        ),
        "interviews.guidequestion": ObjectWords(
            "guide question", names_by("interviews.guidequestion", Left("text", 80))
        ),
        "interviews.pseudonymreplacement": ObjectWords("pseudonym replacement"),
        "interviews.importupload": ObjectWords(
            "import", names_by("interviews.importupload", "file_name")
        ),
        "interviews.importbatch": ObjectWords("batch import"),
    }
)
register_audit_references(
    {
        "interview": "interviews.interview",
        "revision": "interviews.transcriptrevision",
        "transcript": "interviews.transcript",
        "transcripts": "interviews.transcript",
        "guide": "interviews.interviewguide",
        "question": "interviews.guidequestion",
    }
)
register_audit_sentences(
    {
        "interview.create": "{actor} recorded {object}",
        "interview.update": "{actor} edited {object}",
        "interview.delete": "{actor} removed {object}",
        "guide.create": "{actor} wrote {object}",
        "guide.update": "{actor} edited {object}",
        "guide.add_question": "{actor} added a question for {participant} to {guide}",
        "audio.attach": "{actor} attached the audio recording of {object}",
        "pseudonym.create": "{actor} added a pseudonym replacement",
        "pseudonym.update": "{actor} edited a pseudonym replacement",
        "pseudonym.delete": "{actor} removed a pseudonym replacement",
        "import.upload": "{actor} uploaded {object}",
        "import.queue": "{actor} queued {object} for import",
        "import.fail": "The import of {object} failed",
        "import.discard": "{actor} discarded {object}",
        "import.batch_upload": "{actor} uploaded a batch of transcripts",
        "import.batch_confirm": "{actor} confirmed a batch import",
        "transcript.add_revision": "{actor} added {object}",
    }
)

# The import job's task, which registers its kind of job with dyads.jobs (for the sweep).
from . import tasks  # noqa: E402, F401
