"""Attaching an interview's audio recording."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.db import transaction

from dyads.audit import audit_record
from dyads.permissions import Action, study_access
from dyads.uploads import sniff, storage_name

from ..models import AudioRecording, Interview
from ..parsers import UnreadableFile
from ..parsers.reader import display_name

AUDIO_FORMATS = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "ogg": "audio/ogg",
}


def _duration(name: str, content: bytes) -> float | None:
    """The recording's length in seconds; UnreadableFile if it is not audio after all."""
    import mutagen  # loaded when a recording is attached, not at start-up

    try:
        audio = mutagen.File(io.BytesIO(content))
    except mutagen.MutagenError as error:
        raise UnreadableFile(name, "is damaged: it cannot be read as audio.") from error
    if audio is None:
        raise UnreadableFile(name, "is not an audio recording Duet can play.")
    length = getattr(audio.info, "length", None)
    return round(length, 3) if length else None


@transaction.atomic
def audio_attach(*, actor, interview: Interview, file_name: str, content: bytes) -> AudioRecording:
    """Store the interview's recording (mp3, m4a, wav or ogg) under a name Duet chooses.

    A second recording replaces the first; the old file stays on disk and the
    audit log records both checksums.
    """
    study_access(actor, interview.study, Action.MANAGE_INTERVIEWS)
    name = display_name(file_name)
    kind = sniff(content, name=name, allowed=AUDIO_FORMATS)
    duration = _duration(name, content)
    checksum = hashlib.sha256(content).hexdigest()
    stored = ContentFile(content, name=storage_name(kind, folder="audio").split("/")[-1])
    audio = AudioRecording.objects.select_for_update().filter(interview=interview).first()
    old = {"checksum": audio.checksum, "file": audio.file.name} if audio else None
    if audio is None:
        audio = AudioRecording(interview=interview, uploaded_by=actor)
    audio.file.save(stored.name, stored, save=False)
    audio.content_type = AUDIO_FORMATS[kind]
    audio.checksum = checksum
    audio.duration_seconds = duration
    audio.uploaded_by = actor
    audio.save()
    audit_record(
        study=interview.study,
        actor=actor,
        action="audio.attach",
        target=audio,
        old=old,
        new={"checksum": checksum, "file": audio.file.name, "content_type": audio.content_type},
    )
    return audio
