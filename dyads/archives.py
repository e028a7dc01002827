"""The one guard every reader of a zip archive passes through (.docx, .odt, .xlsx, .qdpx,
batch .zip, study backups), before a parser holds any member in memory or writes it.

`checked_zip` opens the archive and unpacks every member once, in chunks, to nowhere,
counting what comes out: an archive with too many members, a member or a total that
unpacks to more than its limit, or a member that inflates more than the ratio allows
is refused on the chunk that crosses the line, so a header that lies about sizes does
not help. The same pass checks each member's CRC (a damaged archive raises
zipfile.BadZipFile for the caller to name) and refuses members that are encrypted,
symbolic links, absolute paths or paths that climb out of the archive (`..`). The
limits are settings (DUET_ARCHIVE_*); a refusal names the file and the limit.
"""

import io
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO

from django.conf import settings

from .exceptions import UploadRejected

CHUNK = 64 * 1024
MB = 1024 * 1024
# Small members may compress far better than large ones (a few repeated XML tags);
# the ratio is judged only once a member has unpacked to more than this.
RATIO_GRACE_BYTES = MB


class ArchiveRefused(UploadRejected):
    """The archive is refused; the message names the file and the limit it broke."""

    def __init__(self, file_name: str, reason: str):
        self.file_name = file_name
        self.reason = reason
        super().__init__({"file": f"{file_name}: {reason}"})


@dataclass(frozen=True)
class ArchiveLimits:
    members: int
    member_bytes: int
    total_bytes: int
    ratio: int


def archive_limits(*, member_bytes: int | None = None) -> ArchiveLimits:
    """The configured limits; a reader may narrow a member's limit (a transcript's is the upload's)."""
    configured = settings.DUET_ARCHIVE_MAX_MEMBER_MB * MB
    return ArchiveLimits(
        members=settings.DUET_ARCHIVE_MAX_MEMBERS,
        member_bytes=min(configured, member_bytes) if member_bytes else configured,
        total_bytes=settings.DUET_ARCHIVE_MAX_TOTAL_MB * MB,
        ratio=settings.DUET_ARCHIVE_MAX_RATIO,
    )


def _megabytes(size: int) -> str:
    return f"{size / MB:g} MB"


def unsafe_name(name: str) -> bool:
    """A member name that would land outside a folder it is unpacked into."""
    path = PurePosixPath(name.replace("\\", "/"))
    return (
        path.is_absolute()
        or bool(PureWindowsPath(name).drive)
        or ".." in path.parts
        or "\x00" in name
    )


def _check_entry(member: zipfile.ZipInfo, label: str) -> None:
    if unsafe_name(member.filename):
        raise ArchiveRefused(label, f"the member '{member.filename}' points outside the archive.")
    if stat.S_ISLNK(member.external_attr >> 16):
        raise ArchiveRefused(label, f"the member '{member.filename}' is a symbolic link.")
    if member.flag_bits & 0x1:
        raise ArchiveRefused(
            label, "is password-protected: remove the password and upload it again."
        )


def _unpack_counting(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, label: str, limits: ArchiveLimits, total: int
) -> int:
    """Unpack one member to nowhere; its size, or a refusal on the chunk that breaks a limit."""
    size = 0
    try:
        with archive.open(member) as entry:
            while chunk := entry.read(CHUNK):
                size += len(chunk)
                _check_growth(member, size, total + size, label, limits)
    except (zlib.error, EOFError, NotImplementedError) as error:
        raise zipfile.BadZipFile(f"{member.filename} cannot be unpacked: {error}") from error
    return size


def _check_growth(
    member: zipfile.ZipInfo, size: int, total: int, label: str, limits: ArchiveLimits
) -> None:
    if size > limits.member_bytes:
        raise ArchiveRefused(
            label,
            f"the member '{member.filename}' unpacks to more than the limit of "
            f"{_megabytes(limits.member_bytes)} per file.",
        )
    if total > limits.total_bytes:
        raise ArchiveRefused(
            label, f"unpacks to more than the limit of {_megabytes(limits.total_bytes)} in all."
        )
    if size > RATIO_GRACE_BYTES and size > limits.ratio * max(member.compress_size, 1):
        raise ArchiveRefused(
            label,
            f"the member '{member.filename}' inflates more than {limits.ratio} times "
            "(the limit of a compression ratio): it looks like a decompression bomb.",
        )


def check_archive(
    archive: zipfile.ZipFile, *, name: str, member_bytes: int | None = None
) -> zipfile.ZipFile:
    """Check an open archive as `checked_zip` does (for a reader that opened it itself)."""
    label = PureWindowsPath(name or "").name or "the archive"
    limits = archive_limits(member_bytes=member_bytes)
    members = archive.infolist()
    if len(members) > limits.members:
        raise ArchiveRefused(
            label, f"holds {len(members)} files, more than the limit of {limits.members}."
        )
    for member in members:
        _check_entry(member, label)
    total = 0
    for member in members:
        if not member.is_dir():
            total += _unpack_counting(archive, member, label, limits, total)
    return archive


def checked_zip(
    file: bytes | IO[bytes], *, name: str, member_bytes: int | None = None
) -> zipfile.ZipFile:
    """The zip archive in `file`, opened once every member was unpacked within the limits.

    Raises ArchiveRefused naming `name` and the limit broken, zipfile.BadZipFile for
    a file that is no zip or a damaged one. `member_bytes` narrows the limit of a member.
    """
    if isinstance(file, bytes | bytearray | memoryview):
        file = io.BytesIO(file)
    archive = zipfile.ZipFile(file)
    try:
        return check_archive(archive, name=name, member_bytes=member_bytes)
    except BaseException:
        archive.close()
        raise
