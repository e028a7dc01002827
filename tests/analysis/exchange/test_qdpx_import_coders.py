"""Each user of an imported project keeps a coder of their own: users who are not study
members become imported coders (placeholder analysts who cannot log in), the importer
may give a user to a member or to themselves, and two users never become one coder."""

import pytest

from analysis.coding.models import Coding
from analysis.exchange.plan import plan_project
from analysis.exchange.qdpx_import import parse_qdpx
from analysis.exchange.services.transfers import project_import
from dyads.exceptions import DomainError
from dyads.models import AuditEvent, Role, StudyMembership
from tests.analysis.refi_files import TWO_CODER_SPANS, TWO_CODER_TEXT, two_coder_qdpx
from tests.conftest import api_as


@pytest.fixture
def project():
    return parse_qdpx(two_coder_qdpx(), "two.qdpx")


def coded(study) -> list[tuple[str, str]]:
    codings = Coding.objects.filter(study=study).select_related("coder")
    return sorted(
        (c.coder.first_name or c.coder.username, c.revision.text[c.start : c.end]) for c in codings
    )


def test_every_coding_arrives_under_two_distinct_coders(cast, project):
    result = project_import(actor=cast.owner, study=cast.study, project=project)

    assert coded(cast.study) == sorted(TWO_CODER_SPANS)
    assert (result.codings, result.codings_already_present, result.coders) == (5, 0, 2)
    assert Coding.objects.filter(study=cast.study).values("coder").distinct().count() == 2


def test_an_imported_coder_is_an_analyst_marked_imported_who_cannot_log_in(cast, project):
    project_import(actor=cast.owner, study=cast.study, project=project)

    membership = StudyMembership.objects.get(study=cast.study, user__first_name="Aksel Lund")
    user = membership.user
    assert (user.username, membership.role, membership.imported_from) == (
        "imported-aksel-lund",
        Role.ANALYST,
        "two.qdpx",
    )
    assert not user.has_usable_password() and not user.is_active
    token = api_as(None).post(
        "/api/v1/auth/token/", {"username": user.username, "password": "any password"}
    )
    assert token.status_code == 400 and "token" not in token.data


def test_agreement_between_the_two_imported_coders_can_be_computed(cast, project):
    project_import(actor=cast.owner, study=cast.study, project=project)
    transcript = Coding.objects.filter(study=cast.study).first().revision.transcript_id

    response = api_as(cast.owner).get(
        f"/api/v1/studies/{cast.study.pk}/agreement/",
        {"transcripts": transcript, "coders": "imported-aksel-lund,imported-bente-ruud"},
    )

    assert response.status_code == 200, response.data
    assert response.data["codes"][0]["units"] > 0


def test_the_preview_lists_each_user_with_their_codings_and_account(cast, project):
    plan = plan_project(cast.study, project).as_dict()

    assert [(u["name"], u["codings"], u["target"], u["username"]) for u in plan["users"]] == [
        ("Aksel Lund", 3, "new", "imported-aksel-lund"),
        ("Bente Ruud", 2, "new", "imported-bente-ruud"),
    ]
    assert plan["summary"]["new_coders"] == 2
    assert {"value": "analyst", "label": "analyst (analyst)"} in plan["choices"]["users"]


def test_users_go_to_the_member_and_to_the_importer_they_are_given_to(cast, project):
    result = project_import(
        actor=cast.owner,
        study=cast.study,
        project=project,
        users={"Aksel Lund": "analyst", "bente ruud": "owner"},
    )

    assert coded(cast.study) == sorted(
        ("analyst" if name == "Aksel Lund" else "owner", words) for name, words in TWO_CODER_SPANS
    )
    assert result.coders == 0


def test_a_second_import_of_the_file_finds_the_imported_coders_again(cast, project):
    project_import(actor=cast.owner, study=cast.study, project=project)

    again = project_import(
        actor=cast.owner, study=cast.study, project=parse_qdpx(two_coder_qdpx(), "two.qdpx")
    )

    assert (again.coders, again.codings, again.codings_already_present) == (0, 0, 5)


def test_a_member_of_the_same_name_gets_the_users_codings(cast, project):
    cast.analyst.first_name, cast.analyst.last_name = "Aksel", "Lund"
    cast.analyst.save()

    project_import(actor=cast.owner, study=cast.study, project=project)

    assert ("Aksel", "scared") in coded(cast.study)
    assert Coding.objects.filter(coder=cast.analyst).count() == 3


@pytest.mark.parametrize(
    ("users", "message"),
    [
        ({"Aksel Lund": "analyst", "Bente Ruud": "analyst"}, "both go to 'analyst'"),
        ({"Aksel Lund": "outsider"}, "'outsider' is not a member of this study"),
        ({"Nobody": "new"}, "the file has no user 'Nobody'"),
    ],
)
def test_a_bad_user_mapping_is_refused_by_name_and_nothing_written(cast, project, users, message):
    before = (Coding.objects.count(), StudyMembership.objects.count(), AuditEvent.objects.count())

    with pytest.raises(DomainError, match=message):
        project_import(actor=cast.owner, study=cast.study, project=project, users=users)

    assert (
        Coding.objects.count(),
        StudyMembership.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_the_source_text_is_the_files(cast, project):
    project_import(actor=cast.owner, study=cast.study, project=project)

    assert Coding.objects.filter(study=cast.study).first().revision.text == TWO_CODER_TEXT
