"""Writes of the interviews app, one module per area; each service is one transaction
with its audit event. Import them from here: `from interviews.services import ...`."""

from ..roles import speaker_role
from .interviews import (
    guide_create,
    guide_question_add,
    guide_update,
    interview_create,
    interview_delete,
    interview_update,
)
from .transcripts import transcript_revision_create

__all__ = [
    "guide_create",
    "guide_question_add",
    "guide_update",
    "interview_create",
    "interview_delete",
    "interview_update",
    "speaker_role",
    "transcript_revision_create",
]
