"""An owner redacts words found in a transcript after import: every revision, its original,
turns, search document, quoting records and kept export files lose them; the audit
event says a redaction happened, never the words; bad input changes nothing."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction

from analysis.coding.services.memos import memo_create
from analysis.deliberation.models import Decision, DecisionKind
from analysis.exchange.models import ExchangeFormat, ExchangeJob, ExchangeKind, ExchangeState
from analysis.exchange.services.redaction import transcript_redact
from dyads.audit import audit_verify
from dyads.exceptions import DomainError, Forbidden
from dyads.models import AuditEvent
from interviews import revision_followers
from interviews.models import SpeakerTurn, Transcript, TranscriptRevision
from interviews.services.search_documents import search_documents_fill
from tests import factories
from tests.conftest import api_as

NAME = "Ingrid"
FIRST = "I: Who helped?\n\nC: Ingrid did. My sister Ingrid.\n\nI: And then?\n\nC: Nothing."
SECOND = "I: Who helped?\n\nC: Ingrid did, my sister.\n\nI: And then?\n\nC: Nothing at all."


@pytest.fixture
def transcript(cast) -> Transcript:
    interview = factories.InterviewFactory(
        participant=cast.dyad.client, dyad=cast.dyad, sequence_number=2
    )
    first = factories.revision_for(interview, text=FIRST)
    TranscriptRevision.objects.filter(pk=first.pk).update(original_text=f"{FIRST} (Ingrid Berg)")
    factories.RevisionFactory(transcript=first.transcript, number=2, text=SECOND)
    return first.transcript


def texts(transcript: Transcript) -> list[str]:
    return list(transcript.revisions.order_by("number").values_list("text", flat=True))


def redact(cast, transcript, text=NAME, **kwargs):
    return transcript_redact(actor=cast.owner, transcript=transcript, text=text, **kwargs)


def test_every_revision_and_its_original_lose_the_words(cast, transcript):
    result = redact(cast, transcript)

    assert texts(transcript) == [
        FIRST.replace(NAME, "[redacted]"),
        SECOND.replace(NAME, "[redacted]"),
    ]
    first = transcript.revisions.get(number=1)
    assert first.original_text == f"{FIRST} (Ingrid Berg)".replace(NAME, "[redacted]")
    assert (result.revisions, result.occurrences) == (2, 3)


def test_speaker_turns_keep_their_words_at_the_shifted_offsets(cast, transcript):
    before = {
        turn.index: FIRST[turn.start : turn.end]
        for turn in SpeakerTurn.objects.filter(revision__transcript=transcript, revision__number=1)
    }

    redact(cast, transcript, replacement="Kari")

    revision = transcript.revisions.get(number=1)
    after = {turn.index: revision.text[turn.start : turn.end] for turn in revision.turns.all()}
    assert after == {index: words.replace(NAME, "Kari") for index, words in before.items()}


def test_a_speaker_label_holding_the_words_is_redacted(cast, transcript):
    SpeakerTurn.objects.filter(revision__transcript=transcript, speaker="C").update(speaker=NAME)

    redact(cast, transcript)

    speakers = set(
        SpeakerTurn.objects.filter(revision__transcript=transcript).values_list(
            "speaker", flat=True
        )
    )
    assert speakers == {"I", "[redacted]"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="search documents are PostgreSQL's")
def test_the_search_document_is_computed_again_without_the_words(cast, transcript):
    search_documents_fill()

    redact(cast, transcript)
    search_documents_fill()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM interviews_transcriptrevision WHERE transcript_id = %s "
            "AND search_document @@ to_tsquery('simple', 'ingrid')",
            [transcript.pk],
        )
        assert cursor.fetchone()[0] == 0


@pytest.fixture
def followed():
    """The calls the revision followers receive during the test."""
    calls = []

    def record(*, actor, old, new, mapping):
        calls.append((old, new, mapping))

    revision_followers.register_revision_follower(record)
    yield calls
    revision_followers._followers.remove(record)


def test_the_revision_followers_carry_anchored_spans_in_place(cast, transcript, followed):
    redact(cast, transcript, replacement="K.")

    old, new, mapping = followed[0]
    assert old is new and old.number == 1
    nothing = FIRST.index("Nothing")
    moved = mapping.span(nothing, nothing + len("Nothing"))
    assert (moved.start, moved.state) == (nothing - 2 * (len(NAME) - 2), "unchanged")
    assert len(followed) == 2


def test_the_trigger_still_refuses_any_other_change_of_the_text(cast, transcript):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    redact(cast, transcript)
    revision = transcript.revisions.get(number=1)

    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        TranscriptRevision.objects.filter(pk=revision.pk).update(text="Rewritten.")


def test_the_audit_event_says_where_and_how_often_never_the_words(cast, transcript):
    redact(cast, transcript)

    event = AuditEvent.objects.get(action="transcript.redact")
    assert event.object_id == str(transcript.pk)
    assert event.new_value["occurrences"] == 3 and event.new_value["length"] == len(NAME)
    assert NAME not in str(event.new_value) + event.reason
    assert audit_verify(study=cast.study).intact


def test_audit_payloads_lose_the_words_and_the_chain_still_verifies(cast, transcript):
    memo_create(actor=cast.analyst, study=cast.study, text="Ingrid is her sister.")

    result = redact(cast, transcript)

    payloads = AuditEvent.objects.values_list("old_value", "new_value", "reason")
    assert NAME not in str(list(payloads))
    assert result.audit_events == 1
    assert audit_verify(study=cast.study).intact


def test_a_quote_in_a_decision_snapshot_loses_the_words(cast, transcript):
    decision = Decision.objects.create(
        study=cast.study,
        kind=DecisionKind.THEME_SET_QUOTE,
        rationale="Exemplary.",
        after={"coding": 1, "text": "My sister Ingrid."},
        author=cast.owner,
    )

    result = redact(cast, transcript)

    decision.refresh_from_db()
    assert decision.after == {"coding": 1, "text": "My sister [redacted]."}
    assert result.quoting_records == 1


def export_job(cast, content: bytes, format=ExchangeFormat.SEGMENTS_CSV) -> ExchangeJob:
    name = default_storage.save("exchange/out/2026/12/t-export", ContentFile(content))
    return ExchangeJob.objects.create(
        study=cast.study,
        kind=ExchangeKind.EXPORT,
        format=format,
        state=ExchangeState.SUCCEEDED,
        output=name,
        created_by=cast.owner,
    )


def test_an_export_file_holding_the_words_is_removed_and_its_job_says_why(
    cast, transcript, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    holding = export_job(cast, b"Excerpt\nMy sister Ingrid.\n")
    clean = export_job(cast, b"Excerpt\nNothing.\n")
    holding_file, clean_file = holding.output.name, clean.output.name

    with django_capture_on_commit_callbacks(execute=True):
        result = redact(cast, transcript)

    holding.refresh_from_db()
    clean.refresh_from_db()
    assert not default_storage.exists(holding_file) and not holding.output
    assert "redaction" in holding.error
    assert default_storage.exists(clean_file) and clean.output.name == clean_file
    assert result.exchange_files == 1


def zipped(name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return out.getvalue()


def test_a_backup_holding_an_export_that_holds_the_words_is_removed(
    cast, transcript, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    project = zipped("sources/s1.txt", b"C: Ingrid did.")
    backup = export_job(cast, zipped("media/project.qdpx", project), ExchangeFormat.BACKUP)
    other = export_job(cast, zipped("media/project.qdpx", zipped("s.txt", b"No one.")))

    result = redact(cast, transcript)

    backup.refresh_from_db()
    other.refresh_from_db()
    assert not backup.output and other.output
    assert result.exchange_files == 1


@pytest.mark.parametrize(
    ("text", "replacement", "field"),
    [
        ("", "[redacted]", "text"),
        ("   ", "[redacted]", "text"),
        ("Astrid", "[redacted]", "text"),
        ("ingrid", "[redacted]", "text"),
        (NAME, "", "replacement"),
        (NAME, "Ingrid B.", "replacement"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(cast, transcript, text, replacement, field):
    before = texts(transcript)

    with pytest.raises(DomainError) as refused:
        redact(cast, transcript, text=text, replacement=replacement)

    assert field in refused.value.detail
    assert texts(transcript) == before
    assert not AuditEvent.objects.filter(action="transcript.redact").exists()


def test_a_replacement_overflowing_a_speaker_label_changes_nothing(cast, transcript):
    SpeakerTurn.objects.filter(revision__transcript=transcript, speaker="C").update(speaker=NAME)

    with pytest.raises(DomainError) as refused:
        redact(cast, transcript, replacement="x" * 81)

    assert "replacement" in refused.value.detail
    assert texts(transcript) == [FIRST, SECOND]


def test_only_an_owner_may_redact(cast, transcript):
    with pytest.raises(Forbidden):
        transcript_redact(actor=cast.analyst, transcript=transcript, text=NAME)
    assert texts(transcript) == [FIRST, SECOND]


def test_the_api_redacts_for_an_owner_and_refuses_others(cast, transcript):
    url = f"/api/v1/transcripts/{transcript.pk}/redact/"
    body = {"text": NAME}
    assert api_as(cast.outsider).post(url, body, format="json").status_code == 404
    assert api_as(cast.analyst).post(url, body, format="json").status_code == 403
    assert api_as(cast.owner).post(url, {"text": ""}, format="json").status_code == 400
    assert texts(transcript) == [FIRST, SECOND]

    response = api_as(cast.owner).post(url, body, format="json")

    assert response.status_code == 200, response.data
    assert response.data["occurrences"] == 3
    assert NAME not in "".join(texts(transcript))


def test_the_page_redacts_for_an_owner(cast, transcript, client):
    url = f"/studies/{cast.study.slug}/interviews/{transcript.interview_id}/redact/"
    client.force_login(cast.analyst)
    assert client.get(url).status_code == 403
    client.force_login(cast.owner)
    assert client.get(url).status_code == 200

    refused = client.post(url, {"text": "Astrid", "replacement": "[redacted]"})
    assert refused.status_code == 200 and "does not contain" in refused.content.decode()

    response = client.post(url, {"text": NAME, "replacement": "[redacted]"})

    assert response.status_code == 302
    assert NAME not in "".join(texts(transcript))


def test_codings_stay_on_their_words_and_one_over_the_redacted_words_is_flagged(cast, transcript):
    revision = transcript.revisions.get(number=1)
    code = factories.CodeFactory(study=cast.study)
    after = FIRST.index("Nothing")
    later = factories.CodingFactory(
        revision=revision, code=code, coder=cast.analyst, start=after, end=after + 7
    )
    over = FIRST.index("My sister")
    named = factories.CodingFactory(
        revision=revision, code=code, coder=cast.analyst, start=over, end=over + 16
    )

    redact(cast, transcript)

    later.refresh_from_db()
    named.refresh_from_db()
    text = transcript.revisions.get(number=1).text
    assert text[later.start : later.end] == "Nothing" and not later.needs_review
    assert text[named.start : named.end] == "My sister [redacted]" and named.needs_review
