"""manage.py import_transcripts --study SLUG --interview ID FILE... imports through the job."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from interviews.models import ImportJob, ImportUpload, TranscriptRevision
from tests.interviews import samples


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_transcripts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_each_file_as_the_next_revision(cast, pseudonyms, tmp_path):
    first, second = tmp_path / "first.txt", tmp_path / "second.vtt"
    first.write_bytes(samples.txt())
    second.write_bytes(samples.VTT.encode())

    out, _ = run(
        "--study=tcx", f"--interview={cast.therapist_interview.pk}", str(first), str(second)
    )

    assert out == "first.txt: revision 1, 4 turns.\nsecond.vtt: revision 2, 3 turns.\n"
    revision = TranscriptRevision.objects.get(
        transcript__interview=cast.therapist_interview, number=2
    )
    assert revision.created_by == cast.owner
    assert "[client]" in revision.text


def test_it_takes_speaker_roles_and_a_user(cast, tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(samples.txt())

    run(
        "--study=tcx",
        f"--interview={cast.therapist_interview.pk}",
        "--user=interviewer",
        "--speaker=C=other",
        str(path),
    )

    job = ImportJob.objects.get()
    assert job.created_by == cast.interviewer
    assert set(job.revision.turns.values_list("role", flat=True)) == {"interviewer", "other"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--study=nope", "--interview=1"], "No study with the slug 'nope'."),
        (["--study=tcx", "--interview=999999"], "Study 'tcx' has no interview 999999."),
        (["--study=tcx", "--user=outsider"], "outsider is not a member of the study."),
        (["--study=tcx", "--speaker=C=client"], "--speaker C=client: write LABEL=ROLE"),
    ],
)
def test_it_refuses_bad_arguments(cast, tmp_path, args, message):
    path = tmp_path / "t.txt"
    path.write_bytes(samples.txt())
    if not any(arg.startswith("--interview") for arg in args):
        args = [*args, f"--interview={cast.therapist_interview.pk}"]

    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        run(*args, str(path))

    assert not ImportJob.objects.exists()


def test_background_queues_the_jobs_for_the_worker(
    cast, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / "t.txt"
    path.write_bytes(samples.txt())

    with django_capture_on_commit_callbacks() as callbacks:
        out, _ = run(
            "--study=tcx", f"--interview={cast.therapist_interview.pk}", "--background", str(path)
        )

    job = ImportJob.objects.get()
    assert out == f"t.txt: queued as import job {job.pk}.\n"
    assert len(callbacks) == 1 and job.state == "queued"


def test_preview_prints_the_replacements_and_the_names_and_writes_nothing(
    cast, pseudonyms, tmp_path
):
    path = tmp_path / "t.txt"
    path.write_bytes(b"I: Who?\n\nC: Ingrid and Ingrids friend Tormod came.\n")

    out, _ = run(
        "--study=tcx", f"--interview={cast.therapist_interview.pk}", "--preview", str(path)
    )

    assert "replaces 'Ingrid' with" in out
    assert "possible name not on the list: 'Ingrids' (1×), near miss" in out
    assert "possible name not on the list: 'Tormod' (1×)" in out
    assert not ImportJob.objects.exists()
    assert not ImportUpload.objects.exists()


def test_an_owners_import_warns_of_the_names_and_goes_ahead(cast, tmp_path):
    cast.study.require_name_review = True
    cast.study.save()
    path = tmp_path / "t.txt"
    path.write_bytes(b"I: Who?\n\nC: My friend Magnus came.\n")

    out, err = run("--study=tcx", f"--interview={cast.therapist_interview.pk}", str(path))

    assert "Warning: t.txt: possible name not on the list: 'Magnus'" in err
    assert out == "t.txt: revision 1, 2 turns.\n"


def test_require_review_imports_no_file_with_names_and_exits_1(cast, tmp_path):
    named, plain = tmp_path / "named.txt", tmp_path / "plain.txt"
    named.write_bytes(b"I: Who?\n\nC: My friend Magnus came.\n")
    plain.write_bytes(b"I: How?\n\nC: fine, thank you.\n")

    with pytest.raises(CommandError, match="1 of 2 files were not imported"):
        run(
            "--study=tcx",
            f"--interview={cast.therapist_interview.pk}",
            "--require-review",
            str(named),
            str(plain),
        )

    assert list(ImportJob.objects.values_list("file_name", flat=True)) == ["plain.txt"]
