from analysis.coding.models import Code
from analysis.deliberation.models import Decision
from tests.conftest import api_as
from tests.factories import CodeFactory


def test_a_stale_code_update_answers_409_with_the_current_state_and_changes_nothing(cast):
    code = CodeFactory(study=cast.study, name="Safety")
    client = api_as(cast.analyst)
    first = client.patch(
        f"/api/v1/codes/{code.pk}/",
        {"name": "Feeling safe", "version": 1, "rationale": "Clearer"},
        format="json",
    )
    assert first.status_code == 200
    assert first.data["version"] == 2

    stale = client.patch(
        f"/api/v1/codes/{code.pk}/",
        {"name": "Safe space", "version": 1, "rationale": "Other idea"},
        format="json",
    )

    assert stale.status_code == 409
    assert stale.data["current"]["name"] == "Feeling safe"
    assert Code.objects.get(pk=code.pk).name == "Feeling safe"
    assert Decision.objects.filter(code=code).count() == 1


def test_renaming_a_code_without_meeting_or_rationale_is_refused(cast):
    code = CodeFactory(study=cast.study, name="Safety")
    response = api_as(cast.analyst).patch(
        f"/api/v1/codes/{code.pk}/", {"name": "Feeling safe", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "rationale" in response.data
    assert Code.objects.get(pk=code.pk).name == "Safety"
