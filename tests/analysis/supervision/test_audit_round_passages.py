"""An audit round shows each sampled passage in its speaker turn, with every code its coder
put on that passage, in a fixed number of queries however large the sample."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis.supervision.selectors import audit_round_passages
from analysis.supervision.services import audit_round_draw
from interviews.models import SpeakerRole, SpeakerTurn
from tests import factories
from tests.analysis.audit_setup import signed_in

QUESTION = "I: What was the first session like?\n"
ANSWER = "C: I was nervous. She waited, and then I could speak about my father.\n"
NEXT_QUESTION = "I: And later on?\n"


@pytest.fixture
def transcript(cast):
    revision = factories.revision_for(
        cast.therapist_interview, text=QUESTION + ANSWER + NEXT_QUESTION
    )
    revision.turns.all().delete()  # the factory's own turns; these are the ones tested
    for index, (speaker, role, text) in enumerate(
        [
            ("I", SpeakerRole.INTERVIEWER, QUESTION),
            ("C", SpeakerRole.PARTICIPANT, ANSWER),
            ("I", SpeakerRole.INTERVIEWER, NEXT_QUESTION),
        ]
    ):
        start = revision.text.index(text)
        SpeakerTurn.objects.create(
            revision=revision,
            index=index,
            speaker=speaker,
            role=role,
            start=start,
            end=start + len(text),
        )
    return revision


def span(revision, words: str) -> dict:
    start = revision.text.index(words)
    return {"start": start, "end": start + len(words)}


@pytest.fixture
def sampled(cast, transcript):
    """The analyst coded "She waited" as Patience and as Safety; another coder coded it
    Trust. The round samples the analyst's Patience coding."""
    patience, safety, trust = (
        factories.CodeFactory(study=cast.study, name=name)
        for name in ("Patience", "Safety", "Trust")
    )
    factories.CodingFactory(
        revision=transcript, code=patience, coder=cast.analyst, **span(transcript, "She waited")
    )
    factories.CodingFactory(
        revision=transcript, code=safety, coder=cast.analyst, **span(transcript, "She waited, and")
    )
    factories.CodingFactory(
        revision=transcript, code=trust, coder=cast.owner, **span(transcript, "She waited")
    )
    factories.CodingFactory(
        revision=transcript, code=trust, coder=cast.analyst, **span(transcript, "my father")
    )
    return audit_round_draw(
        actor=cast.auditor,
        study=cast.study,
        title="Spring audit",
        strata=["coder"],
        per_stratum=5,
        seed=1,
    )


def analysts_passage(cast, audit_round):
    passages = audit_round_passages(audit_round=audit_round)
    return next(
        p
        for p in passages
        if p.finding.coding.coder == cast.analyst and p.finding.coding.code.name == "Patience"
    )


def test_the_passage_comes_with_its_turn_around_it(cast, sampled):
    passage = analysts_passage(cast, sampled)

    assert passage.excerpt.text == "She waited"
    assert passage.excerpt.before == "C: I was nervous. "
    assert passage.excerpt.after.startswith(", and then I could speak about my father.")
    assert "later on" not in passage.excerpt.after
    assert passage.excerpt.speaker == "C"


def test_the_coders_codes_on_the_passage_are_listed_and_no_one_elses(cast, sampled):
    passage = analysts_passage(cast, sampled)

    assert sorted(code.name for code in passage.coder_codes) == ["Patience", "Safety"]


def test_the_round_page_shows_passage_context_and_codes(cast, sampled, client):
    page = signed_in(client, cast.auditor).get(reverse("audit-round", args=["tcx", sampled.pk]))

    html = page.content.decode()
    assert "<mark>She waited</mark>" in html
    assert "I was nervous." in html
    assert "codes on this passage" in html
    assert "Safety" in html


def test_the_round_page_reads_in_the_same_queries_for_one_passage_or_many(cast, transcript, client):
    code = factories.CodeFactory(study=cast.study, name="Patience")
    for n in range(12):
        factories.CodingFactory(
            revision=transcript, code=code, coder=cast.analyst, start=n, end=n + 4
        )
    small = audit_round_draw(
        actor=cast.auditor, study=cast.study, title="Small", strata=[], per_stratum=1, seed=1
    )
    large = audit_round_draw(
        actor=cast.auditor, study=cast.study, title="Large", strata=[], per_stratum=10, seed=1
    )
    client = signed_in(client, cast.auditor)
    client.get(reverse("audit-round", args=["tcx", small.pk]))  # warm the session

    counts = []
    for audit_round in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("audit-round", args=["tcx", audit_round.pk])).status_code == 200
            )
        counts.append(len(queries))

    assert counts[0] == counts[1]
