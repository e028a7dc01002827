"""The participants and recruitment description of a methods section, as tables.

Ages are summarised with the standard library's `statistics`: the range, every
mode (`multimode`: ties are all reported; where every age occurs once there is
no mode) and the median (for an even count, the mean of the two middle ages).
"""

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from dyads.models import (
    Dyad,
    Participant,
    ParticipantRole,
    RecruitmentEvent,
    RecruitmentStep,
    Study,
)
from dyads.selectors import RecruitmentRow, recruitment_counts, study_dyads, study_participants

ROLES = (ParticipantRole.THERAPIST, ParticipantRole.CLIENT)


@dataclass(frozen=True)
class NumberSummary:
    """Range, modes and median of a list of whole numbers (ages, therapy sessions)."""

    count: int
    minimum: int | None
    maximum: int | None
    modes: list[int]
    median: float | None

    @classmethod
    def of(cls, values: list[int]) -> "NumberSummary":
        if not values:
            return cls(count=0, minimum=None, maximum=None, modes=[], median=None)
        modes = statistics.multimode(values)
        if len(values) > 1 and len(modes) == len(values):
            modes = []  # every value occurs once: no mode
        return cls(
            count=len(values),
            minimum=min(values),
            maximum=max(values),
            modes=sorted(modes),
            median=statistics.median(values),
        )

    @property
    def range_text(self) -> str:
        if self.minimum is None:
            return "—"
        return (
            str(self.minimum) if self.minimum == self.maximum else f"{self.minimum}–{self.maximum}"
        )

    @property
    def modes_text(self) -> str:
        if not self.modes:
            return "none (every value differs)" if self.count > 1 else "—"
        return " and ".join(str(mode) for mode in self.modes)

    @property
    def median_text(self) -> str:
        if self.median is None:
            return "—"
        return f"{self.median:g}"


@dataclass(frozen=True)
class RoleRow:
    """One role's line of the participants table."""

    role: ParticipantRole
    total: int
    genders: list[int]  # in the order of ParticipantsTables.genders
    ages: NumberSummary
    age_not_reported: int


@dataclass(frozen=True)
class Tally:
    """How often each value occurs, most frequent first, then alphabetically."""

    items: list[tuple[str, int]]

    @classmethod
    def of(cls, values) -> "Tally":
        counts = Counter(value for value in values if value)
        return cls(items=sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold())))

    @property
    def text(self) -> str:
        return ", ".join(f"{name} ({n})" for name, n in self.items) or "—"


@dataclass(frozen=True)
class RecruitmentFlow:
    """The recruitment log by step and role, the reasons of those who left, therapy length."""

    steps: list[RecruitmentRow]
    declined: list[tuple[str, str]]  # (role, reason)
    dropped_out: list[tuple[str, str]]
    therapy_sessions: NumberSummary

    @property
    def left(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Those who declined and those who dropped out, each with their reasons."""
        return [("Declined", self.declined), ("Dropped out", self.dropped_out)]


@dataclass(frozen=True)
class ParticipantsTables:
    genders: list[str]
    roles: list[RoleRow]
    professions: dict[ParticipantRole, Tally]
    orientations: Tally
    presenting_problems: Tally
    recruitment: RecruitmentFlow

    @property
    def total(self) -> int:
        return sum(row.total for row in self.roles)

    @property
    def gender_rows(self) -> list[tuple[str, list[int]]]:
        """(gender, count per role) in the order of `roles`."""
        return [
            (
                gender.capitalize() if gender else "Gender not reported",
                [r.genders[i] for r in self.roles],
            )
            for i, gender in enumerate(self.genders)
        ]


def _problems(participants: list[Participant]) -> Tally:
    """Presenting problems, split at commas and semicolons, counted case-insensitively."""
    found = []
    for participant in participants:
        for part in re.split(r"[;,]", participant.presenting_problems):
            part = part.strip()
            if part:
                found.append(part[0].upper() + part[1:])
    return Tally.of(found)


def _flow(study: Study, dyads: list[Dyad]) -> RecruitmentFlow:
    left = RecruitmentEvent.objects.filter(
        study=study, step__in=[RecruitmentStep.DECLINED, RecruitmentStep.DROPPED_OUT]
    ).order_by("occurred_on", "pk")
    reasons = {RecruitmentStep.DECLINED: [], RecruitmentStep.DROPPED_OUT: []}
    for step, role, reason in left.values_list("step", "role", "reason"):
        reasons[step].append((role, reason))
    return RecruitmentFlow(
        steps=recruitment_counts(study=study),
        declined=reasons[RecruitmentStep.DECLINED],
        dropped_out=reasons[RecruitmentStep.DROPPED_OUT],
        therapy_sessions=NumberSummary.of(
            [dyad.therapy_sessions for dyad in dyads if dyad.therapy_sessions is not None]
        ),
    )


def participants_tables(*, study: Study) -> ParticipantsTables:
    """The methods section's tables for the study's live participants (4 queries)."""
    participants = list(study_participants(study=study))
    dyads = list(study_dyads(study=study))
    genders = sorted({p.gender for p in participants if p.gender}, key=str.casefold)
    if any(not p.gender for p in participants):
        genders.append("")
    by_role = {role: [p for p in participants if p.role == role] for role in ROLES}
    rows = [
        RoleRow(
            role=role,
            total=len(people),
            genders=[sum(1 for p in people if p.gender == gender) for gender in genders],
            ages=NumberSummary.of([p.age for p in people if p.age is not None]),
            age_not_reported=sum(1 for p in people if p.age is None),
        )
        for role, people in by_role.items()
    ]
    return ParticipantsTables(
        genders=genders,
        roles=rows,
        professions={role: Tally.of(p.profession for p in by_role[role]) for role in ROLES},
        orientations=Tally.of(
            p.theoretical_orientation for p in by_role[ParticipantRole.THERAPIST]
        ),
        presenting_problems=_problems(by_role[ParticipantRole.CLIENT]),
        recruitment=_flow(study, dyads),
    )
