"""The agreement coefficients of a scope (see `scope`): per code, per coder pair and per
transcript, their drift across rounds, and the choices the agreement page offers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q

from analysis.agreement.selectors.recorded import session_codings, sessions_codings
from analysis.agreement.selectors.scope import (
    AgreementScope,
    CodeInfo,
    Text,
    Unit,
    _live_codings,
    coded_texts,
    codes_in_tree_order,
    load_texts,
)
from analysis.coding.models import (
    CodingSession,
    SessionProgress,
    SessionState,
)
from analysis.coding.selectors.codings import codings_visible_to
from analysis.coding.selectors.workspace import session_choices
from dyads.models import Study

if TYPE_CHECKING:
    from analysis.agreement.tallies import Coefficients

# A code applied in fewer passages than this gets a note that its figures are fragile.
RARE_PASSAGES = 10


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


def agreement_report(*, user, scope: AgreementScope, live: bool = False) -> AgreementReport:
    """Percent agreement, Cohen's and Fleiss' kappa and Krippendorff's alpha:
    overall, per code, per coder pair and per transcript (6 queries at most).

    A closed session's figures are those of its codings as they stood at the close
    (``analysis.agreement.selectors.recorded``); ``live=True`` computes them from the
    codings as they are now.
    """
    from analysis.agreement.measurement import measure_rows  # numpy: loaded when measured

    coder_index = {coder.pk: number for number, coder in enumerate(scope.coders)}
    if scope.session is not None:
        pinned = session_codings(scope.session, live=live)
        revisions = Q(
            pk__in=[pinned.revisions[t] for t in scope.transcripts if t in pinned.revisions]
        )
    else:
        revisions = Q(transcript__in=scope.transcripts, transcript__current_revision=F("pk"))
    texts = load_texts(
        revisions=revisions,
        unit=scope.unit,
        include_interviewer_turns=scope.include_interviewer_turns,
    )
    if scope.session is not None:
        chosen = {text.revision for text in texts}
        found = [row[1:] for row in pinned.rows if row[1] in chosen and row[3] in coder_index]
    else:
        codings = _live_codings(scope.study).filter(
            revision__in=[text.revision for text in texts], coder__in=list(coder_index)
        )
        found = list(
            codings_visible_to(user, codings).values_list(
                "revision", "code", "coder", "start", "end"
            )
        )
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

    Each round's figures are those recorded at its close (its snapshot), whatever
    was merged, split or corrected since.
    """
    from analysis.agreement.measurement import measure_rows  # numpy: loaded when measured

    users = get_user_model().objects.order_by("username")
    sessions = [
        session
        for session in CodingSession.objects.filter(
            study=study, state=SessionState.CLOSED, calibration_attempt__isnull=True
        )
        .order_by("created_at", "pk")
        .prefetch_related(Prefetch("coders", queryset=users))
        if len(session.coders.all()) >= 2
    ]
    pinned = sessions_codings(sessions)
    texts = load_texts(
        revisions=Q(pk__in={r for found in pinned.values() for r in found.revisions.values()}),
        unit=unit,
        include_interviewer_turns=study.include_interviewer_turns_in_agreement,
    )
    done = set(
        SessionProgress.objects.filter(session__in=sessions, done_at__isnull=False).values_list(
            "session", "transcript", "coder"
        )
    )
    codes = codes_in_tree_order(
        study=study, used={row[2] for found in pinned.values() for row in found.rows}
    )
    transcript_of = {text.revision: text.transcript for text in texts}
    points = []
    for session in sessions:
        coders = list(session.coders.all())
        coder_ids = {coder.pk for coder in coders}
        mine = set(pinned[session.pk].revisions.values())
        found = [row[1:] for row in pinned[session.pk].rows if row[3] in coder_ids]
        coded = {(transcript_of[row[0]], row[2]) for row in found}
        coded |= {(t, coder) for s, t, coder in done if s == session.pk}
        measurement = measure_rows(
            [text for text in texts if text.revision in mine],
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
