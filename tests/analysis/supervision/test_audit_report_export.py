"""The audit trail and decision log of a study and date range, as CSV and as a DOCX report."""

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from docx import Document

from analysis.supervision.audit_document import audit_report_docx
from analysis.supervision.audit_report import Period, audit_events_csv, decision_log_csv
from dyads.models import AuditEvent
from tests.analysis.audit_setup import redefined_code_story, signed_in


@pytest.fixture
def story(cast):
    return redefined_code_story(cast)


def rows(lines) -> list[dict]:
    return list(csv.DictReader(io.StringIO("".join(lines))))


def test_the_csv_holds_every_event_of_the_chain_in_order(cast, story):
    events = rows(audit_events_csv(study=cast.study, period=Period()))

    stored = AuditEvent.objects.filter(study=cast.study).order_by("sequence")
    assert [int(e["sequence"]) for e in events] == [e.sequence for e in stored]
    redefined = next(e for e in events if e["action"] == "code.update")
    assert json.loads(redefined["new_value"]) == {
        "definition": "Safe enough to speak about the therapist."
    }
    assert redefined["hash"] == stored.get(action="code.update").hash


def test_a_date_range_narrows_the_export(cast, story):
    tomorrow = dt.date.today() + dt.timedelta(days=1)

    assert rows(audit_events_csv(study=cast.study, period=Period(start=tomorrow))) == []


def test_the_decision_log_csv_names_the_meeting(cast, story):
    decisions = rows(decision_log_csv(study=cast.study, period=Period()))

    assert [d["kind"] for d in decisions] == ["code_create", "code_redefine"]
    assert decisions[1]["meeting"] == "Second analytic meeting"
    assert decisions[1]["meeting_date"] == "2026-04-14"


def test_the_docx_report_reads_as_an_audit_report(cast, story):
    document = Document(io.BytesIO(audit_report_docx(study=cast.study, period=Period())))

    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Audit report: Therapist and client experiences" in text
    assert "intact" in text
    assert "Second analytic meeting" in cells
    assert "Redefine code (accepted): code “Safety”" in cells


def test_the_export_pages_are_for_auditors_and_name_a_bad_date(cast, story, client):
    url = reverse("audit-export-events", args=["tcx"])

    auditor = signed_in(client, cast.auditor)
    good = auditor.get(url + "?from=2026-01-01")
    bad = auditor.get(url + "?to=soon")
    report = auditor.get(reverse("audit-export-report", args=["tcx"]))
    analyst = signed_in(client, cast.analyst).get(url)

    assert good.status_code == 200
    assert good["Content-Disposition"] == 'attachment; filename="tcx-audit-trail-2026-01-01.csv"'
    assert b"".join(good.streaming_content).startswith(b"sequence,created_at")
    assert bad.status_code == 400
    assert b"'soon' is not a date" in bad.content
    assert report["Content-Type"].endswith("wordprocessingml.document")
    assert analyst.status_code == 403
