"""Services enforce the member's role, and refuse bad input naming the field, changing nothing."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from analysis.coding.services.codebook import code_create, code_update
from analysis.coding.services.codings import coding_create, coding_delete
from analysis.coding.services.memos import memo_create
from analysis.coding.services.sessions import coding_session_create
from analysis.deliberation.services.meetings import meeting_create
from analysis.themes.models import Theme
from analysis.themes.services.themes import theme_create
from dyads.exceptions import Conflict, DomainError, Forbidden, NotFound
from dyads.services import (
    dyad_create,
    membership_set,
    participant_create,
    participant_update,
    recruitment_event_record,
    site_create,
    study_create,
    study_update,
)
from interviews.models import InterviewGuide
from interviews.services import (
    guide_create,
    guide_question_add,
    interview_create,
    interview_update,
    transcript_revision_create,
)
from interviews.turns import ParsedTurn
from tests import factories

from .service_calls import CALLS, ServiceCall, row_counts


def refused_with(error: type[DomainError], cast, call: ServiceCall, role: str) -> None:
    actor = cast.user(role)
    arranged = call.arrange(cast, actor)
    before = row_counts()

    with pytest.raises(error) as refused:
        call.act(cast, actor, arranged)

    assert type(refused.value) is error
    assert row_counts() == before


@pytest.mark.parametrize("call", [c for c in CALLS if "auditor" not in c.allowed], ids=str)
def test_an_auditor_cannot_call_any_write_service_but_the_audits_own(cast, call):
    refused_with(Forbidden, cast, call, "auditor")


@pytest.mark.parametrize("call", [c for c in CALLS if "auditor" in c.allowed], ids=str)
def test_an_auditor_may_comment_and_run_audit_rounds(cast, call):
    call.act(cast, cast.auditor, call.arrange(cast, cast.auditor))


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_an_outsider_is_told_the_study_does_not_exist(cast, call):
    refused_with(NotFound, cast, call, "outsider")


@pytest.mark.parametrize("call", [c for c in CALLS if "interviewer" in c.allowed], ids=str)
def test_an_interviewer_may_record_interviews_guides_and_transcripts(cast, call):
    call.act(cast, cast.interviewer, call.arrange(cast, cast.interviewer))


@pytest.mark.parametrize("call", [c for c in CALLS if "interviewer" not in c.allowed], ids=str)
def test_an_interviewer_may_not_touch_people_codes_codings_or_themes(cast, call):
    refused_with(Forbidden, cast, call, "interviewer")


@pytest.mark.parametrize("call", [c for c in CALLS if "analyst" in c.allowed], ids=str)
def test_an_analyst_may_code_and_record_meetings(cast, call):
    call.act(cast, cast.analyst, call.arrange(cast, cast.analyst))


@pytest.mark.parametrize("call", [c for c in CALLS if "analyst" not in c.allowed], ids=str)
def test_an_analyst_may_not_manage_the_study_people_or_interviews(cast, call):
    refused_with(Forbidden, cast, call, "analyst")


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_an_owner_may_call_every_write_service(cast, call):
    call.act(cast, cast.owner, call.arrange(cast, cast.owner))


def test_an_analyst_may_not_remove_another_coders_coding(cast):
    coding = factories.CodingFactory(
        revision=cast.revision, code=factories.CodeFactory(study=cast.study), coder=cast.owner
    )

    with pytest.raises(Forbidden):
        coding_delete(actor=cast.analyst, coding=coding)


def test_a_stale_version_is_refused_as_a_conflict(cast):
    code = factories.CodeFactory(study=cast.study, name="Safety")
    code_update(actor=cast.owner, code=code, colour="#e15759")
    before = row_counts()

    with pytest.raises(Conflict) as refused:
        code_update(actor=cast.analyst, code=code, version=1, colour="#59a14f")

    assert refused.value.current["colour"] == "#e15759"
    assert row_counts() == before


# Bad input -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadInput:
    description: str
    field: str
    call: Callable
    arrange: Callable = lambda cast: {}

    def __str__(self) -> str:
        return self.description


def _code(cast, **fields):
    return {"code": factories.CodeFactory(study=cast.study, **fields)}


BAD_INPUT = [
    BadInput(
        "a study with an unknown field",
        "colour",
        lambda c, a: study_create(actor=c.owner, title="X", slug="x", colour="red"),
    ),
    BadInput(
        "a study whose slug is not a slug",
        "slug",
        lambda c, a: study_create(actor=c.owner, title="X", slug="not a slug"),
    ),
    BadInput(
        "a study whose slug is taken",
        "slug",
        lambda c, a: study_create(actor=c.owner, title="X", slug="tcx"),
    ),
    BadInput(
        "a study without a title",
        "title",
        lambda c, a: study_update(actor=c.owner, study=c.study, title=""),
    ),
    BadInput(
        "a member with an unknown role",
        "role",
        lambda c, a: membership_set(actor=c.owner, study=c.study, username="outsider", role="boss"),
    ),
    BadInput(
        "a member who is no user",
        "username",
        lambda c, a: membership_set(
            actor=c.owner, study=c.study, username="nobody", role="analyst"
        ),
    ),
    BadInput(
        "a site without a name",
        "name",
        lambda c, a: site_create(actor=c.owner, study=c.study, name=""),
    ),
    BadInput(
        "a participant with an unknown role",
        "role",
        lambda c, a: participant_create(
            actor=c.owner, study=c.study, role="patient", pseudonym="X"
        ),
    ),
    BadInput(
        "a participant too young to take part",
        "age",
        lambda c, a: participant_create(
            actor=c.owner, study=c.study, role="client", pseudonym="C9", age=5
        ),
    ),
    BadInput(
        "a participant with a pseudonym already in use",
        "pseudonym",
        lambda c, a: participant_create(
            actor=c.owner, study=c.study, role="client", pseudonym=c.dyad.client.pseudonym
        ),
    ),
    BadInput(
        "a participant at another study's site",
        "site",
        lambda c, a: participant_create(
            actor=c.owner, study=c.study, role="client", pseudonym="C9", site=a["site"]
        ),
        arrange=lambda c: {"site": factories.SiteFactory(study=c.other_study)},
    ),
    BadInput(
        "a participant changed to an implausible age",
        "age",
        lambda c, a: participant_update(actor=c.owner, participant=c.dyad.client, age=200),
    ),
    BadInput(
        "a dyad with a client as its therapist",
        "therapist",
        lambda c, a: dyad_create(
            actor=c.owner, study=c.study, label="Dyad 2", therapist=a["one"], client=a["other"]
        ),
        arrange=lambda c: {
            "one": factories.ParticipantFactory(study=c.study),
            "other": factories.ParticipantFactory(study=c.study),
        },
    ),
    BadInput(
        "a dyad whose client is already in a dyad",
        "client",
        lambda c, a: dyad_create(
            actor=c.owner,
            study=c.study,
            label="Dyad 2",
            therapist=a["therapist"],
            client=c.dyad.client,
        ),
        arrange=lambda c: {"therapist": factories.TherapistFactory(study=c.study)},
    ),
    BadInput(
        "a recruitment step that does not exist",
        "step",
        lambda c, a: recruitment_event_record(
            actor=c.owner, study=c.study, step="lost", occurred_on=dt.date(2026, 1, 5)
        ),
    ),
    BadInput(
        "a drop-out without a reason",
        "reason",
        lambda c, a: recruitment_event_record(
            actor=c.owner,
            study=c.study,
            step="dropped_out",
            occurred_on=dt.date(2026, 1, 5),
            role="client",
        ),
    ),
    BadInput(
        "an interview numbered zero",
        "sequence_number",
        lambda c, a: interview_create(
            actor=c.owner,
            participant=c.dyad.therapist,
            sequence_number=0,
            focus="therapy",
            timing="during",
        ),
    ),
    BadInput(
        "an interview with a number already used",
        "sequence_number",
        lambda c, a: interview_create(
            actor=c.owner,
            participant=c.dyad.therapist,
            sequence_number=1,
            focus="therapy",
            timing="during",
        ),
    ),
    BadInput(
        "an interview with an unknown focus",
        "focus",
        lambda c, a: interview_create(
            actor=c.owner,
            participant=c.dyad.therapist,
            sequence_number=2,
            focus="weather",
            timing="during",
        ),
    ),
    BadInput(
        "an interview in another pair's dyad",
        "dyad",
        lambda c, a: interview_create(
            actor=c.owner,
            participant=c.dyad.therapist,
            dyad=a["dyad"],
            sequence_number=2,
            focus="therapy",
            timing="during",
        ),
        arrange=lambda c: {"dyad": factories.DyadFactory(study=c.study)},
    ),
    BadInput(
        "an interview moved to an unknown timing",
        "timing",
        lambda c, a: interview_update(
            actor=c.owner, interview=c.therapist_interview, timing="later"
        ),
    ),
    BadInput(
        "a guide with an empty question",
        "questions",
        lambda c, a: guide_create(
            actor=c.owner, study=c.study, title="Guide", questions=["What helped?", "  "]
        ),
    ),
    BadInput(
        "an empty tailored question",
        "text",
        lambda c, a: guide_question_add(actor=c.owner, guide=a["guide"], text=" "),
        arrange=lambda c: {
            "guide": InterviewGuide.objects.create(study=c.study, title="Client guide")
        },
    ),
    BadInput(
        "a transcript without text",
        "text",
        lambda c, a: transcript_revision_create(
            actor=c.owner, interview=c.therapist_interview, text="  \n", turns=[]
        ),
    ),
    BadInput(
        "a transcript with a turn outside its text",
        "turns",
        lambda c, a: transcript_revision_create(
            actor=c.owner,
            interview=c.therapist_interview,
            text="I: Hello.",
            turns=[ParsedTurn(speaker="I", start=0, end=40)],
        ),
    ),
    BadInput(
        "a code with a colour that is not hex",
        "colour",
        lambda c, a: code_create(
            actor=c.owner, study=c.study, name="Safety", colour="red", rationale="Needed."
        ),
    ),
    BadInput(
        "a code without a name",
        "name",
        lambda c, a: code_create(actor=c.owner, study=c.study, name=" ", rationale="Needed."),
    ),
    BadInput(
        "a code with neither a meeting nor a rationale",
        "rationale",
        lambda c, a: code_create(actor=c.owner, study=c.study, name="Safety"),
    ),
    BadInput(
        "a top-level code whose name is taken",
        "name",
        lambda c, a: code_create(actor=c.owner, study=c.study, name="Safety", rationale="Needed."),
        arrange=lambda c: _code(c, name="Safety"),
    ),
    BadInput(
        "a sub-code whose name its sibling has",
        "name",
        lambda c, a: code_create(
            actor=c.owner, study=c.study, name="Safety", parent=a["code"], rationale="Needed."
        ),
        arrange=lambda c: (
            lambda code: {
                "code": code,
                "sibling": factories.CodeFactory(study=c.study, parent=code, name="Safety"),
            }
        )(factories.CodeFactory(study=c.study)),
    ),
    BadInput(
        "a code renamed to its sibling's name",
        "name",
        lambda c, a: code_update(actor=c.owner, code=a["code"], name="Trust", rationale="Tidier."),
        arrange=lambda c: {
            "code": factories.CodeFactory(study=c.study, name="Safety"),
            "sibling": factories.CodeFactory(study=c.study, name="Trust"),
        },
    ),
    BadInput(
        "a code moved under its own sub-code",
        "parent",
        lambda c, a: code_update(
            actor=c.owner, code=a["code"], parent=a["child"], rationale="Tidier."
        ),
        arrange=lambda c: (
            lambda code: {
                "code": code,
                "child": factories.CodeFactory(study=c.study, parent=code),
            }
        )(factories.CodeFactory(study=c.study)),
    ),
    BadInput(
        "an empty coding",
        "start",
        lambda c, a: coding_create(
            actor=c.owner, revision=c.revision, start=5, end=5, code=a["code"]
        ),
        arrange=_code,
    ),
    BadInput(
        "a coding beyond the end of the text",
        "start",
        lambda c, a: coding_create(
            actor=c.owner,
            revision=c.revision,
            start=0,
            end=len(c.revision.text) + 1,
            code=a["code"],
        ),
        arrange=_code,
    ),
    BadInput(
        "a coding with another study's code",
        "code",
        lambda c, a: coding_create(
            actor=c.owner, revision=c.revision, start=0, end=5, code=a["code"]
        ),
        arrange=lambda c: {"code": factories.CodeFactory(study=c.other_study)},
    ),
    BadInput(
        "a session without coders",
        "coders",
        lambda c, a: coding_session_create(
            actor=c.owner,
            study=c.study,
            name="Round 1",
            mode="blind",
            coders=[],
            transcripts=[c.revision.transcript],
        ),
    ),
    BadInput(
        "a session with an interviewer as coder",
        "coders",
        lambda c, a: coding_session_create(
            actor=c.owner,
            study=c.study,
            name="Round 1",
            mode="blind",
            coders=[c.interviewer],
            transcripts=[c.revision.transcript],
        ),
    ),
    BadInput(
        "a session with an unknown mode",
        "mode",
        lambda c, a: coding_session_create(
            actor=c.owner,
            study=c.study,
            name="Round 1",
            mode="secret",
            coders=[c.analyst],
            transcripts=[c.revision.transcript],
        ),
    ),
    BadInput(
        "a meeting attended by a non-member",
        "attendees",
        lambda c, a: meeting_create(
            actor=c.owner,
            study=c.study,
            date=dt.date(2026, 6, 10),
            title="Workshop",
            attendees=[c.owner, c.outsider],
        ),
    ),
    BadInput(
        "a meeting without a title",
        "title",
        lambda c, a: meeting_create(
            actor=c.owner, study=c.study, date=dt.date(2026, 6, 10), title="", attendees=[]
        ),
    ),
    BadInput(
        "an empty memo",
        "text",
        lambda c, a: memo_create(actor=c.owner, study=c.study, text=""),
    ),
    BadInput(
        "a theme without a name",
        "name",
        lambda c, a: theme_create(actor=c.owner, study=c.study, name="", rationale="Needed."),
    ),
    BadInput(
        "a theme whose name is taken",
        "name",
        lambda c, a: theme_create(
            actor=c.owner, study=c.study, name="Being met", rationale="Again."
        ),
        arrange=lambda c: {
            "theme": Theme.objects.create(study=c.study, name="Being met", level="overarching")
        },
    ),
    BadInput(
        "a theme linked to another study's code",
        "codes",
        lambda c, a: theme_create(
            actor=c.owner, study=c.study, name="Being met", codes=[a["code"]], rationale="Needed."
        ),
        arrange=lambda c: {"code": factories.CodeFactory(study=c.other_study)},
    ),
    BadInput(
        "a theme with neither a meeting nor a rationale",
        "rationale",
        lambda c, a: theme_create(actor=c.owner, study=c.study, name="Being met"),
    ),
]


@pytest.mark.parametrize("bad", BAD_INPUT, ids=str)
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(cast, bad: BadInput):
    arranged = bad.arrange(cast)
    before = row_counts()

    with pytest.raises(DomainError) as refused:
        bad.call(cast, arranged)

    error = refused.value
    assert type(error) is DomainError
    # In the prose, not in a constraint's identifier ("Constraint “participant_age_plausible”").
    prose = re.sub(r"“[^”]*”", "", str(error)).lower()
    named = bad.field in error.detail or bad.field.replace("_", " ") in prose
    assert named, f"'{bad.field}' is not named in {error.detail}"
    assert row_counts() == before
