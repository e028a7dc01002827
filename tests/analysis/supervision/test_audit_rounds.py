"""Audit rounds: a stratified random sample of coded passages drawn with a recorded seed
(so it can be drawn again), a finding on each, the coder's answer, and the sign-off."""

import pytest
from django.urls import reverse

from analysis.coding.models import Coding
from analysis.supervision.models import AuditVerdict
from analysis.supervision.services import (
    audit_finding_record,
    audit_finding_reply,
    audit_round_draw,
    audit_round_sign_off,
    audit_sample,
)
from dyads.exceptions import DomainError, Forbidden
from dyads.models import AuditEvent, Role
from tests import factories
from tests.analysis.audit_setup import signed_in
from tests.conftest import api_as
from tests.dyads.service_calls import row_counts


@pytest.fixture
def coded(cast):
    """Two coders, two codes, eight codings each on the client's transcript."""
    other = factories.UserFactory(username="analyst2")
    factories.MembershipFactory(study=cast.study, user=other, role=Role.ANALYST)
    codes = [factories.CodeFactory(study=cast.study, name=name) for name in ("Safety", "Trust")]
    for coder in (cast.analyst, other):
        for n in range(8):
            factories.CodingFactory(
                revision=cast.revision, code=codes[n % 2], coder=coder, start=n, end=n + 5
            )
    return codes


def draw(cast, **options):
    settings = {"title": "Round 1", "strata": ["coder", "code"], "per_stratum": 2, "seed": 42}
    return audit_round_draw(actor=cast.auditor, study=cast.study, **{**settings, **options})


def test_the_sample_takes_the_asked_number_from_each_stratum(cast, coded):
    audit_round = draw(cast)

    findings = list(audit_round.findings.select_related("coding"))
    strata = {(f.coding.coder_id, f.coding.code_id) for f in findings}
    assert len(findings) == 8
    assert len(strata) == 4
    assert audit_round.population_size == 16
    assert all(
        f.stratum == {"coder": f.coding.coder_id, "code": f.coding.code_id} for f in findings
    )


def test_the_recorded_seed_draws_the_same_sample_again(cast, coded):
    audit_round = draw(cast, seed=None)
    factories.CodingFactory(revision=cast.revision, code=coded[0], coder=cast.analyst)

    again = audit_sample(
        study=cast.study,
        strata=audit_round.strata,
        per_stratum=audit_round.per_stratum,
        seed=audit_round.seed,
        at=audit_round.population_at,
    )

    assert [pk for pk, _ in again.drawn] == list(
        audit_round.findings.order_by("position").values_list("coding_id", flat=True)
    )


def test_another_seed_draws_another_sample(cast, coded):
    first = draw(cast, seed=1, title="A")
    second = draw(cast, seed=2, title="B")

    assert set(first.findings.values_list("coding", flat=True)) != set(
        second.findings.values_list("coding", flat=True)
    )


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"strata": ["mood"]}, "strata"),
        ({"strata": ["coder", "coder"]}, "strata"),
        ({"per_stratum": 0}, "per_stratum"),
        ({"seed": -1}, "seed"),
    ],
)
def test_a_bad_draw_is_refused_naming_the_field(cast, coded, options, field):
    before = row_counts()

    with pytest.raises(DomainError) as refused:
        draw(cast, **options)

    assert field in refused.value.detail
    assert row_counts() == before


def test_there_is_nothing_to_draw_from_an_uncoded_study(cast):
    with pytest.raises(DomainError, match="no coded passages"):
        draw(cast)


def test_a_query_or_disagreement_must_say_why(cast, coded):
    finding = draw(cast).findings.first()

    with pytest.raises(DomainError) as refused:
        audit_finding_record(actor=cast.auditor, finding=finding, verdict=AuditVerdict.DISAGREE)

    assert "comment" in refused.value.detail


def test_only_the_coder_answers_a_finding(cast, coded):
    finding = draw(cast).findings.filter(coding__coder=cast.analyst).first()
    audit_finding_record(actor=cast.auditor, finding=finding, verdict="query", comment="Why?")

    with pytest.raises(Forbidden):
        audit_finding_reply(actor=cast.owner, finding=finding, reply="Because.")
    audit_finding_reply(actor=cast.analyst, finding=finding, reply="Her words, not mine.")

    finding.refresh_from_db()
    assert finding.coder_reply == "Her words, not mine."


def test_a_round_is_signed_off_once_every_finding_is_recorded_and_is_final_then(cast, coded):
    audit_round = draw(cast, strata=[], per_stratum=2)
    first, second = audit_round.findings.all()
    audit_finding_record(actor=cast.auditor, finding=first, verdict="agree")

    with pytest.raises(DomainError, match="1 sampled passage"):
        audit_round_sign_off(actor=cast.auditor, audit_round=audit_round)
    audit_finding_record(actor=cast.auditor, finding=second, verdict="query", comment="Hm.")
    audit_round_sign_off(actor=cast.auditor, audit_round=audit_round, note="Sound.")
    with pytest.raises(DomainError, match="signed off"):
        audit_finding_record(actor=cast.auditor, finding=first, verdict="disagree", comment="!")

    sign_off = AuditEvent.objects.filter(action="audit_round.sign_off").get()
    assert sign_off.new_value["verdicts"] == {"agree": 1, "query": 1, "disagree": 0}


def test_the_round_page_records_findings_and_signs_off(cast, coded, client):
    audit_round = draw(cast, strata=[], per_stratum=1)
    finding = audit_round.findings.get()
    client = signed_in(client, cast.auditor)

    client.post(
        reverse("audit-finding", args=["tcx", audit_round.pk, finding.pk]),
        {f"finding-{finding.pk}-verdict": "agree"},
    )
    client.post(reverse("audit-round-sign-off", args=["tcx", audit_round.pk]), {"note": "OK"})
    page = client.get(reverse("audit-round", args=["tcx", audit_round.pk]))

    audit_round.refresh_from_db()
    assert audit_round.signed_off_by == cast.auditor
    assert page.status_code == 200
    assert "Sign the round off" not in page.content.decode()


def test_the_api_draws_records_replies_and_signs_off(cast, coded):
    auditor = api_as(cast.auditor)
    drawn = auditor.post(
        "/api/v1/audit-rounds/",
        {"study": cast.study.pk, "title": "API", "strata": ["coder"], "per_stratum": 1, "seed": 5},
        format="json",
    )
    analysts = set(Coding.objects.filter(coder=cast.analyst).values_list("pk", flat=True))
    mine = next(f for f in drawn.data["findings"] if f["coding"] in analysts)
    for finding in drawn.data["findings"]:
        auditor.post(
            f"/api/v1/audit-findings/{finding['id']}/record/",
            {"verdict": "query", "comment": "Why?"},
            format="json",
        )
    replied = api_as(cast.analyst).post(
        f"/api/v1/audit-findings/{mine['id']}/reply/", {"reply": "See memo."}, format="json"
    )
    signed = auditor.post(f"/api/v1/audit-rounds/{drawn.data['id']}/sign-off/", {}, format="json")

    assert drawn.status_code == 201, drawn.data
    assert replied.status_code == 200, replied.data
    assert signed.status_code == 200, signed.data
    assert signed.data["signed_off_by"] == "auditor"
