"""Erasing a participant who withdrew consent removes their data for good and
leaves one redacted audit event; the audit chain stays verifiable."""

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from analysis.coding.models import Coding, Memo
from analysis.exchange.services.erasure import participant_erase
from dyads.audit import audit_verify
from dyads.exceptions import DomainError, Forbidden
from dyads.models import AuditEvent, Participant
from interviews.models import AudioRecording, GuideQuestion, InterviewGuide, Transcript
from tests import factories
from tests.conftest import api_as

SECRET = "Zephyrine-Lighthouse"


@pytest.fixture
def client_data(cast, settings, tmp_path):
    """The cast's client with a transcript, a coding, a memo on it, audio, a tailored question."""
    settings.MEDIA_ROOT = tmp_path
    client = cast.dyad.client
    Participant.objects.filter(pk=client.pk).update(
        presenting_problems=f"{SECRET} problems", attributes={"note": SECRET}
    )
    interview = factories.InterviewFactory(participant=client, dyad=cast.dyad, sequence_number=2)
    revision = factories.revision_for(interview, text=f"I: Hello.\n\nC: My name is {SECRET}.")
    code = factories.CodeFactory(study=cast.study)
    coding = factories.CodingFactory(revision=revision, code=code, coder=cast.analyst)
    Memo.objects.create(
        study=cast.study, author=cast.analyst, text=f"About {SECRET}", coding=coding
    )
    name = default_storage.save("audio/2026/03/voice.mp3", ContentFile(b"ID3" + b"\0" * 64))
    AudioRecording.objects.create(
        interview=interview,
        file=name,
        content_type="audio/mpeg",
        checksum="0" * 64,
        uploaded_by=cast.interviewer,
    )
    guide = InterviewGuide.objects.create(study=cast.study, title="Client guide")
    GuideQuestion.objects.create(guide=guide, position=1, text="How was it?")
    GuideQuestion.objects.create(
        guide=guide, position=2, text=f"Ask about {SECRET}", participant=client
    )
    return client, name


def rows_mentioning(text: str) -> list[str]:
    """Every table and column in the database whose value contains `text`."""
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.concrete_fields:
                if field.get_internal_type() not in ("CharField", "TextField", "JSONField"):
                    continue
                table, column = model._meta.db_table, field.column
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{table}" WHERE "{column}"::text LIKE %s',
                    [f"%{text}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}")
    return found


def test_erasure_leaves_no_trace_of_the_participants_text_anywhere(cast, client_data):
    client, _ = client_data
    assert rows_mentioning(SECRET)  # the search itself works

    participant_erase(
        actor=cast.owner, participant=client, pseudonym=client.pseudonym, reason="consent_withdrawn"
    )

    assert rows_mentioning(SECRET) == []
    assert not Transcript.objects.filter(interview__participant=client).exists()
    assert not Coding.objects.filter(revision__transcript__interview__participant=client).exists()
    assert GuideQuestion.objects.filter(participant__isnull=True).count() == 1


def test_the_participant_stays_as_a_tombstone_and_the_dyad_stays(cast, client_data):
    client, _ = client_data
    participant_erase(
        actor=cast.owner, participant=client, pseudonym=client.pseudonym, reason="consent_withdrawn"
    )
    client.refresh_from_db()
    assert client.erased_at is not None
    assert (client.gender, client.age, client.attributes) == ("", None, {})
    cast.dyad.refresh_from_db()
    assert cast.dyad.deleted_at is None and cast.dyad.client_id == client.pk


def test_the_audio_file_is_deleted_from_storage(
    cast, client_data, django_capture_on_commit_callbacks
):
    client, name = client_data
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        participant_erase(
            actor=cast.owner,
            participant=client,
            pseudonym=client.pseudonym,
            reason="erasure_request",
        )
    assert not default_storage.exists(name)


def test_one_redacted_event_records_it_and_the_chain_still_verifies(cast, client_data):
    client, _ = client_data
    participant_erase(
        actor=cast.owner, participant=client, pseudonym=client.pseudonym, reason="consent_withdrawn"
    )
    event = AuditEvent.objects.get(action="participant.erase")
    assert event.object_id == str(client.pk)
    assert event.new_value["deleted"]["interviews.interview"] == 2
    assert SECRET not in str(event.new_value) + event.reason
    assert audit_verify(study=cast.study).intact


def test_a_wrong_pseudonym_erases_nothing(cast, client_data):
    client, _ = client_data
    with pytest.raises(DomainError) as refused:
        participant_erase(
            actor=cast.owner, participant=client, pseudonym="P999", reason="consent_withdrawn"
        )
    assert "pseudonym" in refused.value.detail
    assert rows_mentioning(SECRET)
    assert not AuditEvent.objects.filter(action="participant.erase").exists()


def test_only_an_owner_may_erase(cast, client_data):
    client, _ = client_data
    with pytest.raises(Forbidden):
        participant_erase(
            actor=cast.analyst,
            participant=client,
            pseudonym=client.pseudonym,
            reason="consent_withdrawn",
        )


def test_the_api_erases_for_an_owner_and_answers_404_to_an_outsider(cast, client_data):
    client, _ = client_data
    url = f"/api/v1/participants/{client.pk}/erase/"
    body = {"pseudonym": client.pseudonym, "reason": "consent_withdrawn"}
    assert api_as(cast.outsider).post(url, body, format="json").status_code == 404
    assert api_as(cast.analyst).post(url, body, format="json").status_code == 403
    response = api_as(cast.owner).post(url, body, format="json")
    assert response.status_code == 200, response.data
    assert response.data["deleted"]["interviews.transcriptrevision"] == 2
    assert rows_mentioning(SECRET) == []
