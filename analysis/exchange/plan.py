"""The preview of an import: what it will create in this study, and where each
source goes. Pure reads; the import service executes the same plan.

Codes match existing ones by GUID (a file Duet wrote, or one that went through
another tool and back), else by name under the same parent; the rest are new.
Each user of the file goes to an account of their own (coders.py). Each source
goes to an interview: one whose transcript has the source's GUID, one found
through the participant and interview number the file gives (a case,
variables, an "Interview N" set), a new interview of a participant, a new
participant made from a case that carries a role, or nowhere (skipped) until
the user maps it. A case becomes a participant only where a source goes to it,
or, without sources of its own, where it completes a new dyad; dyads are made
where both partners are new. Whatever the plan leaves out is in its
`not_imported` report, and the import creates exactly what the plan lists.
"""

import re
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from analysis.coding.models import Code
from analysis.exchange.coders import NEW, UserStep, member_lookup, plan_users, study_members
from analysis.exchange.parsed import NotImported, ParsedCode, ParsedProject, ParsedSource
from analysis.exchange.refi import normal_guid, stable_guid, study_namespace
from analysis.exchange.variables import (
    case_role,
    interview_fields,
    participant_fields,
    whole_number,
)
from dyads.exceptions import DomainError
from dyads.models import Dyad, Participant, ParticipantRole, Study
from interviews.models import Interview

DEFAULT_COLOUR = "#4e79a7"
HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
NUMBER_IN_NAME = re.compile(r"interview\s*(\d+)", re.IGNORECASE)
SET_NUMBER = re.compile(r"^\s*interview\s*(\d+)\s*$", re.IGNORECASE)
SKIP = "skip"


def colour_of(value: str) -> str:
    match = HEX.match(value.strip()) if value else None
    if not match:
        return DEFAULT_COLOUR
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(char * 2 for char in digits)
    return f"#{digits.lower()}"


@dataclass
class CodeStep:
    """One code of the file: matched to `existing`, or created under `parent_path`."""

    path: str
    name: str
    guid: str
    existing: int | None = None
    parent_path: str = ""
    note: str = ""


@dataclass
class SourceStep:
    guid: str
    name: str
    characters: int
    codings: int
    target: str  # "interview:ID", "participant:ID", "case:GUID" or "skip"
    label: str = ""
    number: int | None = None
    reason: str = ""


@dataclass
class DyadStep:
    label: str
    therapist: str  # case GUIDs
    client: str


@dataclass
class Plan:
    file_name: str
    origin: str = ""
    convention: str = ""
    codes: list[CodeStep] = field(default_factory=list)
    users: list[UserStep] = field(default_factory=list)
    new_participants: list[str] = field(default_factory=list)
    new_cases: list[str] = field(default_factory=list)  # their GUIDs
    new_dyads: list[DyadStep] = field(default_factory=list)
    sources: list[SourceStep] = field(default_factory=list)
    notes: int = 0
    not_imported: NotImported = field(default_factory=NotImported)
    warnings: list[str] = field(default_factory=list)
    choices: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["not_imported"] = self.not_imported.as_list()
        imported = [step for step in self.sources if step.target != SKIP]
        data["summary"] = {
            "new_codes": sum(1 for step in self.codes if step.existing is None),
            "existing_codes": sum(1 for step in self.codes if step.existing is not None),
            "sources": len(imported),
            "skipped_sources": len(self.sources) - len(imported),
            "new_participants": len(self.new_cases),
            "new_dyads": len(self.new_dyads),
            "new_interviews": sum(
                1 for step in imported if not step.target.startswith("interview:")
            ),
            "new_coders": sum(1 for step in self.users if step.target == NEW),
            "codings": sum(step.codings for step in imported),
            "notes": self.notes,
        }
        return data


# --- codes -------------------------------------------------------------------------------


def plan_codes(study: Study, codes: list[ParsedCode], warnings: list[str]) -> list[CodeStep]:
    existing = list(
        Code.objects.filter(study=study).only("pk", "guid", "name", "parent_id", "retired_at")
    )
    by_guid = {str(code.guid): code for code in existing if code.retired_at is None}
    by_place = {
        (code.parent_id, code.name.lower()): code for code in existing if code.retired_at is None
    }
    taken = {
        str(guid)
        for guid in Code.objects.filter(
            guid__in=[_uuid(code.guid) for _, code in _walk(codes) if _uuid(code.guid)]
        ).values_list("guid", flat=True)
    }
    steps: list[CodeStep] = []

    def place(code: ParsedCode, parent_id: int | None, parent_path: str, used: set[str]) -> None:
        name = (code.name or "Unnamed code")[:120]
        path = f"{parent_path} / {name}" if parent_path else name
        match = by_guid.get(code.guid)
        if match is None and (parent_id is not None or not parent_path):
            match = by_place.get((parent_id, name.lower()))
        if match is None:
            base, number = name, 2
            while name.lower() in used:
                name = f"{base} ({number})"[:120]
                number += 1
            if name != base:
                warnings.append(f"{code.where}: a second code '{base}' here becomes '{name}'.")
                path = f"{parent_path} / {name}" if parent_path else name
            guid = code.guid if _uuid(code.guid) and code.guid not in taken else str(uuid.uuid4())
            note = "" if guid == code.guid else "new GUID (the file's is taken or not a GUID)"
            steps.append(CodeStep(path, name, guid, None, parent_path, note))
        else:
            steps.append(CodeStep(path, match.name, str(match.guid), match.pk, parent_path))
        used.add(name.lower())
        child_used: set[str] = set()
        for child in code.children:
            place(child, match.pk if match else None, path, child_used)

    top_used: set[str] = set()
    for code in codes:
        place(code, None, "", top_used)
    return steps


def _walk(codes: list[ParsedCode]):
    for code in codes:
        yield from code.walk()


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return None


# --- sources -----------------------------------------------------------------------------


class _Sources:
    """Where each source of the file goes in this study."""

    def __init__(self, study: Study, project: ParsedProject):
        self.study = study
        self.project = project
        interviews = Interview.objects.filter(study=study, deleted_at__isnull=True).select_related(
            "participant", "transcript"
        )
        space = study_namespace(study)
        self.interviews = {interview.pk: interview for interview in interviews}
        self.by_transcript_guid = {
            stable_guid(space, "transcript", interview.transcript.pk): interview
            for interview in interviews
            if hasattr(interview, "transcript")
        }
        self.by_number = {
            (interview.participant_id, interview.sequence_number): interview
            for interview in interviews
        }
        self.participants = {
            participant.pk: participant
            for participant in Participant.objects.filter(study=study, deleted_at__isnull=True)
        }
        self.by_pseudonym = {p.pseudonym.lower(): p for p in self.participants.values()}
        self.cases = {case.guid: case for case in project.cases}
        self.case_of_source = {source: case for case in project.cases for source in case.sources}
        self.set_number = {}
        for member_set in project.sets:
            match = SET_NUMBER.match(member_set.name)
            for source in member_set.sources if match else []:
                self.set_number[source] = int(match.group(1))

    def number(self, source: ParsedSource) -> int | None:
        value = whole_number(source.variables.get("Interview number"))
        if value is not None:
            return value
        if source.guid in self.set_number:
            return self.set_number[source.guid]
        match = NUMBER_IN_NAME.search(source.name)
        return int(match.group(1)) if match else None

    def case(self, source: ParsedSource):
        case = self.case_of_source.get(source.guid)
        name = str(source.variables.get("Participant", "")).strip().lower()
        if case is None and name:
            case = next((c for c in self.project.cases if c.name.lower() == name), None)
        return case

    def automatic(self, source: ParsedSource) -> tuple[str, str]:
        """(target, reason) for a source the user has not mapped."""
        interview = self.by_transcript_guid.get(source.guid)
        if interview is not None:
            return f"interview:{interview.pk}", "the source came from this interview"
        case = self.case(source)
        name = (case.name if case else str(source.variables.get("Participant", ""))).lower()
        participant = self.by_pseudonym.get(name) if name else None
        number = self.number(source)
        if participant is not None:
            interview = self.by_number.get((participant.pk, number))
            if interview is not None:
                return f"interview:{interview.pk}", "participant and interview number match"
            return f"participant:{participant.pk}", "a new interview of this participant"
        if case is not None and case_role(case) is not None:
            return f"case:{case.guid}", f"a new participant made from case '{case.name}'"
        return SKIP, "no participant found in the file: choose an interview or a participant"

    def label(self, target: str, number: int | None) -> str:
        kind, _, key = target.partition(":")
        if kind == "interview":
            interview = self.interviews[int(key)]
            return f"{interview.participant.pseudonym}, interview {interview.sequence_number}"
        if kind == "participant":
            pseudonym = self.participants[int(key)].pseudonym
            return f"{pseudonym}, new interview" + (f" {number}" if number else "")
        if kind == "case":
            return f"new participant {self.cases[key].name}" + (
                f", interview {number}" if number else ""
            )
        return "not imported"

    def check(self, source: ParsedSource, target: str) -> str:
        """The target as chosen by the user, or DomainError naming the source."""
        kind, _, key = target.partition(":")
        valid = (
            target == SKIP
            or (kind == "interview" and key.isdigit() and int(key) in self.interviews)
            or (kind == "participant" and key.isdigit() and int(key) in self.participants)
            or (kind == "case" and key in self.new_cases())
        )
        if not valid:
            raise DomainError(
                {
                    "mapping": f"Source '{source.name}': '{target}' is not an interview, participant "
                    "or case of this study and file."
                }
            )
        return target

    def new_cases(self) -> dict[str, str]:
        """Case GUID -> name of the cases that become participants: a role, a new pseudonym."""
        return {
            case.guid: case.name
            for case in self.project.cases
            if case_role(case) is not None and case.name.lower() not in self.by_pseudonym
        }

    def choices(self) -> dict[str, list[dict[str, Any]]]:
        interviews = sorted(
            self.interviews.values(), key=lambda i: (i.participant.pseudonym, i.sequence_number)
        )
        return {
            "interviews": [
                {"value": f"interview:{i.pk}", "label": self.label(f"interview:{i.pk}", None)}
                for i in interviews
            ],
            "participants": [
                {"value": f"participant:{p.pk}", "label": f"{p.pseudonym}, new interview"}
                for p in sorted(self.participants.values(), key=lambda p: p.pseudonym)
            ],
            "cases": [
                {"value": f"case:{guid}", "label": f"new participant {name}"}
                for guid, name in self.new_cases().items()
            ],
        }


def plan_project(
    study: Study,
    project: ParsedProject,
    mapping: dict[str, str] | None = None,
    users: dict[str, str] | None = None,
) -> Plan:
    """The plan for importing `project`; `mapping` (source GUID -> target) and `users` (file
    user GUID or name -> username or 'new') override the guesses."""
    with_text = [note for note in project.notes.values() if (note.text or note.name).strip()]
    plan = Plan(
        file_name=project.file_name,
        origin=project.origin,
        convention=project.convention,
        warnings=list(project.warnings),
        notes=len(with_text),
    )
    plan.not_imported.extend(project.not_imported)
    for note in project.notes.values():
        if note not in with_text:
            plan.not_imported.add("note", "it has no text", note.guid)
    plan.codes = plan_codes(study, project.codes, plan.warnings)
    sources = _Sources(study, project)
    plan.sources = _source_steps(project, sources, mapping or {}, plan.not_imported)
    imported = {step.guid for step in plan.sources if step.target != SKIP}
    plan.users = plan_users(study, project, imported, users)
    _plan_people(study, project, plan, sources)
    _check_variables(study, project, plan)
    plan.choices = {**sources.choices(), "users": _member_choices(study)}
    return plan


def _source_steps(
    project: ParsedProject, sources: _Sources, mapping: dict[str, str], report: NotImported
) -> list[SourceStep]:
    mapping = {normal_guid(key): value for key, value in mapping.items()}
    steps, targets = [], Counter()
    for source in project.sources:
        if not source.text.strip():
            target, reason = SKIP, "the source has no text"
        elif source.guid in mapping:
            target = sources.check(source, mapping[source.guid])
            reason = "you chose not to import it" if target == SKIP else "chosen"
        else:
            target, reason = sources.automatic(source)
        number = sources.number(source)
        codings = sum(len(selection.codings) for selection in source.selections)
        steps.append(
            SourceStep(
                guid=source.guid,
                name=source.name,
                characters=len(source.text),
                codings=codings,
                target=target,
                label=sources.label(target, number),
                number=number,
                reason=reason,
            )
        )
        if target == SKIP:
            report.add("source", reason, source.name)
            if codings:
                report.add("coding", "its source is not imported", source.name, count=codings)
        elif target.startswith("interview:"):
            targets[target] += 1
    for target, count in targets.items():
        if count > 1:
            raise DomainError(
                {
                    "mapping": f"{count} sources go to {sources.label(target, None)}; map each "
                    "source to its own interview."
                }
            )
    return steps


def _plan_people(study: Study, project: ParsedProject, plan: Plan, sources: _Sources) -> None:
    """The participants and dyads the import makes: a case becomes a participant where a
    source goes to it, or where it has no source and completes a new dyad."""
    candidates = sources.new_cases()
    wanted = {
        step.target.partition(":")[2] for step in plan.sources if step.target.startswith("case:")
    }
    dyad_of = {
        case.guid: str(case.variables.get("Dyad", "")).strip()[:40] for case in project.cases
    }
    labels = {dyad_of[guid] for guid in wanted if dyad_of[guid]}
    wanted |= {
        case.guid
        for case in project.cases
        if case.guid in candidates and not case.sources and dyad_of[case.guid] in labels
    }
    existing = set(
        Dyad.objects.filter(study=study, label__in=labels).values_list("label", flat=True)
    )
    partners: dict[str, dict[str, str]] = {}
    for case in project.cases:
        if case.guid in wanted and dyad_of[case.guid]:
            partners.setdefault(dyad_of[case.guid], {})[case_role(case)] = case.guid
    for label, pair in sorted(partners.items()):
        if len(pair) == 2 and label not in existing:
            therapist, client = pair[ParticipantRole.THERAPIST], pair[ParticipantRole.CLIENT]
            plan.new_dyads.append(DyadStep(label, therapist, client))
        else:
            why = (
                "a dyad of this label is already in the study"
                if label in existing
                else ("only one of its partners is a new participant")
            )
            plan.not_imported.add("dyad", why, label)
    for case in project.cases:
        if case.guid in wanted:
            plan.new_cases.append(case.guid)
            plan.new_participants.append(case.name)
        elif case.name.lower() in sources.by_pseudonym:
            plan.not_imported.add(
                "case",
                "its participant is already in the study (its variables are not applied)",
                case.name,
            )
        elif case_role(case) is None:
            plan.not_imported.add("case", "it has no role (therapist or client)", case.name)
        else:
            plan.not_imported.add("case", "no source of the file goes to it", case.name)


def study_sites(study: Study) -> dict[str, Any]:
    return {site.name: site for site in study.sites.filter(deleted_at__isnull=True)}


def _check_variables(study: Study, project: ParsedProject, plan: Plan) -> None:
    """Report the variables of new participants and interviews that have no place in Duet."""
    sites, members = study_sites(study), member_lookup(study)
    cases = {case.guid: case for case in project.cases}
    for guid in plan.new_cases:
        participant_fields(cases[guid], sites, plan.not_imported)
    by_guid = {source.guid: source for source in project.sources}
    for step in plan.sources:
        if step.target != SKIP and not step.target.startswith("interview:"):
            interview_fields(by_guid[step.guid], members, plan.not_imported)


def _member_choices(study: Study) -> list[dict[str, str]]:
    return [
        {
            "value": user.username,
            "label": f"{user.get_full_name() or user.username} ({user.username})",
        }
        for user in study_members(study)
    ]
