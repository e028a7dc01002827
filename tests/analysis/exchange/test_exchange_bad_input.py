"""A file Duet cannot import gets a message naming the file and element, and the
study is left exactly as it was."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from analysis.coding.models import Code, Coding
from analysis.exchange.models import ExchangeJob, ExchangeState
from analysis.exchange.qdpx_import import parse_qdpx
from analysis.exchange.refi import RefiError
from analysis.exchange.services.runner import run_job
from analysis.exchange.services.transfers import exchange_import_start, project_import
from dyads.exceptions import DomainError
from dyads.models import AuditEvent
from tests.analysis.refi_files import qdpx_with, vendor_qdpx

GUID = "0c5f4c9e-1111-4222-8333-444455556666"
CODE = "1c5f4c9e-1111-4222-8333-444455556666"


def project(sources: str = "", codes: str = "") -> str:
    codebook = f"<CodeBook><Codes>{codes}</Codes></CodeBook>" if codes else ""
    return (
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="Tool">{codebook}'
        f"{f'<Sources>{sources}</Sources>' if sources else ''}</Project>"
    )


def rows(study) -> tuple[int, int, int]:
    return (
        Code.objects.filter(study=study).count(),
        Coding.objects.filter(study=study).count(),
        AuditEvent.objects.filter(study=study).count(),
    )


def test_a_corrupt_zip_is_refused_by_name():
    with pytest.raises(RefiError, match=r"broken\.qdpx: not a \.qdpx \(zip\) archive"):
        parse_qdpx(b"PK\x03\x04 this is no zip", "broken.qdpx")


def test_an_archive_without_a_qde_is_refused():
    with pytest.raises(RefiError, match=r"exactly one \.qde at its top; found none"):
        parse_qdpx(qdpx_with("x", qde_name="notes.txt"), "empty.qdpx")


def test_xml_that_is_not_well_formed_names_the_line():
    with pytest.raises(RefiError, match=r"bad\.qdpx/project\.qde: not well-formed XML \(line 1\)"):
        parse_qdpx(qdpx_with("<Project"), "bad.qdpx")


def test_a_wrong_namespace_is_named():
    qde = '<Project xmlns="urn:Other:project" name="p"/>'

    with pytest.raises(RefiError, match="namespace 'urn:Other:project'; expected <Project>"):
        parse_qdpx(qdpx_with(qde), "ns.qdpx")


def test_a_missing_internal_file_names_the_source_and_the_file():
    source = f'<TextSource guid="{GUID}" name="Anna" plainTextPath="internal://{GUID}.txt"/>'

    with pytest.raises(
        RefiError, match=rf"<TextSource 'Anna'> names its text 'internal://{GUID}.txt'"
    ):
        parse_qdpx(qdpx_with(project(source)), "missing.qdpx")


def test_a_selection_outside_its_text_names_the_selection_and_the_source():
    code = f'<Code guid="{CODE}" name="c" isCodable="true"/>'
    selection = (
        f'<PlainTextSelection guid="{CODE[:-1]}7" startPosition="2" endPosition="99">'
        f'<Coding guid="{CODE[:-1]}8"><CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>'
    )
    source = f'<TextSource guid="{GUID}" name="Anna"><PlainTextContent>short</PlainTextContent>{selection}</TextSource>'

    with pytest.raises(
        RefiError,
        match=r"line 1: <PlainTextSelection '.*'> in source 'Anna' spans 2-99, outside its text of 5",
    ):
        parse_qdpx(qdpx_with(project(source, code)), "range.qdpx")


def test_elements_duet_does_not_import_are_counted_not_dropped():
    extra = f'<PDFSource guid="{GUID}" name="scan"/><AudioSource guid="{GUID}" name="tape"/>'

    parsed = parse_qdpx(qdpx_with(project(extra)), "media.qdpx")

    assert parsed.not_imported.as_list() == [
        {
            "kind": "<AudioSource>",
            "why": "Duet imports text sources only",
            "count": 1,
            "examples": ["<AudioSource 'tape'>"],
        },
        {
            "kind": "<PDFSource>",
            "why": "Duet imports text sources only",
            "count": 1,
            "examples": ["<PDFSource 'scan'>"],
        },
    ]


def test_a_damaged_upload_is_refused_before_a_job_is_queued(cast):
    before = rows(cast.study)
    upload = SimpleUploadedFile("broken.qdpx", b"PK\x03\x04 not a zip")

    with pytest.raises(DomainError) as refused:
        exchange_import_start(actor=cast.owner, study=cast.study, format="qdpx", upload=upload)

    assert refused.value.detail == {"file": "broken.qdpx: a damaged zip archive."}
    assert not ExchangeJob.objects.exists()
    assert rows(cast.study) == before


def test_a_failed_preview_leaves_the_study_unchanged(cast):
    before = rows(cast.study)
    upload = SimpleUploadedFile("bad.qdpx", qdpx_with("<Project"))

    job = exchange_import_start(actor=cast.owner, study=cast.study, format="qdpx", upload=upload)
    run_job(job.pk)

    job = ExchangeJob.objects.get(pk=job.pk)
    assert job.state == ExchangeState.FAILED
    assert "bad.qdpx/project.qde: not well-formed XML" in job.error
    assert rows(cast.study) == before


def test_a_mapping_to_another_studys_interview_is_refused_and_nothing_written(cast):
    parsed = parse_qdpx(vendor_qdpx("nvivo"), "nvivo.qdpx")
    before = rows(cast.study)

    with pytest.raises(DomainError, match="is not an interview, participant or case of this study"):
        project_import(
            actor=cast.owner,
            study=cast.study,
            project=parsed,
            mapping={parsed.sources[0].guid: "interview:999999"},
        )

    assert rows(cast.study) == before


def test_two_sources_for_one_interview_are_refused(cast):
    parsed = parse_qdpx(vendor_qdpx("nvivo"), "nvivo.qdpx")
    parsed.sources.append(
        parsed.sources[0].__class__(**{**parsed.sources[0].__dict__, "guid": GUID})
    )
    target = f"interview:{cast.therapist_interview.pk}"

    with pytest.raises(DomainError, match="2 sources go to"):
        project_import(
            actor=cast.owner,
            study=cast.study,
            project=parsed,
            mapping={source.guid: target for source in parsed.sources},
        )
