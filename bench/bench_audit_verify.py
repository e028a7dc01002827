"""How long does `verify_audit` take on a study with one million audit events?

Run with ``.venv/bin/python bench/bench_audit_verify.py [--events N] [--rebuild]``.

It works in its own PostgreSQL database, BENCH_DATABASE_URL (default
``postgres://postgres@127.0.0.1:5432/duet_bench``), which it creates and
migrates if it is missing. The chain is generated in Python with Duet's own
hash (`dyads.audit.payload_digest`, `canonical_bytes` and `link_hash`, what
`seal` calls) and
loaded with COPY while the append-only trigger is in place (it refuses UPDATE
and DELETE, not INSERT). A chain of the asked length is kept between runs;
`--rebuild` makes a new one. Building it is not timed.

Timed: `dyads.audit.audit_verify` over the whole chain, three runs, median
and best printed, with the CPU time of the verifying Python processes and the
load average (the machine is shared: compare within one run). The target is
under 10 seconds for 1,000,000 events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/duet_bench"
SLUG = "bench-audit"
RUNS = 3
GENESIS = "0" * 64
CHAIN_START = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
COLUMNS = (
    "study_id, sequence, actor_id, created_at, action, object_type, object_id, "
    "old_value, new_value, reason, request_id, payload_salt, payload_digest, previous_hash, "
    "hash, may_change_rounds"
)


def prepare_database(url: str) -> None:
    """Create the benchmark database if it does not exist, then point Django at it."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def ensure_study(slug: str, build, rebuild: bool = False):
    """The benchmark study `slug`, built by `build()` if missing; `rebuild` first sets the
    one there aside (renamed, so that its rows and audit chain stay as they were)."""
    from dyads.models import Study

    if rebuild:
        Study.objects.filter(slug=slug).update(slug=f"{slug}-old-{time.time_ns()}")
    if not Study.objects.filter(slug=slug).exists():
        build()
    return Study.objects.get(slug=slug)


def open_bench_study(description: str, default_url: str, slug: str, build):
    """The start of an in-process benchmark of one study: `--rebuild` from the command
    line, DEBUG off as deployed, the benchmark database, Django's test client allowed;
    returns the study, built by `build()` if missing."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rebuild", action="store_true")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_DEBUG", "0")
    prepare_database(os.environ.get("BENCH_DATABASE_URL", default_url))

    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    return ensure_study(slug, build, arguments.rebuild)


def event_contents(rng: random.Random, actors: list[int], sequence: int):
    """(action, object_type, object_id, old, new, reason) of a plausible event."""
    roll = rng.random()
    if roll < 0.7:
        start = rng.randrange(0, 80_000)
        return (
            "coding.create",
            "analysis.coding",
            str(sequence),
            None,
            {
                "revision": rng.randrange(1, 101),
                "start": start,
                "end": start + rng.randrange(30, 250),
                "code": rng.randrange(1, 21),
                "session": 1,
            },
            "",
        )
    if roll < 0.8:
        return (
            "coding.delete",
            "analysis.coding",
            str(rng.randrange(1, sequence + 1)),
            {"revision": rng.randrange(1, 101), "start": 10, "end": 90, "code": 3, "coder": 2},
            None,
            "",
        )
    if roll < 0.9:
        return (
            "code.update",
            "analysis.code",
            str(rng.randrange(1, 21)),
            {"definition": "Moments when the client feels safe enough to speak."},
            {"definition": "Moments when the client – or the therapist – feels safe to speak."},
            "",
        )
    if roll < 0.95:
        return (
            "decision.record",
            "analysis.decision",
            str(sequence),
            None,
            {"kind": "code_redefine", "state": "accepted", "meeting": 4, "code": 7},
            "Sharpened after the second round of coding.",
        )
    return (
        "memo.create",
        "analysis.memo",
        str(sequence),
        None,
        {"title": "Safety", "text": "<p>Both sides describe it.</p>", "code": 3},
        "",
    )


def event_time(sequence: int) -> dt.datetime:
    """When the event of `sequence` happened: seven seconds after the one before it."""
    return CHAIN_START + dt.timedelta(seconds=sequence * 7, microseconds=sequence % 997)


def random_events(actors: list[int], count: int):
    """`count` plausible events: (actor, action, object_type, object_id, old, new, reason)."""
    rng = random.Random(2026)
    for sequence in range(1, count + 1):
        yield (rng.choice(actors), *event_contents(rng, actors, sequence))


def build_chain(study, events) -> int:
    """Hash `events` (as random_events yields them) with the real hash and COPY them in.

    Event n gets sequence n and the time `event_time(n)`; returns the chain's length.
    """
    from django.db import connection, transaction

    from dyads.audit import canonical_bytes, link_hash, payload_digest, value_json
    from dyads.models import AuditChainHead
    from dyads.registry import may_change_rounds

    rng = random.Random(2026)
    previous, sequence = GENESIS, 0
    began = time.perf_counter()
    with transaction.atomic():
        cursor = connection.connection.cursor()
        with cursor.copy(f"COPY dyads_auditevent ({COLUMNS}) FROM STDIN") as copy:
            for sequence, (actor, action, object_type, object_id, old, new, reason) in enumerate(
                events, start=1
            ):
                created_at = event_time(sequence)
                request_id = uuid.UUID(int=rng.getrandbits(128), version=4)
                salt = f"{rng.getrandbits(128):032x}"
                payload = payload_digest(value_json(old), value_json(new), reason, salt)
                digest = link_hash(
                    previous,
                    canonical_bytes(
                        study.pk,
                        sequence,
                        actor,
                        created_at,
                        action,
                        object_type,
                        object_id,
                        payload,
                        request_id,
                    ),
                )
                copy.write_row(
                    (
                        study.pk,
                        sequence,
                        actor,
                        created_at,
                        action,
                        object_type,
                        object_id,
                        None if old is None else json.dumps(old),
                        None if new is None else json.dumps(new),
                        reason,
                        request_id,
                        salt,
                        payload,
                        previous,
                        digest,
                        may_change_rounds(action),  # as audit_record stores it
                    )
                )
                previous = digest
                if sequence % 200_000 == 0:
                    print(f"  generated {sequence:,} events", flush=True)
        AuditChainHead.objects.update_or_create(
            study=study, defaults={"sequence": sequence, "last_hash": previous}
        )
    with connection.cursor() as analyse:
        analyse.execute("ANALYZE dyads_auditevent")
    print(f"Built a chain of {sequence:,} events in {time.perf_counter() - began:.1f} s")
    return sequence


def bench_study(count: int, rebuild: bool):
    """The benchmark study with a chain of `count` events, built if needed."""
    from django.contrib.auth import get_user_model

    from dyads.models import AuditChainHead, Study

    study = Study.objects.filter(slug=SLUG).first()
    head = AuditChainHead.objects.filter(study=study).first() if study else None
    if study is not None and head is not None and head.sequence == count and not rebuild:
        print(f"Reusing the chain of {count:,} events of study '{SLUG}'")
        return study
    if study is not None:
        # The log is append-only: a new chain gets a new study, the old one is renamed away.
        Study.objects.filter(pk=study.pk).update(slug=f"{SLUG}-old-{uuid.uuid4().hex[:8]}")
    study = Study.objects.create(title="Audit benchmark", slug=SLUG)
    User = get_user_model()
    actors = [User.objects.get_or_create(username=f"bench-coder-{n}")[0].pk for n in range(1, 6)]
    build_chain(study, random_events(actors, count))
    return study


def _python_cpu() -> float:
    """CPU seconds of this process and its finished children (the verifying workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(study, runs: int = RUNS) -> float:
    """Verify the study's whole chain `runs` times; print each run and return the median (s)."""
    from dyads.audit import audit_verify
    from dyads.models import AuditChainHead

    count = AuditChainHead.objects.get(study=study).sequence
    timings = []
    for run in range(1, runs + 1):
        began, cpu = time.perf_counter(), _python_cpu()
        report = audit_verify(study=study)
        timings.append(time.perf_counter() - began)
        assert report.intact and report.events_checked == count, report
        print(
            f"  run {run}: {timings[-1]:.2f} s wall, {_python_cpu() - cpu:.2f} s Python CPU "
            f"(all processes), load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
    median = statistics.median(timings)
    print(
        f"audit_verify over {count:,} events: median {median:.2f} s, best "
        f"{min(timings):.2f} s ({count / median:,.0f} events/s); target < 10 s "
        f"for 1,000,000: {'met' if median * 1_000_000 / count < 10 else 'NOT met'}"
    )
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true", help="generate a fresh chain")
    args = parser.parse_args()
    prepare_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))

    from dyads.audit import chain_hash
    from dyads.models import AuditEvent

    study = bench_study(args.events, args.rebuild)
    sample = AuditEvent.objects.get(study=study, sequence=args.events // 2)
    assert chain_hash(sample.previous_hash, sample) == sample.hash, (
        "generator and chain_hash differ"
    )
    measure(study)


if __name__ == "__main__":
    main()
