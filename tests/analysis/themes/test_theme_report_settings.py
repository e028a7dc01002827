"""The owner sets the report's pronoun convention and the study's sensitive terms."""

import pytest
from django.urls import reverse

from analysis.themes.models import StudyReportSettings
from analysis.themes.services.report_settings import report_settings_update
from dyads.exceptions import Conflict, DomainError, Forbidden
from dyads.models import AuditEvent


def test_the_owner_sets_pronouns_and_sensitive_terms_cleaned(cast):
    settings = report_settings_update(
        actor=cast.owner,
        study=cast.study,
        client_pronoun="she",
        therapist_pronoun="he",
        sensitive_terms=["  Nordvik ", "", "nordvik", "rare   job"],
    )

    assert (settings.client_pronoun, settings.therapist_pronoun) == ("she", "he")
    assert settings.sensitive_terms == ["Nordvik", "rare job"]
    assert AuditEvent.objects.filter(action="report_settings.update").count() == 1


def test_a_stale_version_is_a_conflict(cast):
    report_settings_update(actor=cast.owner, study=cast.study, client_pronoun="she")
    report_settings_update(actor=cast.owner, study=cast.study, client_pronoun="he", version=1)

    with pytest.raises(Conflict):
        report_settings_update(actor=cast.owner, study=cast.study, client_pronoun="they", version=1)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"client_pronoun": "it"}, "client_pronoun", "not a valid choice"),
        ({"sensitive_terms": ["ok", "x" * 121]}, "sensitive_terms", "Line 2 is longer"),
    ],
)
def test_bad_settings_name_the_field_and_change_nothing(cast, changes, field, message):
    with pytest.raises(DomainError, match=message) as raised:
        report_settings_update(actor=cast.owner, study=cast.study, **changes)

    assert field in raised.value.detail
    assert not StudyReportSettings.objects.filter(study=cast.study).exists()
    assert not AuditEvent.objects.filter(action="report_settings.update").exists()


def test_an_analyst_may_not_change_the_settings(cast):
    with pytest.raises(Forbidden):
        report_settings_update(actor=cast.analyst, study=cast.study, client_pronoun="she")


def test_the_settings_page_saves_one_term_a_line_and_shows_bad_input(cast, client):
    client.force_login(cast.owner)
    url = reverse("report-settings", args=["tcx"])

    bad = client.post(url, {"client_pronoun": "she", "sensitive_terms": "ok\n" + "y" * 130})
    good = client.post(
        url, {"client_pronoun": "she", "therapist_pronoun": "he", "sensitive_terms": "A\nB\n"}
    )

    assert bad.status_code == 400
    assert "Line 2 is longer than 120 characters" in bad.content.decode()
    assert good.status_code == 302
    assert StudyReportSettings.objects.get(study=cast.study).sensitive_terms == ["A", "B"]


def test_the_settings_page_is_for_owners_only(cast, client):
    client.force_login(cast.analyst)

    assert client.get(reverse("report-settings", args=["tcx"])).status_code == 403
