"""Could a chosen quote re-identify a participant? Checked before every export.

A quote is flagged when it contains, as a whole word in any letter case:
- an *original* of the study's replacement list (a real name or place that the
  pseudonymisation should have replaced, e.g. because the list grew after the
  transcript was imported), or
- one of the study's *sensitive terms* (a rare profession, a village, an event).

Matching follows the pseudonymisation's own rules (interviews.pseudonymise):
whole words, any letter case unless an entry is case-sensitive, Unicode NFC.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from interviews.pseudonymise import Pseudonymiser, Replacement, nfc


@dataclass(frozen=True)
class QuoteWarning:
    quote: str  # where the quote stands, e.g. "Theme X, client quote (C3, interview 2)"
    term: str  # the words of the quote that matched
    reason: str

    @property
    def message(self) -> str:
        return f"{self.quote} contains “{self.term}”: {self.reason}"


def _found(pseudonymiser: Pseudonymiser, text: str) -> list[tuple[str, Replacement]]:
    text = nfc(text)
    return [
        (text[edit.start : edit.end], pseudonymiser.entries[edit.entry])
        for edit in pseudonymiser.apply(text).edits
    ]


def quote_warnings(
    quotes: Iterable[tuple[str, str]],
    *,
    originals: Pseudonymiser,
    sensitive_terms: Iterable[str],
) -> list[QuoteWarning]:
    """A warning for every risky term in every (label, text) quote, in quote order.

    `originals` is the study's compiled replacement list
    (`interviews.selectors.study_pseudonymiser`).
    """
    sensitive = Pseudonymiser(Replacement(term, term) for term in sensitive_terms)
    warnings = []
    for label, text in quotes:
        for matched, entry in _found(originals, text):
            warnings.append(
                QuoteWarning(
                    quote=label,
                    term=matched,
                    reason=f"the study's replacement list replaces it with “{entry.replacement}”; "
                    "the quote may name a real person or place.",
                )
            )
        for matched, _ in _found(sensitive, text):
            warnings.append(
                QuoteWarning(
                    quote=label,
                    term=matched,
                    reason="it is on the study's list of sensitive terms.",
                )
            )
    return warnings
