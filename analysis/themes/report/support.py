"""Which dyads' accounts support each constituent, in words, for the results report.

Counted in the consensus layer over all interviews (the matrix's default), side by
side: a side is present, absent, not coded or not interviewed (`source.SideState`),
so that a dyad nobody has coded yet is reported as *not coded*, never as a dyad
whose partner did not speak of the constituent.
"""

from collections import defaultdict
from dataclasses import dataclass

from analysis.themes.selectors.matrix import dyad_matrix
from analysis.themes.selectors.source import SideState
from dyads.models import ParticipantRole, Study


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def support_text(states: list[tuple[str, SideState]]) -> str:
    """One side across the dyads, e.g. "present in 2 of 3 dyads (Dyad 1, Dyad 2);
    not coded in 1 (Dyad 3)"; `states` gives each dyad's label and its side's state."""
    by_state = defaultdict(list)
    for label, state in states:
        by_state[state].append(label)
    present = by_state[SideState.PRESENT]
    parts = [
        f"present in {len(present) or 'none'} of {_plural(len(states), 'dyad')}"
        + (f" ({', '.join(present)})" if present else "")
    ]
    parts += [
        f"{state.label} in {len(by_state[state])} ({', '.join(by_state[state])})"
        for state in (SideState.ABSENT, SideState.NOT_CODED, SideState.NOT_INTERVIEWED)
        if by_state[state]
    ]
    return "; ".join(parts)


def prevalence_text(role: ParticipantRole, sides: list[tuple[int, SideState]]) -> str:
    """One side's prevalence, e.g. "2 of 3 dyads, 1 of 2 therapists (1 dyad not coded)":
    present counts only; `sides` gives each dyad's participant on that side and its state.

    A participant (a therapist of several dyads) counts once, as present if any of
    their dyads is."""
    people: dict[int, bool] = {}
    for participant, state in sides:
        people[participant] = people.get(participant, False) or state == SideState.PRESENT
    present = sum(1 for _, state in sides if state == SideState.PRESENT)
    plural = f"{role.label.lower()}s"
    text = (
        f"{present} of {_plural(len(sides), 'dyad')}, "
        f"{sum(people.values())} of {len(people)} {plural}"
    )
    not_coded = sum(1 for _, state in sides if state == SideState.NOT_CODED)
    return text + (f" ({_plural(not_coded, 'dyad')} not coded)" if not_coded else "")


@dataclass(frozen=True)
class SideSupport:
    prevalence: str  # see prevalence_text
    detail: str  # see support_text


def constituent_support(*, study: Study) -> dict[int, dict[ParticipantRole, SideSupport]]:
    """theme id -> role -> how that side of the study's dyads supports the constituent."""
    matrix = dyad_matrix(user=None, study=study)  # the consensus layer is the same for all
    columns: dict[int, dict[ParticipantRole, list]] = defaultdict(lambda: defaultdict(list))
    for row in matrix.rows:
        for cell in row.cells:
            sides = columns[cell.theme.theme.pk]
            dyad = row.dyad
            sides[ParticipantRole.CLIENT].append((dyad.label, dyad.client_id, cell.client_state))
            sides[ParticipantRole.THERAPIST].append(
                (dyad.label, dyad.therapist_id, cell.therapist_state)
            )
    return {
        theme: {
            role: SideSupport(
                prevalence=prevalence_text(role, [(who, state) for _, who, state in states]),
                detail=support_text([(label, state) for label, _, state in states]),
            )
            for role, states in sides.items()
        }
        for theme, sides in columns.items()
    }
