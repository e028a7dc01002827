"""An interview's audio recording: attaching it, and playing it (with HTTP ranges, so
that the player can jump to a turn's time)."""

import re

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from dyads.exceptions import DomainError, NotFound
from dyads.models import Role, Study
from dyads.permissions import Action
from dyads.views import study_page

from .forms import AudioForm
from .selectors import interview_get
from .services.audio import audio_attach
from .services.imports import error_message

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# The most one ranged response sends; the player asks for the rest as it plays.
CHUNK = 2 * 1024 * 1024


@require_POST
@study_page(action=Action.MANAGE_INTERVIEWS)
def audio_upload(request: HttpRequest, study: Study, role: Role, interview_id: int) -> HttpResponse:
    interview = interview_get(study=study, interview_id=interview_id)
    form = AudioForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("file", ["Choose an audio file."])))
        return redirect("interview-detail", study.slug, interview.pk)
    file = form.cleaned_data["file"]
    try:
        audio_attach(
            actor=request.user, interview=interview, file_name=file.name, content=file.read()
        )
    except DomainError as error:
        messages.error(request, error_message(error))
    else:
        messages.success(request, "The recording is attached.")
    return redirect("interview-detail", study.slug, interview.pk)


@study_page
def audio_stream(request: HttpRequest, study: Study, role: Role, interview_id: int) -> HttpResponse:
    interview = interview_get(study=study, interview_id=interview_id)
    audio = getattr(interview, "audio", None)
    if audio is None:
        raise NotFound("This interview has no recording.")
    size = audio.file.size
    wanted = RANGE.match(request.headers.get("Range", ""))
    if wanted is None or not any(wanted.groups()):
        response = FileResponse(audio.file.open("rb"), content_type=audio.content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = _byte_range(wanted, size)
    if first >= size or first > last:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    with audio.file.open("rb") as file:
        file.seek(first)
        body = file.read(last - first + 1)
    response = HttpResponse(body, status=206, content_type=audio.content_type)
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


def _byte_range(wanted: re.Match[str], size: int) -> tuple[int, int]:
    start, end = wanted.groups()
    if not start:  # the last `end` bytes
        first = max(size - int(end), 0)
        return first, min(size - 1, first + CHUNK - 1)
    first = int(start)
    last = min(int(end), size - 1) if end else size - 1
    return first, min(last, first + CHUNK - 1)
