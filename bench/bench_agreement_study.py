"""How fast is agreement through Duet's own code, from PostgreSQL to the figures?

Run with ``.venv/bin/python bench/bench_agreement_study.py [--rebuild]``.

It works in its own PostgreSQL database, BENCH_DATABASE_URL (default
``postgres://postgres@127.0.0.1:5432/duet_bench_h5``), created and migrated if
missing. The study is built once with bulk inserts (not timed) and kept:
100 transcripts of ~15,200 words (alternating ``I:``/``P:`` turns from an
8,000-word Zipf vocabulary, as in PERFORMANCE.md and bench_export.py), 20 codes,
and a closed blind coding session in which two coders made 500 codings each per
transcript (100,000 codings), spans of 5-40 words inside participant turns.
Most of the second coder's codings follow one of the first coder's with both
ends moved by up to three words; the rest are placed at random.

Timed, three runs each (best and median), with the owner as reader:

- the full service path of ``GET /api/v1/studies/{id}/agreement/?session=``:
  ``agreement_scope`` + ``agreement_report`` at the character level (target
  under 2 s: load the codings, texts' lengths and turns, build and tally the
  units, every coefficient per code, coder pair and transcript), then the same
  at the turn level, then the request itself in process (JSON included);
- the session's disagreements (``session_passages``), the study's consensus
  layer (``consensus_codings``) and the drift across rounds.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_agreement import (  # noqa: E402  (the same corpus, as codings in a database)
    CODES,
    CODINGS_PER_CODER,
    COPIED,
    JITTER_WORDS,
    RUNS,
    SPAN_WORDS,
    TRANSCRIPTS,
)
from bench_audit_verify import open_bench_study  # noqa: E402  (the same set-up)
from bench_export import Words, new_coding, transcript  # noqa: E402  (PERFORMANCE.md's texts)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duet_bench_h5"
SLUG = "bench-agreement"


def coder_spans(rng: np.random.Generator, text: str, turns) -> tuple[np.ndarray, np.ndarray]:
    """(code, start, end) rows for two coders, inside participant turns, at word boundaries."""
    starts = np.array([0] + [i + 1 for i, char in enumerate(text) if char == " "])
    ends = np.array([i for i, char in enumerate(text) if char in " ."] + [len(text)])
    words = np.searchsorted(ends, starts)  # each word start's end
    turn_of = np.zeros(len(starts), dtype=np.int64)
    participant = []
    for number, (speaker, start, end) in enumerate(turns):
        inside = (starts >= start) & (starts < end)
        turn_of[inside] = number
        if speaker == "P":
            participant.append(np.flatnonzero(inside))

    def place(first_words: np.ndarray, counts: np.ndarray, codes: np.ndarray) -> np.ndarray:
        rows = []
        for first, count, code in zip(first_words, counts, codes, strict=True):
            last = min(first + max(count, 1) - 1, len(starts) - 1)
            while turn_of[last] != turn_of[first]:  # stay inside the turn
                last -= 1
            end = ends[words[last]] if words[last] < len(ends) else len(text)
            if end > starts[first]:
                rows.append((code, starts[first], end))
        return np.array(rows, dtype=np.int64)

    chosen = [participant[i] for i in rng.integers(0, len(participant), CODINGS_PER_CODER)]
    first_a = np.array([turn[rng.integers(0, len(turn))] for turn in chosen])
    count_a = rng.integers(SPAN_WORDS[0], SPAN_WORDS[1] + 1, CODINGS_PER_CODER)
    code_a = rng.integers(0, CODES, CODINGS_PER_CODER)
    copied = rng.random(CODINGS_PER_CODER) < COPIED
    jitter = rng.integers(-JITTER_WORDS, JITTER_WORDS + 1, (2, CODINGS_PER_CODER))
    again = [participant[i] for i in rng.integers(0, len(participant), CODINGS_PER_CODER)]
    fresh = np.array([turn[rng.integers(0, len(turn))] for turn in again])
    first_b = np.clip(np.where(copied, first_a + jitter[0], fresh), 0, len(starts) - 1)
    first_b = np.where(turn_of[first_b] == turn_of[first_a], first_b, first_a)
    count_b = np.where(copied, count_a + jitter[1], rng.permutation(count_a))
    code_b = np.where(copied, code_a, rng.integers(0, CODES, CODINGS_PER_CODER))
    return place(first_a, count_a, code_a), place(first_b, count_b, code_b)


def build(slug: str, seed: int = 20240501) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from analysis.coding.models import Code, Coding, CodingSession, SessionMode, SessionState
    from dyads.models import Participant, Role, Study, StudyMembership
    from interviews.models import Interview, SpeakerTurn, Transcript, TranscriptRevision

    User = get_user_model()
    owner, _ = User.objects.get_or_create(username="bench-owner")
    coders = [User.objects.get_or_create(username=f"bench-coder{n}")[0] for n in (1, 2)]
    words, rng = Words(seed), np.random.default_rng(seed)
    with transaction.atomic():
        study = Study.objects.create(title=f"Benchmark {slug}", slug=slug)
        for user, role in [(owner, Role.OWNER), *((coder, Role.ANALYST) for coder in coders)]:
            StudyMembership.objects.create(study=study, user=user, role=role)
        codes = [
            Code.objects.create(study=study, name=f"Code {n}", position=n) for n in range(CODES)
        ]
        session = CodingSession.objects.create(
            study=study, name="Round 1", mode=SessionMode.BLIND, state=SessionState.CLOSED,
            created_by=owner, closed_at=timezone.now(),
        )  # fmt: skip
        session.coders.set(coders)
        for number in range(TRANSCRIPTS):
            client = Participant.objects.create(
                study=study, role="client", pseudonym=f"C{number:03d}"
            )
            interview = Interview.objects.create(
                study=study, participant=client, sequence_number=1, focus="therapy", timing="after"
            )
            text, turns = transcript(words)
            record = Transcript.objects.create(interview=interview)
            revision = TranscriptRevision.objects.create(
                transcript=record, number=1, text=text, checksum=f"{interview.pk:064d}",
                created_by=owner,
            )  # fmt: skip
            record.current_revision = revision
            record.save(update_fields=["current_revision"])
            session.transcripts.add(record)
            SpeakerTurn.objects.bulk_create(
                SpeakerTurn(revision=revision, index=i, speaker=s, role="interviewer" if s == "I" else "participant", start=a, end=b)
                for i, (s, a, b) in enumerate(turns)
            )  # fmt: skip
            for coder, rows in zip(coders, coder_spans(rng, text, turns), strict=True):
                Coding.objects.bulk_create(
                    (new_coding(study=study, revision=revision, start=int(a), end=int(b), code=codes[c], coder=coder, session=session)
                     for c, a, b in rows),
                    ignore_conflicts=True,
                )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"built {slug}: {TRANSCRIPTS} transcripts, {Coding.objects.filter(study=study).count():,} codings"
    )


def timed(label: str, run, target_s: float | None = None) -> float:
    """Wall time, and this process's CPU time (the shared machine's load inflates
    the first; the second leaves out PostgreSQL's own work). Returns the median (s)."""
    times, cpu, detail = [], [], ""
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        detail = run()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    verdict = ""
    if target_s is not None:
        verdict = f" (target < {target_s:g} s: {'meets' if min(times) < target_s else 'MISSES'})"
    print(
        f"{label}: best {min(times):.3f} s, median {statistics.median(times):.3f} s{verdict}, "
        f"CPU in Python {min(cpu):.3f} s" + (f"; {detail}" if detail else "")
    )
    return statistics.median(times)


def measure(study, owner, session) -> dict[str, float]:
    """Agreement, disagreements, consensus and drift of a closed session; medians (s)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from analysis.agreement.selectors.consensus import consensus_codings
    from analysis.agreement.selectors.disagreements import session_passages
    from analysis.agreement.selectors.reports import agreement_drift, agreement_report
    from analysis.agreement.selectors.scope import agreement_scope
    from dyads.models import Role

    def report(unit: str):
        def run() -> str:
            scope = agreement_scope(
                user=owner, role=Role.OWNER, study=study, session=session.pk, unit=unit
            )
            with CaptureQueriesContext(connection) as queries:
                result = agreement_report(user=owner, scope=scope)
            alphas = [row.coefficients.krippendorff_alpha for row in result.codes]
            return (
                f"{len(queries)} queries, alpha overall {result.overall.krippendorff_alpha:.3f}, "
                f"per code {min(alphas):.3f}–{max(alphas):.3f}, "
                f"{result.overall.units:,.0f} pairable code × unit values"
            )

        return run

    figures = {
        "character": timed(
            "agreement, character units (scope + report)", report("character"), target_s=2
        ),
        "turn": timed("agreement, turn units (scope + report)", report("turn")),
    }
    client = APIClient()
    client.force_authenticate(owner)
    api = f"/api/v1/studies/{study.pk}/agreement/?session={session.pk}"
    figures["api"] = timed(
        "GET /api/v1/studies/{id}/agreement/?session= in process",
        lambda: f"{len(client.get(api).content):,} bytes of JSON",
        target_s=2,
    )
    figures["disagreements"] = timed(
        "disagreements of the session (session_passages)",
        lambda: f"{len(session_passages(session=session).disagreements):,} disagreements",
    )
    figures["consensus"] = timed(
        "the study's consensus layer (consensus_codings)",
        lambda: f"{len(consensus_codings(study=study)):,} spans",
    )
    timed(
        "drift across rounds (agreement_drift, character units)",
        lambda: f"{len(agreement_drift(study=study).points)} round(s)",
    )
    return figures


def main() -> None:
    description = __doc__.split("\n", 1)[0]
    study = open_bench_study(description, DEFAULT_URL, SLUG, lambda: build(SLUG))

    from django.db.models import Sum
    from django.db.models.functions import Length

    from analysis.coding.models import Coding, CodingSession
    from interviews.models import TranscriptRevision

    owner = study.memberships.get(role="owner").user
    session = CodingSession.objects.get(study=study)
    code_points = TranscriptRevision.objects.filter(transcript__interview__study=study).aggregate(
        n=Sum(Length("text"))
    )["n"]
    print(
        f"study: {TRANSCRIPTS} transcripts, {code_points:,} code points, "
        f"{Coding.objects.filter(study=study).count():,} codings by 2 coders in one closed session, "
        f"{CODES} codes"
    )

    measure(study, owner, session)


if __name__ == "__main__":
    main()
