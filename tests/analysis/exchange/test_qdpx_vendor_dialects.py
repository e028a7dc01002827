"""Projects from NVivo, ATLAS.ti, MAXQDA, QualCoder and qc import with every selection
on the words the other tool showed: the real sample files, and files written in each
vendor's dialect (positions, line ends, BOM, folder and .qde names, GUID spelling)."""

import pytest

from analysis.coding.models import Code, Coding
from analysis.exchange.positions import Convention
from analysis.exchange.qdpx_import import parse_qdpx
from analysis.exchange.services.transfers import project_import
from tests.analysis.refi_files import VENDOR_SPANS, VENDOR_TEXT, sample, vendor_qdpx


@pytest.mark.parametrize("vendor", ["nvivo", "atlasti", "maxqda", "qualcoder", "qc"])
def test_every_selection_lands_on_the_words_the_vendor_coded(vendor):
    project = parse_qdpx(vendor_qdpx(vendor), f"{vendor}.qdpx")

    (source,) = project.sources
    assert source.text == VENDOR_TEXT
    assert [source.text[s.start : s.end] for s in source.selections] == VENDOR_SPANS


def test_nvivo_positions_are_read_as_utf16_units_over_crlf_text():
    project = parse_qdpx(vendor_qdpx("nvivo"), "nvivo.qdpx")

    assert project.convention == Convention.UTF16_FILE


@pytest.mark.parametrize("vendor", ["nvivo", "maxqda"])
def test_a_dialect_file_imports_into_an_interview_of_the_study(cast, vendor):
    project = parse_qdpx(vendor_qdpx(vendor), f"{vendor}.qdpx")
    interview = cast.therapist_interview

    project_import(
        actor=cast.owner,
        study=cast.study,
        project=project,
        mapping={project.sources[0].guid: f"interview:{interview.pk}"},
    )

    codings = Coding.objects.filter(revision__transcript__interview=interview)
    excerpts = sorted(c.revision.text[c.start : c.end] for c in codings)
    assert excerpts == sorted(VENDOR_SPANS)
    assert Code.objects.get(study=cast.study, name="Feelings").colour == "#a1b2c3"


def test_the_atlas_ti_sample_gives_its_nested_codes(cast):
    project = parse_qdpx(
        sample("atlasti-23.2_target-atlas-project.qdpx").read_bytes(), "atlas.qdpx"
    )

    project_import(actor=cast.owner, study=cast.study, project=project)

    parent = Code.objects.get(study=cast.study, name="Commits")
    assert parent.children.count() == 2
    assert str(parent.guid) == "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"


def test_the_nvivo_mac_sample_gives_its_codebook_and_skips_its_empty_texts(cast):
    project = parse_qdpx(sample("nvivo-mac15_qc-project.qdpx").read_bytes(), "nvivo.qdpx")

    result = project_import(actor=cast.owner, study=cast.study, project=project)

    assert result.codes == 262
    assert result.interviews == 0
    assert Code.objects.get(study=cast.study, name="competencies").parent.name == "rq1_definition"


def test_the_qc_sample_lands_its_line_selections_on_whole_lines(cast):
    project = parse_qdpx(sample("qc-1.3.2_demo.qdpx").read_bytes(), "qc.qdpx")
    board = next(source for source in project.sources if source.guid.startswith("33663939"))

    project_import(
        actor=cast.owner,
        study=cast.study,
        project=project,
        mapping={board.guid: f"interview:{cast.therapist_interview.pk}"},
    )

    codings = Coding.objects.filter(revision__transcript__interview=cast.therapist_interview)
    assert codings.count() == sum(len(s.codings) for s in board.selections)
    first = codings.order_by("start").first()
    assert first.revision.text[first.start : first.end].startswith("This district goal is engage")
    lines = first.revision.text.split("\n")
    assert all(first.revision.text[c.start : c.end].rstrip("\n") in lines for c in codings)
