"""The procedure paragraph of the results report, written from the study's own records.

Interviews per role (how many, first or later wave, during or after therapy, their
length in minutes and in words of the current transcript), the coders, the coding
sessions with the Krippendorff's alpha each closed round recorded at its close
(``agreement_drift``, character level), and the analytic meetings with the time span
they cover. Calibration attempts are not coding sessions of the analysis and are left
out.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Func, IntegerField, Q, Value
from django.db.models.functions import Trim

from analysis.agreement.selectors.reports import agreement_drift
from analysis.coding.models import Coding, CodingSession, SessionState
from analysis.deliberation.models import MeetingRecord
from dyads.models import ParticipantRole, Study
from dyads.selectors import display_names
from interviews.models import Interview, InterviewTiming

ROLE_ORDER = (ParticipantRole.CLIENT, ParticipantRole.THERAPIST)


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _words(field: str) -> Func:
    """How many words a text has, counted by the database (0 for an empty text)."""
    parts = Func(Trim(F(field)), Value(r"\s+"), function="regexp_split_to_array")
    return Func(
        Func(parts, Value(""), function="array_remove"),
        Value(1),
        function="array_length",
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class InterviewFacts:
    role: str
    participant: int
    number: int
    timing: str
    minutes: int | None
    words: int | None


def _interviews(study: Study) -> list[InterviewFacts]:
    rows = (
        Interview.objects.filter(study=study, deleted_at__isnull=True)
        .annotate(words=_words("transcript__current_revision__text"))
        .values_list(
            "participant__role",
            "participant",
            "sequence_number",
            "timing",
            "duration_minutes",
            "words",
        )
    )
    return [InterviewFacts(*row) for row in rows]


def _median_text(values: list[int], unit: str) -> str:
    values = [value for value in values if value]
    if not values:
        return ""
    low, high = min(values), max(values)
    spread = f"{low:,}" if low == high else f"{low:,}–{high:,}"
    return f"a median of {statistics.median(values):,g} {unit} (range {spread})"


def _role_sentence(role: ParticipantRole, interviews: list[InterviewFacts]) -> str:
    people = len({item.participant for item in interviews})
    first = sum(1 for item in interviews if item.number == 1)
    later = len(interviews) - first
    timing = defaultdict(int)
    for item in interviews:
        timing[item.timing] += 1
    plural = f"{role.label.lower()}s"
    sentence = (
        f"{_plural(people, role.label.lower(), plural)} gave {_plural(len(interviews), 'interview')}"
        f" ({first} in the first wave, {later} in later waves"
    )
    when = [
        f"{timing[value]} {label.lower()}"
        for value, label in InterviewTiming.choices
        if timing[value]
    ]
    sentence += "; " + ", ".join(when) + ")" if when else ")"
    lengths = [
        text
        for text in (
            _median_text([item.minutes for item in interviews], "minutes"),
            _median_text([item.words for item in interviews], "words transcribed"),
        )
        if text
    ]
    if lengths:
        sentence += f", lasting {' and '.join(lengths)}"
    return sentence + "."


def _interviews_text(study: Study) -> str:
    by_role = defaultdict(list)
    for item in _interviews(study):
        by_role[item.role].append(item)
    sentences = [_role_sentence(role, by_role[role]) for role in ROLE_ORDER if by_role[role]]
    return " ".join(sentences) or "No interviews have been recorded."


def _coders_text(study: Study) -> str:
    usernames = set(
        Coding.objects.filter(study=study, deleted_at__isnull=True)
        .exclude(session__calibration_attempt__isnull=False)
        .values_list("coder__username", flat=True)
        .distinct()
    )
    if not usernames:
        return "No passage has been coded yet."
    names = sorted(display_names(usernames).values(), key=str.casefold)
    return f"The transcripts were coded by {_plural(len(names), 'coder')} ({', '.join(names)})."


def _alpha(value: float) -> str:
    return "not computable" if value is None or math.isnan(value) else f"{value:.2f}"


def _sessions_text(study: Study) -> str:
    counts = CodingSession.objects.filter(study=study, calibration_attempt__isnull=True).aggregate(
        total=Count("pk"), closed=Count("pk", filter=Q(state=SessionState.CLOSED))
    )
    total, closed = counts["total"], counts["closed"]
    if not total:
        return "No coding sessions were held."
    text = f"They coded in {_plural(total, 'session')}, {closed} of them closed."
    rounds = agreement_drift(study=study).points
    if rounds:
        figures = ", ".join(
            f"α = {_alpha(point.overall.krippendorff_alpha)} in “{point.session.name}”"
            for point in rounds
        )
        text += (
            f" Krippendorff's α (character level, recorded at the close) of the "
            f"{_plural(len(rounds), 'closed session')} with two or more coders: {figures}."
        )
    return text


def _meetings_text(study: Study) -> str:
    dates = list(MeetingRecord.objects.filter(study=study).values_list("date", flat=True))
    if not dates:
        return "No analytic meetings were recorded."
    first, last = min(dates), max(dates)
    if first == last:
        return (
            f"The analysis was discussed in {_plural(len(dates), 'meeting')} on {first:%-d %B %Y}."
        )
    return (
        f"The analysis was discussed in {_plural(len(dates), 'meeting')} between "
        f"{first:%-d %B %Y} and {last:%-d %B %Y}."
    )


def procedure_text(*, study: Study) -> str:
    """The procedure paragraph: interviews, coders, sessions and agreement, meetings."""
    return " ".join(
        (
            _interviews_text(study),
            _coders_text(study),
            _sessions_text(study),
            _meetings_text(study),
        )
    )
