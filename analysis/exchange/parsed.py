"""What an import reads out of another tool's file, before anything is written.

The readers (.qdpx, .qdc, CSV/XLSX codebooks) produce these plain objects; the
planner compares them with the study and the import service writes them.
Positions here are already Duet offsets: code points of the normalised text.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ParsedCode:
    guid: str
    name: str
    colour: str = ""
    description: str = ""
    codable: bool = True
    children: list["ParsedCode"] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    where: str = ""  # the element or line it came from, for messages

    def walk(self, path: tuple[str, ...] = ()):
        """(path, code) for this code and every code below it, parents first."""
        here = (*path, self.name)
        yield here, self
        for child in self.children:
            yield from child.walk(here)


@dataclass
class ParsedCoding:
    guid: str
    code_guid: str
    user_guid: str = ""
    created: dt.datetime | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class ParsedSelection:
    guid: str
    name: str
    start: int
    end: int
    codings: list[ParsedCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    where: str = ""


@dataclass
class ParsedSource:
    guid: str
    name: str
    text: str  # normalised: no BOM, LF line ends
    where: str
    selections: list[ParsedSelection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedNote:
    guid: str
    name: str
    text: str
    user_guid: str = ""
    created: dt.datetime | None = None


@dataclass
class ParsedCase:
    guid: str
    name: str
    variables: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


@dataclass
class ParsedSet:
    guid: str
    name: str
    sources: list[str] = field(default_factory=list)


@dataclass
class ParsedProject:
    """A project, or (with only `codes`) a codebook."""

    file_name: str
    name: str = ""
    origin: str = ""
    convention: str = ""
    users: dict[str, str] = field(default_factory=dict)  # normal GUID -> name
    codes: list[ParsedCode] = field(default_factory=list)
    cases: list[ParsedCase] = field(default_factory=list)
    sources: list[ParsedSource] = field(default_factory=list)
    notes: dict[str, ParsedNote] = field(default_factory=dict)
    sets: list[ParsedSet] = field(default_factory=list)
    project_notes: list[str] = field(default_factory=list)
    not_imported: Counter = field(default_factory=Counter)  # element name -> count
    warnings: list[str] = field(default_factory=list)

    def all_codes(self):
        for code in self.codes:
            yield from code.walk()
