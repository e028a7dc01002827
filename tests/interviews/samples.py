"""Transcript files of every format, made here so that each test says what is in them.

The fictional sample files that ship with the demo (real names on purpose) are
read from analysis/demo/samples.
"""

import io
import wave
import zipfile
from pathlib import Path

import docx
from fpdf import FPDF
from odf.opendocument import OpenDocumentText
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P
from pypdf import PdfReader, PdfWriter

SAMPLES = Path(__file__).resolve().parents[2] / "analysis" / "demo" / "samples"

TURNS = [
    ("I", "How did you come to the clinic in Førde?"),
    ("C", "My sister Åse found it. Bjørn, my father, drove me there."),
    ("I", "And Ingrid Solheim was your therapist?"),
    ("C", "Yes. Ingrid was kind."),
]
TEXT = "\n\n".join(f"{speaker}: {words}" for speaker, words in TURNS)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def txt(text: str = TEXT, encoding: str = "utf-8", newline: str = "\n") -> bytes:
    return text.replace("\n", newline).encode(encoding)


def make_docx(turns=TURNS, table_rows=(), header: str = "Confidential: Magnus Hansen") -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = header
    document.sections[0].footer.paragraphs[0].text = "Page 1"
    for speaker, words in turns:
        document.add_paragraph(f"{speaker}: {words}")
    if table_rows:
        table = document.add_table(rows=0, cols=len(table_rows[0]))
        for row in table_rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def damaged_docx() -> bytes:
    """A complete archive whose document.xml is cut short: the reader passes it, the parser cannot."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(make_docx())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[:200] if item.filename == "word/document.xml" else data)
    return out.getvalue()


def make_odt(turns=TURNS, table_rows=()) -> bytes:
    document = OpenDocumentText()
    for speaker, words in turns:
        document.text.addElement(P(text=f"{speaker}: {words}"))
    if table_rows:
        table = Table(name="Turns")
        table.addElement(TableColumn(numbercolumnsrepeated=len(table_rows[0])))
        for row in table_rows:
            table_row = TableRow()
            for value in row:
                cell = TableCell()
                cell.addElement(P(text=value))
                table_row.addElement(cell)
            table.addElement(table_row)
        document.text.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _rtf_escape(text: str) -> str:
    return "".join(
        character if ord(character) < 128 else f"\\u{ord(character)}?" for character in text
    )


def make_rtf(turns=TURNS) -> bytes:
    body = "".join(f"\\pard {_rtf_escape(f'{s}: {w}')}\\par\n" for s, w in turns)
    return (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}"
        "{\\header \\pard Interview with Magnus\\par}\n" + body + "}"
    ).encode("ascii")


def make_pdf(turns=TURNS, password: str | None = None) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for speaker, words in turns:
        pdf.multi_cell(0, 6, f"{speaker}: {words}")
        pdf.ln(3)
    content = bytes(pdf.output())
    if password is None:
        return content
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    writer.encrypt(user_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


VTT = """WEBVTT

NOTE Recorded in Førde.

00:00:01.000 --> 00:00:04.500
<v Interviewer>How did you come to the clinic?

00:00:05.000 --> 00:00:09.250
<v Kari>My sister Åse found it.

00:00:09.500 --> 00:00:12.000
<v Kari>Bjørn drove me there.

00:01:02.000 --> 00:01:05.000
<v Interviewer>And then?
"""

SRT = """1
00:00:01,000 --> 00:00:04,500
I: How did you come to the clinic?

2
00:00:05,000 --> 00:00:09,250
Kari: My sister Åse
found it.

3
00:00:09,500 --> 00:00:12,000
Bjørn drove me there.
"""


def make_wav(seconds: float = 1.0) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\x00\x00" * int(8000 * seconds))
    return out.getvalue()


OLE_ENCRYPTED = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
)


REPLACEMENTS = [
    ("Ingrid Solheim", "[therapist]"),
    ("Ingrid", "[therapist]"),
    ("Magnus", "[client]"),
    ("Åse", "[client's sister]"),
    ("Bjørn", "[client's father]"),
    ("Sogndal", "[town]"),
    ("Førde", "[town]"),
    ("Helse Vest", "[health trust]"),
    ("Kari", "[client]"),
]


def add_replacements(study, owner):
    """The samples' replacement list (replacements.csv) on `study`."""
    from interviews.models import PseudonymReplacement

    PseudonymReplacement.objects.bulk_create(
        PseudonymReplacement(
            study=study, original=original, replacement=replacement, created_by=owner
        )
        for original, replacement in REPLACEMENTS
    )
    return study.replacements.all()
