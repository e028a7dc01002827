"""How fast is the dyad × constituent matrix page on a large study?

Run with ``.venv/bin/python bench/bench_matrix.py`` (PostgreSQL must be running).

The study, made once by bulk insert in its own database (``duet_bench_h7``, created
and migrated if missing; ``BENCH_DATABASE_URL`` overrides): 50 dyads, each therapist with 4
interviews and each client with 2 (300 transcripts of about 6,000 code points),
100 codes, 4 overarching themes with 20 constituents of 5 codes each, and
200,000 codings by two coders outside any session, spread over every interview
and code. A later run finds the study and reuses it.

Timed through Django's test client (server time: view, queries and template, no
network), the first request and the median of the RUNS after it: the matrix
page counting every coder's codings (one GROUP BY revision and theme), the same
through the API, and the page counting the consensus layer (computed in Python
by analysis.agreement.selectors.consensus, then cached until the study's audit chain moves
on: the first request pays for it). The load average and the time the database
takes to read every coding once are printed first: the machine is shared.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_audit_verify import prepare_database  # noqa: E402  (the same database set-up)
from bench_export import new_coding  # noqa: E402  (codings as the service makes them)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duet_bench_h7"

DYADS = 50
THEMES = 4
CONSTITUENTS_PER_THEME = 5
CODES_PER_CONSTITUENT = 5
CODINGS = 200_000
TEXT_WORDS = 1_000
RUNS = 7
SLUG = "bench-matrix"


def build() -> None:
    """The study, written by bulk insert (no services, no audit: this is a fixture)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from analysis.coding.models import Code, Coding
    from analysis.themes.models import Theme, ThemeLevel
    from dyads.models import Dyad, Participant, Role, Study, StudyMembership
    from interviews.models import Interview, SpeakerTurn, Transcript, TranscriptRevision

    rng = random.Random(7)
    words = [f"w{n}" for n in range(2_000)]
    User = get_user_model()
    with transaction.atomic():
        coders = [User.objects.get_or_create(username=f"bench-coder{n}")[0] for n in (1, 2)]
        owner = User.objects.get_or_create(username="bench-owner")[0]
        study = Study.objects.create(title="Matrix benchmark", slug=SLUG)
        StudyMembership.objects.create(study=study, user=owner, role=Role.OWNER)
        for coder in coders:
            StudyMembership.objects.create(study=study, user=coder, role=Role.ANALYST)
        participants = Participant.objects.bulk_create(
            Participant(
                study=study,
                role=role,
                pseudonym=f"{role[0].upper()}{n:03d}",
                gender=rng.choice(["female", "male"]),
                age=rng.randrange(25, 65),
                theoretical_orientation=rng.choice(["psychodynamic", "integrative", "CBT"]),
            )
            for n in range(DYADS)
            for role in ("therapist", "client")
        )
        dyads = Dyad.objects.bulk_create(
            Dyad(study=study, label=f"Dyad {n + 1:02d}", therapist=t, client=c)
            for n, (t, c) in enumerate(zip(participants[::2], participants[1::2], strict=True))
        )
        interviews = Interview.objects.bulk_create(
            Interview(
                study=study,
                participant=participant,
                dyad=dyad,
                sequence_number=number,
                focus="therapy",
                timing="during",
            )
            for dyad in dyads
            for participant, count in ((dyad.therapist, 4), (dyad.client, 2))
            for number in range(1, count + 1)
        )
        transcripts = Transcript.objects.bulk_create(Transcript(interview=i) for i in interviews)
        revisions = TranscriptRevision.objects.bulk_create(
            TranscriptRevision(
                transcript=transcript,
                number=1,
                text=" ".join(rng.choice(words) for _ in range(TEXT_WORDS)),
                checksum=f"{transcript.pk:064d}",
                created_by=owner,
            )
            for transcript in transcripts
        )
        for transcript, revision in zip(transcripts, revisions, strict=True):
            transcript.current_revision = revision
        Transcript.objects.bulk_update(transcripts, ["current_revision"])
        SpeakerTurn.objects.bulk_create(
            SpeakerTurn(revision=r, index=0, role="participant", start=0, end=len(r.text))
            for r in revisions
        )
        codes = Code.objects.bulk_create(
            Code(study=study, name=f"Code {n:03d}")
            for n in range(THEMES * CONSTITUENTS_PER_THEME * CODES_PER_CONSTITUENT)
        )
        for t in range(THEMES):
            theme = Theme.objects.create(
                study=study, name=f"Theme {t + 1}", level=ThemeLevel.OVERARCHING, position=t
            )
            for c in range(CONSTITUENTS_PER_THEME):
                constituent = Theme.objects.create(
                    study=study,
                    parent=theme,
                    name=f"Constituent {t + 1}.{c + 1}",
                    level=ThemeLevel.CONSTITUENT,
                    position=c,
                )
                first = (t * CONSTITUENTS_PER_THEME + c) * CODES_PER_CONSTITUENT
                constituent.codes.set(codes[first : first + CODES_PER_CONSTITUENT])
        batch = []
        for n in range(CODINGS):
            revision = revisions[n % len(revisions)]
            start = rng.randrange(0, len(revision.text) - 200)
            batch.append(
                new_coding(
                    study=study,
                    revision=revision,
                    start=start,
                    end=start + rng.randrange(20, 200),
                    code=rng.choice(codes),
                    coder=coders[n % 2],
                )
            )
            if len(batch) == 20_000:
                Coding.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        Coding.objects.bulk_create(batch, ignore_conflicts=True)


def timed(get, url: str) -> tuple[float, float, float, int]:
    """The first request's wall time, then the median wall time and the median CPU time of
    this process (view and template, not PostgreSQL) of the RUNS after it (ms), and the
    status."""
    walls, cpus = [], []
    for _ in range(RUNS + 1):
        start, cpu = time.perf_counter(), time.process_time()
        response = get(url)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    median = statistics.median
    return walls[0] * 1000, median(walls[1:]) * 1000, median(cpus[1:]) * 1000, response.status_code


def scan_floor() -> float:
    """How long the database takes to read every coding once: this machine's speed now."""
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for _ in range(RUNS):
            start = time.perf_counter()
            cursor.execute("SELECT sum(start) FROM analysis_coding")
            cursor.fetchall()
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(study) -> dict[str, tuple[float, float]]:
    """Time the matrix page and API; (first, median) in ms per label."""
    from django.core.cache import cache
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(study.memberships.get(role="owner").user)
    cache.clear()
    client.get(f"/studies/{study.slug}/")  # the first request of a process loads every URL module
    figures = {}
    for label, url in (
        ("matrix page, all coders", f"/studies/{study.slug}/matrix/?source=all"),
        ("matrix API, all coders", f"/api/v1/studies/{study.pk}/matrix/?source=all"),
        ("matrix page, consensus layer", f"/studies/{study.slug}/matrix/"),
    ):
        first, median, cpu, status = timed(client.get, url)
        figures[label] = (first, median)
        print(
            f"{label:<30} first {first:7.1f} ms, then median {median:7.1f} ms "
            f"(Python CPU {cpu:5.1f} ms) over {RUNS} runs (HTTP {status})"
        )
    label = "matrix page, consensus layer, after a coding"
    walls = after_a_coding(study, lambda: client.get(f"/studies/{study.slug}/matrix/"))
    figures[label] = (walls[0], statistics.median(walls))
    print(f"{label:<30} first {walls[0]:7.1f} ms, median {figures[label][1]:7.1f} ms over {RUNS}")
    return figures


def after_a_coding(study, get) -> list[float]:
    """The consensus matrix's time right after each of RUNS new codings outside sessions
    (ms): every write moves the study's audit chain on, and the cached layer with it."""
    from analysis.coding.models import Coding
    from analysis.coding.services.codings import coding_create, coding_delete

    owner = study.memberships.get(role="owner").user
    code = study.codes.filter(retired_at__isnull=True).first()
    coding = Coding.objects.filter(
        study=study, session__isnull=True, deleted_at__isnull=True
    ).first()
    walls = []
    for _ in range(RUNS):
        added = coding_create(
            actor=owner, revision=coding.revision, start=coding.start, end=coding.end, code=code
        )
        start = time.perf_counter()
        get()
        walls.append((time.perf_counter() - start) * 1000)
        coding_delete(actor=owner, coding=added)  # the study's codings stay as they were
    return walls


def main() -> None:
    prepare_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    from django.db import connection

    from analysis.coding.models import Coding
    from analysis.themes.models import Theme, ThemeLevel
    from dyads.models import Dyad, Study

    study = Study.objects.filter(slug=SLUG).first()
    if study is None:
        start = time.perf_counter()
        build()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh tables have no statistics for the planner
        study = Study.objects.get(slug=SLUG)
        print(f"built the study in {time.perf_counter() - start:.0f} s")
    counts = (
        Dyad.objects.filter(study=study).count(),
        Theme.objects.filter(study=study, level=ThemeLevel.CONSTITUENT).count(),
        Coding.objects.filter(study=study).count(),
    )
    print(f"study: {counts[0]} dyads × {counts[1]} constituents, {counts[2]:,} codings")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"reading all codings once takes {scan_floor():.0f} ms")  # fmt: skip
    measure(study)


if __name__ == "__main__":
    main()
