"""Helpers for the REFI-QDA tests: a small coded study, and .qdpx files written the
way each vendor writes them (shared/refi-qda/NOTES.md §1, §5.3, §9)."""

import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from analysis.coding.models import Code, Coding, Memo
from analysis.exchange import positions
from tests import factories

SAMPLES = Path(__file__).resolve().parent / "refi_samples"

# Lines with an emoji (outside the BMP) before the coded words, so that UTF-16 and
# code points disagree, and several lines, so that CRLF and LF disagree.
VENDOR_TEXT = (
    "I: How did it start? 🙂\n"
    "C: I was scared 😰 of her at first.\n"
    "I: And later? 🌱🌱\n"
    "C: Later I trusted her completely.\n"
)
# The words each selection must land on, whatever the dialect.
VENDOR_SPANS = ["scared", "trusted her completely", "How did it start?"]


def sample(name: str) -> Path:
    return SAMPLES / name


def coded_study(cast):
    """The cast's study with a code tree, codings on its emoji transcript and memos."""
    parent = factories.CodeFactory(study=cast.study, name="Relationship", colour="#112233")
    child = factories.CodeFactory(
        study=cast.study,
        name="Holding hands",
        parent=parent,
        definition="Being accompanied.",
        inclusion_criteria="Touch, company.",
        exclusion_criteria="Advice.",
        example="somebody holds your hand",
    )
    text = cast.revision.text
    spans = [("dark room 🌑", child), ("somebody holds your hand", child), ("escape", parent)]
    codings = []
    for words, code in spans:
        start = text.index(words)
        codings.append(
            Coding.objects.create(
                study=cast.study,
                revision=cast.revision,
                start=start,
                end=start + len(words),
                code=code,
                coded_as=code,
                coder=cast.analyst,
            )
        )
    Memo.objects.create(study=cast.study, author=cast.analyst, text="On holding.", code=child)
    Memo.objects.create(study=cast.study, author=cast.owner, text="Odd choice.", coding=codings[0])
    Memo.objects.create(study=cast.study, author=cast.owner, title="Study", text="Overall.")
    return [parent, child], codings


def code_snapshot(study) -> list[tuple]:
    codes = Code.objects.filter(study=study, retired_at__isnull=True)
    names = {code.pk: code.name for code in codes}
    return sorted(
        (
            names.get(code.parent_id, ""),
            code.name,
            code.colour,
            code.definition,
            code.inclusion_criteria,
            code.exclusion_criteria,
            code.example,
        )
        for code in codes
    )


def coding_snapshot(study) -> list[tuple]:
    """(participant, interview number, excerpt, code, coder) for every live coding."""
    codings = Coding.objects.filter(study=study, deleted_at__isnull=True).select_related(
        "revision__transcript__interview__participant", "code", "coder"
    )
    return sorted(
        (
            coding.revision.transcript.interview.participant.pseudonym,
            coding.revision.transcript.interview.sequence_number,
            coding.revision.text[coding.start : coding.end],
            coding.code.name,
            coding.coder.username,
        )
        for coding in codings
    )


@dataclass(frozen=True)
class Dialect:
    origin: str
    qde_name: str = "project.qde"
    folder: str = "sources"
    crlf: bool = False
    bom: bool = False
    utf16: bool = False
    line_end_once: bool = True
    guid_case: str = "lower"  # lower, upper or braces
    internal_prefix: bool = True
    quote_names: bool = False


DIALECTS = {
    "nvivo": Dialect(
        "NVivo for Windows 12.6", folder="Sources", crlf=True, bom=True, utf16=True, line_end_once=False
    ),
    "atlasti": Dialect(
        "ATLAS.ti for Windows 23.2.3", qde_name="Interviews.qde", crlf=True, guid_case="upper",
        quote_names=True,
    ),
    "maxqda": Dialect("MAXQDA 2022 (Release 22.4.1)", crlf=True, guid_case="braces"),
    "qualcoder": Dialect("QualCoder 3.5", bom=True, quote_names=True),
    "qc": Dialect("qc 1.3.2", internal_prefix=False),
}  # fmt: skip


def _guid(dialect: Dialect) -> str:
    value = str(uuid.uuid4())
    if dialect.guid_case == "upper":
        return value.upper()
    if dialect.guid_case == "braces":
        return "{" + value.upper() + "}"
    return value


def _vendor_positions(dialect: Dialect, text: str, start: int, end: int) -> tuple[int, int]:
    """Duet offsets (code points, LF) as this vendor would count them."""

    def count(offset: int) -> int:
        before = text[:offset]
        if dialect.crlf and not dialect.line_end_once:
            before = before.replace("\n", "\r\n")
        return positions.to_utf16(before, [len(before)])[0] if dialect.utf16 else len(before)

    return count(start), count(end)


def vendor_qdpx(name: str, text: str = VENDOR_TEXT, spans: list[str] = VENDOR_SPANS) -> bytes:
    """A .qdpx as the vendor `name` writes it: one source with one coding per span."""
    dialect = DIALECTS[name]
    code, user, source = _guid(dialect), _guid(dialect), _guid(dialect)
    selections = []
    for words in spans:
        start = text.index(words)
        first, last = _vendor_positions(dialect, text, start, start + len(words))
        quote = words if dialect.quote_names else ""
        selections.append(
            f'<PlainTextSelection guid="{_guid(dialect)}" name="{quote}" startPosition="{first}" '
            f'endPosition="{last}" creatingUser="{user}"><Coding guid="{_guid(dialect)}" '
            f'creatingUser="{user}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
        )
    file_name = f"{source.strip('{}')}.txt" if dialect.internal_prefix else "interview one.txt"
    path = f"internal://{file_name}" if dialect.internal_prefix else file_name
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="Vendor project" origin="{dialect.origin}">'
        f'<Users><User guid="{user}" name="analyst"/></Users>'
        f'<CodeBook><Codes><Code guid="{code}" name="Feelings" isCodable="true" color="#A1B2C3"/>'
        "</Codes></CodeBook>"
        f'<Sources><TextSource guid="{source}" name="Interview one" plainTextPath="{path}">'
        f"{''.join(selections)}</TextSource></Sources></Project>"
    )
    body = text.replace("\n", "\r\n") if dialect.crlf else text
    data = body.encode("utf-8-sig" if dialect.bom else "utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(dialect.qde_name, qde)
        archive.writestr(f"{dialect.folder}/{file_name}", data)
    return out.getvalue()


def qdpx_with(qde: str, files: dict[str, bytes] | None = None, qde_name="project.qde") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(qde_name, qde)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


# --- a project of two coders, as QualCoder writes it --------------------------------------

TWO_CODER_TEXT = (
    "I: How did it start?\n"
    "C: I was scared of her at first.\n"
    "I: And later?\n"
    "C: Later I trusted her completely.\n"
)
# (coder, words): both code two passages alike (the codings a merge would drop), one more.
TWO_CODER_SPANS = [
    ("Aksel Lund", "scared"),
    ("Aksel Lund", "trusted her completely"),
    ("Aksel Lund", "How did it start?"),
    ("Bente Ruud", "scared"),
    ("Bente Ruud", "trusted her completely"),
]


def _value(variable: str, kind: str, value: str) -> str:
    return (
        f'<VariableValue><VariableRef targetGUID="{variable}"/>'
        f"<{kind}Value>{value}</{kind}Value></VariableValue>"
    )


def two_coder_qdpx(age: str = "34.0", duration: str = "55.0") -> bytes:
    """A QualCoder-style project: two users with random GUIDs who are nobody's in Duet, one
    client case (its source an interview 1) and a source-less therapist case of the same
    dyad; numbers are FloatValues and the boolean a text, as QualCoder writes them."""
    guid = lambda: str(uuid.uuid4())  # noqa: E731
    users = {name: guid() for name in ("Aksel Lund", "Bente Ruud")}
    code, source, client, therapist = guid(), guid(), guid(), guid()
    names = ["Role", "Age", "Dyad", "Medication", "Sessions so far", "Participant"]
    names += ["Interview number", "Duration (minutes)", "Focus"]
    variables = {name: guid() for name in names}
    kinds = {"Age": "Float", "Sessions so far": "Float", "Interview number": "Float"}
    kinds["Duration (minutes)"] = "Float"
    selections = []
    for name, words in TWO_CODER_SPANS:
        start = TWO_CODER_TEXT.index(words)
        selections.append(
            f'<PlainTextSelection guid="{guid()}" name="{words}" startPosition="{start}" '
            f'endPosition="{start + len(words)}" creatingUser="{users[name]}">'
            f'<Coding guid="{guid()}" creatingUser="{users[name]}"><CodeRef targetGUID="{code}"/>'
            "</Coding></PlainTextSelection>"
        )
    v = variables
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Two coders" origin="QualCoder 4.0">'
        "<Users>" + "".join(f'<User guid="{g}" name="{n}"/>' for n, g in users.items()) + "</Users>"
        f'<CodeBook><Codes><Code guid="{code}" name="Feelings" isCodable="true"/></Codes>'
        "</CodeBook><Variables>"
        + "".join(
            f'<Variable guid="{g}" name="{n}" typeOfVariable="{kinds.get(n, "Text")}"/>'
            for n, g in v.items()
        )
        + "</Variables><Cases>"
        f'<Case guid="{client}" name="C1">'
        + _value(v["Role"], "Text", "client")
        + _value(v["Age"], "Float", age)
        + _value(v["Dyad"], "Text", "D1")
        + _value(v["Medication"], "Text", "true")
        + _value(v["Sessions so far"], "Float", "12.0")
        + f'<SourceRef targetGUID="{source}"/></Case>'
        f'<Case guid="{therapist}" name="T1">'
        + _value(v["Role"], "Text", "therapist")
        + _value(v["Age"], "Float", "51.0")
        + _value(v["Dyad"], "Text", "D1")
        + _value(v["Medication"], "Text", "false")
        + "</Case></Cases>"
        f'<Sources><TextSource guid="{source}" name="C1 interview 1" '
        f'plainTextPath="internal://{source}.txt">'
        + "".join(selections)
        + _value(v["Participant"], "Text", "C1")
        + _value(v["Interview number"], "Float", "1.0")
        + _value(v["Duration (minutes)"], "Float", duration)
        + _value(v["Focus"], "Text", "therapy")
        + "</TextSource></Sources></Project>"
    )
    return qdpx_with(qde, {f"sources/{source}.txt": TWO_CODER_TEXT.encode("utf-8-sig")})


# --- Duet's export, rewritten the way QualCoder re-exports it ----------------------------

REFI = "{urn:QDA-XML:project:1.0}"
GUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
QUALCODER_TYPES = {"Integer": "Float", "Boolean": "Text", "Date": "Text"}


def qualcoder_rewrite(data: bytes) -> bytes:
    """A Duet .qdpx as QualCoder 4.0 exports it after importing it: new random GUIDs for
    everything (users included), integers as FloatValue (34.0), booleans and dates as
    text, each note's text in a file of its own, source texts with a BOM."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    fresh: dict[str, str] = {}
    qde = GUID_TEXT.sub(
        lambda m: fresh.setdefault(m.group(0), str(uuid.uuid4())),
        archive.read("project.qde").decode(),
    )
    root = etree.fromstring(qde.encode())
    for variable in root.iter(f"{REFI}Variable"):
        kind = variable.get("typeOfVariable")
        variable.set("typeOfVariable", QUALCODER_TYPES.get(kind, kind))
    for value in root.iter(*(f"{REFI}{kind}Value" for kind in ("Integer", "Boolean", "Date"))):
        kind = value.tag[len(REFI) : -len("Value")]
        new = QUALCODER_TYPES[kind]
        value.tag = f"{REFI}{new}Value"
        if new == "Float":
            value.text = f"{int(value.text)}.0"
    files = {}
    for note in root.iter(f"{REFI}Note"):
        content = note.find(f"{REFI}PlainTextContent")
        if content is not None:
            files[f"sources/{note.get('guid')}.txt"] = (content.text or "").encode("utf-8-sig")
            note.remove(content)
            note.set("plainTextPath", f"internal://{note.get('guid')}.txt")
    for source in root.iter(f"{REFI}TextSource"):
        old = source.get("plainTextPath").replace("internal://", "")
        original = next(k for k, v in fresh.items() if v == old.removesuffix(".txt"))
        files[f"sources/{old}"] = (
            archive.read(f"sources/{original}.txt").decode().encode("utf-8-sig")
        )
    return qdpx_with(etree.tostring(root, xml_declaration=True, encoding="utf-8").decode(), files)
