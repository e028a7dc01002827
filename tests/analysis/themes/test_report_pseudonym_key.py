"""The report explains the pseudonyms' prefixes (C = client, T = therapist)."""

from analysis.themes.report.pseudonym_key import pseudonym_key
from analysis.themes.report.results_report import results_markdown, results_report
from tests import factories


def test_each_prefix_of_one_role_is_explained(cast):
    study = factories.StudyFactory()
    factories.ParticipantFactory(study=study, pseudonym="C1")
    factories.ParticipantFactory(study=study, pseudonym="C12")
    factories.TherapistFactory(study=study, pseudonym="T3")

    assert pseudonym_key(study=study).endswith(
        "the pseudonyms' letters stand for the role: C = client, T = therapist."
    )


def test_a_prefix_both_roles_share_is_not_explained(cast):
    study = factories.StudyFactory()
    factories.ParticipantFactory(study=study, pseudonym="P1")
    factories.TherapistFactory(study=study, pseudonym="P2")
    factories.TherapistFactory(study=study, pseudonym="T3")

    assert pseudonym_key(study=study).endswith("the role: T = therapist.")
    factories.ParticipantFactory(study=study, pseudonym="T4")
    assert pseudonym_key(study=study) == ""


def test_the_report_prints_the_key_under_results(cast):
    markdown = results_markdown(results_report(study=cast.study))

    results = markdown.split("## Results", 1)[1]
    assert "stand for the role: P = client, T = therapist." in results
