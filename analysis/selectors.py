"""Reads of the analysis."""

from django.db.models import Q, QuerySet

from .models import Coding, CodingSession, SessionMode, SessionState


def codings_visible_to(user, codings: QuerySet[Coding]) -> QuerySet[Coding]:
    """Hide what blind coding must hide.

    While a blind session is open, its coders see only their own codings in it,
    and analysts outside it see none of them; owners and auditors who do not
    code in it see all, so that they can follow progress.
    """
    open_blind = CodingSession.objects.filter(mode=SessionMode.BLIND, state=SessionState.OPEN)
    coding_in = open_blind.filter(coders=user)
    supervising = open_blind.exclude(coders=user).filter(
        study__memberships__user=user,
        study__memberships__role__in=["owner", "auditor"],
        study__memberships__removed_at__isnull=True,
    )
    return codings.filter(
        Q(session__isnull=True)
        | ~Q(session__in=open_blind)
        | Q(session__in=coding_in, coder=user)
        | Q(session__in=supervising)
    )
