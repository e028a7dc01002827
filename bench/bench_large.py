"""Every benchmark against one large study: a line per figure, then a Markdown table.

Run with ``.venv/bin/python bench/bench_large.py [--scale F] [--only NAME,...]
[--skip NAME,...]``; the measures' names are listed by ``--help``.

It works on large_study.py's study (100 dyads, 600 transcripts of ~15,200 words,
1,000,000 codings, meetings, decisions, themes and their audit chain) in its own
database, BENCH_DATABASE_URL (default ``duet_bench_large``), and builds it first if
it is missing. Imports and the web server use the Redis broker of CELERY_BROKER_URL
(default ``redis://127.0.0.1:6379/4``: a Redis database of its own, because Django's
cache lives there too and the matrix measure clears it).

Each measure reuses the benchmark script that owns it, and prints its lines:

- ``coding_page``: the coding page and its codings for the transcript with 2,100
  codings and the one with 100 (bench_coding_page, in process);
- ``coding_api``: ``POST /api/v1/codings/`` from 1 and 10 clients through gunicorn
  (bench_coding_api), onto a transcript outside sessions;
- ``retrieval``: one code's excerpts with context, for the code with the most
  codings and for a parent code with ~500 (bench_retrieval, selector and API);
- ``search``: a full-text search across the study's transcripts;
- ``matrix``: the dyad × constituent matrix, all coders and the consensus layer
  (bench_matrix, first request and median);
- ``agreement``: agreement, disagreements and consensus of the closed blind session
  (bench_agreement_study);
- ``qdpx``, ``segments``: the .qdpx, CSV and XLSX exports of the whole study, one
  run each (bench_export);
- ``audit``: audit_verify over the study's chain (bench_audit_verify);
- ``import``: IMPORT_FILES .txt transcripts into the study through a real Celery
  worker (bench_import).

Writes stay: the POSTs add codings and the imports add interviews to the study, as
in a study being worked on. At the end: the machine, the load average at the start
and the end, and a table of measure, target and figure for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import bench_agreement_study  # noqa: E402
import bench_audit_verify  # noqa: E402
import bench_coding_api  # noqa: E402
import bench_coding_page  # noqa: E402
import bench_export  # noqa: E402
import bench_import  # noqa: E402
import bench_matrix  # noqa: E402
import bench_retrieval  # noqa: E402
from large_study import DEFAULT_URL, landmarks, large_study, summary  # noqa: E402

DEFAULT_BROKER = "redis://127.0.0.1:6379/4"
IMPORT_FILES = 100
EXPORT_RUNS = 1


@dataclass(frozen=True)
class Row:
    measure: str
    target: str
    figure: str


@dataclass
class Bench:
    """The study and the people the measures act as."""

    study: object
    owner: object
    coders: list
    tokens: list[str]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def coding_page(bench: Bench) -> list[Row]:
    marks = landmarks(bench.study)
    code = bench.study.codes.filter(parent__isnull=False).first()
    figures = bench_coding_page.measure_server(
        bench.study, bench.coders[0], bench.coders[1], code, marks.big, marks.small, marks.opened
    )
    return [
        Row(
            f"coding page + its codings, {len(marks.big.text):,} code points, 2,100 codings",
            "≤ 150 ms",
            f"{figures['2,100']:.1f} ms (median)",
        ),
        Row(
            f"the same, {len(marks.small.text):,} code points, 100 codings",
            "≤ 25 ms",
            f"{figures['100']:.1f} ms (median)",
        ),
    ]


def coding_api(bench: Bench) -> list[Row]:
    from analysis.coding.models import Coding

    codes = list(bench.study.codes.values_list("pk", flat=True))
    count = Coding.objects.filter(study=bench.study).count()
    spare = landmarks(bench.study).spare
    figures = bench_coding_api.measure(spare, codes, bench.tokens, random.Random(4))
    return [
        Row(
            f"`POST /api/v1/codings/`, 1 client, {count:,} codings in the study",
            "p95 ≤ 20 ms",
            f"p50 {ms(figures['p50'])}, p95 {ms(figures['p95'])}",
        ),
        Row(
            f"the same, {bench_coding_api.CLIENTS} clients at once",
            "≥ 270/s, p95 ≤ 60 ms, 0 errors, 0 lost",
            f"{figures['rate']:.0f}/s, p95 {ms(figures['p95_many'])}, "
            f"{figures['errors']} errors, {figures['lost']} lost",
        ),
    ]


def retrieval(bench: Bench) -> list[Row]:
    from django.db.models import Count, Q

    live = Count("codings", filter=Q(codings__deleted_at__isnull=True))
    codes = bench.study.codes.annotate(n=live)
    rows = []
    for code, page in (
        (codes.order_by("-n").first(), 2000),
        (codes.filter(parent__isnull=True).order_by("n").first(), 1000),
    ):
        selector, api = bench_retrieval.measure_excerpts(bench.owner, code, page_size=page)
        rows.append(
            Row(
                f"one code's {code.n:,} excerpts with context, selector / API "
                f"(a page of at most {page:,})",
                "≤ 50 ms for 500",
                f"{selector:,.1f} ms / {api:,.1f} ms (median)",
            )
        )
    return rows


def search(bench: Bench) -> list[Row]:
    transcripts = bench.study.interviews.filter(transcript__isnull=False).count()
    median = bench_retrieval.measure_search(bench.study, transcripts)
    return [Row(f"full-text search, 2 words, {transcripts} transcripts", "—", f"{median:.1f} ms")]


def matrix(bench: Bench) -> list[Row]:
    figures = bench_matrix.measure(bench.study)
    return [
        Row(
            f"{label}, {bench.study.dyads.count()} dyads",
            "< 500 ms",
            f"first {first:,.0f} ms, then median {median:,.0f} ms",
        )
        for label, (first, median) in figures.items()
    ]


def agreement(bench: Bench) -> list[Row]:
    from analysis.coding.models import Coding

    closed = landmarks(bench.study).closed
    codings = Coding.objects.filter(session=closed).count()
    figures = bench_agreement_study.measure(bench.study, bench.owner, closed)
    return [
        Row(
            f"agreement of the closed blind session ({codings:,} codings, "
            f"{closed.transcripts.count()} transcripts, 3 coders), character units",
            "< 2 s",
            f"{figures['character']:.2f} s (median)",
        ),
        Row("the same, turn units / through the API", "—",
            f"{figures['turn']:.2f} s / {figures['api']:.2f} s"),
        Row("the session's disagreements; the study's consensus layer", "—",
            f"{figures['disagreements']:.2f} s; {figures['consensus']:.2f} s"),
    ]  # fmt: skip


def qdpx(bench: Bench) -> list[Row]:
    median, detail = bench_export.timed(
        "export .qdpx, the whole study",
        30,
        lambda: bench_export.export_qdpx(bench.study, bench.owner),
        EXPORT_RUNS,
    )
    return [Row("export .qdpx of the whole study", "< 30 s", f"{median:.1f} s; {detail}")]


def segments(bench: Bench) -> list[Row]:
    from analysis.coding.models import Coding

    count = Coding.objects.filter(study=bench.study, deleted_at__isnull=True).count()
    rows = []
    for name, per_10_000, export in (
        ("CSV", 0.3, bench_export.export_csv),
        ("XLSX", 1.0, bench_export.export_xlsx),
    ):
        target = per_10_000 * count / 10_000
        median, detail = bench_export.timed(
            f"export {name}, {count:,} codings",
            target,
            lambda export=export: export(bench.study, bench.owner),
            EXPORT_RUNS,
        )
        rows.append(
            Row(
                f"export {name} of the whole study's coded segments",
                f"≤ {target:,.1f} s ({per_10_000:g} s per 10,000, scaled)",
                f"{median:.1f} s; {detail}",
            )
        )
    return rows


def audit(bench: Bench) -> list[Row]:
    from dyads.models import AuditChainHead

    events = AuditChainHead.objects.get(study=bench.study).sequence
    median = bench_audit_verify.measure(bench.study)
    return [Row(f"verify the study's audit chain, {events:,} events", "< 10 s", f"{median:.2f} s")]


def imports(bench: Bench) -> list[Row]:
    texts = bench_import.transcripts(IMPORT_FILES, seed=2026)
    results = bench_import.measure(
        os.environ["DATABASE_URL"],
        os.environ["CELERY_BROKER_URL"],
        bench.study,
        bench.owner,
        bench_import.as_files(texts, ("txt",)),
        runs=1,
        concurrency=2,
    )
    rate = bench_import.summarise(results, IMPORT_FILES)["txt"]
    (run,) = results["txt"]
    return [
        Row(
            f"import {IMPORT_FILES} × 15,200-word .txt into the study, Celery worker (2 processes)",
            "≥ 45 files/s; worker < 300 MB",
            f"{rate:.1f} files/s (all searchable after {run.timings.searchable:.1f} s); "
            f"worker peak PSS {run.pss:.0f} MB",
        )
    ]


MEASURES = {
    "coding_page": coding_page,
    "coding_api": coding_api,
    "retrieval": retrieval,
    "search": search,
    "matrix": matrix,
    "agreement": agreement,
    "qdpx": qdpx,
    "segments": segments,
    "audit": audit,
    "import": imports,
}


def machine() -> str:
    from django.db import connection

    with open("/proc/cpuinfo") as info:
        cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    with open("/proc/meminfo") as info:
        kib = next(int(line.split()[1]) for line in info if line.startswith("MemTotal"))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores, {kib / 2**20:.0f} GiB RAM; PostgreSQL {postgres}, "
        f"Python {platform.python_version()}"
    )


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def selected(only: str, skip: str) -> list[str]:
    names = [name for name in (only or ",".join(MEASURES)).split(",") if name]
    unknown = set(names + skip.split(",")) - set(MEASURES) - {""}
    if unknown:
        raise SystemExit(f"unknown measures: {', '.join(sorted(unknown))}; see --help")
    return [name for name in MEASURES if name in names and name not in skip.split(",")]


def table(rows: list[Row]) -> str:
    lines = ["| measure | target | figure |", "| --- | --- | --- |"]
    lines += [f"| {row.measure} | {row.target} | {row.figure} |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[0], epilog=f"measures: {', '.join(MEASURES)}"
    )
    parser.add_argument("--scale", type=float, default=1.0, help="of the study (large_study.py)")
    parser.add_argument("--only", default="", help="run these measures (comma-separated)")
    parser.add_argument("--skip", default="", help="leave these measures out")
    arguments = parser.parse_args()
    names = selected(arguments.only, arguments.skip)
    os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["CELERY_BROKER_URL"] = os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ["DJANGO_DEBUG"] = "0"
    began, load_at_start = time.perf_counter(), load()
    study = large_study(arguments.scale)

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    coders = list(
        get_user_model().objects.filter(username__startswith="bench-coder").order_by("pk")
    )
    bench = Bench(
        study,
        study.memberships.get(role="owner").user,
        coders,
        list(Token.objects.filter(user__in=coders).values_list("key", flat=True)),
    )
    print(summary(study))
    rows = []
    for name in names:
        print(f"\n## {name} (load average {load()})", flush=True)
        rows += MEASURES[name](bench)
    print(
        f"\nMachine: {machine()}\nStudy: {summary(study)}\n"
        f"Load average (1, 5, 15 min) at the start {load_at_start}, at the end {load()}; "
        f"{time.perf_counter() - began:,.0f} s in all\n\n{table(rows)}"
    )


if __name__ == "__main__":
    main()
