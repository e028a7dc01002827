"""Analysts propose codebook and theme changes; owners accept (applying them through the
same service) or reject them; every step is audited and bad input changes nothing."""

import pytest
from django.urls import reverse

from analysis.coding.models import Code
from analysis.coding.services.codebook import code_update
from analysis.deliberation.models import Decision, DecisionState
from analysis.deliberation.services.proposals import (
    decision_accept,
    decision_propose,
    decision_reject,
)
from analysis.themes.models import Theme
from dyads.exceptions import DomainError, Forbidden
from dyads.models import AuditEvent
from tests import factories
from tests.conftest import api_as
from tests.dyads.service_calls import row_counts


@pytest.fixture
def safety(cast):
    return factories.CodeFactory(study=cast.study, name="Safety", definition="Feeling safe.")


@pytest.fixture
def meeting(cast):
    return factories.MeetingFactory(study=cast.study, created_by=cast.owner, title="Workshop 2")


def propose_redefinition(cast, code, **extra):
    return decision_propose(
        actor=cast.analyst,
        study=cast.study,
        kind="code_redefine",
        code=code,
        changes={"definition": "Safe enough to speak about the therapist."},
        rationale="We read it differently in round 1.",
        **extra,
    )


def test_a_proposal_changes_nothing_until_it_is_accepted(cast, safety):
    proposal = propose_redefinition(cast, safety)

    safety.refresh_from_db()
    assert safety.definition == "Feeling safe."
    assert proposal.state == DecisionState.PROPOSED
    assert proposal.author == cast.analyst
    assert proposal.proposal == {
        "changes": {"definition": "Safe enough to speak about the therapist."}
    }


def test_accepting_applies_the_change_and_completes_the_same_decision(cast, safety, meeting):
    proposal = propose_redefinition(cast, safety)

    decision_accept(actor=cast.owner, decision=proposal, meeting=meeting)

    safety.refresh_from_db()
    proposal.refresh_from_db()
    assert safety.definition == "Safe enough to speak about the therapist."
    assert Decision.objects.filter(study=cast.study).count() == 1
    assert proposal.state == DecisionState.ACCEPTED
    assert proposal.meeting == meeting
    assert proposal.decided_by == cast.owner
    assert proposal.before == {"definition": "Feeling safe."}
    assert proposal.after == {"definition": "Safe enough to speak about the therapist."}
    actions = list(
        AuditEvent.objects.filter(study=cast.study)
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == ["decision.propose", "code.update", "decision.accept"]


def test_a_proposed_new_code_is_created_on_acceptance_and_linked_to_its_decision(cast):
    proposal = decision_propose(
        actor=cast.analyst,
        study=cast.study,
        kind="code_create",
        changes={"name": "Being held", "definition": "The therapist holds the client."},
        rationale="Recurs in every client interview.",
    )
    assert not Code.objects.filter(name="Being held").exists()

    decision_accept(actor=cast.owner, decision=proposal, note="Agreed by e-mail.")

    proposal.refresh_from_db()
    assert proposal.code.name == "Being held"
    assert proposal.decision_note == "Agreed by e-mail."


def test_a_proposed_merge_is_applied_by_the_codebook_service(cast, safety):
    trust = factories.CodeFactory(study=cast.study, name="Trust")
    proposal = decision_propose(
        actor=cast.analyst,
        study=cast.study,
        kind="code_merge",
        code=safety,
        changes={"into": trust.pk},
        rationale="The same experience.",
    )

    decision_accept(actor=cast.owner, decision=proposal, note="Agreed.")

    safety.refresh_from_db()
    assert safety.merged_into == trust
    assert safety.retired_at is not None


def test_a_proposed_theme_revision_is_applied(cast):
    theme = Theme.objects.create(study=cast.study, name="Being met", level="overarching")
    proposal = decision_propose(
        actor=cast.analyst,
        study=cast.study,
        kind="theme_revise",
        theme=theme,
        changes={"client_description": "Clients felt met as persons."},
        rationale="Condensed.",
    )

    decision_accept(actor=cast.owner, decision=proposal, note="Fine.")

    theme.refresh_from_db()
    assert theme.client_description == "Clients felt met as persons."


def test_rejecting_needs_a_reason_and_changes_nothing(cast, safety):
    proposal = propose_redefinition(cast, safety)

    with pytest.raises(DomainError) as refused:
        decision_reject(actor=cast.owner, decision=proposal, reason="  ")
    decision_reject(actor=cast.owner, decision=proposal, reason="Too narrow.")

    assert "reason" in refused.value.detail
    proposal.refresh_from_db()
    safety.refresh_from_db()
    assert (proposal.state, proposal.decision_note) == (DecisionState.REJECTED, "Too narrow.")
    assert safety.definition == "Feeling safe."


def test_only_an_owner_decides_on_a_proposal(cast, safety):
    proposal = propose_redefinition(cast, safety)

    with pytest.raises(Forbidden):
        decision_accept(actor=cast.analyst, decision=proposal, note="Me too.")


def test_a_proposal_is_decided_once(cast, safety):
    proposal = propose_redefinition(cast, safety)
    decision_reject(actor=cast.owner, decision=proposal, reason="No.")

    with pytest.raises(DomainError, match="already rejected"):
        decision_accept(actor=cast.owner, decision=proposal, note="Changed my mind.")


def test_accepting_needs_a_meeting_or_a_note(cast, safety):
    proposal = propose_redefinition(cast, safety)

    with pytest.raises(DomainError) as refused:
        decision_accept(actor=cast.owner, decision=proposal)

    assert "note" in refused.value.detail


def test_a_proposal_overtaken_by_a_direct_change_cannot_be_accepted(cast, safety):
    proposal = propose_redefinition(cast, safety)
    code_update(
        actor=cast.owner,
        code=safety,
        definition="Safe enough to speak about the therapist.",
        rationale="Done directly.",
    )
    before = row_counts()

    with pytest.raises(DomainError, match="change nothing"):
        decision_accept(actor=cast.owner, decision=proposal, note="Late.")

    assert row_counts() == before
    proposal.refresh_from_db()
    assert proposal.state == DecisionState.PROPOSED


@pytest.mark.parametrize(
    ("kind", "target", "changes", "field", "message"),
    [
        ("code_redefine", "code", {"colour": "#000000"}, "changes", "cannot set colour"),
        ("code_rename", "code", {}, "changes", "must set name"),
        ("code_merge", "code", {"into": 999_999}, "into", "No code with id 999999"),
        ("code_rename", None, {"name": "X"}, "code", "must name the code"),
        ("code_rename", "code", {"name": "Trust"}, "name", "already a code called 'Trust'"),
        ("code_redefine", "code", {"definition": "x"}, "rationale", "Say why"),
        ("no_such_kind", "code", {}, "kind", "Unknown kind"),
    ],
)
def test_a_bad_proposal_is_refused_naming_the_field_and_changes_nothing(
    cast, safety, kind, target, changes, field, message
):
    factories.CodeFactory(study=cast.study, name="Trust")
    before = row_counts()

    with pytest.raises(DomainError) as refused:
        decision_propose(
            actor=cast.analyst,
            study=cast.study,
            kind=kind,
            code=safety if target else None,
            changes=changes,
            rationale="" if field == "rationale" else "Because.",
        )

    assert field in refused.value.detail
    assert message in str(refused.value.detail[field])
    assert row_counts() == before


def test_an_id_from_another_study_is_no_such_object(cast, safety):
    foreign = factories.CodeFactory(study=cast.other_study, name="Elsewhere")

    with pytest.raises(DomainError) as refused:
        decision_propose(
            actor=cast.analyst,
            study=cast.study,
            kind="code_merge",
            code=safety,
            changes={"into": foreign.pk},
            rationale="Same.",
        )

    assert "No code with id" in refused.value.detail["into"]


def test_the_api_proposes_accepts_and_rejects(cast, safety, meeting):
    analyst, owner = api_as(cast.analyst), api_as(cast.owner)
    body = {
        "study": cast.study.pk,
        "kind": "code_rename",
        "code": safety.pk,
        "changes": {"name": "Feeling safe"},
        "rationale": "Clearer.",
    }

    proposed = analyst.post("/api/v1/decisions/", body, format="json")
    accepted = owner.post(
        f"/api/v1/decisions/{proposed.data['id']}/accept/", {"meeting": meeting.pk}, format="json"
    )
    again = analyst.post("/api/v1/decisions/", {**body, "changes": {"name": "X"}}, format="json")
    rejected = owner.post(
        f"/api/v1/decisions/{again.data['id']}/reject/", {"reason": "No."}, format="json"
    )
    refused = analyst.post(f"/api/v1/decisions/{again.data['id']}/accept/", {}, format="json")

    assert proposed.status_code == 201, proposed.data
    assert proposed.data["state"] == "proposed"
    assert accepted.status_code == 200, accepted.data
    assert accepted.data["state"] == "accepted"
    assert accepted.data["after"] == {"name": "Feeling safe"}
    assert rejected.data["state"] == "rejected"
    assert refused.status_code == 403


def test_the_decision_log_page_takes_a_fixed_number_of_queries(
    cast, safety, meeting, client, django_assert_max_num_queries
):
    for _ in range(6):
        propose_redefinition(cast, safety)
    client.force_login(cast.owner)

    with django_assert_max_num_queries(16):
        page = client.get(reverse("decision-log", args=["tcx"]))

    assert page.content.decode().count("Accept and apply") == 6


def test_an_owner_accepts_a_proposal_on_the_decision_log(cast, safety, meeting, client):
    proposal = propose_redefinition(cast, safety)
    client.force_login(cast.owner)

    client.post(
        reverse("decision-decide", args=["tcx", proposal.pk, "accept"]),
        {f"accept-{proposal.pk}-meeting": meeting.pk},
    )

    proposal.refresh_from_db()
    assert (proposal.state, proposal.meeting) == (DecisionState.ACCEPTED, meeting)
