"""Reads of the study root: a user's studies, a study's people, dyads and recruitment.

Each selector runs a fixed number of queries, whatever the size of the study.
They do not check permissions: the caller has already looked the study up
through `dyads.permissions.study_access`, and every selector here is scoped
to that study.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone

from .exceptions import NotFound
from .models import (
    AuditComment,
    Dyad,
    Invitation,
    Participant,
    ParticipantRole,
    RecruitmentEvent,
    RecruitmentStep,
    Site,
    Study,
    StudyMembership,
)


def display_name(path: str = ""):
    """The person at `path` ('coder', 'author', …; the user row itself if empty) as pages
    name people: their full name, or their username when they gave none (what
    `get_full_name() or username` says, computed in the query)."""
    prefix = f"{path}__" if path else ""
    full = Trim(Concat(F(f"{prefix}first_name"), Value(" "), F(f"{prefix}last_name")))
    return Coalesce(NullIf(full, Value("")), F(f"{prefix}username"))


def display_names(usernames) -> dict[str, str]:
    """username -> how pages name that person (1 query)."""
    people = get_user_model().objects.filter(username__in=list(usernames))
    return dict(people.values_list("username", display_name()))


def filter_by_user(queryset: QuerySet, field: str, user: str | None) -> QuerySet:
    """Narrowed to a user, by's id or username; absent or empty leaves the queryset."""
    if not user:
        return queryset
    return queryset.filter(**{f"{field}_id" if user.isdigit() else f"{field}__username": user})


def studies_for_user(*, user) -> QuerySet[StudyMembership]:
    """The user's active memberships of live studies, with the study and its counts."""
    if not user.is_authenticated:
        return StudyMembership.objects.none()
    return (
        StudyMembership.objects.filter(
            user=user, removed_at__isnull=True, study__deleted_at__isnull=True
        )
        .select_related("study")
        .annotate(
            dyad_count=Count(
                "study__dyads", filter=Q(study__dyads__deleted_at__isnull=True), distinct=True
            ),
            participant_count=Count(
                "study__participants",
                filter=Q(study__participants__deleted_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by("study__title", "study__pk")
    )


def study_members(*, study: Study) -> QuerySet[StudyMembership]:
    return (
        StudyMembership.objects.filter(study=study, removed_at__isnull=True)
        .select_related("user")
        .order_by("role", "user__username")
    )


def study_sites(*, study: Study) -> QuerySet[Site]:
    return Site.objects.filter(study=study, deleted_at__isnull=True).order_by("name")


def study_participants(*, study: Study) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(study=study, deleted_at__isnull=True)
        .select_related("site")
        .order_by("role", "pseudonym")
    )


def study_dyads(*, study: Study) -> QuerySet[Dyad]:
    return (
        Dyad.objects.filter(study=study, deleted_at__isnull=True)
        .select_related("therapist", "client", "site")
        .order_by("label")
    )


def dyad_get(*, study: Study, dyad_id: int) -> Dyad:
    """The study's dyad `dyad_id`; NotFound if it is another study's, or deleted."""
    dyad = (
        Dyad.objects.filter(study=study, pk=dyad_id, deleted_at__isnull=True)
        .select_related("therapist__site", "client__site", "site")
        .first()
    )
    if dyad is None:
        raise NotFound("No such dyad in this study.")
    return dyad


@dataclass(frozen=True)
class RecruitmentRow:
    step: RecruitmentStep
    therapists: int
    clients: int
    unspecified: int

    @property
    def total(self) -> int:
        return self.therapists + self.clients + self.unspecified


def recruitment_counts(*, study: Study) -> list[RecruitmentRow]:
    """How many recruitment events of each step, by role, in the order of the flow.

    Steps with no events are left out.
    """
    counts: dict[tuple[str, str], int] = {
        (row["step"], row["role"]): row["n"]
        for row in RecruitmentEvent.objects.filter(study=study)
        .values("step", "role")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows = []
    for step in RecruitmentStep:
        row = RecruitmentRow(
            step=step,
            therapists=counts.get((step.value, ParticipantRole.THERAPIST.value), 0),
            clients=counts.get((step.value, ParticipantRole.CLIENT.value), 0),
            unspecified=counts.get((step.value, ""), 0),
        )
        if row.total:
            rows.append(row)
    return rows


@dataclass(frozen=True)
class StudySummary:
    """Everything the study root knows about a study, evaluated."""

    study: Study
    dyads: list[Dyad]
    participants: list[Participant]
    members: list[StudyMembership]
    sites: list[Site]
    recruitment: list[RecruitmentRow]

    @property
    def therapists(self) -> list[Participant]:
        return [p for p in self.participants if p.role == ParticipantRole.THERAPIST]

    @property
    def clients(self) -> list[Participant]:
        return [p for p in self.participants if p.role == ParticipantRole.CLIENT]


def study_summary(*, study: Study) -> StudySummary:
    """The study's dyads, participants, members, sites and recruitment counts (5 queries)."""
    return StudySummary(
        study=study,
        dyads=list(study_dyads(study=study)),
        participants=list(study_participants(study=study)),
        members=list(study_members(study=study)),
        sites=list(study_sites(study=study)),
        recruitment=recruitment_counts(study=study),
    )


def open_invitations(*, study: Study) -> QuerySet[Invitation]:
    """Invitations not yet accepted, revoked or expired, newest first."""
    return (
        Invitation.objects.filter(
            study=study,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def audit_comments_on(*, study: Study, object_type: str, ids) -> dict[str, list[AuditComment]]:
    """Object id -> the audit comments on it, oldest first, with their authors (1 query)."""
    comments = AuditComment.objects.filter(
        study=study, object_type=object_type, object_id__in=[str(pk) for pk in ids]
    ).select_related("author")
    by_object: dict[str, list[AuditComment]] = defaultdict(list)
    for comment in comments.order_by("created_at", "pk"):
        by_object[comment.object_id].append(comment)
    return by_object
