"""Reads of the coding workspace: one transcript's coding page, and coding sessions
with each coder's progress.

Like every selector these trust the caller to have checked the study through
`dyads.permissions.study_access`, are scoped to that study (another study's
object is NotFound), and run a fixed number of queries however many turns,
coders and transcripts there are. The codings themselves reach the page
through `analysis.coding.selectors.live`, which applies blind coding's visibility rule.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from analysis.coding.models import Coding, CodingSession, SessionProgress, SessionState
from dyads.exceptions import NotFound
from dyads.models import Role, Study, StudyMembership
from dyads.permissions import Action, role_allows
from interviews.models import Interview, SpeakerRole, Transcript, TranscriptRevision
from interviews.selectors import format_milliseconds, study_interviews
from interviews.turns import LABEL_LINE


@dataclass(frozen=True)
class CodingTurn:
    """A speaker turn as the coding page shows it.

    `text` is exactly `revision.text[start:end]`, so that a position in it plus
    `start` is a position in the revision: `start` is where the spoken words
    begin, after the speaker label that the page shows in the turn's header.
    """

    index: int
    speaker: str
    role: SpeakerRole
    timestamp: str
    start: int
    end: int
    text: str


def _words_start(text: str, start: int, end: int, speaker: str) -> int:
    """Where a turn's words start: after its speaker label and the blanks that follow."""
    label = LABEL_LINE.match(text[start:end])
    if label and speaker and label.group("label").strip() == speaker:
        start += label.end()
    while start < end and text[start].isspace():
        start += 1
    return start


def coding_turns(revision: TranscriptRevision) -> list[CodingTurn]:
    """The revision's turns as the coding page shows them; without turns, one block."""
    text = revision.text
    rows = revision.turns.order_by("index").values_list(
        "index", "speaker", "role", "start", "end", "t_start"
    )
    turns = []
    for index, speaker, role, start, end, t_start in rows:
        words = _words_start(text, start, end, speaker)
        timestamp = format_milliseconds(t_start)
        turns.append(
            CodingTurn(index, speaker, SpeakerRole(role), timestamp, words, end, text[words:end])
        )
    return turns or [CodingTurn(0, "", SpeakerRole.OTHER, "", 0, len(text), text)]


@dataclass(frozen=True)
class CodingPage:
    interview: Interview
    revision: TranscriptRevision
    turns: list[CodingTurn]
    session: CodingSession | None
    # The user may add codings here: their role codes, and in a session they
    # are one of its coders and it is open.
    can_code: bool
    # In a session: when the user marked this transcript done (None: not done).
    done_at: dt.datetime | None


def _codes_in(user) -> Exists:
    """Whether the user is one of the session's coders, as an annotation."""
    coders = CodingSession.coders.through.objects
    return Exists(coders.filter(codingsession=OuterRef("pk"), user=user))


def _page_session(*, study: Study, user, session_id: int, transcript_id: int) -> CodingSession:
    """The session, with whether the user codes in it and their done mark (one query)."""
    session = (
        CodingSession.objects.filter(study=study, pk=session_id)
        .annotate(
            user_codes=_codes_in(user),
            has_transcript=Exists(
                CodingSession.transcripts.through.objects.filter(
                    codingsession=OuterRef("pk"), transcript=transcript_id
                )
            ),
            user_done_at=Subquery(
                SessionProgress.objects.filter(
                    session=OuterRef("pk"), transcript=transcript_id, coder=user
                ).values("done_at")[:1]
            ),
        )
        .first()
    )
    if session is None or not session.has_transcript:
        raise NotFound("No such coding session for this transcript.")
    return session


def coding_page(
    *, study: Study, role: Role, user, interview_id: int, session_id: int | None = None
) -> CodingPage:
    """The interview's current revision with its turns, and the session coded in (3 queries)."""
    interview = (
        study_interviews(study=study)
        .select_related("transcript__current_revision")
        .defer("transcript__current_revision__original_text")
        .filter(pk=interview_id)
        .first()
    )
    if interview is None:
        raise NotFound("No such interview in this study.")
    transcript = getattr(interview, "transcript", None)
    revision = transcript.current_revision if transcript else None
    if revision is None:
        raise NotFound("This interview has no transcript to code yet.")
    session = None
    can_code = role_allows(role, Action.CODE)
    if session_id is not None:
        session = _page_session(
            study=study, user=user, session_id=session_id, transcript_id=transcript.pk
        )
        can_code = can_code and session.user_codes and session.state == SessionState.OPEN
    turns = coding_turns(revision)
    return CodingPage(
        interview=interview,
        revision=revision,
        turns=turns,
        session=session,
        can_code=can_code,
        done_at=session.user_done_at if session else None,
    )


def coding_sessions(*, study: Study, user) -> list[CodingSession]:
    """The study's sessions, newest first, with their sizes and done marks counted (1 query)."""
    return list(
        CodingSession.objects.filter(study=study)
        .annotate(
            coder_count=Count("coders", distinct=True),
            transcript_count=Count("transcripts", distinct=True),
            done_count=Count("progress", filter=Q(progress__done_at__isnull=False), distinct=True),
            user_codes=_codes_in(user),
        )
        .order_by("-created_at", "-pk")
    )


def coding_session_get(*, study: Study, session_id: int) -> CodingSession:
    session = CodingSession.objects.filter(study=study, pk=session_id).first()
    if session is None:
        raise NotFound("No such coding session in this study.")
    return session


@dataclass(frozen=True)
class ProgressCell:
    done_at: dt.datetime | None
    codings: int


@dataclass(frozen=True)
class ProgressRow:
    transcript: Transcript
    cells: list[ProgressCell]  # one per coder, in the order of SessionProgressView.coders


@dataclass(frozen=True)
class CoderProgress:
    coder: object
    done: int
    codings: int


@dataclass(frozen=True)
class SessionProgressView:
    session: CodingSession
    coders: list[CoderProgress]
    rows: list[ProgressRow]


def session_progress(*, session: CodingSession) -> SessionProgressView:
    """Each coder's done marks and live codings per transcript of the session (4 queries)."""
    coders = list(session.coders.order_by("username"))
    transcripts = list(
        session.transcripts.select_related("interview__participant").order_by(
            "interview__participant__pseudonym", "interview__sequence_number"
        )
    )
    done = {
        (transcript, coder): done_at
        for transcript, coder, done_at in SessionProgress.objects.filter(
            session=session
        ).values_list("transcript", "coder", "done_at")
    }
    counts = {
        (transcript, coder): n
        for transcript, coder, n in Coding.objects.filter(session=session, deleted_at__isnull=True)
        .values_list("revision__transcript", "coder")
        .annotate(n=Count("pk"))
        .values_list("revision__transcript", "coder", "n")
    }
    rows = [
        ProgressRow(
            transcript=transcript,
            cells=[
                ProgressCell(
                    done_at=done.get((transcript.pk, coder.pk)),
                    codings=counts.get((transcript.pk, coder.pk), 0),
                )
                for coder in coders
            ],
        )
        for transcript in transcripts
    ]
    return SessionProgressView(
        session=session,
        coders=[
            CoderProgress(
                coder=coder,
                done=sum(1 for row in rows if row.cells[column].done_at),
                codings=sum(row.cells[column].codings for row in rows),
            )
            for column, coder in enumerate(coders)
        ],
        rows=rows,
    )


def session_choices(*, study: Study) -> tuple[QuerySet, QuerySet[Transcript]]:
    """Who may code in a new session (owners and analysts) and what there is to code."""
    coders = (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=StudyMembership.objects.filter(
                study=study, role__in=[Role.OWNER, Role.ANALYST], removed_at__isnull=True
            ).values("user"),
        )
        .order_by("username")
    )
    transcripts = (
        Transcript.objects.filter(
            interview__in=study_interviews(study=study), current_revision__isnull=False
        )
        .select_related("interview__participant")
        .order_by("interview__participant__pseudonym", "interview__sequence_number")
    )
    return coders, transcripts
