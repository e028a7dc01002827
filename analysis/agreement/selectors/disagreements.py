"""Reads for adjudication: a session's passages and disagreements, the disagreement queue,
the side-by-side comparison of one transcript, and the history of resolutions.

A session's passages are computed from its live codings on each transcript's
current revision (``analysis.agreement.passages``): a passage whose coders' versions
differ is a *disagreement*. A :class:`~analysis.agreement.models.Resolution` settles one
by naming it (session, revision, code, start, end). If the codings change
afterwards so that the passage no longer exists as it was, the resolution is
*outdated*: it is listed, kept, and no longer used.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Prefetch, Q

from analysis.agreement.models import AgendaDisagreement, Resolution
from analysis.agreement.passages import CodePassage, Span, layers, passages, subtract
from analysis.agreement.selectors.recorded import session_codings
from analysis.agreement.selectors.scope import (
    CodeInfo,
    Text,
    coded_texts,
    codes_in_tree_order,
    load_texts,
)
from analysis.coding.models import Coding, CodingSession
from dyads.exceptions import DomainError
from dyads.models import AuditEvent
from interviews.models import SpeakerRole, SpeakerTurn, TranscriptRevision


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
    passage: CodePassage
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


def session_passages(
    *, session: CodingSession, transcript: int | None = None, live: bool = False
) -> SessionPassages:
    """Every passage of the session's transcripts (or one of them), with resolutions
    and agenda entries (8 queries).

    A closed session's passages are those of its codings as they stood at the close
    (``analysis.agreement.selectors.recorded``); ``live=True`` computes them from the
    codings as they are now.
    """
    coders = list(session.coders.order_by("username"))
    found = session_codings(session, transcript=transcript, live=live)
    texts = load_texts(
        revisions=Q(pk__in=list(found.revisions.values())), include_interviewer_turns=True
    )
    by_revision = {text.revision: text for text in texts}
    coder_ids = {coder.pk for coder in coders}
    rows = [row for row in found.rows if row[3] in coder_ids and row[1] in by_revision]
    coded = coded_texts(
        session=session, rows={(by_revision[row[1]].transcript, row[3]) for row in rows}
    )
    codes = {code.pk: code for code in codes_in_tree_order(study=session.study)}
    resolutions = list(
        Resolution.objects.filter(
            session=session,
            revision__transcript__in=list(found.revisions),
            withdrawn_at__isnull=True,
        )
        .select_related("resolved_by", "coder")
        .prefetch_related(Prefetch("source_codings", queryset=Coding.objects.only("pk")))
    )
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
        resolutions={(r.revision_id, r.code_id, r.start, r.end): r for r in resolutions},
        agenda=agenda,
        # A passage whose codings were moved since (a merge, a corrected transcript)
        # still finds the resolution made from them.
        by_codings={frozenset(c.pk for c in r.source_codings.all()): r for r in resolutions},
    )
    current = {view.resolution.pk for view in views if view.state == PassageState.RESOLVED}
    return SessionPassages(
        session=session,
        coders=coders,
        texts=texts,
        passages=views,
        outdated=[r for r in resolutions if r.pk not in current],
    )


def build_passages(
    *, session: int, texts, rows, coders, coded, codes, resolutions, agenda, by_codings=None
) -> list[PassageView]:
    """PassageViews from ``(coding, revision, code, coder, start, end)`` rows of one session.

    A passage's resolution is the one naming it in `resolutions`, else the one in
    `by_codings` made from exactly its codings.
    """
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
            codings = tuple(pk for _, pk in starts[first:last])
            views.append(
                PassageView(
                    session=session,
                    text=text,
                    code=codes[passage.code],
                    passage=passage,
                    coders=names,
                    codings=codings,
                    resolution=resolutions.get(key) or (by_codings or {}).get(frozenset(codings)),
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
    transcript: str | None = None,
    pair: str | None = None,
    state: str = "unresolved",
    order: str = "size",
) -> list[PassageView]:
    """The session's disagreements, filtered by code, transcript, the pair of coders
    whose versions differ ("username,username") and state, in the chosen order."""
    if order not in QUEUE_ORDERS:
        raise DomainError({"order": f"Unknown order '{order}': use {', '.join(QUEUE_ORDERS)}."})
    if state not in QUEUE_STATES:
        raise DomainError({"state": f"Unknown state '{state}': use {', '.join(QUEUE_STATES)}."})
    for name, value in (("code", code), ("transcript", transcript)):
        if value and not str(value).isdigit():
            raise DomainError({name: f"'{value}' is not a {name} id."})
    chosen = [
        view
        for view in found.disagreements
        if (state == "all" or view.state == state)
        and (not code or view.code.pk == int(code))
        and (not transcript or view.text.transcript == int(transcript))
    ]
    if pair:
        first, _, second = pair.partition(",")
        if (first, second) not in coder_pairs(found):
            raise DomainError({"pair": f"'{pair}' does not name two coders of this session."})
        chosen = [view for view in chosen if _versions_differ(view, first, second)]
    return sorted(chosen, key=QUEUE_ORDERS[order])


def coder_pairs(found: SessionPassages) -> list[tuple[str, str]]:
    """The session's coders two by two, as the queue's pair filter names them."""
    names = [coder.username for coder in found.coders]
    return [(a, b) for n, a in enumerate(names) for b in names[n + 1 :]]


def _versions_differ(view: PassageView, first: str, second: str) -> bool:
    """Whether both coders coded the transcript and gave the passage different spans."""
    versions = dict(view.versions)
    given = (versions[first], versions[second])
    return None not in given and given[0] != given[1]


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
