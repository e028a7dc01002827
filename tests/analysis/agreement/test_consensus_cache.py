"""The consensus of closed coding rounds is kept while analysts code elsewhere, and
computed again after any write that may change a round."""

import pytest

from analysis.agreement.models import ResolutionKind
from analysis.agreement.selectors.consensus import consensus_layer_counts
from analysis.agreement.services.adjudication import disagreement_resolve
from analysis.coding.services.codebook import code_update
from analysis.coding.services.codings import coding_create, coding_delete
from analysis.coding.services.memos import memo_create
from tests.analysis.agreement_setup import double_coded


@pytest.fixture
def setup(cast):
    return double_coded(cast)


def counts(setup) -> dict[str, int]:
    found = consensus_layer_counts(study=setup.study)
    return {setup.code("A").name: found[setup.revision.pk, setup.code("A").pk]}


def test_coding_outside_the_round_counts_at_once_without_computing_the_round_again(
    setup, cast, rounds_computed
):
    before = counts(setup)

    coding = coding_create(
        actor=cast.owner, revision=setup.revision, start=0, end=4, code=setup.code("A")
    )
    after_create = counts(setup)
    coding_delete(actor=cast.owner, coding=coding)
    after_delete = counts(setup)

    assert after_create == {"A": before["A"] + 1}
    assert after_delete == before
    assert rounds_computed.call_count == 1


def test_a_memo_keeps_the_round_and_a_codebook_change_computes_it_again(
    setup, cast, rounds_computed
):
    counts(setup)

    memo_create(actor=cast.analyst, study=setup.study, text="Holding as a theme?")
    counts(setup)
    calls_after_memo = rounds_computed.call_count
    code_update(
        actor=cast.owner, code=setup.code("B"), rationale="Clearer name.", name="B (holding)"
    )
    counts(setup)

    assert calls_after_memo == 1
    assert rounds_computed.call_count == 2


def test_resolving_a_disagreement_computes_the_round_again(setup, cast, rounds_computed):
    counts(setup)

    disagreement_resolve(
        actor=cast.owner,
        session=setup.session,
        revision=setup.revision,
        code=setup.code("A"),
        start=68,
        end=110,
        kind=ResolutionKind.NEITHER,
        reason="Neither reading is about being held.",
    )
    resolved = counts(setup)

    assert rounds_computed.call_count == 2
    # The passage at 68-110 left the layer: "neither" puts no span in its place.
    assert resolved == {"A": 1}
