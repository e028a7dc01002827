"""How fast does Duet's API create codings, alone and with ten clients at once?

Run with ``.venv/bin/python bench/bench_coding_api.py [--fill N] [--rebuild]``.

It works in its own PostgreSQL database, BENCH_DATABASE_URL (default
``postgres://postgres@127.0.0.1:5432/duet_bench_h4a``), created and migrated if
missing. Built once and kept between runs (``--rebuild`` makes it anew):

- study ``bench-coding``: one transcript of ~15,200 words (alternating ``I:``/``P:``
  turns from an 8,000-word Zipf vocabulary, PERFORMANCE.md's workload), 20 codes,
  three coders with 700 codings each, made through ``coding_create`` (audited);
- ``--fill N`` (default 1,000,000): filler codings bulk-inserted into a second
  study until the database holds N codings, so that the indexes are those of a
  large installation. Filler rows have no audit events; they only weigh.

Then gunicorn serves Duet on a free loopback port, the way docker-compose runs
it (3 sync workers, DEBUG off), and a driver in this process sends
``POST /api/v1/codings/`` with token auth over keep-alive connections, spans of
5-40 words inside participant turns:

- one client, 500 codings in sequence: p50 and p95 latency (target p95 <= 20 ms);
- the same through Django's test client in process (wall and Python CPU per request);
- ten clients at once, 300 codings each: throughput (target >= 270 per s),
  p95 (<= 60 ms), errors (0) and lost codings (0: every 201 is a row).

Latency is measured by the client, so it includes the loopback round trip.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_audit_verify import ensure_study, prepare_database  # noqa: E402  (the same set-up)
from bench_export import Words, new_coding, spans, transcript  # noqa: E402  (the same workload)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duet_bench_h4a"
SLUG = "bench-coding"
CODERS = 3
CODINGS_PER_CODER = 700
SINGLE = 500
CLIENTS = 10
PER_CLIENT = 300
IN_PROCESS = 200
FILL_BATCH = 20_000


def _study_with_transcript(slug: str, owner, coders, words: Words, transcripts: int = 1):
    """A study with `transcripts` generated transcripts (turns included) and 20 codes."""
    from analysis.coding.models import Code
    from dyads.models import Dyad, Participant, Role, Study, StudyMembership
    from interviews.models import Interview, SpeakerTurn, Transcript, TranscriptRevision

    study = Study.objects.create(title=f"Benchmark {slug}", slug=slug)
    for user, role in [(owner, Role.OWNER), *((coder, Role.ANALYST) for coder in coders)]:
        StudyMembership.objects.create(study=study, user=user, role=role)
    codes = [Code.objects.create(study=study, name=f"Code {n}", position=n) for n in range(20)]
    revisions = []
    for number in range(transcripts):
        therapist = Participant.objects.create(
            study=study, role="therapist", pseudonym=f"T{number}"
        )
        client = Participant.objects.create(study=study, role="client", pseudonym=f"C{number}")
        dyad = Dyad.objects.create(
            study=study, label=f"Dyad {number}", therapist=therapist, client=client
        )
        interview = Interview.objects.create(
            study=study,
            participant=client,
            dyad=dyad,
            sequence_number=1,
            focus="therapy",
            timing="after",
        )
        text, turns = transcript(words)
        record = Transcript.objects.create(interview=interview)
        revision = TranscriptRevision.objects.create(
            transcript=record,
            number=1,
            text=text,
            checksum=f"{slug}{number}".ljust(64, "0"),
            created_by=owner,
        )
        record.current_revision = revision
        record.save(update_fields=["current_revision"])
        SpeakerTurn.objects.bulk_create(
            SpeakerTurn(
                revision=revision,
                index=i,
                speaker=s,
                role="interviewer" if s == "I" else "participant",
                start=a,
                end=b,
            )
            for i, (s, a, b) in enumerate(turns)
        )
        revisions.append((revision, turns))
    return study, codes, revisions  # fmt: skip


def build(rng: random.Random) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from analysis.coding.services.codings import coding_create

    User = get_user_model()
    owner, _ = User.objects.get_or_create(username="bench-owner")
    coders = [User.objects.get_or_create(username=f"bench-coder{n}")[0] for n in range(CODERS)]
    for coder in coders:
        Token.objects.get_or_create(user=coder)
    with transaction.atomic():
        _, codes, [(revision, turns)] = _study_with_transcript(SLUG, owner, coders, Words(4))
    started = time.perf_counter()
    for coder in coders:
        for start, end in spans(rng, revision.text, turns, CODINGS_PER_CODER):
            coding_create(
                actor=coder, revision=revision, start=start, end=end, code=rng.choice(codes)
            )
    print(
        f"built {SLUG}: 1 transcript of {len(revision.text):,} code points, {len(turns)} turns, "
        f"{CODERS} coders x {CODINGS_PER_CODER} codings through coding_create "
        f"({time.perf_counter() - started:.1f} s)"
    )


def fill(target: int, rng: random.Random) -> None:
    """Bulk-insert filler codings into a second study until the database holds `target`."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from analysis.coding.models import Coding
    from dyads.models import Study
    from interviews.models import TranscriptRevision

    missing = target - Coding.objects.count()
    if missing <= 0:
        return
    owner = get_user_model().objects.get(username="bench-owner")
    study = Study.objects.filter(slug="bench-filler").first()
    if study is None:
        with transaction.atomic():
            _study_with_transcript("bench-filler", owner, [], Words(5), transcripts=20)
        study = Study.objects.get(slug="bench-filler")
    codes = list(study.codes.all())
    revisions = [
        (revision, list(revision.turns.values_list("speaker", "start", "end")))
        for revision in TranscriptRevision.objects.filter(transcript__interview__study=study)
    ]
    started = time.perf_counter()
    while missing > 0:
        batch = min(missing, FILL_BATCH)
        revision, turns = rng.choice(revisions)
        Coding.objects.bulk_create(
            (new_coding(study=study, revision=revision, start=a, end=b, code=rng.choice(codes), coder=owner)
             for a, b in spans(rng, revision.text, turns, batch)),
            ignore_conflicts=True,
        )  # fmt: skip
        missing -= batch
    print(f"filled to {target:,} codings in {time.perf_counter() - started:.0f} s")


def in_process(token: str, bodies: list[dict]) -> None:
    """The same POSTs through Django's test client: the server's own wall and CPU time."""
    from django.conf import settings
    from rest_framework.test import APIClient

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    walls, cpus = [], []
    for body in bodies:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.post("/api/v1/codings/", body, format="json")
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
        assert response.status_code == 201, response.content
    print(
        f"POST /api/v1/codings/ in process, {len(bodies)} codings: wall p50 "
        f"{percentile(walls, 0.5) * 1000:.1f} ms, p95 {percentile(walls, 0.95) * 1000:.1f} ms; "
        f"Python CPU p50 {percentile(cpus, 0.5) * 1000:.1f} ms; load average {os.getloadavg()[0]:.1f}"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(port: int, workers: int = 3, source: Path = ROOT) -> subprocess.Popen:
    """gunicorn the way docker-compose runs it, with `workers` sync workers, serving the
    code in `source` (another checkout, to compare before and after in one run)."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
        "PYTHONPATH": str(source),
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "config/gunicorn.py", "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        cwd=source, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(600):  # the master loads Django before it listens: slow on a loaded machine
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def post_all(port: int, token: str, bodies: list[dict], latencies: list, statuses: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    for body in bodies:
        started = time.perf_counter()
        connection.request("POST", "/api/v1/codings/", json.dumps(body), headers)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        statuses.append(response.status)
    connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def one_client(port: int, token: str, bodies: list[dict]) -> dict:
    """POST `bodies` in sequence; p50 and p95 latency (s)."""
    from analysis.coding.models import Coding

    before = Coding.objects.count()
    latencies, statuses = [], []
    post_all(port, token, bodies, latencies, statuses)
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    print(
        f"POST /api/v1/codings/, 1 client, {len(bodies)} codings, {before:,} codings in the "
        f"database: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (target p95 <= 20 ms: "
        f"{'meets' if p95 <= 0.020 else 'MISSES'}); errors {sum(s != 201 for s in statuses)}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return {"p50": p50, "p95": p95}


def cpu_seconds(server: subprocess.Popen) -> dict[str, float]:
    """CPU seconds so far of the web server (gunicorn and its workers), of PostgreSQL's
    processes and of this one (the load driver)."""
    import psutil
    from bench_import import cpu_seconds_of

    web = psutil.Process(server.pid)
    postgres = (p for p in psutil.process_iter(["username"]) if p.info["username"] == "postgres")
    return {
        "web": cpu_seconds_of([web, *web.children(recursive=True)]),
        "PostgreSQL": cpu_seconds_of(postgres),
        "load driver": time.process_time(),
    }


def run_together(threads: list[threading.Thread]) -> float:
    """Start every thread, wait for all of them; the seconds that took."""
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def many_clients(
    port: int, tokens: list[str], work: list[list[dict]], server: subprocess.Popen
) -> dict:
    """One client a list of bodies, all at once; rate (per s), p95 (s), errors, lost codings,
    and where the CPU went, per coding."""
    from analysis.coding.models import Coding

    before = Coding.objects.count()
    cpu_before = cpu_seconds(server)
    latencies, statuses = [], []
    threads = [
        threading.Thread(
            target=post_all, args=(port, tokens[n % len(tokens)], bodies, latencies, statuses)
        )
        for n, bodies in enumerate(work)
    ]
    elapsed = run_together(threads)
    spent = {
        part: (seconds - cpu_before[part]) * 1000 / len(statuses)
        for part, seconds in cpu_seconds(server).items()
    }
    created = sum(s == 201 for s in statuses)
    lost = created - (Coding.objects.count() - before)
    rate, p95 = len(statuses) / elapsed, percentile(latencies, 0.95)
    verdict = "meets" if rate >= 270 and p95 <= 0.060 and created == len(statuses) else "MISSES"
    print(
        f"POST /api/v1/codings/, {len(work)} clients x {len(work[0])}: {rate:.0f} codings/s, "
        f"p50 {percentile(latencies, 0.5) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"errors {len(statuses) - created}, lost {lost} "
        f"(target >= 270/s, p95 <= 60 ms, 0 errors, 0 lost: {verdict}); "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print("  CPU per coding: " + ", ".join(f"{part} {ms:.1f} ms" for part, ms in spent.items()))
    return {"rate": rate, "p95_many": p95, "errors": len(statuses) - created, "lost": lost}


def measure(revision, codes: list[int], tokens: list[str], rng: random.Random) -> dict:
    """POST codings on `revision` in process, then through gunicorn from one and ten clients."""
    turns = list(revision.turns.values_list("speaker", "start", "end"))

    def bodies(count: int) -> list[dict]:
        return [
            {"revision": revision.pk, "start": a, "end": b, "code": rng.choice(codes)}
            for a, b in spans(rng, revision.text, turns, count)
        ]

    in_process(tokens[0], bodies(IN_PROCESS))
    port = free_port()
    server = serve(port)
    try:
        post_all(port, tokens[0], bodies(20), [], [])  # warm up every worker
        figures = one_client(port, tokens[0], bodies(SINGLE))
        work = [bodies(PER_CLIENT) for _ in range(CLIENTS)]
        return figures | many_clients(port, tokens, work, server)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--fill", type=int, default=1_000_000, help="codings in the database")
    parser.add_argument("--rebuild", action="store_true")
    arguments = parser.parse_args()
    prepare_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))

    from rest_framework.authtoken.models import Token

    from analysis.coding.models import Code, Coding

    rng = random.Random(4)
    study = ensure_study(SLUG, lambda: build(rng), arguments.rebuild)
    fill(arguments.fill, rng)
    revision = study.interviews.get().transcript.current_revision
    codes = list(Code.objects.filter(study=study).values_list("pk", flat=True))
    tokens = list(
        Token.objects.filter(user__username__startswith="bench-coder").values_list("key", flat=True)
    )

    measure(revision, codes, tokens, rng)
    print(f"codings in the database now: {Coding.objects.count():,}")


if __name__ == "__main__":
    main()
