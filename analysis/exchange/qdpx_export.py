"""Writing a study as a REFI-QDA project (.qdpx).

The archive holds `project.qde` and a lower-case `sources/` folder with one
UTF-8 .txt per transcript (LF line ends, no BOM), as NOTES.md recommends.
Positions are code points, end exclusive. GUIDs are stable: codes keep the
GUID stored with them; everything else gets a uuid5 of its id within the
study, so the same object has the same GUID in every export (and after a
backup is restored). The XML is streamed into the zip source by source, so a
large study is written without holding it in memory.
"""

import datetime as dt
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth import get_user_model
from lxml import etree

from analysis.coding.models import Code, Memo
from analysis.exchange.refi import (
    PROJECT_NS,
    code_description,
    refi_datetime,
    stable_guid,
    study_namespace,
    user_guid,
    xml_safe,
)
from analysis.exchange.selectors import (
    CHUNK,
    code_tree,
    export_codes,
    export_codings,
    export_interviews,
    export_memos,
    revision_texts,
)
from dyads.models import Participant, Study, StudyMembership
from interviews.models import Interview

ORIGIN = "Duet 0.1"
NS = f"{{{PROJECT_NS}}}"
NSMAP = {None: PROJECT_NS}
QUOTE_LENGTH = 80
ZIP_LEVEL = 1  # deflate fast: the text compresses well even so, and big studies export quickly

Progress = Callable[[int], None]


@dataclass
class ExportSummary:
    users: int = 0
    codes: int = 0
    sources: int = 0
    selections: int = 0
    notes: int = 0
    cases: int = 0
    sets: int = 0
    notes_unattached: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _element(tag: str, parent: etree._Element | None = None, **attrib: Any) -> etree._Element:
    clean = {key: xml_safe(str(value)) for key, value in attrib.items() if value not in (None, "")}
    if parent is None:
        return etree.Element(NS + tag, clean, nsmap=NSMAP)
    return etree.SubElement(parent, NS + tag, clean)


def _text(tag: str, parent: etree._Element, text: str) -> None:
    if text:
        _element(tag, parent).text = xml_safe(text)


@dataclass(frozen=True)
class Variable:
    name: str
    kind: str  # Text, Integer, Float, Boolean, Date

    def value_element(self, parent: etree._Element, guid: str, value: Any) -> None:
        holder = _element("VariableValue", parent)
        _element("VariableRef", holder, targetGUID=guid)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = "true" if value else "false"
        _element(f"{self.kind}Value", holder).text = xml_safe(str(value))


def _kind_of(values: list[Any]) -> str:
    if all(isinstance(value, bool) for value in values):
        return "Boolean"
    if all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        return "Integer"
    if all(isinstance(value, int | float) and not isinstance(value, bool) for value in values):
        return "Float"
    return "Text"


PARTICIPANT_VARIABLES = [
    ("Role", "Text", lambda p, dyads: p.role),
    ("Gender", "Text", lambda p, dyads: p.gender),
    ("Age", "Integer", lambda p, dyads: p.age),
    ("Profession", "Text", lambda p, dyads: p.profession),
    ("Theoretical orientation", "Text", lambda p, dyads: p.theoretical_orientation),
    ("Presenting problems", "Text", lambda p, dyads: p.presenting_problems),
    ("Site", "Text", lambda p, dyads: p.site.name if p.site else ""),
    ("Dyad", "Text", lambda p, dyads: dyads.get(p.pk, "")),
]
INTERVIEW_VARIABLES = [
    ("Participant", "Text", lambda i: i.participant.pseudonym),
    ("Role", "Text", lambda i: i.participant.role),
    ("Dyad", "Text", lambda i: i.dyad.label if i.dyad else ""),
    ("Interview number", "Integer", lambda i: i.sequence_number),
    ("Focus", "Text", lambda i: i.focus),
    ("Timing", "Text", lambda i: i.timing),
    ("Interview date", "Date", lambda i: i.date),
    ("Duration (minutes)", "Integer", lambda i: i.duration_minutes),
    ("Interviewer", "Text", lambda i: i.interviewer.username if i.interviewer else ""),
]


class _Project:
    """Everything the writer needs, read with a fixed number of queries."""

    def __init__(self, *, study: Study, actor):
        self.study = study
        self.space = study_namespace(study)
        self.interviews: list[Interview] = export_interviews(study=study)
        self.codings = export_codings(actor=actor, study=study)
        used = set(self.codings.values_list("code_id", flat=True).distinct())
        self.codes: list[Code] = export_codes(study=study, used=used)
        self.code_guids = {code.pk: str(code.guid) for code in self.codes}
        self.memos: list[Memo] = export_memos(study=study)
        self.participants = list(
            Participant.objects.filter(study=study, deleted_at__isnull=True)
            .select_related("site")
            .order_by("pseudonym")
        )
        self.dyad_of = {}
        for dyad in study.dyads.filter(deleted_at__isnull=True).order_by("label"):
            self.dyad_of[dyad.therapist_id] = self.dyad_of[dyad.client_id] = dyad.label
        self.source_guid = {
            interview.pk: self.guid("transcript", interview.transcript.pk)
            for interview in self.interviews
        }

    def guid(self, kind: str, key: object) -> str:
        return stable_guid(self.space, kind, key)

    def users(self) -> list:
        ids = set(
            StudyMembership.objects.filter(study=self.study).values_list("user_id", flat=True)
        )
        ids |= set(self.codings.values_list("coder_id", flat=True).distinct())
        ids |= {memo.author_id for memo in self.memos}
        return list(get_user_model().objects.filter(pk__in=ids).order_by("username"))

    def variables(self) -> dict[str, Variable]:
        variables = {name: Variable(name, kind) for name, kind, _ in PARTICIPANT_VARIABLES}
        variables |= {name: Variable(name, kind) for name, kind, _ in INTERVIEW_VARIABLES}
        free: dict[str, list[Any]] = defaultdict(list)
        for participant in self.participants:
            for name, value in participant.attributes.items():
                if value not in (None, ""):
                    free[name].append(value)
        for name, values in sorted(free.items()):
            if name not in variables:
                variables[name] = Variable(name, _kind_of(values))
        return variables


def write_qdpx(*, study: Study, actor, out: IO[bytes], progress: Progress = lambda p: None):
    """Write the study's REFI-QDA project to `out` (a binary file); return what was written."""
    project = _Project(study=study, actor=actor)
    summary = ExportSummary()
    attrib = {
        "name": study.title,
        "origin": ORIGIN,
        "creationDateTime": refi_datetime(study.created_at),
    }
    # The sources' texts go into the zip while the XML is written, so the XML
    # waits in a temporary file until the texts are in (a zip takes one entry at a time).
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive,
        tempfile.TemporaryFile() as qde,
    ):
        with etree.xmlfile(qde, encoding="utf-8") as xml:
            xml.write_declaration()
            with xml.element(NS + "Project", attrib, nsmap=NSMAP):
                _write_header(xml, project, summary)
                _write_sources(xml, archive, project, summary, progress)
                _write_tail(xml, project, summary)
        qde.seek(0)
        with archive.open("project.qde", "w", force_zip64=True) as entry:
            shutil.copyfileobj(qde, entry, 1 << 20)
    progress(100)
    return summary


def _write_header(xml, project: _Project, summary: ExportSummary) -> None:
    users = project.users()
    if users:
        element = _element("Users")
        for user in users:
            name = user.get_full_name() or user.username
            _element("User", element, guid=user_guid(user.username), name=name, id=user.username)
        xml.write(element)
    summary.users = len(users)
    project.user_guids = {user.pk: user_guid(user.username) for user in users}
    if project.codes:
        xml.write(_codebook(project))
    summary.codes = len(project.codes)
    variables = project.variables()
    element = _element("Variables")
    for name, variable in variables.items():
        _element(
            "Variable",
            element,
            guid=project.guid("variable", name),
            name=name,
            typeOfVariable=variable.kind,
        )
    xml.write(element)
    project.variable_list = variables
    if project.participants:
        xml.write(_cases(project))
    summary.cases = len(project.participants)


def _code_element(project: _Project, code: Code, parent, tree, memos_by_code) -> None:
    element = _element(
        "Code",
        parent,
        guid=project.code_guids[code.pk],
        name=code.name,
        isCodable="true",
        color=code.colour,
    )
    _text(
        "Description",
        element,
        code_description(
            code.definition,
            inclusion_criteria=code.inclusion_criteria,
            exclusion_criteria=code.exclusion_criteria,
            example=code.example,
        ),
    )
    for memo in memos_by_code.get(code.pk, []):
        _element("NoteRef", element, targetGUID=project.guid("memo", memo.pk))
    for child in tree.get(code.pk, []):
        _code_element(project, child, element, tree, memos_by_code)


def _codebook(project: _Project) -> etree._Element:
    memos_by_code = defaultdict(list)
    for memo in project.memos:
        if memo.code_id:
            memos_by_code[memo.code_id].append(memo)
    book = _element("CodeBook")
    codes = _element("Codes", book)
    tree = code_tree(project.codes)
    for code in tree.get(None, []):
        _code_element(project, code, codes, tree, memos_by_code)
    return book


def _variable_values(project: _Project, parent, values: list[tuple[str, Any]]) -> None:
    for name, value in values:
        if value not in (None, ""):
            variable = project.variable_list[name]
            variable.value_element(parent, project.guid("variable", name), value)


def _cases(project: _Project) -> etree._Element:
    sources_of = defaultdict(list)
    for interview in project.interviews:
        sources_of[interview.participant_id].append(project.source_guid[interview.pk])
    cases = _element("Cases")
    for participant in project.participants:
        case = _element(
            "Case",
            cases,
            guid=project.guid("participant", participant.pk),
            name=participant.pseudonym,
        )
        values = [
            (name, read(participant, project.dyad_of)) for name, _, read in PARTICIPANT_VARIABLES
        ]
        values += sorted(participant.attributes.items())
        _variable_values(project, case, values)
        for guid in sources_of[participant.pk]:
            _element("SourceRef", case, targetGUID=guid)
    return cases


def _write_sources(xml, archive, project: _Project, summary: ExportSummary, progress) -> None:
    if not project.interviews:
        return
    memos_by_coding, memos_by_transcript = defaultdict(list), defaultdict(list)
    for memo in project.memos:
        if memo.coding_id:
            memos_by_coding[memo.coding_id].append(memo)
        elif memo.transcript_id:
            memos_by_transcript[memo.transcript_id].append(memo)
    by_revision = {
        interview.transcript.current_revision_id: interview for interview in project.interviews
    }
    revision_ids = list(by_revision)
    coding_rows = project.codings.values_list(
        "pk", "revision_id", "start", "end", "code_id", "coder_id", "created_at"
    )
    with xml.element(NS + "Sources"):
        for done, revision in enumerate(revision_texts(revision_ids)):
            if done % CHUNK == 0:
                chunk = revision_ids[done : done + CHUNK]
                codings = defaultdict(list)
                for row in coding_rows.filter(revision_id__in=chunk).iterator(chunk_size=5000):
                    codings[row[1]].append(row)
                progress(5 + 90 * done // len(revision_ids))
            interview = by_revision[revision.revision_id]
            guid = project.source_guid[interview.pk]
            archive.writestr(f"sources/{guid}.txt", revision.text.encode())
            source = _text_source(
                project,
                interview,
                guid,
                revision.text,
                codings[revision.revision_id],
                memos_by_coding,
            )
            for memo in memos_by_transcript.get(interview.transcript.pk, []):
                _element("NoteRef", source, targetGUID=project.guid("memo", memo.pk))
            _variable_values(
                project, source, [(name, read(interview)) for name, _, read in INTERVIEW_VARIABLES]
            )
            xml.write(source)
            summary.sources += 1
            summary.selections += len(codings[revision.revision_id])


def _text_source(
    project: _Project, interview: Interview, guid: str, text: str, codings, memos_by_coding
):
    revision = interview.transcript
    source = _element(
        "TextSource",
        guid=guid,
        name=f"{interview.participant.pseudonym} interview {interview.sequence_number}",
        plainTextPath=f"internal://{guid}.txt",
        creationDateTime=refi_datetime(revision.created_at),
    )
    user_guids, code_guids = project.user_guids, project.code_guids
    for pk, _, start, end, code_id, coder_id, created_at in codings:
        when = refi_datetime(created_at)
        selection = etree.SubElement(
            source,
            NS + "PlainTextSelection",
            {
                "guid": project.guid("selection", pk),
                "name": xml_safe(text[start : min(end, start + QUOTE_LENGTH)]),
                "startPosition": str(start),
                "endPosition": str(end),
                "creatingUser": user_guids[coder_id],
                "creationDateTime": when,
            },
        )
        coding = etree.SubElement(
            selection,
            NS + "Coding",
            {
                "guid": project.guid("coding", pk),
                "creatingUser": user_guids[coder_id],
                "creationDateTime": when,
            },
        )
        etree.SubElement(coding, NS + "CodeRef", {"targetGUID": code_guids[code_id]})
        for memo in memos_by_coding.get(pk, []):
            _element("NoteRef", coding, targetGUID=project.guid("memo", memo.pk))
    return source


def _write_tail(xml, project: _Project, summary: ExportSummary) -> None:
    if project.memos:
        notes = _element("Notes")
        for memo in project.memos:
            note = _element(
                "Note",
                notes,
                guid=project.guid("memo", memo.pk),
                name=memo.title,
                creatingUser=user_guid(memo.author.username),
                creationDateTime=refi_datetime(memo.created_at),
                modifiedDateTime=refi_datetime(memo.updated_at),
            )
            _text("PlainTextContent", note, memo.text)
        xml.write(notes)
        summary.notes = len(project.memos)
    sets = _sets(project)
    if len(sets):
        xml.write(sets)
    summary.sets = len(sets)
    if project.study.description:
        description = _element("Description")
        description.text = xml_safe(project.study.description)
        xml.write(description)
    for memo in project.memos:
        if not (memo.code_id or memo.coding_id or memo.transcript_id):
            xml.write(_element("NoteRef", targetGUID=project.guid("memo", memo.pk)))


def _sets(project: _Project) -> etree._Element:
    """One set per dyad and one per interview number, each listing its sources."""
    by_dyad, by_number = defaultdict(list), defaultdict(list)
    for interview in project.interviews:
        guid = project.source_guid[interview.pk]
        if interview.dyad:
            by_dyad[interview.dyad.label].append(guid)
        by_number[interview.sequence_number].append(guid)
    sets = _element("Sets")
    groups = [(f"dyad:{label}", label, guids) for label, guids in sorted(by_dyad.items())]
    groups += [
        (f"interview:{number}", f"Interview {number}", guids)
        for number, guids in sorted(by_number.items())
    ]
    for key, name, guids in groups:
        member_set = _element("Set", sets, guid=project.guid("set", key), name=name)
        for guid in guids:
            _element("MemberSource", member_set, targetGUID=guid)
    return sets
