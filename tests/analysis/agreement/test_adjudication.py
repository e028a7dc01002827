"""Settling a closed session's disagreements into its consensus, each with a reason
and an audit event; and the consensus layer that themes and reports read."""

import pytest

from analysis.agreement.models import Resolution, ResolutionKind
from analysis.agreement.selectors.consensus import ConsensusSource, consensus_codings, consensus_of
from analysis.agreement.selectors.disagreements import PassageState, session_passages
from analysis.agreement.services.adjudication import disagreement_resolve, resolution_withdraw
from analysis.coding.models import SessionState
from dyads.audit import audit_verify
from dyads.exceptions import Conflict, DomainError, Forbidden, NotFound
from dyads.models import AuditEvent
from tests import factories
from tests.analysis.agreement_setup import double_coded


@pytest.fixture
def setup(cast):
    return double_coded(cast)


def resolve(setup, actor=None, *, code="A", start=68, end=110, **choice):
    choice.setdefault("kind", ResolutionKind.BOTH)
    choice.setdefault("reason", "Both readings hold: the sentence before sets it up.")
    return disagreement_resolve(
        actor=actor or setup.study.memberships.get(role="owner").user,
        session=setup.session,
        revision=setup.revision,
        code=setup.code(code),
        start=start,
        end=end,
        **choice,
    )


def consensus(setup, code="A") -> list[tuple]:
    found = session_passages(session=setup.session)
    return [
        (span.start, span.end, span.source)
        for span in consensus_of(found.passages)
        if span.code == setup.code(code).pk
    ]


def test_the_session_has_three_disagreements_and_one_agreed_passage(setup):
    found = session_passages(session=setup.session)

    assert [(v.code.name, v.start, v.end, v.state) for v in found.passages] == [
        ("A", 5, 30, PassageState.UNRESOLVED),
        ("A", 68, 110, PassageState.UNRESOLVED),
        ("B", 80, 95, PassageState.UNRESOLVED),
        ("B", 153, 180, PassageState.AGREED),
    ]
    assert found.passages[1].versions == [("analyst", ((68, 100),)), ("analyst2", ((75, 110),))]


@pytest.mark.parametrize(
    ("choice", "spans"),
    [
        ({"kind": ResolutionKind.ACCEPT, "coder": "first"}, [[68, 100]]),
        ({"kind": ResolutionKind.ACCEPT, "coder": "second"}, [[75, 110]]),
        ({"kind": ResolutionKind.BOTH}, [[68, 110]]),
        ({"kind": ResolutionKind.NEITHER}, []),
        ({"kind": ResolutionKind.EDITED, "edited_start": 70, "edited_end": 104}, [[70, 104]]),
    ],
)
def test_each_kind_of_resolution_puts_its_spans_into_the_consensus(setup, choice, spans):
    if "coder" in choice:
        choice["coder"] = getattr(setup, choice["coder"])

    resolution, created = resolve(setup, **choice)

    assert created
    assert resolution.spans == spans
    assert resolution.versions == {"analyst": [[68, 100]], "analyst2": [[75, 110]]}
    assert sorted(resolution.source_codings.values_list("start", flat=True)) == [68, 75]
    assert [(s, e) for s, e, source in consensus(setup) if source == "resolved"] == [
        tuple(span) for span in spans
    ]


def test_a_resolution_is_audited_with_its_reason_and_the_versions_it_chose_from(setup):
    resolution, _ = resolve(setup, kind=ResolutionKind.ACCEPT, coder=setup.second)

    event = AuditEvent.objects.get(action="resolution.create")
    assert event.object_id == str(resolution.pk)
    assert event.reason == "Both readings hold: the sentence before sets it up."
    assert event.new_value["kind"] == "accept"
    assert event.new_value["spans"] == [[75, 110]]
    assert event.new_value["versions"] == {"analyst": [[68, 100]], "analyst2": [[75, 110]]}
    assert audit_verify(study=setup.study).intact


def test_settling_the_same_disagreement_the_same_way_again_writes_nothing(setup):
    first, _ = resolve(setup)
    events = AuditEvent.objects.count()

    again, created = resolve(setup)

    assert (again, created) == (first, False)
    assert AuditEvent.objects.count() == events


def test_settling_a_settled_disagreement_differently_is_a_conflict(setup):
    first, _ = resolve(setup)
    events = AuditEvent.objects.count()

    with pytest.raises(Conflict, match="already settled by owner") as refused:
        resolve(setup, kind=ResolutionKind.NEITHER)

    assert refused.value.current["id"] == first.pk
    assert Resolution.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_withdrawn_resolution_is_kept_and_the_disagreement_can_be_settled_anew(setup):
    first, _ = resolve(setup)

    resolution_withdraw(actor=setup.first, resolution=first, reason="We read it again.")

    first.refresh_from_db()
    assert first.withdrawn_by == setup.first
    assert AuditEvent.objects.filter(action="resolution.withdraw", reason="We read it again.")
    assert [source for _, _, source in consensus(setup)] == ["unresolved", "unresolved"]
    second, created = resolve(setup, kind=ResolutionKind.NEITHER)
    assert created and second.pk != first.pk


@pytest.mark.parametrize(("reason", "message"), [("", "Say why"), ("ok", "already been withdrawn")])
def test_a_bad_withdrawal_is_refused_and_changes_nothing(setup, reason, message):
    resolution, _ = resolve(setup)
    if reason:
        resolution_withdraw(actor=setup.first, resolution=resolution, reason="First time.")
    events = AuditEvent.objects.count()

    with pytest.raises(DomainError, match=message):
        resolution_withdraw(actor=setup.first, resolution=resolution, reason=reason)

    assert AuditEvent.objects.count() == events


BAD = [
    ({"reason": "  "}, "reason"),
    ({"kind": "maybe"}, "kind"),
    ({"kind": ResolutionKind.ACCEPT}, "coder"),
    ({"kind": ResolutionKind.ACCEPT, "coder": "owner"}, "coder"),
    ({"kind": ResolutionKind.BOTH, "coder": "first"}, "coder"),
    ({"kind": ResolutionKind.NEITHER, "edited_start": 70, "edited_end": 80}, "edited_start"),
    ({"kind": ResolutionKind.EDITED}, "edited_start"),
    ({"kind": ResolutionKind.EDITED, "edited_start": 70, "edited_end": 500}, "edited_start"),
    ({"kind": ResolutionKind.EDITED, "edited_start": 80, "edited_end": 70}, "edited_start"),
    ({"kind": ResolutionKind.EDITED, "edited_start": 120, "edited_end": 130}, "edited_start"),
    ({"start": 153, "end": 180, "code": "B"}, "passage"),  # agreed, not a disagreement
    ({"start": 68, "end": 100}, "passage"),  # not a passage of this session now
]


@pytest.mark.parametrize(("options", "field"), BAD)
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(setup, cast, options, field):
    for key in ("coder",):
        if key in options:
            options[key] = {"first": setup.first, "owner": cast.owner}[options[key]]
    events = AuditEvent.objects.count()

    with pytest.raises(DomainError) as refused:
        resolve(setup, **options)

    assert field in refused.value.detail
    assert not Resolution.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_open_session_is_not_adjudicated(cast):
    setup = double_coded(cast, state=SessionState.OPEN)

    with pytest.raises(DomainError, match="still open") as refused:
        resolve(setup)

    assert "session" in refused.value.detail
    assert not Resolution.objects.exists()


@pytest.mark.parametrize(
    ("role", "error"), [("auditor", Forbidden), ("interviewer", Forbidden), ("outsider", NotFound)]
)
def test_only_owners_and_analysts_adjudicate(setup, cast, role, error):
    with pytest.raises(error):
        resolve(setup, actor=cast.user(role))
    assert not Resolution.objects.exists()


def test_an_analyst_adjudicates_too(setup):
    resolution, created = resolve(setup, actor=setup.second)

    assert created and resolution.resolved_by == setup.second


def test_a_resolution_whose_passage_changed_is_outdated_and_no_longer_used(setup):
    resolution, _ = resolve(setup, kind=ResolutionKind.NEITHER)
    factories.CodingFactory(
        revision=setup.revision,
        code=setup.a,
        coder=setup.first,
        session=setup.session,
        start=105,
        end=115,
    )

    found = session_passages(session=setup.session)

    assert found.outdated == [resolution]
    assert (68, 115, "unresolved") in consensus(setup)


# The consensus layer of the study ------------------------------------------------------


def study_layer(setup, **options) -> list[tuple]:
    codes = {setup.a.pk: "A", setup.b.pk: "B"}
    return [
        (codes.get(span.code, span.code), span.start, span.end, span.source)
        for span in consensus_codings(study=setup.study, **options)
    ]


def test_the_study_consensus_holds_agreed_resolved_and_unresolved_passages(setup):
    resolve(setup, kind=ResolutionKind.ACCEPT, coder=setup.first)

    assert study_layer(setup) == [
        ("A", 5, 30, ConsensusSource.UNRESOLVED),
        ("A", 68, 100, ConsensusSource.RESOLVED),
        ("B", 80, 95, ConsensusSource.UNRESOLVED),
        ("B", 153, 180, ConsensusSource.AGREED),
    ]
    assert study_layer(setup, include_unresolved=False) == [
        ("A", 68, 100, ConsensusSource.RESOLVED),
        ("B", 153, 180, ConsensusSource.AGREED),
    ]


def test_the_study_consensus_takes_codings_outside_sessions_and_leaves_open_ones_out(setup, cast):
    factories.CodingFactory(revision=setup.revision, code=setup.b, coder=cast.owner, start=0, end=4)
    still_open = factories.CodingSessionFactory(study=cast.study, created_by=cast.owner)
    factories.CodingFactory(
        revision=setup.revision,
        code=setup.b,
        coder=setup.first,
        session=still_open,
        start=10,
        end=20,
    )

    layer = study_layer(setup, include_unresolved=False)

    assert ("B", 0, 4, ConsensusSource.CODING) in layer
    assert not [span for span in layer if span[1:3] == (10, 20)]


def test_a_later_closed_round_supersedes_an_earlier_one_for_its_transcripts(setup, cast):
    later = factories.CodingSessionFactory(
        study=cast.study, state=SessionState.CLOSED, created_by=cast.owner
    )
    later.coders.set(setup.coders)
    later.transcripts.set([setup.revision.transcript])
    type(later).objects.filter(pk=setup.session.pk).update(closed_at="2026-03-01T10:00Z")
    type(later).objects.filter(pk=later.pk).update(closed_at="2026-05-01T10:00Z")
    for coder in setup.coders:
        factories.CodingFactory(
            revision=setup.revision, code=setup.b, coder=coder, session=later, start=20, end=40
        )

    assert study_layer(setup) == [("B", 20, 40, ConsensusSource.AGREED)]
