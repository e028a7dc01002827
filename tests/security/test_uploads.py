"""dyads.uploads.sniff judges a file by its content, not its name."""

import io
import zipfile

import pytest

from dyads.uploads import UploadRejected, sniff, storage_name


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("interview.txt", "I: Hallo\nP: Grüß dich 🌑\n".encode(), "txt"),
        ("interview.txt", "I: Hi\n".encode("utf-16"), "txt"),
        ("interview.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n", "vtt"),
        ("interview.srt", b"1\n00:00:00,000 --> 00:00:01,000\nHi\n", "srt"),
        ("interview.pdf", b"%PDF-1.7\n...", "pdf"),
        ("interview.rtf", b"{\\rtf1\\ansi Hi}", "rtf"),
        ("interview.docx", DOCX, "docx"),
        ("audio.mp3", b"ID3\x03\x00" + b"\x00" * 20, "mp3"),
        ("no-extension", b"%PDF-1.4 ...", "pdf"),
    ],
)
def test_the_kind_comes_from_the_content(name, content, kind):
    assert sniff(content, name=name) == kind


def test_a_pdf_called_docx_is_refused_naming_the_file():
    with pytest.raises(UploadRejected) as refused:
        sniff(b"%PDF-1.7 ...", name="C:\\Users\\me\\interview.docx")
    assert refused.value.detail["file"] == (
        "interview.docx: the name says .docx but the content is pdf."
    )


def test_a_binary_called_txt_is_refused():
    with pytest.raises(UploadRejected) as refused:
        sniff(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", name="transcript.txt")
    assert "binary" in refused.value.detail["file"]


def test_a_zip_that_is_no_document_is_refused():
    with pytest.raises(UploadRejected, match=r"neither a \.docx"):
        sniff(zipped({"payload.bin": b"x"}), name="interview.docx")


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.DUET_MAX_UPLOAD_MB = 1
    with pytest.raises(UploadRejected, match="larger than the limit of 1 MB"):
        sniff(b"a" * (1024 * 1024 + 1), name="big.txt")


def test_an_empty_file_and_a_kind_not_allowed_here_are_refused():
    with pytest.raises(UploadRejected, match="empty"):
        sniff(b"", name="empty.txt")
    with pytest.raises(UploadRejected, match="not accepted here"):
        sniff(b"ID3\x03" + b"\x00" * 10, name="song.mp3", allowed={"txt", "docx"})


def test_stored_names_are_chosen_by_duet_never_by_the_uploader():
    name = storage_name("mp3", folder="audio")
    assert name.startswith("audio/") and name.endswith(".mp3") and ".." not in name
    with pytest.raises(ValueError):
        storage_name("mp3", folder="../../etc")
