"""Every API endpoint answers every role as DESIGN.md's role matrix says.

MATRIX has one row per endpoint (URL name and method) with the expected
status for the owner, analyst, auditor and interviewer of the study, the
outsider (owner of another study only) and an anonymous caller. The first
test fails when config/api_urls.py has an endpoint without a row, so a new
endpoint cannot ship unchecked: add its row here.

Each row's request is made by each role against the same freshly built
world, each inside a savepoint that is rolled back, so one role's write does
not change what the next role sees. A refused request must write nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern

from analysis.coding.models import Coding, CodingReview
from config import api_urls
from dyads.models import AuditEvent
from interviews.models import PseudonymProposal
from tests.analysis.refi_files import qdpx_with
from tests.api import agreement_world, audit_world, theme_world
from tests.api.exchange_world import owners_export, owners_previewed_import
from tests.api.world import World, build_world
from tests.conftest import api_as
from tests.factories import PASSWORD

# A minimal valid WAV file: RIFF header, a fmt chunk and an empty data chunk.
WAV = (
    b"RIFF"
    + (36).to_bytes(4, "little")
    + b"WAVEfmt "
    + (16).to_bytes(4, "little")
    + (1).to_bytes(2, "little")
    + (1).to_bytes(2, "little")
    + (8000).to_bytes(4, "little")
    + (8000).to_bytes(4, "little")
    + (1).to_bytes(2, "little")
    + (8).to_bytes(2, "little")
    + b"data"
    + (0).to_bytes(4, "little")
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


ROLES = ("owner", "analyst", "auditor", "interviewer", "outsider", "anonymous")


def expect(owner, analyst, auditor, interviewer, outsider, anonymous) -> dict[str, int]:
    return dict(
        zip(ROLES, (owner, analyst, auditor, interviewer, outsider, anonymous), strict=True)
    )


# The recurring patterns, named by what the role matrix gives each role.
PUBLIC = expect(200, 200, 200, 200, 200, 200)
SIGNED_IN = expect(200, 200, 200, 200, 200, 401)
STUDY_READ = expect(200, 200, 200, 200, 404, 401)
ANALYSIS_LIST = expect(200, 200, 200, 403, 404, 401)
ANALYSIS_READ = expect(200, 200, 200, 404, 404, 401)
AUDIT_LIST = expect(200, 403, 200, 403, 404, 401)
AUDIT_READ = expect(200, 404, 200, 404, 404, 401)
OWNER_ONLY_READ = expect(200, 404, 404, 404, 404, 401)
OWNER_CREATE = expect(201, 403, 403, 403, 400, 401)
OWNER_ACTION = expect(201, 403, 403, 403, 404, 401)
OWNER_CHANGE = expect(200, 403, 403, 403, 404, 401)
OWNER_DELETE = expect(204, 403, 403, 403, 404, 401)
OWNER_ERASE = expect(200, 403, 403, 403, 404, 401)
CODER_CREATE = expect(201, 201, 403, 403, 400, 401)
CODER_ACTION = expect(201, 201, 403, 404, 404, 401)
CODER_CHANGE = expect(200, 200, 403, 404, 404, 401)
CODER_DELETE = expect(204, 204, 403, 404, 404, 401)
OWNER_ANALYSIS_CHANGE = expect(200, 403, 403, 404, 404, 401)
INTERVIEWS_CREATE = expect(201, 403, 403, 201, 400, 401)
INTERVIEWS_ACTION = expect(201, 403, 403, 201, 404, 401)
INTERVIEWS_CHANGE = expect(200, 403, 403, 200, 404, 401)
INTERVIEWS_DELETE = expect(204, 403, 403, 204, 404, 401)
AUDIT_COMMENT_CREATE = expect(201, 403, 201, 403, 400, 401)


@dataclass(frozen=True)
class Row:
    """One endpoint: its URL (and body) in the world, and each role's expected status."""

    url: Callable[[World], str]
    expected: dict[str, int]
    body: Callable[[World], dict[str, Any]] | None = None
    format: str = "json"


def interviewers_proposal(world: World) -> PseudonymProposal:
    return PseudonymProposal.objects.create(
        study=world.study,
        original="Tormod",
        replacement="[friend]",
        proposed_by=world.cast.interviewer,
    )


def flagged_coding(world: World) -> int:
    """The world's coding, flagged for review as a correction of its transcript would."""
    coding = world.coding
    Coding.objects.filter(pk=coding.pk).update(needs_review=True)
    CodingReview.objects.create(
        coding=coding, revision=coding.revision, start=coding.start, end=coding.end, state="changed"
    )
    return coding.pk


def study_list(path: str) -> Callable[[World], str]:
    return lambda w: f"/api/v1/{path}/?study={w.study.pk}"


MATRIX: dict[tuple[str, str], Row] = {
    # Outside the router.
    ("api-root", "GET"): Row(lambda w: "/api/v1/", SIGNED_IN),
    ("api-schema", "GET"): Row(lambda w: "/api/v1/schema/", PUBLIC),
    ("api-docs", "GET"): Row(lambda w: "/api/v1/docs/", PUBLIC),
    ("api-token", "POST"): Row(
        lambda w: "/api/v1/auth/token/",
        expect(200, 200, 200, 200, 200, 400),
        # Each role asks for its own token; "anonymous" is nobody's username.
        body=lambda w: {"password": PASSWORD},
    ),
    ("api-token", "DELETE"): Row(
        lambda w: "/api/v1/auth/token/", expect(204, 204, 204, 204, 204, 401)
    ),
    ("api-participant-erase", "POST"): Row(
        lambda w: f"/api/v1/participants/{w.lone_client.pk}/erase/",
        OWNER_ERASE,
        body=lambda w: {"pseudonym": "C-lone", "reason": "consent_withdrawn"},
    ),
    ("api-transcript-redact", "POST"): Row(
        lambda w: f"/api/v1/transcripts/{w.transcript.pk}/redact/",
        OWNER_ERASE,
        body=lambda w: {"text": "dark room"},
    ),
    # Studies, members, invitations.
    ("study-list", "GET"): Row(lambda w: "/api/v1/studies/", SIGNED_IN),
    ("study-list", "POST"): Row(
        lambda w: "/api/v1/studies/",
        expect(201, 201, 201, 201, 201, 401),
        body=lambda w: {"title": "A new study", "slug": "new-study"},
    ),
    ("study-detail", "GET"): Row(lambda w: f"/api/v1/studies/{w.study.pk}/", STUDY_READ),
    ("study-detail", "PATCH"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/",
        OWNER_CHANGE,
        body=lambda w: {"title": "Renamed"},
    ),
    ("study-members", "GET"): Row(lambda w: f"/api/v1/studies/{w.study.pk}/members/", STUDY_READ),
    ("study-members", "POST"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/members/",
        OWNER_ACTION,
        body=lambda w: {"username": "newbie", "role": "analyst"},
    ),
    ("study-member", "PATCH"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/members/{w.spare_membership.pk}/",
        OWNER_CHANGE,
        body=lambda w: {"role": "auditor"},
    ),
    ("study-member", "DELETE"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/members/{w.spare_membership.pk}/", OWNER_DELETE
    ),
    ("study-invitations", "GET"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/invitations/", OWNER_CHANGE
    ),
    ("study-invitations", "POST"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/invitations/",
        OWNER_ACTION,
        body=lambda w: {"email": "new@example.org", "role": "auditor"},
    ),
    ("study-invitation", "DELETE"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/invitations/{w.invitation.pk}/", OWNER_DELETE
    ),
    # People.
    ("site-list", "GET"): Row(study_list("sites"), STUDY_READ),
    ("site-list", "POST"): Row(
        lambda w: "/api/v1/sites/",
        OWNER_CREATE,
        body=lambda w: {"study": w.study.pk, "name": "Clinic West"},
    ),
    ("site-detail", "GET"): Row(lambda w: f"/api/v1/sites/{w.site.pk}/", STUDY_READ),
    ("site-detail", "PATCH"): Row(
        lambda w: f"/api/v1/sites/{w.site.pk}/", OWNER_CHANGE, body=lambda w: {"city": "Bergen"}
    ),
    ("site-detail", "DELETE"): Row(lambda w: f"/api/v1/sites/{w.spare_site.pk}/", OWNER_DELETE),
    ("participant-list", "GET"): Row(study_list("participants"), STUDY_READ),
    ("participant-list", "POST"): Row(
        lambda w: "/api/v1/participants/",
        OWNER_CREATE,
        body=lambda w: {"study": w.study.pk, "role": "client", "pseudonym": "C-new"},
    ),
    ("participant-detail", "GET"): Row(
        lambda w: f"/api/v1/participants/{w.lone_client.pk}/", STUDY_READ
    ),
    ("participant-detail", "PATCH"): Row(
        lambda w: f"/api/v1/participants/{w.lone_client.pk}/",
        OWNER_CHANGE,
        body=lambda w: {"age": 40, "version": 1},
    ),
    ("participant-detail", "DELETE"): Row(
        lambda w: f"/api/v1/participants/{w.lone_client.pk}/", OWNER_DELETE
    ),
    ("dyad-list", "GET"): Row(study_list("dyads"), STUDY_READ),
    ("dyad-list", "POST"): Row(
        lambda w: "/api/v1/dyads/",
        OWNER_CREATE,
        body=lambda w: {
            "study": w.study.pk,
            "label": "Dyad new",
            "therapist": w.lone_therapist.pk,
            "client": w.lone_client.pk,
        },
    ),
    ("dyad-detail", "GET"): Row(lambda w: f"/api/v1/dyads/{w.spare_dyad.pk}/", STUDY_READ),
    ("dyad-detail", "PATCH"): Row(
        lambda w: f"/api/v1/dyads/{w.spare_dyad.pk}/",
        OWNER_CHANGE,
        body=lambda w: {"therapy_sessions": 24, "version": 1},
    ),
    ("dyad-detail", "DELETE"): Row(lambda w: f"/api/v1/dyads/{w.spare_dyad.pk}/", OWNER_DELETE),
    ("recruitmentevent-list", "GET"): Row(study_list("recruitment-events"), STUDY_READ),
    ("recruitmentevent-list", "POST"): Row(
        lambda w: "/api/v1/recruitment-events/",
        OWNER_CREATE,
        body=lambda w: {
            "study": w.study.pk,
            "step": "dropped_out",
            "occurred_on": "2026-02-01",
            "participant": w.lone_client.pk,
            "reason": "Moved away",
        },
    ),
    ("recruitmentevent-detail", "GET"): Row(
        lambda w: f"/api/v1/recruitment-events/{w.recruitment.pk}/", STUDY_READ
    ),
    # Audit trail and access log.
    ("auditevent-list", "GET"): Row(study_list("audit-events"), AUDIT_LIST),
    ("auditevent-detail", "GET"): Row(
        lambda w: f"/api/v1/audit-events/{w.audit_event.pk}/", AUDIT_READ
    ),
    ("accessevent-list", "GET"): Row(study_list("access-events"), AUDIT_LIST),
    ("accessevent-detail", "GET"): Row(
        lambda w: f"/api/v1/access-events/{w.access_event.pk}/", AUDIT_READ
    ),
    # Interviews, guides, transcripts.
    ("interviewguide-list", "GET"): Row(study_list("guides"), STUDY_READ),
    ("interviewguide-list", "POST"): Row(
        lambda w: "/api/v1/guides/",
        INTERVIEWS_CREATE,
        body=lambda w: {"study": w.study.pk, "title": "Client guide", "question_texts": ["Why?"]},
    ),
    ("interviewguide-detail", "GET"): Row(lambda w: f"/api/v1/guides/{w.guide.pk}/", STUDY_READ),
    ("interviewguide-detail", "PATCH"): Row(
        lambda w: f"/api/v1/guides/{w.guide.pk}/",
        INTERVIEWS_CHANGE,
        body=lambda w: {"title": "Therapist guide, v2"},
    ),
    ("interviewguide-questions", "POST"): Row(
        lambda w: f"/api/v1/guides/{w.guide.pk}/questions/",
        INTERVIEWS_ACTION,
        body=lambda w: {"text": "And then?", "participant": w.lone_client.pk},
    ),
    ("interview-list", "GET"): Row(study_list("interviews"), STUDY_READ),
    ("interview-list", "POST"): Row(
        lambda w: "/api/v1/interviews/",
        INTERVIEWS_CREATE,
        body=lambda w: {
            "participant": w.lone_therapist.pk,
            "sequence_number": 1,
            "focus": "background",
            "timing": "during",
        },
    ),
    ("interview-detail", "GET"): Row(
        lambda w: f"/api/v1/interviews/{w.spare_interview.pk}/", STUDY_READ
    ),
    ("interview-detail", "PATCH"): Row(
        lambda w: f"/api/v1/interviews/{w.spare_interview.pk}/",
        INTERVIEWS_CHANGE,
        body=lambda w: {"duration_minutes": 75},
    ),
    ("interview-detail", "DELETE"): Row(
        lambda w: f"/api/v1/interviews/{w.spare_interview.pk}/", INTERVIEWS_DELETE
    ),
    ("interview-transcripts", "POST"): Row(
        lambda w: f"/api/v1/interviews/{w.spare_interview.pk}/transcripts/",
        expect(202, 403, 403, 202, 404, 401),
        body=lambda w: {"file": upload("interview.txt", b"I: How are you?\n\nP: Fine.\n")},
        format="multipart",
    ),
    ("api-transcript-batches", "POST"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/transcript-batches/",
        expect(202, 403, 403, 202, 404, 401),
        body=lambda w: {
            "files": upload(
                f"{w.spare_interview.participant.pseudonym}_interview1.txt",
                b"I: How are you?\n\nP: Fine.\n",
            ),
            "pattern": "{participant}_interview{number}",
        },
        format="multipart",
    ),
    ("interview-audio", "POST"): Row(
        lambda w: f"/api/v1/interviews/{w.spare_interview.pk}/audio/",
        INTERVIEWS_ACTION,
        body=lambda w: {"file": upload("interview.wav", WAV)},
        format="multipart",
    ),
    # Exchange: exports, imports and their jobs (a job is its starter's alone).
    ("api-study-exports", "POST"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/exports/",
        expect(202, 202, 202, 403, 404, 401),
        body=lambda w: {"format": "qdc"},
    ),
    ("api-study-imports", "POST"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/imports/",
        expect(202, 403, 403, 403, 404, 401),
        body=lambda w: {"format": "qdpx", "file": upload("project.qdpx", qdpx_with("<Project/>"))},
        format="multipart",
    ),
    ("exchangejob-list", "GET"): Row(study_list("exchange-jobs"), STUDY_READ),
    ("exchangejob-detail", "GET"): Row(
        lambda w: f"/api/v1/exchange-jobs/{owners_export(w).pk}/", OWNER_ONLY_READ
    ),
    ("exchangejob-download", "GET"): Row(
        lambda w: f"/api/v1/exchange-jobs/{owners_export(w).pk}/download/", OWNER_ONLY_READ
    ),
    ("exchangejob-confirm", "POST"): Row(
        lambda w: f"/api/v1/exchange-jobs/{owners_previewed_import(w).pk}/confirm/",
        expect(202, 404, 404, 404, 404, 401),
        body=lambda w: {},
    ),
    ("importjob-list", "GET"): Row(study_list("import-jobs"), STUDY_READ),
    ("importjob-detail", "GET"): Row(
        lambda w: f"/api/v1/import-jobs/{w.import_job.pk}/", STUDY_READ
    ),
    ("interview-preview", "POST"): Row(
        lambda w: f"/api/v1/interviews/{w.spare_interview.pk}/preview/",
        expect(200, 403, 403, 200, 404, 401),
        body=lambda w: {"file": upload("interview.txt", b"I: How are you?\n\nP: Fine.\n")},
        format="multipart",
    ),
    # The pseudonym list holds real names: owners change it, interviewers read it and
    # propose names for it.
    ("pseudonymreplacement-list", "GET"): Row(
        study_list("pseudonym-replacements"), expect(200, 403, 403, 200, 404, 401)
    ),
    ("pseudonymreplacement-list", "POST"): Row(
        lambda w: "/api/v1/pseudonym-replacements/",
        OWNER_CREATE,
        body=lambda w: {"study": w.study.pk, "original": "Bergen", "replacement": "[city]"},
    ),
    ("pseudonymreplacement-detail", "GET"): Row(
        lambda w: f"/api/v1/pseudonym-replacements/{w.replacement.pk}/",
        expect(200, 404, 404, 200, 404, 401),
    ),
    ("pseudonymreplacement-detail", "PATCH"): Row(
        lambda w: f"/api/v1/pseudonym-replacements/{w.replacement.pk}/",
        expect(200, 404, 404, 403, 404, 401),
        body=lambda w: {"replacement": "[therapist]"},
    ),
    ("pseudonymreplacement-detail", "DELETE"): Row(
        lambda w: f"/api/v1/pseudonym-replacements/{w.replacement.pk}/",
        expect(204, 404, 404, 403, 404, 401),
    ),
    ("pseudonymproposal-list", "GET"): Row(
        study_list("pseudonym-proposals"), expect(200, 403, 403, 200, 404, 401)
    ),
    ("pseudonymproposal-list", "POST"): Row(
        lambda w: "/api/v1/pseudonym-proposals/",
        expect(201, 403, 403, 201, 400, 401),
        body=lambda w: {"study": w.study.pk, "original": "Tormod", "replacement": "[friend]"},
    ),
    ("pseudonymproposal-detail", "GET"): Row(
        lambda w: f"/api/v1/pseudonym-proposals/{interviewers_proposal(w).pk}/",
        expect(200, 404, 404, 200, 404, 401),
    ),
    ("pseudonymproposal-accept", "POST"): Row(
        lambda w: f"/api/v1/pseudonym-proposals/{interviewers_proposal(w).pk}/accept/",
        expect(201, 404, 404, 403, 404, 401),
        body=lambda w: {},
    ),
    ("pseudonymproposal-reject", "POST"): Row(
        lambda w: f"/api/v1/pseudonym-proposals/{interviewers_proposal(w).pk}/reject/",
        expect(200, 404, 404, 403, 404, 401),
        body=lambda w: {},
    ),
    ("transcript-list", "GET"): Row(study_list("transcripts"), STUDY_READ),
    ("transcript-detail", "GET"): Row(
        lambda w: f"/api/v1/transcripts/{w.transcript.pk}/", STUDY_READ
    ),
    # The codebook and codings.
    ("code-list", "GET"): Row(study_list("codes"), ANALYSIS_LIST),
    ("code-list", "POST"): Row(
        lambda w: "/api/v1/codes/",
        CODER_CREATE,
        body=lambda w: {"study": w.study.pk, "name": "Hope", "rationale": "Needed"},
    ),
    ("code-detail", "GET"): Row(lambda w: f"/api/v1/codes/{w.code.pk}/", ANALYSIS_READ),
    ("code-detail", "PATCH"): Row(
        lambda w: f"/api/v1/codes/{w.code.pk}/",
        CODER_CHANGE,
        body=lambda w: {"name": "Feeling safe", "version": 1, "rationale": "Clearer"},
    ),
    ("code-detail", "DELETE"): Row(
        lambda w: f"/api/v1/codes/{w.other_code.pk}/?rationale=Unused",
        CODER_DELETE,
        body=lambda w: {"rationale": "Not used"},
    ),
    ("code-merge", "POST"): Row(
        lambda w: f"/api/v1/codes/{w.other_code.pk}/merge/",
        CODER_CHANGE,
        body=lambda w: {"into": w.code.pk, "rationale": "The same idea"},
    ),
    ("code-split", "POST"): Row(
        lambda w: f"/api/v1/codes/{w.code.pk}/split/",
        CODER_ACTION,
        body=lambda w: {
            "parts": [
                {"name": "Safe with the therapist", "codings": [w.coding.pk]},
                {"name": "Safe at home", "codings": []},
            ],
            "rationale": "Two different things",
        },
    ),
    ("code-excerpts", "GET"): Row(lambda w: f"/api/v1/codes/{w.code.pk}/excerpts/", ANALYSIS_READ),
    ("coding-list", "GET"): Row(study_list("codings"), ANALYSIS_LIST),
    ("coding-list", "POST"): Row(
        lambda w: "/api/v1/codings/",
        CODER_CREATE,
        body=lambda w: {"revision": w.cast.revision.pk, "start": 0, "end": 5, "code": w.code.pk},
    ),
    ("coding-detail", "GET"): Row(lambda w: f"/api/v1/codings/{w.coding.pk}/", ANALYSIS_READ),
    ("coding-detail", "PATCH"): Row(
        lambda w: f"/api/v1/codings/{w.coding.pk}/",
        CODER_CHANGE,
        body=lambda w: {"code": w.other_code.pk},
    ),
    ("coding-detail", "DELETE"): Row(lambda w: f"/api/v1/codings/{w.coding.pk}/", CODER_DELETE),
    ("coding-review-list", "GET"): Row(
        lambda w: f"/api/v1/coding-reviews/?transcript={w.coding.revision.transcript_id}",
        # an outsider names a transcript they cannot see: refused as a bad filter
        expect(200, 200, 200, 403, 400, 401),
    ),
    ("coding-review-accept", "POST"): Row(
        lambda w: f"/api/v1/coding-reviews/{flagged_coding(w)}/accept/", CODER_CHANGE
    ),
    ("coding-review-adjust", "POST"): Row(
        lambda w: f"/api/v1/coding-reviews/{flagged_coding(w)}/adjust/",
        CODER_CHANGE,
        lambda w: {"start": w.coding.start, "end": w.coding.end + 1},
    ),
    ("coding-review-remove", "POST"): Row(
        lambda w: f"/api/v1/coding-reviews/{flagged_coding(w)}/remove/", CODER_CHANGE
    ),
    ("coding-restore", "POST"): Row(
        lambda w: f"/api/v1/codings/{w.removed_coding.pk}/restore/", CODER_CHANGE
    ),
    ("revision-codings", "GET"): Row(
        lambda w: f"/api/v1/revisions/{w.cast.revision.pk}/codings/", ANALYSIS_READ
    ),
    ("revision-changes", "GET"): Row(
        lambda w: f"/api/v1/revisions/{w.cast.revision.pk}/changes/?after=0", ANALYSIS_READ
    ),
    ("revision-presence", "POST"): Row(
        lambda w: f"/api/v1/revisions/{w.cast.revision.pk}/presence/", ANALYSIS_READ
    ),
    ("search-list", "GET"): Row(
        lambda w: f"/api/v1/search/?study={w.study.pk}&q=therapist", ANALYSIS_LIST
    ),
    # Coding sessions.
    ("codingsession-list", "GET"): Row(study_list("coding-sessions"), ANALYSIS_LIST),
    ("codingsession-list", "POST"): Row(
        lambda w: "/api/v1/coding-sessions/",
        OWNER_CREATE,
        body=lambda w: {
            "study": w.study.pk,
            "name": "Round 2",
            "mode": "blind",
            "coders": ["analyst"],
            "transcripts": [w.transcript.pk],
        },
    ),
    ("codingsession-detail", "GET"): Row(
        lambda w: f"/api/v1/coding-sessions/{w.session.pk}/", ANALYSIS_READ
    ),
    ("codingsession-close", "POST"): Row(
        lambda w: f"/api/v1/coding-sessions/{w.session.pk}/close/", OWNER_ANALYSIS_CHANGE
    ),
    ("codingsession-progress", "GET"): Row(
        lambda w: f"/api/v1/coding-sessions/{w.session.pk}/progress/", ANALYSIS_READ
    ),
    ("codingsession-reopen", "POST"): Row(
        lambda w: f"/api/v1/coding-sessions/{w.session.pk}/reopen/",
        CODER_CHANGE,
        body=lambda w: {"transcript": w.transcript.pk},
    ),
    ("codingsession-done", "POST"): Row(
        lambda w: f"/api/v1/coding-sessions/{w.unfinished_session.pk}/done/",
        CODER_CHANGE,
        body=lambda w: {"transcript": w.transcript.pk},
    ),
    # Memos, meetings, decisions, themes.
    ("memo-list", "GET"): Row(study_list("memos"), ANALYSIS_LIST),
    ("memo-list", "POST"): Row(
        lambda w: "/api/v1/memos/",
        CODER_CREATE,
        body=lambda w: {"study": w.study.pk, "text": "<p>An <b>idea</b></p>"},
    ),
    ("memo-detail", "GET"): Row(lambda w: f"/api/v1/memos/{w.memo.pk}/", ANALYSIS_READ),
    ("memo-detail", "PATCH"): Row(
        lambda w: f"/api/v1/memos/{w.memo.pk}/", CODER_CHANGE, body=lambda w: {"text": "Rethought."}
    ),
    ("memo-detail", "DELETE"): Row(lambda w: f"/api/v1/memos/{w.memo.pk}/", CODER_DELETE),
    ("meetingrecord-list", "GET"): Row(study_list("meetings"), ANALYSIS_LIST),
    ("meetingrecord-list", "POST"): Row(
        lambda w: "/api/v1/meetings/",
        CODER_CREATE,
        body=lambda w: {"study": w.study.pk, "date": "2026-05-01", "title": "Meeting 2"},
    ),
    ("meetingrecord-detail", "GET"): Row(
        lambda w: f"/api/v1/meetings/{w.meeting.pk}/", ANALYSIS_READ
    ),
    ("meetingrecord-detail", "PATCH"): Row(
        lambda w: f"/api/v1/meetings/{w.meeting.pk}/",
        CODER_CHANGE,
        body=lambda w: {"notes": "We agreed.", "version": 1},
    ),
    ("decision-list", "GET"): Row(study_list("decisions"), ANALYSIS_LIST),
    ("decision-detail", "GET"): Row(
        lambda w: f"/api/v1/decisions/{w.code.decisions.first().pk}/", ANALYSIS_READ
    ),
    ("theme-list", "GET"): Row(study_list("themes"), ANALYSIS_LIST),
    ("theme-list", "POST"): Row(
        lambda w: "/api/v1/themes/",
        CODER_CREATE,
        body=lambda w: {"study": w.study.pk, "name": "Holding on", "rationale": "Agreed"},
    ),
    ("theme-detail", "GET"): Row(lambda w: f"/api/v1/themes/{w.theme.pk}/", ANALYSIS_READ),
    ("theme-detail", "PATCH"): Row(
        lambda w: f"/api/v1/themes/{w.theme.pk}/",
        CODER_CHANGE,
        body=lambda w: {"description": "Being held by the therapist.", "rationale": "Sharper"},
    ),
    # Meeting passages, proposals, the journal and the audit (issue 6).
    ("decision-list", "POST"): Row(
        lambda w: "/api/v1/decisions/",
        CODER_CREATE,
        body=lambda w: {
            "study": w.study.pk,
            "kind": "code_rename",
            "code": w.code.pk,
            "changes": {"name": "Feeling safe"},
            "rationale": "Clearer.",
        },
    ),
    ("decision-accept", "POST"): Row(
        lambda w: f"/api/v1/decisions/{audit_world.proposal(w).pk}/accept/",
        OWNER_ANALYSIS_CHANGE,
        body=lambda w: {"meeting": w.meeting.pk},
    ),
    ("decision-reject", "POST"): Row(
        lambda w: f"/api/v1/decisions/{audit_world.proposal(w).pk}/reject/",
        OWNER_ANALYSIS_CHANGE,
        body=lambda w: {"reason": "Too narrow."},
    ),
    ("meetingpassage-list", "GET"): Row(study_list("meeting-passages"), ANALYSIS_LIST),
    ("meetingpassage-list", "POST"): Row(
        lambda w: "/api/v1/meeting-passages/",
        CODER_CREATE,
        body=lambda w: {
            "meeting": w.meeting.pk,
            "interview": w.cast.client_interview.pk,
            "t_start": 0,
            "t_end": 5_000,
        },
    ),
    ("meetingpassage-detail", "GET"): Row(
        lambda w: f"/api/v1/meeting-passages/{audit_world.passage(w).pk}/", ANALYSIS_READ
    ),
    ("meetingpassage-detail", "DELETE"): Row(
        lambda w: f"/api/v1/meeting-passages/{audit_world.passage(w).pk}/", CODER_DELETE
    ),
    ("journalentry-list", "GET"): Row(
        study_list("journal-entries"), expect(200, 200, 403, 200, 404, 401)
    ),
    ("journalentry-list", "POST"): Row(
        lambda w: "/api/v1/journal-entries/",
        expect(201, 201, 403, 201, 400, 401),
        body=lambda w: {"study": w.study.pk, "date": "2026-05-04", "text": "Tired today."},
    ),
    ("journalentry-detail", "GET"): Row(
        lambda w: f"/api/v1/journal-entries/{audit_world.shared_entry(w).pk}/",
        expect(200, 200, 404, 200, 404, 401),
    ),
    ("journalentry-detail", "PATCH"): Row(
        lambda w: f"/api/v1/journal-entries/{audit_world.shared_entry(w).pk}/",
        expect(403, 200, 404, 403, 404, 401),
        body=lambda w: {"text": "Less tired."},
    ),
    ("journalentry-detail", "DELETE"): Row(
        lambda w: f"/api/v1/journal-entries/{audit_world.shared_entry(w).pk}/",
        expect(403, 204, 404, 403, 404, 401),
    ),
    ("auditcomment-list", "GET"): Row(study_list("audit-comments"), ANALYSIS_LIST),
    ("auditcomment-list", "POST"): Row(
        lambda w: "/api/v1/audit-comments/",
        AUDIT_COMMENT_CREATE,
        body=lambda w: {
            "study": w.study.pk,
            "object_type": "analysis.coding",
            "object_id": str(w.coding.pk),
            "text": "Why this code?",
        },
    ),
    ("auditcomment-detail", "GET"): Row(
        lambda w: f"/api/v1/audit-comments/{audit_world.comment(w).pk}/", ANALYSIS_READ
    ),
    ("auditround-list", "GET"): Row(study_list("audit-rounds"), AUDIT_LIST),
    ("auditround-list", "POST"): Row(
        lambda w: "/api/v1/audit-rounds/",
        AUDIT_COMMENT_CREATE,
        body=lambda w: {"study": w.study.pk, "title": "Round A", "per_stratum": 1, "seed": 3},
    ),
    ("auditround-detail", "GET"): Row(
        lambda w: f"/api/v1/audit-rounds/{audit_world.finding(w, recorded=True).round_id}/",
        AUDIT_READ,
    ),
    ("auditround-sign-off", "POST"): Row(
        lambda w: (
            f"/api/v1/audit-rounds/{audit_world.finding(w, recorded=True).round_id}/sign-off/"
        ),
        expect(200, 404, 200, 404, 404, 401),
        body=lambda w: {"note": "Sound."},
    ),
    ("auditfinding-list", "GET"): Row(study_list("audit-findings"), ANALYSIS_LIST),
    ("auditfinding-detail", "GET"): Row(
        lambda w: f"/api/v1/audit-findings/{audit_world.finding(w, recorded=True).pk}/",
        ANALYSIS_READ,
    ),
    ("auditfinding-record", "POST"): Row(
        lambda w: f"/api/v1/audit-findings/{audit_world.finding(w, recorded=False).pk}/record/",
        expect(200, 403, 200, 404, 404, 401),
        body=lambda w: {"verdict": "agree"},
    ),
    ("auditfinding-reply", "POST"): Row(
        lambda w: f"/api/v1/audit-findings/{audit_world.finding(w, recorded=True).pk}/reply/",
        expect(403, 200, 403, 404, 404, 401),
        body=lambda w: {"reply": "Her words."},
    ),
    ("api-coding-provenance", "GET"): Row(
        lambda w: f"/api/v1/codings/{w.coding.pk}/provenance/", expect(200, 200, 200, 403, 404, 401)
    ),
    ("api-code-history", "GET"): Row(
        lambda w: f"/api/v1/codes/{w.code.pk}/history/", expect(200, 200, 200, 403, 404, 401)
    ),
    ("api-audit-verify", "GET"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/audit-verify/",
        expect(200, 403, 200, 403, 404, 401),
    ),
    # Agreement, adjudication and calibration (issue 5).
    ("api-study-agreement", "GET"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/agreement/?session={w.session.pk}",
        ANALYSIS_LIST,
    ),
    ("api-study-agreement-drift", "GET"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/agreement/drift/", ANALYSIS_LIST
    ),
    ("api-study-consensus", "GET"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/consensus/", ANALYSIS_LIST
    ),
    ("api-disagreements", "GET"): Row(
        lambda w: f"/api/v1/disagreements/?session={agreement_world.closed_round(w).pk}",
        ANALYSIS_READ,
    ),
    ("resolution-list", "GET"): Row(study_list("resolutions"), ANALYSIS_LIST),
    ("resolution-list", "POST"): Row(
        lambda w: "/api/v1/resolutions/",
        CODER_CREATE,
        body=lambda w: {
            **agreement_world.disagreement(w),
            "kind": "neither",
            "reason": "Not about safety.",
        },
    ),
    ("resolution-detail", "GET"): Row(
        lambda w: f"/api/v1/resolutions/{agreement_world.resolution(w).pk}/", ANALYSIS_READ
    ),
    ("resolution-withdraw", "POST"): Row(
        lambda w: f"/api/v1/resolutions/{agreement_world.resolution(w).pk}/withdraw/",
        CODER_CHANGE,
        body=lambda w: {"reason": "Read it again."},
    ),
    ("agendadisagreement-list", "GET"): Row(study_list("agenda-disagreements"), ANALYSIS_LIST),
    ("agendadisagreement-list", "POST"): Row(
        lambda w: "/api/v1/agenda-disagreements/",
        CODER_CREATE,
        body=lambda w: {"session": agreement_world.closed_round(w).pk, "meeting": w.meeting.pk},
    ),
    ("agendadisagreement-detail", "GET"): Row(
        lambda w: f"/api/v1/agenda-disagreements/{agreement_world.agenda_item(w).pk}/",
        ANALYSIS_READ,
    ),
    ("calibrationreference-list", "GET"): Row(study_list("calibration-references"), ANALYSIS_LIST),
    ("calibrationreference-list", "POST"): Row(
        lambda w: "/api/v1/calibration-references/",
        OWNER_CREATE,
        body=lambda w: {
            "study": w.study.pk,
            "name": "Reference B",
            "session": agreement_world.closed_round(w).pk,
            "transcript": w.transcript.pk,
            "coder": "analyst",
        },
    ),
    ("calibrationreference-detail", "GET"): Row(
        lambda w: f"/api/v1/calibration-references/{agreement_world.reference(w).pk}/",
        ANALYSIS_READ,
    ),
    ("calibrationattempt-list", "GET"): Row(study_list("calibration-attempts"), ANALYSIS_LIST),
    ("calibrationattempt-list", "POST"): Row(
        lambda w: "/api/v1/calibration-attempts/",
        OWNER_CREATE,
        body=lambda w: {
            "reference": agreement_world.reference(w).pk,
            "trainee": agreement_world.trainee(w).username,
        },
    ),
    ("calibrationattempt-detail", "GET"): Row(
        lambda w: f"/api/v1/calibration-attempts/{agreement_world.attempt(w).pk}/", AUDIT_READ
    ),
    ("calibrationattempt-submit", "POST"): Row(
        lambda w: f"/api/v1/calibration-attempts/{agreement_world.attempt(w).pk}/submit/",
        expect(200, 404, 403, 404, 404, 401),
    ),
    ("calibrationattempt-result", "GET"): Row(
        lambda w: f"/api/v1/calibration-attempts/{agreement_world.attempt(w).pk}/result/",
        AUDIT_READ,
    ),
    # The theme views (issue 7).
    ("api-study-matrix", "GET"): Row(
        lambda w: f"/api/v1/studies/{w.study.pk}/matrix/", ANALYSIS_LIST
    ),
    ("exemplaryquote-list", "GET"): Row(study_list("theme-quotes"), ANALYSIS_LIST),
    ("exemplaryquote-list", "POST"): Row(
        lambda w: "/api/v1/theme-quotes/",
        CODER_CREATE,
        body=lambda w: {
            "theme": theme_world.constituent(w).pk,
            "coding": w.coding.pk,
            "rationale": "Her words.",
        },
    ),
    ("exemplaryquote-detail", "GET"): Row(
        lambda w: f"/api/v1/theme-quotes/{theme_world.quote(w).pk}/", ANALYSIS_READ
    ),
    ("exemplaryquote-detail", "DELETE"): Row(
        lambda w: f"/api/v1/theme-quotes/{theme_world.quote(w).pk}/?rationale=Better",
        CODER_DELETE,
    ),
    ("convergencemark-list", "GET"): Row(study_list("convergence-marks"), ANALYSIS_LIST),
    ("convergencemark-list", "POST"): Row(
        lambda w: "/api/v1/convergence-marks/",
        CODER_CREATE,
        body=lambda w: {
            "dyad": w.cast.dyad.pk,
            "theme": theme_world.constituent(w).pk,
            "verdict": "diverge",
        },
    ),
    ("convergencemark-detail", "GET"): Row(
        lambda w: f"/api/v1/convergence-marks/{theme_world.mark(w).pk}/", ANALYSIS_READ
    ),
    ("convergencemark-detail", "PATCH"): Row(
        lambda w: f"/api/v1/convergence-marks/{theme_world.mark(w).pk}/",
        CODER_CHANGE,
        body=lambda w: {"verdict": "one_sided", "note": "Only she speaks of it."},
    ),
    ("convergencemark-detail", "DELETE"): Row(
        lambda w: f"/api/v1/convergence-marks/{theme_world.mark(w).pk}/", CODER_DELETE
    ),
    ("questioncoverage-list", "GET"): Row(study_list("question-coverage"), ANALYSIS_LIST),
    ("questioncoverage-list", "POST"): Row(
        lambda w: "/api/v1/question-coverage/",
        CODER_CREATE,
        body=lambda w: {
            "question": theme_world.question(w).pk,
            "revision": w.cast.revision.pk,
            "start": 0,
            "end": 10,
        },
    ),
    ("questioncoverage-detail", "GET"): Row(
        lambda w: f"/api/v1/question-coverage/{theme_world.coverage(w).pk}/", ANALYSIS_READ
    ),
    ("questioncoverage-detail", "DELETE"): Row(
        lambda w: f"/api/v1/question-coverage/{theme_world.coverage(w).pk}/", CODER_DELETE
    ),
}


def _view_methods(callback) -> list[str]:
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return [
        method.upper()
        for method in view.http_method_names
        if method not in ("head", "options") and hasattr(view, method)
    ]


def api_endpoints() -> set[tuple[str, str]]:
    """(URL name, method) of every endpoint of config/api_urls.py, router and extra actions included."""
    router = api_urls.router
    endpoints = set()
    for _, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            for method, action in route.mapping.items():
                if hasattr(viewset, action) and method in viewset.http_method_names:
                    endpoints.add((route.name.format(basename=basename), method.upper()))
    routed = tuple(basename for _, _, basename in router.registry)
    for pattern in api_urls.urlpatterns:
        if isinstance(pattern, URLPattern) and pattern.name and not pattern.name.startswith(routed):
            endpoints |= {(pattern.name, method) for method in _view_methods(pattern.callback)}
    return endpoints


def test_every_api_endpoint_has_a_row_in_the_matrix():
    missing = api_endpoints() - set(MATRIX)
    assert not missing, f"add rows to tests/api/test_role_matrix.py MATRIX for {sorted(missing)}"


def test_every_row_of_the_matrix_is_a_real_endpoint():
    assert set(MATRIX) <= api_endpoints(), sorted(set(MATRIX) - api_endpoints())


def request_as(world: World, role: str, method: str, row: Row):
    cast = world.cast
    client = api_as(None if role == "anonymous" else cast.user(role))
    body = row.body(world) if row.body else None
    if body is not None and "password" in body and "username" not in body:
        body = {**body, "username": role}
    return getattr(client, method.lower())(row.url(world), body, format=row.format)


@pytest.mark.parametrize("endpoint", sorted(MATRIX), ids=lambda e: f"{e[1]} {e[0]}")
def test_each_role_gets_the_expected_status(cast, endpoint):
    method = endpoint[1]
    row = MATRIX[endpoint]
    world = build_world(cast)
    wrong = []
    for role in ROLES:
        with transaction.atomic():
            events = AuditEvent.objects.count()
            response = request_as(world, role, method, row)
            wrote = AuditEvent.objects.count() != events
            transaction.set_rollback(True)
        if response.status_code != row.expected[role]:
            detail = getattr(response, "data", None) or response.content[:200]
            wrong.append(
                f"{role}: {response.status_code}, expected {row.expected[role]} ({detail})"
            )
        elif response.status_code >= 400 and wrote:
            wrong.append(f"{role}: refused with {response.status_code} but wrote an audit event")
    assert not wrong, "\n".join(wrong)
