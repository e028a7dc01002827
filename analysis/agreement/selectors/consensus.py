"""The consensus layer themes and reports use, cached per study until a round may have changed.

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

from collections import Counter, defaultdict
from enum import StrEnum
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Q

from analysis.agreement.models import Resolution
from analysis.agreement.selectors.disagreements import PassageView, build_passages
from analysis.agreement.selectors.scope import (
    codes_in_tree_order,
    load_texts,
)
from analysis.coding.models import Coding, CodingSession, SessionProgress, SessionState
from dyads.models import AuditEvent, Study
from interviews.selectors import current_revisions

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
    consensus: any write but those whose action was registered as leaving rounds alone
    (codings, which closed sessions refuse, notes, meetings, themes and people; see
    each sub-domain's `registrations`). One lookup in a partial index."""
    last = (
        AuditEvent.objects.filter(study=study, may_change_rounds=True)
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
