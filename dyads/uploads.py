"""What an uploaded file really is, judged by its content, never by its name.

`sniff(file)` reads the file's first bytes (and, for a zip, its table of
contents) and answers one of the kinds below, or refuses the file with an
`UploadRejected` that names it: too large, a binary that is none of the kinds,
or content that contradicts the file's extension (a PDF called .docx). The
caller then parses the file as that kind, and stores it, if at all, under
`storage_name(kind)`: a random name chosen by Duet, so no user-supplied path
ever reaches the file system.
"""

import io
import re
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import PurePath, PureWindowsPath
from typing import IO

from django.conf import settings

from .archives import checked_zip
from .exceptions import UploadRejected

TEXT_KINDS = frozenset({"txt", "vtt", "srt", "qdc"})
DOCUMENT_KINDS = frozenset({"docx", "odt", "rtf", "pdf", "qdpx", "xlsx"})
AUDIO_KINDS = frozenset({"mp3", "wav", "ogg", "flac", "m4a", "webm"})
TRANSCRIPT_KINDS = frozenset({"txt", "vtt", "srt", "docx", "odt", "rtf", "pdf", "qdpx"})
KINDS = TEXT_KINDS | DOCUMENT_KINDS | AUDIO_KINDS
# File extensions that name a kind; .text and .m4a's cousins count as their kind.
EXTENSIONS = {**{kind: kind for kind in KINDS}, "text": "txt", "mp4": "m4a", "oga": "ogg"}

HEAD_BYTES = 8192
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
SRT_START = re.compile(r"\A\s*\d+\s*\r?\n\d{1,2}:\d{2}:\d{2}[,.]\d{3}\s*-->")

__all__ = ["UploadRejected", "max_upload_bytes", "sniff", "storage_name"]


def max_upload_bytes() -> int:
    return settings.DUET_MAX_UPLOAD_MB * 1024 * 1024


def _size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        size = file.seek(0, 2)
        file.seek(position)
    return size


def _decode(head: bytes) -> str | None:
    """The head as text, or None when it is binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        if b"\x00" in head:
            return None
        encoding = "utf-8-sig"
    try:
        # A multi-byte character may be cut at the end of the head.
        return head.decode(encoding, errors="strict")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 4 and encoding != "utf-16":
            return head[: error.start].decode(encoding)
        if encoding == "utf-16":
            return None
        text = head.decode("cp1252", errors="replace")
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
        return None if controls else text


def _text_kind(text: str) -> str:
    stripped = text.lstrip()
    if stripped.startswith("WEBVTT"):
        return "vtt"
    if SRT_START.match(text):
        return "srt"
    if stripped.startswith("<?xml") and "<CodeBook" in stripped[:2000]:
        return "qdc"
    return "txt"


def _zip_kind(file: IO[bytes], label: str) -> str:
    try:
        # The archive guard unpacks every member within its limits before one is read.
        archive = checked_zip(file, name=label)
    except zipfile.BadZipFile as error:
        raise UploadRejected({"file": f"{label}: a damaged zip archive."}) from error
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
        if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
            return "xlsx"
        if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
            return "odt"
        if "project.qde" in names:
            return "qdpx"
    raise UploadRejected(
        {
            "file": f"{label}: a zip archive that is neither a .docx, an .odt, an .xlsx nor a .qdpx project."
        }
    )


def _content_kind(head: bytes, file: IO[bytes], label: str) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(file, label)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text, before MP3's frame sync
        text = _decode(head)
        return _text_kind(text) if text is not None else None
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"fLaC"):
        return "flac"
    if head[4:8] == b"ftyp":
        return "m4a"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    text = _decode(head)
    return _text_kind(text) if text is not None else None


def sniff(
    file: IO[bytes] | bytes, *, name: str | None = None, allowed: Iterable[str] = KINDS
) -> str:
    """The kind of the file ("txt", "docx", "mp3", ...), judged by its content.

    `file` is a binary file object (an UploadedFile, an open file) or bytes;
    `name` (default: the file's own name) is only used for its extension and
    in messages. The file is left at position 0. Raises UploadRejected when the
    file is empty, larger than settings.DUET_MAX_UPLOAD_MB, not one of
    `allowed`, or its content contradicts its extension.
    """
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    # Browsers may send a path; only its last part is shown, and nothing of it is ever opened.
    label = PureWindowsPath(name or getattr(file, "name", "") or "").name or "the file"
    size = _size(file)
    if size == 0:
        raise UploadRejected({"file": f"{label}: the file is empty."})
    if size > max_upload_bytes():
        raise UploadRejected(
            {"file": f"{label}: larger than the limit of {settings.DUET_MAX_UPLOAD_MB} MB."}
        )
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    kind = _content_kind(head, file, label)
    file.seek(0)
    extension = PurePath(label).suffix.lower().lstrip(".")
    claimed = EXTENSIONS.get(extension)
    if kind is None:
        raise UploadRejected({"file": f"{label}: a binary file of no supported kind."})
    if claimed is not None and claimed != kind:
        if claimed in TEXT_KINDS and kind in TEXT_KINDS:
            kind = claimed  # plain text either way; the parser checks the structure
        else:
            raise UploadRejected(
                {"file": f"{label}: the name says .{extension} but the content is {kind}."}
            )
    allowed = frozenset(allowed)
    if kind not in allowed:
        raise UploadRejected(
            {
                "file": f"{label}: a {kind} file is not accepted here "
                f"(accepted: {', '.join(sorted(allowed))})."
            }
        )
    return kind


def storage_name(kind: str, folder: str = "uploads") -> str:
    """A fresh storage path for a file of `kind`, chosen by Duet, never by the uploader."""
    if kind not in KINDS or not re.fullmatch(r"[a-z0-9_]+(/[a-z0-9_]+)*", folder):
        raise ValueError(f"Refusing storage name for kind {kind!r} in folder {folder!r}")
    return f"{folder}/{uuid.uuid4().hex}.{kind}"
