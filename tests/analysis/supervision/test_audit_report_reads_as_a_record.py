"""The DOCX audit report reads as a supervisor's record: the chain's verification and
checkpoint, decisions with before → after, targets and reasons, rounds with findings
and the sign-off note, each coder's work; no event ids or model labels."""

import io
import re

import pytest
from docx import Document

from analysis.coding.services.codebook import code_create, code_merge
from analysis.deliberation.models import Decision
from analysis.supervision.audit_document import audit_report_docx
from analysis.supervision.audit_report import Period
from analysis.supervision.models import AuditVerdict
from analysis.supervision.services import (
    audit_finding_record,
    audit_finding_reply,
    audit_round_draw,
    audit_round_sign_off,
)
from dyads.audit.checkpoints import audit_checkpoint_publish, public_key_hex
from dyads.audit_comments import audit_comment_create
from tests.analysis.audit_setup import redefined_code_story


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def report(cast, settings, tmp_path):
    story = redefined_code_story(cast)
    cast.analyst.first_name, cast.analyst.last_name = "Ana", "Lyst"
    cast.analyst.save()
    comfort = code_create(
        actor=cast.owner,
        study=cast.study,
        name="Comfort",
        definition="At ease.",
        rationale="A second coder's word for it.",
    )
    code_merge(
        actor=cast.owner,
        code=comfort,
        into=story.code,
        rationale="Comfort and Safety were coded on the same passages.",
    )
    decision = Decision.objects.get(kind="code_merge")
    audit_comment_create(
        actor=cast.auditor,
        study=cast.study,
        object_type="analysis.decision",
        object_id=decision.pk,
        text="Was the merge discussed with both coders?",
    )
    audit_round = audit_round_draw(
        actor=cast.auditor, study=cast.study, title="April audit", strata=[], per_stratum=2, seed=3
    )
    first, second = audit_round.findings.select_related("coding__coder")
    audit_finding_record(actor=cast.auditor, finding=first, verdict=AuditVerdict.AGREE)
    audit_finding_record(
        actor=cast.auditor,
        finding=second,
        verdict=AuditVerdict.QUERY,
        comment="Is the room part of safety?",
    )
    audit_finding_reply(actor=second.coding.coder, finding=second, reply="Only the therapist.")
    audit_round_sign_off(
        actor=cast.auditor, audit_round=audit_round, note="Coding is sound; one query answered."
    )
    audit_checkpoint_publish(study=cast.study)
    return docx_text(audit_report_docx(study=cast.study, period=Period()))


def test_it_states_the_chain_verified_and_the_latest_checkpoint(cast, report):
    assert "Verified: the hash chain was recomputed" in report
    assert public_key_hex() in report
    assert cast.study.audit_checkpoints.get().head_hash in report


def test_the_decision_log_shows_before_after_targets_and_reasons(report):
    assert "definition: Feeling safe." in report
    assert "definition: Safe enough to speak about the therapist." in report
    assert "into “Safety”" in report
    assert "Comfort and Safety were coded on the same passages." in report
    assert "Agreed at “Second analytic meeting” (2026-04-14)." in report


def test_the_rounds_show_findings_replies_and_the_sign_off_note(report):
    assert "Is the room part of safety?" in report
    assert "Only the therapist." in report
    assert "Coding is sound; one query answered." in report
    assert "Findings: 1 agree, 1 query, 0 disagree, 0 pending." in report


def test_each_coder_is_summarised_by_name(report):
    assert "Ana Lyst" in report
    assert "Coders" in report


def test_comments_and_events_read_as_sentences_not_ids(report):
    assert "commented on the decision “Merge codes: Comfort”" in report
    assert "Was the merge discussed with both coders?" in report
    assert not re.search(r"\b(analysis|dyads)\.[a-z]+\b", report), "a model label"
    assert not re.search(r"#\d+(?![0-9a-f])", report), "a bare event id"
    assert "{" not in report, "a Python dictionary"
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d", report), "a machine timestamp"
