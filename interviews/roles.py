"""Which role a speaker label stands for: the user's choice first, then the conventions."""

import dataclasses

from .models import SpeakerRole
from .turns import ParsedTurn, is_interviewer_label

# A "label" that is really the start of a sentence: its turn joins the one before.
TEXT = "text"
ROLE_CHOICES = [*SpeakerRole.choices, (TEXT, "Not a speaker (part of the text)")]
ROLE_VALUES = frozenset(value for value, _ in ROLE_CHOICES)


def speaker_role(label: str, labels: dict[str, str]) -> SpeakerRole:
    """The role of a speaker label: the user's mapping first, then the usual conventions."""
    if label in labels:
        return SpeakerRole(labels[label])
    if not label:
        return SpeakerRole.OTHER
    if is_interviewer_label(label):
        return SpeakerRole.INTERVIEWER
    return SpeakerRole.PARTICIPANT


def chosen_role(label: str, roles: dict[str, str]) -> str:
    """The role chosen for a label (TEXT included), else the conventional one."""
    return roles.get(label) or speaker_role(label, {}).value


def assign_roles(turns: list[ParsedTurn], roles: dict[str, str]) -> list[ParsedTurn]:
    """Each turn with its role; a turn whose label is TEXT continues the turn before it."""
    assigned: list[ParsedTurn] = []
    for turn in turns:
        role = chosen_role(turn.speaker, roles)
        if role == TEXT and assigned:
            previous = assigned[-1]
            t_end = turn.t_end if turn.t_end is not None else previous.t_end
            assigned[-1] = dataclasses.replace(previous, end=turn.end, t_end=t_end)
            continue
        if role == TEXT:
            turn, role = dataclasses.replace(turn, speaker=""), SpeakerRole.OTHER.value
        assigned.append(dataclasses.replace(turn, role=role))
    return assigned
