from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction

from analysis.coding.models import Code, Coding, CodingSession, SessionState
from analysis.coding.services.sessions import session_check_coder
from dyads.audit import audit_record
from dyads.changes import mark_removed
from dyads.exceptions import DomainError, Forbidden, NotFound
from dyads.models import Role
from dyads.permissions import Action, study_access
from interviews.models import TranscriptRevision


@transaction.atomic
def coding_create(
    *,
    actor,
    revision: TranscriptRevision,
    start: int,
    end: int,
    code: Code,
    session: CodingSession | None = None,
) -> Coding:
    """Apply a code to [start, end) of a revision's text, offsets in code points."""
    study = revision.transcript.interview.study
    study_access(actor, study, Action.CODE)
    errors = {}
    if code.study_id != study.pk or not _code_stays_active(code):
        errors["code"] = "The code is not an active code of this study."
    length = _text_length(revision)
    if not 0 <= start < end <= length:
        errors["start"] = (
            f"The span {start}-{end} must lie within the text (0-{length}) and not be empty."
        )
    if errors:
        raise DomainError(errors)
    if session is not None:
        if session.study_id != study.pk:
            raise DomainError({"session": "The session belongs to another study."})
        session_check_coder(session, actor, revision.transcript_id)
    with _refusing_duplicates(f"You have already applied '{code.name}' to this span."):
        coding = Coding.objects.create(
            study=study,
            revision=revision,
            start=start,
            end=end,
            code=code,
            coded_as=code,
            coder=actor,
            session=session,
        )
    audit_record(
        study=study,
        actor=actor,
        action="coding.create",
        target=coding,
        new={
            "revision": revision.pk,
            "start": start,
            "end": end,
            "code": code.pk,
            "session": session.pk if session else None,
        },
    )
    return coding


DUPLICATE_CONSTRAINT = "one_live_coding_per_coder_code_span"


@contextmanager
def _refusing_duplicates(message: str) -> Iterator[None]:
    """Turn the database's refusal of a second identical live coding into a DomainError.

    The partial unique index decides, so a coding POST spends no query on checking.
    Use inside the service's own atomic block: the DomainError leaving it rolls the
    failed statement back (to the block's savepoint when it is nested).
    """
    try:
        yield
    except IntegrityError as error:
        if DUPLICATE_CONSTRAINT not in str(error):
            raise
        raise DomainError({"code": message}) from error


def _text_length(revision: TranscriptRevision) -> int:
    """The text's length in code points; the API's revision lookup counts it in SQL."""
    counted = getattr(revision, "text_length", None)
    return len(revision.text) if counted is None else counted


def _code_stays_active(code: Code) -> bool:
    """Whether the code is active, share-locked until the coding is committed.

    A merge or retirement locks the codebook FOR NO KEY UPDATE, which waits for this
    lock and then sees the new coding; a coding that waited for the merge reads the
    code as retired. FOR SHARE (not in Django's ORM) lets coders add codings with
    one code at once.
    """
    if connection.vendor != "postgresql":
        return code.retired_at is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT retired_at FROM analysis_code WHERE id = %s FOR SHARE", [code.pk])
        row = cursor.fetchone()
    return row is not None and row[0] is None


def _lock_own_coding(actor, coding: Coding, *, removed: bool = False) -> Coding:
    """The coding's current row, locked; only its coder or a study owner may change it.

    `removed`: the coding must have been removed (to restore it), else live.
    A closed session's codings are what its agreement figures and adjudication
    work from, so they are not changed afterwards.
    """
    _, role = study_access(actor, coding.study, Action.CODE)
    coding = (
        Coding.objects.select_for_update(of=("self",))
        .select_related("session", "code")
        .get(pk=coding.pk)
    )
    if removed and coding.deleted_at is None:
        raise DomainError({"coding": "This coding has not been removed."})
    if not removed and coding.deleted_at is not None:
        raise NotFound("This coding has already been removed.")
    if coding.coder_id != actor.pk and role != Role.OWNER:
        raise Forbidden("Only the coder or a study owner may change a coding.")
    if coding.session is not None and coding.session.state == SessionState.CLOSED:
        raise DomainError(
            {"session": f"Session '{coding.session.name}' is closed; its codings are final."}
        )
    return coding


@transaction.atomic
def coding_delete(*, actor, coding: Coding) -> None:
    """Soft-delete a coding; coders remove their own, owners anyone's."""
    coding = _lock_own_coding(actor, coding)
    mark_removed(coding, "deleted_at")
    audit_record(
        study=coding.study,
        actor=actor,
        action="coding.delete",
        target=coding,
        old={
            "revision": coding.revision_id,
            "start": coding.start,
            "end": coding.end,
            "code": coding.code_id,
            "coder": coding.coder_id,
        },
    )


@transaction.atomic
def coding_recode(*, actor, coding: Coding, code: Code) -> Coding:
    """Give a coding another code, in place, so that its memos stay with it."""
    coding = _lock_own_coding(actor, coding)
    if code.study_id != coding.study_id or code.retired_at is not None:
        raise DomainError({"code": "The code is not an active code of this study."})
    if code.pk == coding.code_id:
        raise DomainError({"code": f"The coding already has the code '{code.name}'."})
    old_code = coding.code_id
    coding.code = code
    if coding.coder_id == actor.pk:  # the coder's own new choice
        coding.coded_as = code
    with _refusing_duplicates(f"This coder has already applied '{code.name}' to this span."):
        coding.save(update_fields=["code", "coded_as"])
    audit_record(
        study=coding.study,
        actor=actor,
        action="coding.recode",
        target=coding,
        old={"code": old_code},
        new={"code": code.pk},
    )
    return coding


@transaction.atomic
def coding_restore(*, actor, coding: Coding) -> Coding:
    """Bring back a removed coding (the Undo of a removal), as it was.

    Refused in a closed session, when its code has been retired since (a merge
    moved the code's live codings, not this one), and when the coder has since
    made the same coding again.
    """
    coding = _lock_own_coding(actor, coding, removed=True)
    if coding.code.retired_at is not None:
        raise DomainError(
            {"code": f"The code '{coding.code.name}' has been retired since; apply a live code."}
        )
    removed_at = coding.deleted_at
    coding.deleted_at = None
    with _refusing_duplicates(
        f"'{coding.code.name}' is already applied to this span by the same coder; "
        "restoring would duplicate it."
    ):
        coding.save(update_fields=["deleted_at"])
    audit_record(
        study=coding.study,
        actor=actor,
        action="coding.restore",
        target=coding,
        old={"deleted_at": removed_at},
        new={
            "revision": coding.revision_id,
            "start": coding.start,
            "end": coding.end,
            "code": coding.code_id,
            "coder": coding.coder_id,
        },
    )
    return coding
