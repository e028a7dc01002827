"""How fast are 100 transcripts imported end to end over HTTP, in one batch request?

Run with ``.venv/bin/python bench/bench_import_http.py [--runs N] [--files N] [--source DIR]``.

It works in its own PostgreSQL database, BENCH_DATABASE_URL (default
``postgres://postgres@127.0.0.1:5432/duet_bench_import_http``, created and migrated if
missing), and on the Redis broker of CELERY_BROKER_URL (default
``redis://127.0.0.1:6379/3``), whose default queue it must have to itself.

The workload is PERFORMANCE.md's, as bench_import.py writes it: 100 generated .txt
transcripts of ~15,200 words with names of the study's pseudonym list mixed in. Duet
runs as deployed: gunicorn with ``config/gunicorn.py`` (3 workers, DEBUG off) and a
Celery worker (prefork, 2 processes). For each run, 100 fresh interviews; one client
sends every file in one ``POST /api/v1/studies/{id}/transcript-batches/`` (multipart,
token auth, each file named ``{participant}_interview1.txt``), then polls the jobs.

Printed per run: files per second from the first byte sent to the last job finished
(the target is >= 45), the time the request took, and when every revision had its
search document. Medians over the runs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_audit_verify import prepare_database  # noqa: E402  (the same database set-up)
from bench_coding_api import free_port, serve  # noqa: E402  (gunicorn as deployed)
from bench_import import (  # noqa: E402  (the same workload, worker and checks)
    DEFAULT_BROKER,
    bench_study,
    check,
    interviews,
    pending_search_documents,
    start_worker,
    transcripts,
    wait_until,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duet_bench_import_http"
TARGET = 45.0


def multipart(files: list[tuple[str, bytes]], fields: dict[str, str]) -> tuple[bytes, str]:
    """A multipart/form-data body with every file under `files`, and its content type."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for name, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            f"Content-Type: text/plain\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def import_over_http(port: int, token: str, study, files) -> tuple[float, float, float, list[int]]:
    """Send the batch and wait for its jobs and search documents: seconds to each, and the jobs."""
    from interviews.models import ImportJob, ImportState

    body, content_type = multipart(files, {"pattern": "{participant}_interview{number}"})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    connection.request(
        "POST",
        f"/api/v1/studies/{study.pk}/transcript-batches/",
        body=body,
        headers={"Authorization": f"Token {token}", "Content-Type": content_type},
    )
    response = connection.getresponse()
    answer = response.read()
    sent = time.perf_counter() - started
    if response.status != 202:
        raise SystemExit(f"the batch was answered {response.status}: {answer[:500]!r}")
    ids = [job["id"] for job in json.loads(answer)["jobs"]]
    if len(ids) != len(files):
        raise SystemExit(f"{len(ids)} jobs for {len(files)} files: {json.loads(answer)['refused']}")
    jobs = ImportJob.objects.filter(pk__in=ids)
    finished = jobs.filter(state__in=[ImportState.SUCCEEDED, ImportState.FAILED])
    wait_until(lambda: finished.count() == len(ids), "the jobs did not finish")
    imported = time.perf_counter() - started
    revisions = list(jobs.exclude(revision=None).values_list("revision", flat=True))
    wait_until(lambda: not pending_search_documents(revisions), "search did not catch up")
    return sent, imported, time.perf_counter() - started, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout gunicorn serves")
    options = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    broker = os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER
    os.environ.update(CELERY_BROKER_URL=broker, CELERY_TASK_ALWAYS_EAGER="false", DJANGO_DEBUG="0")
    prepare_database(url)
    os.environ["DATABASE_URL"] = url  # for gunicorn and the worker

    from rest_framework.authtoken.models import Token

    texts = transcripts(options.files, seed=2026)
    study, user = bench_study()
    token = Token.objects.get_or_create(user=user)[0].key
    worker = start_worker(url, broker, "celery", 2)
    port = free_port()
    server = serve(port, 3, options.source.resolve())
    rates, requests, searchable = [], [], []
    try:
        time.sleep(3)  # the worker's start-up is not part of the import
        for run in range(options.runs):
            label = f"h{uuid.uuid4().hex[:6]}r{run}n"
            targets = interviews(study, len(texts), label)
            files = [
                (f"{target.participant.pseudonym}_interview1.txt", text.encode())
                for target, text in zip(targets, texts, strict=True)
            ]
            sent, imported, found, ids = import_over_http(port, token, study, files)
            check(ids)
            rates.append(len(files) / imported)
            requests.append(sent)
            searchable.append(found)
            print(
                f"run {run + 1}: {len(files)} files in {imported:.2f} s, "
                f"{len(files) / imported:.1f} files/s (the request {sent:.2f} s; all searchable "
                f"at {found:.2f} s); load average {os.getloadavg()[0]:.1f}"
            )
    finally:
        server.terminate()
        worker.terminate()
        server.wait(timeout=30)
        worker.wait(timeout=30)
    median = statistics.median(rates)
    print(
        f"median {median:.1f} files/s end to end over HTTP (target >= {TARGET:.0f}: "
        f"{'meets' if median >= TARGET else 'MISSES'}); the request median "
        f"{statistics.median(requests):.2f} s; searchable median {statistics.median(searchable):.2f} s"
    )


if __name__ == "__main__":
    main()
