"""What an import reads out of another tool's file, before anything is written.

The readers (.qdpx, .qdc, CSV/XLSX codebooks) produce these plain objects; the
planner compares them with the study and the import service writes them.
Positions here are already Duet offsets: code points of the normalised text.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

EXAMPLES = 3  # how many examples the report names per kind of thing left out


@dataclass
class NotImported:
    """What an import leaves out, by (kind, why): a count and the first few examples."""

    counts: Counter = field(default_factory=Counter)
    examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def add(self, kind: str, why: str, example: str = "", count: int = 1) -> None:
        self.counts[kind, why] += count
        shown = self.examples.setdefault((kind, why), [])
        if example and len(shown) < EXAMPLES and example not in shown:
            shown.append(example)

    def extend(self, other: "NotImported") -> None:
        for key, count in other.counts.items():
            self.counts[key] += count
            for example in other.examples.get(key, []):
                self.add(*key, example, count=0)

    def as_list(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "why": why,
                "count": count,
                "examples": self.examples.get((kind, why), []),
            }
            for (kind, why), count in sorted(self.counts.items())
        ]


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
    not_imported: NotImported = field(default_factory=NotImported)
    warnings: list[str] = field(default_factory=list)

    def all_codes(self):
        for code in self.codes:
            yield from code.walk()
