"""Fifty analysts coding and browsing at once: a bounded load test on loopback.

Load test
---------
Run with ``.venv/bin/python bench/load_test.py [--seconds 60] [--analysts 50]
[--workers N] [--rebuild] [--source DIR]``. It works in its own PostgreSQL database,
BENCH_DATABASE_URL (default ``postgres://postgres@127.0.0.1:5432/duet_bench_load``),
created and migrated if missing, and builds once (``--rebuild`` makes it anew)
study ``bench-load``: ten generated transcripts of ~15,200 words with their turns
(PERFORMANCE.md's workload), 20 codes and 50 analysts with API tokens. Codings
accumulate from run to run, as they would in a study being coded.

gunicorn serves Duet on a free loopback port with ``--workers`` sync workers
(default GUNICORN_WORKERS, else WEB_CONCURRENCY as in docker-compose, else 3),
DEBUG off (``--source``: the code of another checkout, e.g. ``git archive`` of an
earlier commit, to compare before and after in one run). Each simulated analyst is a thread with its own keep-alive
connection and token, coding one transcript; until ``--seconds`` have passed it
sends, without pause:

- 65 %: ``POST /api/v1/codings/``, a span of 5-40 words inside a participant turn,
  a random code;
- 10 %: ``GET /api/v1/revisions/{id}/changes/?after=`` (the coding page's poll);
- 7 %: ``GET /api/v1/revisions/{id}/codings/`` (the coding page's first load);
- 8 %: ``GET /api/v1/codes/{id}/excerpts/`` (one code's excerpts across the study);
- 10 %: ``DELETE /api/v1/codings/{id}/`` of one of its own codings.

It prints requests per second, p50/p95 latency per kind of request (measured by
the client, loopback round trip included), the error count (any status outside
2xx/3xx, or an exception) and whether a coding was lost: every coding answered
201 and not deleted must be a live row, every one answered 204 to its DELETE
must be gone. It exits 1 if there was an error or a lost coding.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The study, the free port, the warm-up driver and the percentiles are bench_coding_api's.
from bench_audit_verify import prepare_database  # noqa: E402
from bench_coding_api import (  # noqa: E402
    _study_with_transcript,
    free_port,
    percentile,
    post_all,
    run_together,
    serve,
)
from bench_export import Words, spans  # noqa: E402
from bench_import import MemoryWatch  # noqa: E402  (the same sampler)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duet_bench_load"
SLUG = "bench-load"
TRANSCRIPTS = 10
SPANS_PER_TRANSCRIPT = 2_000
KINDS = {  # kind of request -> its share of an analyst's requests
    "POST coding": 0.65,
    "GET changes": 0.10,
    "GET codings": 0.07,
    "GET excerpts": 0.08,
    "DELETE coding": 0.10,
}


def default_workers() -> int:
    return int(os.environ.get("GUNICORN_WORKERS") or os.environ.get("WEB_CONCURRENCY") or 3)


def build(analysts: int) -> None:
    """The study, its transcripts and codes, and `analysts` analysts with tokens."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    started = time.perf_counter()
    User = get_user_model()
    owner, _ = User.objects.get_or_create(username="load-owner")
    coders = [User.objects.get_or_create(username=f"load-analyst{n}")[0] for n in range(analysts)]
    for coder in coders:
        Token.objects.get_or_create(user=coder)
    with transaction.atomic():
        _study_with_transcript(SLUG, owner, coders, Words(10), transcripts=TRANSCRIPTS)
    print(
        f"built {SLUG}: {TRANSCRIPTS} transcripts, 20 codes, {analysts} analysts "
        f"({time.perf_counter() - started:.1f} s)"
    )


@dataclass
class Transcript:
    revision: int
    spans: list[tuple[int, int]]


@dataclass
class Tally:
    """What one analyst saw: latencies per kind, errors, and its codings' fates."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    created: set[int] = field(default_factory=set)
    deleted: set[int] = field(default_factory=set)
    unsure: set[int] = field(default_factory=set)  # a DELETE whose answer never came


class Analyst(threading.Thread):
    def __init__(self, *, port: int, token: str, transcript: Transcript, codes: list[int],
                 deadline: float, seed: int):  # fmt: skip
        super().__init__(daemon=True)
        self.port, self.transcript, self.codes, self.deadline = port, transcript, codes, deadline
        self.headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.live: list[int] = []  # its own codings it has not deleted
        self.sequence = 0  # the study's change counter, as the page last saw it

    def request(self, kind: str) -> tuple[str, str, str | None]:
        revision = self.transcript.revision
        if kind == "DELETE coding" and self.live:
            coding = self.live.pop(self.rng.randrange(len(self.live)))
            return "DELETE", f"/api/v1/codings/{coding}/", None
        if kind == "GET changes":
            return "GET", f"/api/v1/revisions/{revision}/changes/?after={self.sequence}", None
        if kind == "GET codings":
            return "GET", f"/api/v1/revisions/{revision}/codings/", None
        if kind == "GET excerpts":
            return "GET", f"/api/v1/codes/{self.rng.choice(self.codes)}/excerpts/", None
        start, end = self.rng.choice(self.transcript.spans)
        code = self.rng.choice(self.codes)
        body = {"revision": revision, "start": start, "end": end, "code": code}
        return "POST", "/api/v1/codings/", json.dumps(body)

    def run(self) -> None:
        try:
            self.work()
        except Exception as error:  # a crashed analyst is an error, not a silent stop
            self.tally.errors.append(f"analyst stopped: {error!r}")

    def work(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        kinds, weights = list(KINDS), list(KINDS.values())
        while time.perf_counter() < self.deadline:
            kind = self.rng.choices(kinds, weights)[0]
            method, path, body = self.request(kind)
            kind = f"{method} {kind.split()[1]}"  # a DELETE with nothing to delete is a POST
            started = time.perf_counter()
            try:
                connection.request(method, path, body, self.headers)
                response = connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as error:
                self.tally.errors.append(f"{method} {path}: {error!r}")
                if method == "DELETE":
                    self.tally.unsure.add(int(path.split("/")[-2]))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                continue
            self.tally.latencies[kind].append(time.perf_counter() - started)
            if not 200 <= response.status < 400:
                self.tally.errors.append(f"{method} {path}: {response.status} {data[:200]!r}")
            elif method == "POST":
                coding = json.loads(data)["id"]
                self.tally.created.add(coding)
                self.live.append(coding)
            elif method == "DELETE":
                self.tally.deleted.add(int(path.split("/")[-2]))
            elif path.startswith("/api/v1/revisions/") and response.status == 200:
                self.sequence = json.loads(data)["sequence"]
        connection.close()


def check_codings(tallies: list[Tally]) -> tuple[int, int, int, int]:
    """(kept, of them live) and (deleted, of them still live), read from the database."""
    from analysis.coding.models import Coding

    unsure = set().union(*(t.unsure for t in tallies))
    deleted = set().union(*(t.deleted for t in tallies))
    kept = set().union(*(t.created for t in tallies)) - deleted - unsure
    live = Coding.objects.filter(deleted_at__isnull=True)
    found = sum(live.filter(pk__in=chunk).count() for chunk in _chunks(kept))
    still = sum(live.filter(pk__in=chunk).count() for chunk in _chunks(deleted))
    return len(kept), found, len(deleted), still


def _chunks(ids: set[int], size: int = 10_000):
    ordered = sorted(ids)
    for first in range(0, len(ordered), size):
        yield ordered[first : first + size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--analysts", type=int, default=50)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--source", type=Path, default=ROOT)
    arguments = parser.parse_args()
    prepare_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))

    from rest_framework.authtoken.models import Token

    from analysis.coding.models import Code, Coding
    from dyads.models import Study
    from interviews.models import TranscriptRevision

    if arguments.rebuild:
        Study.objects.filter(slug=SLUG).update(slug=f"{SLUG}-old-{time.time_ns()}")
    study = Study.objects.filter(slug=SLUG).first()
    if study is None or study.memberships.count() < arguments.analysts + 1:
        if study is not None:
            study.slug = f"{SLUG}-old-{time.time_ns()}"
            study.save(update_fields=["slug"])
        build(max(arguments.analysts, 50))
        study = Study.objects.get(slug=SLUG)
    rng = random.Random(10)
    transcripts = [
        Transcript(
            revision.pk,
            spans(rng, revision.text, list(revision.turns.values_list("speaker", "start", "end")),
                  SPANS_PER_TRANSCRIPT),
        )
        for revision in TranscriptRevision.objects.filter(
            transcript__interview__study=study
        ).order_by("pk")
    ]  # fmt: skip
    codes = list(Code.objects.filter(study=study).values_list("pk", flat=True))
    tokens = list(
        Token.objects.filter(user__memberships__study=study, user__username__startswith="load-")
        .order_by("user__username")
        .values_list("key", flat=True)[: arguments.analysts]
    )

    port = free_port()
    server = serve(port, arguments.workers, arguments.source.resolve())
    memory = MemoryWatch(server.pid, interval=1.0)  # reading smaps costs CPU the server needs
    try:
        for token, transcript in zip(tokens, transcripts, strict=False):  # warm up every worker
            warm = [{"revision": transcript.revision, "start": a, "end": b, "code": codes[0]}
                    for a, b in transcript.spans[:5]]  # fmt: skip
            post_all(port, token, warm, [], [])
        before = Coding.objects.filter(study=study, deleted_at__isnull=True).count()
        deadline = time.perf_counter() + arguments.seconds
        analysts = [
            Analyst(port=port, token=token, transcript=transcripts[n % len(transcripts)],
                    codes=codes, deadline=deadline, seed=n)
            for n, token in enumerate(tokens)
        ]  # fmt: skip
        started = memory.current()
        memory.start()
        elapsed = run_together(analysts)
        load = os.getloadavg()[0]
        ended = memory.current()
    finally:
        memory.stopping.set()
        server.terminate()
        server.wait(timeout=30)

    tallies = [analyst.tally for analyst in analysts]
    latencies = defaultdict(list)
    for tally in tallies:
        for kind, values in tally.latencies.items():
            latencies[kind].extend(values)
    errors = [error for tally in tallies for error in tally.errors]
    requests = sum(len(values) for values in latencies.values()) + len(errors)
    kept, found, deleted, still = check_codings(tallies)
    after = Coding.objects.filter(study=study, deleted_at__isnull=True).count()
    lost = kept - found

    print(
        f"load test: {len(analysts)} analysts for {elapsed:.1f} s against gunicorn with "
        f"{arguments.workers} workers on {os.cpu_count()} cores; {before:,} live codings before"
    )
    print(f"requests: {requests:,}, {requests / elapsed:.1f} per s; load average {load:.1f}")
    for kind in sorted(latencies, key=lambda kind: -len(latencies[kind])):
        values = latencies[kind]
        print(
            f"  {kind:<14} {len(values):>7,}  {len(values) / elapsed:6.1f}/s  "
            f"p50 {percentile(values, 0.5) * 1000:7.1f} ms  p95 {percentile(values, 0.95) * 1000:7.1f} ms"
        )
    print(
        "gunicorn processes (master and workers), RSS / PSS summed / largest RSS, MiB: "
        f"warmed up {started[0] / 2**20:.0f} / {started[1] / 2**20:.0f} / {started[2] / 2**20:.0f}; "
        f"after the run {ended[0] / 2**20:.0f} / {ended[1] / 2**20:.0f} / {ended[2] / 2**20:.0f}"
    )
    print(
        f"largest gunicorn process: peak RSS {memory.largest_rss / 2**20:.0f} MiB, "
        f"peak PSS {memory.largest_pss / 2**20:.0f} MiB (shared pages split among sharers)"
    )
    print(f"errors: {len(errors)}" + "".join(f"\n  {error}" for error in errors[:10]))
    print(
        f"codings created and kept: {kept:,}, live rows {found:,} (lost {lost}); "
        f"deleted: {deleted:,}, still live {still}; live codings of the study "
        f"{before:,} -> {after:,} (+{after - before:,})"
    )
    if errors or lost or still:
        sys.exit(1)


if __name__ == "__main__":
    main()
