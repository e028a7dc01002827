"""Taking erased or redacted words out of what stays: records that quote them, and files
of exchange jobs kept in media.

A quote's decision snapshot (Decision.before/after) holds the quoted text, and memos
may quote too: `quoting_records_scrub` replaces the words there. An export's output (and an import's uploaded file) stays in media so that it can be
downloaded again. Erasure removes every such file of the study; redaction removes
those that contain the redacted string. The job row stays, with its download gone
and its error saying why, so the Exchange page tells the user to export again.

Called inside the erasing or redacting service's transaction, which audits it: the
rows change at once, the files go when the transaction commits.
"""

import html
import io
import json
import zipfile
from collections.abc import Iterable
from typing import IO

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from analysis.coding.models import Memo
from analysis.deliberation.models import Decision
from analysis.exchange.models import ExchangeJob, ExchangeState
from dyads.models import Study
from dyads.text import scrub_pattern, scrub_strings

# Records that stay and may quote a participant's words (a quote's decision snapshot).
QUOTING = {
    Decision: ("before", "after", "proposal", "rationale", "decision_note"),
    Memo: ("title", "text"),
}
# A job whose worker may be reading its file right now is left alone.
BUSY = [ExchangeState.QUEUED, ExchangeState.RUNNING]


def quoting_records_scrub(*, study: Study, texts: Iterable[str], replacement: str) -> int:
    """Replace `texts` in the study's records that may quote them; how many records changed."""
    pattern = scrub_pattern(texts)
    if pattern is None:
        return 0
    changed_rows = 0
    for model, fields in QUOTING.items():
        for row in model._base_manager.select_for_update().filter(study=study):
            changes = {}
            for field in fields:
                value, replaced = scrub_strings(getattr(row, field), pattern, replacement)
                if replaced:
                    changes[field] = value
            if changes:
                model._base_manager.filter(pk=row.pk).update(**changes)
                changed_rows += 1
    return changed_rows


def exchange_files_remove(*, study: Study, note: str, mentioning: Iterable[str] = ()) -> int:
    """Remove the study's kept exchange files, or only those containing one of `mentioning`.

    Returns how many jobs lost their files. A previewed import waiting for its
    confirmation is failed with `note`, since its file is gone.
    """
    needles = [text for text in mentioning if text]
    jobs = (
        ExchangeJob.objects.select_for_update()
        .filter(study=study)
        .exclude(state__in=BUSY)
        .exclude(Q(output="") & Q(upload=""))
    )
    names: list[str] = []
    removed = 0
    for job in jobs:
        files = [name for name in (job.output.name, job.upload.name) if name]
        if needles and not any(_mentions(name, needles) for name in files):
            continue
        names += files
        job.output = job.upload = ""
        job.error = note
        if job.state == ExchangeState.PREVIEWED:
            job.state = ExchangeState.FAILED
        job.save(update_fields=["output", "upload", "error", "state"])
        removed += 1
    transaction.on_commit(lambda: _delete(names))
    return removed


def _delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _variants(text: str) -> set[bytes]:
    """The ways a file may spell `text`: as it is, escaped for XML, escaped for JSON."""
    spellings = {text, html.escape(text, quote=False), json.dumps(text)[1:-1]}
    return {spelling.encode() for spelling in spellings}


def _mentions(name: str, needles: list[str]) -> bool:
    if not default_storage.exists(name):
        return False
    patterns = set().union(*(_variants(text) for text in needles))
    with default_storage.open(name, "rb") as handle:
        return _holds(handle, patterns)


ZIP_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 20


def _holds(handle: IO[bytes], patterns: set[bytes]) -> bool:
    """Whether the stream holds one of `patterns`; a zip (qdpx, xlsx, docx, backup, and a
    zip inside one) is searched member by member, since its members are compressed."""
    head = handle.read(len(ZIP_MAGIC))
    if head == ZIP_MAGIC:
        with _archive(handle, head) as archive:
            return any(_holds(archive.open(member), patterns) for member in archive.infolist())
    overlap = max(map(len, patterns)) - 1
    tail = head
    while True:
        chunk = handle.read(CHUNK)
        window = tail + chunk
        if any(pattern in window for pattern in patterns):
            return True
        if not chunk:
            return False
        tail = window[-overlap:] if overlap else b""


def _archive(handle: IO[bytes], head: bytes) -> zipfile.ZipFile:
    if isinstance(handle, zipfile.ZipExtFile):  # a zip inside a zip: small, read whole
        return zipfile.ZipFile(io.BytesIO(head + handle.read()))
    handle.seek(0)
    return zipfile.ZipFile(handle)
