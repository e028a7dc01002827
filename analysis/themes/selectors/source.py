"""What the theme views count, and which interviews belong to which side of a dyad.

Every count of the theme views (matrix, waves, charts) comes from `coded_counts`
and every excerpt of the cell and dual-perspective views from `coded_passages`,
so the source of codings is switched in one place:

- **consensus** (the default): the study's consensus layer
  (`analysis.agreement.selectors.consensus.consensus_codings`): per transcript the agreed,
  resolved and (flagged) unresolved passages of its latest closed multi-coder
  round, plus codings made outside such rounds; open sessions add nothing.
- **all coders**: every live coding the user may see (blind sessions hide what
  they must, see `codings_visible_to`); two coders coding the same passage
  count twice. Counted with one GROUP BY in the database.

Each side of a dyad is in one of four states for a constituent (or a code), see
`SideState`: its passages are *present*, or it has none and is *absent* (every
transcript of the side is coded in the layer), *not coded* (some transcript of
the side is not coded in the layer) or *not interviewed* (the side has no
transcript). Which transcripts are coded in a layer is `coded_interviews`.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.db import connection
from django.db.models import Count, Exists, OuterRef, QuerySet

from analysis.agreement.selectors.consensus import (
    cached_for_study,
    consensus_codings,
    consensus_layer_counts,
)
from analysis.coding.models import Coding, SessionState
from analysis.coding.selectors.codings import codings_visible_to
from dyads.exceptions import DomainError
from dyads.models import AuditChainHead, Dyad, ParticipantRole, Study
from interviews.models import Interview, Transcript
from interviews.selectors import current_revisions

INTERVIEW = "revision__transcript__interview"


class CodingSource(StrEnum):
    CONSENSUS = "consensus"
    ALL = "all"

    @property
    def label(self) -> str:
        return {"consensus": "Consensus layer", "all": "All coders"}[self.value]

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> "CodingSource":
        value = params.get("source") or cls.CONSENSUS.value
        if value not in cls.__members__.values():
            raise DomainError({"source": f"Use one of {', '.join(cls)}, not '{value}'."})
        return cls(value)


def _current_revisions(study: Study) -> QuerySet[Transcript]:
    return current_revisions(
        study=study,
        interview__deleted_at__isnull=True,
        interview__participant__deleted_at__isnull=True,
    )


def theme_codings(*, user, study: Study) -> QuerySet[Coding]:
    """The live codings `user` may see on the current revisions of live interviews.

    The revisions are a subquery, so counting codings joins no other table.
    """
    return codings_visible_to(
        user,
        Coding.objects.filter(
            study=study, deleted_at__isnull=True, revision__in=_current_revisions(study)
        ),
    )


@dataclass(frozen=True)
class InterviewInfo:
    pk: int
    participant_id: int
    role: str
    dyad_id: int | None
    number: int
    date: dt.date | None
    revision: int | None  # the transcript's current revision

    @property
    def transcribed(self) -> bool:
        return self.revision is not None


def interviews_info(*, study: Study) -> dict[int, InterviewInfo]:
    """The study's live interviews by id, with what the theme views need (1 query)."""
    rows = (
        Interview.objects.filter(
            study=study, deleted_at__isnull=True, participant__deleted_at__isnull=True
        )
        .order_by("participant", "sequence_number")
        .values_list(
            "pk",
            "participant_id",
            "participant__role",
            "dyad_id",
            "sequence_number",
            "date",
            "transcript__current_revision",
        )
    )
    return {row[0]: InterviewInfo(*row) for row in rows}


def _interview_of_revision(study: Study) -> dict[int, int]:
    return {
        revision: interview
        for interview, revision in _current_revisions(study).values_list(
            "interview", "current_revision"
        )
    }


def _cached_layer(study: Study, part: str, compute):
    """A part of the study's consensus layer, from the cache when it can.

    The layer is computed over every coding of the study, so it is cached until the
    study's audit chain moves on: every write that could change the layer (a coding,
    a session closed, a disagreement resolved) appends an audit event, and the
    chain's last hash is part of the cache key.
    """
    head = AuditChainHead.objects.filter(study=study).values_list("last_hash", flat=True).first()
    return cached_for_study(study, part, head, compute)


def consensus_counts(*, study: Study) -> Counter:
    """(revision id, code id) -> passages of the study's consensus layer (cached)."""
    return _cached_layer(study, "counts", lambda: consensus_layer_counts(study=study))


def _consensus_spans(study: Study) -> dict[int, list[tuple]]:
    """revision id -> [(code, start, end, source)] of the study's consensus layer (cached)."""

    def compute() -> dict[int, list[tuple]]:
        spans = defaultdict(list)
        for span in consensus_codings(study=study):
            spans[span.revision].append((span.code, span.start, span.end, str(span.source)))
        return dict(spans)

    return _cached_layer(study, "spans", compute)


def coded_counts(*, user, study: Study, source: CodingSource) -> Counter:
    """(interview id, code id) -> how many codings (or consensus passages) there are.

    For all coders one GROUP BY revision and code over the codings table alone.
    """
    interview_of = _interview_of_revision(study)
    if source == CodingSource.CONSENSUS:
        rows = consensus_counts(study=study).items()
    else:
        rows = (
            ((revision, code), n)
            for revision, code, n in theme_codings(user=user, study=study)
            .values_list("revision_id", "code_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
    counts = Counter()
    for (revision, code), n in rows:
        if revision in interview_of:
            counts[(interview_of[revision], code)] += n
    return counts


def theme_counts(
    *, user, study: Study, source: CodingSource, links: dict[int, frozenset[int]]
) -> Counter:
    """(interview id, theme id) -> the codings (or consensus passages) of the theme's codes.

    `links` gives each theme's codes (its own and its constituents'). For all coders
    it is one GROUP BY revision and theme, joining the codings to these theme–code
    links: a coding counts once for each theme whose codes include its code.
    """
    pairs = [(theme, code) for theme, codes in links.items() for code in sorted(codes)]
    interview_of = _interview_of_revision(study)
    counts = Counter()
    if not pairs:
        return counts
    if source == CodingSource.CONSENSUS:
        themes_of = defaultdict(list)
        for theme, code in pairs:
            themes_of[code].append(theme)
        for (revision, code), n in consensus_counts(study=study).items():
            for theme in themes_of.get(code, ()) if revision in interview_of else ():
                counts[(interview_of[revision], theme)] += n
        return counts
    codings = theme_codings(user=user, study=study).filter(code__in={c for _, c in pairs})
    inner, params = codings.values("revision_id", "code_id").order_by().query.sql_with_params()
    values = ", ".join(["(%s, %s)"] * len(pairs))
    sql = (
        f"WITH link (theme_id, code_id) AS (VALUES {values}) "
        f"SELECT coding.revision_id, link.theme_id, COUNT(*) FROM ({inner}) AS coding "
        "JOIN link ON link.code_id = coding.code_id "
        "GROUP BY coding.revision_id, link.theme_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [number for pair in pairs for number in pair] + list(params))
        for revision, theme, n in cursor.fetchall():
            counts[(interview_of[revision], theme)] += n
    return counts


def coded_interviews(*, user, study: Study, source: CodingSource) -> set[int]:
    """The interviews whose transcript is coded in the layer (1 query).

    In either layer a transcript is coded once a closed coding session (not a
    calibration attempt) includes it: its coders are done with it, and what they
    found there, possibly nothing, is the layer. Besides, in the consensus layer a
    coding made outside any session on its current revision makes it coded; with
    all coders, any live coding on its current revision that the reader may see
    (an open session's too).
    """
    transcripts = Transcript.objects.filter(
        interview__study=study,
        interview__deleted_at__isnull=True,
        interview__participant__deleted_at__isnull=True,
        current_revision__isnull=False,
    )
    in_closed_sessions = transcripts.filter(
        coding_sessions__state=SessionState.CLOSED,
        coding_sessions__calibration_attempt__isnull=True,
    )
    codings = Coding.objects.filter(study=study, deleted_at__isnull=True)
    if source == CodingSource.CONSENSUS:
        codings = codings.filter(session__isnull=True)
    else:
        codings = codings_visible_to(user, codings)
    with_codings = transcripts.filter(Exists(codings.filter(revision=OuterRef("current_revision"))))
    # A UNION, not an OR of the two EXISTS: with OR, PostgreSQL hashes every visible coding
    # of the study (0.4 s at 200,000 codings) instead of looking up one per transcript.
    return set(
        in_closed_sessions.values_list("interview_id", flat=True).union(
            with_codings.values_list("interview_id", flat=True)
        )
    )


class SideState(StrEnum):
    """What one side of a dyad shows of a constituent (or a code) in a layer."""

    PRESENT = "present"  # the side's transcripts hold passages of it
    ABSENT = "absent"  # every transcript of the side is coded, and none holds a passage
    NOT_CODED = "not_coded"  # no passage, and some transcript of the side is not coded
    NOT_INTERVIEWED = "not_interviewed"  # the side has no transcript

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class SideCoverage:
    """One side of a dyad: how many transcripts it has, and how many are coded in the layer."""

    transcripts: int = 0
    coded: int = 0

    def state(self, count: int) -> SideState:
        """The side's state for a constituent of which it holds `count` passages."""
        if count:
            return SideState.PRESENT
        if not self.transcripts:
            return SideState.NOT_INTERVIEWED
        if self.coded < self.transcripts:
            return SideState.NOT_CODED
        return SideState.ABSENT

    @property
    def uncoded(self) -> int:
        return self.transcripts - self.coded


@dataclass(frozen=True)
class CodedPassage:
    """A coding, or a consensus passage with the coding that best stands for it."""

    interview: int
    revision: int
    code: int
    start: int
    end: int
    coding: int | None  # the coding to quote
    coder: str  # blank for a consensus passage
    state: str  # blank for a coding; agreed, resolved, unresolved or coding for consensus


def _best_coding(
    revision: int, code: int, start: int, end: int, codings: list[tuple]
) -> int | None:
    """The live coding of this code on this revision that overlaps [start, end) most."""
    best, most = None, 0
    for pk, on, coded, low, high in codings:
        overlap = min(end, high) - max(start, low)
        if on == revision and coded == code and overlap > most:
            best, most = pk, overlap
    return best


def coded_passages(
    *, user, study: Study, source: CodingSource, interviews: set[int], codes: set[int]
) -> list[CodedPassage]:
    """The passages of these codes in these interviews."""
    codings = theme_codings(user=user, study=study).filter(
        **{f"{INTERVIEW}__in": interviews}, code__in=codes
    )
    if source == CodingSource.ALL:
        return [
            CodedPassage(interview, revision, code, start, end, pk, coder, "")
            for pk, interview, revision, code, start, end, coder in codings.values_list(
                "pk", f"{INTERVIEW}_id", "revision", "code", "start", "end", "coder__username"
            )
        ]
    interview_of = _interview_of_revision(study)
    candidates = list(codings.values_list("pk", "revision", "code", "start", "end"))
    spans = _consensus_spans(study)
    return [
        CodedPassage(
            interview,
            revision,
            code,
            start,
            end,
            _best_coding(revision, code, start, end, candidates),
            "",
            source,
        )
        for revision, interview in interview_of.items()
        if interview in interviews
        for code, start, end, source in spans.get(revision, ())
        if code in codes
    ]


class DyadSides:
    """Which side of which dyad an interview counts for.

    An interview tied to a dyad counts for the side of that dyad its participant
    is on; one tied to no dyad (a therapist's personal background) counts for
    every dyad its participant belongs to.
    """

    def __init__(self, dyads: list[Dyad]):
        self.by_participant: dict[int, list[tuple[Dyad, ParticipantRole]]] = defaultdict(list)
        for dyad in dyads:
            self.by_participant[dyad.client_id].append((dyad, ParticipantRole.CLIENT))
            self.by_participant[dyad.therapist_id].append((dyad, ParticipantRole.THERAPIST))

    def interviews_of(self, dyad: Dyad, interviews: dict[int, InterviewInfo]) -> set[int]:
        """The ids of the dyad's interviews: the client's, and the therapist's held for
        this dyad or for no dyad in particular (their personal background)."""
        return {pk for pk, info in interviews.items() if any(d == dyad for d, _ in self.of(info))}

    def coverage(
        self,
        interviews: dict[int, InterviewInfo],
        coded: set[int],
        admits: Callable[[InterviewInfo], bool] = lambda interview: True,
    ) -> dict[tuple[int, ParticipantRole], SideCoverage]:
        """(dyad id, role) -> the side's transcribed interviews that `admits` lets in, and how
        many of them are `coded`. A side without one is missing: SideCoverage()."""
        tally: dict[tuple[int, ParticipantRole], list[int]] = defaultdict(lambda: [0, 0])
        for interview in interviews.values():
            if interview.transcribed and admits(interview):
                for dyad, role in self.of(interview):
                    tally[(dyad.pk, role)][0] += 1
                    tally[(dyad.pk, role)][1] += interview.pk in coded
        return {side: SideCoverage(*numbers) for side, numbers in tally.items()}

    def of(self, interview: InterviewInfo) -> list[tuple[Dyad, ParticipantRole]]:
        return [
            (dyad, role)
            for dyad, role in self.by_participant.get(interview.participant_id, ())
            if interview.dyad_id is None or dyad.pk == interview.dyad_id
        ]
