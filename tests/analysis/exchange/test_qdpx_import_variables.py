"""Variables are read by their meaning: QualCoder's whole-number FloatValues fill the
age, duration and interview number, its text booleans stay booleans, and a value that
has no place in Duet is named in the import report, never dropped in silence."""

from analysis.exchange.qdpx_import import parse_qdpx
from analysis.exchange.services.transfers import project_import
from dyads.models import Participant
from dyads.services import study_create
from interviews.models import Interview
from tests.analysis.refi_files import two_coder_qdpx


def imported(cast, **values):
    copy = study_create(actor=cast.owner, title="Copy", slug="copy")
    result = project_import(
        actor=cast.owner, study=copy, project=parse_qdpx(two_coder_qdpx(**values), "q.qdpx")
    )
    return copy, result


def test_float_ages_and_durations_fill_the_age_and_duration_fields(cast):
    copy, _ = imported(cast)

    client = Participant.objects.get(study=copy, pseudonym="C1")
    interview = Interview.objects.get(study=copy)
    assert (client.age, Participant.objects.get(study=copy, pseudonym="T1").age) == (34, 51)
    assert (interview.duration_minutes, interview.sequence_number) == (55, 1)
    assert interview.focus == "therapy"


def test_booleans_stay_booleans_and_whole_numbers_integers_in_free_attributes(cast):
    copy, _ = imported(cast)

    client = Participant.objects.get(study=copy, pseudonym="C1")
    therapist = Participant.objects.get(study=copy, pseudonym="T1")
    assert client.attributes == {"Medication": True, "Sessions so far": 12}
    assert therapist.attributes == {"Medication": False}


def test_values_without_a_place_are_reported_with_the_reason(cast):
    copy, result = imported(cast, age="34.5", duration="55.5")

    client = Participant.objects.get(study=copy, pseudonym="C1")
    assert client.age is None and client.attributes["Age"] == 34.5
    assert Interview.objects.get(study=copy).duration_minutes is None
    entries = {(e["kind"], e["why"]): e["examples"] for e in result.as_dict()["not_imported"]}
    assert entries[
        "variable", "Age is not a whole number from 16 to 110: kept as a free attribute"
    ] == ["C1: 34.5"]
    assert entries["variable", "Duration (minutes) is not a whole number above 0"] == [
        "C1 interview 1: 55.5"
    ]
