"""The agreement API: the report's shape as DESIGN.md gives it, CSV/XLSX, who may
read it, and the disagreement, resolution, agenda, consensus and calibration
endpoints."""

import io

import openpyxl
import pytest

from analysis.agreement.models import AgendaDisagreement, CalibrationAttempt, Resolution
from analysis.agreement.selectors.reports import agreement_report
from analysis.agreement.selectors.scope import agreement_scope
from analysis.coding.models import SessionState
from dyads.models import AuditEvent, Role
from tests import factories
from tests.analysis.agreement_setup import double_coded, second_analyst
from tests.conftest import api_as

FIGURES = {"percent_agreement", "cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "units"}


@pytest.fixture
def setup(cast):
    return double_coded(cast)


def url(setup, **params) -> str:
    query = "&".join(
        f"{key}={value}" for key, value in {"session": setup.session.pk, **params}.items()
    )
    return f"/api/v1/studies/{setup.study.pk}/agreement/?{query}"


def test_the_report_has_the_shape_design_md_gives_it(setup, cast):
    response = api_as(cast.owner).get(url(setup))

    assert response.status_code == 200
    body = response.json()
    assert set(body["overall"]) >= FIGURES
    assert [row["code"] for row in body["codes"]] == [setup.a.pk, setup.b.pk]
    assert all(FIGURES | {"code"} <= set(row) for row in body["codes"])
    assert body["coders"] == ["analyst", "analyst2"]
    assert body["unit"] == "character"
    assert body["pairs"][0]["coders"] == ["analyst", "analyst2"]
    assert body["transcripts"][0]["codes"][0]["code"] == setup.a.pk
    scope = agreement_scope(
        user=cast.owner, role=Role.OWNER, study=cast.study, session=setup.session.pk
    )
    report = agreement_report(user=cast.owner, scope=scope)
    assert body["overall"]["krippendorff_alpha"] == pytest.approx(report.overall.krippendorff_alpha)
    assert body["codes"][1]["passages"] == 2


def test_an_undefined_coefficient_is_null(setup, cast):
    only_agreed = url(setup, unit="turn", transcripts=setup.revision.transcript_id)
    factories.CodingFactory(
        revision=setup.revision,
        code=factories.CodeFactory(study=cast.study, name="C"),
        coder=setup.first,
        session=setup.session,
        start=0,
        end=184,
    )
    factories.CodingFactory(
        revision=setup.revision,
        code=setup.study.codes.get(name="C"),
        coder=setup.second,
        session=setup.session,
        start=0,
        end=184,
    )

    body = api_as(cast.owner).get(only_agreed).json()

    assert body["codes"][-1]["krippendorff_alpha"] is None
    assert body["codes"][-1]["note"].startswith("Not computable")


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("analyst", 200), ("auditor", 200), ("interviewer", 403), ("outsider", 404)],
)
def test_members_who_see_the_analysis_read_agreement_and_others_do_not(setup, cast, role, status):
    assert api_as(cast.user(role)).get(url(setup)).status_code == status


def test_an_open_blind_session_is_not_compared_for_its_coders(cast):
    setup = double_coded(cast, state=SessionState.OPEN)

    refused = api_as(setup.first).get(url(setup))

    assert refused.status_code == 403
    assert "blind and still open" in refused.json()["detail"]
    assert api_as(cast.owner).get(url(setup)).status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"unit": "word"}, "unit"),
        ({"session": "abc"}, "session"),
        ({"coders": "analyst,nobody"}, "coders"),
        ({"transcripts": "12345678"}, "transcripts"),
    ],
)
def test_bad_parameters_answer_400_naming_the_field(setup, cast, params, field):
    response = api_as(cast.owner).get(url(setup, **params))

    assert response.status_code == 400
    assert field in response.json()


def test_coders_and_transcripts_may_be_repeated_or_comma_separated(setup, cast):
    client = api_as(cast.owner)
    both = client.get(url(setup, coders="analyst,analyst2")).json()
    repeated = client.get(url(setup) + "&coders=analyst&coders=analyst2").json()

    assert both == repeated


def test_the_tables_download_as_csv_and_xlsx(setup, cast):
    client = api_as(cast.owner)

    pairs = client.get(url(setup, format="csv", table="pairs"))
    workbook = client.get(url(setup, format="xlsx"))
    bad = client.get(url(setup, format="csv", table="nothing"))

    assert pairs["Content-Type"].startswith("text/csv")
    assert pairs.content.decode().splitlines()[0].startswith("Coder,Coder,Percent agreement")
    assert pairs.content.decode().splitlines()[1].startswith("analyst,analyst2,")
    sheets = openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert sheets == ["Scope", "Codes", "Coder pairs", "Transcripts"]
    assert bad.status_code == 400
    assert "table" in bad.content.decode()


def test_a_code_name_that_looks_like_a_formula_stays_text_in_the_workbook(setup, cast):
    setup.a.name = "=HYPERLINK(1)"
    setup.a.save()

    workbook = api_as(cast.owner).get(url(setup, format="xlsx"))

    cell = openpyxl.load_workbook(io.BytesIO(workbook.content))["Codes"]["B2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_drift_has_a_point_per_closed_session(setup, cast):
    body = api_as(cast.analyst).get(f"/api/v1/studies/{cast.study.pk}/agreement/drift/").json()

    assert [point["session"] for point in body["sessions"]] == [setup.session.pk]
    assert set(body["sessions"][0]["overall"]) >= FIGURES


def test_the_disagreements_of_a_session_are_listed_with_their_text(setup, cast):
    response = api_as(cast.analyst).get(f"/api/v1/disagreements/?session={setup.session.pk}")

    body = response.json()
    assert body["count"] == 3
    first = body["results"][0]
    assert (first["code"], first["start"], first["end"], first["state"]) == (
        setup.a.pk,
        68,
        110,
        "unresolved",
    )
    assert first["versions"] == [
        {"coder": "analyst", "spans": [[68, 100]]},
        {"coder": "analyst2", "spans": [[75, 110]]},
    ]
    assert first["text"] == setup.revision.text[68:110]


@pytest.mark.parametrize(
    ("query", "status"), [("", 400), ("session=abc", 400), ("session=999999", 404)]
)
def test_the_disagreements_need_a_session_of_the_users_studies(setup, cast, query, status):
    assert api_as(cast.owner).get(f"/api/v1/disagreements/?{query}").status_code == status


def resolution_body(setup, **changes) -> dict:
    return {
        "session": setup.session.pk,
        "revision": setup.revision.pk,
        "code": setup.a.pk,
        "start": 68,
        "end": 110,
        "kind": "accept",
        "coder": "analyst2",
        "reason": "The longer span holds the whole thought.",
        **changes,
    }


def test_a_resolution_is_posted_once_repeated_harmlessly_and_changed_only_after_withdrawal(
    setup, cast
):
    client = api_as(cast.owner)

    created = client.post("/api/v1/resolutions/", resolution_body(setup), format="json")
    again = client.post("/api/v1/resolutions/", resolution_body(setup), format="json")
    other = client.post(
        "/api/v1/resolutions/", resolution_body(setup, kind="neither", coder=None), format="json"
    )

    assert created.status_code == 201
    assert created.json()["spans"] == [[75, 110]]
    assert again.status_code == 200
    assert other.status_code == 409
    assert other.json()["current"]["id"] == created.json()["id"]
    withdrawn = client.post(
        f"/api/v1/resolutions/{created.json()['id']}/withdraw/",
        {"reason": "Re-read."},
        format="json",
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["withdrawn_by"] == "owner"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"kind": "maybe"}, "kind"),
        ({"coder": "nobody"}, "coder"),
        ({"start": 69}, "passage"),
        ({"kind": "edited", "coder": None, "edited_start": 0, "edited_end": 999}, "edited_start"),
    ],
)
def test_a_bad_resolution_answers_400_naming_the_field_and_writes_nothing(
    setup, cast, changes, field
):
    events = AuditEvent.objects.count()

    response = api_as(cast.owner).post(
        "/api/v1/resolutions/", resolution_body(setup, **changes), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Resolution.objects.exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("role", "status"), [("auditor", 403), ("interviewer", 403), ("outsider", 400)]
)
def test_only_owners_and_analysts_post_resolutions(setup, cast, role, status):
    response = api_as(cast.user(role)).post(
        "/api/v1/resolutions/", resolution_body(setup), format="json"
    )

    assert response.status_code == status
    assert not Resolution.objects.exists()


def test_disagreements_go_on_a_meeting_agenda_in_one_request(setup, cast):
    meeting = factories.MeetingFactory(study=cast.study, created_by=cast.owner)
    client = api_as(setup.first)
    body = {"session": setup.session.pk, "meeting": meeting.pk}

    first = client.post("/api/v1/agenda-disagreements/", body, format="json")
    second = client.post("/api/v1/agenda-disagreements/", body, format="json")
    listed = client.get(f"/api/v1/agenda-disagreements/?meeting={meeting.pk}")

    assert first.status_code == 201
    assert len(first.json()) == 3
    assert (second.status_code, second.json()) == (200, [])
    assert listed.json()["count"] == 3


def test_an_agenda_request_naming_no_passage_is_refused_and_adds_nothing(setup, cast):
    meeting = factories.MeetingFactory(study=cast.study, created_by=cast.owner)
    body = {"session": setup.session.pk, "meeting": meeting.pk, "passages": []}

    response = api_as(setup.first).post("/api/v1/agenda-disagreements/", body, format="json")

    assert response.status_code == 400
    assert "No disagreement was chosen" in response.json()["passages"]
    assert not AgendaDisagreement.objects.exists()


def test_an_agenda_request_for_a_meeting_of_another_study_is_refused(setup, cast):
    meeting = factories.MeetingFactory(study=cast.other_study)

    response = api_as(cast.owner).post(
        "/api/v1/agenda-disagreements/",
        {"session": setup.session.pk, "meeting": meeting.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "meeting" in response.json()


def test_the_consensus_layer_is_listed_page_by_page(setup, cast):
    body = api_as(cast.auditor).get(f"/api/v1/studies/{cast.study.pk}/consensus/").json()

    assert body["count"] == 4
    assert {row["source"] for row in body["results"]} == {"agreed", "unresolved"}
    settled = (
        api_as(cast.auditor)
        .get(f"/api/v1/studies/{cast.study.pk}/consensus/?unresolved=false")
        .json()
    )
    assert settled["count"] == 1


def test_calibration_runs_through_the_api(setup, cast):
    trainee = second_analyst(cast, "trainee")
    owner, learner = api_as(cast.owner), api_as(trainee)
    reference = owner.post(
        "/api/v1/calibration-references/",
        {
            "study": cast.study.pk,
            "name": "First client interview",
            "session": setup.session.pk,
            "transcript": setup.revision.transcript_id,
            "coder": "analyst",
        },
        format="json",
    )
    assert reference.status_code == 201
    started = owner.post(
        "/api/v1/calibration-attempts/",
        {"reference": reference.json()["id"], "trainee": "trainee"},
        format="json",
    )
    assert started.status_code == 201
    attempt = started.json()["id"]
    factories.CodingFactory(
        revision=setup.revision,
        code=setup.a,
        coder=trainee,
        session=CalibrationAttempt.objects.get(pk=attempt).session,
        start=68,
        end=100,
    )

    assert learner.get(f"/api/v1/calibration-attempts/{attempt}/result/").status_code == 403
    assert learner.post(f"/api/v1/calibration-attempts/{attempt}/submit/").status_code == 200
    result = learner.get(f"/api/v1/calibration-attempts/{attempt}/result/").json()

    assert [(row["code"], row["krippendorff_alpha"] is not None) for row in result["codes"]] == [
        (setup.a.pk, True),
        (setup.b.pk, True),
    ]
    assert [(p["start"], p["end"]) for p in result["missed"]] == [(5, 30), (153, 180)]
    assert result["missed"][0]["text"] == setup.revision.text[5:30]
    assert api_as(setup.first).get("/api/v1/calibration-attempts/").json()["count"] == 0
    assert api_as(cast.auditor).get("/api/v1/calibration-attempts/").json()["count"] == 1


def test_an_analyst_may_not_mark_a_reference(setup, cast):
    response = api_as(setup.first).post(
        "/api/v1/calibration-references/",
        {
            "study": cast.study.pk,
            "name": "Mine",
            "session": setup.session.pk,
            "transcript": setup.revision.transcript_id,
        },
        format="json",
    )

    assert response.status_code == 403


def test_the_agreement_endpoint_runs_a_bounded_number_of_queries(
    setup, cast, django_assert_max_num_queries
):
    client = api_as(cast.owner)
    with django_assert_max_num_queries(14):
        assert client.get(url(setup)).status_code == 200
