"""A study with one object of every API resource, for the role matrix and scoping tests.

`build_world(cast)` adds to the cast's study (and a little to the outsider's
own study) everything the API can read or change: a site, lone participants,
a spare dyad and interview, a guide, a recruitment event, an invitation, a
code tree, a coding session with progress, codings, a memo, a meeting, a
theme and audit and access events.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from analysis.coding.models import Code, Coding, CodingSession, Memo
from analysis.coding.services import codebook, memos, sessions
from analysis.deliberation.models import MeetingRecord
from analysis.themes.models import Theme
from analysis.themes.services import themes
from dyads import services as dyad_services
from dyads.access import access_log_record
from dyads.invitations import invitation_create
from dyads.models import (
    AccessAction,
    AccessEvent,
    AuditEvent,
    Dyad,
    Invitation,
    Participant,
    RecruitmentEvent,
    Role,
    Site,
    StudyMembership,
)
from interviews import services as interview_services
from interviews.models import ImportJob, Interview, InterviewGuide, PseudonymReplacement
from tests import factories
from tests.conftest import Cast


@dataclass
class World:
    cast: Cast
    site: Site
    spare_site: Site
    lone_therapist: Participant
    lone_client: Participant
    spare_dyad: Dyad
    spare_interview: Interview
    guide: InterviewGuide
    recruitment: RecruitmentEvent
    invitation: Invitation
    newbie: object
    spare_membership: StudyMembership
    code: Code
    other_code: Code
    session: CodingSession
    unfinished_session: CodingSession
    coding: Coding
    removed_coding: Coding
    memo: Memo
    meeting: MeetingRecord
    theme: Theme
    audit_event: AuditEvent
    access_event: AccessEvent
    import_job: ImportJob
    replacement: PseudonymReplacement

    @property
    def study(self):
        return self.cast.study

    @property
    def transcript(self):
        return self.cast.revision.transcript

    @property
    def interviewer_membership(self) -> StudyMembership:
        return StudyMembership.objects.get(study=self.study, user=self.cast.interviewer)


def build_world(cast: Cast) -> World:
    study, owner, analyst = cast.study, cast.owner, cast.analyst
    site = dyad_services.site_create(actor=owner, study=study, name="Clinic North", city="Oslo")
    spare_site = factories.SiteFactory(study=study, name="Clinic Unused")
    lone_therapist = factories.TherapistFactory(study=study, pseudonym="T-lone")
    lone_client = factories.ParticipantFactory(study=study, pseudonym="C-lone")
    spare_dyad = factories.DyadFactory(study=study, label="Dyad spare")
    spare_interview = factories.InterviewFactory(
        participant=spare_dyad.therapist, dyad=spare_dyad, sequence_number=1
    )
    guide = interview_services.guide_create(
        actor=owner, study=study, title="Therapist guide", questions=["How did it start?"]
    )
    recruitment = dyad_services.recruitment_event_record(
        actor=owner, study=study, step="invited", occurred_on=dt.date(2026, 1, 5), role="client"
    )
    invitation = invitation_create(
        actor=owner, study=study, email="guest@example.org", role=Role.ANALYST, site_url="http://t"
    )
    newbie = factories.UserFactory(username="newbie")
    spare_member = factories.UserFactory(username="spare")
    spare_membership = factories.MembershipFactory(
        study=study, user=spare_member, role=Role.ANALYST
    )
    code = codebook.code_create(actor=owner, study=study, name="Safety", rationale="Seen often")
    other_code = codebook.code_create(actor=owner, study=study, name="Trust", rationale="Seen too")
    session = sessions.coding_session_create(
        actor=owner,
        study=study,
        name="Round 1",
        mode="open",
        coders=[owner, analyst],
        transcripts=[cast.revision.transcript],
    )
    for coder in (owner, analyst):
        sessions.session_progress_mark_done(
            actor=coder, session=session, transcript=cast.revision.transcript
        )
    unfinished_session = sessions.coding_session_create(
        actor=owner,
        study=study,
        name="Round 1b",
        mode="open",
        coders=[owner, analyst],
        transcripts=[cast.revision.transcript],
    )
    coding = factories.CodingFactory(revision=cast.revision, code=code, coder=analyst)
    removed_coding = factories.CodingFactory(
        revision=cast.revision,
        code=code,
        coder=analyst,
        start=20,
        end=30,
        deleted_at=timezone.now(),
    )
    memo = memos.memo_create(actor=analyst, study=study, text="A first thought.", coding=coding)
    meeting = factories.MeetingFactory(study=study, created_by=owner)
    theme = themes.theme_create(actor=owner, study=study, name="Being held", rationale="Agreed")
    access_event = access_log_record(
        user=owner,
        study=study,
        action=AccessAction.READ_TRANSCRIPT,
        target=cast.revision.transcript,
    )
    # The outsider's own study has something of every kind too, so their lists are not empty.
    factories.CodeFactory(study=cast.other_study, name="Theirs")
    return World(
        cast=cast,
        site=site,
        spare_site=spare_site,
        lone_therapist=lone_therapist,
        lone_client=lone_client,
        spare_dyad=spare_dyad,
        spare_interview=spare_interview,
        guide=guide,
        recruitment=recruitment,
        invitation=invitation,
        newbie=newbie,
        spare_membership=spare_membership,
        code=code,
        other_code=other_code,
        session=session,
        unfinished_session=unfinished_session,
        coding=coding,
        removed_coding=removed_coding,
        memo=memo,
        meeting=meeting,
        theme=theme,
        audit_event=AuditEvent.objects.filter(study=study).latest("sequence"),
        access_event=access_event,
        import_job=ImportJob.objects.create(
            study=study,
            interview=cast.client_interview,
            file_name="client.txt",
            checksum="1" * 64,
            created_by=cast.interviewer,
        ),
        replacement=PseudonymReplacement.objects.create(
            study=study, original="Anna Berg", replacement="Client", created_by=owner
        ),
    )
