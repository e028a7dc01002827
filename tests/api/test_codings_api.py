from analysis.coding.models import Coding
from tests.conftest import api_as
from tests.factories import SAMPLE_TEXT, CodeFactory


def test_a_coding_is_stored_in_code_points_and_listed_back(cast):
    code = CodeFactory(study=cast.study)
    start = SAMPLE_TEXT.index("dark room 🌑")
    end = start + len("dark room 🌑")
    client = api_as(cast.analyst)

    response = client.post(
        "/api/v1/codings/",
        {"revision": cast.revision.pk, "start": start, "end": end, "code": code.pk},
        format="json",
    )

    assert response.status_code == 201, response.data
    coding = Coding.objects.get(pk=response.data["id"])
    assert cast.revision.text[coding.start : coding.end] == "dark room 🌑"
    listed = client.get(f"/api/v1/codings/?revision={cast.revision.pk}").data["results"]
    assert [(c["start"], c["end"], c["coder"]) for c in listed] == [(start, end, "analyst")]


def test_a_span_outside_the_text_is_refused_and_nothing_is_written(cast):
    code = CodeFactory(study=cast.study)
    response = api_as(cast.analyst).post(
        "/api/v1/codings/",
        {"revision": cast.revision.pk, "start": 5, "end": 10_000, "code": code.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "within the text" in response.data["start"]
    assert not Coding.objects.exists()


def test_a_coder_removes_their_coding_and_it_stays_in_the_database_as_removed(cast):
    code = CodeFactory(study=cast.study)
    client = api_as(cast.analyst)
    coding_id = client.post(
        "/api/v1/codings/",
        {"revision": cast.revision.pk, "start": 0, "end": 4, "code": code.pk},
        format="json",
    ).data["id"]

    assert client.delete(f"/api/v1/codings/{coding_id}/").status_code == 204
    assert client.get(f"/api/v1/codings/{coding_id}/").status_code == 404
    assert Coding.objects.get(pk=coding_id).deleted_at is not None
