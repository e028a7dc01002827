"""A study backup restores into an empty database with its ids, so that the audit
chain still verifies and a second backup is byte for byte the first."""

import io
import zipfile
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from analysis.coding.models import Coding
from analysis.coding.services.codebook import code_create
from analysis.coding.services.memos import memo_create
from analysis.exchange.backup import (
    APPS,
    EXCLUDED,
    BackupError,
    restore_study,
    study_models,
    write_backup,
)
from dyads.audit import audit_verify
from dyads.models import AuditEvent, Study
from interviews.models import AudioRecording
from interviews.tasks import search_documents_fill_task
from tests.analysis.refi_files import coded_study


def backup(study) -> bytes:
    out = io.BytesIO()
    write_backup(study=study, out=out)
    return out.getvalue()


@pytest.fixture
def full_study(cast, settings, tmp_path):
    """The cast's study with codes, codings, memos, audited changes and an audio file."""
    settings.MEDIA_ROOT = tmp_path
    coded_study(cast)
    code = code_create(actor=cast.owner, study=cast.study, name="Audited", rationale="Needed.")
    memo_create(actor=cast.analyst, study=cast.study, text="Audited memo", code=code)
    AudioRecording.objects.create(
        interview=cast.client_interview,
        file=default_storage.save("audio/2026/03/client.m4a", ContentFile(b"\x00audio bytes")),
        content_type="audio/mp4",
        checksum="0" * 64,
        uploaded_by=cast.interviewer,
    )
    return cast.study


def test_every_model_that_reaches_a_study_is_backed_up():
    covered = {model._meta.label_lower for model, _ in study_models()}
    every = {
        model._meta.label_lower
        for label in APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }

    assert every - EXCLUDED == covered


def test_the_backup_holds_the_audit_trail_and_the_audio(full_study):
    archive = backup(full_study)

    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert "data/dyads.auditevent.jsonl" in names
    assert "media/audio/2026/03/client.m4a" in names
    assert backup(full_study) == archive


@pytest.mark.django_db(transaction=True)
def test_backup_restore_backup_is_identical_and_the_chain_verifies(
    full_study, tmp_path, monkeypatch
):
    first = backup(full_study)
    slug, events = full_study.slug, AuditEvent.objects.filter(study=full_study).count()
    call_command("flush", interactive=False, verbosity=0)
    default_storage.delete("audio/2026/03/client.m4a")
    fills = []
    monkeypatch.setattr(search_documents_fill_task, "delay", lambda: fills.append(1))

    restored = restore_study(archive_file=io.BytesIO(first))

    assert fills == [1]  # the transcripts' search documents are computed after the restore

    assert restored.slug == slug
    assert AuditEvent.objects.filter(study=restored).count() == events
    assert audit_verify(study=restored).intact
    call_command("verify_audit", study=slug, stdout=StringIO())
    assert default_storage.open("audio/2026/03/client.m4a").read() == b"\x00audio bytes"
    assert backup(Study.objects.get(slug=slug)) == first


def test_a_restore_into_a_database_with_a_study_is_refused_and_writes_nothing(full_study):
    archive = backup(full_study)
    codings = Coding.objects.count()

    with pytest.raises(BackupError, match="restores into an empty database"):
        restore_study(archive_file=io.BytesIO(archive))

    assert Coding.objects.count() == codings


def test_a_file_that_is_no_backup_is_refused():
    with pytest.raises(BackupError, match="Not a Duet study backup"):
        restore_study(archive_file=io.BytesIO(b"nothing"))
