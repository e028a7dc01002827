"""Replacing real names and places with pseudonyms, as a study's replacement list says.

Pure Python, no Django, so that the import pipeline, the demo seed and the
tests share it. The rules:

- **Whole words.** An original matches only where it is not part of a longer
  word: "Åse" matches in "Åse's" and "Åse_2" but not in "Kåse" or "Åsel"
  (letters and digits beyond ASCII count as word characters; the underscore
  does not, so file names like "Magnus_interview2.docx" are covered too).
- **Longest original first**, so that "Ingrid Solheim" wins over "Ingrid".
- **Case-aware.** An entry matches in any letter case unless it is marked
  case-sensitive (for names that are also words: "Rose", "Bo"). A match in
  capitals ("MAGNUS") gets its replacement in capitals, unless the replacement
  is a bracketed placeholder such as "[client]", which is inserted as written.
- **Unicode-aware.** Originals and the text are compared in NFC, so "Åse"
  typed with a combining ring matches too. `Pseudonymiser.apply` expects NFC
  text (the import builder produces it) and reports where it changed the
  text, so that offsets into the original text can be carried over.
"""

import bisect
import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Not preceded / followed by a letter or digit (the underscore separates words here).
BEFORE = r"(?<![^\W_])"
AFTER = r"(?![^\W_])"
PLACEHOLDER_OPENERS = ("[", "(", "<", "{")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Replacement:
    original: str
    replacement: str
    case_sensitive: bool = False


@dataclass(frozen=True)
class Edit:
    """`text[start:end]` of the input became `replacement`."""

    start: int
    end: int
    replacement: str
    entry: int


@dataclass
class Pseudonymised:
    text: str
    edits: list[Edit]
    counts: Counter[int] = field(default_factory=Counter)
    _ends: list[int] = field(default_factory=list, repr=False)
    _shifts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        shift = 0
        for edit in self.edits:
            shift += len(edit.replacement) - (edit.end - edit.start)
            self._ends.append(edit.end)
            self._shifts.append(shift)

    def position(self, offset: int) -> int:
        """Where `offset` of the input text lies in the output text.

        An offset at the start of a replaced word stays at the start of its
        replacement; one at its end moves to the end of the replacement.
        """
        done = bisect.bisect_right(self._ends, offset)
        shift = self._shifts[done - 1] if done else 0
        if done < len(self.edits) and self.edits[done].start < offset:
            # Inside a replaced word: snap to the start of its replacement.
            return self.edits[done].start + shift
        return offset + shift


class Pseudonymiser:
    """A compiled replacement list."""

    def __init__(self, replacements: Iterable[Replacement]):
        entries = [
            Replacement(nfc(r.original.strip()), r.replacement.strip(), r.case_sensitive)
            for r in replacements
            if r.original.strip()
        ]
        self.entries = sorted(entries, key=lambda r: len(r.original), reverse=True)
        if not self.entries:
            self.pattern = None
            return
        alternatives = "|".join(
            f"(?P<r{number}>{self._literal(entry)})" for number, entry in enumerate(self.entries)
        )
        # A class of the possible first letters lets the engine skip most positions fast.
        self.pattern = re.compile(rf"(?={self._first_letters()}){BEFORE}(?:{alternatives}){AFTER}")

    def _first_letters(self) -> str:
        letters = set()
        for entry in self.entries:
            first = entry.original[0]
            letters.update(
                {first} if entry.case_sensitive else {first, first.lower(), first.upper()}
            )
        return f"[{''.join(re.escape(letter) for letter in sorted(letters))}]"

    @staticmethod
    def _literal(entry: Replacement) -> str:
        escaped = re.escape(entry.original)
        return escaped if entry.case_sensitive else f"(?i:{escaped})"

    def _replacement_for(self, entry: Replacement, matched: str) -> str:
        carries_case = (
            not entry.case_sensitive
            and matched.isupper()
            and sum(character.isalpha() for character in matched) > 1
            and not entry.replacement.startswith(PLACEHOLDER_OPENERS)
        )
        return entry.replacement.upper() if carries_case else entry.replacement

    def apply(self, text: str) -> Pseudonymised:
        """`text` (NFC) with every original replaced, the edits made and a count per entry."""
        if self.pattern is None:
            return Pseudonymised(text=text, edits=[])
        edits = []
        pieces = []
        last = 0
        for match in self.pattern.finditer(text):
            number = int(match.lastgroup[1:])
            replacement = self._replacement_for(self.entries[number], match.group(0))
            edits.append(Edit(match.start(), match.end(), replacement, number))
            pieces.append(text[last : match.start()])
            pieces.append(replacement)
            last = match.end()
        pieces.append(text[last:])
        result = Pseudonymised(text="".join(pieces), edits=edits)
        result.counts.update(edit.entry for edit in edits)
        return result

    def replace(self, text: str) -> str:
        """`text` with every original replaced (the text is NFC-normalised first)."""
        return self.apply(nfc(text)).text

    def report(self, result: Pseudonymised) -> list[tuple[Replacement, int]]:
        """What was replaced how often, most frequent first."""
        return [(self.entries[number], count) for number, count in result.counts.most_common()]


def read_replacements(text: str) -> list[Replacement]:
    """The entries of a CSV list headed `original,replacement[,case_sensitive]`."""
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"original", "replacement"} - set(rows.fieldnames or ())
    if missing:
        raise ValueError(
            f"The list needs the columns original and replacement (missing: {', '.join(sorted(missing))})."
        )
    entries = []
    for line, row in enumerate(rows, start=2):
        original, replacement = (row["original"] or "").strip(), (row["replacement"] or "").strip()
        if not original:
            continue
        if not replacement:
            raise ValueError(f"Line {line}: '{original}' has no replacement.")
        flag = (row.get("case_sensitive") or "").strip().lower()
        entries.append(Replacement(nfc(original), replacement, flag in {"1", "yes", "true", "y"}))
    return entries


def load_replacements(path: Path) -> list[tuple[str, str]]:
    """The (original, replacement) pairs of a CSV file (the demo's list)."""
    entries = read_replacements(path.read_text(encoding="utf-8-sig"))
    return [(entry.original, entry.replacement) for entry in entries]


def replacement_pattern(originals: Iterable[str]) -> re.Pattern[str]:
    """A pattern that finds any of the originals as a whole word, in any case."""
    pseudonymiser = Pseudonymiser(Replacement(original, "") for original in originals)
    return pseudonymiser.pattern or re.compile(r"(?!)")


def pseudonymise(text: str, replacements: Iterable[tuple[str, str]]) -> str:
    """`text` with every original of the (original, replacement) pairs replaced."""
    return Pseudonymiser(Replacement(o, r) for o, r in replacements).replace(text)
