"""How fast does Duet list one code's excerpts with their context?

Run with ``.venv/bin/python bench/bench_retrieval.py [--rebuild]``.

It works in its own PostgreSQL database, BENCH_DATABASE_URL (default
``postgres://postgres@127.0.0.1:5432/duet_bench_h4a``), created and migrated if
missing. PERFORMANCE.md's workload is built once with bulk inserts (not timed)
and kept: 100 transcripts of ~15,200 words, 20 codes, 10,000 codings of 5-40
words inside one participant turn, 100 per transcript, by two coders.

Timed, five runs each (best and median), for the code with the most codings
(about 500) and the owner as reader: the selector alone
(``code_excerpts``, one query, context cut in the database), and
``GET /api/v1/codes/{id}/excerpts/?page_size=1000`` in process (the selector,
the count and the JSON). Target: all 500 excerpts with context in <= 50 ms.
Also timed: a full-text search over the 100 transcripts (PostgreSQL's GIN index).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_audit_verify import open_bench_study  # noqa: E402  (the same set-up)
from bench_export import build  # noqa: E402  (PERFORMANCE.md's workload)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duet_bench_h4a"
SLUG = "bench-retrieval"
RUNS = 5


def timed(label: str, target_ms: float | None, run) -> float:
    """Wall time, and this process's CPU time (PostgreSQL's own time is not in it).

    Returns the median (ms)."""
    times, cpu, detail = [], [], ""
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        detail = run()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    verdict = ""
    if target_ms is not None:
        met = "meets" if min(times) <= target_ms else "MISSES"
        verdict = f" (target <= {target_ms:.0f} ms: {met})"
    print(
        f"{label}: best {min(times):.1f} ms, median {statistics.median(times):.1f} ms{verdict}, "
        f"Python CPU median {statistics.median(cpu):.1f} ms; {detail}; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return statistics.median(times)


def measure_excerpts(owner, code, page_size: int = 1000) -> tuple[float, float]:
    """The selector and the API for one code's excerpts; their medians (ms)."""
    from rest_framework.test import APIClient

    from analysis.coding.selectors.excerpts import code_excerpts

    client = APIClient()
    client.force_authenticate(owner)

    def selector() -> str:
        excerpts = list(code_excerpts(user=owner, code=code))
        context = sum(len(e.before) + len(e.text) + len(e.after) for e in excerpts)
        return (
            f"{len(excerpts)} excerpts, {context / len(excerpts):.0f} code points of context each"
        )

    def api() -> str:
        response = client.get(f"/api/v1/codes/{code.pk}/excerpts/?page_size={page_size}")
        assert response.status_code == 200, response.status_code
        return (
            f"{response.data['count']} excerpts, {len(response.data['results'])} on the page, "
            f"{len(response.content) / 1e3:.0f} kB of JSON"
        )

    return (
        timed(f"code_excerpts, code '{code.name}'", 50, selector),
        timed("GET /api/v1/codes/{id}/excerpts/ (in process)", 50, api),
    )


def measure_search(study, transcripts: int) -> float:
    """A two-word full-text search over the study's transcripts; its median (ms)."""
    from analysis.coding.selectors.search import transcript_search

    def search() -> str:
        results = transcript_search(study=study, query="w0003 w0010")
        return f"{results.transcripts} transcripts match, first page of {len(results.hits)}"

    return timed(f"full-text search, 2 words, {transcripts} transcripts", None, search)


def main() -> None:
    description = __doc__.split("\n", 1)[0]
    study = open_bench_study(description, DEFAULT_URL, SLUG, lambda: build(SLUG, 100, 100, 7))

    from django.db.models import Count, Q

    from analysis.coding.models import Code

    owner = study.memberships.get(role="owner").user
    code = (
        Code.objects.filter(study=study)
        .annotate(n=Count("codings", filter=Q(codings__deleted_at__isnull=True)))
        .order_by("-n")
        .first()
    )
    measure_excerpts(owner, code)
    measure_search(study, 100)


if __name__ == "__main__":
    main()
