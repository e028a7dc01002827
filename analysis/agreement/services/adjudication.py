"""Adjudication: settling a closed session's disagreements into its consensus, and
putting disagreements on the agenda of an analytic meeting.

A disagreement is named by (session, revision, code, start, end) of its
passage, as analysis.consensus_queries computes it from the codings now.
Every write checks that the passage is still a disagreement, so a stale page
cannot settle something that has changed.
"""

from django.db import transaction
from django.utils import timezone

from analysis.agreement.models import AgendaDisagreement, Resolution, ResolutionKind
from analysis.agreement.selectors.disagreements import PassageState, PassageView, session_passages
from analysis.coding.models import Code, CodingSession, SessionState
from analysis.deliberation.models import MeetingRecord
from dyads.audit import audit_record
from dyads.exceptions import Conflict, DomainError
from dyads.permissions import Action, study_access
from interviews.models import TranscriptRevision


def _closed_session(session: CodingSession) -> CodingSession:
    """The session, locked, if its coding is over; adjudication starts then."""
    session = CodingSession.objects.select_for_update().get(pk=session.pk)
    if session.state != SessionState.CLOSED:
        raise DomainError(
            {
                "session": f"Session '{session.name}' is still open: close it before "
                "settling or discussing its disagreements."
            }
        )
    return session


def _disagreement(
    session: CodingSession, revision: TranscriptRevision, code: Code, start: int, end: int
) -> PassageView:
    found = session_passages(session=session, transcript=revision.transcript_id)
    view = found.find(revision=revision.pk, code=code.pk, start=start, end=end)
    if view is None or view.state == PassageState.AGREED:
        raise DomainError(
            {
                "passage": f"There is no disagreement on '{code.name}' at {start}-{end} of this "
                "transcript in this session now; reload the comparison."
            }
        )
    return view


def _resolved_spans(view: PassageView, *, kind, coder, edited_start, edited_end) -> list:
    """The consensus spans a resolution of this kind gives the passage."""
    errors = {}
    if kind not in ResolutionKind.values:
        raise DomainError(
            {"kind": f"Unknown kind '{kind}': use {', '.join(ResolutionKind.values)}."}
        )
    if kind != ResolutionKind.ACCEPT and coder is not None:
        errors["coder"] = "Only an 'accept' resolution names a coder."
    if kind != ResolutionKind.EDITED and (edited_start is not None or edited_end is not None):
        errors["edited_start"] = "Only an 'edited' resolution takes a span."
    if errors:
        raise DomainError(errors)
    if kind == ResolutionKind.ACCEPT:
        versions = dict(view.versions)
        if coder is None or versions.get(coder.username) is None:
            raise DomainError(
                {"coder": f"Accept the version of one of the coders: {', '.join(view.coders)}."}
            )
        return [list(span) for span in versions[coder.username]]
    if kind == ResolutionKind.BOTH:
        return [[view.start, view.end]]
    if kind == ResolutionKind.NEITHER:
        return []
    if edited_start is None or edited_end is None:
        raise DomainError({"edited_start": "An edited resolution needs a start and an end."})
    if not 0 <= edited_start < edited_end <= view.text.length:
        raise DomainError(
            {
                "edited_start": f"The span {edited_start}-{edited_end} must lie within the "
                f"text (0-{view.text.length}) and not be empty."
            }
        )
    if edited_end <= view.start or edited_start >= view.end:
        raise DomainError(
            {
                "edited_start": f"The edited span {edited_start}-{edited_end} must overlap the "
                f"passage {view.start}-{view.end}."
            }
        )
    return [[edited_start, edited_end]]


def resolution_summary(resolution: Resolution) -> dict:
    """A resolution as the audit log and a 409 answer show it."""
    return {
        "id": resolution.pk,
        "session": resolution.session_id,
        "revision": resolution.revision_id,
        "code": resolution.code_id,
        "start": resolution.start,
        "end": resolution.end,
        "kind": resolution.kind,
        "coder": resolution.coder_id,
        "spans": resolution.spans,
        "reason": resolution.reason,
        "resolved_by": resolution.resolved_by_id,
    }


@transaction.atomic
def disagreement_resolve(
    *,
    actor,
    session: CodingSession,
    revision: TranscriptRevision,
    code: Code,
    start: int,
    end: int,
    kind: str,
    reason: str,
    coder=None,
    edited_start: int | None = None,
    edited_end: int | None = None,
) -> tuple[Resolution, bool]:
    """Settle one disagreement into the session's consensus; (resolution, created).

    Idempotent: repeating the same resolution returns the existing one and
    writes nothing; a different one for a disagreement already settled is a
    Conflict (withdraw the first one to change it).
    """
    study_access(actor, session.study, Action.ADJUDICATE)
    session = _closed_session(session)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": "Say why the disagreement is settled this way."})
    view = _disagreement(session, revision, code, start, end)
    spans = _resolved_spans(
        view, kind=kind, coder=coder, edited_start=edited_start, edited_end=edited_end
    )
    existing = view.resolution
    if existing is not None:
        if (existing.kind, existing.coder_id, existing.spans) == (
            kind,
            coder.pk if coder else None,
            spans,
        ):
            return existing, False
        raise Conflict(
            f"This disagreement was already settled by {existing.resolved_by.username} "
            f"({existing.get_kind_display().lower()}); withdraw that resolution to change it.",
            current=resolution_summary(existing),
        )
    resolution = Resolution.objects.create(
        study=session.study,
        session=session,
        revision=revision,
        code=code,
        start=start,
        end=end,
        kind=kind,
        coder=coder,
        spans=spans,
        versions={
            name: None if version is None else [list(span) for span in version]
            for name, version in view.versions
        },
        reason=reason,
        resolved_by=actor,
    )
    resolution.source_codings.set(view.codings)
    audit_record(
        study=session.study,
        actor=actor,
        action="resolution.create",
        target=resolution,
        new={
            **resolution_summary(resolution),
            "versions": resolution.versions,
            "codings": list(view.codings),
        },
        reason=reason,
    )
    return resolution, True


@transaction.atomic
def resolution_withdraw(*, actor, resolution: Resolution, reason: str) -> Resolution:
    """Take a resolution back, so that its disagreement is open again; it stays on record."""
    study_access(actor, resolution.study, Action.ADJUDICATE)
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    if resolution.withdrawn_at is not None:
        raise DomainError({"detail": "This resolution has already been withdrawn."})
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": "Say why the resolution is withdrawn."})
    resolution.withdrawn_at = timezone.now()
    resolution.withdrawn_by = actor
    resolution.withdraw_reason = reason
    resolution.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    audit_record(
        study=resolution.study,
        actor=actor,
        action="resolution.withdraw",
        target=resolution,
        old=resolution_summary(resolution),
        new={"withdrawn_at": resolution.withdrawn_at},
        reason=reason,
    )
    return resolution


def _agenda_line(view: PassageView) -> str:
    return f"- '{view.code.name}' in {view.text.label}, characters {view.start}-{view.end}"


@transaction.atomic
def disagreements_to_agenda(
    *,
    actor,
    session: CodingSession,
    meeting: MeetingRecord,
    passages: list[tuple[int, int, int, int]] | None = None,
    code: Code | None = None,
) -> list[AgendaDisagreement]:
    """Put disagreements of a closed session on a meeting's agenda, in one action.

    `passages` names them as (revision, code, start, end); ``None`` puts every
    unresolved disagreement (of `code`, if given) on it, and an empty list nothing. Those already on the
    meeting's agenda are skipped, so repeating the action adds nothing. The
    meeting's agenda text gets a line per disagreement.
    """
    study_access(actor, session.study, Action.RECORD_MEETING)
    if meeting.study_id != session.study_id:
        raise DomainError({"meeting": "The meeting belongs to another study."})
    if passages is not None and not passages:
        raise DomainError(
            {"passages": "No disagreement was chosen: tick those to put on the agenda."}
        )
    session = _closed_session(session)
    found = session_passages(session=session)
    if passages is None:
        chosen = [
            view
            for view in found.disagreements
            if view.state == PassageState.UNRESOLVED and (code is None or view.code.pk == code.pk)
        ]
    else:
        chosen, unknown = [], []
        for key in passages:
            view = found.find(revision=key[0], code=key[1], start=key[2], end=key[3])
            if view is None or view.state == PassageState.AGREED:
                unknown.append("{}:{}:{}-{}".format(*key))
            else:
                chosen.append(view)
        if unknown:
            raise DomainError(
                {"passages": f"Not a disagreement of this session now: {', '.join(unknown)}."}
            )
    if not chosen:
        raise DomainError({"passages": "There is no disagreement to put on the agenda."})
    meeting = MeetingRecord.objects.select_for_update().get(pk=meeting.pk)
    listed = set(
        AgendaDisagreement.objects.filter(meeting=meeting, session=session).values_list(
            "revision", "code", "start", "end"
        )
    )
    new = [view for view in chosen if view.key not in listed]
    if not new:
        return []
    items = AgendaDisagreement.objects.bulk_create(
        AgendaDisagreement(
            meeting=meeting,
            session=session,
            revision_id=view.text.revision,
            code_id=view.code.pk,
            start=view.start,
            end=view.end,
            added_by=actor,
        )
        for view in new
    )
    old_agenda = meeting.agenda
    heading = f"Disagreements from coding session '{session.name}':"
    meeting.agenda = "\n".join(
        part for part in [old_agenda.rstrip(), heading, *map(_agenda_line, new)] if part
    )
    meeting.version += 1
    meeting.save(update_fields=["agenda", "version"])
    audit_record(
        study=session.study,
        actor=actor,
        action="meeting.agenda_add",
        target=meeting,
        old={"agenda": old_agenda},
        new={
            "agenda": meeting.agenda,
            "session": session.pk,
            "disagreements": [list(view.key) for view in new],
        },
    )
    return items
