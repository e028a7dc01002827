"""Codebooks in and out: REFI-QDA .qdc both ways, CSV and XLSX spreadsheets in.

A spreadsheet has a header row naming its columns (any order, any case):
`name` (or `code`) is required; the hierarchy comes from a `path` column
("Alliance / Rupture", "Alliance::Rupture" or "Alliance > Rupture") or a
`parent` column naming a code on an earlier row; `definition` (or
`description`), `inclusion`, `exclusion`, `example` and `colour` (#RRGGBB)
are optional. Every problem names the file, line and column.
"""

import csv
import io
import re
from typing import IO, Any

import openpyxl
from lxml import etree

from analysis.exchange.parsed import ParsedCode, ParsedProject
from analysis.exchange.plan import HEX
from analysis.exchange.qdpx_export import ORIGIN
from analysis.exchange.qdpx_import import check_root, parse_codes, parse_xml
from analysis.exchange.refi import (
    CODEBOOK_NS,
    RefiError,
    code_description,
    schema_errors,
    why_not_read,
    xml_safe,
)
from analysis.exchange.selectors import code_tree, export_codes
from dyads.archives import ArchiveRefused, checked_zip
from dyads.models import Study

CB = f"{{{CODEBOOK_NS}}}"
PATH_SEPARATOR = re.compile(r"\s+/\s+|::|\s+>\s+")
COLUMNS = {
    "name": ("name", "code", "code name", "tag"),
    "path": ("path", "code path", "hierarchy"),
    "parent": ("parent", "parent code", "category"),
    "definition": ("definition", "description"),
    "inclusion_criteria": ("inclusion", "inclusion criteria", "include", "include when"),
    "exclusion_criteria": ("exclusion", "exclusion criteria", "exclude", "exclude when"),
    "example": ("example", "examples"),
    "colour": ("colour", "color"),
}


# --- .qdc ----------------------------------------------------------------------------------


def write_qdc(*, study: Study, out: IO[bytes]) -> int:
    """Write the study's active codebook as a .qdc; return the number of codes."""
    codes = export_codes(study=study)
    tree = code_tree(codes)
    root = etree.Element(CB + "CodeBook", {"origin": ORIGIN}, nsmap={None: CODEBOOK_NS})
    holder = etree.SubElement(root, CB + "Codes")

    def add(parent: etree._Element, code) -> None:
        element = etree.SubElement(
            parent,
            CB + "Code",
            {
                "guid": str(code.guid),
                "name": xml_safe(code.name),
                "isCodable": "true",
                "color": code.colour,
            },
        )
        description = code_description(
            code.definition,
            inclusion_criteria=code.inclusion_criteria,
            exclusion_criteria=code.exclusion_criteria,
            example=code.example,
        )
        if description:
            etree.SubElement(element, CB + "Description").text = xml_safe(description)
        for child in tree.get(code.pk, []):
            add(element, child)

    for code in tree.get(None, []):
        add(holder, code)
    out.write(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))
    return len(codes)


def parse_qdc(data: bytes, file_name: str) -> ParsedProject:
    """A .qdc codebook (any `urn:QDA-XML:codebook:*` version, e.g. Taguette's)."""
    root = parse_xml(data, file_name)
    check_root(root, file_name, "CodeBook", CODEBOOK_NS)
    project = ParsedProject(file_name=file_name, origin=root.get("origin") or "")
    if etree.QName(root).namespace == CODEBOOK_NS:
        errors = schema_errors(etree.ElementTree(root), CODEBOOK_NS, file_name)
        project.warnings += [f"Not valid by the REFI-QDA schema: {e}" for e in errors[:10]]
    codes = next((child for child in root if etree.QName(child).localname == "Codes"), None)
    project.codes = parse_codes(codes, file_name)
    for child in root:
        name = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if name == "Sets" and len(child):
            project.not_imported.add("<Set>", why_not_read("Set"), count=len(child))
        elif name and name not in ("Codes", "Sets"):
            project.not_imported.add(f"<{name}>", why_not_read(name))
    return project


# --- spreadsheets --------------------------------------------------------------------------


def _columns(header: list[Any], file_name: str) -> dict[str, int]:
    found = {}
    cells = [str(cell or "").strip().lower() for cell in header]
    for field, names in COLUMNS.items():
        for index, cell in enumerate(cells):
            if cell in names:
                found.setdefault(field, index)
    if "name" not in found and "path" not in found:
        shown = ", ".join(cell for cell in cells if cell) or "nothing"
        raise RefiError(f"{file_name} line 1: no 'name' or 'path' column (the header has {shown}).")
    return found


def _codes_from_rows(rows: list[tuple[int, list[Any]]], file_name: str) -> ParsedProject:
    """Rows (line number, cells) after the header as a code tree; parents before children."""
    if not rows:
        raise RefiError(f"{file_name}: the file is empty.")
    columns = _columns(rows[0][1], file_name)
    project = ParsedProject(file_name=file_name)
    by_path: dict[tuple[str, ...], ParsedCode] = {}
    errors = []

    def cell(cells: list[Any], field: str) -> str:
        index = columns.get(field)
        value = cells[index] if index is not None and index < len(cells) else None
        return "" if value is None else str(value).strip()

    for line, cells in rows[1:]:
        if not any(str(value or "").strip() for value in cells):
            continue
        path_text = cell(cells, "path")
        parts = [part.strip() for part in PATH_SEPARATOR.split(path_text)] if path_text else []
        if not parts or not all(parts):
            name = cell(cells, "name")
            parent = cell(cells, "parent")
            parent_path = (
                next((path for path in by_path if path[-1].lower() == parent.lower()), None)
                if parent
                else ()
            )
            if parent and parent_path is None:
                errors.append(
                    f"{file_name} line {line}, column parent: '{parent}' is not a code on an earlier line."
                )
                continue
            parts = [*parent_path, name] if name else []
        if not parts or not all(parts):
            errors.append(f"{file_name} line {line}, column name: the code has no name.")
            continue
        colour = cell(cells, "colour")
        if colour and not HEX.match(colour):
            errors.append(
                f"{file_name} line {line}, column colour: '{colour}' is not a colour like #1f77b4."
            )
            continue
        if tuple(parts[:-1]) and tuple(parts[:-1]) not in by_path:
            errors.append(
                f"{file_name} line {line}, column path: its parent '{' / '.join(parts[:-1])}' is not "
                "a code on an earlier line."
            )
            continue
        code = ParsedCode(
            guid="",
            name=parts[-1],
            colour=colour,
            description=code_description(
                cell(cells, "definition"),
                inclusion_criteria=cell(cells, "inclusion_criteria"),
                exclusion_criteria=cell(cells, "exclusion_criteria"),
                example=cell(cells, "example"),
            ),
            where=f"{file_name} line {line}",
        )
        key = tuple(part.lower() for part in parts)
        if key in {tuple(p.lower() for p in path) for path in by_path}:
            errors.append(
                f"{file_name} line {line}: '{' / '.join(parts)}' is already on an earlier line."
            )
            continue
        parent_code = by_path.get(tuple(parts[:-1]))
        (parent_code.children if parent_code else project.codes).append(code)
        by_path[tuple(parts)] = code
    if errors:
        raise RefiError("\n".join(errors[:20]))
    return project


def parse_codebook_csv(data: bytes, file_name: str) -> ParsedProject:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RefiError(
            f"{file_name}: not UTF-8 text (byte {error.start}); save it as CSV UTF-8."
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise RefiError(f"{file_name} line {reader.line_num}: {error}.") from error
    return _codes_from_rows(rows, file_name)


def parse_codebook_xlsx(data: bytes, file_name: str) -> ParsedProject:
    try:
        # openpyxl unpacks members whole (sharedStrings.xml at once): the guard goes first.
        checked_zip(data, name=file_name).close()
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ArchiveRefused as error:
        raise RefiError(error.detail["file"]) from error
    except Exception as error:  # openpyxl raises many kinds for a file that is no workbook
        raise RefiError(f"{file_name}: not an .xlsx workbook ({error}).") from error
    sheet = workbook.worksheets[0]
    rows = [
        (line, list(row)) for line, row in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    workbook.close()
    return _codes_from_rows(rows, f"{file_name} (sheet '{sheet.title}')")
