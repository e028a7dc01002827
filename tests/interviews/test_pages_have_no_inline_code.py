"""The import, pseudonym and audio pages carry no inline script or style (the CSP forbids them)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from interviews.models import ImportUpload
from interviews.services.batches import import_batch_create
from interviews.services.imports import transcript_import
from tests.interviews import samples
from tests.pages.test_no_inline_code import INLINE


@pytest.fixture
def urls(cast, client, on_commit) -> list[str]:
    client.force_login(cast.owner)
    interview = cast.therapist_interview
    client.post(
        reverse("import-upload", args=["tcx", interview.pk]),
        {"file": SimpleUploadedFile("t.vtt", samples.VTT.encode())},
    )
    with on_commit():
        job = transcript_import(
            actor=cast.owner, interview=interview, file_name="t.txt", content=samples.txt()
        )
    batch = import_batch_create(actor=cast.owner, study=cast.study, files=[("a.txt", b"I: a")])
    return [
        reverse("import-upload", args=["tcx", interview.pk]),
        reverse(
            "import-preview",
            args=["tcx", ImportUpload.objects.get(job__isnull=True, batch=None).pk],
        ),
        reverse("import-job", args=["tcx", job.pk]),
        reverse("import-batch-upload", args=["tcx"]),
        reverse("import-batch", args=["tcx", batch.pk]),
        reverse("pseudonyms", args=["tcx"]),
        reverse("interview-detail", args=["tcx", interview.pk]),
    ]


def test_the_import_pages_have_no_inline_script_or_style(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for pattern, what in INLINE:
            assert not pattern.search(html), f"{url} has an {what}"
