"""Interviewers read the pseudonym list and propose names for it; an owner adds a proposed
name to the list or rejects it; the audit log never holds the proposed name."""

import pytest

from dyads.exceptions import DomainError, Forbidden
from dyads.models import AuditEvent
from interviews.models import ProposalState, PseudonymProposal, PseudonymReplacement
from interviews.services.pseudonyms import (
    proposal_accept,
    proposal_create,
    proposal_reject,
    replacement_create,
)
from tests.conftest import api_as


def test_an_owner_adds_a_proposed_name_with_the_suggested_pseudonym(cast):
    proposal = proposal_create(
        actor=cast.interviewer, study=cast.study, original=" Magnus ", replacement="[brother]"
    )

    entry = proposal_accept(actor=cast.owner, proposal=proposal)

    proposal.refresh_from_db()
    assert (entry.original, entry.replacement) == ("Magnus", "[brother]")
    assert (proposal.state, proposal.entry, proposal.decided_by) == (
        ProposalState.ACCEPTED,
        entry,
        cast.owner,
    )
    events = AuditEvent.objects.filter(action__startswith="pseudonym.")
    assert {e.action for e in events} == {
        "pseudonym.propose",
        "pseudonym.create",
        "pseudonym.proposal_accepted",
    }
    assert all("Magnus" not in f"{e.old_value}{e.new_value}" for e in events)


def test_a_rejected_proposal_adds_nothing_and_cannot_be_decided_again(cast):
    proposal = proposal_create(actor=cast.interviewer, study=cast.study, original="Sogndal")

    proposal_reject(actor=cast.owner, proposal=proposal)

    with pytest.raises(DomainError, match="already rejected"):
        proposal_accept(actor=cast.owner, proposal=proposal, replacement="[town]")
    assert not PseudonymReplacement.objects.exists()


@pytest.mark.parametrize(
    "original, message",
    [("  ", "original"), ("Kari", "already on the study's list"), ("magnus", "already proposed")],
)
def test_a_blank_listed_or_already_proposed_name_is_refused(cast, original, message):
    replacement_create(actor=cast.owner, study=cast.study, original="Kari", replacement="[c]")
    proposal_create(actor=cast.interviewer, study=cast.study, original="Magnus")

    with pytest.raises(DomainError, match=message):
        proposal_create(actor=cast.interviewer, study=cast.study, original=original)
    assert PseudonymProposal.objects.count() == 1


def test_only_owners_decide_and_analysts_cannot_propose(cast):
    proposal = proposal_create(actor=cast.interviewer, study=cast.study, original="Magnus")

    with pytest.raises(Forbidden):
        proposal_accept(actor=cast.interviewer, proposal=proposal, replacement="[b]")
    with pytest.raises(Forbidden):
        proposal_create(actor=cast.analyst, study=cast.study, original="Bjørn")


def test_an_owner_without_a_pseudonym_is_asked_for_one(cast):
    proposal = proposal_create(actor=cast.interviewer, study=cast.study, original="Magnus")

    with pytest.raises(DomainError, match="replacement"):
        proposal_accept(actor=cast.owner, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PROPOSED


def test_interviewers_read_the_list_and_propose_through_the_api(cast):
    replacement_create(actor=cast.owner, study=cast.study, original="Kari", replacement="[c]")
    interviewer = api_as(cast.interviewer)

    listed = interviewer.get(f"/api/v1/pseudonym-replacements/?study={cast.study.pk}").json()
    refused = interviewer.post(
        "/api/v1/pseudonym-replacements/",
        {"study": cast.study.pk, "original": "Magnus", "replacement": "[b]"},
        format="json",
    )
    proposed = interviewer.post(
        "/api/v1/pseudonym-proposals/",
        {"study": cast.study.pk, "original": "Magnus", "replacement": "[b]"},
        format="json",
    )
    accepted = api_as(cast.owner).post(
        f"/api/v1/pseudonym-proposals/{proposed.json()['id']}/accept/", {}, format="json"
    )

    assert [e["original"] for e in listed["results"]] == ["Kari"]
    assert refused.status_code == 403
    assert proposed.status_code == 201 and proposed.json()["state"] == "proposed"
    assert accepted.status_code == 201 and accepted.json()["replacement"] == "[b]"


def test_the_pages_let_an_interviewer_propose_and_an_owner_accept(cast, client):
    from django.urls import reverse

    client.force_login(cast.interviewer)
    client.post(reverse("pseudonyms", args=["tcx"]), {"step": "propose", "original": "Magnus"})
    client.force_login(cast.owner)
    proposal = PseudonymProposal.objects.get()
    page = client.get(reverse("pseudonyms", args=["tcx"]))
    client.post(
        reverse("pseudonym-proposal-decide", args=["tcx", proposal.pk, "accept"]),
        {"replacement": "[brother]"},
    )

    assert "Magnus" in page.content.decode()
    assert PseudonymReplacement.objects.get().replacement == "[brother]"
