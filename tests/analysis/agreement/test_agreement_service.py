"""Agreement from the database to the figures: a hand-made session whose unit
matrices are built cell by cell in the test and scored by the krippendorff
package and scikit-learn, plus values worked out by hand."""

import math

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from analysis.agreement.selectors.reports import agreement_drift, agreement_report
from analysis.agreement.selectors.scope import agreement_scope
from analysis.coding.models import Coding, SessionProgress, SessionState
from analysis.coding.services.sessions import coding_session_close
from dyads.exceptions import DomainError, Forbidden
from dyads.models import Role
from tests import factories
from tests.analysis.agreement_setup import double_coded, turn_matrix, unit_matrix


@pytest.fixture
def setup(cast):
    return double_coded(cast)


def report_for(setup, user=None, role=Role.OWNER, **options):
    user = user or setup.study.memberships.get(role=Role.OWNER).user
    scope = agreement_scope(
        user=user, role=role, study=setup.study, session=setup.session.pk, **options
    )
    return agreement_report(user=user, scope=scope)


def independent(data: np.ndarray) -> dict:
    """The four figures of 2 coders × units (NaN = left out), from other implementations."""
    complete = data[:, ~np.isnan(data).any(axis=0)]
    first, second = complete
    counts = np.stack([(complete == 0).sum(axis=0), (complete == 1).sum(axis=0)], axis=1)
    raters, subjects = 2, counts.shape[0]
    agreement = ((counts**2).sum(axis=1) - raters) / (raters * (raters - 1))
    shares = counts.sum(axis=0) / (subjects * raters)
    chance = (shares**2).sum()
    return {
        "krippendorff_alpha": krippendorff.alpha(data, level_of_measurement="nominal"),
        "cohen_kappa": cohen_kappa_score(first, second),
        "fleiss_kappa": (agreement.mean() - chance) / (1 - chance),
        "percent_agreement": float((first == second).mean()),
        "units": float(complete.shape[1]),
    }


def assert_matches(coefficients, expected: dict) -> None:
    for name, value in expected.items():
        assert getattr(coefficients, name) == pytest.approx(value, abs=1e-12), name


@pytest.mark.parametrize("interviewer", [False, True])
def test_character_figures_per_code_match_the_krippendorff_package_and_scikit_learn(
    setup, interviewer
):
    setup.study.include_interviewer_turns_in_agreement = interviewer
    setup.study.save()

    report = report_for(setup, unit="character")

    assert [row.code.name for row in report.codes] == ["A", "B"]
    for row in report.codes:
        assert_matches(
            row.coefficients,
            independent(unit_matrix(setup.revision, row.code.name, interviewer=interviewer)),
        )


@pytest.mark.parametrize("interviewer", [False, True])
def test_character_figures_overall_pool_every_code_and_unit(setup, interviewer):
    setup.study.include_interviewer_turns_in_agreement = interviewer
    setup.study.save()

    report = report_for(setup, unit="character")

    pooled = np.concatenate(
        [unit_matrix(setup.revision, code, interviewer=interviewer) for code in "AB"], axis=1
    )
    assert_matches(report.overall, independent(pooled))
    assert_matches(report.pairs[0].coefficients, independent(pooled))


def test_interviewer_turns_are_left_out_of_the_character_units_by_default(setup):
    left_out = report_for(setup, unit="character")
    setup.study.include_interviewer_turns_in_agreement = True
    setup.study.save()
    included = report_for(setup, unit="character")

    # 184 code points, 63 + 15 of them in interviewer turns; two codes.
    assert left_out.overall.units == 2 * (184 - 63 - 15)
    assert included.overall.units == 2 * 184
    assert included.codes[0].coefficients.krippendorff_alpha != pytest.approx(
        left_out.codes[0].coefficients.krippendorff_alpha
    )


def test_turn_figures_match_the_values_worked_out_by_hand(setup):
    report = report_for(setup, unit="turn")
    a, b = report.codes

    # Code A: both coded the first client turn and not the second: perfect agreement.
    assert a.coefficients.krippendorff_alpha == 1.0
    assert a.coefficients.cohen_kappa == 1.0
    # Code B: [0, 1] against [1, 1]: o01 = o10 = 1, o11 = 2, n = 4, so
    # alpha = 1 - 3 * 2 / (16 - 1 - 9) = 0; kappa = (.5 - .5) / (1 - .5) = 0.
    assert b.coefficients.krippendorff_alpha == pytest.approx(0.0, abs=1e-12)
    assert b.coefficients.cohen_kappa == pytest.approx(0.0, abs=1e-12)
    assert b.coefficients.percent_agreement == 0.5
    # Pooled: o00 = 2, o11 = 4, o01 = o10 = 1, n = 8: alpha = 1 - 7 * 2 / 30 = 8 / 15;
    # kappa of [1, 0, 0, 1] against [1, 0, 1, 1] = (.75 - .5) / .5 = .5.
    assert report.overall.krippendorff_alpha == pytest.approx(8 / 15, abs=1e-12)
    assert report.overall.cohen_kappa == pytest.approx(0.5, abs=1e-12)
    assert report.overall.percent_agreement == 0.75
    assert report.overall.units == 4


@pytest.mark.parametrize("interviewer", [False, True])
def test_turn_figures_match_the_krippendorff_package_and_scikit_learn(setup, interviewer):
    setup.study.include_interviewer_turns_in_agreement = interviewer
    setup.study.save()

    report = report_for(setup, unit="turn")

    for row in report.codes:
        assert_matches(
            row.coefficients,
            independent(turn_matrix(setup.revision, row.code.name, interviewer=interviewer)),
        )


def test_a_paragraph_is_a_unit_of_its_own_within_a_turn(cast):
    setup = double_coded(cast)
    text = "I: What happened?\n\nC: The first thing.\n\nThen the second thing."
    revision = factories.revision_for(cast.therapist_interview, text=text)
    setup.session.transcripts.add(revision.transcript)
    first_paragraph, second_paragraph = (text.index("The first"), text.index("Then"))
    factories.CodingFactory(
        revision=revision,
        code=setup.a,
        coder=setup.first,
        session=setup.session,
        start=first_paragraph,
        end=first_paragraph + 5,
    )
    factories.CodingFactory(
        revision=revision,
        code=setup.a,
        coder=setup.second,
        session=setup.session,
        start=second_paragraph,
        end=second_paragraph + 5,
    )

    by_turn = report_for(setup, unit="turn", transcripts=[str(revision.transcript_id)])
    by_paragraph = report_for(setup, unit="paragraph", transcripts=[str(revision.transcript_id)])

    assert by_turn.codes[0].coefficients.percent_agreement == 1.0
    assert by_turn.codes[0].coefficients.units == 1
    assert by_paragraph.codes[0].coefficients.percent_agreement == 0.0
    assert by_paragraph.codes[0].coefficients.units == 2


def test_a_coder_who_did_not_code_a_transcript_is_missing_there_not_absent(cast):
    setup = double_coded(cast)
    before = report_for(setup).overall
    other = factories.revision_for(cast.therapist_interview)
    setup.session.transcripts.add(other.transcript)
    factories.CodingFactory(
        revision=other, code=setup.a, coder=setup.first, session=setup.session, start=70, end=90
    )

    after = report_for(setup).overall

    assert after.units == before.units
    assert after.krippendorff_alpha == pytest.approx(before.krippendorff_alpha)


def test_a_transcript_marked_done_without_codings_counts_as_coded_with_nothing(cast):
    setup = double_coded(cast)
    other = factories.revision_for(cast.therapist_interview)
    setup.session.transcripts.add(other.transcript)
    factories.CodingFactory(
        revision=other, code=setup.a, coder=setup.first, session=setup.session, start=70, end=90
    )
    before = report_for(setup).overall
    SessionProgress.objects.create(
        session=setup.session,
        transcript=other.transcript,
        coder=setup.second,
        done_at="2026-04-01T10:00Z",
    )

    after = report_for(setup).overall

    assert after.units == before.units + 2 * (184 - 63 - 15)
    assert after.krippendorff_alpha < before.krippendorff_alpha


def test_a_rare_code_gets_a_note(setup):
    report = report_for(setup)

    assert report.codes[0].passages == 2
    assert report.codes[0].note.startswith("Rare code (2 passages)")


def test_a_code_every_coder_gave_every_unit_is_not_computable_and_says_why(setup):
    everywhere = factories.CodeFactory(study=setup.study, name="C")
    for coder in setup.coders:
        factories.CodingFactory(
            revision=setup.revision,
            code=everywhere,
            coder=coder,
            session=setup.session,
            start=0,
            end=184,
        )

    row = report_for(setup, unit="turn").codes[-1]

    assert row.code.name == "C"
    assert math.isnan(row.coefficients.krippendorff_alpha)
    assert row.coefficients.percent_agreement == 1.0
    assert row.note.startswith("Not computable: every unit has the same value")


def test_a_session_without_codings_has_undefined_figures_not_an_error(cast):
    setup = double_coded(cast)
    Coding.objects.all().delete()

    report = report_for(setup)

    assert report.codes == []
    assert math.isnan(report.overall.krippendorff_alpha)
    assert report.overall.units == 0


def test_each_transcript_has_its_figures_and_a_cell_per_code(setup):
    report = report_for(setup)

    (row,) = report.transcripts
    assert row.text.transcript == setup.revision.transcript_id
    assert row.coefficients == report.overall
    assert [cell.code.name for cell in row.cells] == ["A", "B"]
    assert row.cells[1].krippendorff_alpha == report.codes[1].coefficients.krippendorff_alpha


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"unit": "word"}, "unit"),
        ({"coders": ["analyst", "nobody"]}, "coders"),
        ({"coders": ["analyst"]}, "coders"),
        ({"transcripts": ["999999"]}, "transcripts"),
        ({"transcripts": ["abc"]}, "transcripts"),
    ],
)
def test_a_bad_scope_is_refused_naming_the_field(setup, options, field):
    with pytest.raises(DomainError) as refused:
        report_for(setup, **options)
    assert field in refused.value.detail


def test_a_session_of_another_study_is_refused(cast, setup):
    other = factories.CodingSessionFactory(study=cast.other_study)
    with pytest.raises(DomainError) as refused:
        agreement_scope(user=cast.owner, role=Role.OWNER, study=cast.study, session=other.pk)
    assert "session" in refused.value.detail


@pytest.mark.parametrize(
    ("who", "role", "allowed"),
    [
        ("owner", Role.OWNER, True),
        ("auditor", Role.AUDITOR, True),
        ("analyst", Role.ANALYST, False),  # codes in it
        ("analyst3", Role.ANALYST, False),  # does not
    ],
)
def test_an_open_blind_session_is_compared_only_by_supervisors_who_do_not_code_in_it(
    cast, who, role, allowed
):
    setup = double_coded(cast, state=SessionState.OPEN)
    user = (
        factories.MembershipFactory(study=cast.study, role=role).user
        if who == "analyst3"
        else cast.user(who)
    )
    if allowed:
        assert report_for(setup, user=user, role=role).overall.units > 0
    else:
        with pytest.raises(Forbidden, match="blind and still open"):
            report_for(setup, user=user, role=role)


def test_an_owner_who_codes_in_an_open_blind_session_may_not_compare_it(cast):
    setup = double_coded(cast, state=SessionState.OPEN)
    setup.session.coders.add(cast.owner)
    with pytest.raises(Forbidden):
        report_for(setup, user=cast.owner, role=Role.OWNER)


def test_without_a_session_an_analyst_sees_no_one_elses_open_blind_codings(cast):
    setup = double_coded(cast, state=SessionState.OPEN)

    with pytest.raises(DomainError, match="at least two coders"):
        agreement_scope(user=setup.first, role=Role.ANALYST, study=cast.study)
    scope = agreement_scope(user=cast.owner, role=Role.OWNER, study=cast.study)
    assert [coder.username for coder in scope.coders] == ["analyst", "analyst2"]


def test_the_report_runs_a_fixed_number_of_queries_however_many_transcripts(
    cast, django_assert_max_num_queries
):
    setup = double_coded(cast, state=SessionState.OPEN)
    for number in range(2, 7):
        interview = factories.InterviewFactory(participant=cast.dyad.client, sequence_number=number)
        revision = factories.revision_for(interview)
        setup.session.transcripts.add(revision.transcript)
        for coder in setup.coders:
            factories.CodingFactory(
                revision=revision,
                code=setup.b,
                coder=coder,
                session=setup.session,
                start=70,
                end=90 + number,
            )
    coding_session_close(actor=cast.owner, session=setup.session)  # reads the snapshot
    scope = agreement_scope(
        user=cast.owner, role=Role.OWNER, study=cast.study, session=setup.session.pk
    )

    with django_assert_max_num_queries(6):
        report = agreement_report(user=cast.owner, scope=scope)

    assert len(report.transcripts) == 6


def test_drift_has_a_point_per_closed_round_equal_to_its_report(cast):
    setup = double_coded(cast)
    factories.CodingSessionFactory(study=cast.study, created_by=cast.owner)  # open: no point

    drift = agreement_drift(study=cast.study)

    (point,) = drift.points
    assert point.session == setup.session
    report = report_for(setup)
    assert point.overall == report.overall
    assert point.alphas == {
        row.code.pk: row.coefficients.krippendorff_alpha for row in report.codes
    }
