"""A stand-in for the import pipeline's pseudonymisation, enough for the demo.

Whole words only, in any letter case, Unicode-aware ("Åse" but not "Kåse"),
longest original first so that "Ingrid Solheim" wins over "Ingrid".
"""

import csv
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def load_replacements(path: Path) -> list[tuple[str, str]]:
    """The (original, replacement) pairs of a CSV list headed `original,replacement`."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = csv.DictReader(file)
        return [
            (_nfc(row["original"].strip()), row["replacement"].strip())
            for row in rows
            if row["original"].strip()
        ]


def replacement_pattern(originals: Iterable[str]) -> re.Pattern[str]:
    """A pattern matching any of the originals as a whole word, ignoring case."""
    ordered = sorted({_nfc(original) for original in originals}, key=len, reverse=True)
    alternatives = "|".join(re.escape(original) for original in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def pseudonymise(text: str, replacements: list[tuple[str, str]]) -> str:
    """`text` with every original of the list replaced by its replacement."""
    if not replacements:
        return text
    by_original = {original.casefold(): replacement for original, replacement in replacements}
    pattern = replacement_pattern(by_original)
    return pattern.sub(lambda match: by_original[match.group(0).casefold()], _nfc(text))
