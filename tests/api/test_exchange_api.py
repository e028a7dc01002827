"""The exchange API: an export becomes a job whose file can be downloaded; an import
is previewed, mapped and confirmed; each export is in the access log."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from analysis.coding.models import Code, Coding
from analysis.exchange.models import ExchangeJob
from analysis.exchange.services.runner import run_job
from dyads.models import AccessEvent
from tests.analysis.refi_files import coded_study, two_coder_qdpx, vendor_qdpx
from tests.conftest import api_as


def test_an_export_job_runs_and_its_file_downloads(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    coded_study(cast)
    client = api_as(cast.auditor)

    started = client.post(f"/api/v1/studies/{cast.study.pk}/exports/", {"format": "qdpx"})
    run_job(started.data["id"])
    job = client.get(f"/api/v1/exchange-jobs/{started.data['id']}/").data
    download = client.get(job["download"])

    assert started.status_code == 202 and started.data["state"] == "queued"
    assert (job["state"], job["progress"], job["result"]["selections"]) == ("succeeded", 100, 3)
    assert download["Content-Disposition"] == 'attachment; filename="tcx.qdpx"'
    assert (
        "project.qde"
        in zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()
    )


def test_every_export_is_written_to_the_access_log(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    api_as(cast.analyst).post(
        f"/api/v1/studies/{cast.study.pk}/exports/", {"format": "segments_csv"}
    )

    event = AccessEvent.objects.get(study=cast.study)
    assert (event.user, event.action, event.detail) == (
        cast.analyst,
        "export",
        "Coded segments (.csv)",
    )


def test_an_import_is_previewed_then_confirmed_with_the_users_mapping(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = api_as(cast.owner)
    upload = SimpleUploadedFile("nvivo.qdpx", vendor_qdpx("nvivo"))

    started = client.post(
        f"/api/v1/studies/{cast.study.pk}/imports/",
        {"format": "qdpx", "file": upload},
        format="multipart",
    )
    run_job(started.data["id"])
    preview = client.get(f"/api/v1/exchange-jobs/{started.data['id']}/").data
    (source,) = preview["preview"]["sources"]
    confirmed = client.post(
        f"/api/v1/exchange-jobs/{started.data['id']}/confirm/",
        {"mapping": {source["guid"]: f"interview:{cast.therapist_interview.pk}"}},
        format="json",
    )
    run_job(started.data["id"])
    done = ExchangeJob.objects.get(pk=started.data["id"])

    assert preview["state"] == "previewed"
    assert source["target"] == "skip" and preview["preview"]["summary"]["new_codes"] == 1
    assert f"interview:{cast.therapist_interview.pk}" in str(preview["preview"]["choices"])
    assert confirmed.status_code == 202
    assert done.state == "succeeded" and done.result["codings"] == 3
    assert (
        Coding.objects.filter(revision__transcript__interview=cast.therapist_interview).count() == 3
    )


def test_an_unknown_format_is_refused_by_name(cast):
    response = api_as(cast.owner).post(
        f"/api/v1/studies/{cast.study.pk}/exports/", {"format": "pdf"}
    )

    assert response.status_code == 400
    assert "format" in response.data


def test_a_bad_mapping_sends_the_import_back_to_its_preview_with_the_reason(
    cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = api_as(cast.owner)
    upload = SimpleUploadedFile("nvivo.qdpx", vendor_qdpx("nvivo"))
    started = client.post(
        f"/api/v1/studies/{cast.study.pk}/imports/",
        {"format": "qdpx", "file": upload},
        format="multipart",
    )
    run_job(started.data["id"])
    guid = ExchangeJob.objects.get(pk=started.data["id"]).preview["sources"][0]["guid"]
    codes = Code.objects.count()

    client.post(
        f"/api/v1/exchange-jobs/{started.data['id']}/confirm/",
        {"mapping": {guid: "interview:999999"}},
        format="json",
    )
    run_job(started.data["id"])

    job = ExchangeJob.objects.get(pk=started.data["id"])
    assert job.state == "previewed"
    assert "is not an interview, participant or case of this study" in job.error
    assert Code.objects.count() == codes


def preview_two_coders(client, cast) -> dict:
    upload = SimpleUploadedFile("two.qdpx", two_coder_qdpx())
    started = client.post(
        f"/api/v1/studies/{cast.study.pk}/imports/",
        {"format": "qdpx", "file": upload},
        format="multipart",
    )
    run_job(started.data["id"])
    return client.get(f"/api/v1/exchange-jobs/{started.data['id']}/").data


def test_the_preview_lists_the_files_users_and_the_confirmation_maps_them(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = api_as(cast.owner)
    job = preview_two_coders(client, cast)
    aksel, bente = job["preview"]["users"]

    client.post(
        f"/api/v1/exchange-jobs/{job['id']}/confirm/",
        {"users": {aksel["guid"]: "analyst"}},
        format="json",
    )
    run_job(job["id"])
    done = client.get(f"/api/v1/exchange-jobs/{job['id']}/").data

    assert (aksel["name"], aksel["codings"], aksel["target"]) == ("Aksel Lund", 3, "new")
    assert (bente["name"], bente["codings"], bente["username"]) == (
        "Bente Ruud",
        2,
        "imported-bente-ruud",
    )
    assert done["state"] == "succeeded", done["error"]
    assert (done["result"]["codings"], done["result"]["coders"]) == (5, 1)
    assert Coding.objects.filter(coder=cast.analyst).count() == 3
    members = client.get(f"/api/v1/studies/{cast.study.pk}/members/").data["results"]
    assert {"username": "imported-bente-ruud", "imported_from": "two.qdpx"}.items() <= next(
        m for m in members if m["username"] == "imported-bente-ruud"
    ).items()


def test_a_user_given_to_a_non_member_sends_the_import_back_to_its_preview(
    cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = api_as(cast.owner)
    job = preview_two_coders(client, cast)
    codings = Coding.objects.count()

    client.post(
        f"/api/v1/exchange-jobs/{job['id']}/confirm/",
        {"users": {"Aksel Lund": "outsider"}},
        format="json",
    )
    run_job(job["id"])

    job = ExchangeJob.objects.get(pk=job["id"])
    assert job.state == "previewed"
    assert "'outsider' is not a member of this study" in job.error
    assert Coding.objects.count() == codings
