"""Excerpt reports per code as .docx: each code's definition, then its excerpts,
each with who said it (participant, role, dyad, interview) and who coded it."""

from collections import defaultdict
from typing import IO

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from analysis.coding.models import Code
from analysis.exchange.refi import xml_safe
from analysis.exchange.segments import segments
from analysis.exchange.selectors import code_paths, code_tree, export_codes
from dyads.models import Study


def write_docx(*, actor, study: Study, out: IO[bytes], code_id: int | None = None) -> int:
    """One section per code (the chosen code and its sub-codes, or all); return the excerpt count."""
    codes = export_codes(study=study)
    tree = code_tree(codes)
    paths = code_paths(codes)
    chosen = [code for code in codes if code.pk == code_id] if code_id else tree.get(None, [])
    order: list[tuple[Code, int]] = []

    def visit(code: Code, depth: int) -> None:
        order.append((code, depth))
        for child in tree.get(code.pk, []):
            visit(child, depth + 1)

    for code in chosen:
        visit(code, 0)
    wanted = {code.pk for code, _ in order}
    by_code = defaultdict(list)
    for segment in segments(actor=actor, study=study, code_ids=wanted):
        by_code[segment.code_id].append(segment)

    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    title = f"Excerpts: {paths.get(code_id, '')}" if code_id else f"{study.title}: excerpts by code"
    document.add_heading(xml_safe(title), level=0)
    count = 0
    for index, (code, depth) in enumerate(order):
        if index and depth == 0:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_heading(xml_safe(paths[code.pk]), level=min(depth + 1, 4))
        if code.definition:
            document.add_paragraph().add_run(xml_safe(code.definition)).italic = True
        excerpts = by_code.get(code.pk, [])
        if not excerpts:
            document.add_paragraph("No excerpts.")
        for segment in excerpts:
            document.add_paragraph(xml_safe(segment.excerpt), style="Quote")
            dyad = f", {segment.dyad}" if segment.dyad else ""
            session = f" in {segment.session}" if segment.session else ""
            attribution = document.add_paragraph()
            attribution.add_run(
                f"{segment.participant} ({segment.role}{dyad}), interview {segment.interview}"
            ).bold = True
            attribution.add_run(f" — coded by {segment.coder}{session}, {segment.date}")
            count += 1
    document.save(out)
    return count
