"""Names a study's replacement list may have missed, found before anything is stored.

Pure Python, no Django: the import preview, the import command and the results
report's re-identification check share it. Three kinds of finding:

- **Near misses** of a listed name: a word that runs on from it ("Ingrids",
  "Bjørnsen") or is one edit away from it ("Ingri", "Ingird"; two edits for
  names of eight letters or more). Edit distances are rapidfuzz's optimal
  string alignment, so a swapped pair of letters counts as one edit. Names
  under four letters only catch run-on forms: one edit from "Åse" is too many
  ordinary words. A run-on form in lower case counts only with a short ending
  (an inflection: "åses"), so that "per" on the list does not flag "perhaps".
- **Name candidates**: capitalised words that are not at the start of a
  sentence and are not common words of the study's language. "Common" is
  wordfreq's Zipf frequency of at least COMMON_ZIPF (more than about three
  times in every 10,000 words: "I", "The", "Oslo"); rarer capitalised words
  in mid-sentence are mostly names of people, places and workplaces. Words
  that the list replaces, and near misses, are not repeated here.
- **Attributes** of the study's participants (places, professions, free
  attributes) found in the text as whole words, any letter case.

Nothing here changes the text: the findings are shown so that a person decides.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

from .pseudonymise import Pseudonymiser, Replacement, nfc

COMMON_ZIPF = 5.5
SHORTEST_FUZZY_NAME = 4
LONG_NAME = 8  # from this length, a near miss may be two edits away
INFLECTION = 2  # letters a lower-case word may run on from a name and still be flagged
WORD = re.compile(r"[^\W\d_][^\W_]*")
# What may stand between a sentence's end and its first word: spaces, quotes, brackets, dashes.
OPENERS = set(" \t\"'\u201c\u201d\u2018\u2019«»([{-\u2013\u2014")
SENTENCE_ENDS = set(".!?…:\n")


class Kind:
    NEAR_MISS = "near_miss"
    CANDIDATE = "candidate"
    ATTRIBUTE = "attribute"


@dataclass(frozen=True)
class NameFinding:
    word: str  # as it stands in the text
    count: int
    kind: str
    reason: str


@lru_cache(maxsize=65536)
def is_common(word: str, language: str) -> bool:
    return zipf_frequency(word, language) >= COMMON_ZIPF


def _at_sentence_start(text: str, start: int) -> bool:
    position = start - 1
    while position >= 0 and text[position] in OPENERS:
        position -= 1
    return position < 0 or text[position] in SENTENCE_ENDS


def _is_capitalised(word: str) -> bool:
    return word[0].isupper()


def _name_parts(entries: Iterable[Replacement]) -> dict[str, Replacement]:
    """Each word of each listed original, casefolded, with its entry."""
    return {
        part.casefold(): entry
        for entry in entries
        for part in WORD.findall(entry.original)
        if len(part) > 1
    }


def _near_miss_of(word: str, parts: dict[str, Replacement]) -> str | None:
    """The listed name `word` is a near miss of, or None."""
    folded = word.casefold()
    if folded in parts:
        return None
    for part, entry in parts.items():
        runs_on = folded.startswith(part) and (
            _is_capitalised(word) or len(folded) - len(part) <= INFLECTION
        )
        if runs_on and (not entry.case_sensitive or word.startswith(entry.original[: len(part)])):
            return entry.original
    if not _is_capitalised(word):
        return None
    for part, distance, _ in process.extract(
        folded, list(parts), scorer=OSA.distance, score_cutoff=2, limit=None
    ):
        allowed = 2 if len(part) >= LONG_NAME else 1
        if len(part) >= SHORTEST_FUZZY_NAME and distance <= allowed:
            return parts[part].original
    return None


def _words(text: str, replaced: list[tuple[int, int]]) -> Iterable[re.Match[str]]:
    """The words of `text` that the list does not replace (`replaced` spans sorted)."""
    spans = iter(replaced)
    span = next(spans, None)
    for match in WORD.finditer(text):
        while span is not None and span[1] <= match.start():
            span = next(spans, None)
        if span is None or match.end() <= span[0]:
            yield match


def find_names(
    text: str,
    *,
    pseudonymiser: Pseudonymiser,
    language: str,
    attributes: Iterable[tuple[str, str]] = (),
) -> list[NameFinding]:
    """Near misses, name candidates and participants' attributes in `text`, each once
    with its count: near misses first, then attributes, then candidates, each most
    frequent first. `attributes` are (term, what it is) pairs."""
    text = nfc(text)
    replaced = [(edit.start, edit.end) for edit in pseudonymiser.apply(text).edits]
    parts = _name_parts(pseudonymiser.entries)
    near: Counter[str] = Counter()
    candidates: Counter[str] = Counter()
    similar: dict[str, str] = {}
    for match in _words(text, replaced):
        word = match.group(0)
        if word not in similar:
            similar[word] = _near_miss_of(word, parts) if parts else None
        if similar[word] is not None and not is_common(word, language):
            near[word] += 1
        elif (
            _is_capitalised(word)
            and not _at_sentence_start(text, match.start())
            and not is_common(word, language)
        ):
            candidates[word] += 1
    found_attributes = _attributes(text, replaced, attributes)
    shown = set(near) | {finding.word.casefold() for finding in found_attributes}
    return [
        *(
            NameFinding(word, count, Kind.NEAR_MISS, f"close to “{similar[word]}” on the list")
            for word, count in _ordered(near)
        ),
        *found_attributes,
        *(
            NameFinding(word, count, Kind.CANDIDATE, "capitalised mid-sentence; not a common word")
            for word, count in _ordered(candidates)
            if word.casefold() not in shown
        ),
    ]


def _attributes(
    text: str, replaced: list[tuple[int, int]], attributes: Iterable[tuple[str, str]]
) -> list[NameFinding]:
    terms = {term.strip().casefold(): (term.strip(), what) for term, what in attributes}
    terms.pop("", None)
    if not terms:
        return []
    matcher = Pseudonymiser(Replacement(term, term) for term, _ in terms.values())
    counts: Counter[str] = Counter()
    for edit in matcher.apply(text).edits:
        if not any(start < edit.end and edit.start < end for start, end in replaced):
            counts[matcher.entries[edit.entry].original.casefold()] += 1
    return [
        NameFinding(terms[term][0], count, Kind.ATTRIBUTE, terms[term][1])
        for term, count in _ordered(counts)
    ]


def _ordered(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
