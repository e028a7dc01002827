"""How long do Duet's exports take on a large study?

Run with ``.venv/bin/python bench/bench_export.py [--rebuild]``.

It works in its own PostgreSQL database, BENCH_DATABASE_URL (default
``postgres://postgres@127.0.0.1:5432/duet_bench_h8``), created and migrated if
missing. Two studies are generated with bulk inserts (not timed) and kept
between runs (``--rebuild`` makes them anew):

- ``bench-qdpx``: 600 transcripts of ~15,200 words (alternating ``I:``/``P:``
  turns from an 8,000-word Zipf vocabulary, as in PERFORMANCE.md), 20 codes and
  200,000 codings of 5-40 words inside one turn, by two coders;
- ``bench-segments``: PERFORMANCE.md's workload, 100 such transcripts with 100
  codings each (10,000 codings).

Timed (three runs each, best and median): the .qdpx export of ``bench-qdpx``
(target < 30 s), and the CSV (target <= 0.3 s) and XLSX (<= 1 s) export of the
10,000 codings of ``bench-segments``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from functools import partial
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_audit_verify import ensure_study, prepare_database  # noqa: E402  (the same set-up)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duet_bench_h8"
RUNS = 3
WORDS = 15_200
VOCABULARY = 8_000


class Words:
    """Zipf-like words from a fixed vocabulary, seeded."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.vocabulary = [f"w{index:04d}" for index in range(VOCABULARY)]
        self.weights = list(accumulate(1 / (rank + 1) for rank in range(VOCABULARY)))

    def take(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.weights, k=count)


def transcript(words: Words) -> tuple[str, list[tuple[str, int, int]]]:
    """A text of alternating interviewer and participant turns, with the turns' spans."""
    parts, turns, length, count, speaker = [], [], 0, 0, "I"
    while count < WORDS:
        size = words.rng.randint(8, 60) if speaker == "I" else words.rng.randint(30, 200)
        line = f"{speaker}: {' '.join(words.take(size))}.\n\n"
        turns.append((speaker, length, length + len(line) - 2))
        parts.append(line)
        length += len(line)
        count += size
        speaker = "P" if speaker == "I" else "I"
    return "".join(parts), turns


def new_coding(**fields):
    """A Coding as `coding_create` makes it: coded as its code. Random spans may repeat,
    so benchmarks insert with ``ignore_conflicts`` (one live coding per coder, code, span)."""
    from analysis.coding.models import Coding

    return Coding(coded_as=fields["code"], **fields)


def spans(rng: random.Random, text: str, turns, count: int) -> list[tuple[int, int]]:
    """`count` spans of 5-40 words, each inside one participant turn."""
    participant = [(start, end) for speaker, start, end in turns if speaker == "P"]
    found = []
    for _ in range(count):
        start, end = rng.choice(participant)
        words = [i + 1 for i in range(start, end) if text[i] == " "]
        first = rng.randrange(0, max(len(words) - 5, 1))
        last = min(first + rng.randint(5, 40), len(words) - 1)
        found.append((words[first], words[last] - 1))
    return found


def build(slug: str, transcripts: int, codings_each: int, seed: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from analysis.coding.models import Code, Coding
    from dyads.models import Dyad, Participant, Role, Study, StudyMembership
    from interviews.models import Interview, SpeakerTurn, Transcript, TranscriptRevision
    from interviews.services.search_documents import search_documents_fill

    User = get_user_model()
    owner, _ = User.objects.get_or_create(username="bench-owner")
    coders = [User.objects.get_or_create(username=f"bench-coder{n}")[0] for n in (1, 2)]
    words, rng = Words(seed), random.Random(seed)
    with transaction.atomic():
        study = Study.objects.create(title=f"Benchmark {slug}", slug=slug)
        for user, role in [(owner, Role.OWNER), *((coder, Role.ANALYST) for coder in coders)]:
            StudyMembership.objects.create(study=study, user=user, role=role)
        parents = [Code.objects.create(study=study, name=f"Area {n}", position=n) for n in range(4)]
        codes = parents + [
            Code.objects.create(study=study, name=f"Code {n}", parent=parents[n % 4], position=n)
            for n in range(16)
        ]
        for dyad_number in range(transcripts // 4):
            therapist = Participant.objects.create(
                study=study, role="therapist", pseudonym=f"T{dyad_number:03d}"
            )
            client = Participant.objects.create(
                study=study, role="client", pseudonym=f"C{dyad_number:03d}"
            )
            dyad = Dyad.objects.create(
                study=study, label=f"Dyad {dyad_number:03d}", therapist=therapist, client=client
            )
            for participant in (therapist, client):
                for number in (1, 2):
                    interview = Interview.objects.create(
                        study=study, participant=participant, dyad=dyad, sequence_number=number,
                        focus="therapy", timing="after",
                    )  # fmt: skip
                    text, turns = transcript(words)
                    record = Transcript.objects.create(interview=interview)
                    revision = TranscriptRevision.objects.create(
                        transcript=record,
                        number=1,
                        text=text,
                        checksum=f"{interview.pk:064d}",
                        created_by=owner,
                    )
                    record.current_revision = revision
                    record.save(update_fields=["current_revision"])
                    SpeakerTurn.objects.bulk_create(
                        SpeakerTurn(revision=revision, index=i, speaker=s, role="interviewer" if s == "I" else "participant", start=a, end=b)
                        for i, (s, a, b) in enumerate(turns)
                    )  # fmt: skip
                    Coding.objects.bulk_create(
                        (new_coding(study=study, revision=revision, start=a, end=b, code=rng.choice(codes), coder=rng.choice(coders))
                         for a, b in spans(rng, text, turns, codings_each)),
                        ignore_conflicts=True,
                    )  # fmt: skip
    search_documents_fill()  # as the worker would after each import
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a real database
    print(f"built {slug}: {transcripts} transcripts, {transcripts * codings_each} codings")


def timed(label: str, target: float, run, runs: int) -> tuple[float, str]:
    """Wall time, and this process's CPU time (the machine may be shared and busy).

    Returns the median (s) and what the last run said it wrote."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        detail = run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    verdict = "meets" if min(times) <= target else "MISSES"
    print(
        f"{label}: best {min(times):.2f} s, median {statistics.median(times):.2f} s, "
        f"Python CPU {min(cpu):.2f} s (target {target} s: {verdict}); {detail}"
    )
    return statistics.median(times), detail


def export_qdpx(study, owner) -> str:
    from analysis.exchange.qdpx_export import write_qdpx

    with tempfile.TemporaryFile() as out:
        summary = write_qdpx(study=study, actor=owner, out=out)
        size = out.tell()
    return f"{summary.sources} sources, {summary.selections:,} codings, {size / 1e6:.0f} MB"


def export_csv(study, owner) -> str:
    from analysis.exchange.segments import write_csv

    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as out:
        rows = write_csv(actor=owner, study=study, out=out)
        size = out.tell()
    return f"{rows:,} rows, {size / 1e6:.1f} MB"


def export_xlsx(study, owner) -> str:
    from analysis.exchange.segments import write_xlsx

    with tempfile.TemporaryFile() as out:
        rows = write_xlsx(actor=owner, study=study, out=out)
        size = out.tell()
    return f"{rows:,} rows, {size / 1e6:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=RUNS)
    arguments = parser.parse_args()
    prepare_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))

    big, small = (
        ensure_study(slug, partial(build, slug, transcripts, codings_each, seed), arguments.rebuild)
        for slug, transcripts, codings_each, seed in (
            ("bench-qdpx", 600, 334, 1),
            ("bench-segments", 100, 100, 2),
        )
    )
    owner = big.memberships.get(role="owner").user

    timed(
        "export .qdpx, 600 transcripts / 200,000 codings",
        30,
        lambda: export_qdpx(big, owner),
        arguments.runs,
    )
    timed("export CSV, 10,000 codings", 0.3, lambda: export_csv(small, owner), arguments.runs)
    timed("export XLSX, 10,000 codings", 1.0, lambda: export_xlsx(small, owner), arguments.runs)


if __name__ == "__main__":
    main()
