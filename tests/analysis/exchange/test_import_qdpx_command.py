"""manage.py import_qdpx: `--user NAME=USERNAME|new` gives each user of the file to a
member or to an imported coder of their own; the output names what was left out and
why; a malformed or unknown mapping is refused by name and changes nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from analysis.coding.models import Coding
from dyads.models import AuditEvent, StudyMembership
from tests.analysis.refi_files import two_coder_qdpx


@pytest.fixture
def qdpx(tmp_path):
    path = tmp_path / "two.qdpx"
    path.write_bytes(two_coder_qdpx())
    return str(path)


def run(qdpx, *options) -> str:
    out = StringIO()
    call_command("import_qdpx", "--study", "tcx", qdpx, *options, stdout=out)
    return out.getvalue()


def state() -> tuple[int, int, int]:
    return (Coding.objects.count(), StudyMembership.objects.count(), AuditEvent.objects.count())


def test_by_default_each_user_gets_an_imported_coder_and_the_report_is_printed(cast, qdpx):
    output = run(qdpx)

    assert (
        "User 'Aksel Lund' (3 codings, 0 notes) -> new imported coder imported-aksel-lund" in output
    )
    assert "2 imported coders" in output and "5 codings (0 already there)" in output
    assert Coding.objects.filter(coder__username="imported-bente-ruud").count() == 2


def test_users_are_given_to_members_and_new_coders_as_asked(cast, qdpx):
    run(qdpx, "--user", "Aksel Lund=analyst", "--user", "Bente Ruud=new")

    assert Coding.objects.filter(coder=cast.analyst).count() == 3
    assert Coding.objects.filter(coder__username="imported-bente-ruud").count() == 2


def test_the_output_names_what_was_left_out_and_why(cast, qdpx):
    output = run(qdpx, "--map", "C1 interview 1=skip")

    assert "Not imported: 1 × source: you chose not to import it (e.g. C1 interview 1)" in output
    assert "Not imported: 5 × coding: its source is not imported (e.g. C1 interview 1)" in output
    assert "Not imported: 2 × case: no source of the file goes to it (e.g. C1, T1)" in output


def test_a_dry_run_prints_the_plan_and_writes_nothing(cast, qdpx):
    before = state()

    output = run(qdpx, "--dry-run")

    assert "New participants: C1, T1" in output and "New dyads: D1" in output
    assert state() == before


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--user", "Aksel Lund", "--user 'Aksel Lund': give it as NAME=USERNAME or NAME=new."),
        ("--user", "Aksel Lund=", "--user 'Aksel Lund=': give it as NAME=USERNAME or NAME=new."),
        ("--user", "=new", "--user '=new': give it as NAME=USERNAME or NAME=new."),
        ("--user", "Aksel Lund=outsider", "'outsider' is not a member of this study"),
        ("--user", "Nobody=new", "the file has no user 'Nobody'"),
        ("--map", "C1 interview 1", "--map 'C1 interview 1': give it as SOURCE=TARGET."),
    ],
)
def test_a_bad_mapping_is_refused_by_name_and_changes_nothing(cast, qdpx, flag, value, message):
    before = state()

    with pytest.raises(CommandError, match=message):
        run(qdpx, flag, value)

    assert state() == before
