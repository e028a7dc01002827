"""Reading another tool's REFI-QDA project (.qdpx): reader, then parser.

The reader opens the zip, finds the one `*.qde` at its top (any name, any
case), parses it safely and checks the namespace; internal files are found in
`sources/` or `Sources/` (or at the top, as qc writes them) whatever the case.
The parser turns the XML into `parsed.ParsedProject`: GUIDs compared without
braces and case, texts with the BOM stripped and line ends made LF, and every
selection converted to Duet offsets with the position convention of the
producing software (positions.py). What Duet does not import is counted and
reported, never silently dropped; what cannot be right (a missing internal
file, a selection outside its text) is an error naming the file and element,
and the import service refuses to write anything while there is one.
"""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from lxml import etree

from analysis.exchange import positions
from analysis.exchange.parsed import (
    ParsedCase,
    ParsedCode,
    ParsedCoding,
    ParsedNote,
    ParsedProject,
    ParsedSelection,
    ParsedSet,
    ParsedSource,
)
from analysis.exchange.refi import (
    PROJECT_NS,
    RefiError,
    local_name,
    normal_guid,
    parse_datetime,
    schema_errors,
    why_not_read,
)
from dyads.archives import ArchiveRefused, checked_zip

MAX_ERRORS = 20
# What Duet reads; any other element is counted in the report as not imported.
READ = {
    "Project", "Users", "User", "CodeBook", "Codes", "Code", "Description", "NoteRef",
    "Variables", "Variable", "Cases", "Case", "VariableValue", "VariableRef", "TextValue",
    "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue", "SourceRef",
    "Sources", "TextSource", "PlainTextContent", "PlainTextSelection", "Coding", "CodeRef",
    "Notes", "Note", "Sets", "Set", "MemberSource",
}  # fmt: skip
SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True
)


# --- reader ----------------------------------------------------------------------------


@dataclass
class Archive:
    file_name: str
    qde_name: str
    root: etree._Element
    members: dict[str, str] = field(default_factory=dict)  # lower-case file name -> zip name
    zip: zipfile.ZipFile | None = None

    def where(self) -> str:
        return f"{self.file_name}/{self.qde_name}"

    def read(self, reference: str) -> bytes | None:
        """The bytes of an `internal://` file (or a bare name, as qc writes), None if absent."""
        name = reference.split("://", 1)[1] if "://" in reference else reference
        member = self.members.get(PurePosixPath(name).name.lower())
        return self.zip.read(member) if member and self.zip else None


def parse_xml(data: bytes, where: str) -> etree._Element:
    try:
        return etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError as error:
        raise RefiError(
            f"{where}: not well-formed XML (line {error.lineno}): {error.msg}"
        ) from error


def check_root(root: etree._Element, where: str, name: str, namespace: str) -> None:
    """Refuse a document that is not REFI's `name` element in (a version of) `namespace`."""
    qname = etree.QName(root)
    family = namespace.rsplit(":", 1)[0] + ":"
    if qname.localname != name or not (qname.namespace or "").startswith(family):
        found = f"<{qname.localname}> in namespace '{qname.namespace or 'none'}'"
        raise RefiError(
            f"{where}: the root element is {found}; expected <{name}> in '{namespace}'."
        )


def read_qdpx(data: bytes, file_name: str) -> Archive:
    try:
        archive = checked_zip(data, name=file_name)
        names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as error:
        raise RefiError(f"{file_name}: not a .qdpx (zip) archive: {error}.") from error
    except ArchiveRefused as error:
        raise RefiError(error.detail["file"]) from error
    projects = [name for name in names if "/" not in name and name.lower().endswith(".qde")]
    if len(projects) != 1:
        found = ", ".join(projects) or "none"
        raise RefiError(f"{file_name}: a .qdpx holds exactly one .qde at its top; found {found}.")
    members = {}
    for name in names:
        path = PurePosixPath(name)
        if not name.endswith("/") and str(path.parent).lower() in (".", "sources"):
            members.setdefault(path.name.lower(), name)
    try:
        qde = archive.read(projects[0])
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise RefiError(f"{file_name}/{projects[0]}: cannot be read: {error}.") from error
    root = parse_xml(qde, f"{file_name}/{projects[0]}")
    check_root(root, f"{file_name}/{projects[0]}", "Project", PROJECT_NS)
    return Archive(file_name, projects[0], root, members, archive)


def decode_text(data: bytes, where: str) -> str:
    """A source's plain text: UTF-8 (a BOM is dropped), or UTF-16 with its BOM."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RefiError(f"{where}: not UTF-8 text (byte {error.start}).") from error


# --- parser ----------------------------------------------------------------------------


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in element:
        if local_name(child) == name:
            yield child


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next(_children(element, name), None)


def _text_of(element: etree._Element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "") if child is not None else ""


def _note_refs(element: etree._Element) -> list[str]:
    return [normal_guid(ref.get("targetGUID")) for ref in _children(element, "NoteRef")]


def _described(element: etree._Element) -> str:
    name = local_name(element)
    label = element.get("name") or element.get("guid") or ""
    return f"<{name} '{label}'>" if label else f"<{name}>"


def parse_codes(codes: etree._Element | None, where: str) -> list[ParsedCode]:
    """A REFI `Codes` element (project or codebook form) as a tree of ParsedCode."""
    if codes is None:
        return []

    def parse(element: etree._Element) -> ParsedCode:
        return ParsedCode(
            guid=normal_guid(element.get("guid")),
            name=(element.get("name") or "").strip(),
            colour=element.get("color") or "",
            description=_text_of(element, "Description"),
            codable=(element.get("isCodable") or "true").strip().lower() in ("true", "1"),
            children=[parse(child) for child in _children(element, "Code")],
            notes=_note_refs(element),
            where=f"{where} line {element.sourceline}",
        )

    return [parse(element) for element in _children(codes, "Code")]


def number(text: str) -> int | float:
    """An xsd:decimal by its meaning: a whole number (QualCoder writes 34 as 34.0) is an int."""
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError(text)
    return int(value) if value == value.to_integral_value() else float(value)


VALUE_TYPES = {
    "TextValue": str,
    "BooleanValue": lambda text: text.strip().lower() in ("true", "1"),
    "IntegerValue": number,
    "FloatValue": number,
    "DateValue": str,
    "DateTimeValue": str,
}
TRUTH = {"true": True, "false": False}


def booleans_by_meaning(holders: list[dict[str, Any]]) -> None:
    """Make a variable boolean where every value it has is the text true or false: tools
    without boolean attributes (QualCoder) write them as text."""
    texts: dict[str, set] = {}
    for values in holders:
        for name, value in values.items():
            texts.setdefault(name, set()).add(
                value.strip().lower() if isinstance(value, str) else value
            )
    boolean = {name for name, seen in texts.items() if seen <= set(TRUTH)}
    for values in holders:
        for name in boolean & set(values):
            values[name] = TRUTH[values[name].strip().lower()]


def _variable_values(element: etree._Element, variables: dict[str, str]) -> dict[str, Any]:
    values = {}
    for holder in _children(element, "VariableValue"):
        ref = _child(holder, "VariableRef")
        name = variables.get(normal_guid(ref.get("targetGUID")) if ref is not None else "")
        for child in holder:
            kind = local_name(child)
            if name and kind in VALUE_TYPES and child.text is not None:
                try:
                    values[name] = VALUE_TYPES[kind](child.text.strip())
                except (ValueError, ArithmeticError):
                    values[name] = child.text.strip()
    return values


@dataclass
class _RawSource:
    parsed: ParsedSource
    raw: str
    spans: list[positions.VendorSelection]


class _Parser:
    def __init__(self, archive: Archive):
        self.archive = archive
        self.where = archive.where()
        root = archive.root
        self.project = ParsedProject(
            file_name=archive.file_name,
            name=root.get("name") or "",
            origin=root.get("origin") or "",
        )
        self.errors: list[str] = []
        self.variables: dict[str, str] = {}
        self.code_guids: set[str] = set()
        self.case_guids: set[str] = set()

    def error(self, message: str) -> None:
        self.errors.append(message)

    def parse(self) -> ParsedProject:
        root, project = self.archive.root, self.project
        if etree.QName(root).namespace == PROJECT_NS:
            errors = schema_errors(etree.ElementTree(root), PROJECT_NS, self.where)
            project.warnings += [f"Not valid by the REFI-QDA schema: {e}" for e in errors[:10]]
        else:
            project.warnings.append(
                f"{self.where}: namespace '{etree.QName(root).namespace}' is not REFI-QDA 1.0; "
                "read leniently."
            )
        self._count_not_imported(root)
        users = _child(root, "Users")
        for user in _children(users, "User") if users is not None else []:
            project.users[normal_guid(user.get("guid"))] = user.get("name") or user.get("id") or ""
        codebook = _child(root, "CodeBook")
        project.codes = parse_codes(
            _child(codebook, "Codes") if codebook is not None else None, self.where
        )
        self.code_guids = {code.guid for _, code in project.all_codes()}
        variables = _child(root, "Variables")
        for variable in _children(variables, "Variable") if variables is not None else []:
            self.variables[normal_guid(variable.get("guid"))] = variable.get("name") or ""
        self._cases(_child(root, "Cases"))
        self._notes(_child(root, "Notes"))
        self._sources(_child(root, "Sources"))
        sets = _child(root, "Sets")
        for element in _children(sets, "Set") if sets is not None else []:
            members = [normal_guid(m.get("targetGUID")) for m in _children(element, "MemberSource")]
            project.sets.append(
                ParsedSet(normal_guid(element.get("guid")), element.get("name") or "", members)
            )
        project.project_notes = _note_refs(root)
        booleans_by_meaning(
            [case.variables for case in project.cases]
            + [source.variables for source in project.sources]
        )
        if self.errors:
            shown = self.errors[:MAX_ERRORS]
            more = len(self.errors) - len(shown)
            raise RefiError("\n".join(shown + ([f"… and {more} more."] if more else [])))
        return project

    def _count_not_imported(self, element: etree._Element) -> None:
        for child in element:
            name = local_name(child)
            if not name:
                continue
            if name not in READ or etree.QName(child).namespace != etree.QName(element).namespace:
                self.project.not_imported.add(f"<{name}>", why_not_read(name), _described(child))
            else:
                self._count_not_imported(child)

    def _cases(self, cases: etree._Element | None) -> None:
        for case in _children(cases, "Case") if cases is not None else []:
            guid = normal_guid(case.get("guid"))
            self.case_guids.add(guid)
            self.project.cases.append(
                ParsedCase(
                    guid=guid,
                    name=(case.get("name") or "").strip(),
                    variables=_variable_values(case, self.variables),
                    sources=[
                        normal_guid(r.get("targetGUID")) for r in _children(case, "SourceRef")
                    ],
                )
            )

    def _plain_text(self, element: etree._Element) -> str | None:
        """The text of a TextSource or Note: inline, or its internal .txt; None if external."""
        inline = _child(element, "PlainTextContent")
        path = element.get("plainTextPath") or ""
        if inline is not None:
            return inline.text or ""
        if not path:
            return ""
        if path.lower().startswith(("relative://", "absolute://")):
            return None
        data = self.archive.read(path)
        if data is None:
            self.error(
                f"{self.where} line {element.sourceline}: {_described(element)} names its text "
                f"'{path}', which is not in the archive."
            )
            return ""
        try:
            return decode_text(data, f"{self.archive.file_name}: {path}")
        except RefiError as error:
            self.error(str(error))
            return ""

    def _notes(self, notes: etree._Element | None) -> None:
        for note in _children(notes, "Note") if notes is not None else []:
            guid = normal_guid(note.get("guid"))
            text = self._plain_text(note)
            if text is None:
                self.project.not_imported.add(
                    "note", "its text is outside the archive", _described(note)
                )
                continue
            self.project.notes[guid] = ParsedNote(
                guid=guid,
                name=note.get("name") or "",
                text=positions.normalise_newlines(text),
                user_guid=normal_guid(note.get("creatingUser")),
                created=parse_datetime(note.get("creationDateTime")),
            )

    def _codings(self, element: etree._Element, source: str) -> list[ParsedCoding]:
        codings = []
        for coding in _children(element, "Coding"):
            ref = _child(coding, "CodeRef")
            target = normal_guid(ref.get("targetGUID")) if ref is not None else ""
            if target not in self.code_guids:
                kind = "a case (NVivo's case coding)" if target in self.case_guids else "no code"
                self.project.not_imported.add(
                    "coding", f"it refers to {kind}", f"in '{source}' (line {coding.sourceline})"
                )
                continue
            codings.append(
                ParsedCoding(
                    guid=normal_guid(coding.get("guid")),
                    code_guid=target,
                    user_guid=normal_guid(coding.get("creatingUser")),
                    created=parse_datetime(coding.get("creationDateTime")),
                    notes=_note_refs(coding),
                )
            )
        return codings

    def _sources(self, sources: etree._Element | None) -> None:
        raw_sources: list[_RawSource] = []
        for element in _children(sources, "TextSource") if sources is not None else []:
            raw_source = self._text_source(element)
            if raw_source is not None:
                raw_sources.append(raw_source)
        convention = positions.choose_convention(
            self.project.origin, [(raw.raw, raw.spans) for raw in raw_sources]
        )
        self.project.convention = convention.value
        convert = positions.CONVERTERS[convention]
        for raw_source in raw_sources:
            self._place_selections(raw_source, convert)
            self.project.sources.append(raw_source.parsed)

    def _text_source(self, element: etree._Element) -> _RawSource | None:
        name = element.get("name") or element.get("guid") or ""
        raw = self._plain_text(element)
        if raw is None:
            self.project.not_imported.add(
                "source",
                "its text is outside the archive",
                f"{name} ({element.get('plainTextPath')})",
            )
            return None
        source = ParsedSource(
            guid=normal_guid(element.get("guid")),
            name=name,
            text=positions.normalise_newlines(raw),
            where=f"{self.where} line {element.sourceline}",
            notes=_note_refs(element),
            variables=_variable_values(element, self.variables),
        )
        spans = []
        for selection in _children(element, "PlainTextSelection"):
            try:
                start = int(selection.get("startPosition"))
                end = int(selection.get("endPosition"))
            except (TypeError, ValueError):
                self.error(
                    f"{self.where} line {selection.sourceline}: {_described(selection)} in source "
                    f"'{name}' has no whole-number startPosition and endPosition."
                )
                continue
            source.selections.append(
                ParsedSelection(
                    guid=normal_guid(selection.get("guid")),
                    name=selection.get("name") or "",
                    start=start,
                    end=end,
                    codings=self._codings(selection, name),
                    notes=_note_refs(selection),
                    where=f"{self.where} line {selection.sourceline}",
                )
            )
            spans.append(positions.VendorSelection(start, end, selection.get("name") or ""))
        whole = self._codings(element, name)
        if whole:
            source.selections.append(
                ParsedSelection(
                    source.guid, name, 0, len(source.text), codings=whole, where=source.where
                )
            )
            spans.append(positions.VendorSelection(-1, -1))  # placed below as the whole text
        return _RawSource(source, raw, spans)

    def _place_selections(self, raw_source: _RawSource, convert) -> None:
        source = raw_source.parsed
        flat = [p for span in raw_source.spans for p in (span.start, span.end)]
        mapped = convert(raw_source.raw, flat)
        kept = []
        length = len(source.text)
        for index, selection in enumerate(source.selections):
            span = raw_source.spans[index]
            if span.start == -1:  # a coding of the whole source
                kept.append(selection)
                continue
            start, end = mapped[2 * index], mapped[2 * index + 1]
            if start < 0 or end < 0 or end < start:
                self.error(
                    f"{selection.where}: <PlainTextSelection '{selection.guid}'> in source "
                    f"'{source.name}' spans {span.start}-{span.end}, outside its text of "
                    f"{length} characters."
                )
                continue
            if end == start:
                self.project.not_imported.add(
                    "selection", "it is empty (it starts where it ends)", f"in '{source.name}'"
                )
                continue
            selection.start, selection.end = start, end
            kept.append(selection)
        source.selections = kept


def parse_qdpx(data: bytes, file_name: str) -> ParsedProject:
    """Read and parse a .qdpx; RefiError names what is wrong (file, line, element)."""
    return _Parser(read_qdpx(data, file_name)).parse()
