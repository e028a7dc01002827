"""A large synthetic study for every benchmark to run against (issue #10).

Run with ``.venv/bin/python bench/large_study.py [--scale F] [--rebuild]``;
bench_large.py builds it too when it is missing.

It works in its own PostgreSQL database, BENCH_DATABASE_URL (default
``postgres://postgres@127.0.0.1:5432/duet_bench_large``), created and migrated if
missing, and builds there once study ``large-study`` (``--rebuild`` drops the
database and builds it anew; a study of another ``--scale`` is refused without it):

- 100 dyads, a therapist and a client each, every participant with 3 interviews
  (600), each with a transcript of ~15,200 words and its speaker turns
  (PERFORMANCE.md's generator, bench_export.transcript);
- an owner and 3 analysts with API tokens; 50 codes, 10 parents of 4 children each;
- 1,000,000 codings of 5-40 words inside participant turns, coder and code at random
  (a parent code is rarely applied: ~500 codings each, a child ~25,000). The first
  tenth of the transcripts were coded by all three coders in a closed blind session
  (the second and third coder follow most of the first's spans, both ends moved by up
  to three words), the next fifth in an open session, the rest outside sessions.
  Two transcripts are set apart for the coding page: 3 coders x 700 codings in the
  open session on one, 100 codings outside sessions on another;
- 10 meetings and 1,000 decisions: the creation of every code and theme, the rest of
  every other kind spread over the meetings, a few of them proposals;
- 4 overarching themes of 5 constituents each, each constituent linked to two codes;
- the audit events all of that implies, one per object and action as the services
  record them, in one hash chain (bench_audit_verify.build_chain), verified at the end.

Rows go in with bulk_create and COPY, in one transaction; the time of each part is
printed, then ANALYZE runs. ``--scale F`` scales the dyads and the codings (0.02:
2 dyads, 20,000 codings) for a quick check.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_agreement import COPIED, JITTER_WORDS, SPAN_WORDS  # noqa: E402  (the same coders)
from bench_audit_verify import (  # noqa: E402  (the same database and chain)
    CHAIN_START,
    build_chain,
    event_time,
    prepare_database,
)
from bench_coding_page import CODERS, CODINGS_PER_CODER, SMALL_CODINGS  # noqa: E402
from bench_export import Words, transcript  # noqa: E402  (PERFORMANCE.md's texts)
from bench_import import pseudonym_list  # noqa: E402  (the names its files carry)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duet_bench_large"
SLUG = "large-study"
DYADS = 100
INTERVIEWS_EACH = 3
CODINGS = 1_000_000
PARENT_CODES, CHILD_CODES = 10, 4
PARENT_CODE_SHARE = 0.005  # of the codings: ~500 per parent code at full scale
CLOSED_SHARE, OPEN_SHARE = 0.1, 0.2  # of the transcripts, coded in the two sessions
MEETINGS = 10
DECISIONS = 1_000
PROPOSED_SHARE = 0.05
THEMES, CONSTITUENTS = 4, 5
CODES_PER_CONSTITUENT = 2
REVISIONS_PER_INSERT = 50
TURN_COLUMNS = ("revision_id", "index", "speaker", "role", "start", "end")
CODING_COLUMNS = (
    "id", "study_id", "revision_id", "start", "end", "code_id", "coder_id", "session_id",
    "created_at", "needs_review",
)  # fmt: skip
SEED = 10


def describe(scale: float) -> str:
    return f"Synthetic study of bench/large_study.py at scale {scale:g}."


@contextmanager
def part(label: str):
    began = time.perf_counter()
    yield
    print(f"  {label}: {time.perf_counter() - began:.1f} s", flush=True)


class TurnWords:
    """Where the words of a transcript's participant turns start, found once.

    Spans are drawn from these arrays in bulk (bench_export.spans scans a turn per span).
    """

    def __init__(self, text: str, turns: list[tuple[str, int, int]]):
        characters = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        self.starts = np.flatnonzero(characters == ord(" ")) + 1
        bounds = np.array([(start, end) for speaker, start, end in turns if speaker == "P"])
        self.low = np.searchsorted(self.starts, bounds[:, 0])
        self.high = np.searchsorted(self.starts, bounds[:, 1], side="right")

    def draw(self, rng: np.random.Generator, count: int):
        """`count` spans of SPAN_WORDS words inside one participant turn: (turn, first, last)."""
        turn = rng.integers(0, len(self.low), count)
        low, high = self.low[turn], self.high[turn]
        first = low + rng.integers(0, np.maximum(high - low - SPAN_WORDS[0], 1))
        size = rng.integers(SPAN_WORDS[0], SPAN_WORDS[1] + 1, count)
        return turn, first, np.minimum(first + size, high - 1)

    def follow(self, rng: np.random.Generator, turn, first, last):
        """A second coder's spans: COPIED of them follow these, ends moved by a few words.

        Returns (first, last, copied)."""
        low, high = self.low[turn], self.high[turn]
        jitter = rng.integers(-JITTER_WORDS, JITTER_WORDS + 1, (2, len(turn)))
        moved_first = np.clip(first + jitter[0], low, high - 2)
        moved_last = np.clip(last + jitter[1], moved_first + 1, high - 1)
        _, fresh_first, fresh_last = self.draw(rng, len(turn))
        copied = rng.random(len(turn)) < COPIED
        return (
            np.where(copied, moved_first, fresh_first),
            np.where(copied, moved_last, fresh_last),
            copied,
        )

    def offsets(self, first, last):
        """Code point offsets of spans from word `first` up to (not including) word `last`."""
        return self.starts[first], self.starts[last] - 1


class Trail:
    """The study's audit events in chain order; the codings' own events are made on the fly.

    `before` comes first, then the codings, each preceded by `during[n]` if it has one
    (n: the coding's position), then what is left of `during`.
    """

    def __init__(self):
        self.before: list[tuple] = []
        self.during: dict[int, list[tuple]] = defaultdict(list)
        self.sequences: dict[tuple[str, int], int] = {}  # (action, object id) -> sequence

    def record(self, actor, action: str, target, *, at=None, old=None, new=None, reason=""):
        """Queue the event a service records for `target` (before the codings, or at `at`)."""
        from dyads.audit import as_json_value

        event = (
            actor.pk,
            action,
            target._meta.label_lower,
            str(target.pk),
            as_json_value(old),
            as_json_value(new),
            reason,
        )
        (self.before if at is None else self.during[at]).append(event)

    def events(self, codings: Codings):
        """Every event in chain order; notes each one's sequence number as it goes."""
        sequence = 0

        def numbered(events):
            nonlocal sequence
            for event in events:
                sequence += 1
                self.sequences[event[1], int(event[3])] = sequence
                yield event

        yield from numbered(self.before)
        columns = zip(*(codings.columns[name].tolist() for name in Codings.EVENT), strict=True)
        for position, (pk, revision, start, end, code, coder, session) in enumerate(columns):
            yield from numbered(self.during.pop(position, ()))
            sequence += 1
            codings.sequences[position] = sequence
            new = {"revision": revision, "start": start, "end": end, "code": code,
                   "session": session or None}  # fmt: skip
            yield coder, "coding.create", "analysis.coding", str(pk), None, new, ""
        for position in sorted(self.during):
            yield from numbered(self.during.pop(position))


@dataclass
class Codings:
    """The planned codings, column by column (session 0: none)."""

    EVENT = ("id", "revision", "start", "end", "code", "coder", "session")
    columns: dict[str, np.ndarray]
    sequences: np.ndarray  # each coding's audit event

    @classmethod
    def of(cls, parts: list[dict[str, np.ndarray]]) -> Codings:
        columns = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
        return cls(columns, np.zeros(len(columns["start"]), dtype=np.int64))

    def __len__(self) -> int:
        return len(self.sequences)


@dataclass
class Cast:
    owner: object
    coders: list


def reserve_ids(table: str, count: int) -> np.ndarray:
    """`count` ids from the table's sequence, taken at once."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        last = cursor.fetchone()[0]
    return np.arange(last - count + 1, last + 1)


def backdate(model, field: str, sequences: dict[int, int]) -> None:
    """Set `field` of the rows (by id) to the time of their audit event."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} AS row SET {field} = stamp.at "
            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS stamp(id, at) WHERE row.id = stamp.id",
            [list(sequences), [event_time(sequence) for sequence in sequences.values()]],
        )


def cast() -> Cast:
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    User = get_user_model()
    owner, _ = User.objects.get_or_create(username="bench-owner")
    coders = [
        User.objects.get_or_create(username=f"bench-coder{n}", defaults={"first_name": f"Coder {n}"})[0]
        for n in range(1, CODERS + 1)
    ]  # fmt: skip
    for user in (owner, *coders):
        Token.objects.get_or_create(user=user)
    return Cast(owner, coders)


def study_and_members(trail: Trail, people: Cast, scale: float):
    """The study, its owner and analysts, and its pseudonym list."""
    from dyads.changes import snapshot
    from dyads.models import Role, Study, StudyMembership
    from interviews.models import PseudonymReplacement

    study = Study.objects.create(
        title="Large benchmark study", slug=SLUG, description=describe(scale)
    )
    trail.record(people.owner, "study.create", study, new=snapshot(study))
    members = StudyMembership.objects.bulk_create(
        StudyMembership(study=study, user=user, role=role)
        for user, role in [(people.owner, Role.OWNER), *((c, Role.ANALYST) for c in people.coders)]
    )  # fmt: skip
    for member in members:
        trail.record(
            people.owner, "membership.add", member, new={"user": member.user_id, "role": member.role}
        )  # fmt: skip
    for entry in PseudonymReplacement.objects.bulk_create(pseudonym_list(study, people.owner)):
        new = {"replacement": entry.replacement, "case_sensitive": entry.case_sensitive}
        trail.record(people.owner, "pseudonym.create", entry, new=new)
    return study


def dyads_and_interviews(trail: Trail, study, owner, dyads: int, rng: np.random.Generator):
    """The dyads, their participants and each participant's interviews, in dyad order."""
    from dyads.changes import snapshot
    from dyads.models import Dyad, Participant, ParticipantRole
    from dyads.services import without_personal_values
    from interviews.models import Interview, InterviewFocus, InterviewTiming

    participants = Participant.objects.bulk_create(
        Participant(
            study=study, role=role, pseudonym=f"{role[0].upper()}{n + 1:03d}",
            gender=rng.choice(["female", "male"]), age=int(rng.integers(25, 65)),
            theoretical_orientation=rng.choice(["psychodynamic", "integrative", "CBT"])
            if role == ParticipantRole.THERAPIST else "",
        )
        for n in range(dyads)
        for role in (ParticipantRole.THERAPIST, ParticipantRole.CLIENT)
    )  # fmt: skip
    for participant in participants:
        new = without_personal_values(snapshot(participant))
        trail.record(owner, "participant.create", participant, new=new)
    pairs = zip(participants[::2], participants[1::2], strict=True)
    made = Dyad.objects.bulk_create(
        Dyad(study=study, label=f"Dyad {n + 1:03d}", therapist=t, client=c)
        for n, (t, c) in enumerate(pairs)
    )
    for dyad in made:
        trail.record(owner, "dyad.create", dyad, new=snapshot(dyad))
    focus = {1: InterviewFocus.BACKGROUND, 2: InterviewFocus.THERAPY, 3: InterviewFocus.BOTH}
    interviews = Interview.objects.bulk_create(
        Interview(
            study=study, participant=participant, dyad=dyad, sequence_number=number,
            focus=focus[number],
            timing=InterviewTiming.AFTER if number == 3 else InterviewTiming.DURING,
        )
        for dyad in made
        for participant in (dyad.therapist, dyad.client)
        for number in range(1, INTERVIEWS_EACH + 1)
    )  # fmt: skip
    for interview in interviews:
        trail.record(owner, "interview.create", interview, new=snapshot(interview))
    return interviews


def turn_rows(revision, turns):
    from interviews.models import SpeakerRole

    for index, (speaker, start, end) in enumerate(turns):
        role = SpeakerRole.INTERVIEWER if speaker == "I" else SpeakerRole.PARTICIPANT
        yield revision.pk, index, speaker, role, start, end


def transcripts(trail: Trail, owner, interviews) -> list[tuple]:
    """A generated transcript per interview, with its turns: [(revision, TurnWords)]."""
    from dyads.postgres import copy_rows
    from interviews.models import Transcript, TranscriptRevision
    from interviews.services.search_documents import search_documents_fill

    words = Words(SEED)
    records = Transcript.objects.bulk_create(Transcript(interview=i) for i in interviews)
    made = []
    for first in range(0, len(records), REVISIONS_PER_INSERT):
        batch = [
            (record, *transcript(words)) for record in records[first : first + REVISIONS_PER_INSERT]
        ]
        revisions = TranscriptRevision.objects.bulk_create(
            TranscriptRevision(
                transcript=record, number=1, text=text, created_by=owner,
                checksum=hashlib.sha256(text.encode()).hexdigest(),
                source_name=f"interview-{record.interview_id}.txt", source_format="txt",
            )
            for record, text, _ in batch
        )  # fmt: skip
        for revision, (record, text, turns) in zip(revisions, batch, strict=True):
            copy_rows("interviews_speakerturn", TURN_COLUMNS, turn_rows(revision, turns))
            record.current_revision = revision
            new = {
                "interview": record.interview_id, "number": 1, "checksum": revision.checksum,
                "characters": len(text), "turns": len(turns), "source_name": revision.source_name,
            }  # fmt: skip
            trail.record(owner, "transcript.add_revision", revision, new=new)
            made.append((revision, TurnWords(text, turns)))
    Transcript.objects.bulk_update(records, ["current_revision"])
    search_documents_fill()  # as the worker would after each import
    return made


def record_decision(trail: Trail, decision, at=None) -> None:
    """The event decision_record (or, for a proposal, decision_propose) writes."""
    from analysis.deliberation.models import DecisionState
    from analysis.deliberation.services.decisions import DECISION_FIELDS
    from dyads.changes import snapshot

    new, action = snapshot(decision, fields=DECISION_FIELDS), "decision.record"
    if decision.state == DecisionState.PROPOSED:
        new, action = new | {"proposal": decision.proposal}, "decision.propose"
    trail.record(decision.author, action, decision, at=at, new=new, reason=decision.rationale)


def codebook(trail: Trail, study, owner) -> tuple[list, list]:
    """PARENT_CODES codes of CHILD_CODES children each, each made by a decision."""
    from analysis.coding.models import Code
    from analysis.coding.services.codebook import CODE_FIELDS
    from analysis.deliberation.models import Decision, DecisionKind
    from dyads.changes import snapshot

    parents = Code.objects.bulk_create(
        Code(study=study, name=f"Area {p + 1}", position=p, definition=f"Talk about area {p + 1}.")
        for p in range(PARENT_CODES)
    )
    children = Code.objects.bulk_create(
        Code(study=study, parent=parent, name=f"Code {p + 1}.{c + 1}", position=c)
        for p, parent in enumerate(parents)
        for c in range(CHILD_CODES)
    )
    codes = parents + children
    snapshots = [snapshot(code, fields=sorted(CODE_FIELDS)) for code in codes]
    decisions = Decision.objects.bulk_create(
        Decision(study=study, kind=DecisionKind.CODE_CREATE, after=after, code=code, author=owner,
                 rationale="The first codebook, drafted from the pilot interviews.")
        for code, after in zip(codes, snapshots, strict=True)
    )  # fmt: skip
    for code, after, decision in zip(codes, snapshots, decisions, strict=True):
        trail.record(owner, "code.create", code, new=after)
        record_decision(trail, decision)
    return parents, children


def coding_sessions(trail: Trail, study, people: Cast, closed: list, opened: list) -> list:
    """Round 1, blind and (later) closed, over `closed`; round 2, open, over `opened`."""
    from analysis.coding.models import CodingSession, SessionMode, SessionState

    made = []
    for name, mode, state, records in (
        ("Round 1", SessionMode.BLIND, SessionState.CLOSED, closed),
        ("Round 2", SessionMode.OPEN, SessionState.OPEN, opened),
    ):
        session = CodingSession.objects.create(
            study=study, name=name, mode=mode, state=state, created_by=people.owner
        )
        session.coders.set(people.coders)
        session.transcripts.set(records)
        new = {
            "name": name, "mode": mode, "coders": sorted(c.pk for c in people.coders),
            "transcripts": sorted(r.pk for r in records),
        }  # fmt: skip
        trail.record(people.owner, "session.create", session, new=new)
        made.append(session)
    return made


def meetings(trail: Trail, study, people: Cast, positions: list[int]) -> list:
    """A meeting a week, recorded at the given positions of the coding."""
    import datetime as dt

    from analysis.deliberation.models import MeetingRecord
    from dyads.changes import snapshot

    made = MeetingRecord.objects.bulk_create(
        MeetingRecord(study=study, date=CHAIN_START.date() + dt.timedelta(weeks=n),
                      title=f"Analytic meeting {n + 1}", agenda="<p>Codebook and themes.</p>",
                      created_by=people.owner)
        for n in range(len(positions))
    )  # fmt: skip
    attendees = sorted(user.pk for user in (people.owner, *people.coders))
    MeetingRecord.attendees.through.objects.bulk_create(
        MeetingRecord.attendees.through(meetingrecord_id=meeting.pk, user_id=user)
        for meeting in made
        for user in attendees
    )
    for meeting, at in zip(made, positions, strict=True):
        new = snapshot(meeting, fields=["date", "title", "agenda", "notes"]) | {
            "attendees": attendees
        }
        trail.record(people.owner, "meeting.create", meeting, at=at, new=new)
    return made


def themes(trail: Trail, study, owner, children: list, meeting, at: int) -> list:
    """THEMES overarching themes of CONSTITUENTS constituents, agreed at `meeting`."""
    from analysis.deliberation.models import Decision, DecisionKind
    from analysis.themes.models import Theme, ThemeLevel
    from analysis.themes.services.themes import THEME_PLACE_FIELDS, THEME_TEXT_FIELDS
    from dyads.changes import snapshot

    overarching = Theme.objects.bulk_create(
        Theme(study=study, name=f"Theme {t + 1}", level=ThemeLevel.OVERARCHING, position=t + 1)
        for t in range(THEMES)
    )
    constituents = Theme.objects.bulk_create(
        Theme(study=study, parent=theme, name=f"Constituent {t + 1}.{c + 1}",
              level=ThemeLevel.CONSTITUENT, position=c + 1,
              client_description="How clients tell it.", therapist_description="How therapists tell it.")
        for t, theme in enumerate(overarching)
        for c in range(CONSTITUENTS)
    )  # fmt: skip
    linked = {
        theme.pk: [
            code.pk for code in children[n * CODES_PER_CONSTITUENT :][:CODES_PER_CONSTITUENT]
        ]
        for n, theme in enumerate(constituents)
    }
    Theme.codes.through.objects.bulk_create(
        Theme.codes.through(theme_id=theme, code_id=code)
        for theme, codes in linked.items()
        for code in codes
    )
    made = overarching + constituents
    snapshots = [
        snapshot(theme, fields=THEME_TEXT_FIELDS + THEME_PLACE_FIELDS)
        | {"codes": sorted(linked.get(theme.pk, []))}
        for theme in made
    ]
    decisions = Decision.objects.bulk_create(
        Decision(study=study, kind=DecisionKind.THEME_CREATE, meeting=meeting, after=after,
                 theme=theme, author=owner)
        for theme, after in zip(made, snapshots, strict=True)
    )  # fmt: skip
    for theme, after, decision in zip(made, snapshots, decisions, strict=True):
        trail.record(owner, "theme.create", theme, at=at, new=after)
        record_decision(trail, decision, at=at)
    return made


def later_decisions(trail: Trail, study, people: Cast, codes: list, made_themes: list,
                    agreed: list[tuple], count: int, rng: np.random.Generator) -> None:  # fmt: skip
    """`count` decisions of every other kind spread over the meetings (`agreed`: (meeting,
    position)); PROPOSED_SHARE of them proposals by an analyst that await an owner."""
    from analysis.deliberation.models import Decision, DecisionKind, DecisionState

    kinds = [
        k for k in DecisionKind if k not in (DecisionKind.CODE_CREATE, DecisionKind.THEME_CREATE)
    ]
    decisions, positions = [], []
    for n in range(count):
        meeting, at = agreed[n * len(agreed) // count]
        kind = kinds[n % len(kinds)]
        about_code = kind.startswith("code_")
        field = "definition" if about_code else "description"
        change = {
            "kind": kind, "before": {field: ""}, "after": {field: f"As agreed at {meeting.title}."},
            "code": codes[rng.integers(len(codes))] if about_code else None,
            "theme": None if about_code else made_themes[rng.integers(len(made_themes))],
        }  # fmt: skip
        if rng.random() < PROPOSED_SHARE:
            coder = people.coders[rng.integers(len(people.coders))]
            change |= {"state": DecisionState.PROPOSED, "author": coder,
                       "rationale": "Proposed while coding.", "proposal": change["after"]}  # fmt: skip
        else:
            change |= {"meeting": meeting, "author": people.owner}
        decisions.append(Decision(study=study, **change))
        positions.append(at)
    for decision, at in zip(Decision.objects.bulk_create(decisions), positions, strict=True):
        record_decision(trail, decision, at=at)


def code_choices(parents: list, children: list) -> tuple[np.ndarray, np.ndarray]:
    """The codes' ids and how likely each is to be applied (parents seldom)."""
    ids = np.array([code.pk for code in parents + children])
    weights = np.array(
        [PARENT_CODE_SHARE / len(parents)] * len(parents)
        + [(1 - PARENT_CODE_SHARE) / len(children)] * len(children)
    )
    return ids, weights / weights.sum()


def pick(rng: np.random.Generator, codes: tuple, count: int) -> np.ndarray:
    ids, weights = codes
    return rng.choice(ids, count, p=weights)


def blind_round(words: TurnWords, rng, count: int, coders: np.ndarray, codes) -> tuple:
    """Every coder codes the transcript: the first at random, the others following."""
    each = count // len(coders)
    turn, first, last = words.draw(rng, each)
    code = pick(rng, codes, each)
    firsts, lasts, applied = [first], [last], [code]
    for _ in coders[1:]:
        follower_first, follower_last, copied = words.follow(rng, turn, first, last)
        firsts.append(follower_first)
        lasts.append(follower_last)
        applied.append(np.where(copied, code, pick(rng, codes, each)))
    return (np.concatenate(firsts), np.concatenate(lasts), np.repeat(coders, each),
            np.concatenate(applied))  # fmt: skip


def shared_evenly(words: TurnWords, rng, count: int, coders: np.ndarray, codes) -> tuple:
    """The same number of spans by every coder, at random."""
    _, first, last = words.draw(rng, count)
    return (
        first,
        last,
        np.repeat(coders, count // len(coders)),
        pick(rng, codes, count),
    )


def at_random(words: TurnWords, rng, count: int, coders: np.ndarray, codes) -> tuple:
    _, first, last = words.draw(rng, count)
    return first, last, rng.choice(coders, count), pick(rng, codes, count)


@dataclass
class Layout:
    """Which transcripts (by position) are coded how: the first `closed` in round 1, the next
    `opened` in round 2 (the first of them is the coding page's big one), the rest outside
    sessions (the first of them the small one)."""

    transcripts: int
    closed: int
    opened: int
    codings: int

    @property
    def big(self) -> int:
        return self.closed

    @property
    def small(self) -> int:
        return self.closed + self.opened

    def how(self, index: int):
        """How the transcript at `index` is coded and by how many codings."""
        share, extra = divmod(
            self.codings - CODERS * CODINGS_PER_CODER - SMALL_CODINGS, self.transcripts - 2
        )
        if index == self.big:
            return shared_evenly, CODERS * CODINGS_PER_CODER
        if index == self.small:
            return at_random, SMALL_CODINGS
        others = index - (index > self.big) - (index > self.small)
        count = share + (others < extra)
        return (blind_round if index < self.closed else at_random), count


def plan_codings(texts: list[tuple], layout: Layout, sessions: list, people: Cast, codes, rng):
    """Every coding of the study, transcript by transcript, as columns."""
    coders = np.array([coder.pk for coder in people.coders])
    parts = []
    for index, (revision, words) in enumerate(texts):
        method, count = layout.how(index)
        first, last, coder, code = method(words, rng, count, coders, codes)
        start, end = words.offsets(first, last)
        session = (
            sessions[0].pk if index < layout.closed
            else sessions[1].pk if index < layout.small else 0
        )  # fmt: skip
        parts.append({
            "revision": np.full(len(start), revision.pk), "start": start, "end": end,
            "code": code, "coder": coder, "session": np.full(len(start), session),
        })  # fmt: skip
    codings = Codings.of(parts)
    codings.columns["id"] = reserve_ids("analysis_coding", len(codings))
    return codings


def copy_codings(study, codings: Codings) -> None:
    from dyads.postgres import copy_rows

    columns = [codings.columns[name].tolist() for name in Codings.EVENT]
    copy_rows(
        "analysis_coding",
        CODING_COLUMNS,
        (
            (pk, study.pk, revision, start, end, code, coder, session or None,
             event_time(sequence), False)
            for (pk, revision, start, end, code, coder, session), sequence in zip(
                zip(*columns, strict=True), codings.sequences.tolist(), strict=True
            )
        ),
    )  # fmt: skip


def stamp_rows(trail: Trail) -> None:
    """Give the rows made above the times of their audit events, as the services would."""
    from analysis.coding.models import Code, CodingSession
    from analysis.deliberation.models import Decision
    from interviews.models import TranscriptRevision

    by_action = defaultdict(dict)
    for (action, pk), sequence in trail.sequences.items():
        by_action[action][pk] = sequence
    backdate(Code, "created_at", by_action["code.create"])
    backdate(Decision, "created_at", by_action["decision.record"] | by_action["decision.propose"])
    backdate(CodingSession, "created_at", by_action["session.create"])
    backdate(CodingSession, "closed_at", by_action["session.close"])
    backdate(TranscriptRevision, "created_at", by_action["transcript.add_revision"])


def build(scale: float):
    """Build the study at `scale` (see the module's docstring); return it."""
    from django.db import connection, transaction

    from analysis.coding.models import SessionState

    rng = np.random.default_rng(SEED)
    trail = Trail()
    began = time.perf_counter()
    print(f"Building study '{SLUG}' at scale {scale:g}:", flush=True)
    with transaction.atomic():
        with part("users, study, participants, dyads, interviews"):
            people = cast()
            study = study_and_members(trail, people, scale)
            interviews = dyads_and_interviews(
                trail, study, people.owner, max(1, round(DYADS * scale)), rng
            )
        with part(f"{len(interviews)} transcripts with their turns"):
            texts = transcripts(trail, people.owner, interviews)
        layout = Layout(
            transcripts=len(texts),
            closed=max(2, round(CLOSED_SHARE * len(texts))),
            opened=max(2, round(OPEN_SHARE * len(texts))),
            codings=round(CODINGS * scale),
        )
        with part("codebook, sessions, meetings, themes and decisions"):
            parents, children = codebook(trail, study, people.owner)
            records = [revision.transcript for revision, _ in texts]
            sessions = coding_sessions(
                trail,
                study,
                people,
                records[: layout.closed],
                records[layout.closed : layout.small],
            )
            codings = plan_codings(
                texts, layout, sessions, people, code_choices(parents, children), rng
            )
            positions = [(n + 1) * len(codings) // (MEETINGS + 1) for n in range(MEETINGS)]
            held = meetings(trail, study, people, positions)
            made_themes = themes(trail, study, people.owner, children, held[0], positions[0])
            later_decisions(
                trail, study, people, parents + children, made_themes,
                list(zip(held, positions, strict=True)),
                DECISIONS - len(parents + children) - len(made_themes), rng,
            )  # fmt: skip
            closed_until = int(np.count_nonzero(codings.columns["session"] == sessions[0].pk))
            trail.record(
                people.owner, "session.close", sessions[0], at=closed_until,
                old={"state": SessionState.OPEN}, new={"state": SessionState.CLOSED},
            )  # fmt: skip
        with part(f"audit chain of {len(codings):,} codings and everything else"):
            build_chain(study, trail.events(codings))
        with part(f"{len(codings):,} codings copied"):
            copy_codings(study, codings)
            stamp_rows(trail)
        committing = time.perf_counter()
    print(f"  commit (the deferred foreign key checks): {time.perf_counter() - committing:.1f} s")
    with part("ANALYZE"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Built in {time.perf_counter() - began:.0f} s", flush=True)
    return study


def verify(study) -> None:
    """Check the study's audit chain with Duet's own audit_verify."""
    from dyads.audit import audit_verify

    began = time.perf_counter()
    report = audit_verify(study=study)
    if not report.intact:
        raise SystemExit(f"the audit chain is broken: {report}")
    print(
        f"audit_verify: the chain of {report.events_checked:,} events is intact "
        f"({time.perf_counter() - began:.1f} s)"
    )


def drop_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def large_study(scale: float = 1.0, rebuild: bool = False):
    """The study at `scale` in its own database, built (and verified) first if missing."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if rebuild:
        drop_database(url)
    prepare_database(url)
    from dyads.models import Study

    study = Study.objects.filter(slug=SLUG).first()
    if study is None:
        study = build(scale)
        verify(study)
    elif study.description != describe(scale):
        raise SystemExit(f"{url} holds '{study.description}' Pass --rebuild to build anew.")
    return study


@dataclass
class Landmarks:
    """What the benchmarks look for in the study."""

    closed: object  # round 1, the closed blind session
    opened: object  # round 2, the open session
    big: object  # the revision with 3 x 700 codings in round 2
    small: object  # the revision with 100 codings outside sessions
    spare: object  # another revision outside sessions, to add codings to


def landmarks(study) -> Landmarks:
    from django.db.models import F

    from analysis.coding.models import CodingSession
    from interviews.models import TranscriptRevision

    closed, opened = CodingSession.objects.filter(study=study).order_by("name")
    revisions = TranscriptRevision.objects.filter(
        transcript__interview__study=study, transcript__current_revision=F("pk")
    ).order_by("transcript__interview_id")
    small, spare = revisions.filter(transcript__coding_sessions=None)[:2]
    return Landmarks(
        closed, opened, revisions.filter(transcript__coding_sessions=opened).first(), small, spare
    )


def summary(study) -> str:
    from analysis.coding.models import Code, Coding
    from analysis.deliberation.models import Decision, MeetingRecord
    from dyads.models import AuditChainHead

    return (
        f"study '{study.slug}': {study.dyads.count()} dyads, {study.interviews.count()} "
        f"interviews, {Code.objects.filter(study=study).count()} codes, "
        f"{Coding.objects.filter(study=study).count():,} codings, "
        f"{MeetingRecord.objects.filter(study=study).count()} meetings, "
        f"{Decision.objects.filter(study=study).count():,} decisions, "
        f"{AuditChainHead.objects.get(study=study).sequence:,} audit events"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the dyads and codings")
    parser.add_argument("--rebuild", action="store_true", help="drop the database, build anew")
    arguments = parser.parse_args()
    print(summary(large_study(arguments.scale, arguments.rebuild)))


if __name__ == "__main__":
    main()
