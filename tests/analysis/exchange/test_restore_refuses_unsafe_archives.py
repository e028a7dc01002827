"""A restore refuses an unsafe archive (a media name that climbs out of the media folder,
an absolute path, a symbolic link) with a clear message, and leaves no file behind."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from analysis.exchange.backup import FORMAT, VERSION, BackupError, _restore_media, restore_study


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """The folder the media folder is in: where a name with one `..` would land."""
    root = tmp_path / "root"
    (root / "media").mkdir(parents=True)
    settings.MEDIA_ROOT = root / "media"
    return root


def backup_with(media_names: list[str], members: dict[str, bytes] | None = None) -> bytes:
    items = [{"name": name, "sha256": hashlib.sha256(b"audio").hexdigest()} for name in media_names]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "manifest.json",
            json.dumps({"format": FORMAT, "version": VERSION, "media": items, "models": {}}),
        )
        for name, data in (members or {}).items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return out.getvalue()


def files_under(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()]


@pytest.mark.parametrize("name", ["../escaped.mp3", "/tmp/escaped.mp3", "audio/../../x.mp3"])
def test_a_media_name_outside_the_media_folder_is_refused_before_anything_is_written(
    db, media, name
):
    archive = backup_with([name], {f"media/{name}": b"audio"})

    with pytest.raises(BackupError) as refused:
        restore_study(archive_file=io.BytesIO(archive))

    assert "outside" in str(refused.value)
    assert files_under(media) == []


def test_a_symbolic_link_in_the_archive_is_refused(db, media):
    out = io.BytesIO(backup_with([]))
    link = zipfile.ZipInfo("media/audio/link.mp3")
    link.external_attr = 0o120777 << 16
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr(link, "/etc/passwd")

    with pytest.raises(BackupError, match="is a symbolic link"):
        restore_study(archive_file=io.BytesIO(out.getvalue()))

    assert files_under(media) == []


def test_the_command_says_why_without_a_traceback(db, media, tmp_path):
    path = tmp_path / "evil.zip"
    path.write_bytes(backup_with(["../escaped.mp3"], {"media/../escaped.mp3": b"audio"}))

    with pytest.raises(CommandError, match="outside"):
        call_command("import_study", str(path))

    assert files_under(media) == []


def test_media_written_before_a_failure_are_removed(media):
    good = {"name": "audio/a.mp3", "sha256": hashlib.sha256(b"audio").hexdigest()}
    bad = {"name": "audio/b.mp3", "sha256": "0" * 64}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("media/audio/a.mp3", b"audio")
        archive.writestr("media/audio/b.mp3", b"other")

    with pytest.raises(BackupError, match="does not match its checksum"):
        _restore_media(zipfile.ZipFile(out), [good, bad])

    assert files_under(media) == []
