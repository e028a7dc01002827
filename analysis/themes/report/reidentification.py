"""Could the results report re-identify a participant? Checked before every download.

The whole document is read, piece by piece (the text, the tables and their
captions, theme descriptions, quotes and their citations, the codebook
appendix), and a piece is flagged when it contains, as a whole word in any
letter case:
- an *original* of the study's replacement list (a real name or place that the
  pseudonymisation should have replaced, e.g. because the list grew after the
  transcript was imported),
- a *near miss* of one ("Ingrids", "Ingri": interviews.names), or
- one of the study's *sensitive terms* (a rare profession, a village, an event).

Besides, a table cell that counts fewer people than the study's smallest
reportable group is flagged (the tables fold small categories into "Other",
but a folded row can still be small), and when the pronoun convention hides
gender, a quote with a gendered pronoun ("He read it, and then he cried") is
flagged: quotes are given as spoken, so they can undo the convention.

Matching follows the pseudonymisation's own rules (interviews.pseudonymise):
whole words, any letter case unless an entry is case-sensitive, Unicode NFC.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from interviews.names import Kind, find_names
from interviews.pseudonymise import Pseudonymiser, Replacement, nfc

GENDERED = re.compile(r"\b(he|she|him|her|his|hers|himself|herself)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ReportWarning:
    where: str  # e.g. "The client quote of “Theme X” (C3, interview 2)", "Table 1, Profession"
    term: str  # the words that matched
    reason: str

    @property
    def message(self) -> str:
        return f"{self.where} contains “{self.term}”: {self.reason}"


def _found(pseudonymiser: Pseudonymiser, text: str) -> list[tuple[str, Replacement]]:
    text = nfc(text)
    return [
        (text[edit.start : edit.end], pseudonymiser.entries[edit.entry])
        for edit in pseudonymiser.apply(text).edits
    ]


def text_warnings(
    pieces: Iterable[tuple[str, str]],
    *,
    originals: Pseudonymiser,
    sensitive_terms: Iterable[str],
    language: str,
) -> list[ReportWarning]:
    """A warning for every risky word of every (where, text) piece, in document order.

    `originals` is the study's compiled replacement list
    (`interviews.selectors.study_pseudonymiser`).
    """
    sensitive = Pseudonymiser(Replacement(term, term) for term in sensitive_terms)
    warnings = []
    for where, text in pieces:
        if not text:
            continue
        for matched, entry in _found(originals, text):
            warnings.append(
                ReportWarning(
                    where,
                    matched,
                    f"the study's replacement list replaces it with “{entry.replacement}”; "
                    "it may name a real person or place.",
                )
            )
        for finding in find_names(text, pseudonymiser=originals, language=language):
            if finding.kind == Kind.NEAR_MISS:
                warnings.append(
                    ReportWarning(
                        where, finding.word, f"it is {finding.reason}; it may name a real person."
                    )
                )
        for matched, _ in _found(sensitive, text):
            warnings.append(
                ReportWarning(where, matched, "it is on the study's list of sensitive terms.")
            )
    return warnings


def pronoun_warnings(quotes: Iterable[tuple[str, str]], *, convention: str) -> list[ReportWarning]:
    """Quotes with a gendered pronoun, when the report's `convention` (e.g. "every client
    “she”") hides the participants' gender; none when there is no convention."""
    if not convention:
        return []
    warnings = []
    for where, text in quotes:
        pronouns = sorted({match.group(0).lower() for match in GENDERED.finditer(text)})
        if pronouns:
            warnings.append(
                ReportWarning(
                    where,
                    ", ".join(pronouns),
                    f"the report refers to {convention} whatever their gender, and a "
                    "gendered pronoun in a quote may undo that.",
                )
            )
    return warnings
