"""An import creates exactly what its preview lists: a case becomes a participant only
where a source goes to it (or, without sources, where it completes a new dyad), and what
is left out is named in the report with the reason."""

from analysis.exchange.plan import plan_project
from analysis.exchange.qdpx_import import parse_qdpx
from analysis.exchange.services.transfers import project_import
from dyads.models import Dyad, Participant
from dyads.services import study_create
from interviews.models import Interview
from tests.analysis.refi_files import two_coder_qdpx


def people(study) -> tuple[int, int, int]:
    return (
        Participant.objects.filter(study=study).count(),
        Dyad.objects.filter(study=study).count(),
        Interview.objects.filter(study=study).count(),
    )


def reported(entries) -> dict[tuple[str, str], list[str]]:
    return {(entry["kind"], entry["why"]): entry["examples"] for entry in entries}


def test_with_every_source_mapped_no_participant_or_dyad_is_created(cast):
    project = parse_qdpx(two_coder_qdpx(), "two.qdpx")
    mapping = {project.sources[0].guid: f"participant:{cast.dyad.client.pk}"}
    before = people(cast.study)

    plan = plan_project(cast.study, project, mapping).as_dict()
    result = project_import(actor=cast.owner, study=cast.study, project=project, mapping=mapping)

    assert (plan["new_participants"], plan["new_dyads"]) == ([], [])
    assert (result.participants, result.dyads, result.interviews) == (0, 0, 1)
    assert people(cast.study) == (before[0], before[1], before[2] + 1)
    assert reported(result.as_dict()["not_imported"])[
        "case", "no source of the file goes to it"
    ] == ["C1", "T1"]


def test_the_import_creates_exactly_what_the_preview_counts(cast):
    copy = study_create(actor=cast.owner, title="Copy", slug="copy")
    project = parse_qdpx(two_coder_qdpx(), "two.qdpx")

    summary = plan_project(copy, project).as_dict()["summary"]
    result = project_import(actor=cast.owner, study=copy, project=project)

    assert (
        (
            summary["new_codes"],
            summary["new_participants"],
            summary["new_dyads"],
            summary["new_interviews"],
            summary["new_coders"],
            summary["codings"],
        )
        == (
            result.codes,
            result.participants,
            result.dyads,
            result.interviews,
            result.coders,
            result.codings,
        )
        == (1, 2, 1, 1, 2, 5)
    )
    assert people(copy) == (2, 1, 1)


def test_a_case_without_sources_becomes_a_participant_only_to_complete_a_new_dyad(cast):
    copy = study_create(actor=cast.owner, title="Copy", slug="copy")
    project = parse_qdpx(two_coder_qdpx(), "two.qdpx")
    skipped = {project.sources[0].guid: "skip"}

    plan = plan_project(copy, project, skipped)
    project_import(actor=cast.owner, study=copy, project=project, mapping=skipped)

    assert plan.new_participants == [] and people(copy) == (0, 0, 0)
    entries = reported(plan.not_imported.as_list())
    assert entries["source", "you chose not to import it"] == ["C1 interview 1"]
    assert ("coding", "its source is not imported") in entries
