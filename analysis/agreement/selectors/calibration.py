"""Reads for coder calibration: references, attempts, and a trainee's result.

A reference freezes one coder's codings (or a session's consensus) of one
transcript revision. A trainee codes the same revision blind in a session of
their own; once they submit, their codings are compared with the reference
exactly as two coders are (analysis.agreement_queries), and the passages they
missed, added or bounded differently are listed (analysis.agreement.passages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Prefetch, Q

from analysis.agreement.models import CalibrationAttempt, CalibrationReference
from analysis.agreement.selectors.disagreements import PassageView, build_passages
from analysis.agreement.selectors.reports import CodeAgreement
from analysis.agreement.selectors.scope import Unit, codes_in_tree_order, load_texts
from analysis.coding.models import Coding
from dyads.exceptions import Forbidden
from dyads.models import Role, Study

if TYPE_CHECKING:
    from analysis.agreement.tallies import Coefficients


class Marker(NamedTuple):
    """The reference or the trainee, in the place of a coder."""

    pk: int
    username: str


REFERENCE = Marker(0, "reference")


def check_result_visible(*, user, role: Role, attempt: CalibrationAttempt) -> None:
    """Owners and auditors see every result; a trainee sees theirs once submitted."""
    if role in (Role.OWNER, Role.AUDITOR):
        return
    if attempt.trainee_id != user.pk:
        raise Forbidden("Only the trainee, owners and auditors see a calibration result.")
    if attempt.submitted_at is None:
        raise Forbidden("Submit your attempt to see how it compares with the reference.")


@dataclass(frozen=True)
class CalibrationResult:
    attempt: CalibrationAttempt
    unit: Unit
    overall: Coefficients
    codes: list[CodeAgreement]
    missed: list[PassageView]  # the reference coded it, the trainee did not
    extra: list[PassageView]  # the trainee coded it, the reference did not
    bounded: list[PassageView]  # both coded it, with other boundaries


def calibration_result(*, attempt: CalibrationAttempt, unit: Unit = Unit.CHARACTER):
    """The trainee against the reference, per code and overall (5 queries)."""
    from analysis.agreement.measurement import measure_rows  # numpy: loaded when measured

    reference = attempt.reference
    study = reference.study
    texts = load_texts(
        revisions=Q(pk=reference.revision_id),
        unit=unit,
        include_interviewer_turns=study.include_interviewer_turns_in_agreement,
    )
    trainee = Marker(attempt.trainee_id, attempt.trainee.username)
    found = [
        (0, reference.revision_id, code, 0, start, end) for code, start, end in reference.spans
    ]
    found += [
        (pk, reference.revision_id, code, trainee.pk, start, end)
        for pk, code, start, end in Coding.objects.filter(
            session=attempt.session_id,
            revision=reference.revision_id,
            coder=trainee.pk,
            deleted_at__isnull=True,
        ).values_list("pk", "code", "start", "end")
    ]
    codes = codes_in_tree_order(study=study, used={row[2] for row in found})
    coders = [REFERENCE, trainee]
    coded = {(texts[0].transcript, coder.pk) for coder in coders}
    measurement = measure_rows(
        texts, [row[1:] for row in found], codes=codes, coders=coders, coded=coded, unit=unit
    )
    by_code = measurement.tallies.total(axis=0)
    passages = measurement.passages.sum(axis=0)
    views = build_passages(
        session=attempt.session_id,
        texts=texts,
        rows=found,
        coders=coders,
        coded=coded,
        codes={code.pk: code for code in codes},
        resolutions={},
        agenda={},
    )
    reference_only, trainee_only, bounded = [], [], []
    for view in views:
        theirs, mine = view.passage.versions
        if not mine:
            reference_only.append(view)
        elif not theirs:
            trainee_only.append(view)
        elif theirs != mine:
            bounded.append(view)
    return CalibrationResult(
        attempt=attempt,
        unit=unit,
        overall=measurement.tallies.total().coefficients(),
        codes=[
            CodeAgreement(code, by_code[n].coefficients(), int(passages[n]))
            for n, code in enumerate(codes)
        ],
        missed=reference_only,
        extra=trainee_only,
        bounded=bounded,
    )


def calibration_overview(*, user, role: Role, study: Study) -> list[CalibrationReference]:
    """The study's live references with their attempts: all of them for owners and
    auditors, the user's own for anyone else (2 queries)."""
    attempts = CalibrationAttempt.objects.select_related("trainee", "session").order_by(
        "-created_at"
    )
    if role not in (Role.OWNER, Role.AUDITOR):
        attempts = attempts.filter(trainee=user)
    return list(
        CalibrationReference.objects.filter(study=study, retired_at__isnull=True)
        .select_related(
            "revision__transcript__interview__participant", "session", "coder", "created_by"
        )
        .prefetch_related(Prefetch("attempts", queryset=attempts))
    )
