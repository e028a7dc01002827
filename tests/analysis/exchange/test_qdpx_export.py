"""A study exported as a REFI-QDA project: valid by the official schema, GUIDs
stable from one export to the next, positions in code points of LF-only text."""

import io
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from lxml import etree

from analysis.exchange.qdpx_export import write_qdpx
from analysis.exchange.refi import PROJECT_NS, schema_errors
from dyads.models import Study
from tests import factories
from tests.analysis.refi_files import coded_study

NS = {"q": PROJECT_NS}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def export(study, actor) -> zipfile.ZipFile:
    out = io.BytesIO()
    write_qdpx(study=study, actor=actor, out=out)
    return zipfile.ZipFile(out)


def project_of(archive: zipfile.ZipFile) -> etree._ElementTree:
    return etree.parse(archive.open("project.qde"))


def test_the_demo_study_validates_against_the_refi_qda_schema(seeded, db):
    study = Study.objects.get(slug="demo")
    owner = study.memberships.get(role="owner").user

    archive = export(study, owner)
    document = project_of(archive)

    assert schema_errors(document, PROJECT_NS, "project.qde") == []
    assert len(document.findall(".//q:TextSource", NS)) == 35
    assert len(document.findall(".//q:PlainTextSelection", NS)) > 300
    assert all(name.startswith("sources/") for name in archive.namelist() if name != "project.qde")


def test_guids_stay_the_same_from_one_export_to_the_next(cast):
    coded_study(cast)

    first = etree.tostring(project_of(export(cast.study, cast.owner)))
    factories.CodeFactory(study=cast.study, name="Added later")
    second = project_of(export(cast.study, cast.owner))

    guids = {
        element.get("guid") for element in etree.fromstring(first).iter() if element.get("guid")
    }
    again = {element.get("guid") for element in second.iter() if element.get("guid")}
    assert guids < again
    assert len(again - guids) == 1


def test_codes_keep_their_hierarchy_colour_and_criteria(cast):
    coded_study(cast)

    document = project_of(export(cast.study, cast.owner))

    parent = document.find(".//q:Codes/q:Code", NS)
    child = parent.find("q:Code", NS)
    assert (parent.get("name"), parent.get("color")) == ("Relationship", "#112233")
    assert child.get("name") == "Holding hands"
    assert child.findtext("q:Description", namespaces=NS) == (
        "Being accompanied.\n\nInclude when: Touch, company.\n\nExclude when: Advice.\n\n"
        "Example: somebody holds your hand"
    )


def test_selections_count_code_points_of_the_lf_text_file(cast):
    coded_study(cast)

    archive = export(cast.study, cast.owner)
    document = project_of(archive)

    source = document.find(".//q:TextSource", NS)
    text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
    assert "\r" not in text and not text.startswith("\ufeff")
    excerpts = [
        text[int(s.get("startPosition")) : int(s.get("endPosition"))]
        for s in source.findall("q:PlainTextSelection", NS)
    ]
    assert excerpts == ["dark room 🌑", "somebody holds your hand", "escape"]


def test_memos_become_notes_referred_to_from_their_code_coding_and_project(cast):
    coded_study(cast)

    document = project_of(export(cast.study, cast.owner))

    notes = {note.get("guid"): note for note in document.findall(".//q:Notes/q:Note", NS)}
    code_ref = document.find(".//q:Code/q:Code/q:NoteRef", NS).get("targetGUID")
    coding_ref = document.find(".//q:Coding/q:NoteRef", NS).get("targetGUID")
    project_ref = document.getroot().find("q:NoteRef", NS).get("targetGUID")
    assert notes[code_ref].findtext("q:PlainTextContent", namespaces=NS) == "On holding."
    assert notes[coding_ref].findtext("q:PlainTextContent", namespaces=NS) == "Odd choice."
    assert notes[project_ref].get("name") == "Study"


def test_participants_are_cases_and_dyads_and_interview_numbers_are_sets(cast):
    coded_study(cast)

    document = project_of(export(cast.study, cast.owner))

    cases = {case.get("name") for case in document.findall(".//q:Case", NS)}
    assert cases == {cast.dyad.therapist.pseudonym, cast.dyad.client.pseudonym}
    sets = {s.get("name") for s in document.findall(".//q:Sets/q:Set", NS)}
    assert sets == {"Dyad 1", "Interview 1"}


def test_blind_codings_of_an_open_session_stay_hidden_from_other_coders(cast):
    other = factories.UserFactory(username="coder2")
    factories.MembershipFactory(study=cast.study, user=other, role="analyst")
    session = factories.CodingSessionFactory(study=cast.study, created_by=cast.owner)
    session.coders.set([cast.analyst, other])
    session.transcripts.set([cast.revision.transcript])
    factories.CodingFactory(revision=cast.revision, coder=other, session=session, start=0, end=2)

    mine = project_of(export(cast.study, cast.analyst))
    supervisor = project_of(export(cast.study, cast.owner))

    assert mine.findall(".//q:PlainTextSelection", NS) == []
    assert len(supervisor.findall(".//q:PlainTextSelection", NS)) == 1
