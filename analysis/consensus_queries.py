"""Reads for adjudication: a session's passages and disagreements, the side-by-side
comparison of one transcript, and the consensus layer themes and reports use.

A session's passages are computed from its live codings on each transcript's
current revision (``analysis.passages``): a passage whose coders' versions
differ is a *disagreement*. A :class:`~analysis.models.Resolution` settles one
by naming it (session, revision, code, start, end). If the codings change
afterwards so that the passage no longer exists as it was, the resolution is
*outdated*: it is listed, kept, and no longer used.

The **consensus layer** of a session is, passage by passage: the common
version where the coders agree, the resolution's spans where a disagreement
was settled, and (flagged ``unresolved``) the union of the versions where it
was not. :func:`consensus_codings` gives the layer of a whole study: for each
transcript, the consensus of the most recently closed coding session with two
or more coders that includes it (an earlier round is superseded), plus
codings made outside such sessions as they are. Open sessions and
calibration attempts contribute nothing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, F, Q

from dyads.exceptions import DomainError
from dyads.models import ROUND_NEUTRAL_ACTIONS, AuditEvent, Study
from interviews.models import SpeakerRole, SpeakerTurn, TranscriptRevision
from interviews.selectors import current_revisions

from .agreement_queries import CodeInfo, Text, coded_texts, codes_in_tree_order, load_texts
from .models import (
    AgendaDisagreement,
    Coding,
    CodingSession,
    Resolution,
    SessionProgress,
    SessionState,
)
from .passages import Passage, Span, layers, passages, subtract


class PassageState(StrEnum):
    AGREED = "agreed"
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class AgendaEntry:
    meeting: int
    title: str
    date: object


@dataclass(frozen=True)
class PassageView:
    """One code's passage in one transcript of a session, with how it stands."""

    session: int
    text: Text
    code: CodeInfo
    passage: Passage
    coders: tuple[str, ...]
    codings: tuple[int, ...]
    resolution: Resolution | None
    agenda: tuple[AgendaEntry, ...]

    @property
    def start(self) -> int:
        return self.passage.start

    @property
    def end(self) -> int:
        return self.passage.end

    @property
    def size(self) -> int:
        return self.passage.size

    @property
    def key(self) -> tuple[int, int, int, int]:
        return (self.text.revision, self.code.pk, self.start, self.end)

    @property
    def anchor(self) -> str:
        return "passage-{}-{}-{}-{}".format(*self.key)

    @property
    def versions(self) -> list[tuple[str, tuple[Span, ...] | None]]:
        return list(zip(self.coders, self.passage.versions, strict=True))

    @property
    def state(self) -> PassageState:
        if self.passage.agreed:
            return PassageState.AGREED
        return PassageState.RESOLVED if self.resolution else PassageState.UNRESOLVED

    @property
    def consensus(self) -> list[Span]:
        """The spans this passage contributes to the consensus layer."""
        if self.passage.agreed:
            given = [version for version in self.passage.versions if version is not None]
            return list(given[0]) if given else []
        if self.resolution is not None:
            return [tuple(span) for span in self.resolution.spans]
        return [(self.start, self.end)]

    @property
    def suggested_span(self) -> Span:
        """Where an edited span starts out: what every coder coded, else the passage."""
        overlap = self.passage.overlap
        return (overlap[0][0], overlap[-1][1]) if overlap else (self.start, self.end)

    @property
    def differing(self) -> list[Span]:
        """Where the coders' versions differ: the passage minus what all of them coded."""
        if self.passage.agreed:
            return []
        return subtract([(self.start, self.end)], self.passage.overlap)


@dataclass(frozen=True)
class SessionPassages:
    session: CodingSession
    coders: list
    texts: list[Text]
    passages: list[PassageView]
    outdated: list[Resolution]

    @property
    def disagreements(self) -> list[PassageView]:
        return [view for view in self.passages if view.state != PassageState.AGREED]

    def find(self, *, revision: int, code: int, start: int, end: int) -> PassageView | None:
        return next(
            (view for view in self.passages if view.key == (revision, code, start, end)), None
        )


def session_passages(*, session: CodingSession, transcript: int | None = None) -> SessionPassages:
    """Every passage of the session's transcripts (or one of them), with resolutions
    and agenda entries (8 queries)."""
    coders = list(session.coders.order_by("username"))
    revisions = Q(transcript__in=session.transcripts.all(), transcript__current_revision=F("pk"))
    if transcript is not None:
        revisions &= Q(transcript=transcript)
    texts = load_texts(revisions=revisions, include_interviewer_turns=True)
    by_revision = {text.revision: text for text in texts}
    rows = list(
        Coding.objects.filter(
            session=session,
            revision__in=list(by_revision),
            coder__in=coders,
            deleted_at__isnull=True,
        ).values_list("pk", "revision", "code", "coder", "start", "end")
    )
    coded = coded_texts(
        session=session, rows={(by_revision[row[1]].transcript, row[3]) for row in rows}
    )
    codes = {code.pk: code for code in codes_in_tree_order(study=session.study)}
    resolutions = {
        (r.revision_id, r.code_id, r.start, r.end): r
        for r in Resolution.objects.filter(
            session=session, revision__in=list(by_revision), withdrawn_at__isnull=True
        ).select_related("resolved_by", "coder")
    }
    agenda = defaultdict(list)
    for item in AgendaDisagreement.objects.filter(
        session=session, revision__in=list(by_revision)
    ).select_related("meeting"):
        agenda[item.revision_id, item.code_id, item.start, item.end].append(
            AgendaEntry(item.meeting_id, item.meeting.title, item.meeting.date)
        )
    views = build_passages(
        session=session.pk,
        texts=texts,
        rows=rows,
        coders=coders,
        coded=coded,
        codes=codes,
        resolutions=resolutions,
        agenda=agenda,
    )
    current = {view.key for view in views if view.state == PassageState.RESOLVED}
    return SessionPassages(
        session=session,
        coders=coders,
        texts=texts,
        passages=views,
        outdated=[r for key, r in resolutions.items() if key not in current],
    )


def build_passages(
    *, session: int, texts, rows, coders, coded, codes, resolutions, agenda
) -> list[PassageView]:
    """PassageViews from ``(coding, revision, code, coder, start, end)`` rows of one session."""
    coder_index = {coder.pk: n for n, coder in enumerate(coders)}
    names = tuple(coder.username for coder in coders)
    per_revision = defaultdict(list)
    for row in rows:
        if row[3] in coder_index:  # a coding by someone no longer a coder of the session
            per_revision[row[1]].append(row)
    views = []
    for text in texts:
        found = per_revision.get(text.revision, [])
        by_code = defaultdict(list)
        for pk, _, code, _, start, _ in sorted(found, key=lambda row: row[4]):
            by_code[code].append((start, pk))
        missing = [n for coder, n in coder_index.items() if (text.transcript, coder) not in coded]
        for passage in passages(
            ((code, coder_index[coder], start, end) for _, _, code, coder, start, end in found),
            coders=len(coders),
            missing=missing,
        ):
            key = (text.revision, passage.code, passage.start, passage.end)
            # The codings of a code fall into its passages by where they start.
            starts = by_code[passage.code]
            first = bisect_left(starts, (passage.start, 0))
            last = bisect_left(starts, (passage.end, 0))
            views.append(
                PassageView(
                    session=session,
                    text=text,
                    code=codes[passage.code],
                    passage=passage,
                    coders=names,
                    codings=tuple(pk for _, pk in starts[first:last]),
                    resolution=resolutions.get(key),
                    agenda=tuple(agenda.get(key, ())),
                )
            )
    return views


def passage_texts(views) -> dict[int, str]:
    """The texts of the revisions the passages lie in (1 query)."""
    return dict(
        TranscriptRevision.objects.filter(
            pk__in={view.text.revision for view in views}
        ).values_list("pk", "text")
    )


# The disagreement queue ------------------------------------------------------------

QUEUE_ORDERS = {
    "size": lambda view: (-view.size, view.code.name, view.text.label, view.start),
    "code": lambda view: (view.code.name, -view.size, view.text.label, view.start),
    "position": lambda view: (view.text.label, view.start, view.code.name),
}
QUEUE_STATES = ("unresolved", "resolved", "all")


def disagreement_queue(
    found: SessionPassages,
    *,
    code: str | None = None,
    state: str = "unresolved",
    order: str = "size",
) -> list[PassageView]:
    """The session's disagreements, filtered by code and state, in the chosen order."""
    if order not in QUEUE_ORDERS:
        raise DomainError({"order": f"Unknown order '{order}': use {', '.join(QUEUE_ORDERS)}."})
    if state not in QUEUE_STATES:
        raise DomainError({"state": f"Unknown state '{state}': use {', '.join(QUEUE_STATES)}."})
    if code and not str(code).isdigit():
        raise DomainError({"code": f"'{code}' is not a code id."})
    chosen = [
        view
        for view in found.disagreements
        if (state == "all" or view.state == state) and (not code or view.code.pk == int(code))
    ]
    return sorted(chosen, key=QUEUE_ORDERS[order])


# The side-by-side comparison -----------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A stretch of a turn's text with the codes one lane shows on it.

    `opens` are the codes that start here (not on the piece before), labelled
    on the page.
    """

    text: str
    codes: tuple[CodeInfo, ...]
    opens: tuple[CodeInfo, ...] = ()
    differs: bool = False
    unresolved: bool = False


@dataclass(frozen=True)
class ComparisonRow:
    speaker: str
    role: str
    start: int
    end: int
    lanes: tuple[tuple[Piece, ...], ...]
    consensus: tuple[Piece, ...]
    disagreements: tuple[PassageView, ...]


@dataclass(frozen=True)
class Comparison:
    found: SessionPassages
    text: Text
    body: str
    rows: list[ComparisonRow]

    @property
    def texts(self) -> dict[int, str]:
        return {self.text.revision: self.body}

    @property
    def coders(self) -> list[str]:
        return [coder.username for coder in self.found.coders]

    @property
    def disagreements(self) -> list[PassageView]:
        return self.found.disagreements


def session_comparison(*, session: CodingSession, transcript: int) -> Comparison:
    """One transcript of the session, turn by turn: a lane per coder, the consensus
    lane, and the disagreements that start in each turn (10 queries)."""
    found = session_passages(session=session, transcript=transcript)
    if not found.texts:
        raise DomainError(
            {"transcript": f"Transcript {transcript} is not part of session '{session.name}'."}
        )
    text = found.texts[0]
    body = TranscriptRevision.objects.values_list("text", flat=True).get(pk=text.revision)
    turns = list(
        SpeakerTurn.objects.filter(revision=text.revision)
        .order_by("index")
        .values_list("speaker", "role", "start", "end")
    ) or [("", SpeakerRole.OTHER, 0, text.length)]

    lanes = [[] for _ in found.coders]
    differs, consensus = [], []
    for view in found.passages:
        for lane, version in zip(lanes, view.passage.versions, strict=True):
            lane.extend((start, end, view.code) for start, end in version or ())
        differs.extend((start, end, None) for start, end in view.differing)
        unresolved = view.state == PassageState.UNRESOLVED
        consensus.extend((start, end, (view.code, unresolved)) for start, end in view.consensus)
    starts = [turn[2] for turn in turns]
    opening = defaultdict(list)
    for view in found.disagreements:
        opening[max(bisect_right(starts, view.start) - 1, 0)].append(view)

    def pieces(start: int, end: int, marks, *, lane: bool) -> tuple[Piece, ...]:
        cut, before = [], set()
        for a, b, labels in layers(start, end, marks):
            if lane:
                codes = tuple(label for label in labels if label is not None)
                flags = {"differs": None in labels}
            else:
                codes = tuple(code for code, _ in labels)
                flags = {"unresolved": any(flag for _, flag in labels)}
            opens = tuple(code for code in dict.fromkeys(codes) if code.pk not in before)
            cut.append(Piece(body[a:b], codes, opens, **flags))
            before = {code.pk for code in codes}
        return tuple(cut)

    rows = [
        ComparisonRow(
            speaker=speaker,
            role=role,
            start=start,
            end=end,
            lanes=tuple(pieces(start, end, [*lane, *differs], lane=True) for lane in lanes),
            consensus=pieces(start, end, consensus, lane=False),
            disagreements=tuple(opening.get(number, ())),
        )
        for number, (speaker, role, start, end) in enumerate(turns)
    ]
    return Comparison(found=found, text=text, body=body, rows=rows)


# The consensus layer -----------------------------------------------------------------


class ConsensusSource(StrEnum):
    AGREED = "agreed"
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"
    CODING = "coding"


class ConsensusSpan(NamedTuple):
    """A span of the consensus layer, in code points of a current revision.

    A tuple, not a dataclass: a study's layer has hundreds of thousands of them."""

    revision: int
    code: int
    start: int
    end: int
    source: ConsensusSource
    session: int | None = None
    resolution: int | None = None


def consensus_of(views: list[PassageView]) -> list[ConsensusSpan]:
    """The consensus layer of these passages, passage by passage."""
    return [
        ConsensusSpan(
            revision=view.text.revision,
            code=view.code.pk,
            start=start,
            end=end,
            source=ConsensusSource(view.state.value),
            session=view.session,
            resolution=view.resolution.pk if view.resolution else None,
        )
        for view in views
        for start, end in view.consensus
    ]


def consensus_codings(*, study: Study, include_unresolved: bool = True) -> list[ConsensusSpan]:
    """The study's consensus layer on current revisions, in text order (9 queries).

    For each transcript: the consensus of the latest closed coding session with
    two or more coders that includes it, then every coding made outside such
    sessions (no session, a one-coder session) as it is. Codings of open
    sessions, of calibration attempts and of superseded rounds are left out;
    with ``include_unresolved=False`` so are unresolved disagreements.
    """
    rounds = _closed_rounds(study)
    layer = _layer_codings(study)
    spans = [
        ConsensusSpan(revision, code, start, end, ConsensusSource.CODING, session)
        for revision, code, start, end, session in _outside_rounds(layer, rounds).values_list(
            "revision", "code", "start", "end", "session"
        )
    ]
    spans.extend(_rounds_layer(study=study, rounds=rounds, layer=layer))
    if not include_unresolved:
        spans = [span for span in spans if span.source != ConsensusSource.UNRESOLVED]
    return sorted(spans, key=lambda span: (span.revision, span.start, span.end, span.code))


def consensus_layer_counts(*, study: Study) -> Counter:
    """(revision id, code id) -> how many spans the consensus layer has there.

    The same layer as :func:`consensus_codings`, but the codings outside closed
    rounds, which the layer takes as they are, are counted by the database.
    """
    rounds = _closed_rounds(study)
    layer = _layer_codings(study)
    counts = Counter(
        {
            (revision, code): n
            for revision, code, n in _outside_rounds(layer, rounds)
            .values_list("revision", "code")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )
    counts.update(
        (span.revision, span.code)
        for span in _rounds_layer(study=study, rounds=rounds, layer=layer)
    )
    return counts


def _closed_rounds(study: Study) -> dict[int, CodingSession]:
    """The closed sessions with two or more coders (calibration attempts aside)."""
    return {
        session.pk: session
        for session in CodingSession.objects.filter(
            study=study, state=SessionState.CLOSED, calibration_attempt__isnull=True
        )
        .annotate(coder_count=Count("coders", distinct=True))
        .filter(coder_count__gte=2)
        .prefetch_related("coders")
    }


def _layer_codings(study: Study):
    """The live codings on current revisions that may enter the layer: none of open
    sessions or calibration attempts.

    Revisions and sessions are subqueries: joined, they made PostgreSQL expect a few
    rows and sort a million on disk to count them (0.56 s to 0.16 s at that size).
    """
    current = current_revisions(study=study)
    entering = (
        CodingSession.objects.filter(study=study, calibration_attempt__isnull=True)
        .exclude(state=SessionState.OPEN)
        .values("pk")
    )
    return Coding.objects.filter(
        Q(session__isnull=True) | Q(session__in=entering),
        study=study,
        deleted_at__isnull=True,
        revision__in=current,
    )


def _outside_rounds(layer, rounds: dict):
    """The codings the layer takes as they are: no session, or one that is not a round."""
    return layer.exclude(session__in=list(rounds))


CONSENSUS_CACHE_SECONDS = 600


def cached_for_study(study: Study, part: str, version, compute):
    """`compute()`, kept in the cache for the study until `version` changes."""
    key = f"duet:consensus-{part}:{study.pk}:{study.created_at.timestamp()}:{version}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CONSENSUS_CACHE_SECONDS)
    return found


def rounds_version(study: Study) -> int:
    """The sequence of the study's last audit event that may change a closed round's
    consensus: any write but those of dyads.models.ROUND_NEUTRAL_ACTIONS (codings,
    which closed sessions refuse, notes, meetings, themes and people)."""
    last = (
        AuditEvent.objects.filter(study=study)
        .exclude(action__in=ROUND_NEUTRAL_ACTIONS)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    return last or 0


def _rounds_layer(*, study: Study, rounds: dict, layer) -> list[ConsensusSpan]:
    """The consensus of each transcript's latest closed round, cached: the rounds stay as
    they are while analysts code elsewhere, and recomputing them costs seconds at scale."""
    if not rounds:
        return []
    return cached_for_study(
        study,
        "rounds",
        rounds_version(study),
        lambda: _latest_rounds_layer(study=study, rounds=rounds, layer=layer),
    )


def _latest_rounds_layer(*, study: Study, rounds: dict, layer) -> list[ConsensusSpan]:
    """The consensus of each transcript's latest closed round (an earlier one is superseded)."""
    latest: dict[int, tuple] = {}
    for transcript, session, closed_at in CodingSession.transcripts.through.objects.filter(
        codingsession__in=list(rounds)
    ).values_list("transcript", "codingsession", "codingsession__closed_at"):
        if transcript not in latest or (closed_at, session) > latest[transcript]:
            latest[transcript] = (closed_at, session)
    authority = {transcript: session for transcript, (_, session) in latest.items()}
    per_round = defaultdict(list)
    for *row, session, transcript in layer.filter(session__in=list(rounds)).values_list(
        "pk", "revision", "code", "coder", "start", "end", "session", "revision__transcript"
    ):
        if authority.get(transcript) == session:
            per_round[session].append(tuple(row))
    if not per_round:
        return []
    return _rounds_consensus(study=study, rounds=rounds, rows=per_round)


def _rounds_consensus(*, study: Study, rounds: dict, rows: dict[int, list]) -> list[ConsensusSpan]:
    """The consensus of each round's codings on the transcripts it has authority over."""
    texts = load_texts(
        revisions=Q(pk__in={row[1] for found in rows.values() for row in found}),
        include_interviewer_turns=True,
    )
    done = set(
        SessionProgress.objects.filter(session__in=list(rows), done_at__isnull=False).values_list(
            "session", "transcript", "coder"
        )
    )
    codes = {code.pk: code for code in codes_in_tree_order(study=study)}
    resolutions = defaultdict(dict)
    for r in Resolution.objects.filter(session__in=list(rows), withdrawn_at__isnull=True):
        resolutions[r.session_id][r.revision_id, r.code_id, r.start, r.end] = r
    by_revision = {text.revision: text for text in texts}
    spans = []
    for session, found in rows.items():
        revisions = {row[1] for row in found}
        coded = {(by_revision[row[1]].transcript, row[3]) for row in found}
        coded |= {(transcript, coder) for s, transcript, coder in done if s == session}
        views = build_passages(
            session=session,
            texts=[text for text in texts if text.revision in revisions],
            rows=found,
            coders=sorted(rounds[session].coders.all(), key=lambda coder: coder.username),
            coded=coded,
            codes=codes,
            resolutions=resolutions[session],
            agenda={},
        )
        spans.extend(consensus_of(views))
    return spans


# The record of resolutions ------------------------------------------------------------


@dataclass(frozen=True)
class ResolutionRecord:
    """A resolution (current, withdrawn or outdated) with its audit events."""

    resolution: Resolution
    events: list[AuditEvent]


def resolution_history(*, session: CodingSession) -> list[ResolutionRecord]:
    """Every resolution of the session, newest first, with its audit events (2 queries)."""
    resolutions = list(
        Resolution.objects.filter(session=session)
        .select_related(
            "code",
            "coder",
            "resolved_by",
            "withdrawn_by",
            "revision__transcript__interview__participant",
        )
        .order_by("-resolved_at", "-pk")
    )
    events = defaultdict(list)
    for event in (
        AuditEvent.objects.filter(
            study=session.study_id,
            object_type=Resolution._meta.label_lower,
            object_id__in=[str(r.pk) for r in resolutions],
        )
        .select_related("actor")
        .order_by("sequence")
    ):
        events[event.object_id].append(event)
    return [ResolutionRecord(r, events[str(r.pk)]) for r in resolutions]
