"""Stage one of an import: decide what an uploaded file is, or refuse it.

`read_source` refuses, naming the file and the reason, a file that is empty,
too large, of a format Duet does not import, whose content contradicts its
extension, binary where text was expected, truncated or damaged, or
password-protected. The generic checks (size, emptiness, content against
extension) are dyads.uploads' `sniff`; this module adds what only a
transcript importer knows. The file name is only ever shown, never used as a path.
"""

import codecs
import dataclasses
import io
import re
import zipfile
from pathlib import PureWindowsPath

from dyads.archives import checked_zip
from dyads.uploads import max_upload_bytes, sniff

from .base import Source, UnreadableFile

FORMATS = ("txt", "docx", "odt", "rtf", "pdf", "vtt", "srt")
TEXT_FORMATS = frozenset({"txt", "vtt", "srt"})

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# Control characters that never occur in a transcript; more than this share of them is binary.
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f]")
MAX_CONTROL_SHARE = 0.001


def display_name(name: str) -> str:
    """The last component of an uploaded file's name (browsers may send a path), for messages."""
    return PureWindowsPath(name or "").name.strip() or "the file"


def read_source(name: str, content: bytes) -> Source:
    """The checked source file, or UnreadableFile/UploadRejected naming it and the reason."""
    name = display_name(name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FORMATS:
        shown = f"a .{extension} file" if extension else "a file without an extension"
        raise UnreadableFile(name, f"{shown} cannot be imported (Duet imports {_formats()}).")
    if content.startswith(OLE_MAGIC):
        raise UnreadableFile(name, _ole_reason(content))
    if len(content) > max_upload_bytes():
        limit = max_upload_bytes() // (1024 * 1024)
        raise UnreadableFile(name, f"is larger than the limit of {limit} MB.")
    sniff(_sniffable(content, extension), name=name, allowed=FORMATS)
    source = Source(name=name, format=extension, content=content)
    text = CHECKS[extension](source)
    return dataclasses.replace(source, text=text) if text is not None else source


def _sniffable(content: bytes, extension: str) -> bytes:
    """What `sniff` judges: UTF-16 text as UTF-8, since its byte-order mark can look like MP3."""
    if extension in TEXT_FORMATS and content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return content
    return content


def _formats() -> str:
    return ", ".join(f".{fmt}" for fmt in FORMATS)


def _ole_reason(content: bytes) -> str:
    if OLE_ENCRYPTED in content:
        return "is password-protected: remove the password and upload it again."
    return "is an old Word (.doc) file: save it as .docx and upload it again."


def _zip(source: Source) -> zipfile.ZipFile:
    """The archive, through the archive guard: no member may unpack beyond the upload limit."""
    try:
        return checked_zip(source.content, name=source.name, member_bytes=max_upload_bytes())
    except zipfile.BadZipFile as error:
        raise source.refuse(f"is truncated or damaged ({error}).") from error


def _check_docx(source: Source) -> None:
    _zip(source).close()


def _check_odt(source: Source) -> None:
    with _zip(source) as archive:
        manifest = (
            archive.read("META-INF/manifest.xml") if _has(archive, "META-INF/manifest.xml") else b""
        )
    if b"encryption-data" in manifest:
        raise source.refuse("is password-protected: remove the password and upload it again.")


def _has(archive: zipfile.ZipFile, member: str) -> bool:
    return member in archive.namelist()


def _check_pdf(source: Source) -> None:
    if b"%%EOF" not in source.content[-2048:]:
        raise source.refuse("is truncated (the end of the PDF is missing).")
    from pypdf import PdfReader  # heavy: loaded when a PDF comes
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(source.content))
        locked = reader.is_encrypted and not reader.decrypt("")
    except (PdfReadError, ValueError, KeyError) as error:
        raise source.refuse("is damaged (the PDF cannot be opened).") from error
    if locked:
        raise source.refuse("is password-protected: remove the password and upload it again.")


def _check_rtf(source: Source) -> None:
    if not source.content.rstrip(b"\x00\r\n\t ").endswith(b"}"):
        raise source.refuse("is truncated (the RTF document does not end).")


def _check_text(source: Source) -> str:
    return decode_text(source)


def _check_vtt(source: Source) -> str:
    text = decode_text(source)
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise source.refuse("is not a WebVTT file (it does not begin with WEBVTT).")
    return text


CHECKS = {
    "docx": _check_docx,
    "odt": _check_odt,
    "pdf": _check_pdf,
    "rtf": _check_rtf,
    "txt": _check_text,
    "srt": _check_text,
    "vtt": _check_vtt,
}


def decode_text(source: Source) -> str:
    """A text file's content: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if source.text is not None:
        return source.text
    content = source.content
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(source, "utf-16")
    elif content.startswith(codecs.BOM_UTF8):
        text = _decode(source, "utf-8-sig")
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.reason == "unexpected end of data" and error.end == len(content):
                raise source.refuse(
                    "is truncated (it ends in the middle of a character)."
                ) from error
            text = _decode(source, "cp1252")
    controls = len(CONTROLS.findall(text))
    if "\x00" in text or controls > MAX_CONTROL_SHARE * len(text):
        raise source.refuse("is a binary file, not text.")
    if not text.strip():
        raise source.refuse("is empty (it has no text).")
    return text


def _decode(source: Source, encoding: str) -> str:
    try:
        return source.content.decode(encoding)
    except UnicodeDecodeError as error:
        raise source.refuse(
            f"is not valid {encoding.upper()} text (byte {error.start} cannot be read)."
        ) from error
