"""Matching bulk-uploaded files to interviews by a file-name pattern the user confirms.

A pattern is the file name without its extension, with placeholders:
`{dyad}` (the number in the dyad's label), `{role}` (therapist/client or t/c),
`{participant}` (the pseudonym), `{number}` (the interview's number) and `*`
(anything). "dyad{dyad}_{role}_interview{number}" matches
"dyad03_therapist_interview3.docx". Letter case does not matter.
"""

import re
from dataclasses import dataclass
from pathlib import PurePath

from dyads.exceptions import DomainError

from .models import Interview

DEFAULT_PATTERN = "dyad{dyad}_{role}_interview{number}"
PLACEHOLDERS = {
    "dyad": r"(?P<dyad>\d+)",
    "role": r"(?P<role>therapist|client|t|c)",
    "participant": r"(?P<participant>[^\W_](?:[\w\-]*?[^\W_])?)",
    "number": r"(?P<number>\d+)",
}
TOKEN = re.compile(r"\{(\w+)\}|\*")
DIGITS = re.compile(r"\d+")


def compile_pattern(pattern: str) -> re.Pattern[str]:
    pattern = pattern.strip()
    if not pattern:
        raise DomainError({"pattern": "Give a file-name pattern."})
    parts, last, seen = [], 0, set()
    for token in TOKEN.finditer(pattern):
        parts.append(re.escape(pattern[last : token.start()]))
        name = token.group(1)
        if name is None:
            parts.append(".*?")
        elif name not in PLACEHOLDERS:
            raise DomainError(
                {"pattern": f"{{{name}}} is not a placeholder (use {', '.join(_names())})."}
            )
        elif name in seen:
            raise DomainError({"pattern": f"{{{name}}} appears twice."})
        else:
            seen.add(name)
            parts.append(PLACEHOLDERS[name])
        last = token.end()
    parts.append(re.escape(pattern[last:]))
    if not seen:
        raise DomainError({"pattern": f"The pattern needs at least one of {', '.join(_names())}."})
    return re.compile("".join(parts), re.IGNORECASE)


def _names() -> list[str]:
    return [f"{{{name}}}" for name in PLACEHOLDERS]


@dataclass(frozen=True)
class Match:
    file_name: str
    interview: Interview | None
    problem: str = ""


def _fits(interview: Interview, fields: dict[str, str], dyad_numbers: dict[int, set[int]]) -> bool:
    participant = interview.participant
    if "participant" in fields and participant.pseudonym.lower() != fields["participant"].lower():
        return False
    if "role" in fields and participant.role[0] != fields["role"][0].lower():
        return False
    if "number" in fields and interview.sequence_number != int(fields["number"]):
        return False
    if "dyad" in fields:
        numbers = (
            {dyad_number(interview.dyad.label)}
            if interview.dyad is not None
            else dyad_numbers.get(participant.pk, set())
        )
        return int(fields["dyad"]) in numbers
    return True


def dyad_number(label: str) -> int | None:
    found = DIGITS.search(label)
    return int(found.group()) if found else None


def match_files(
    file_names: list[str],
    pattern: str,
    interviews: list[Interview],
    dyad_numbers: dict[int, set[int]],
) -> list[Match]:
    """Each file with the one interview its name points at, or the reason there is none.

    `dyad_numbers` gives each participant's dyad numbers, for interviews not tied to a dyad.
    """
    regex = compile_pattern(pattern)
    matches, taken = [], {}
    for file_name in file_names:
        found = regex.fullmatch(PurePath(file_name).stem)
        if found is None:
            matches.append(Match(file_name, None, "The name does not fit the pattern."))
            continue
        fields = {key: value for key, value in found.groupdict().items() if value is not None}
        fitting = [i for i in interviews if _fits(i, fields, dyad_numbers)]
        if not fitting:
            matches.append(Match(file_name, None, "No interview fits this name."))
        elif len(fitting) > 1:
            matches.append(
                Match(file_name, None, f"{len(fitting)} interviews fit: make the pattern narrower.")
            )
        elif fitting[0].pk in taken:
            matches.append(
                Match(file_name, None, f"{taken[fitting[0].pk]} already goes to this interview.")
            )
        else:
            taken[fitting[0].pk] = file_name
            matches.append(Match(file_name, fitting[0]))
    return matches
