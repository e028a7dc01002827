"""Reads for inter-coder agreement: which codings to compare, and the coefficients.

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

import math
import re
from dataclasses import dataclass

import numpy as np
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, TextChoices
from django.db.models.functions import Length

from dyads.exceptions import DomainError, Forbidden
from dyads.models import Role, Study, StudyMembership
from interviews.models import SpeakerRole, SpeakerTurn, Transcript, TranscriptRevision

from .agreement import (
    BinaryTally,
    Coefficients,
    binary_tally,
    coverage_runs,
    turn_units,
)
from .models import (
    Code,
    Coding,
    CodingSession,
    SessionMode,
    SessionProgress,
    SessionState,
)
from .selectors import codings_visible_to
from .workspace import session_choices

Span = tuple[int, int]

# A code applied in fewer passages than this gets a note that its figures are fragile.
RARE_PASSAGES = 10
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


# Measuring --------------------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    """Tallies per (text, code) and how many passages each code has in each text."""

    tallies: BinaryTally
    passages: np.ndarray


def measure(
    texts: list[Text],
    rows: np.ndarray,
    *,
    codes: int,
    coders: int,
    missing: set[tuple[int, int]],
    unit: Unit,
) -> Measurement:
    """Tally every code of every text.

    `rows` are ``(text, code, coder, start, end)`` index rows; `missing` holds
    the (text, coder) index pairs of coders who did not code a text.
    """
    rows = rows[np.argsort(rows[:, 0], kind="stable")] if len(rows) else rows.reshape(0, 5)
    cuts = np.searchsorted(rows[:, 0], np.arange(len(texts) + 1))
    tallies, passages = [], []
    for number, text in enumerate(texts):
        spans = rows[cuts[number] : cuts[number + 1], 1:]
        if unit == Unit.CHARACTER:
            data, weights = coverage_runs(
                text.length, spans, codes=codes, coders=coders, excluded=text.excluded
            )
        else:
            data = np.empty((codes, coders, len(text.units)))
            for code in range(codes):
                mine = spans[spans[:, 0] == code]
                data[code] = turn_units(
                    text.units, [mine[mine[:, 1] == coder, 2:] for coder in range(coders)]
                )
            weights = None
        for coder in range(coders):
            if (number, coder) in missing:
                data[:, coder, :] = np.nan
        tallies.append(binary_tally(data, weights))
        passages.append(_passage_counts(spans, codes))
    return Measurement(
        tallies=BinaryTally.stack(tallies),
        passages=np.array(passages).reshape(len(texts), codes),
    )


def _passage_counts(spans: np.ndarray, codes: int) -> np.ndarray:
    """How many passages (overlapping or touching spans joined) each code has."""
    if not len(spans):
        return np.zeros(codes, dtype=np.int64)
    code, start, end = spans[:, 0], spans[:, 2], spans[:, 3]
    order = np.lexsort((start, code))
    offset = code[order] * (int(end.max()) + 1)  # codes never join across the offset
    begins, reach = start[order] + offset, np.maximum.accumulate(end[order] + offset)
    new = np.concatenate([[True], begins[1:] > reach[:-1]])
    return np.bincount(code[order][new], minlength=codes)


def note_for(coefficients: Coefficients, passages: int) -> str:
    """A warning to print beside a code's figures, or ''."""
    if math.isnan(coefficients.krippendorff_alpha):
        if not coefficients.units:
            return "Not computable: no unit was coded by two coders."
        return "Not computable: every unit has the same value, so there is nothing to agree on."
    if passages < RARE_PASSAGES:
        plural = "" if passages == 1 else "s"
        return (
            f"Rare code ({passages} passage{plural}): a single disagreement moves these "
            "figures a lot."
        )
    return ""


# The agreement report ---------------------------------------------------------------


@dataclass(frozen=True)
class CodeAgreement:
    code: CodeInfo
    coefficients: Coefficients
    passages: int

    @property
    def note(self) -> str:
        return note_for(self.coefficients, self.passages)


@dataclass(frozen=True)
class PairAgreement:
    first: str
    second: str
    coefficients: Coefficients


@dataclass(frozen=True)
class CodeCell:
    """One code in one transcript: a cell of the heat map."""

    code: CodeInfo
    krippendorff_alpha: float


@dataclass(frozen=True)
class TranscriptAgreement:
    text: Text
    coefficients: Coefficients
    cells: tuple[CodeCell, ...]  # per code, in the report's code order


@dataclass(frozen=True)
class AgreementReport:
    scope: AgreementScope
    overall: Coefficients
    codes: list[CodeAgreement]
    pairs: list[PairAgreement]
    transcripts: list[TranscriptAgreement]

    @property
    def coders(self) -> list[str]:
        return [coder.username for coder in self.scope.coders]

    def matrix(self) -> list[tuple[str, list[PairAgreement | None]]]:
        """Coder × coder rows: each pair's figures, None on the diagonal."""
        found = {}
        for pair in self.pairs:
            found[pair.first, pair.second] = found[pair.second, pair.first] = pair
        return [(a, [found.get((a, b)) for b in self.coders]) for a in self.coders]


def agreement_report(*, user, scope: AgreementScope) -> AgreementReport:
    """Percent agreement, Cohen's and Fleiss' kappa and Krippendorff's alpha:
    overall, per code, per coder pair and per transcript (6 queries at most)."""
    texts = load_texts(
        revisions=Q(transcript__in=scope.transcripts, transcript__current_revision=F("pk")),
        unit=scope.unit,
        include_interviewer_turns=scope.include_interviewer_turns,
    )
    coder_index = {coder.pk: number for number, coder in enumerate(scope.coders)}
    codings = _live_codings(scope.study).filter(
        revision__in=[text.revision for text in texts], coder__in=list(coder_index)
    )
    if scope.session is not None:
        codings = codings.filter(session=scope.session)
    else:
        codings = codings_visible_to(user, codings)
    found = list(codings.values_list("revision", "code", "coder", "start", "end"))
    codes = codes_in_tree_order(study=scope.study, used={row[1] for row in found})
    transcript_of = {text.revision: text.transcript for text in texts}
    coded = coded_texts(
        session=scope.session, rows={(transcript_of[row[0]], row[2]) for row in found}
    )
    measurement = measure_rows(
        texts, found, codes=codes, coders=list(scope.coders), coded=coded, unit=scope.unit
    )

    by_code = measurement.tallies.total(axis=0)
    overall = measurement.tallies.total()
    passages = measurement.passages.sum(axis=0)
    return AgreementReport(
        scope=scope,
        overall=overall.coefficients(),
        codes=[
            CodeAgreement(code, by_code[n].coefficients(), int(passages[n]))
            for n, code in enumerate(codes)
        ],
        pairs=[
            PairAgreement(a.username, b.username, overall.pair_coefficients(i, j))
            for i, a in enumerate(scope.coders)
            for j, b in enumerate(scope.coders)
            if i < j
        ],
        transcripts=[
            TranscriptAgreement(
                text,
                measurement.tallies[t].total().coefficients(),
                tuple(CodeCell(code, float(alpha)) for code, alpha in zip(codes, row, strict=True)),
            )
            for t, (text, row) in enumerate(
                zip(texts, measurement.tallies.krippendorff_alphas(), strict=True)
            )
        ],
    )


def measure_rows(
    texts: list[Text],
    found: list[tuple[int, int, int, int, int]],
    *,
    codes: list[CodeInfo],
    coders: list,
    coded: set[tuple[int, int]],
    unit: Unit,
) -> Measurement:
    """Measure loaded ``(revision, code id, coder id, start, end)`` rows.

    `coded` holds the (transcript, coder id) pairs that count as coded (see
    :func:`coded_texts`); other coders are missing in that transcript.
    """
    rows = np.array(found, dtype=np.int64).reshape(-1, 5)
    for column, keys in enumerate(
        [[text.revision for text in texts], [code.pk for code in codes], [c.pk for c in coders]]
    ):
        rows[:, column] = _indexes(rows[:, column], keys)
    coder_index = {coder.pk: n for n, coder in enumerate(coders)}
    missing = {
        (n, coder_index[coder.pk])
        for n, text in enumerate(texts)
        for coder in coders
        if (text.transcript, coder.pk) not in coded
    }
    return measure(texts, rows, codes=len(codes), coders=len(coders), missing=missing, unit=unit)


def _indexes(ids: np.ndarray, keys: list[int]) -> np.ndarray:
    """The position of each id in `keys` (every id is one of them)."""
    order = np.argsort(keys)
    return order[np.searchsorted(np.asarray(keys)[order], ids)]


# Drift across rounds ----------------------------------------------------------------


@dataclass(frozen=True)
class DriftPoint:
    session: CodingSession
    overall: Coefficients
    alphas: dict[int, float]  # Krippendorff's alpha by code id


@dataclass(frozen=True)
class Drift:
    unit: Unit
    codes: list[CodeInfo]
    points: list[DriftPoint]


def agreement_drift(*, study: Study, unit: Unit = Unit.CHARACTER) -> Drift:
    """Agreement of every closed coding session with two or more coders (its rounds),
    oldest first, so that drift between rounds shows (8 queries).

    Computed from the codings as they are now, like every figure here: a coding
    deleted after a session closed changes that session's point.
    """
    users = get_user_model().objects.order_by("username")
    sessions = [
        session
        for session in CodingSession.objects.filter(
            study=study, state=SessionState.CLOSED, calibration_attempt__isnull=True
        )
        .order_by("created_at", "pk")
        .prefetch_related(Prefetch("coders", queryset=users), "transcripts")
        if len(session.coders.all()) >= 2
    ]
    transcripts = {t.pk for session in sessions for t in session.transcripts.all()}
    texts = load_texts(
        revisions=Q(transcript__in=transcripts, transcript__current_revision=F("pk")),
        unit=unit,
        include_interviewer_turns=study.include_interviewer_turns_in_agreement,
    )
    rows = list(
        Coding.objects.filter(
            session__in=sessions,
            revision__in=[text.revision for text in texts],
            deleted_at__isnull=True,
        ).values_list("session", "revision", "code", "coder", "start", "end")
    )
    done = set(
        SessionProgress.objects.filter(session__in=sessions, done_at__isnull=False).values_list(
            "session", "transcript", "coder"
        )
    )
    codes = codes_in_tree_order(study=study, used={row[2] for row in rows})
    transcript_of = {text.revision: text.transcript for text in texts}
    points = []
    for session in sessions:
        coders = list(session.coders.all())
        coder_ids = {coder.pk for coder in coders}
        mine = {t.pk for t in session.transcripts.all()}
        found = [row[1:] for row in rows if row[0] == session.pk and row[3] in coder_ids]
        coded = {(transcript_of[row[0]], row[2]) for row in found}
        coded |= {(t, coder) for s, t, coder in done if s == session.pk}
        measurement = measure_rows(
            [text for text in texts if text.transcript in mine],
            found,
            codes=codes,
            coders=coders,
            coded=coded,
            unit=unit,
        )
        by_code = measurement.tallies.total(axis=0)
        points.append(
            DriftPoint(
                session=session,
                overall=measurement.tallies.total().coefficients(),
                alphas={
                    code.pk: by_code[n].coefficients().krippendorff_alpha
                    for n, code in enumerate(codes)
                },
            )
        )
    return Drift(unit=unit, codes=codes, points=points)


# The page's choices ---------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementChoices:
    sessions: list[CodingSession]
    coders: list
    transcripts: list[tuple[int, str]]


def agreement_choices(*, study: Study) -> AgreementChoices:
    """What the agreement page offers to choose from (3 queries)."""
    coders, transcripts = session_choices(study=study)
    return AgreementChoices(
        sessions=list(
            CodingSession.objects.filter(study=study, calibration_attempt__isnull=True)
            .annotate(coder_count=Count("coders"))
            .order_by("created_at", "pk")
        ),
        coders=list(coders),
        transcripts=[(transcript.pk, str(transcript.interview)) for transcript in transcripts],
    )
