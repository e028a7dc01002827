"""How fast does a Celery worker import transcripts, and how much memory does it take?

Run with ``.venv/bin/python bench/bench_import.py [--runs N] [--files N] [--concurrency N]``.

It works in its own PostgreSQL database, BENCH_DATABASE_URL (default
``postgres://postgres@127.0.0.1:5432/duet_bench_h3``, created and migrated if
missing), and on the Redis broker of CELERY_BROKER_URL (default
``redis://127.0.0.1:6379/3``), with a queue of its own.

The workload is PERFORMANCE.md's: 100 generated transcripts of ~15,200 words
(alternating ``I:``/``P:`` turns, interviewer 8-60 words, participant 30-200,
from an 8,000-word Zipf vocabulary; the generator of bench_export.py), here
with ten names of the study's pseudonym list mixed in (about 150 replacements
per transcript), written once as .txt and once as .docx. For each format and
run, a fresh set of 100 interviews; the files are queued through
``transcript_import`` (the service behind the API and the command: reader
checks, upload row, job row, audit event, enqueue on commit) and a worker
started here (``celery -A config worker``, prefork, 2 processes by default)
parses, pseudonymises and stores each one with its turns.

Printed per format: files per second from the first upload to the last job
finished (the time to queue is included, and shown on its own), when every
revision had its search document (filled after the import, by a task the worker
takes once no import waits; see interviews.services.search_documents), the worker's
peak memory sampled every 250 ms (the proportional set size of the worker and
its child processes, summed; and their resident sets summed, which counts the
pages the children share with their parent once per process), and the
targets: >= 45 files/s for .txt, >= 15 for .docx, peak < 300 MB. Rates are
medians over the runs, memory the highest peak.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_audit_verify import prepare_database  # noqa: E402  (the same database set-up)
from bench_export import Words, transcript  # noqa: E402  (the same workload)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duet_bench_h3"
DEFAULT_BROKER = "redis://127.0.0.1:6379/3"
TARGETS = {"txt": 45.0, "docx": 15.0}
MEMORY_TARGET_MB = 300
# Vocabulary words (Zipf ranks 40-49, each ~15 times per transcript) that become names.
NAMES = {
    "w0040": "Magnus",
    "w0041": "Åse",
    "w0042": "Bjørn",
    "w0043": "Ingrid",
    "w0044": "Sogndal",
    "w0045": "Førde",
    "w0046": "Kari",
    "w0047": "Solveig",
    "w0048": "Tromsø",
    "w0049": "Helse",
}
TIMEOUT_SECONDS = 600


def transcripts(count: int, seed: int) -> list[str]:
    words = Words(seed)
    texts = []
    for _ in range(count):
        text, _ = transcript(words)
        for word, name in NAMES.items():
            text = text.replace(f" {word} ", f" {name} ")
        texts.append(text)
    return texts


def as_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        if paragraph:
            document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def bench_study():
    """A fresh study with an owner, an interviewer and the pseudonym list."""
    from django.contrib.auth import get_user_model

    from dyads.models import Role, Study, StudyMembership
    from interviews.models import PseudonymReplacement

    slug = f"bench-import-{uuid.uuid4().hex[:8]}"
    study = Study.objects.create(title="Benchmark: transcript import", slug=slug)
    user, _ = get_user_model().objects.get_or_create(username="bench-importer")
    StudyMembership.objects.create(study=study, user=user, role=Role.OWNER)
    PseudonymReplacement.objects.bulk_create(pseudonym_list(study, user))
    return study, user


def pseudonym_list(study, user) -> list:
    """The replacements of NAMES (unsaved), as the study's pseudonym list holds them."""
    from interviews.models import PseudonymReplacement

    return [
        PseudonymReplacement(study=study, original=name, replacement=f"[name {n}]", created_by=user)
        for n, name in enumerate(NAMES.values())
    ]


def interviews(study, count: int, label: str):
    from dyads.models import Participant
    from interviews.models import Interview

    made = []
    for number in range(count):
        participant = Participant.objects.create(
            study=study, role="client", pseudonym=f"{label}{number:03d}"
        )
        made.append(
            Interview.objects.create(
                study=study,
                participant=participant,
                sequence_number=1,
                focus="therapy",
                timing="after",
            )
        )
    return made


class MemoryWatch(threading.Thread):
    """Samples a process and its children: summed resident set, and summed proportional set.

    Forked workers share their parent's pages, so the summed RSS counts shared
    memory once per process; the summed PSS (each shared page split among its
    sharers) is what the worker really occupies.
    """

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        import psutil

        self.interval = interval
        self.process = psutil.Process(pid)
        self.peak_rss = self.peak_pss = self.largest_rss = self.largest_pss = 0
        self.stopping = threading.Event()

    def current(self) -> tuple[int, int, int, int]:
        """Summed RSS and PSS, and the largest RSS and PSS of one process (bytes)."""
        import psutil

        rss, pss = [], []
        for process in [self.process, *self.process.children(recursive=True)]:
            try:
                memory = process.memory_full_info()
            except psutil.NoSuchProcess:
                continue
            rss.append(memory.rss)
            pss.append(memory.pss)
        return sum(rss), sum(pss), max(rss, default=0), max(pss, default=0)

    def run(self) -> None:
        while not self.stopping.is_set():
            now = self.current()
            peaks = (self.peak_rss, self.peak_pss, self.largest_rss, self.largest_pss)
            (
                self.peak_rss,
                self.peak_pss,
                self.largest_rss,
                self.largest_pss,
            ) = map(max, zip(peaks, now, strict=True))
            time.sleep(self.interval)

    def reset(self) -> None:
        self.peak_rss, self.peak_pss, self.largest_rss, self.largest_pss = self.current()

    def cpu_seconds(self) -> float:
        """User and system CPU time of the worker and its children so far."""
        return cpu_seconds_of([self.process, *self.process.children(recursive=True)])


def cpu_seconds_of(processes) -> float:
    """User and system CPU time of these processes so far (those gone since count 0)."""
    import psutil

    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def start_worker(url: str, broker: str, queue: str, concurrency: int) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # As deployed: with DEBUG on, Django keeps every query's SQL (file contents included).
        "DJANGO_DEBUG": "false",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "-Q",
            f"{queue},search",  # its imports, then the search-document fills they enqueue
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=environment,
    )


@dataclass
class Timings:
    """Seconds from the first upload: all queued, all imported, all searchable."""

    queued: float
    imported: float
    searchable: float


def import_all(user, targets, files: list[tuple[str, bytes]]) -> tuple[Timings, list[int]]:
    """Queue every file and wait until every job has finished and its revision is searchable."""
    from interviews.models import ImportJob, ImportState
    from interviews.services.imports import transcript_import

    started = time.perf_counter()
    ids = [
        transcript_import(actor=user, interview=interview, file_name=name, content=content).pk
        for interview, (name, content) in zip(targets, files, strict=True)
    ]
    queued = time.perf_counter() - started
    jobs = ImportJob.objects.filter(pk__in=ids)
    finished = jobs.filter(state__in=[ImportState.SUCCEEDED, ImportState.FAILED])
    wait_until(lambda: finished.count() == len(ids), "the jobs did not finish")
    imported = time.perf_counter() - started
    revisions = list(jobs.exclude(revision=None).values_list("revision", flat=True))
    wait_until(lambda: not pending_search_documents(revisions), "search did not catch up")
    return Timings(queued, imported, time.perf_counter() - started), ids


def wait_until(done, failure: str) -> None:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"{failure} within {TIMEOUT_SECONDS} s")
        time.sleep(0.02)


def pending_search_documents(revisions: list[int]) -> int:
    """How many of these revisions still wait for their full-text document."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM interviews_transcriptrevision "
            "WHERE id = ANY(%s) AND search_document IS NULL",
            [revisions],
        )
        return cursor.fetchone()[0]


def check(ids: list[int]) -> None:
    from interviews.models import ImportJob, ImportState

    failed = ImportJob.objects.filter(pk__in=ids).exclude(state=ImportState.SUCCEEDED)
    if failed.exists():
        raise SystemExit(f"{failed.count()} jobs failed, e.g.: {failed.first().error}")
    job = ImportJob.objects.filter(pk__in=ids).select_related("revision").first()
    if "Magnus" in job.revision.text or job.revision.turns.count() < 100:
        raise SystemExit("the stored transcript is not pseudonymised or has too few turns")


def as_files(texts: list[str], formats: tuple[str, ...]) -> dict[str, list[tuple[str, bytes]]]:
    """The texts as named files of each format."""
    encode = {"txt": str.encode, "docx": as_docx}
    return {
        fmt: [(f"interview{n:03d}.{fmt}", encode[fmt](text)) for n, text in enumerate(texts)]
        for fmt in formats
    }


@dataclass
class Run:
    timings: Timings
    rss: float  # peak summed RSS of the worker's processes, MB
    pss: float  # peak summed PSS, MB
    largest_rss: float  # peak RSS of its largest process, MB


def measure(url: str, broker: str, study, user, files: dict, runs: int, concurrency: int) -> dict:
    """Import the files into `study` through a worker of its own, `runs` times per format.

    Returns the Runs of each format.
    """
    from config.celery import app

    queue = f"bench-import-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    worker = start_worker(url, broker, queue, concurrency)
    # A sample of three processes' smaps costs ~6 ms of CPU, in this process: every 50 ms
    # it took an eighth of a core, and the GIL, from the queuing being measured.
    watch = MemoryWatch(worker.pid, interval=0.25)
    watch.start()
    results: dict[str, list[Run]] = {fmt: [] for fmt in files}
    try:
        time.sleep(3)  # the worker's start-up is not part of the import
        for run in range(runs):
            for fmt, contents in files.items():
                targets = interviews(study, len(contents), f"{queue[-8:]}-{fmt}{run}-")
                watch.reset()
                cpu = watch.cpu_seconds()
                timings, ids = import_all(user, targets, contents)
                cpu = (watch.cpu_seconds() - cpu) / len(contents)
                check(ids)
                result = Run(
                    timings,
                    watch.peak_rss / 2**20,
                    watch.peak_pss / 2**20,
                    watch.largest_rss / 2**20,
                )
                results[fmt].append(result)
                print(
                    f"run {run + 1} .{fmt:<4}: {len(contents) / timings.imported:6.1f} files/s "
                    f"({timings.imported:5.2f} s, of which {timings.queued:4.2f} s queuing; "
                    f"all searchable after {timings.searchable:5.2f} s; "
                    f"worker CPU {cpu * 1000:4.0f} ms per file), "
                    f"worker peak RSS {result.rss:4.0f} MB summed "
                    f"({result.largest_rss:4.0f} MB its largest process), PSS {result.pss:4.0f} MB"
                )
    finally:
        watch.stopping.set()
        worker.terminate()
        worker.wait(timeout=30)
    return results


def summarise(results: dict[str, list[Run]], count: int) -> dict[str, float]:
    """Print the median rate and the peak memory per format; return the median rates."""
    rates = {}
    for fmt, runs in results.items():
        rate = rates[fmt] = statistics.median(count / run.timings.imported for run in runs)
        queuing = statistics.median(run.timings.queued for run in runs)
        searchable = statistics.median(count / run.timings.searchable for run in runs)
        rss = max(run.rss for run in runs)
        pss = max(run.pss for run in runs)
        largest = max(run.largest_rss for run in runs)
        print(
            f".{fmt:<4} median {rate:6.1f} files/s (target >= {TARGETS[fmt]:.0f}: "
            f"{'met' if rate >= TARGETS[fmt] else 'NOT met'}), "
            f"{count / rate:5.2f} s for {count} files ({queuing:4.2f} s queuing); "
            f"searchable: {searchable:6.1f} files/s; "
            f"worker peak PSS {pss:4.0f} MB (target < {MEMORY_TARGET_MB}: "
            f"{'met' if pss < MEMORY_TARGET_MB else 'NOT met'}), summed RSS {rss:4.0f} MB, "
            f"largest process RSS {largest:4.0f} MB"
        )
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    options = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    broker = os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER
    os.environ["CELERY_BROKER_URL"] = broker
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    # As deployed, in this process too: with DEBUG on, Django keeps each query's SQL,
    # the uploaded file's bytes included.
    os.environ["DJANGO_DEBUG"] = "0"
    prepare_database(url)

    texts = transcripts(options.files, seed=2026)
    files = as_files(texts, ("txt", "docx"))
    words = sum(len(text.split()) for text in texts) / len(texts)
    print(
        f"{options.files} transcripts of {words:,.0f} words on average "
        f"({sum(len(t) for t in texts) / len(texts) / 1000:,.0f} KB as text, "
        f"{sum(len(c) for _, c in files['docx']) / len(texts) / 1000:,.0f} KB as .docx); "
        f"worker: prefork, {options.concurrency} processes; {options.runs} runs"
    )
    study, user = bench_study()
    results = measure(url, broker, study, user, files, options.runs, options.concurrency)
    print()
    summarise(results, options.files)


if __name__ == "__main__":
    main()
