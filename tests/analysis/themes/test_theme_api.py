"""The API of the theme views: the matrix, exemplary quotes, convergence marks, coverage,
and PATCH on a theme; every write through its service, every read study-scoped."""

import pytest

from analysis.deliberation.models import DecisionKind
from analysis.themes.models import ConvergenceMark, ExemplaryQuote, QuestionCoverage
from interviews.models import GuideQuestion, Interview, InterviewGuide
from tests.analysis.theme_setup import side_state_study, theme_study
from tests.conftest import api_as


@pytest.fixture
def setup(cast):
    return theme_study(cast)


def test_the_matrix_gives_every_cell_with_its_counts_and_mark(cast, setup):
    ConvergenceMark.objects.create(
        study=cast.study,
        dyad=setup.dyad1,
        theme=setup.safety,
        verdict="converge",
        marked_by=cast.owner,
    )

    body = api_as(cast.auditor).get(f"/api/v1/studies/{cast.study.pk}/matrix/?source=all").json()

    assert [c["name"] for c in body["constituents"]] == ["Persistence", "Irritation", "Safety"]
    assert [d["label"] for d in body["dyads"]] == ["Dyad 1", "Dyad 2"]
    cells = {(c["dyad"], c["theme"]): c for c in body["cells"]}
    safety = cells[(setup.dyad1.pk, setup.safety.pk)]
    assert (safety["client"], safety["therapist"], safety["presence"]) == (1, 2, "both")
    assert safety["convergence"]["verdict"] == "converge"
    assert cells[(setup.dyad2.pk, setup.safety.pk)]["presence"] == "therapist"


def test_each_cell_gives_the_state_of_each_side(cast):
    world = side_state_study(cast)

    body = api_as(cast.analyst).get(f"/api/v1/studies/{cast.study.pk}/matrix/").json()

    cells = {(c["dyad"], c["theme"]): c for c in body["cells"]}
    sides = {
        (dyad.label, theme.name): (
            cells[(dyad.pk, theme.pk)]["client_state"],
            cells[(dyad.pk, theme.pk)]["therapist_state"],
        )
        for dyad in (world.base.dyad1, world.base.dyad2, world.dyad3)
        for theme in (world.base.safety, world.hope)
    }
    assert sides == {
        ("Dyad 1", "Safety"): ("present", "present"),
        ("Dyad 1", "Hope"): ("absent", "absent"),
        ("Dyad 2", "Safety"): ("not_coded", "present"),
        ("Dyad 2", "Hope"): ("not_coded", "absent"),
        ("Dyad 3", "Safety"): ("not_interviewed", "not_interviewed"),
        ("Dyad 3", "Hope"): ("not_interviewed", "not_interviewed"),
    }
    safety = cells[(world.base.dyad2.pk, world.base.safety.pk)]
    assert (safety["client"], safety["presence"]) == (0, "therapist")  # kept as they were


def test_the_schema_names_the_four_states_of_a_side(cast):
    schema = api_as(cast.analyst).get("/api/v1/schema/?format=json").json()

    cell = schema["components"]["schemas"]["MatrixCell"]
    assert {"client_state", "therapist_state"} <= set(cell["required"])
    enum_ref = cell["properties"]["client_state"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    assert schema["components"]["schemas"][enum_ref]["enum"] == [
        "present",
        "absent",
        "not_coded",
        "not_interviewed",
    ]


def test_one_sided_is_refused_through_the_api_while_a_side_is_not_coded(cast):
    world = side_state_study(cast)

    response = api_as(cast.analyst).post(
        "/api/v1/convergence-marks/",
        {"dyad": world.base.dyad2.pk, "theme": world.base.safety.pk, "verdict": "one_sided"},
        format="json",
    )

    assert response.status_code == 400
    assert "not coded" in response.json()["verdict"]
    assert not ConvergenceMark.objects.exists()


def test_the_matrix_filters_like_the_page_and_names_a_bad_parameter(cast, setup):
    client = api_as(cast.analyst)
    url = f"/api/v1/studies/{cast.study.pk}/matrix/"

    first = client.get(url, {"interviews": "later", "source": "all"}).json()
    bad = client.get(url, {"interviews": "sometimes"})

    assert first["interviews"] == "later"
    assert bad.status_code == 400
    assert "interviews" in bad.json()


@pytest.mark.parametrize(("role", "status"), [("interviewer", 403), ("outsider", 404)])
def test_the_matrix_is_closed_to_those_who_may_not_read_the_analysis(cast, role, status):
    assert (
        api_as(cast.user(role)).get(f"/api/v1/studies/{cast.study.pk}/matrix/").status_code
        == status
    )


def test_a_quote_is_chosen_and_withdrawn_through_the_api(cast, setup):
    client = api_as(cast.analyst)
    coding = setup.interviews["C1"].transcript.current_revision.codings.get(code=setup.codes["A"])

    made = client.post(
        "/api/v1/theme-quotes/",
        {"theme": setup.safety.pk, "coding": coding.pk, "rationale": "Her words."},
        format="json",
    )
    gone = client.delete(f"/api/v1/theme-quotes/{made.json()['id']}/?rationale=Better+one")

    assert made.status_code == 201
    assert made.json()["perspective"] == "client"
    assert gone.status_code == 204
    assert ExemplaryQuote.objects.get().removed_at is not None
    assert setup.safety.decisions.filter(kind=DecisionKind.THEME_SET_QUOTE).count() == 2


def test_a_quote_of_an_unlinked_code_is_refused_naming_the_coding(cast, setup):
    coding = setup.interviews["C1"].transcript.current_revision.codings.get(code=setup.codes["B"])

    response = api_as(cast.analyst).post(
        "/api/v1/theme-quotes/",
        {"theme": setup.safety.pk, "coding": coding.pk, "rationale": "Why not."},
        format="json",
    )

    assert response.status_code == 400
    assert "not linked" in response.json()["coding"]
    assert not ExemplaryQuote.objects.exists()


def test_a_cell_is_marked_re_marked_and_cleared_through_the_api(cast, setup):
    client = api_as(cast.analyst)

    made = client.post(
        "/api/v1/convergence-marks/",
        {"dyad": setup.dyad1.pk, "theme": setup.safety.pk, "verdict": "one_sided"},
        format="json",
    ).json()
    changed = client.patch(
        f"/api/v1/convergence-marks/{made['id']}/",
        {"verdict": "diverge", "note": "Two stories.", "version": 1},
        format="json",
    )
    stale = client.patch(
        f"/api/v1/convergence-marks/{made['id']}/",
        {"verdict": "converge", "version": 1},
        format="json",
    )
    cleared = client.delete(f"/api/v1/convergence-marks/{made['id']}/?version=2")

    assert changed.json()["verdict"] == "diverge"
    assert stale.status_code == 409
    assert cleared.status_code == 204
    assert not ConvergenceMark.objects.filter(cleared_at__isnull=True).exists()


def test_an_auditor_may_read_marks_but_not_make_them(cast, setup):
    response = api_as(cast.auditor).post(
        "/api/v1/convergence-marks/",
        {"dyad": setup.dyad1.pk, "theme": setup.safety.pk, "verdict": "converge"},
        format="json",
    )

    assert response.status_code == 403
    assert api_as(cast.auditor).get("/api/v1/convergence-marks/").status_code == 200


def test_coverage_is_marked_and_withdrawn_through_the_api(cast):
    guide = InterviewGuide.objects.create(study=cast.study, title="Guide")
    question = GuideQuestion.objects.create(guide=guide, position=1, text="What helped?")
    Interview.objects.filter(pk=cast.client_interview.pk).update(guide=guide)
    client = api_as(cast.analyst)

    made = client.post(
        "/api/v1/question-coverage/",
        {"question": question.pk, "revision": cast.revision.pk, "start": 133, "end": 184},
        format="json",
    )
    bad = client.post(
        "/api/v1/question-coverage/",
        {"question": question.pk, "revision": cast.revision.pk, "start": 100, "end": 999},
        format="json",
    )
    listed = client.get(f"/api/v1/question-coverage/?interview={cast.client_interview.pk}").json()
    gone = client.delete(f"/api/v1/question-coverage/{made.json()['id']}/")

    assert made.status_code == 201
    assert made.json()["interview"] == cast.client_interview.pk
    assert bad.status_code == 400 and "start" in bad.json()
    assert listed["count"] == 1
    assert gone.status_code == 204
    assert QuestionCoverage.objects.get().deleted_at is not None


def test_another_studys_question_does_not_exist(cast):
    other_guide = InterviewGuide.objects.create(study=cast.other_study, title="Theirs")
    question = GuideQuestion.objects.create(guide=other_guide, position=1, text="Theirs?")

    response = api_as(cast.analyst).post(
        "/api/v1/question-coverage/",
        {"question": question.pk, "revision": cast.revision.pk, "start": 0, "end": 5},
        format="json",
    )

    assert response.status_code == 400
    assert "does not exist" in str(response.json()["question"])


def test_patching_a_theme_revises_it_through_the_theme_service(cast, setup):
    response = api_as(cast.analyst).patch(
        f"/api/v1/themes/{setup.safety.pk}/",
        {
            "client_description": "Clients felt safe.",
            "codes": [setup.codes["A"].pk, setup.codes["C"].pk],
            "rationale": "Meeting notes.",
            "version": 1,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    kinds = list(setup.safety.decisions.order_by("pk").values_list("kind", flat=True))
    assert kinds == [DecisionKind.THEME_REVISE, DecisionKind.THEME_LINK_CODE]


def test_only_members_see_anothers_marks(cast, setup):
    mark = ConvergenceMark.objects.create(
        study=cast.study,
        dyad=setup.dyad1,
        theme=setup.safety,
        verdict="converge",
        marked_by=cast.owner,
    )
    assert api_as(cast.outsider).get(f"/api/v1/convergence-marks/{mark.pk}/").status_code == 404
