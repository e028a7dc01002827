"""Coded segments as CSV and XLSX: one row per coding.

Rows come from four queries whatever the size of the study (codes, codings
with their interview and participant, texts and turns in chunks), so 10,000
codings are written well under a second. The CSV is written row by row by Duet's
one CSV writer (dyads.csvfile: text a spreadsheet would read as a formula gets a
leading single quote); the XLSX by Duet's one XLSX writer (dyads.xlsx: constant
memory, every cell a string or a number, never a formula).
"""

from bisect import bisect_right
from collections.abc import Iterator
from typing import IO, NamedTuple

from django.db.models import CharField
from django.db.models.functions import Cast, TruncDate

from analysis.exchange.selectors import code_paths, export_codes, export_codings, revision_texts
from dyads.csvfile import csv_writer
from dyads.models import Study
from dyads.xlsx import xlsx_writing

CONTEXT_CHARS = 150
HEADER = [
    "Code",
    "Excerpt",
    "Context",
    "Participant",
    "Role",
    "Dyad",
    "Interview",
    "Coder",
    "Session",
    "Date",
    "Start",
    "End",
]


class Segment(NamedTuple):
    code: str
    excerpt: str
    context: str
    participant: str
    role: str
    dyad: str
    interview: int
    coder: str
    session: str
    date: str
    start: int
    end: int
    code_id: int


def _context(text: str, turns: list[tuple[int, int]], starts: list[int], start: int, end: int):
    """Up to CONTEXT_CHARS around the excerpt, within the speaker turns that hold it."""
    first = bisect_right(starts, start) - 1
    last = bisect_right(starts, max(end - 1, start)) - 1
    low, high = 0, len(text)
    if first >= 0 and turns[first][1] > start:
        low, high = turns[first][0], max(turns[last][1], end)
    return text[max(start - CONTEXT_CHARS, low) : min(end + CONTEXT_CHARS, high)]


def segments(*, actor, study: Study, code_ids: set[int] | None = None) -> Iterator[Segment]:
    """The codings `actor` may see, in the order of participant, interview and text."""
    codings = export_codings(actor=actor, study=study)
    if code_ids is not None:
        codings = codings.filter(code_id__in=code_ids)
    interview = "revision__transcript__interview__"
    # The day as text from the database: parsing 10,000 timestamps costs more than the rest.
    day = Cast(TruncDate("created_at"), output_field=CharField())
    rows = list(
        codings.annotate(day=day)
        .order_by(
            f"{interview}participant__pseudonym",
            f"{interview}sequence_number",
            "revision_id",
            "start",
            "end",
            "pk",
        )
        .values_list(
            "code_id",
            "revision_id",
            "start",
            "end",
            "coder__username",
            "session__name",
            "day",
            f"{interview}participant__pseudonym",
            f"{interview}participant__role",
            f"{interview}dyad__label",
            f"{interview}sequence_number",
        )
    )
    paths = code_paths(export_codes(study=study, used={row[0] for row in rows}))
    revision_ids = list(dict.fromkeys(row[1] for row in rows))
    texts = {item.revision_id: item for item in revision_texts(revision_ids, with_turns=True)}
    starts = {pk: [turn[0] for turn in item.turns] for pk, item in texts.items()}
    for code_id, revision_id, start, end, coder, session, day, *who in rows:
        item = texts[revision_id]
        yield Segment(
            paths[code_id],
            item.text[start:end],
            _context(item.text, item.turns, starts[revision_id], start, end),
            who[0],
            who[1],
            who[2] or "",
            who[3],
            coder,
            session or "",
            day,
            start,
            end,
            code_id,
        )


def write_csv(*, actor, study: Study, out: IO[str]) -> int:
    """Write the CSV (UTF-8 text, one header row); return the number of codings."""
    writer = csv_writer(out)
    writer.writerow(HEADER)
    count = 0
    for segment in segments(actor=actor, study=study):
        writer.writerow(segment[:-1])
        count += 1
    return count


def write_xlsx(*, actor, study: Study, out: IO[bytes]) -> int:
    """Write the workbook (one sheet, a frozen header row); return the number of codings."""
    with xlsx_writing(out) as workbook:
        sheet = workbook.sheet("Coded segments", HEADER)
        sheet.widths({0: 30, 1: 60, 2: 60})
        for segment in segments(actor=actor, study=study):
            sheet.append(segment[:-1])
    return sheet.rows
