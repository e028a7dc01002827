"""Every zip Duet reads passes one archive guard (dyads.archives): a decompression bomb
is refused, naming the file and the limit, while the process's memory stays bounded
(measured with psutil while the refusal runs)."""

import io
import threading
import zipfile
from contextlib import contextmanager

import psutil
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from analysis.exchange.codebook_io import parse_codebook_xlsx
from analysis.exchange.models import ExchangeJob
from analysis.exchange.qdpx_import import parse_qdpx
from analysis.exchange.refi import RefiError
from analysis.exchange.services.transfers import exchange_import_start
from dyads.archives import ArchiveRefused, checked_zip
from dyads.exceptions import DomainError
from interviews.models import ImportUpload
from interviews.parsers import read_source
from interviews.services.batches import import_batch_create
from tests.interviews import samples

MB = 1024 * 1024
MEMORY_BOUND = 200 * MB


def zeros_member(archive: zipfile.ZipFile, name: str, size: int) -> None:
    """A member of `size` zero bytes, written in chunks (never held whole)."""
    chunk = bytes(MB)
    with archive.open(deflated(name), "w", force_zip64=True) as entry:
        for _ in range(size // MB):
            entry.write(chunk)


def deflated(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def bomb(members: dict[str, int], extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        for name, size in members.items():
            zeros_member(archive, name, size)
    return out.getvalue()


@contextmanager
def peak_memory_growth():
    """Yields a list that holds, after the block, the peak growth of this process's RSS."""
    process = psutil.Process()
    baseline = process.memory_info().rss
    peak = [baseline]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            done.wait(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    growth: list[int] = []
    try:
        yield growth
    finally:
        done.set()
        sampler.join()
        growth.append(peak[0] - baseline)


@pytest.fixture(scope="module")
def qdpx_bomb() -> bytes:
    """About 2 MB that unpacks to 2 GB."""
    return bomb({"sources/a.txt": 2048 * MB}, {"project.qde": b"<Project/>"})


def test_a_qdpx_that_unpacks_to_2_gb_is_refused_at_upload_within_the_memory_bound(cast, qdpx_bomb):
    assert len(qdpx_bomb) < 3 * MB
    upload = SimpleUploadedFile("project.qdpx", qdpx_bomb)

    with peak_memory_growth() as growth, pytest.raises(DomainError) as refused:
        exchange_import_start(actor=cast.owner, study=cast.study, format="qdpx", upload=upload)

    assert refused.value.detail["file"].startswith("project.qdpx: the member 'sources/a.txt'")
    assert "inflates more than 100 times" in refused.value.detail["file"]
    assert not ExchangeJob.objects.exists()
    assert growth[0] < MEMORY_BOUND


def test_the_qdpx_reader_refuses_the_same_bomb_naming_the_file(qdpx_bomb):
    with peak_memory_growth() as growth, pytest.raises(RefiError, match=r"^project\.qdpx: "):
        parse_qdpx(qdpx_bomb, "project.qdpx")

    assert growth[0] < MEMORY_BOUND


def xlsx_with_huge_shared_strings() -> bytes:
    """A real workbook whose sharedStrings.xml is padded to 800 MB."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["name", "definition"])
    workbook.active.append(["Hope", "Looking forward"])
    plain = io.BytesIO()
    workbook.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
    ):
        for member in source.infolist():
            if member.filename != "xl/sharedStrings.xml":
                archive.writestr(member, source.read(member))
        with archive.open(deflated("xl/sharedStrings.xml"), "w", force_zip64=True) as entry:
            entry.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            padding = b"<si><t>" + b"A" * (MB - 16) + b"</t></si>"
            for _ in range(800):
                entry.write(padding)
            entry.write(b"</sst>")
    return out.getvalue()


def test_a_codebook_xlsx_with_an_800_mb_shared_strings_is_refused(cast):
    content = xlsx_with_huge_shared_strings()
    assert len(content) < 2 * MB

    with peak_memory_growth() as growth, pytest.raises(DomainError) as refused:
        exchange_import_start(
            actor=cast.analyst,
            study=cast.study,
            format="codebook_xlsx",
            upload=SimpleUploadedFile("codes.xlsx", content),
        )
    with pytest.raises(RefiError, match=r"^codes\.xlsx: the member 'xl/sharedStrings\.xml'"):
        parse_codebook_xlsx(content, "codes.xlsx")

    assert "codes.xlsx: the member 'xl/sharedStrings.xml'" in refused.value.detail["file"]
    assert not ExchangeJob.objects.exists()
    assert growth[0] < MEMORY_BOUND


def test_a_batch_zip_of_20_text_files_of_45_mb_is_refused_and_nothing_stored(cast):
    content = bomb({f"dyad{index:02}_therapist_interview1.txt": 45 * MB for index in range(20)})
    assert len(content) < 3 * MB

    with peak_memory_growth() as growth:
        batch = import_batch_create(
            actor=cast.interviewer, study=cast.study, files=[("transcripts.zip", content)]
        )

    assert len(batch.refused) == 1
    assert batch.refused[0]["file"] == "transcripts.zip"
    assert "inflates more than 100 times" in batch.refused[0]["reason"]
    assert not ImportUpload.objects.exists()
    assert growth[0] < MEMORY_BOUND


def test_a_docx_bomb_is_refused_by_the_transcript_reader():
    docx = samples.make_docx()
    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        parts = {member.filename: source.read(member) for member in source.infolist()}
    content = bomb({"word/media/padding.bin": 300 * MB}, parts)

    with peak_memory_growth() as growth, pytest.raises(DomainError) as refused:
        read_source("interview.docx", content)

    assert refused.value.detail["file"].startswith("interview.docx: the member 'word/media/")
    assert growth[0] < MEMORY_BOUND


def test_the_limits_are_settings_and_the_refusal_names_them(settings):
    settings.DUET_ARCHIVE_MAX_MEMBERS = 3
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for index in range(4):
            archive.writestr(f"{index}.txt", b"x")
    with pytest.raises(ArchiveRefused, match=r"many\.zip: holds 4 files, more than the limit of 3"):
        checked_zip(many.getvalue(), name="many.zip")

    settings.DUET_ARCHIVE_MAX_MEMBERS = 100
    settings.DUET_ARCHIVE_MAX_TOTAL_MB = 2
    random_text = io.BytesIO()
    with zipfile.ZipFile(random_text, "w", zipfile.ZIP_STORED) as archive:
        for index in range(3):
            archive.writestr(f"{index}.bin", bytes(MB))
    with pytest.raises(ArchiveRefused, match="unpacks to more than the limit of 2 MB in all"):
        checked_zip(random_text.getvalue(), name="big.zip")


@pytest.mark.parametrize(
    "name, reason",
    [
        ("../../etc/passwd", "points outside the archive"),
        ("/etc/passwd", "points outside the archive"),
        ("C:/Windows/evil.txt", "points outside the archive"),
    ],
)
def test_member_names_outside_the_archive_are_refused(name, reason):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo(name), b"x")

    with pytest.raises(ArchiveRefused, match=reason):
        checked_zip(out.getvalue(), name="evil.zip")


def test_a_symbolic_link_member_is_refused():
    out = io.BytesIO()
    link = zipfile.ZipInfo("media/link")
    link.external_attr = (0o120777 << 16) | 0
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(link, b"/etc/passwd")

    with pytest.raises(ArchiveRefused, match="is a symbolic link"):
        checked_zip(out.getvalue(), name="evil.zip")
