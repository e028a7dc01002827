"""Warnings on the report's chosen quotes that a reviewer would raise.

* **Spread**: every quote of a constituent's perspective comes from one participant
  (all three therapist quotes from T3), so the perspective reads as one person's.
* **Unresolved**: a quote's coding overlaps a passage of the same code whose coders'
  disagreement is not resolved in the consensus layer (``consensus_codings``), so the
  quote rests on a coding the group has not agreed on.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.agreement.selectors.consensus import ConsensusSource, consensus_codings
from analysis.themes.models import ExemplaryQuote
from analysis.themes.selectors.detail import QuoteView
from dyads.models import Study

NUMBERS = {2: "Both", 3: "All three", 4: "All four"}


@dataclass(frozen=True)
class QuoteCheck:
    kind: str  # "spread" or "unresolved"
    message: str


def _one_speaker(quotes: list[QuoteView]) -> str:
    """The pseudonym all these quotes (two or more) come from, or ''."""
    speakers = {quote.pseudonym for quote in quotes}
    return speakers.pop() if len(quotes) >= 2 and len(speakers) == 1 else ""


def _spread(what: str, quotes: list[QuoteView], speaker: str) -> QuoteCheck:
    every = NUMBERS.get(len(quotes), f"All {len(quotes)}")
    return QuoteCheck(
        "spread", f"{every} {what} come from {speaker}: the perspective rests on one participant."
    )


def spread_checks(perspectives: Iterable[tuple[str, str, list[QuoteView]]]) -> list[QuoteCheck]:
    """Warnings where two or more quotes share one speaker: a role's quotes across the
    report, else a constituent's side; `perspectives` gives (theme, role, quotes)."""
    perspectives = list(perspectives)
    by_role = defaultdict(list)
    for _, role, quotes in perspectives:
        by_role[role].extend(quotes)
    checks, whole = [], set()
    for role, quotes in by_role.items():
        if speaker := _one_speaker(quotes):
            whole.add(role)
            checks.append(_spread(f"{role} quotes of the report", quotes, speaker))
    for theme, role, quotes in perspectives:
        if role not in whole and (speaker := _one_speaker(quotes)):
            checks.append(_spread(f"{role} quotes of “{theme}”", quotes, speaker))
    return checks


def _unresolved_spans(study: Study) -> dict[tuple[int, int], list[tuple[int, int]]]:
    spans = defaultdict(list)
    for span in consensus_codings(study=study):
        if span.source == ConsensusSource.UNRESOLVED:
            spans[span.revision, span.code].append((span.start, span.end))
    return spans


def _overlaps(coding: tuple[int, int, int, int], unresolved: dict) -> bool:
    revision, code, start, end = coding
    return any(s < end and start < e for s, e in unresolved.get((revision, code), []))


def unresolved_check(*, study: Study, quotes: list[QuoteView]) -> list[QuoteCheck]:
    """One warning naming the quotes whose coding rests on an unresolved disagreement."""
    if not quotes:
        return []
    codings = {
        pk: (revision, code, start, end)
        for pk, revision, code, start, end in ExemplaryQuote.objects.filter(
            pk__in=[quote.pk for quote in quotes]
        ).values_list("pk", "coding__revision", "coding__code", "coding__start", "coding__end")
    }
    unresolved = _unresolved_spans(study)
    resting = [quote for quote in quotes if _overlaps(codings[quote.pk], unresolved)]
    if not resting:
        return []
    return [
        QuoteCheck(
            "unresolved",
            f"{len(resting)} of {len(quotes)} quotes rest on unresolved disagreements: "
            + "; ".join(quote.label for quote in resting)
            + ". Resolve them in adjudication or choose other quotes.",
        )
    ]
