"""The re-identification check of a whole results report: every piece of its text, in
document order, read for listed names, near misses, sensitive terms, small cells and,
under a pronoun convention, gendered pronouns in quotes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis.themes.report.reidentification import (
    ReportWarning,
    pronoun_warnings,
    text_warnings,
)
from interviews.selectors import study_pseudonymiser

if TYPE_CHECKING:
    from analysis.themes.report.results_report import ResultsReport


def _pieces(report: ResultsReport) -> list[tuple[str, str]]:
    """Every piece of the document's text with where it stands, in document order."""
    pieces = [
        ("The participants' description", report.participants_text),
        ("The recruitment description", report.recruitment_text),
    ]
    for table in report.tables:
        pieces.append((f"{table.caption} (caption)", table.caption))
        for row in table.rows:
            pieces += [(f"{table.caption}, row “{row[0]}”", cell) for cell in row]
    for theme in report.all_themes:
        where = f"Theme “{theme.name}”"
        pieces += [(where, theme.name), (where, theme.description)]
        for heading, description, quotes, prevalence, support in theme.perspectives:
            pieces.append((f"{where}, {heading.lower()}", description))
            pieces += [(f"{where}, {heading.lower()} (support)", prevalence), (where, support)]
            pieces += [(quote.label, f"{quote.text} ({quote.citation})") for quote in quotes]
    for entry in report.codebook:
        where = f"Appendix, code “{entry.name}”"
        pieces += [(where, text) for text in (entry.name, entry.definition, entry.inclusion,
                                              entry.exclusion)]  # fmt: skip
    return pieces


def report_warnings(report: ResultsReport, *, convention: str) -> list[ReportWarning]:
    """Every warning of the whole document: words, small cells, gendered pronouns."""
    settings = report.settings
    smallest = settings.min_cell_size
    return [
        *text_warnings(
            _pieces(report),
            originals=study_pseudonymiser(study=report.study),
            sensitive_terms=settings.sensitive_terms,
            language=report.study.language,
        ),
        *(
            ReportWarning(
                where,
                cell,
                f"it counts fewer than {smallest} people (the study's smallest reportable "
                "group) and may single someone out.",
            )
            for table in report.tables
            for where, cell in table.small_cells
        ),
        *pronoun_warnings(
            ((quote.label, quote.text) for quote in report.quotes),
            convention=convention,
        ),
    ]


# Rendering ---------------------------------------------------------------------------------
