"""Export, import, export: the same codes, sources, selections and codings come back;
importing a project into the study it came from adds nothing twice."""

import io
import zipfile

from lxml import etree

from analysis.coding.models import Coding, Memo
from analysis.exchange.qdpx_export import write_qdpx
from analysis.exchange.qdpx_import import parse_qdpx
from analysis.exchange.refi import PROJECT_NS
from analysis.exchange.services.transfers import project_import
from dyads.audit import audit_verify
from dyads.models import Dyad, Participant
from dyads.services import study_create
from tests.analysis.refi_files import code_snapshot, coded_study, coding_snapshot

NS = {"q": PROJECT_NS}


def export(study, actor) -> bytes:
    out = io.BytesIO()
    write_qdpx(study=study, actor=actor, out=out)
    return out.getvalue()


def content(data: bytes) -> dict:
    """What a project says, without its GUIDs: codes, sources, selections and codings."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    root = etree.parse(archive.open("project.qde")).getroot()
    codes, users = {}, {u.get("guid"): u.get("id") for u in root.iterfind(".//q:User", NS)}

    def walk(element, path):
        for code in element.iterfind("q:Code", NS):
            here = f"{path}/{code.get('name')}"
            codes[code.get("guid")] = here
            walk(code, here)

    walk(root.find(".//q:Codes", NS), "")
    sources, selections = [], []
    for source in root.iterfind(".//q:TextSource", NS):
        text = archive.read(source.get("plainTextPath").replace("internal://", "sources/"))
        sources.append((source.get("name"), text))
        for selection in source.iterfind("q:PlainTextSelection", NS):
            for coding in selection.iterfind("q:Coding", NS):
                selections.append(
                    (
                        source.get("name"),
                        selection.get("startPosition"),
                        selection.get("endPosition"),
                        codes[coding.find("q:CodeRef", NS).get("targetGUID")],
                        users[coding.get("creatingUser")],
                    )
                )
    return {
        "codes": sorted(codes.values()),
        "sources": sorted(sources),
        "codings": sorted(selections),
    }


def test_export_import_export_gives_the_same_codes_sources_selections_and_codings(cast):
    coded_study(cast)
    first = export(cast.study, cast.owner)
    copy = study_create(actor=cast.owner, title="Copy", slug="copy")

    project_import(actor=cast.owner, study=copy, project=parse_qdpx(first, "tcx.qdpx"))
    second = export(copy, cast.owner)

    assert content(second) == content(first)
    assert code_snapshot(copy) == code_snapshot(cast.study)
    assert coding_snapshot(copy) == coding_snapshot(cast.study)


def test_the_import_rebuilds_participants_dyads_and_memos(cast):
    coded_study(cast)
    copy = study_create(actor=cast.owner, title="Copy", slug="copy")

    project_import(
        actor=cast.owner, study=copy, project=parse_qdpx(export(cast.study, cast.owner), "x.qdpx")
    )

    therapist = Participant.objects.get(study=copy, role="therapist")
    assert therapist.pseudonym == cast.dyad.therapist.pseudonym
    assert therapist.profession == cast.dyad.therapist.profession
    assert Dyad.objects.get(study=copy).label == "Dyad 1"
    assert set(Memo.objects.filter(study=copy).values_list("text", flat=True)) == {
        "On holding.",
        "Odd choice.",
        "Overall.",
    }
    assert Memo.objects.get(study=copy, text="Odd choice.").coding.code.name == "Holding hands"
    assert audit_verify(study=copy).intact


def test_importing_a_project_into_its_own_study_adds_nothing_twice(cast):
    coded_study(cast)
    before = Coding.objects.filter(study=cast.study).count()

    result = project_import(
        actor=cast.owner,
        study=cast.study,
        project=parse_qdpx(export(cast.study, cast.owner), "x.qdpx"),
    )

    assert (result.codes, result.interviews, result.revisions, result.codings) == (0, 0, 0, 0)
    assert result.codings_already_present == before
    assert Coding.objects.filter(study=cast.study).count() == before
