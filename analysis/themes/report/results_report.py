"""The results section of a published dyadic, phenomenological study, generated.

`results_report` gathers it: the methods tables (participants, recruitment),
the recruitment flow diagram, the procedure paragraph, the key to the pseudonyms,
the theme hierarchy, for each constituent the client's and the therapist's
condensed description with their exemplary quotes and which dyads' accounts
support it (present, absent, not coded, not interviewed; see `support`), and the
codebook as an appendix. The study's pronoun convention is applied to the generated
text and the condensed descriptions, never to quotes. Demographic categories of fewer
people than the study's smallest reportable group are folded into "Other";
the whole document is checked for words and cells that could re-identify a
participant (reidentification.py), and the quotes for spread and unresolved disagreements
(`quote_checks`); its procedure paragraph, prevalence per side, pseudonym key and
recruitment flow come from the study's data. Until an owner clears this very content
for publication (its fingerprint), every rendering carries a "not cleared for
publication" header. `results_docx`, `results_markdown` and `results_html`
render the same report.
"""

import dataclasses
import datetime as dt
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from analysis.charts.flow import FlowColumn
from analysis.coding.models import Code
from analysis.themes.models import ReportClearance, StudyReportSettings
from analysis.themes.report.disclosure import fold_counts, fold_rows, is_small
from analysis.themes.report.document_check import report_warnings
from analysis.themes.report.docx_layout import keep_table_whole
from analysis.themes.report.procedure import procedure_text
from analysis.themes.report.pronouns import apply_pronoun
from analysis.themes.report.pseudonym_key import pseudonym_key
from analysis.themes.report.quote_checks import QuoteCheck, spread_checks, unresolved_check
from analysis.themes.report.recruitment_flow import (
    FLOW_TITLE,
    recruitment_columns,
    recruitment_png,
    recruitment_svg,
)
from analysis.themes.report.reidentification import ReportWarning
from analysis.themes.report.support import SideSupport, constituent_support
from analysis.themes.selectors.clearance import report_clearance_get
from analysis.themes.selectors.detail import QuoteView, quotes_by_theme
from analysis.themes.selectors.participants_tables import (
    ParticipantsTables,
    Tally,
    participants_tables,
)
from analysis.themes.selectors.tree import ThemeNode, theme_tree
from analysis.themes.services.report_settings import report_settings_get
from dyads.models import ParticipantRole, Study


@dataclass(frozen=True)
class ReportTheme:
    name: str
    depth: int
    is_constituent: bool
    description: str
    client_description: str
    therapist_description: str
    client_quotes: list[QuoteView]
    therapist_quotes: list[QuoteView]
    client_prevalence: str  # "n of N dyads, n of N clients", see support.prevalence_text
    therapist_prevalence: str
    client_support: str  # which dyads' clients speak of it, see support.support_text
    therapist_support: str
    children: list["ReportTheme"] = field(default_factory=list)

    def descendants(self) -> list["ReportTheme"]:
        return [node for child in self.children for node in (child, *child.descendants())]

    @property
    def perspectives(self) -> list[tuple[str, str, list[QuoteView], str, str]]:
        """(heading, condensed description, quotes, prevalence, support) for the client's
        and the therapist's side."""
        return [
            (
                "The clients' perspective",
                self.client_description,
                self.client_quotes,
                self.client_prevalence,
                self.client_support,
            ),
            (
                "The therapists' perspective",
                self.therapist_description,
                self.therapist_quotes,
                self.therapist_prevalence,
                self.therapist_support,
            ),
        ]


@dataclass(frozen=True)
class ReportTable:
    caption: str
    header: list[str]
    rows: list[list[str]]
    # (where, cell) of each count of fewer people than the smallest reportable group
    small_cells: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CodebookEntry:
    name: str
    depth: int
    definition: str
    inclusion: str
    exclusion: str


@dataclass(frozen=True)
class ResultsReport:
    study: Study
    settings: StudyReportSettings
    generated_at: dt.datetime
    participants_text: str
    recruitment_text: str
    procedure_text: str
    pseudonym_key: str
    recruitment_flow: list[FlowColumn]
    tables: list[ReportTable]
    themes: list[ReportTheme]
    codebook: list[CodebookEntry]
    quotes: list[QuoteView]
    warnings: list[ReportWarning] = field(default_factory=list)
    # quote spread and quotes on unresolved disagreements
    quote_checks: list[QuoteCheck] = field(default_factory=list)
    # The content's SHA-256 (the date of generation aside), and the owner's clearance of it.
    fingerprint: str = ""
    clearance: ReportClearance | None = None

    @property
    def cleared(self) -> bool:
        return self.clearance is not None

    @property
    def clearance_notice(self) -> str:
        """The header every rendering carries until an owner clears this content."""
        if self.cleared:
            return ""
        open_warnings = (
            f"{len(self.warnings)} re-identification warning(s) open"
            if self.warnings
            else "no re-identification warning open"
        )
        return (
            "NOT CLEARED FOR PUBLICATION: no owner of the study has cleared this report "
            f"({open_warnings})."
        )

    @property
    def all_warnings(self) -> list[ReportWarning | QuoteCheck]:
        """Everything to fix before the report leaves the group (`export_report --strict`)."""
        return [*self.warnings, *self.quote_checks]

    @property
    def recruitment_svg(self) -> str:
        return recruitment_svg(self.recruitment_flow) if self.recruitment_flow else ""

    @property
    def all_themes(self) -> list[ReportTheme]:
        """Every theme, parents before children, in the hierarchy's order."""
        return _all(self.themes)

    @property
    def constituents(self) -> list[ReportTheme]:
        return [theme for theme in self.all_themes if theme.is_constituent]


def _theme(
    node: ThemeNode, quotes: dict, support: dict, settings: StudyReportSettings
) -> ReportTheme:
    theme = node.theme
    chosen = quotes.get(theme.pk, {})
    sides = support.get(theme.pk, {})
    return ReportTheme(
        name=theme.name,
        depth=node.depth,
        is_constituent=node.is_constituent,
        description=theme.description,
        client_description=apply_pronoun(theme.client_description, settings.client_pronoun),
        therapist_description=apply_pronoun(
            theme.therapist_description, settings.therapist_pronoun
        ),
        client_quotes=chosen.get(ParticipantRole.CLIENT, []),
        therapist_quotes=chosen.get(ParticipantRole.THERAPIST, []),
        client_prevalence=_prevalence(sides.get(ParticipantRole.CLIENT)),
        therapist_prevalence=_prevalence(sides.get(ParticipantRole.THERAPIST)),
        client_support=_support_sentence("clients", sides.get(ParticipantRole.CLIENT)),
        therapist_support=_support_sentence("therapists", sides.get(ParticipantRole.THERAPIST)),
        children=[_theme(child, quotes, support, settings) for child in node.children],
    )


def _prevalence(side: SideSupport | None) -> str:
    return f"Prevalence: {side.prevalence}." if side else ""


def _support_sentence(role_plural: str, side: SideSupport | None) -> str:
    return f"The {role_plural}' accounts, in the consensus layer: {side.detail}." if side else ""


def _quote_checks(study: Study, themes: list[ReportTheme], chosen: list[QuoteView]):
    perspectives = [
        (theme.name, role, quotes)
        for theme in _all(themes)
        for role, quotes in (("client", theme.client_quotes), ("therapist", theme.therapist_quotes))
    ]
    return spread_checks(perspectives) + unresolved_check(study=study, quotes=chosen)


def _counted(items: list[tuple[str, int]]) -> str:
    return ", ".join(f"{n} {name.lower()}" for name, n in items if n)


def _participants_text(
    tables: ParticipantsTables, settings: StudyReportSettings, gender_rows: list
) -> str:
    sentences = []
    for index, row in enumerate(tables.roles):
        genders = _counted([(label, counts[index]) for label, counts in gender_rows])
        plural = f"{row.role.label.lower()}s"
        sentence = f"{row.total} {plural} took part" + (f" ({genders})" if genders else "")
        if row.ages.count:
            sentence += f", aged {row.ages.range_text} (median {row.ages.median_text})"
        sentences.append(sentence + ".")
    convention = _convention(settings)
    if convention:
        sentences.append(
            "To protect the participants' anonymity, the text refers to "
            + convention
            + ", whatever their gender; quotes are given as spoken."
        )
    return " ".join(sentences)


def _convention(settings: StudyReportSettings) -> str:
    """The pronoun convention in words ("every client as “she”"); "" if there is none."""
    return " and ".join(
        f"every {role} as “{pronoun}”"
        for role, pronoun in (
            ("client", settings.client_pronoun),
            ("therapist", settings.therapist_pronoun),
        )
        if pronoun
    )


def _recruitment_text(tables: ParticipantsTables) -> str:
    flow = tables.recruitment
    parts = [f"{row.step.label}: {row.total}" for row in flow.steps]
    text = "; ".join(parts) + "." if parts else "No recruitment events were recorded."
    left = [
        f"{what} ({role or 'role not recorded'}): {reason}"
        for what, reasons in flow.left
        for role, reason in reasons
    ]
    if left:
        text += " " + " ".join(f"{line.rstrip('.')}." for line in left)
    sessions = flow.therapy_sessions
    if sessions.count:
        text += (
            f" The therapies lasted {sessions.range_text} sessions (median {sessions.median_text})."
        )
    return text


def _tally_cell(tally: Tally, where: str, smallest: int, small: list) -> str:
    """A tally's text with its small categories folded; its small cells added to `small`."""
    items = fold_counts(tally.items, smallest)
    small += [(where, f"{name} ({n})") for name, n in items if is_small(n, smallest)]
    return ", ".join(f"{name} ({n})" for name, n in items) or "—"


def _tables(tables: ParticipantsTables, gender_rows: list, smallest: int) -> list[ReportTable]:
    therapists, clients = tables.roles
    small: list[tuple[str, str]] = []
    rows = [["Number", str(therapists.total), str(clients.total)]]
    rows += [[label, *map(str, counts)] for label, counts in gender_rows]
    small += [
        (f"Table 1, {label}", f"{n} {role}")
        for label, counts in gender_rows
        for role, n in zip(("therapist(s)", "client(s)"), counts, strict=True)
        if is_small(n, smallest)
    ]
    professions = tables.professions
    rows += [
        ["Age, range", therapists.ages.range_text, clients.ages.range_text],
        ["Age, median", therapists.ages.median_text, clients.ages.median_text],
        ["Age, mode", therapists.ages.modes_text, clients.ages.modes_text],
        [
            "Profession",
            _tally_cell(
                professions[ParticipantRole.THERAPIST],
                "Table 1, Profession (therapists)",
                smallest,
                small,
            ),
            _tally_cell(
                professions[ParticipantRole.CLIENT],
                "Table 1, Profession (clients)",
                smallest,
                small,
            ),
        ],
        [
            "Theoretical orientation",
            _tally_cell(tables.orientations, "Table 1, Theoretical orientation", smallest, small),
            "—",
        ],
        [
            "Presenting problems",
            "—",
            _tally_cell(
                tables.presenting_problems, "Table 1, Presenting problems", smallest, small
            ),
        ],
    ]
    flow = [
        [row.step.label, str(row.therapists), str(row.clients), str(row.total)]
        for row in tables.recruitment.steps
    ]
    return [
        ReportTable("Table 1. Participants", ["", "Therapists", "Clients"], rows, small),
        ReportTable("Table 2. Recruitment", ["Step", "Therapists", "Clients", "All"], flow),
    ]


def _codebook(study: Study) -> list[CodebookEntry]:
    """The live codes, parents before children, in the codebook's order (1 query)."""
    children = defaultdict(list)
    for code in Code.objects.filter(study=study, retired_at__isnull=True).order_by(
        "position", "name"
    ):
        children[code.parent_id].append(code)
    entries, todo = [], [(code, 0) for code in reversed(children[None])]
    while todo:
        code, depth = todo.pop()
        entries.append(
            CodebookEntry(
                code.name, depth, code.definition, code.inclusion_criteria, code.exclusion_criteria
            )
        )
        todo.extend((child, depth + 1) for child in reversed(children[code.pk]))
    return entries


def _all(themes: list[ReportTheme]) -> list[ReportTheme]:
    return [theme for root in themes for theme in (root, *root.descendants())]


def results_report(*, study: Study) -> ResultsReport:
    """The study's results report, checked and fingerprinted (a fixed number of queries,
    with the matrix's and the agreement drift's); the caller has checked the reader's access."""
    settings = report_settings_get(study=study)
    tables = participants_tables(study=study)
    gender_rows = fold_rows(tables.gender_rows, settings.min_cell_size)
    quotes = quotes_by_theme(study=study)
    support = constituent_support(study=study)
    themes = [_theme(root, quotes, support, settings) for root in theme_tree(study=study).roots]
    chosen = [q for theme in _all(themes) for q in theme.client_quotes + theme.therapist_quotes]
    report = ResultsReport(
        study=study,
        settings=settings,
        generated_at=timezone.now(),
        participants_text=_participants_text(tables, settings, gender_rows),
        recruitment_text=_recruitment_text(tables),
        procedure_text=procedure_text(study=study),
        pseudonym_key=pseudonym_key(study=study),
        recruitment_flow=recruitment_columns(study=study),
        tables=_tables(tables, gender_rows, settings.min_cell_size),
        themes=themes,
        codebook=_codebook(study),
        quotes=chosen,
        quote_checks=_quote_checks(study, themes, chosen),
    )
    # What a clearance clears: the title and the content, not the date of generation.
    content = f"{study.title}\n{_markdown_body(report)}"
    fingerprint = hashlib.sha256(content.encode()).hexdigest()
    return dataclasses.replace(
        report,
        warnings=report_warnings(report, convention=_convention(settings)),
        fingerprint=fingerprint,
        clearance=report_clearance_get(study=study, fingerprint=fingerprint),
    )


def results_docx(report: ResultsReport) -> bytes:
    """The report as a Word document."""
    from docx import Document  # python-docx is loaded when a report is downloaded
    from docx.shared import Inches, Pt

    document = Document()
    document.core_properties.title = f"Results: {report.study.title}"
    if report.clearance_notice:
        document.sections[0].header.paragraphs[0].text = report.clearance_notice
    document.add_heading(f"Results: {report.study.title}", level=0)
    if report.clearance_notice:
        document.add_paragraph().add_run(report.clearance_notice).bold = True
    document.add_paragraph(f"Generated by Duet on {report.generated_at:%d %B %Y}.")
    document.add_heading("Method", level=1)
    document.add_heading("Participants", level=2)
    document.add_paragraph(report.participants_text)
    document.add_heading("Recruitment", level=2)
    document.add_paragraph(report.recruitment_text)
    for table in report.tables:
        _docx_table(document, table)
    if report.recruitment_flow:
        document.add_picture(io.BytesIO(recruitment_png(report.recruitment_flow)), width=Inches(6))
        document.add_paragraph(FLOW_TITLE).runs[0].italic = True
    document.add_heading("Procedure", level=2)
    document.add_paragraph(report.procedure_text)
    document.add_heading("Results", level=1)
    if report.pseudonym_key:
        document.add_paragraph(report.pseudonym_key)
    for theme in report.all_themes:
        style = "List Bullet" if theme.depth == 0 else f"List Bullet {min(theme.depth + 1, 3)}"
        document.add_paragraph(theme.name, style=style)
    for theme in report.all_themes:
        _docx_theme(document, theme)
    document.add_heading("Appendix: Codebook", level=1)
    for entry in report.codebook:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Pt(18 * entry.depth)
        paragraph.add_run(entry.name).bold = True
        for label, text in (
            ("", entry.definition),
            ("Include: ", entry.inclusion),
            ("Exclude: ", entry.exclusion),
        ):
            if text:
                paragraph.add_run(f"\n{label}{text}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document, table: ReportTable) -> None:
    caption = document.add_paragraph(table.caption)
    caption.runs[0].italic = True
    grid = document.add_table(rows=1, cols=len(table.header), style="Table Grid")
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = bool(text)
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = text
    keep_table_whole(caption, grid)


def _docx_theme(document, theme: ReportTheme) -> None:
    document.add_heading(theme.name, level=min(2 + theme.depth, 9))
    if theme.description:
        document.add_paragraph(theme.description)
    if not theme.is_constituent:
        return
    for heading, description, quotes, prevalence, support in theme.perspectives:
        document.add_paragraph().add_run(heading).bold = True
        if description:
            document.add_paragraph(description)
        if prevalence:
            document.add_paragraph(prevalence)
        if support:
            document.add_paragraph().add_run(support).italic = True
        for quote in quotes:
            document.add_paragraph(f"“{quote.text}” ({quote.citation})", style="Quote")


def results_markdown(report: ResultsReport) -> str:
    """The report as Markdown."""
    notice = [f"**{report.clearance_notice}**", ""] if report.clearance_notice else []
    return "\n".join(
        [
            f"# Results: {report.study.title}",
            "",
            *notice,
            f"Generated by Duet on {report.generated_at:%d %B %Y}.",
            "",
            _markdown_body(report),
        ]
    )


def _markdown_body(report: ResultsReport) -> str:
    """The report's content in Markdown, from the method to the appendix."""
    lines = [
        "## Method",
        "",
        "### Participants",
        "",
        report.participants_text,
        "",
        "### Recruitment",
        "",
        report.recruitment_text,
        "",
    ]
    for table in report.tables:
        lines += [f"*{table.caption}*", "", _md_row(table.header)]
        lines.append(_md_row(["---"] * len(table.header)))
        lines += [_md_row(row) for row in table.rows] + [""]
    lines += _md_flow(report.recruitment_flow)
    lines += ["### Procedure", "", report.procedure_text, ""]
    lines += ["## Results", ""]
    lines += [report.pseudonym_key, ""] if report.pseudonym_key else []
    lines += [f"{'  ' * theme.depth}- {theme.name}" for theme in report.all_themes] + [""]
    for theme in report.all_themes:
        lines += [f"{'#' * min(3 + theme.depth, 6)} {theme.name}", ""]
        if theme.description:
            lines += [theme.description, ""]
        if not theme.is_constituent:
            continue
        for heading, description, quotes, prevalence, support in theme.perspectives:
            lines += [f"**{heading}.** {description}".rstrip(), ""]
            lines += [prevalence, ""] if prevalence else []
            lines += [f"*{support}*", ""] if support else []
            lines += [
                line for quote in quotes for line in (f"> “{quote.text}” ({quote.citation})", "")
            ]
    lines += ["## Appendix: Codebook", ""]
    for entry in report.codebook:
        indent = "  " * entry.depth
        lines.append(
            f"{indent}- **{entry.name}**" + (f": {entry.definition}" if entry.definition else "")
        )
        for label, text in (("Include", entry.inclusion), ("Exclude", entry.exclusion)):
            if text:
                lines.append(f"{indent}  - {label}: {text}")
    return "\n".join(lines) + "\n"


def _md_flow(columns: list[FlowColumn]) -> list[str]:
    """The flow diagram in words: each role's steps in order, those who left in brackets."""
    if not columns:
        return []
    lines = [f"*{FLOW_TITLE}*", ""]
    for column in columns:
        steps = " → ".join(
            f"{step.label} {step.count}"
            + (f" ({step.exit_label.lower()} {step.exit_count})" if step.exit_label else "")
            for step in column.steps
        )
        lines.append(f"- {column.heading}: {steps}")
    return [*lines, ""]


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def results_html(report: ResultsReport) -> str:
    """The report as a standalone HTML document."""
    return render_to_string("analysis/report_document.html", {"report": report})
