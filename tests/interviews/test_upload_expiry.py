"""Uploads previewed but never imported hold real names: they are deleted after a day."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from interviews.models import ImportUpload
from interviews.services.imports import import_upload_create, transcript_import
from interviews.tasks import import_uploads_expire_task
from tests.interviews import samples


def test_stale_uploads_without_a_job_are_deleted(cast, on_commit):
    stale = import_upload_create(
        actor=cast.interviewer, interview=cast.client_interview, file_name="a.txt", content=b"I: a"
    )
    fresh = import_upload_create(
        actor=cast.interviewer, interview=cast.client_interview, file_name="b.txt", content=b"I: b"
    )
    with on_commit():
        imported = transcript_import(
            actor=cast.interviewer,
            interview=cast.therapist_interview,
            file_name="c.txt",
            content=samples.txt(),
        ).upload
    long_ago = timezone.now() - dt.timedelta(hours=25)
    ImportUpload.objects.filter(pk__in=[stale.pk, imported.pk]).update(created_at=long_ago)

    assert import_uploads_expire_task.apply().get() == 1

    assert set(ImportUpload.objects.values_list("pk", flat=True)) == {fresh.pk, imported.pk}


def test_celery_beat_runs_the_expiry_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["expire-import-uploads"]

    assert entry == {"task": "interviews.import_uploads_expire", "schedule": 3600.0}
