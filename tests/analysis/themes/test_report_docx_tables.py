"""The DOCX's tables do not split: the header row repeats on each page, no row breaks
across a page, every row but the last keeps with the next and the caption with its table."""

import io

from docx import Document
from docx.oxml.ns import qn

from analysis.themes.report.results_report import results_docx, results_report
from tests.analysis.theme_setup import theme_study


def flag(row, name: str) -> bool:
    properties = row._tr.trPr
    found = properties.find(qn(name)) if properties is not None else None
    return found is not None and found.get(qn("w:val")) in ("true", "1", None)


def test_each_table_repeats_its_header_keeps_its_rows_and_its_caption(cast):
    theme_study(cast)

    document = Document(io.BytesIO(results_docx(results_report(study=cast.study))))

    body = list(document.element.body)
    assert len(document.tables) == 2
    for table in document.tables:
        rows = table.rows
        assert flag(rows[0], "w:tblHeader")
        assert not any(flag(row, "w:tblHeader") for row in rows[1:])
        assert all(flag(row, "w:cantSplit") for row in rows)
        keeps = [
            all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs)
            for row in rows
        ]
        assert keeps == [True] * (len(rows) - 1) + [False]
        caption = body[body.index(table._tbl) - 1]
        assert caption.tag == qn("w:p")
        assert caption.pPr.keepNext is not None
        assert "".join(caption.itertext()).startswith("Table ")
