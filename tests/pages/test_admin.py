"""The admin shows staff every model of the three apps and changes nothing:
every write goes through the services and their audit log."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from analysis import models as analysis_models
from analysis.coding.models import Memo
from analysis.deliberation.models import Decision, DecisionKind
from analysis.exchange.models import ExchangeFormat, ExchangeJob, ExchangeKind
from analysis.themes.models import Theme, ThemeLevel
from dyads.access import access_log_record
from dyads.audit.checkpoints import audit_checkpoint_publish
from dyads.audit_comments import audit_comment_create
from dyads.invitations import invitation_create
from dyads.models import AccessAction, RecruitmentEvent, Role
from interviews.models import (
    AudioRecording,
    ImportBatch,
    ImportJob,
    ImportUpload,
    PseudonymProposal,
    PseudonymReplacement,
)
from interviews.services import guide_create
from tests import factories

APPS = ["dyads", "interviews", "analysis"]


@pytest.fixture
def staff(db):
    return factories.UserFactory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def one_of_everything(cast):
    """At least one row of every model of the three apps."""
    guide = guide_create(actor=cast.owner, study=cast.study, title="Guide", questions=["Why?"])
    code = factories.CodeFactory(study=cast.study)
    session = factories.CodingSessionFactory(study=cast.study, created_by=cast.owner)
    coding = factories.CodingFactory(
        revision=cast.revision, code=code, coder=cast.analyst, session=session
    )
    meeting = factories.MeetingFactory(study=cast.study, created_by=cast.owner)
    theme = Theme.objects.create(study=cast.study, level=ThemeLevel.OVERARCHING, name="Holding")
    Decision.objects.create(
        study=cast.study,
        kind=DecisionKind.THEME_CREATE,
        meeting=meeting,
        theme=theme,
        author=cast.analyst,
    )
    Memo.objects.create(study=cast.study, author=cast.analyst, text="A first thought.")
    AudioRecording.objects.create(
        interview=cast.client_interview,
        file="audio/2026/03/interview.mp3",
        content_type="audio/mpeg",
        checksum="0" * 64,
        uploaded_by=cast.interviewer,
    )
    batch = ImportBatch.objects.create(study=cast.study, created_by=cast.interviewer)
    upload = ImportUpload.objects.create(
        study=cast.study,
        batch=batch,
        file_name="interview.docx",
        source_format="docx",
        checksum="1" * 64,
        size=4,
        content=b"data",
        created_by=cast.interviewer,
    )
    ImportJob.objects.create(
        study=cast.study,
        interview=cast.client_interview,
        upload=upload,
        batch=batch,
        file_name="interview.docx",
        checksum="1" * 64,
        created_by=cast.interviewer,
    )
    PseudonymReplacement.objects.create(
        study=cast.study, original="Kari", replacement="[client]", created_by=cast.owner
    )
    PseudonymProposal.objects.create(
        study=cast.study, original="Tormod", proposed_by=cast.interviewer
    )
    factories.SiteFactory(study=cast.study)
    RecruitmentEvent.objects.create(study=cast.study, step="invited", occurred_on="2026-01-01")
    access_log_record(
        user=cast.owner,
        study=cast.study,
        action=AccessAction.READ_TRANSCRIPT,
        target=cast.revision.transcript,
    )
    invitation_create(
        actor=cast.owner,
        study=cast.study,
        email="guest@example.org",
        role=Role.ANALYST,
        site_url="http://t",
    )
    ExchangeJob.objects.create(
        study=cast.study,
        kind=ExchangeKind.EXPORT,
        format=ExchangeFormat.QDPX,
        created_by=cast.owner,
    )
    audit_comment_create(
        actor=cast.auditor,
        study=cast.study,
        object_type="analysis.code",
        object_id=code.pk,
        text="Defined after the second meeting?",
    )
    audit_checkpoint_publish(study=cast.study)
    _one_of_each_analysis_row(cast, guide, code, session, coding, meeting, theme)
    return guide


def _one_of_each_analysis_row(cast, guide, code, session, coding, meeting, theme):
    """The rows of meetings, audits, calibration and the report, made directly:
    the admin only has to show them."""
    a = analysis_models
    study, revision, owner = cast.study, cast.revision, cast.owner
    span = {"revision": revision, "code": code, "start": 0, "end": 5}
    a.SessionProgress.objects.create(session=session, transcript=revision.transcript, coder=owner)
    a.CodingReview.objects.create(coding=coding, revision=revision, start=0, end=5, state="changed")
    a.SessionSnapshot.objects.create(
        session=session,
        transcript=revision.transcript,
        revision=revision,
        codings=[[coding.pk, code.pk, coding.coder_id, coding.start, coding.end]],
        taken_at=timezone.now(),
    )
    a.ExemplaryQuote.objects.create(
        study=study, theme=theme, perspective="therapist", coding=coding, chosen_by=owner
    )
    a.ConvergenceMark.objects.create(
        study=study, dyad=cast.dyad, theme=theme, verdict="converge", marked_by=owner
    )
    a.QuestionCoverage.objects.create(
        study=study,
        question=guide.questions.first(),
        interview=revision.transcript.interview,
        revision=revision,
        start=0,
        end=5,
        marked_by=owner,
    )
    a.StudyReportSettings.objects.create(study=study)
    a.ReportClearance.objects.create(study=study, fingerprint="0" * 64, cleared_by=owner)
    a.MeetingPassage.objects.create(
        meeting=meeting,
        interview=revision.transcript.interview,
        revision=revision,
        start=0,
        end=5,
        added_by=owner,
    )
    a.JournalEntry.objects.create(study=study, author=owner, date="2026-03-01", text="Met.")
    audit_round = a.AuditRound.objects.create(
        study=study,
        title="Spring audit",
        seed=7,
        per_stratum=2,
        population_at="2026-03-01T10:00Z",
        population_size=1,
        created_by=owner,
    )
    a.AuditFinding.objects.create(round=audit_round, coding=coding, position=1)
    a.Resolution.objects.create(
        study=study, session=session, kind="neither", reason="Agreed", resolved_by=owner, **span
    )
    a.AgendaDisagreement.objects.create(meeting=meeting, session=session, added_by=owner, **span)
    reference = a.CalibrationReference.objects.create(
        study=study, name="Reference", revision=revision, session=session, created_by=owner
    )
    trainee_session = factories.CodingSessionFactory(study=study, created_by=owner)
    a.CalibrationAttempt.objects.create(
        study=study,
        reference=reference,
        trainee=cast.analyst,
        session=trainee_session,
        created_by=owner,
    )


def models_of_the_three_apps():
    return [model for label in APPS for model in apps.get_app_config(label).get_models()]


def test_every_model_of_the_three_apps_is_registered():
    missing = [m.__name__ for m in models_of_the_three_apps() if m not in admin.site._registry]

    assert missing == []


def test_no_model_admin_may_add_change_or_delete(rf, staff):
    request = rf.get("/admin/")
    request.user = staff

    for model in models_of_the_three_apps():
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        assert model_admin.has_view_permission(request), model


def test_staff_can_browse_every_list_and_every_row(client, staff, one_of_everything):
    client.force_login(staff)

    for model in models_of_the_three_apps():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        assert client.get(changelist, {"q": "a"}).status_code == 200, changelist
        row = model.objects.first()
        assert row is not None, f"no {opts.model_name} to show"
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
        assert client.get(change).status_code == 200, change


def test_the_admin_refuses_to_save_a_change(client, staff, cast):
    client.force_login(staff)
    url = reverse("admin:dyads_study_change", args=[cast.study.pk])

    response = client.post(url, {"title": "Renamed", "slug": "tcx"})

    assert response.status_code == 403
    cast.study.refresh_from_db()
    assert cast.study.title == "Therapist and client experiences"


def test_the_admin_offers_no_add_page(client, staff):
    client.force_login(staff)

    assert client.get(reverse("admin:dyads_study_add")).status_code == 403


def test_the_admin_does_not_show_the_unpseudonymised_text(client, staff, cast):
    client.force_login(staff)
    url = reverse("admin:interviews_transcriptrevision_change", args=[cast.revision.pk])

    html = client.get(url).content.decode()

    assert "original_text" not in html
