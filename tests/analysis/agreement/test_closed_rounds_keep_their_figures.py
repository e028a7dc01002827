"""A closed session's agreement, disagreements and resolutions are those recorded at its
close: merges and corrected transcripts since change what the page shows beside them
("recomputed figures after …"), never the recorded figures; reopening discards them and
closing again records them anew."""

import math

import pytest
from django.urls import reverse

from analysis.agreement.models import Resolution, ResolutionKind
from analysis.agreement.selectors.disagreements import PassageState, session_passages
from analysis.agreement.selectors.recomputed import recomputed_figures
from analysis.agreement.selectors.reports import agreement_drift, agreement_report
from analysis.agreement.selectors.scope import agreement_scope
from analysis.agreement.services.adjudication import disagreement_resolve
from analysis.coding.models import Coding, CodingSession, SessionSnapshot, SessionState
from analysis.coding.services.codebook import code_merge
from analysis.coding.services.sessions import coding_session_close, coding_session_reopen
from dyads.exceptions import DomainError, Forbidden
from dyads.models import AuditEvent, Role
from tests import factories
from tests.analysis.agreement_setup import double_coded
from tests.analysis.audit_setup import signed_in


@pytest.fixture
def closed(cast):
    """The double-coded session, closed through the service, one disagreement resolved."""
    setup = double_coded(cast, state=SessionState.OPEN)
    coding_session_close(actor=cast.owner, session=setup.session)
    disagreement_resolve(
        actor=cast.owner,
        session=setup.session,
        revision=setup.revision,
        code=setup.a,
        start=68,
        end=110,
        kind=ResolutionKind.BOTH,
        reason="Settled in the meeting.",
    )
    return setup


def figures(cast, session: CodingSession) -> dict:
    session = CodingSession.objects.get(pk=session.pk)
    scope = agreement_scope(user=cast.owner, role=Role.OWNER, study=cast.study, session=session.pk)
    report = agreement_report(user=cast.owner, scope=scope)
    found = session_passages(session=session)
    point = next(p for p in agreement_drift(study=cast.study).points if p.session == session)
    return {
        "alpha": report.overall.krippendorff_alpha,
        "cohen": report.overall.cohen_kappa,
        "per_code": {row.code.name: row.coefficients.krippendorff_alpha for row in report.codes},
        "disagreements": len(found.disagreements),
        "resolved": sorted(
            (view.code.name, view.start, view.end)
            for view in found.disagreements
            if view.state == PassageState.RESOLVED
        ),
        "outdated": len(found.outdated),
        "drift": point.overall.krippendorff_alpha,
    }


def same(first: dict, second: dict) -> bool:
    def equal(a, b):
        if isinstance(a, float):
            return (math.isnan(a) and math.isnan(b)) or a == b
        if isinstance(a, dict):
            return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
        return a == b

    return equal(first, second)


def corrected(setup):
    """A new revision of the transcript, the session's codings moved onto it in place
    (what re-anchoring does), one of them landing a little wider."""
    newer = factories.RevisionFactory(
        transcript=setup.revision.transcript,
        number=2,
        text=setup.revision.text + "\nI: Thank you.",
        created_by=setup.first,
    )
    Coding.objects.filter(session=setup.session).update(revision=newer)
    moved = Coding.objects.filter(session=setup.session, code=setup.b, coder=setup.second)
    moved.filter(start=80).update(end=99)
    return newer


def test_closing_records_each_transcript_revision_and_the_live_codings(cast):
    setup = double_coded(cast, state=SessionState.OPEN)

    coding_session_close(actor=cast.owner, session=setup.session)

    snapshot = SessionSnapshot.objects.get(session=setup.session)
    assert snapshot.revision == setup.revision
    assert sorted(row[0] for row in snapshot.codings) == sorted(
        Coding.objects.filter(session=setup.session).values_list("pk", flat=True)
    )
    event = AuditEvent.objects.filter(action="session.close").last()
    assert event.new_value["codings"] == 6


def test_a_merge_leaves_the_recorded_figures_as_they_were(cast, closed):
    before = figures(cast, closed.session)
    assert before["disagreements"] == 3 and len(before["resolved"]) == 1

    code_merge(actor=cast.owner, code=closed.a, into=closed.b, rationale="One idea")

    assert same(figures(cast, closed.session), before)


def test_codings_moved_to_a_corrected_revision_leave_the_recorded_figures(cast, closed):
    before = figures(cast, closed.session)

    corrected(closed)

    assert same(figures(cast, closed.session), before)


def test_the_resolution_follows_its_codings_when_re_anchoring_moves_it(cast, closed):
    before = figures(cast, closed.session)
    newer = corrected(closed)
    Resolution.objects.update(revision=newer)  # re-anchoring moves resolutions too

    assert same(figures(cast, closed.session), before)


def test_the_recomputed_figures_name_the_merge_and_differ_from_the_recorded(cast, closed):
    scope = agreement_scope(
        user=cast.owner, role=Role.OWNER, study=cast.study, session=closed.session.pk
    )
    report = agreement_report(user=cast.owner, scope=scope)
    assert recomputed_figures(user=cast.owner, report=report) is None

    code_merge(actor=cast.owner, code=closed.a, into=closed.b, rationale="One idea")
    report = agreement_report(user=cast.owner, scope=scope)
    recomputed = recomputed_figures(user=cast.owner, report=report)

    assert recomputed.note == "Recomputed figures after the merge of A into B"
    assert recomputed.recorded.overall == report.overall
    assert recomputed.recorded.disagreements == 3
    assert recomputed.now.disagreements != 3
    assert recomputed.now.overall.krippendorff_alpha != report.overall.krippendorff_alpha


def test_the_agreement_page_shows_the_recomputed_figures_beside_the_recorded(cast, closed, client):
    corrected(closed)

    page = signed_in(client, cast.owner).get(
        reverse("agreement", args=["tcx"]) + f"?session={closed.session.pk}"
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Recomputed figures after the correction of" in html
    assert "(revision 1 → 2)" in html
    assert "Recorded at the close" in html


def test_reopening_discards_the_record_and_closing_again_takes_it_anew(cast, closed):
    code_merge(actor=cast.owner, code=closed.a, into=closed.b, rationale="One idea")
    recorded = figures(cast, closed.session)

    coding_session_reopen(actor=cast.owner, session=closed.session)
    assert not SessionSnapshot.objects.filter(session=closed.session).exists()
    coding_session_close(actor=cast.owner, session=closed.session)

    snapshot = SessionSnapshot.objects.get(session=closed.session)
    assert {row[1] for row in snapshot.codings} == {closed.b.pk}
    assert not same(figures(cast, closed.session), recorded)
    assert AuditEvent.objects.filter(action="session.reopen").count() == 1


def test_reopening_an_open_session_is_refused_and_changes_nothing(cast):
    setup = double_coded(cast, state=SessionState.OPEN)
    events = AuditEvent.objects.count()

    with pytest.raises(DomainError, match="is open"):
        coding_session_reopen(actor=cast.owner, session=setup.session)

    assert AuditEvent.objects.count() == events
    assert CodingSession.objects.get(pk=setup.session.pk).state == SessionState.OPEN


def test_an_analyst_may_not_reopen_a_session(cast, closed):
    with pytest.raises(Forbidden):
        coding_session_reopen(actor=cast.analyst, session=closed.session)

    assert SessionSnapshot.objects.filter(session=closed.session).exists()
