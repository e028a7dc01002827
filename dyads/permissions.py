"""The one permission layer: which role may do what in a study.

Views, API views and services all ask `study_access`, so a role's rights are
written down once. A non-member gets NotFound, never Forbidden, so study ids
do not leak.
"""

from enum import StrEnum

from django.db.models import QuerySet

from .exceptions import Forbidden, NotFound
from .models import Role, Study, StudyMembership


class Action(StrEnum):
    VIEW_STUDY = "view_study"
    VIEW_ANALYSIS = "view_analysis"
    VIEW_AUDIT = "view_audit"
    MANAGE_STUDY = "manage_study"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_INTERVIEWS = "manage_interviews"
    IMPORT_TRANSCRIPTS = "import_transcripts"
    # The study's pseudonym list holds the real names: owners change it; interviewers,
    # who heard the names anyway, read it and propose names for it.
    MANAGE_PSEUDONYMS = "manage_pseudonyms"
    VIEW_PSEUDONYMS = "view_pseudonyms"
    PROPOSE_PSEUDONYM = "propose_pseudonym"
    CODE = "code"
    # Settle the disagreements of a closed coding session into its consensus.
    ADJUDICATE = "adjudicate"
    PROPOSE_DECISION = "propose_decision"
    ACCEPT_DECISION = "accept_decision"
    RECORD_MEETING = "record_meeting"
    AUDIT_COMMENT = "audit_comment"  # also audit rounds: sampling, findings, sign-off
    KEEP_JOURNAL = "keep_journal"
    ERASE_DATA = "erase_data"


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.OWNER: frozenset(Action),
    Role.ANALYST: frozenset(
        {
            Action.VIEW_STUDY,
            Action.VIEW_ANALYSIS,
            Action.CODE,
            Action.ADJUDICATE,
            Action.PROPOSE_DECISION,
            Action.RECORD_MEETING,
            Action.KEEP_JOURNAL,
        }
    ),
    Role.AUDITOR: frozenset(
        {Action.VIEW_STUDY, Action.VIEW_ANALYSIS, Action.VIEW_AUDIT, Action.AUDIT_COMMENT}
    ),
    Role.INTERVIEWER: frozenset(
        {
            Action.VIEW_STUDY,
            Action.MANAGE_INTERVIEWS,
            Action.IMPORT_TRANSCRIPTS,
            Action.VIEW_PSEUDONYMS,
            Action.PROPOSE_PSEUDONYM,
            Action.KEEP_JOURNAL,
        }
    ),
}


def role_allows(role: Role | str, action: Action) -> bool:
    return action in ROLE_ACTIONS[Role(role)]


def member_role(user, study: Study) -> Role | None:
    if not user or not user.is_authenticated:
        return None
    role = (
        StudyMembership.objects.filter(study=study, user=user, removed_at__isnull=True)
        .values_list("role", flat=True)
        .first()
    )
    return Role(role) if role else None


def role_with_article(label: str) -> str:
    """'An auditor', 'An owner', 'An interviewer', 'An analyst' as a sentence starts."""
    article = "An" if label[:1].lower() in "aeiou" else "A"
    return f"{article} {label.lower()}"


def study_access(user, study: Study | int | str, action: Action = Action.VIEW_STUDY):
    """Return (study, role) if the user may do `action` there; else raise.

    `study` may be a Study, its id or its slug.
    """
    if not isinstance(study, Study):
        lookup = {"pk": study} if str(study).isdigit() else {"slug": study}
        study = Study.objects.filter(deleted_at__isnull=True, **lookup).first()
        if study is None:
            raise NotFound("No such study.")
    role = member_role(user, study)
    if role is None or study.deleted_at is not None:
        raise NotFound("No such study.")
    if not role_allows(role, action):
        raise Forbidden(
            f"{role_with_article(role.label)} may not {action.value.replace('_', ' ')}."
        )
    return study, role


def studies_where(user, action: Action) -> QuerySet[Study]:
    """The studies in which the user's role allows `action`."""
    if not user.is_authenticated:
        return Study.objects.none()
    roles = [role for role, actions in ROLE_ACTIONS.items() if action in actions]
    return Study.objects.filter(
        deleted_at__isnull=True,
        memberships__user=user,
        memberships__role__in=roles,
        memberships__removed_at__isnull=True,
    )
