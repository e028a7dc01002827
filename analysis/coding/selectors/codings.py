"""Which codings a user may see (blind sessions and calibration hide some), and a code's
family (the code and its live subcodes) for filtering codings."""

from collections import defaultdict

from django.db.models import Q, QuerySet

from analysis.agreement.models import CalibrationAttempt
from analysis.coding.models import Code, Coding, CodingSession, SessionMode, SessionState


def codings_visible_to(user, codings: QuerySet[Coding]) -> QuerySet[Coding]:
    """Hide what blind coding must hide.

    While a blind session is open, its coders see only their own codings in it,
    and analysts outside it see none of them; owners and auditors who do not
    code in it see all, so that they can follow progress. A trainee with an
    unsubmitted calibration attempt sees no one else's codings of the reference
    transcript at all.
    """
    open_blind = CodingSession.objects.filter(mode=SessionMode.BLIND, state=SessionState.OPEN)
    coding_in = open_blind.filter(coders=user)
    supervising = open_blind.exclude(coders=user).filter(
        study__memberships__user=user,
        study__memberships__role__in=["owner", "auditor"],
        study__memberships__removed_at__isnull=True,
    )
    calibrating = CalibrationAttempt.objects.filter(trainee=user, submitted_at__isnull=True).values(
        "reference__revision__transcript"
    )
    return codings.filter(
        Q(session__isnull=True)
        | ~Q(session__in=open_blind)
        | Q(session__in=coding_in, coder=user)
        | Q(session__in=supervising)
    ).exclude(Q(revision__transcript__in=calibrating) & ~Q(coder=user))


def code_family(code: Code, *, include_subcodes: bool) -> list[int]:
    """The code's id, and with `include_subcodes` those of all codes below it."""
    if not include_subcodes:
        return [code.pk]
    children = defaultdict(list)
    for pk, parent in Code.objects.filter(study_id=code.study_id).values_list("pk", "parent_id"):
        children[parent].append(pk)
    family, todo = [], [code.pk]
    while todo:
        pk = todo.pop()
        family.append(pk)
        todo.extend(children[pk])
    return family
