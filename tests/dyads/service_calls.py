"""Every write service of the three apps, called once on the `cast` study.

One table for the audit-trail and the role tests: each entry arranges what the
call needs (directly, with factories), makes the call as a given user, names the
audit events it must leave, in order, and the roles that may make it.
`expect_old`/`expect_new` give the first event's old value exactly and the items
its new value must contain.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from analysis.coding.models import SessionProgress
from analysis.coding.services.codebook import code_create, code_update
from analysis.coding.services.codings import coding_create, coding_delete, coding_recode
from analysis.coding.services.memos import memo_create
from analysis.coding.services.sessions import (
    coding_session_close,
    coding_session_create,
    session_progress_mark_done,
    session_progress_reopen,
)
from analysis.deliberation.models import (
    Decision,
    DecisionKind,
    DecisionState,
    JournalEntry,
    MeetingPassage,
    MeetingRecord,
)
from analysis.deliberation.services.journal import (
    journal_entry_create,
    journal_entry_delete,
    journal_entry_update,
)
from analysis.deliberation.services.meetings import (
    meeting_create,
    meeting_passage_add,
    meeting_passage_remove,
)
from analysis.deliberation.services.proposals import (
    decision_accept,
    decision_propose,
    decision_reject,
)
from analysis.supervision.models import AuditFinding, AuditRound
from analysis.supervision.services import (
    audit_finding_record,
    audit_finding_reply,
    audit_round_draw,
    audit_round_sign_off,
)
from analysis.themes.services.themes import theme_create
from dyads.audit_comments import audit_comment_create
from dyads.models import StudyMembership
from dyads.services import (
    REDACTED,
    dyad_create,
    membership_remove,
    membership_set,
    participant_create,
    participant_update,
    recruitment_event_record,
    site_create,
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
from interviews.turns import detect_turns
from tests import factories

TEXT = "I: How was the first session?\n\nT: He watched me very closely.\n"

Arranged = dict[str, Any]


def nothing(cast, actor) -> Arranged:
    return {}


def no_old(cast, arranged, result) -> Any:
    return None


@dataclass(frozen=True)
class ServiceCall:
    name: str
    act: Callable[[Any, Any, Arranged], Any]
    actions: tuple[str, ...]
    allowed: frozenset[str]
    arrange: Callable[[Any, Any], Arranged] = nothing
    expect_old: Callable[[Any, Arranged, Any], Any] = no_old
    expect_new: Callable[[Any, Arranged, Any], dict | None] = lambda cast, arranged, result: {}
    # The object the first event is about, when the service returns nothing.
    target: Callable[[Any, Arranged, Any], Any] = field(
        default=lambda cast, arranged, result: result
    )

    def __str__(self) -> str:
        return self.name


OWNER = frozenset({"owner"})
CODERS = frozenset({"owner", "analyst"})
INTERVIEWERS = frozenset({"owner", "interviewer"})


def _code(cast, actor) -> Arranged:
    return {"code": factories.CodeFactory(study=cast.study, name="Safety")}


def _session_coded_by(cast, actor, done: bool = False) -> Arranged:
    """An open session in which the actor codes the cast's transcript (marked done or not)."""
    transcript = cast.revision.transcript
    session = factories.CodingSessionFactory(
        study=cast.study, created_by=cast.owner, coders=[actor], transcripts=[transcript]
    )
    if done:
        SessionProgress.objects.create(
            session=session, transcript=transcript, coder=actor, done_at=dt.datetime.now(dt.UTC)
        )
    return {"session": session}


JOURNALISTS = frozenset({"owner", "analyst", "interviewer"})
AUDITORS = frozenset({"owner", "auditor"})


def _meeting(cast, actor) -> Arranged:
    return {"meeting": factories.MeetingFactory(study=cast.study, created_by=cast.owner)}


def _proposal(cast, actor) -> Arranged:
    code = factories.CodeFactory(study=cast.study, name="Safety")
    return {
        "code": code,
        "meeting": factories.MeetingFactory(study=cast.study, created_by=cast.owner),
        "proposal": Decision.objects.create(
            study=cast.study,
            kind=DecisionKind.CODE_REDEFINE,
            state=DecisionState.PROPOSED,
            code=code,
            proposal={"changes": {"definition": "Safe enough to speak."}},
            rationale="Coders read it differently.",
            author=cast.analyst,
        ),
    }


def _entry(cast, actor) -> Arranged:
    return {
        "entry": JournalEntry.objects.create(
            study=cast.study,
            author=actor,
            date=dt.date(2026, 5, 3),
            text="First impressions.",
            shared=True,
        )
    }


def _coding(cast, actor) -> Arranged:
    return {
        "coding": factories.CodingFactory(
            revision=cast.revision, code=factories.CodeFactory(study=cast.study), coder=actor
        )
    }


def _finding(cast, actor, verdict: str = "", comment: str = "") -> Arranged:
    coding = _coding(cast, actor)["coding"]
    audit_round = AuditRound.objects.create(
        study=cast.study,
        title="Round 1",
        seed=1,
        per_stratum=1,
        population_at=coding.created_at,
        population_size=1,
        created_by=cast.owner,
    )
    return {
        "finding": AuditFinding.objects.create(
            round=audit_round,
            coding=coding,
            position=1,
            verdict=verdict,
            comment=comment,
            recorded_by=cast.owner if verdict else None,
            recorded_at=coding.created_at if verdict else None,
        )
    }


CALLS = [
    ServiceCall(
        "study_update",
        lambda cast, actor, _: study_update(actor=actor, study=cast.study, title="Helpful therapy"),
        ("study.update",),
        OWNER,
        expect_old=lambda cast, _, __: {"title": "Therapist and client experiences"},
        expect_new=lambda cast, _, __: {"title": "Helpful therapy"},
    ),
    ServiceCall(
        "membership_set adds a member",
        lambda cast, actor, a: membership_set(
            actor=actor, study=cast.study, username="newcomer", role="analyst"
        ),
        ("membership.add",),
        OWNER,
        arrange=lambda cast, actor: {"user": factories.UserFactory(username="newcomer")},
        expect_new=lambda cast, a, _: {"user": a["user"].pk, "role": "analyst"},
    ),
    ServiceCall(
        "membership_set changes a role",
        lambda cast, actor, _: membership_set(
            actor=actor, study=cast.study, username="analyst", role="auditor"
        ),
        ("membership.change_role",),
        OWNER,
        expect_old=lambda cast, _, __: {"role": "analyst"},
        expect_new=lambda cast, _, __: {"role": "auditor"},
    ),
    ServiceCall(
        "membership_remove",
        lambda cast, actor, a: membership_remove(actor=actor, membership=a["membership"]),
        ("membership.remove",),
        OWNER,
        arrange=lambda cast, actor: {
            "membership": StudyMembership.objects.get(study=cast.study, user=cast.analyst)
        },
        expect_old=lambda cast, _, __: {"user": cast.analyst.pk, "role": "analyst"},
        expect_new=lambda cast, _, __: None,
        target=lambda cast, a, _: a["membership"],
    ),
    ServiceCall(
        "site_create",
        lambda cast, actor, _: site_create(
            actor=actor, study=cast.study, name="Nordvik clinic", city="Nordvik"
        ),
        ("site.create",),
        OWNER,
        expect_new=lambda cast, _, __: {
            "study": cast.study.pk,
            "name": "Nordvik clinic",
            "city": "Nordvik",
        },
    ),
    ServiceCall(
        "participant_create",
        lambda cast, actor, _: participant_create(
            actor=actor, study=cast.study, role="client", pseudonym="C9", age=30
        ),
        ("participant.create",),
        OWNER,
        # Personal attributes are never logged, only that they were set (erasure).
        expect_new=lambda cast, _, __: {"pseudonym": "C9", "role": "client", "age": REDACTED},
    ),
    ServiceCall(
        "participant_update",
        lambda cast, actor, _: participant_update(
            actor=actor, participant=cast.dyad.client, age=40
        ),
        ("participant.update",),
        OWNER,
        expect_old=lambda cast, _, __: {"age": REDACTED},
        expect_new=lambda cast, _, __: {"age": REDACTED},
    ),
    ServiceCall(
        "dyad_create",
        lambda cast, actor, a: dyad_create(
            actor=actor,
            study=cast.study,
            label="Dyad 2",
            therapist=a["therapist"],
            client=a["client"],
        ),
        ("dyad.create",),
        OWNER,
        arrange=lambda cast, actor: {
            "therapist": factories.TherapistFactory(study=cast.study),
            "client": factories.ParticipantFactory(study=cast.study),
        },
        expect_new=lambda cast, a, _: {
            "label": "Dyad 2",
            "therapist": a["therapist"].pk,
            "client": a["client"].pk,
        },
    ),
    ServiceCall(
        "recruitment_event_record",
        lambda cast, actor, _: recruitment_event_record(
            actor=actor,
            study=cast.study,
            step="dropped_out",
            occurred_on=dt.date(2026, 1, 5),
            role="client",
            reason="Moved away.",
        ),
        ("recruitment.record",),
        OWNER,
        expect_new=lambda cast, _, __: {
            "step": "dropped_out",
            "occurred_on": "2026-01-05",
            "role": "client",
            "reason": "Moved away.",
        },
    ),
    ServiceCall(
        "interview_create",
        lambda cast, actor, _: interview_create(
            actor=actor,
            participant=cast.dyad.therapist,
            dyad=cast.dyad,
            sequence_number=2,
            focus="background",
            timing="during",
        ),
        ("interview.create",),
        INTERVIEWERS,
        expect_new=lambda cast, _, __: {
            "participant": cast.dyad.therapist.pk,
            "dyad": cast.dyad.pk,
            "sequence_number": 2,
            "focus": "background",
            "timing": "during",
        },
    ),
    ServiceCall(
        "interview_update",
        lambda cast, actor, _: interview_update(
            actor=actor, interview=cast.therapist_interview, duration_minutes=75
        ),
        ("interview.update",),
        INTERVIEWERS,
        expect_old=lambda cast, _, __: {"duration_minutes": 60},
        expect_new=lambda cast, _, __: {"duration_minutes": 75},
    ),
    ServiceCall(
        "guide_create",
        lambda cast, actor, _: guide_create(
            actor=actor,
            study=cast.study,
            title="Client guide",
            role="client",
            questions=["What helped?", "What did not?"],
        ),
        ("guide.create",),
        INTERVIEWERS,
        expect_new=lambda cast, _, __: {
            "title": "Client guide",
            "role": "client",
            "questions": ["What helped?", "What did not?"],
        },
    ),
    ServiceCall(
        "guide_question_add",
        lambda cast, actor, a: guide_question_add(
            actor=actor,
            guide=a["guide"],
            text="You mentioned your sister. Did she come into the therapy?",
            participant=cast.dyad.client,
        ),
        ("guide.add_question",),
        INTERVIEWERS,
        arrange=lambda cast, actor: {
            "guide": InterviewGuide.objects.create(study=cast.study, title="Client guide")
        },
        expect_new=lambda cast, a, _: {
            "guide": a["guide"].pk,
            "position": 1,
            "participant": cast.dyad.client.pk,
        },
    ),
    ServiceCall(
        "transcript_revision_create",
        lambda cast, actor, _: transcript_revision_create(
            actor=actor,
            interview=cast.therapist_interview,
            text=TEXT,
            turns=detect_turns(TEXT),
            source_name="t1.txt",
        ),
        ("transcript.add_revision",),
        INTERVIEWERS,
        expect_new=lambda cast, _, __: {
            "interview": cast.therapist_interview.pk,
            "number": 1,
            "characters": len(TEXT),
            "turns": 2,
            "source_name": "t1.txt",
        },
    ),
    ServiceCall(
        "code_create",
        lambda cast, actor, _: code_create(
            actor=actor,
            study=cast.study,
            name="Feeling safe",
            definition="Safe enough to speak.",
            rationale="Needed from the first transcript on.",
        ),
        ("code.create", "decision.record"),
        CODERS,
        expect_new=lambda cast, _, __: {
            "name": "Feeling safe",
            "parent": None,
            "definition": "Safe enough to speak.",
        },
    ),
    ServiceCall(
        "code_update redefines a code",
        lambda cast, actor, a: code_update(
            actor=actor,
            code=a["code"],
            definition="Safe enough to speak.",
            rationale="Sharpened after round 1.",
        ),
        ("code.update", "decision.record"),
        CODERS,
        arrange=_code,
        expect_old=lambda cast, _, __: {"definition": "What this code captures."},
        expect_new=lambda cast, _, __: {"definition": "Safe enough to speak."},
    ),
    ServiceCall(
        "code_update recolours a code",
        lambda cast, actor, a: code_update(actor=actor, code=a["code"], colour="#e15759"),
        ("code.update",),
        CODERS,
        arrange=_code,
        expect_old=lambda cast, _, __: {"colour": "#4e79a7"},
        expect_new=lambda cast, _, __: {"colour": "#e15759"},
    ),
    ServiceCall(
        "coding_create",
        lambda cast, actor, a: coding_create(
            actor=actor, revision=cast.revision, start=0, end=10, code=a["code"]
        ),
        ("coding.create",),
        CODERS,
        arrange=_code,
        expect_new=lambda cast, a, _: {
            "revision": cast.revision.pk,
            "start": 0,
            "end": 10,
            "code": a["code"].pk,
            "session": None,
        },
    ),
    ServiceCall(
        "coding_delete",
        lambda cast, actor, a: coding_delete(actor=actor, coding=a["coding"]),
        ("coding.delete",),
        CODERS,
        arrange=lambda cast, actor: {
            "coding": factories.CodingFactory(
                revision=cast.revision,
                code=factories.CodeFactory(study=cast.study),
                coder=actor,
                start=3,
                end=12,
            )
        },
        expect_old=lambda cast, a, _: {
            "revision": cast.revision.pk,
            "start": 3,
            "end": 12,
            "code": a["coding"].code_id,
            "coder": a["coding"].coder_id,
        },
        expect_new=lambda cast, _, __: None,
        target=lambda cast, a, _: a["coding"],
    ),
    ServiceCall(
        "coding_recode",
        lambda cast, actor, a: coding_recode(actor=actor, coding=a["coding"], code=a["code"]),
        ("coding.recode",),
        CODERS,
        arrange=lambda cast, actor: {
            **_code(cast, actor),
            "coding": factories.CodingFactory(revision=cast.revision, coder=actor, start=3, end=12),
        },
        expect_old=lambda cast, a, _: {"code": a["coding"].code_id},
        expect_new=lambda cast, a, _: {"code": a["code"].pk},
    ),
    ServiceCall(
        "coding_session_create",
        lambda cast, actor, _: coding_session_create(
            actor=actor,
            study=cast.study,
            name="Round 1",
            mode="blind",
            coders=[cast.analyst],
            transcripts=[cast.revision.transcript],
        ),
        ("session.create",),
        OWNER,
        expect_new=lambda cast, _, __: {
            "name": "Round 1",
            "mode": "blind",
            "coders": [cast.analyst.pk],
            "transcripts": [cast.revision.transcript_id],
        },
    ),
    ServiceCall(
        "coding_session_close",
        lambda cast, actor, a: coding_session_close(actor=actor, session=a["session"]),
        ("session.close",),
        OWNER,
        arrange=lambda cast, actor: {
            "session": factories.CodingSessionFactory(study=cast.study, created_by=cast.owner)
        },
        expect_old=lambda cast, _, __: {"state": "open"},
        expect_new=lambda cast, _, __: {"state": "closed"},
    ),
    ServiceCall(
        "session_progress_mark_done",
        lambda cast, actor, a: session_progress_mark_done(
            actor=actor, session=a["session"], transcript=cast.revision.transcript
        ),
        ("session.transcript_done",),
        CODERS,
        arrange=_session_coded_by,
        expect_new=lambda cast, a, _: {
            "session": a["session"].pk,
            "transcript": cast.revision.transcript_id,
        },
    ),
    ServiceCall(
        "session_progress_reopen",
        lambda cast, actor, a: session_progress_reopen(
            actor=actor, session=a["session"], transcript=cast.revision.transcript
        ),
        ("session.transcript_reopen",),
        CODERS,
        arrange=lambda cast, actor: _session_coded_by(cast, actor, done=True),
        expect_new=lambda cast, a, _: {"done_at": None},
    ),
    ServiceCall(
        "meeting_create",
        lambda cast, actor, _: meeting_create(
            actor=actor,
            study=cast.study,
            date=dt.date(2026, 6, 10),
            title="Codebook workshop",
            attendees=[cast.owner, cast.analyst],
        ),
        ("meeting.create",),
        frozenset({"owner", "analyst"}),
        expect_new=lambda cast, _, __: {
            "date": "2026-06-10",
            "title": "Codebook workshop",
            "attendees": sorted([cast.owner.pk, cast.analyst.pk]),
        },
    ),
    ServiceCall(
        "memo_create",
        lambda cast, actor, a: memo_create(
            actor=actor, study=cast.study, title="Safety", text="Both sides.", code=a["code"]
        ),
        ("memo.create",),
        CODERS,
        arrange=_code,
        expect_new=lambda cast, a, _: {
            "title": "Safety",
            "text": "Both sides.",
            "code": a["code"].pk,
            "coding": None,
        },
    ),
    ServiceCall(
        "theme_create",
        lambda cast, actor, a: theme_create(
            actor=actor,
            study=cast.study,
            name="Being met as a person",
            codes=[a["code"]],
            meeting=a["meeting"],
        ),
        ("theme.create", "decision.record"),
        CODERS,
        arrange=lambda cast, actor: {
            **_code(cast, actor),
            "meeting": MeetingRecord.objects.create(
                study=cast.study, date=dt.date(2026, 10, 21), title="Themes", created_by=cast.owner
            ),
        },
        expect_new=lambda cast, a, _: {
            "name": "Being met as a person",
            "level": "overarching",
            "parent": None,
            "codes": [a["code"].pk],
        },
    ),
    # Meetings, decisions, the journal and the audit (issue 6) ----------------------------
    ServiceCall(
        "meeting_passage_add",
        lambda cast, actor, a: meeting_passage_add(
            actor=actor,
            meeting=a["meeting"],
            interview=cast.client_interview,
            revision=cast.revision,
            start=0,
            end=10,
            t_start=61_000,
            t_end=75_500,
        ),
        ("meeting.add_passage",),
        CODERS,
        arrange=_meeting,
        expect_new=lambda cast, a, _: {
            "meeting": a["meeting"].pk,
            "interview": cast.client_interview.pk,
            "revision": cast.revision.pk,
            "start": 0,
            "end": 10,
            "t_start": 61_000,
            "t_end": 75_500,
        },
    ),
    ServiceCall(
        "meeting_passage_remove",
        lambda cast, actor, a: meeting_passage_remove(actor=actor, passage=a["passage"]),
        ("meeting.remove_passage",),
        CODERS,
        arrange=lambda cast, actor: {
            "passage": MeetingPassage.objects.create(
                meeting=_meeting(cast, actor)["meeting"],
                interview=cast.client_interview,
                t_start=1_000,
                t_end=2_000,
                added_by=cast.owner,
            )
        },
        expect_old=lambda cast, a, _: {
            "meeting": a["passage"].meeting_id,
            "interview": cast.client_interview.pk,
            "revision": None,
            "start": None,
            "end": None,
            "t_start": 1_000,
            "t_end": 2_000,
            "note": "",
        },
        expect_new=lambda cast, _, __: None,
        target=lambda cast, a, _: a["passage"],
    ),
    ServiceCall(
        "decision_propose",
        lambda cast, actor, a: decision_propose(
            actor=actor,
            study=cast.study,
            kind="code_redefine",
            code=a["code"],
            changes={"definition": "Safe enough to speak."},
            rationale="Coders read it differently.",
        ),
        ("decision.propose",),
        CODERS,
        arrange=_code,
        expect_new=lambda cast, a, _: {
            "kind": "code_redefine",
            "state": "proposed",
            "code": a["code"].pk,
            "proposal": {"changes": {"definition": "Safe enough to speak."}},
        },
    ),
    ServiceCall(
        "decision_accept applies the proposed change",
        lambda cast, actor, a: decision_accept(
            actor=actor, decision=a["proposal"], meeting=a["meeting"]
        ),
        ("code.update", "decision.accept"),
        OWNER,
        arrange=_proposal,
        expect_old=lambda cast, _, __: {"definition": "What this code captures."},
        expect_new=lambda cast, _, __: {"definition": "Safe enough to speak."},
        target=lambda cast, a, _: a["code"],
    ),
    ServiceCall(
        "decision_reject",
        lambda cast, actor, a: decision_reject(
            actor=actor, decision=a["proposal"], reason="Too narrow."
        ),
        ("decision.reject",),
        OWNER,
        arrange=_proposal,
        expect_old=lambda cast, _, __: {"state": "proposed"},
        expect_new=lambda cast, _, __: {"state": "rejected", "decision_note": "Too narrow."},
    ),
    ServiceCall(
        "journal_entry_create",
        lambda cast, actor, _: journal_entry_create(
            actor=actor,
            study=cast.study,
            date=dt.date(2026, 5, 4),
            text="My own therapy colours how I hear T1.",
            shared=True,
        ),
        ("journal.create",),
        JOURNALISTS,
        expect_new=lambda cast, _, __: {
            "date": "2026-05-04",
            "text": "My own therapy colours how I hear T1.",
            "shared": True,
        },
    ),
    ServiceCall(
        "journal_entry_update",
        lambda cast, actor, a: journal_entry_update(
            actor=actor, entry=a["entry"], text="Less so after supervision."
        ),
        ("journal.update",),
        JOURNALISTS,
        arrange=_entry,
        expect_old=lambda cast, _, __: {"text": "First impressions."},
        expect_new=lambda cast, _, __: {"text": "Less so after supervision."},
    ),
    ServiceCall(
        "journal_entry_delete",
        lambda cast, actor, a: journal_entry_delete(actor=actor, entry=a["entry"]),
        ("journal.delete",),
        JOURNALISTS,
        arrange=_entry,
        expect_old=lambda cast, _, __: {
            "date": "2026-05-03",
            "title": "",
            "text": "First impressions.",
            "shared": True,
        },
        expect_new=lambda cast, _, __: None,
        target=lambda cast, a, _: a["entry"],
    ),
    ServiceCall(
        "audit_comment_create",
        lambda cast, actor, a: audit_comment_create(
            actor=actor,
            study=cast.study,
            object_type="analysis.coding",
            object_id=a["coding"].pk,
            text="Is this safety or compliance?",
        ),
        ("audit_comment.create",),
        AUDITORS,
        arrange=_coding,
        expect_new=lambda cast, a, _: {
            "object_type": "analysis.coding",
            "object_id": str(a["coding"].pk),
            "text": "Is this safety or compliance?",
        },
    ),
    ServiceCall(
        "audit_round_draw",
        lambda cast, actor, a: audit_round_draw(
            actor=actor, study=cast.study, title="Round A", strata=["coder"], per_stratum=1, seed=7
        ),
        ("audit_round.draw",),
        AUDITORS,
        arrange=_coding,
        expect_new=lambda cast, a, _: {
            "title": "Round A",
            "seed": 7,
            "strata": ["coder"],
            "per_stratum": 1,
            "population_size": 1,
            "codings": [a["coding"].pk],
        },
    ),
    ServiceCall(
        "audit_finding_record",
        lambda cast, actor, a: audit_finding_record(
            actor=actor, finding=a["finding"], verdict="query", comment="Why not Trust?"
        ),
        ("audit_finding.record",),
        AUDITORS,
        arrange=_finding,
        expect_old=lambda cast, _, __: {"verdict": "", "comment": ""},
        expect_new=lambda cast, a, _: {
            "verdict": "query",
            "comment": "Why not Trust?",
            "coding": a["finding"].coding_id,
        },
    ),
    ServiceCall(
        "audit_finding_reply",
        lambda cast, actor, a: audit_finding_reply(
            actor=actor, finding=a["finding"], reply="Trust comes later in the interview."
        ),
        ("audit_finding.reply",),
        CODERS,
        arrange=lambda cast, actor: _finding(cast, actor, verdict="query", comment="Why?"),
        expect_old=lambda cast, _, __: {"coder_reply": ""},
        expect_new=lambda cast, _, __: {"coder_reply": "Trust comes later in the interview."},
    ),
    ServiceCall(
        "audit_round_sign_off",
        lambda cast, actor, a: audit_round_sign_off(
            actor=actor, audit_round=a["finding"].round, note="Coding is sound."
        ),
        ("audit_round.sign_off",),
        AUDITORS,
        arrange=lambda cast, actor: _finding(cast, actor, verdict="agree"),
        expect_new=lambda cast, _, __: {
            "note": "Coding is sound.",
            "verdicts": {"agree": 1, "query": 0, "disagree": 0},
        },
    ),
]

CALLS_BY_NAME = {call.name: call for call in CALLS}


def row_counts() -> dict[str, int]:
    """The number of rows of every model of the three apps (and their link tables)."""
    return {
        model._meta.label: model.objects.count()
        for label in ("dyads", "interviews", "analysis")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
