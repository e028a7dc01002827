"""Choosing exemplary quotes: a coded excerpt of one of the theme's codes, on the speaker's
side, recorded as a decision; a wrong choice is refused and changes nothing."""

import pytest
from django.utils import timezone

from analysis.deliberation.models import Decision, DecisionKind
from analysis.themes.models import ExemplaryQuote
from analysis.themes.services.themes import theme_quote_add, theme_quote_remove
from dyads.exceptions import DomainError, Forbidden
from dyads.models import AuditEvent, ParticipantRole
from interviews.models import TranscriptRevision
from tests import factories
from tests.analysis.theme_setup import theme_study

WHY = {"rationale": "Says it in her own words."}


@pytest.fixture
def setup(cast):
    return theme_study(cast)


def coding_of(interview, code):
    return interview.transcript.current_revision.codings.filter(code=code).first()


def state(study) -> tuple:
    return (
        list(ExemplaryQuote.objects.filter(study=study).values()),
        Decision.objects.filter(study=study).count(),
        AuditEvent.objects.filter(study=study).count(),
    )


def test_a_quote_takes_the_perspective_of_its_speaker(cast, setup):
    client_coding = coding_of(setup.interviews["C1"], setup.codes["A"])
    therapist_coding = coding_of(setup.interviews["T1"], setup.codes["A"])

    first = theme_quote_add(actor=cast.analyst, theme=setup.safety, coding=client_coding, **WHY)
    second = theme_quote_add(actor=cast.analyst, theme=setup.safety, coding=therapist_coding, **WHY)

    assert (first.perspective, first.position) == (ParticipantRole.CLIENT, 1)
    assert (second.perspective, second.position) == (ParticipantRole.THERAPIST, 1)


def test_choosing_a_quote_is_a_set_quote_decision_that_keeps_its_words(cast, setup):
    coding = coding_of(setup.interviews["C1"], setup.codes["A"])

    quote = theme_quote_add(actor=cast.analyst, theme=setup.safety, coding=coding, **WHY)

    decision = Decision.objects.get(theme=setup.safety, kind=DecisionKind.THEME_SET_QUOTE)
    assert decision.rationale == WHY["rationale"]
    assert decision.after["text"] == coding.revision.text[coding.start : coding.end]
    assert AuditEvent.objects.filter(action="quote.add", object_id=str(quote.pk)).exists()


def test_an_excerpt_of_a_constituents_code_may_illustrate_its_parent(cast, setup):
    coding = coding_of(setup.interviews["C2"], setup.codes["C"])  # C is linked to Irritation

    quote = theme_quote_add(actor=cast.analyst, theme=setup.persistence, coding=coding, **WHY)

    assert quote.theme == setup.persistence


def test_withdrawing_a_quote_is_a_decision_too(cast, setup):
    coding = coding_of(setup.interviews["C1"], setup.codes["A"])
    quote = theme_quote_add(actor=cast.analyst, theme=setup.safety, coding=coding, **WHY)

    theme_quote_remove(actor=cast.analyst, quote=quote, rationale="A better one was found.")

    quote.refresh_from_db()
    assert quote.removed_at is not None
    decisions = Decision.objects.filter(theme=setup.safety, kind=DecisionKind.THEME_SET_QUOTE)
    assert decisions.latest("pk").before["coding"] == coding.pk
    assert decisions.count() == 2


def bad_choices(cast, setup) -> dict:
    chosen = coding_of(setup.interviews["C1"], setup.codes["A"])
    theme_quote_add(actor=cast.analyst, theme=setup.safety, coding=chosen, **WHY)
    removed = factories.CodingFactory(
        revision=cast.revision, code=setup.codes["A"], coder=cast.analyst, deleted_at=timezone.now()
    )
    outdated = factories.CodingFactory(
        revision=TranscriptRevision.objects.create(
            transcript=cast.revision.transcript, number=2, text="Old words.", created_by=cast.owner
        ),
        code=setup.codes["A"],
        coder=cast.analyst,
    )
    return {
        "a code the theme does not stand on": (
            coding_of(setup.interviews["C1"], setup.codes["B"]),
            "not linked to theme 'Safety'",
        ),
        "an excerpt chosen already": (chosen, "already a quote"),
        "a removed coding": (removed, "has been removed"),
        "an outdated revision": (outdated, "outdated revision"),
        "another study's excerpt": (factories.CodingFactory(), "another study"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "a code the theme does not stand on",
        "an excerpt chosen already",
        "a removed coding",
        "an outdated revision",
        "another study's excerpt",
    ],
)
def test_a_wrong_excerpt_is_refused_naming_why_and_nothing_changes(cast, setup, case):
    coding, message = bad_choices(cast, setup)[case]
    before = state(cast.study)

    with pytest.raises(DomainError, match=message) as raised:
        theme_quote_add(actor=cast.analyst, theme=setup.safety, coding=coding, **WHY)

    assert "coding" in raised.value.detail
    assert state(cast.study) == before


def test_a_quote_without_a_meeting_or_rationale_is_refused(cast, setup):
    before = state(cast.study)

    with pytest.raises(DomainError, match="rationale"):
        theme_quote_add(
            actor=cast.analyst,
            theme=setup.safety,
            coding=coding_of(setup.interviews["C1"], setup.codes["A"]),
        )

    assert state(cast.study) == before


def test_an_auditor_may_not_choose_quotes(cast, setup):
    with pytest.raises(Forbidden):
        theme_quote_add(
            actor=cast.auditor,
            theme=setup.safety,
            coding=coding_of(setup.interviews["C1"], setup.codes["A"]),
            **WHY,
        )
