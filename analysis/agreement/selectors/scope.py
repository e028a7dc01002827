"""Which codings an agreement figure compares, and the texts and units they are measured on.

A *scope* names the codings compared: one coding session's (by default all
its coders and transcripts), or any set of transcripts and coders. Each
transcript is measured on its current revision. Loading takes a fixed number
of queries with ``values_list`` (no model instance per coding); the
arithmetic is ``analysis.agreement``'s: per revision, the codings become
present/absent data per code and coder (a run of characters, a speaker turn
or a paragraph per unit), tallied once; tallies add up over revisions and
codes, and every coefficient follows from the sums.

Rules the figures follow (docs/user-guide/agreement.md explains them):

* Interviewer turns are left out of the units unless the study includes them
  (``Study.include_interviewer_turns_in_agreement``).
* A coder who made no coding in a transcript (and, in a session, did not mark
  it done) did not code it: their values there are missing, not "absent".
* Codes are compared one by one (present/absent per unit); "overall" pools
  every code × unit. Sub-codes are separate codes, not rolled up.
* While a blind session is open, only owners and auditors who do not code in
  it may compare its coders (:func:`check_comparable`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, TextChoices
from django.db.models.functions import Length

from analysis.agreement.passages import Span
from analysis.coding.models import (
    Code,
    Coding,
    CodingSession,
    SessionMode,
    SessionProgress,
    SessionState,
)
from analysis.coding.selectors.codings import codings_visible_to
from dyads.exceptions import DomainError, Forbidden
from dyads.models import Role, Study, StudyMembership
from interviews.models import SpeakerRole, SpeakerTurn, Transcript, TranscriptRevision

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


class Unit(TextChoices):
    CHARACTER = "character", "Character"
    TURN = "turn", "Speaker turn"
    PARAGRAPH = "paragraph", "Paragraph"


def parse_unit(value: str | None) -> Unit:
    """The unit a request names (character by default), or a DomainError naming `unit`."""
    if not value:
        return Unit.CHARACTER
    if value not in Unit.values:
        raise DomainError({"unit": f"Unknown unit '{value}': use {', '.join(Unit.values)}."})
    return Unit(value)


def check_comparable(*, user, role: Role, session: CodingSession) -> None:
    """Refuse to compare the coders of an open blind session, except for its supervisors.

    Agreement figures, disagreements and side-by-side views all show what each
    coder did, which a blind session hides from its coders until it is closed;
    owners and auditors who do not code in it may follow it.
    """
    if session.mode != SessionMode.BLIND or session.state != SessionState.OPEN:
        return
    coding_in_it = session.coders.filter(pk=user.pk).exists()
    if role not in (Role.OWNER, Role.AUDITOR) or coding_in_it:
        raise Forbidden(
            f"Session '{session.name}' is blind and still open: its coders are compared "
            "once it is closed (until then only owners and auditors who do not code in it)."
        )


# Scope ------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementScope:
    """The codings compared: a session's, or given transcripts' and coders'."""

    study: Study
    session: CodingSession | None
    unit: Unit
    coders: tuple  # users, by username
    transcripts: tuple[int, ...]

    @property
    def include_interviewer_turns(self) -> bool:
        return self.study.include_interviewer_turns_in_agreement


def session_in_study(*, study: Study, session_id, field: str = "session") -> CodingSession:
    """The study's coding session with this id, or a DomainError naming `field`."""
    if not str(session_id).isdigit():
        raise DomainError({field: f"'{session_id}' is not a session id."})
    session = CodingSession.objects.filter(study=study, pk=int(session_id)).first()
    if session is None:
        raise DomainError({field: f"This study has no coding session {session_id}."})
    return session


def agreement_scope(
    *,
    user,
    role: Role,
    study: Study,
    session: str | int | None = None,
    unit: str | None = None,
    coders: list[str] | None = None,
    transcripts: list[str] | None = None,
) -> AgreementScope:
    """Check and complete a request for agreement figures.

    `coders` are usernames and `transcripts` ids; without them a session
    contributes all of its own, and without a session every coder and
    transcript with codings the user may see.
    """
    unit = parse_unit(unit)
    found = session_in_study(study=study, session_id=session) if session else None
    if found is not None:
        check_comparable(user=user, role=role, session=found)
    transcript_ids = _transcripts_in_scope(study=study, session=found, wanted=transcripts)
    if not transcript_ids:
        raise DomainError({"transcripts": "There is no transcript with text to compare."})
    people = _coders_in_scope(
        user=user, study=study, session=found, transcripts=transcript_ids, wanted=coders
    )
    return AgreementScope(
        study=study,
        session=found,
        unit=unit,
        coders=tuple(people),
        transcripts=tuple(transcript_ids),
    )


def _transcripts_in_scope(*, study, session, wanted) -> list[int]:
    available = (
        session.transcripts.all()
        if session is not None
        else Transcript.objects.filter(interview__study=study, interview__deleted_at__isnull=True)
    )
    ids = set(available.filter(current_revision__isnull=False).values_list("pk", flat=True))
    if not wanted:
        return sorted(ids)
    chosen = set()
    for value in wanted:
        if not str(value).isdigit() or int(value) not in ids:
            where = f"session '{session.name}'" if session else "this study"
            raise DomainError(
                {"transcripts": f"'{value}' is not a transcript with text in {where}."}
            )
        chosen.add(int(value))
    return sorted(chosen)


def _coders_in_scope(*, user, study, session, transcripts, wanted) -> list:
    users = get_user_model().objects.order_by("username")
    if session is not None:
        available = users.filter(coding_sessions=session)
    else:
        coder_ids = (
            codings_visible_to(user, _live_codings(study))
            .filter(revision__transcript__in=transcripts)
            .values("coder")
        )
        members = StudyMembership.objects.filter(study=study, removed_at__isnull=True)
        available = users.filter(pk__in=coder_ids, memberships__in=members)
    people = list(available.filter(username__in=wanted)) if wanted else list(available)
    if wanted:
        unknown = sorted(set(wanted) - {person.username for person in people})
        if unknown:
            where = f"session '{session.name}'" if session else "these transcripts"
            raise DomainError({"coders": f"Not a coder in {where}: {', '.join(unknown)}."})
    if len(people) < 2:
        raise DomainError(
            {"coders": f"Agreement needs at least two coders; this scope has {len(people)}."}
        )
    return people


def _live_codings(study: Study):
    """The study's codings, without deleted ones and calibration attempts."""
    return Coding.objects.filter(study=study, deleted_at__isnull=True).exclude(
        session__calibration_attempt__isnull=False
    )


# Texts and codes ------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A revision as agreement sees it: its length, its units and what is left out."""

    revision: int
    transcript: int
    label: str
    length: int
    units: tuple[Span, ...]  # turns or paragraphs counted as units
    excluded: tuple[Span, ...]  # interviewer turns left out of character units


def load_texts(
    *, revisions: Q, unit: Unit = Unit.CHARACTER, include_interviewer_turns: bool
) -> list[Text]:
    """The revisions matching `revisions`, labelled and cut into units (2 queries)."""
    fields = [
        "pk",
        "transcript_id",
        "length",
        "transcript__interview__participant__pseudonym",
        "transcript__interview__sequence_number",
    ]
    if unit == Unit.PARAGRAPH:
        fields.append("text")
    rows = list(
        TranscriptRevision.objects.filter(revisions)
        .annotate(length=Length("text"))
        .order_by(
            "transcript__interview__participant__pseudonym",
            "transcript__interview__sequence_number",
            "pk",
        )
        .values_list(*fields)
    )
    turns: dict[int, list[tuple[int, int, str]]] = {row[0]: [] for row in rows}
    for revision, start, end, role in (
        SpeakerTurn.objects.filter(revision__in=list(turns))
        .order_by("revision", "index")
        .values_list("revision", "start", "end", "role")
    ):
        turns[revision].append((start, end, role))
    texts = []
    for pk, transcript, length, pseudonym, number, *text in rows:
        spoken = turns[pk] or [(0, length, SpeakerRole.OTHER)]
        if not include_interviewer_turns:
            excluded = tuple((s, e) for s, e, role in spoken if role == SpeakerRole.INTERVIEWER)
            spoken = [turn for turn in spoken if turn[2] != SpeakerRole.INTERVIEWER]
        else:
            excluded = ()
        if unit == Unit.PARAGRAPH:
            units = tuple(p for start, end, _ in spoken for p in _paragraphs(text[0], start, end))
        else:
            units = tuple((start, end) for start, end, _ in spoken)
        texts.append(
            Text(
                revision=pk,
                transcript=transcript,
                label=f"{pseudonym}, interview {number}",
                length=length,
                units=units,
                excluded=excluded,
            )
        )
    return texts


def _paragraphs(text: str, start: int, end: int) -> list[Span]:
    """The paragraphs of text[start:end] (split at blank lines), as absolute spans."""
    found, position = [], start
    for gap in [*PARAGRAPH_BREAK.finditer(text, start, end), None]:
        stop = gap.start() if gap else end
        chunk = text[position:stop]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            found.append((position + lead, position + len(chunk.rstrip())))
        if gap:
            position = gap.end()
    return found


@dataclass(frozen=True)
class CodeInfo:
    pk: int
    name: str
    colour: str
    depth: int
    retired: bool


def codes_in_tree_order(*, study: Study, used: set[int] | None = None) -> list[CodeInfo]:
    """The study's codes, parents before children (1 query); only `used` ones if given."""
    rows = list(
        Code.objects.filter(study=study)
        .order_by("position", "name")
        .values_list("pk", "parent_id", "name", "colour", "retired_at")
    )
    children: dict[int | None, list] = {}
    for row in rows:
        children.setdefault(row[1], []).append(row)
    ordered, todo = [], [(row, 0) for row in reversed(children.get(None, []))]
    while todo:
        (pk, _, name, colour, retired_at), depth = todo.pop()
        if used is None or pk in used:
            ordered.append(CodeInfo(pk, name, colour, depth, retired_at is not None))
        todo.extend((child, depth + 1) for child in reversed(children.get(pk, [])))
    return ordered


def coded_texts(*, session: CodingSession | None, rows) -> set[tuple[int, int]]:
    """(transcript, coder) pairs that count as coded: any coding, or a done mark in the session."""
    coded = {(transcript, coder) for transcript, coder in rows}
    if session is not None:
        coded |= set(
            SessionProgress.objects.filter(session=session, done_at__isnull=False).values_list(
                "transcript", "coder"
            )
        )
    return coded
