"""An interview's audio recording: attached under a name Duet chooses, refused when it is
not audio, streamed with byte ranges, and played from a clicked timed turn."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dyads.exceptions import DomainError
from interviews.models import AudioRecording
from interviews.services.audio import audio_attach
from interviews.services.transcripts import transcript_revision_create
from interviews.turns import detect_turns
from tests.interviews import samples


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def client_as(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_a_recording_is_stored_under_a_generated_name(cast):
    audio = audio_attach(
        actor=cast.interviewer,
        interview=cast.client_interview,
        file_name="../../Kari Hansen interview.wav",
        content=samples.make_wav(2.0),
    )

    assert audio.content_type == "audio/wav"
    assert audio.duration_seconds == pytest.approx(2.0)
    assert "Kari" not in audio.file.name and ".." not in audio.file.name
    assert audio.file.name.startswith("audio/") and audio.file.name.endswith(".wav")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("talk.mp3", b"", "talk.mp3: the file is empty."),
        ("talk.mp3", samples.txt(), "talk.mp3: the name says .mp3 but the content is txt."),
        (
            "talk.wav",
            b"RIFF\x00\x00\x00\x00WAVEjunk",
            "talk.wav: is damaged: it cannot be read as audio.",
        ),
    ],
)
def test_a_file_that_is_not_a_recording_is_refused_and_nothing_is_stored(
    cast, name, content, message
):
    with pytest.raises(DomainError) as refused:
        audio_attach(
            actor=cast.interviewer, interview=cast.client_interview, file_name=name, content=content
        )

    assert refused.value.detail["file"].startswith(message)
    assert not AudioRecording.objects.exists()


def test_the_recording_is_streamed_with_byte_ranges_to_members(cast, client_as):
    content = samples.make_wav()
    audio_attach(
        actor=cast.owner, interview=cast.client_interview, file_name="a.wav", content=content
    )
    url = reverse("audio-stream", args=["tcx", cast.client_interview.pk])

    whole = client_as(cast.analyst).get(url)
    part = client_as(cast.analyst).get(url, HTTP_RANGE="bytes=100-199")
    outsider = client_as(cast.outsider).get(url)

    assert b"".join(whole.streaming_content) == content
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(content)}"
    assert part.content == content[100:200]
    assert outsider.status_code == 404


def test_timed_turns_get_a_play_button_when_there_is_a_recording(cast, client_as):
    text = "[00:00:05] I: Shall we begin?\n\n[00:01:07] C: Yes."
    transcript_revision_create(
        actor=cast.owner, interview=cast.therapist_interview, text=text, turns=detect_turns(text)
    )
    client = client_as(cast.interviewer)
    client.post(
        reverse("audio-upload", args=["tcx", cast.therapist_interview.pk]),
        {"file": SimpleUploadedFile("a.wav", samples.make_wav())},
    )

    html = client.get(
        reverse("interview-detail", args=["tcx", cast.therapist_interview.pk])
    ).content.decode()

    assert '<audio class="interview-audio"' in html
    assert 'data-t-start="67000"' in html and "Play from 01:07" in html
    assert "js/interview-audio.js" in html


def test_an_analyst_may_not_attach_a_recording(cast, client_as):
    response = client_as(cast.analyst).post(
        reverse("audio-upload", args=["tcx", cast.client_interview.pk]),
        {"file": SimpleUploadedFile("a.wav", samples.make_wav())},
    )

    assert response.status_code == 403
    assert not AudioRecording.objects.exists()
