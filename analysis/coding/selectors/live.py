"""The live side of the coding page: its codings feed and who is on a transcript.

The feed is the study's audit log, read as a change log (Taguette's idea: one
append-only log is both history and live-sync feed). Every write to a study
appends an event and moves the study's chain head on by one, in the writer's
transaction, so the head's sequence number is a change counter that costs one
indexed row to read. A page asks for its codings once, then polls for the
changes after the sequence number it has:

- nothing new: 304 Not Modified, decided from the ETag before any coding is read;
- only codings changed: those codings as they are now (added or re-coded) and
  the ids of those it should drop (removed, or hidden from this user);
- anything else that may change what the page shows (a code renamed or merged,
  a session closed, a member's role changed) or more than FEED_LIMIT events:
  everything again, marked `reload`.

Polling was chosen over server-sent events because Duet runs under WSGI
(gunicorn sync workers): an open event stream would hold a worker per open
page, whereas a 304 costs a few milliseconds and passes every proxy.

Presence lives in Django's cache (Redis in deployment), one key per user and
revision that expires PRESENCE_SECONDS after the page's last heartbeat, so
no table fills up with seconds-old rows and no heartbeat overwrites another.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import QuerySet

from analysis.coding.models import Code, Coding, CodingSession
from analysis.coding.selectors.codings import codings_visible_to
from dyads.models import AuditChainHead, AuditEvent, Study, StudyMembership
from interviews.models import TranscriptRevision

FEED_LIMIT = 500
PRESENCE_SECONDS = 15
CODING_TYPE = Coding._meta.label_lower
# Audit object types whose changes leave the coding page's highlights as they are.
QUIET_TYPES = frozenset(
    {
        "analysis.memo",
        "analysis.sessionprogress",
        "analysis.meetingrecord",
        "analysis.decision",
        "analysis.theme",
    }
)
# A coding as the page draws it; the panel asks for the rest of one when it opens.
CODING_FIELDS = ("id", "start", "end", "code", "coder", "session")


@dataclass(frozen=True)
class Feed:
    """One user's view of a revision's codings, in a session or in all of them."""

    user: Any
    revision: TranscriptRevision
    session: CodingSession | None

    @property
    def study(self) -> Study:
        return self.revision.transcript.interview.study

    def sequence(self) -> int:
        """The study's change counter: the sequence number of its last audit event."""
        head = AuditChainHead.objects.filter(study=self.study).values_list("sequence", flat=True)
        return head.first() or 0

    def etag(self, sequence: int) -> str:
        session = self.session.pk if self.session else 0
        return f'W/"{self.revision.pk}.{session}.{self.user.pk}.{sequence}"'

    def codings(self) -> QuerySet[Coding]:
        codings = Coding.objects.filter(revision=self.revision, deleted_at__isnull=True)
        if self.session is not None:
            codings = codings.filter(session=self.session)
        return codings_visible_to(self.user, codings)

    def everything(self, sequence: int) -> dict[str, Any]:
        """All codings the user may see, with the study's codes and the coders' names."""
        rows, coders = _codings(self.codings().order_by("start", "end", "id"), also=self.user)
        codes = Code.objects.filter(study=self.study).order_by("position", "name", "id")
        return {
            "sequence": sequence,
            "reload": True,
            "session_state": self.session.state if self.session else None,
            "codes": [
                {
                    "id": code.pk,
                    "parent": code.parent_id,
                    "name": code.name,
                    "colour": code.colour,
                    "definition": code.definition,
                    "retired": code.retired_at is not None,
                }
                for code in codes
            ],
            "coders": coders,
            "sessions": self._sessions(rows),
            "codings": rows,
        }

    def changes(self, after: int, sequence: int) -> dict[str, Any]:
        """What changed since `after`: the codings to add or update and the ids to drop."""
        events = list(
            AuditEvent.objects.filter(
                study=self.study, sequence__gt=after, sequence__lte=sequence
            ).values_list("object_type", "object_id")[: FEED_LIMIT + 1]
        )
        if (
            after > sequence
            or len(events) > FEED_LIMIT
            or any(kind not in QUIET_TYPES | {CODING_TYPE} for kind, _ in events)
        ):
            return self.everything(sequence)
        changed = {int(pk) for kind, pk in events if kind == CODING_TYPE}
        rows, coders = _codings(self.codings().filter(pk__in=changed)) if changed else ([], [])
        return {
            "sequence": sequence,
            "reload": False,
            "coders": coders,
            "sessions": self._sessions(rows) if rows else [],
            "codings": rows,
            "removed": sorted(changed - {row["id"] for row in rows}),
        }

    def _sessions(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The sessions the codings were made in, and the page's own."""
        ids = {row["session"] for row in rows} | {self.session.pk if self.session else None}
        sessions = CodingSession.objects.filter(pk__in=ids - {None}).order_by("pk")
        return list(sessions.values("id", "name", "mode", "state"))


def _codings(codings: QuerySet[Coding], also=None) -> tuple[list[dict], list[dict]]:
    """The codings as the page draws them, and their coders (with `also`) by name.

    Coders are looked up once by id rather than joined to every coding.
    """
    found = list(codings.values_list(*CODING_FIELDS))
    ids = {coder for _, _, _, _, coder, _ in found} | ({also.pk} if also else set())
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=ids)}
    rows = [
        {
            "id": pk,
            "start": start,
            "end": end,
            "code": code,
            "coder": users[coder].get_username(),
            "session": session,
        }
        for pk, start, end, code, coder, session in found
    ]
    coders = sorted(users.values(), key=lambda user: user.get_username())
    return rows, [{"username": u.get_username(), "name": _display_name(u)} for u in coders]


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _presence_key(revision_id: int, user_id: int) -> str:
    return f"duet:presence:{revision_id}:{user_id}"


def presence_touch(*, user, revision: TranscriptRevision) -> None:
    """Note that the user has the revision open now (the page's heartbeat)."""
    cache.set(
        _presence_key(revision.pk, user.pk),
        {"username": user.get_username(), "name": _display_name(user)},
        PRESENCE_SECONDS,
    )


def presence_list(*, revision: TranscriptRevision) -> list[dict[str, str]]:
    """The study's members whose heartbeat on this revision is fresh, by name."""
    members = StudyMembership.objects.filter(
        study_id=revision.transcript.interview.study_id, removed_at__isnull=True
    ).values_list("user_id", flat=True)
    present = cache.get_many([_presence_key(revision.pk, user_id) for user_id in members])
    return sorted(present.values(), key=lambda person: person["name"].lower())
