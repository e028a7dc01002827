"""Uploads hold real names: deleted when their job ends, and after a day whatever
their job's state (a job still waiting for one is failed)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from interviews.models import ImportJob, ImportState, ImportUpload
from interviews.services.imports import import_upload_create, transcript_import
from interviews.tasks import import_uploads_expire_task
from tests.interviews import samples


def test_stale_uploads_are_deleted_and_a_job_waiting_for_one_fails(cast):
    stale = import_upload_create(
        actor=cast.interviewer, interview=cast.client_interview, file_name="a.txt", content=b"I: a"
    )
    fresh = import_upload_create(
        actor=cast.interviewer, interview=cast.client_interview, file_name="b.txt", content=b"I: b"
    )
    waiting = transcript_import(  # queued; its task never ran (no commit in this test)
        actor=cast.interviewer,
        interview=cast.therapist_interview,
        file_name="c.txt",
        content=samples.txt(),
    )
    long_ago = timezone.now() - dt.timedelta(hours=25)
    ImportUpload.objects.filter(pk__in=[stale.pk, waiting.upload_id]).update(created_at=long_ago)

    assert import_uploads_expire_task.apply().get() == 2

    assert set(ImportUpload.objects.values_list("pk", flat=True)) == {fresh.pk}
    waiting = ImportJob.objects.get(pk=waiting.pk)
    assert waiting.state == ImportState.FAILED and waiting.upload is None
    assert waiting.error == "The upload expired before it was imported; upload the file again."


def test_celery_beat_runs_the_expiry_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["expire-import-uploads"]

    assert entry == {"task": "interviews.import_uploads_expire", "schedule": 3600.0}
