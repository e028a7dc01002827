"""A file's variables read by their meaning into Duet's fields.

Other tools keep fewer types than Duet: QualCoder writes every number as a
`FloatValue` (34 becomes 34.0) and booleans and dates as text. So a whole
number is taken wherever Duet expects an integer (age, duration, interview
number), whatever type the file gave it; a case's other variables become the
participant's free attributes with their type (booleans stay booleans). What
cannot go where it belongs is reported (`NotImported`), never dropped in
silence. The planner reads the same values as the import service, so the
preview reports exactly what the import will leave out.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from analysis.exchange.parsed import NotImported, ParsedCase, ParsedSource
from dyads.models import ParticipantRole
from interviews.models import InterviewFocus, InterviewTiming

PARTICIPANT_VARIABLES = {
    "Gender": "gender",
    "Profession": "profession",
    "Theoretical orientation": "theoretical_orientation",
    "Presenting problems": "presenting_problems",
}
CASE_ONLY = {"Role", "Site", "Dyad"}  # where the case goes, not what it says
SOURCE_ONLY = {"Participant", "Role", "Dyad", "Interview number"}
ROLES = {"therapist": ParticipantRole.THERAPIST, "client": ParticipantRole.CLIENT}
AGES = range(16, 111)  # the participant_age_plausible check
MINUTES = range(1, 32768)


def whole_number(value: Any) -> int | None:
    """The integer a value means (34, 34.0, "34", "34.0"), else None; booleans are not numbers."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number != number.to_integral_value():
        return None
    return int(number)


def case_role(case: ParsedCase) -> ParticipantRole | None:
    return ROLES.get(str(case.variables.get("Role", "")).strip().lower())


def _given(value: Any) -> bool:
    return value is not None and value != ""


def participant_fields(
    case: ParsedCase, sites: dict[str, Any], report: NotImported
) -> dict[str, Any]:
    """The participant_create fields of a case (role and pseudonym aside)."""
    fields: dict[str, Any] = {"attributes": {}}
    for name, value in case.variables.items():
        if not _given(value) or name in CASE_ONLY:
            continue
        if name == "Age":
            age = whole_number(value)
            if age in AGES:
                fields["age"] = age
                continue
            report.add(
                "variable",
                "Age is not a whole number from 16 to 110: kept as a free attribute",
                f"{case.name}: {value!r}",
            )
            fields["attributes"][name] = value
        elif name in PARTICIPANT_VARIABLES:
            fields[PARTICIPANT_VARIABLES[name]] = str(value)
        else:
            fields["attributes"][name] = value
    site = str(case.variables.get("Site", "")).strip()
    if site and site not in sites:
        report.add("variable", "Site names no site of this study", f"{case.name}: {site!r}")
    fields["site"] = sites.get(site)
    return fields


def _choice(source: ParsedSource, name: str, choices, default: str, report: NotImported) -> str:
    """The choice a variable names (by value or label), else the default, reported if the
    file gave a value Duet does not know."""
    value = source.variables.get(name)
    text = str(value if _given(value) else "").strip().lower()
    found = next((c.value for c in choices if text in (c.value, c.label.lower())), None)
    if found is None and text:
        report.add(
            "variable",
            f"{name} is not one Duet knows: '{default}' used",
            f"{source.name}: {value!r}",
        )
    return found or default


def interview_fields(
    source: ParsedSource, members: dict[str, Any], report: NotImported
) -> dict[str, Any]:
    """The interview_create fields a source's variables give (participant and number aside)."""
    values = source.variables
    fields: dict[str, Any] = {
        "focus": _choice(source, "Focus", InterviewFocus, InterviewFocus.BOTH, report),
        "timing": _choice(source, "Timing", InterviewTiming, InterviewTiming.AFTER, report),
        "date": None,
        "duration_minutes": None,
        "interviewer": None,
    }
    for name, value in values.items():
        where = f"{source.name}: {value!r}"
        if not _given(value) or name in SOURCE_ONLY or name in ("Focus", "Timing"):
            continue
        if name == "Interview date":
            try:
                fields["date"] = dt.date.fromisoformat(str(value).strip()[:10])
            except ValueError:
                report.add("variable", "Interview date is not a date (YYYY-MM-DD)", where)
        elif name == "Duration (minutes)":
            minutes = whole_number(value)
            if minutes in MINUTES:
                fields["duration_minutes"] = minutes
            else:
                report.add("variable", "Duration (minutes) is not a whole number above 0", where)
        elif name == "Interviewer":
            fields["interviewer"] = members.get(str(value).strip().lower())
            if fields["interviewer"] is None:
                report.add("variable", "Interviewer is not a member of this study", where)
        else:
            report.add(
                "variable",
                "a source's variable that interviews have no field for",
                f"{source.name}: {name} = {value!r}",
            )
    return fields
