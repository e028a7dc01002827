"""The admin shows staff every model of the three apps and changes nothing:
every write goes through the services and their audit log."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from analysis.models import Decision, DecisionKind, Memo, Theme, ThemeLevel
from interviews.models import AudioRecording, ImportJob
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
    factories.CodingFactory(revision=cast.revision, code=code, coder=cast.analyst, session=session)
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
    ImportJob.objects.create(
        study=cast.study,
        interview=cast.client_interview,
        file_name="interview.docx",
        checksum="1" * 64,
        created_by=cast.interviewer,
    )
    factories.SiteFactory(study=cast.study)
    from dyads.models import RecruitmentEvent

    RecruitmentEvent.objects.create(study=cast.study, step="invited", occurred_on="2026-01-01")
    return guide


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
