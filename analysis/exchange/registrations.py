"""The exchange sub-domain's audit actions (see dyads.registry)."""

from dyads.audit.words import (
    register_audit_sentences,
)
from dyads.registry import register_audit_actions

register_audit_actions(
    "exchange.import_codebook",
    "exchange.import_project",
    "code.import",
    "coding.import",
    "participant.erase",
    "transcript.redact",
    may_change_rounds=True,
)
register_audit_actions("memo.import", may_change_rounds=False)

register_audit_sentences(
    {
        "exchange.import_codebook": "{actor} imported a codebook",
        "exchange.import_project": "{actor} imported a project",
        "participant.erase": "{actor} erased the personal data of {object}",
    }
)

# The exchange job's task, which registers its kind of job with dyads.jobs (for the sweep).
from analysis import tasks  # noqa: E402, F401
