"""Coder calibration: an owner marks a coded transcript as the reference, a new
coder codes a copy blind, submits, and is scored per code against the reference,
with the passages they missed."""

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from analysis.agreement.models import CalibrationAttempt, CalibrationReference
from analysis.agreement.selectors.calibration import calibration_result, check_result_visible
from analysis.agreement.services.calibration import (
    calibration_attempt_start,
    calibration_attempt_submit,
    calibration_reference_create,
)
from analysis.coding.models import Coding, CodingSession, SessionMode, SessionState
from analysis.coding.selectors.codings import codings_visible_to
from dyads.exceptions import DomainError, Forbidden
from dyads.models import AuditEvent, Role
from interviews.models import SpeakerRole
from tests import factories
from tests.analysis.agreement_setup import double_coded, second_analyst, settle_every_disagreement


@pytest.fixture
def setup(cast):
    return double_coded(cast)


@pytest.fixture
def trainee(cast):
    return second_analyst(cast, "trainee")


def mark(setup, cast, **options):
    options.setdefault("name", "Client interview, first coder")
    options.setdefault("session", setup.session)
    options.setdefault("transcript", setup.revision.transcript)
    options.setdefault("coder", setup.first)
    return calibration_reference_create(actor=cast.owner, study=cast.study, **options)


def test_an_owner_marks_a_coders_codings_as_the_reference_frozen_as_they_are(setup, cast):
    reference = mark(setup, cast)
    Coding.objects.filter(coder=setup.first).update(start=0)

    reference.refresh_from_db()
    assert reference.revision == setup.revision
    assert reference.spans == [[setup.a.pk, 5, 30], [setup.a.pk, 68, 100], [setup.b.pk, 153, 180]]
    assert AuditEvent.objects.filter(action="calibration.reference_create").count() == 1


def test_the_consensus_is_a_reference_once_every_disagreement_is_settled(setup, cast):
    with pytest.raises(DomainError, match="3 disagreement") as refused:
        mark(setup, cast, coder=None)
    assert "coder" in refused.value.detail

    settle_every_disagreement(setup, cast.owner)
    reference = mark(setup, cast, coder=None)

    assert reference.coder is None
    assert reference.spans == [
        [setup.a.pk, 5, 30],
        [setup.a.pk, 68, 110],
        [setup.b.pk, 80, 95],
        [setup.b.pk, 153, 180],
    ]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"name": " "}, "name"),
        ({"coder": "owner"}, "coder"),
        ({"coder": "stranger"}, "coder"),
        ({"transcript": "other"}, "transcript"),
        ({"session": "open"}, "session"),
    ],
)
def test_a_bad_reference_is_refused_naming_the_field_and_nothing_is_written(
    setup, cast, options, field
):
    if options.get("coder") == "owner":
        options["coder"] = cast.owner
    if options.get("coder") == "stranger":  # a coder of the session who coded nothing here
        options["coder"] = second_analyst(cast, "stranger")
        setup.session.coders.add(options["coder"])
    if options.get("transcript") == "other":
        options["transcript"] = factories.revision_for(cast.therapist_interview).transcript
    if options.get("session") == "open":
        options["session"] = double_coded_open = factories.CodingSessionFactory(
            study=cast.study, created_by=cast.owner
        )
        double_coded_open.transcripts.set([setup.revision.transcript])
    events = AuditEvent.objects.count()

    with pytest.raises(DomainError) as refused:
        mark(setup, cast, **options)

    assert field in refused.value.detail
    assert not CalibrationReference.objects.exists()
    assert AuditEvent.objects.count() == events


def test_two_live_references_cannot_share_a_name(setup, cast):
    mark(setup, cast)
    with pytest.raises(DomainError):
        mark(setup, cast, coder=setup.second)
    assert CalibrationReference.objects.count() == 1


def test_only_an_owner_marks_references_and_starts_attempts(setup, cast, trainee):
    with pytest.raises(Forbidden):
        calibration_reference_create(
            actor=setup.first,
            study=cast.study,
            name="Mine",
            session=setup.session,
            transcript=setup.revision.transcript,
            coder=setup.first,
        )
    reference = mark(setup, cast)
    with pytest.raises(Forbidden):
        calibration_attempt_start(actor=setup.first, reference=reference, trainee=trainee)


def test_an_attempt_is_a_blind_session_of_the_trainee_alone_on_the_reference_transcript(
    setup, cast, trainee
):
    attempt = calibration_attempt_start(
        actor=cast.owner, reference=mark(setup, cast), trainee=trainee
    )

    session = attempt.session
    assert session.mode == SessionMode.BLIND
    assert session.state == SessionState.OPEN
    assert list(session.coders.all()) == [trainee]
    assert list(session.transcripts.all()) == [setup.revision.transcript]
    assert AuditEvent.objects.filter(action="calibration.attempt_start").count() == 1


@pytest.mark.parametrize("problem", ["coded it", "not an analyst", "already trying", "corrected"])
def test_a_bad_attempt_is_refused_and_nothing_is_written(setup, cast, trainee, problem):
    reference = mark(setup, cast)
    who = trainee
    if problem == "coded it":
        who = setup.second
    if problem == "not an analyst":
        who = cast.auditor
    if problem == "already trying":
        calibration_attempt_start(actor=cast.owner, reference=reference, trainee=trainee)
    if problem == "corrected":
        newer = factories.RevisionFactory(
            transcript=setup.revision.transcript, number=2, checksum="f" * 64
        )
        assert newer.transcript.current_revision == newer
    sessions, attempts = CodingSession.objects.count(), CalibrationAttempt.objects.count()

    with pytest.raises(DomainError) as refused:
        calibration_attempt_start(actor=cast.owner, reference=reference, trainee=who)

    assert set(refused.value.detail) <= {"trainee", "reference"}
    assert (CodingSession.objects.count(), CalibrationAttempt.objects.count()) == (
        sessions,
        attempts,
    )


def test_a_trainee_sees_no_one_elses_codings_of_the_transcript_until_submitting(
    setup, cast, trainee
):
    attempt = calibration_attempt_start(
        actor=cast.owner, reference=mark(setup, cast), trainee=trainee
    )
    mine = factories.CodingFactory(
        revision=setup.revision,
        code=setup.a,
        coder=trainee,
        session=attempt.session,
        start=5,
        end=9,
    )
    on_the_transcript = Coding.objects.filter(revision=setup.revision)

    assert list(codings_visible_to(trainee, on_the_transcript)) == [mine]
    calibration_attempt_submit(actor=trainee, attempt=attempt)
    assert codings_visible_to(trainee, on_the_transcript).count() == 7


def test_submitting_closes_the_attempts_session_once(setup, cast, trainee):
    attempt = calibration_attempt_start(
        actor=cast.owner, reference=mark(setup, cast), trainee=trainee
    )

    with pytest.raises(Forbidden):
        calibration_attempt_submit(actor=setup.first, attempt=attempt)
    calibration_attempt_submit(actor=trainee, attempt=attempt)

    attempt.refresh_from_db()
    assert attempt.submitted_at is not None
    assert attempt.session.state == SessionState.CLOSED
    assert AuditEvent.objects.filter(action="calibration.attempt_submit").count() == 1
    with pytest.raises(DomainError, match="already been submitted"):
        calibration_attempt_submit(actor=cast.owner, attempt=attempt)


TRAINEE_SPANS = {"A": [(70, 100)], "B": [(153, 180), (0, 4)]}
REFERENCE_SPANS = {"A": [(5, 30), (68, 100)], "B": [(153, 180)]}


@pytest.fixture
def attempt(setup, cast, trainee):
    attempt = calibration_attempt_start(
        actor=cast.owner, reference=mark(setup, cast), trainee=trainee
    )
    for code, spans in TRAINEE_SPANS.items():
        for start, end in spans:
            factories.CodingFactory(
                revision=setup.revision,
                code=setup.code(code),
                coder=trainee,
                session=attempt.session,
                start=start,
                end=end,
            )
    return calibration_attempt_submit(actor=trainee, attempt=attempt)


def matrix(setup, code: str) -> np.ndarray:
    data = np.zeros((2, 184))
    for row, spans in enumerate([REFERENCE_SPANS[code], TRAINEE_SPANS[code]]):
        for start, end in spans:
            data[row, start:end] = 1
    for turn in setup.revision.turns.filter(role=SpeakerRole.INTERVIEWER):
        data[:, turn.start : turn.end] = np.nan
    return data


def test_the_result_scores_each_code_against_the_reference(setup, attempt):
    result = calibration_result(attempt=attempt)

    for row in result.codes:
        data = matrix(setup, row.code.name)
        kept = data[:, ~np.isnan(data[0])]
        assert row.coefficients.krippendorff_alpha == pytest.approx(
            krippendorff.alpha(data, level_of_measurement="nominal"), abs=1e-12
        )
        assert row.coefficients.cohen_kappa == pytest.approx(
            cohen_kappa_score(kept[0], kept[1]), abs=1e-12
        )


def test_the_result_lists_missed_added_and_differently_bounded_passages(setup, attempt):
    result = calibration_result(attempt=attempt)

    assert [(v.code.name, v.start, v.end) for v in result.missed] == [("A", 5, 30)]
    assert [(v.code.name, v.start, v.end) for v in result.extra] == [("B", 0, 4)]
    assert [(v.code.name, v.start, v.end) for v in result.bounded] == [("A", 68, 100)]


@pytest.mark.parametrize(
    ("who", "submitted", "visible"),
    [
        ("trainee", False, False),
        ("trainee", True, True),
        ("analyst", True, False),
        ("auditor", False, True),
        ("owner", False, True),
    ],
)
def test_a_result_is_seen_by_its_trainee_once_submitted_and_by_supervisors(
    setup, cast, trainee, who, submitted, visible
):
    attempt = calibration_attempt_start(
        actor=cast.owner, reference=mark(setup, cast), trainee=trainee
    )
    if submitted:
        attempt = calibration_attempt_submit(actor=trainee, attempt=attempt)
    user = trainee if who == "trainee" else cast.user(who)
    role = Role.ANALYST if who in ("trainee", "analyst") else Role(who)

    if visible:
        check_result_visible(user=user, role=role, attempt=attempt)
    else:
        with pytest.raises(Forbidden):
            check_result_visible(user=user, role=role, attempt=attempt)
