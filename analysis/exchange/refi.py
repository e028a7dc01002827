"""What Duet's REFI-QDA reader and writer share: namespaces, GUIDs, dates, the
schemas, and how a code's definition travels in a REFI `Description`.

lxml is imported by the functions that need it: the planning and job modules use this
module's GUIDs and dates in web processes that never read XML."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
SCHEMA_FILES = {PROJECT_NS: "Project-mrt2019.xsd", CODEBOOK_NS: "Codebook-mrt2019.xsd"}

# Duet's namespace for the GUIDs it derives (uuid5), fixed for ever.
DUET_NAMESPACE = uuid.UUID("6f1d3c52-4c3e-5d0e-9d7a-8c2f3b1e0d42")


class RefiError(ValueError):
    """A REFI-QDA file Duet cannot read; the message names the file and element."""


@cache
def schema(namespace: str) -> etree.XMLSchema:
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMAS / SCHEMA_FILES[namespace])))


def schema_errors(document: etree._ElementTree, namespace: str, file_name: str) -> list[str]:
    """The XSD's complaints about a document, each naming the file and line."""
    checker = schema(namespace)
    if checker.validate(document):
        return []
    return [f"{file_name} line {error.line}: {error.message}" for error in checker.error_log]


def study_namespace(study) -> uuid.UUID:
    """A namespace per study that survives backup and restore (same id, same creation time)."""
    return uuid.uuid5(DUET_NAMESPACE, f"study:{study.pk}:{study.created_at.isoformat()}")


def stable_guid(namespace: uuid.UUID, kind: str, key: object) -> str:
    """The same GUID for the same object in every export."""
    return str(uuid.uuid5(namespace, f"{kind}:{key}"))


def user_guid(username: str) -> str:
    return str(uuid.uuid5(DUET_NAMESPACE, f"user:{username}"))


GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)


def normal_guid(value: str | None) -> str:
    """Compare GUIDs after lower-casing and stripping braces; '' for none."""
    if not value:
        return ""
    match = GUID.match(value.strip())
    return match.group(1).lower() if match else value.strip().lower()


def refi_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(value: str | None) -> dt.datetime | None:
    """An xsd:dateTime; one without a zone (Transana) is taken as UTC."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


# A code's definition and criteria travel in REFI's one Description, as labelled paragraphs.
CODE_TEXT_LABELS = [
    ("inclusion_criteria", "Include when"),
    ("exclusion_criteria", "Exclude when"),
    ("example", "Example"),
]


def code_description(definition: str, **texts: str) -> str:
    parts = [definition.strip()] if definition.strip() else []
    for field, label in CODE_TEXT_LABELS:
        if texts.get(field, "").strip():
            parts.append(f"{label}: {texts[field].strip()}")
    return "\n\n".join(parts)


def parse_code_description(description: str) -> dict[str, str]:
    """The inverse of code_description; a plain description is all definition."""
    fields = {"definition": "", **{field: "" for field, _ in CODE_TEXT_LABELS}}
    current = "definition"
    chunks: dict[str, list[str]] = {field: [] for field in fields}
    for paragraph in description.strip().split("\n\n"):
        for field, label in CODE_TEXT_LABELS:
            if paragraph.startswith(f"{label}: "):
                current, paragraph = field, paragraph[len(label) + 2 :]
                break
        chunks[current].append(paragraph)
    return {field: "\n\n".join(chunks[field]).strip() for field in fields}


NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """The text without the control characters XML 1.0 cannot carry."""
    return NOT_XML.sub("", text)


def local_name(element: etree._Element) -> str:
    from lxml import etree

    return etree.QName(element).localname if isinstance(element.tag, str) else ""


# Why Duet leaves an element of another tool's file out (the import report says it).
NOT_READ_WHY = {
    **dict.fromkeys(
        ["PDFSource", "PictureSource", "AudioSource", "VideoSource"],
        "Duet imports text sources only",
    ),
    **dict.fromkeys(
        ["PDFSelection", "PictureSelection", "AudioSelection", "VideoSelection"],
        "Duet codes text only",
    ),
    "Links": "Duet has no links between objects",
    "Graphs": "Duet has no graphs",
    "Set": "Duet keeps no sets of codes",
}


def why_not_read(element: str) -> str:
    return NOT_READ_WHY.get(element, "Duet has no place for it")
