"""A code's excerpts as a table to download (CSV or XLSX), as the excerpts page lists them."""

import io
from collections.abc import Iterable

from analysis.coding.selectors.excerpts import Excerpt
from dyads.csvfile import csv_text
from dyads.xlsx import xlsx_writing

COLUMNS = [
    ("code_name", "Code"),
    ("participant", "Participant"),
    ("role", "Role"),
    ("dyad_label", "Dyad"),
    ("interview_number", "Interview"),
    ("speaker", "Speaker"),
    ("coder_name", "Coder"),
    ("session_name", "Session"),
    ("start", "Start"),
    ("end", "End"),
    ("before", "Before"),
    ("text", "Coded text"),
    ("after", "After"),
]
HEADER = [title for _, title in COLUMNS]


def _rows(excerpts: Iterable[Excerpt]) -> Iterable[list]:
    for excerpt in excerpts:
        yield [getattr(excerpt, name) for name, _ in COLUMNS]


def excerpts_csv(excerpts: Iterable[Excerpt]) -> str:
    return csv_text(HEADER, _rows(excerpts))


def excerpts_xlsx(excerpts: Iterable[Excerpt]) -> bytes:
    out = io.BytesIO()
    with xlsx_writing(out) as workbook:
        workbook.sheet("Excerpts", header=HEADER).extend(_rows(excerpts))
    return out.getvalue()
