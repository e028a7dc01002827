"""What a coding session's figures are computed from, and what has changed since it closed.

A closed session's agreement, disagreements and resolutions are computed on its
codings as they stood when it closed (`SessionSnapshot`, taken by
`coding_session_close`): later merges, splits and corrected transcripts never change
a recorded round. An open session, or one closed without a snapshot (a calibration
attempt), is computed from its live codings on each transcript's current revision;
so is a closed one when asked for its figures as they would be now (``live=True``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from analysis.coding.models import Code, Coding, CodingSession, SessionSnapshot, SessionState
from interviews.models import TranscriptRevision

# (coding, revision, code, coder, start, end)
Row = tuple[int, int, int, int, int, int]


@dataclass(frozen=True)
class SessionCodings:
    """A session's transcripts' revisions and its codings on them."""

    revisions: dict[int, int]  # transcript id -> revision id
    rows: list[Row]
    recorded: bool  # from the snapshot taken at the close


def sessions_codings(sessions: list[CodingSession], *, live: bool = False) -> dict:
    """{session id: SessionCodings} (1 query for closed sessions' snapshots, 2 for the
    sessions read live)."""
    return _codings(sessions, transcript=None, live=live)


def session_codings(
    session: CodingSession, *, transcript: int | None = None, live: bool = False
) -> SessionCodings:
    """The session's codings (on one transcript if given); see :func:`sessions_codings`."""
    return _codings([session], transcript=transcript, live=live)[session.pk]


def _codings(sessions, *, transcript: int | None, live: bool) -> dict[int, SessionCodings]:
    found: dict[int, SessionCodings] = {}
    closed = [session.pk for session in sessions if session.state == SessionState.CLOSED]
    if closed and not live:
        snapshots = SessionSnapshot.objects.filter(session__in=closed)
        if transcript is not None:
            snapshots = snapshots.filter(transcript=transcript)
        for session, transcript_id, revision, codings in snapshots.values_list(
            "session", "transcript", "revision", "codings"
        ):
            pinned = found.setdefault(session, SessionCodings({}, [], recorded=True))
            if revision is not None:
                pinned.revisions[transcript_id] = revision
                pinned.rows.extend((coding, revision, *rest) for coding, *rest in codings)
    rest = [session.pk for session in sessions if session.pk not in found]
    if rest:
        found.update(_live(rest, transcript=transcript))
    return found


def _live(sessions: list[int], *, transcript: int | None = None) -> dict[int, SessionCodings]:
    revisions: dict[int, dict[int, int]] = {session: {} for session in sessions}
    pairs = CodingSession.transcripts.through.objects.filter(
        codingsession__in=sessions, transcript__current_revision__isnull=False
    )
    if transcript is not None:
        pairs = pairs.filter(transcript=transcript)
    for session, transcript_id, revision in pairs.values_list(
        "codingsession", "transcript", "transcript__current_revision"
    ):
        revisions[session][transcript_id] = revision
    current = {revision for found in revisions.values() for revision in found.values()}
    rows = defaultdict(list)
    for session, *row in Coding.objects.filter(
        session__in=sessions, deleted_at__isnull=True, revision__in=current
    ).values_list("session", "pk", "revision", "code", "coder", "start", "end"):
        rows[session].append(tuple(row))
    return {
        session: SessionCodings(revisions[session], rows[session], recorded=False)
        for session in sessions
    }


# What changed since the close ---------------------------------------------------------


def changes_since_close(session: CodingSession, recorded: SessionCodings) -> list[str]:
    """Why the session's figures would differ now from those recorded at its close:
    merges and splits of its codes, corrected transcripts, removed codings (6 queries).
    Empty when the live codings are still those recorded."""
    if not recorded.recorded:
        return []
    now = sessions_codings([session], live=True)[session.pk]
    was = {row[0]: row for row in recorded.rows}
    moved = {row[0]: row for row in now.rows}
    recoded = {
        (was[pk][2], row[2]) for pk, row in moved.items() if pk in was and row[2] != was[pk][2]
    }
    codes = dict(
        Code.objects.filter(pk__in={code for pair in recoded for code in pair}).values_list(
            "pk", "name"
        )
    )
    merged_into = dict(
        Code.objects.filter(pk__in={old for old, _ in recoded}).values_list("pk", "merged_into")
    )
    changes = [
        f"the merge of {codes[old]} into {codes[new]}"
        if merged_into.get(old) == new
        else f"the move of {codes[old]}'s codings to {codes[new]}"
        for old, new in sorted(recoded)
    ]
    corrected = {
        transcript: (revision, now.revisions.get(transcript))
        for transcript, revision in recorded.revisions.items()
        if now.revisions.get(transcript) != revision
    }
    if corrected:
        revisions = {
            pk: (number, f"{pseudonym}, interview {interview}")
            for pk, number, pseudonym, interview in TranscriptRevision.objects.filter(
                pk__in={r for pair in corrected.values() for r in pair if r}
            ).values_list(
                "pk",
                "number",
                "transcript__interview__participant__pseudonym",
                "transcript__interview__sequence_number",
            )
        }
        changes.extend(
            f"the correction of {revisions[old][1]} (revision {revisions[old][0]} → "
            f"{revisions[new][0] if new else 'none'})"
            for old, new in sorted(corrected.values())
        )
    gone = sum(1 for pk in was if pk not in moved)
    if gone and not corrected:
        changes.append(f"{gone} coding{'s' if gone != 1 else ''} no longer live")
    return changes
