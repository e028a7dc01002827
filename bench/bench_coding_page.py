"""How long does the server take to deliver the coding page of a long transcript?

Run with ``.venv/bin/python bench/bench_coding_page.py [--fill N] [--rebuild] [--browser | --browser-only]``.

It works in its own PostgreSQL database, BENCH_DATABASE_URL (default
``postgres://postgres@127.0.0.1:5432/duet_bench_h4b``), created and migrated if
missing, and built once (``--rebuild`` builds anew). The workload is
PERFORMANCE.md's (the generator of bench_export.py): study ``bench-page`` with
two transcripts of ~15,200 words, alternating ``I:``/``P:`` turns from an
8,000-word Zipf vocabulary, and 20 codes;

- transcript 1: an open coding session of three coders with 700 codings each
  (2,100), spans of 5-40 words inside participant turns;
- transcript 2: 100 codings by one coder, outside any session.

Codings are bulk-inserted: this benchmark times reads, bench_coding_api.py the
writes. ``--fill N`` adds filler codings in another study until the database
holds N, so that the indexes are those of a large installation.

Timed in process with Django's test client (DEBUG off), so the figures are
server time: URL routing, middleware, session and permission checks, queries,
rendering. Median and p95 of RUNS requests each, signed in as the first coder:

- the coding page's HTML (text and turns rendered once);
- its codings JSON, ``GET /api/v1/revisions/{id}/codings/?session=`` (all the
  codings the coder may see, with codes and coders);
- a poll of ``.../changes/`` that finds nothing new (304 by ETag) and one that
  finds another coder's new coding;
- as a baseline, ``GET /api/v1/studies/``: what any signed-in request costs
  (sessions, authentication, the middleware, DRF) on the same machine and run.

Targets (PERFORMANCE.md): a transcript with 100 codings loads in <= 25 ms and a
15,000-word transcript with 2,100 codings in <= 150 ms of server time, page
and codings together.

``--browser`` also opens the 2,100-coding page in headless chromium (served by
Django's threaded live server on a free loopback port), five times after a warm-up:
``performance.now()`` from navigation until the last highlight is drawn (target
<= 300 ms) and until the next frame, the long tasks (> 50 ms) while the page is then
scrolled and a passage selected (target: none), and how long a redraw of all the
highlights takes (a filter change).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_audit_verify import ensure_study, prepare_database  # noqa: E402  (the same set-up)
from bench_coding_api import (  # noqa: E402  (the same study, filler and statistics)
    _study_with_transcript,
    fill,
    percentile,
)
from bench_export import Words, new_coding, spans  # noqa: E402  (the same workload)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duet_bench_h4b"
SLUG = "bench-page"
CODERS = 3
CODINGS_PER_CODER = 700
SMALL_CODINGS = 100
RUNS = 40


def build(rng: random.Random) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from analysis.coding.models import Coding, CodingSession, SessionMode

    User = get_user_model()
    owner, _ = User.objects.get_or_create(username="bench-owner")
    coders = [
        User.objects.get_or_create(username=f"bench-page-coder{n}", first_name=f"Coder {n}")[0]
        for n in range(CODERS)
    ]
    with transaction.atomic():
        study, codes, [(big, big_turns), (small, small_turns)] = _study_with_transcript(
            SLUG, owner, coders, Words(7), transcripts=2
        )
        session = CodingSession.objects.create(
            study=study, name="Open round", mode=SessionMode.OPEN, created_by=owner
        )
        session.coders.set(coders)
        session.transcripts.set([big.transcript])
        Coding.objects.bulk_create(
            (
                new_coding(
                    study=study,
                    revision=big,
                    start=start,
                    end=end,
                    code=rng.choice(codes),
                    coder=coder,
                    session=session,
                )
                for coder in coders
                for start, end in spans(rng, big.text, big_turns, CODINGS_PER_CODER)
            ),
            ignore_conflicts=True,
        )
        Coding.objects.bulk_create(
            (new_coding(study=study, revision=small, start=a, end=b, code=rng.choice(codes), coder=coders[0])
             for a, b in spans(rng, small.text, small_turns, SMALL_CODINGS)),
            ignore_conflicts=True,
        )  # fmt: skip
    print(
        f"built {SLUG}: 2 transcripts of {len(big.text):,} and {len(small.text):,} code points "
        f"({len(big_turns)} and {len(small_turns)} turns); {CODERS} x {CODINGS_PER_CODER} codings "
        f"in an open session on the first, {SMALL_CODINGS} on the second"
    )


@dataclass(frozen=True)
class Timing:
    """Milliseconds per request: wall (median, p95) and this process's CPU (median)."""

    median: float
    p95: float
    cpu: float

    def __str__(self) -> str:
        return f"median {self.median:.1f} ms (p95 {self.p95:.1f}, Python CPU {self.cpu:.1f})"


def timed(run, runs: int = RUNS) -> Timing:
    """`runs` calls of `run`, after two warm-ups."""
    run()
    run()
    walls, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return Timing(statistics.median(walls), percentile(walls, 0.95), statistics.median(cpus))


def get(client, url: str, status: int = 200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code)
    return response


def measure_server(study, coder, other_coder, code, big, small, session) -> dict[str, float]:
    from django.test import Client
    from django.urls import reverse

    from analysis.coding.services.codings import coding_create, coding_delete

    client = Client()
    client.force_login(coder)
    figures = {}

    def page(revision, query=""):
        url = reverse("coding-page", args=[study.slug, revision.transcript.interview_id])
        return lambda: get(client, url + query)

    def codings(revision, query=""):
        return lambda: get(client, f"/api/v1/revisions/{revision.pk}/codings/{query}")

    # What any signed-in API request costs here: the floor under the figures below.
    print(
        f"baseline, GET /api/v1/studies/ (one study): {timed(lambda: get(client, '/api/v1/studies/'))}"
    )
    for label, revision, query, count in [
        ("2,100", big, f"?session={session.pk}", CODERS * CODINGS_PER_CODER),
        ("100", small, "", SMALL_CODINGS),
    ]:
        loaded = get(client, f"/api/v1/revisions/{revision.pk}/codings/{query}").json()
        assert len(loaded["codings"]) == count, len(loaded["codings"])
        html, codings_json = timed(page(revision, query)), timed(codings(revision, query))
        size = len(get(client, f"/api/v1/revisions/{revision.pk}/codings/{query}").content)
        figures[label] = html.median + codings_json.median
        print(
            f"transcript with {label} codings ({len(revision.text):,} code points):\n"
            f"  page HTML     {html}\n"
            f"  codings JSON  {codings_json}, {size:,} bytes\n"
            f"  together      median {figures[label]:.1f} ms "
            f"(Python CPU {html.cpu + codings_json.cpu:.1f})"
        )

    feed = f"/api/v1/revisions/{big.pk}/changes/?session={session.pk}"
    loaded = get(client, f"/api/v1/revisions/{big.pk}/codings/?session={session.pk}")
    after, etag = loaded.json()["sequence"], loaded["ETag"]
    unchanged = timed(lambda: get(client, f"{feed}&after={after}", 304, HTTP_IF_NONE_MATCH=etag))
    print(f"poll with nothing new (304): {unchanged}")
    start, end = spans(
        random.Random(1), big.text, list(big.turns.values_list("speaker", "start", "end")), 1
    )[0]
    new = coding_create(
        actor=other_coder, revision=big, start=start, end=end, code=code, session=session
    )
    delta = timed(lambda: get(client, f"{feed}&after={after}", HTTP_IF_NONE_MATCH=etag))
    coding_delete(actor=other_coder, coding=new)
    print(f"poll that finds another coder's new coding: {delta}")
    return figures


def measure_browser(study, coder, big, session, loads: int = 5) -> None:
    """Time the page in headless chromium, served by Django's threaded live server.

    Measured in the page (`performance.now()`, from the start of navigation): when the
    last highlight is drawn (the page's `highlights-drawn` mark, else the moment the
    workspace is ready) and the next frame after it (style, layout and paint included).
    Then the page is scrolled to the end and back and a passage selected, and every
    long task (over 50 ms, PerformanceObserver 'longtask') after the last highlight is
    counted. A warm-up load first, then `loads` measured ones (medians).
    """
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test import Client
    from django.test.testcases import LiveServerThread
    from django.urls import reverse
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(coder)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    base = f"http://127.0.0.1:{server.port}"
    url = base + reverse("coding-page", args=[study.slug, big.transcript.interview_id])
    runs, redraws, stages = [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}]
            )
            context.add_init_script(OBSERVE)
            page = context.new_page()
            page.on("pageerror", lambda error: print("page error:", error))
            for _ in range(loads + 1):
                page.goto(f"{url}?session={session.pk}")
                page.wait_for_function("() => window.__painted !== undefined")
                drawn = page.evaluate(DRAWN)
                for _ in range(4):  # scroll down to the end and back, as a reader would
                    page.mouse.wheel(0, 12_000)
                    page.wait_for_timeout(120)
                page.keyboard.press("End")
                page.wait_for_timeout(200)
                page.keyboard.press("Home")
                page.wait_for_timeout(200)
                page.evaluate(SELECT)
                page.wait_for_timeout(300)
                long_tasks = page.evaluate(
                    "(after) => window.__longTasks.filter(([start]) => start >= after)", drawn
                )
                runs.append((drawn, page.evaluate("window.__painted"), long_tasks))
                stages.append(page.evaluate(STAGES))
                redraws.append(page.evaluate(REDRAW))
            highlights = page.locator(".hl").count()
            browser.close()
    finally:
        server.terminate()
    measured = runs[1:]
    longest = max((duration for *_, tasks in measured for _, duration in tasks), default=0)
    print(
        f"in chromium, {highlights:,} highlight segments: navigation to the last highlight "
        f"drawn, median {statistics.median(r[0] for r in measured):.0f} ms "
        f"({', '.join(f'{r[0]:.0f}' for r in measured)}); to the next frame painted, median "
        f"{statistics.median(r[1] for r in measured):.0f} ms; long tasks after it (> 50 ms) "
        f"while scrolling and selecting: {sum(len(r[2]) for r in measured)} in {len(measured)} "
        f"loads, longest {longest:.0f} ms; a redraw of every turn (a filter change), median "
        f"{statistics.median(redraws[1:]):.0f} ms; load average {os.getloadavg()[0]:.1f}"
    )
    print(
        "  where the time goes (medians, ms from navigation): "
        + ", ".join(
            f"{name} {statistics.median(stage[name] for stage in stages[1:]):.0f}"
            for name in stages[0]
        )
    )
    print(
        "  long tasks after the last highlight (start, duration ms): "
        + "; ".join(", ".join(f"{a:.0f}+{d:.0f}" for a, d in r[2]) or "none" for r in measured)
    )


# Before the page's scripts: long tasks are recorded, and the moment the workspace is
# ready is noted with the next frame after it.
OBSERVE = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({ type: "longtask" });
new MutationObserver((changes, observer) => {
  if (!document.querySelector(".coding-workspace.is-ready")) return;
  observer.disconnect();
  window.__ready = performance.now();
  requestAnimationFrame(() => setTimeout(() => { window.__painted = performance.now(); }));
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["class"] });
"""

# The last highlight drawn: the page's own mark, else (older pages) the ready moment.
DRAWN = """() => {
  const mark = performance.getEntriesByName("highlights-drawn").at(-1);
  return mark ? mark.startTime : window.__ready;
}"""

# The navigation's and the codings request's milestones.
STAGES = """() => {
  const [navigation] = performance.getEntriesByType("navigation");
  const codings = performance.getEntriesByType("resource").find((r) => r.name.includes("/codings/"));
  return {
    "HTML received": navigation.responseEnd,
    "DOM parsed": navigation.domInteractive,
    "codings requested": codings.startTime,
    "codings received": codings.responseEnd,
    "highlights drawn": performance.getEntriesByName("highlights-drawn").at(-1)?.startTime ?? window.__ready,
    "next frame": window.__painted,
  };
}"""

# Select a coded passage's words in a turn near the top, as a coder would with the mouse.
SELECT = """() => {
  const text = document.querySelector(".turn-participant .coding-text");
  const range = document.createRange();
  range.setStart(text.firstChild, 0);
  range.setEnd(text.lastChild, 0);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  text.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
}"""

# Hide one coder and show them again: each time every turn is redrawn.
REDRAW = """() => {
  const box = document.querySelector('#coder-filter-options input');
  const started = performance.now();
  box.click();
  box.click();
  return (performance.now() - started) / 2;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--fill", type=int, default=0, help="codings in the database (filler)")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--browser", action="store_true", help="also time the page in chromium")
    parser.add_argument("--browser-only", action="store_true", help="only the chromium measure")
    arguments = parser.parse_args()
    os.environ["DJANGO_DEBUG"] = "0"
    prepare_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))

    from django.contrib.auth import get_user_model

    from analysis.coding.models import Coding, CodingSession

    rng = random.Random(11)
    study = ensure_study(SLUG, lambda: build(rng), arguments.rebuild)
    if arguments.fill:
        fill(arguments.fill, rng)
    session = CodingSession.objects.get(study=study)
    big, small = [
        interview.transcript.current_revision
        for interview in study.interviews.order_by("pk").select_related("transcript")
    ]
    coders = list(get_user_model().objects.filter(username__startswith="bench-page-coder"))
    print(f"codings in the database: {Coding.objects.count():,}")
    if arguments.browser_only:
        measure_browser(study, coders[0], big, session)
        return
    figures = measure_server(study, coders[0], coders[1], study.codes.first(), big, small, session)
    for label, target in [("2,100", 150), ("100", 25)]:
        verdict = "meets" if figures[label] <= target else "MISSES"
        print(f"target for {label} codings, page + codings <= {target} ms: {verdict}")
    if arguments.browser:
        measure_browser(study, coders[0], big, session)


if __name__ == "__main__":
    main()
