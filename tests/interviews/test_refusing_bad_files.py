"""The reader refuses a bad file with a message that names it and the reason."""

import pytest

from dyads.exceptions import DomainError
from interviews.parsers import draft, read_source
from tests.interviews import samples


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(DomainError) as caught:
        draft(read_source(name, content))
    return caught.value.detail["file"]


def encrypted_zip_docx() -> bytes:
    """A .docx whose members carry the zip's "encrypted" flag, as a protected archive does."""
    content = bytearray(samples.make_docx())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = content.find(signature)
        while start != -1:
            content[start + flag_at] |= 0x1
            start = content.find(signature, start + 4)
    return bytes(content)


BAD_FILES = {
    "empty": ("interview.txt", b"", "interview.txt: the file is empty."),
    "blank": ("interview.txt", b" \r\n\r\n ", "interview.txt: is empty (it has no text)."),
    "truncated docx": (
        "interview.docx",
        samples.make_docx()[:3000],
        "interview.docx: a damaged zip archive.",
    ),
    "truncated pdf": (
        "interview.pdf",
        samples.make_pdf()[:-400],
        "interview.pdf: is truncated (the end of the PDF is missing).",
    ),
    "truncated utf-8": (
        "interview.txt",
        "I: Hvem er Åse?".encode()[:-5] + "Å".encode()[:1],
        "interview.txt: is truncated (it ends in the middle of a character).",
    ),
    "truncated rtf": (
        "interview.rtf",
        samples.make_rtf()[:-30],
        "interview.rtf: is truncated (the RTF document does not end).",
    ),
    "password-protected docx": (
        "interview.docx",
        samples.OLE_ENCRYPTED,
        "interview.docx: is password-protected: remove the password and upload it again.",
    ),
    "password-protected pdf": (
        "interview.pdf",
        samples.make_pdf(password="secret"),
        "interview.pdf: is password-protected: remove the password and upload it again.",
    ),
    "wrong extension: a pdf called .docx": (
        "interview.docx",
        samples.make_pdf(),
        "interview.docx: the name says .docx but the content is pdf.",
    ),
    "wrong extension: a docx called .txt": (
        "interview.txt",
        samples.make_docx(),
        "interview.txt: the name says .txt but the content is docx.",
    ),
    "wrong extension: text called .docx": (
        "interview.docx",
        samples.txt(),
        "interview.docx: the name says .docx but the content is txt.",
    ),
    "binary": (
        "interview.txt",
        bytes(range(256)) * 20,
        "interview.txt: a binary file of no supported kind.",
    ),
    "unsupported format": (
        "interview.pages",
        b"whatever",
        "interview.pages: a .pages file cannot be imported "
        "(Duet imports .txt, .docx, .odt, .rtf, .pdf, .vtt, .srt).",
    ),
    "a vtt without its header": (
        "interview.vtt",
        b"00:00:01.000 --> 00:00:02.000\nHello\n",
        "interview.vtt: is not a WebVTT file (it does not begin with WEBVTT).",
    ),
    "an srt that is not one": (
        "interview.srt",
        b"Hello there, this is not a subtitle file.",
        "interview.srt: is not a valid SubRip file",
    ),
    "a pdf without a text layer": (
        "scan.pdf",
        samples.make_pdf(turns=[]),
        "scan.pdf: has no text layer (a scanned PDF?): Duet cannot read its text.",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_is_refused_naming_the_file_and_the_reason(kind):
    name, content, message = BAD_FILES[kind]

    assert refusal(name, content).startswith(message)


def test_a_password_protected_zip_member_is_refused():
    assert "password-protected" in refusal("interview.docx", encrypted_zip_docx())


def test_an_old_word_document_is_refused_with_advice():
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600

    assert refusal("interview.docx", content) == (
        "interview.docx: is an old Word (.doc) file: save it as .docx and upload it again."
    )


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.DUET_MAX_UPLOAD_MB = 1

    message = refusal("big.txt", b"I: " + b"words " * 200_000)

    assert message == "big.txt: is larger than the limit of 1 MB."


def test_only_the_last_part_of_an_uploaded_name_is_used():
    source = read_source("C:\\Users\\kari\\..\\interview.txt", samples.txt())

    assert source.name == "interview.txt"
    assert read_source("../../etc/passwd.txt", samples.txt()).name == "passwd.txt"
