"""On PostgreSQL the hot reads use an index, not a scan of a big table.

Each test builds a study among eleven others (a few thousand codings, speaker
turns, audit and access events, bulk-inserted), runs ANALYZE, takes the SQL
of the read from Duet's own selector or view code, and asks PostgreSQL for its
plan with EXPLAIN (FORMAT JSON). The plan must read the big table through the
named index and never scan it whole. Nothing tells the planner what to do
(no `enable_seqscan = off`): the data are large and selective enough that a
scan would cost more, as they are on a real installation.

When a test fails after a change to a selector, the new query has lost its
index: add one (a migration) or write the query so that it can use one.
"""

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analysis.agreement.selectors.consensus import rounds_version
from analysis.coding.models import Code, Coding
from analysis.coding.selectors.excerpts import code_excerpts
from analysis.coding.selectors.live import Feed
from analysis.coding.selectors.workspace import coding_turns
from analysis.supervision.selectors import TimelineFilter, audit_timeline, coding_provenance
from analysis.themes.selectors.source import theme_codings
from dyads.access import access_events
from dyads.models import (
    AccessAction,
    AccessEvent,
    AuditChainHead,
    AuditEvent,
    Role,
    Study,
)
from interviews.models import SpeakerTurn, Transcript, TranscriptRevision
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="query plans are checked on PostgreSQL, the production database",
    ),
]

STUDIES = 12
REVISIONS_PER_STUDY = 4
TURNS_PER_REVISION = 40
CODINGS_PER_REVISION = 80
CODES_PER_STUDY = 20
# The study read has a long history; the others a short one.
EVENTS_IN_THE_STUDY = 5_000
EVENTS_ELSEWHERE = 300
PAGE = 100  # the audit timeline's and the access log's page size
CODINGS = Coding._meta.db_table
TURNS = SpeakerTurn._meta.db_table
AUDIT = AuditEvent._meta.db_table
ACCESS = AccessEvent._meta.db_table
BIG_TABLES = (CODINGS, TURNS, AUDIT, ACCESS)


# The world ---------------------------------------------------------------------------


@dataclass
class World:
    study: Study
    analyst: object
    owner: object
    revision: TranscriptRevision
    code: Code
    coding: Coding
    sequence: int


def transcript_text(rng: random.Random) -> str:
    words = ["safe", "room", "dark", "hand", "session", "clock", "stayed", "helped", "she", "I"]
    return "\n\n".join(
        f"{'IC'[n % 2]}: " + " ".join(rng.choice(words) for _ in range(rng.randint(8, 30)))
        for n in range(TURNS_PER_REVISION)
    )


def populate(study: Study, coders: list, rng: random.Random) -> list[TranscriptRevision]:
    """One dyad's interviews with transcripts (and their turns), codes and codings."""
    dyad = factories.DyadFactory(study=study)
    revisions = []
    for number in range(REVISIONS_PER_STUDY):
        interview = factories.InterviewFactory(
            participant=dyad.client if number % 2 else dyad.therapist,
            dyad=dyad,
            sequence_number=number // 2 + 1,
        )
        revisions.append(
            factories.RevisionFactory(
                transcript=Transcript.objects.create(interview=interview),
                text=transcript_text(rng),
                created_by=coders[0],
            )
        )
    codes = Code.objects.bulk_create(
        Code(study=study, name=f"Code {n}", position=n) for n in range(CODES_PER_STUDY)
    )
    codings = {}
    for revision in revisions:
        turns = list(revision.turns.values_list("start", "end"))
        for _ in range(CODINGS_PER_REVISION):
            start, end = rng.choice(turns)
            first = rng.randrange(start, end - 1)
            coding = Coding(
                study=study,
                revision=revision,
                start=first,
                end=rng.randrange(first + 1, end),
                code=rng.choice(codes),
                coder=rng.choice(coders),
                deleted_at=timezone.now() if rng.random() < 0.1 else None,
            )
            coding.coded_as = coding.code
            # One live coding per coder, code and span.
            key = (revision.pk, coding.start, coding.end, coding.code, coding.coder)
            codings.setdefault(key, coding)
    Coding.objects.bulk_create(codings.values())
    return revisions


def log_events(study: Study, events: int, actor) -> None:
    """`events` audit events about the study's codings, and as many transcript reads."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {AUDIT} (study_id, sequence, actor_id, created_at, action,
                object_type, object_id, new_value, reason, previous_hash, hash)
            SELECT %(study)s, n, %(actor)s, now() - make_interval(secs => %(events)s - n),
                'coding.create', 'analysis.coding', coding.id::text,
                jsonb_build_object('code', coding.code_id), '', repeat('0', 64), lpad(n::text, 64, '0')
            FROM generate_series(1, %(events)s) AS n
            JOIN LATERAL (
                SELECT id, code_id FROM {CODINGS} WHERE study_id = %(study)s
                ORDER BY id OFFSET n %% 300 LIMIT 1
            ) AS coding ON true
            """,
            {"study": study.pk, "events": events, "actor": actor.pk},
        )
        cursor.execute(
            f"""
            INSERT INTO {ACCESS} (study_id, user_id, action, object_type, object_id,
                detail, created_at)
            SELECT %(study)s, %(actor)s, %(action)s, 'interviews.transcriptrevision', '1', '',
                now() - make_interval(secs => %(events)s - n)
            FROM generate_series(1, %(events)s) AS n
            """,
            {"study": study.pk, "events": events, "actor": actor.pk,
             "action": AccessAction.READ_TRANSCRIPT.value},
        )  # fmt: skip
    AuditChainHead.objects.create(study=study, sequence=events, last_hash="0" * 64)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Twelve studies in one transaction, rolled back when the module's tests are done."""
    with django_db_blocker.unblock(), transaction.atomic():
        rng = random.Random(10)
        owner = factories.UserFactory(username="plan-owner")
        analyst = factories.UserFactory(username="plan-analyst")
        coders = [owner, analyst, factories.UserFactory(username="plan-analyst2")]
        studies = [factories.StudyFactory(slug=f"plans-{n}") for n in range(STUDIES)]
        study = studies[STUDIES // 2]
        revisions = {}
        for each in studies:
            for user, role in zip(coders, [Role.OWNER, Role.ANALYST, Role.ANALYST], strict=True):
                factories.MembershipFactory(study=each, user=user, role=role)
            revisions[each.pk] = populate(each, coders, rng)
            log_events(each, EVENTS_IN_THE_STUDY if each == study else EVENTS_ELSEWHERE, owner)
        with connection.cursor() as cursor:
            for table in BIG_TABLES:
                cursor.execute(f"ANALYZE {table}")
        revision = revisions[study.pk][1]
        coding = Coding.objects.filter(revision=revision, deleted_at__isnull=True).first()
        yield World(
            study=study,
            analyst=analyst,
            owner=owner,
            revision=revision,
            code=coding.code,
            coding=coding,
            sequence=EVENTS_IN_THE_STUDY,
        )
        transaction.set_rollback(True)


# Plans -----------------------------------------------------------------------------


def explain(sql: str, params=()) -> dict:
    """PostgreSQL's plan of the query, as the tree EXPLAIN (FORMAT JSON) gives."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (document,) = cursor.fetchone()
    if isinstance(document, str):
        document = json.loads(document)
    return document[0]["Plan"]


def plan_of(queryset) -> dict:
    return explain(*queryset.query.sql_with_params())


def nodes(plan: dict) -> list[dict]:
    """Every node of the plan, subplans included."""
    found, todo = [], [plan]
    while todo:
        node = todo.pop()
        found.append(node)
        todo.extend(node.get("Plans", []))
    return found


def indexes_used(plan: dict, table: str) -> set[str]:
    """The indexes through which the plan reads `table`."""
    used = set()
    for node in nodes(plan):
        if node.get("Relation Name") != table:
            continue
        if node["Node Type"] in ("Index Scan", "Index Only Scan"):
            used.add(node["Index Name"])
        elif node["Node Type"] == "Bitmap Heap Scan":
            used |= {n["Index Name"] for n in nodes(node) if n["Node Type"] == "Bitmap Index Scan"}
    return used


def index_columns(index: str) -> tuple[str, ...]:
    """The index's key columns, in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid, k, true) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid, generate_series(1, i.indnkeyatts) AS k "
            "WHERE c.relname = %s ORDER BY k",
            [index],
        )
        return tuple(column for (column,) in cursor.fetchall())


def outline(plan: dict, depth: int = 0) -> str:
    """The plan as EXPLAIN's text form shows it, one node a line (for failure messages)."""
    node = f"{plan['Node Type']} {plan.get('Relation Name', '')} {plan.get('Index Name', '')}"
    lines = ["  " * depth + node.strip() + f" (rows {plan['Plan Rows']})"]
    lines += [outline(child, depth + 1) for child in plan.get("Plans", [])]
    return "\n".join(lines)


def seq_scans(plan: dict) -> set[str]:
    return {n.get("Relation Name") for n in nodes(plan) if n["Node Type"] == "Seq Scan"}


def assert_reads_through(plan: dict, table: str, *leading: tuple[str, ...]) -> None:
    """The plan reads `table` through an index whose key begins with one of the
    `leading` column lists, and scans none of the big tables whole."""
    used = {index: index_columns(index) for index in indexes_used(plan, table)}
    assert any(columns[: len(first)] == first for columns in used.values() for first in leading), (
        f"{table} is read through {used or 'no index'}, not one on {leading}:\n{outline(plan)}"
    )
    scanned = seq_scans(plan) & set(BIG_TABLES)
    assert not scanned, f"the plan scans {scanned} whole:\n{outline(plan)}"


def captured(table: str, call) -> list[str]:
    """The statements that read `table` while `call()` runs, with their parameters in place."""
    with CaptureQueriesContext(connection) as queries:
        call()
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().startswith("SELECT") and f'FROM "{table}"' in query["sql"]
    ]


# The tests ---------------------------------------------------------------------------


def test_the_coding_page_reads_the_codings_of_one_revision_through_an_index(world):
    feed = Feed(user=world.analyst, revision=world.revision, session=None)

    plan = plan_of(feed.codings().order_by("start", "end", "id").values_list("id", "start"))

    assert_reads_through(plan, CODINGS, ("revision_id",))


def test_the_coding_page_reads_the_turns_of_one_revision_through_an_index(world):
    (sql,) = captured(TURNS, lambda: coding_turns(world.revision))

    assert_reads_through(explain(sql), TURNS, ("revision_id",))


def test_the_live_feed_reads_only_the_audit_events_after_the_pages_sequence(world):
    feed = Feed(user=world.analyst, revision=world.revision, session=None)

    (sql,) = captured(AUDIT, lambda: feed.changes(world.sequence - 3, world.sequence))

    assert_reads_through(explain(sql), AUDIT, ("study_id", "sequence"))


def test_a_codes_excerpts_are_read_through_the_code_index_with_one_turn_probe_each(world):
    rows = code_excerpts(user=world.analyst, code=world.code)._rows

    plan = plan_of(rows[:PAGE])

    assert_reads_through(plan, CODINGS, ("code_id",))
    assert_reads_through(plan, TURNS, ("revision_id", "start"))


def test_the_audit_timeline_pages_the_studys_events_in_sequence_order_from_an_index(world):
    events = audit_timeline(study=world.study, where=TimelineFilter())

    plan = plan_of(events[:PAGE])

    assert_reads_through(plan, AUDIT, ("study_id", "sequence"))
    assert "Sort" not in {node["Node Type"] for node in nodes(plan)}, outline(plan)


def test_the_provenance_of_a_coding_reads_its_audit_events_through_the_object_index(world):
    statements = captured(
        AUDIT,
        lambda: coding_provenance(
            user=world.owner, role=Role.OWNER, study=world.study, coding_id=world.coding.pk
        ),
    )
    (sql,) = [sql for sql in statements if '"object_type" = ' in sql]

    assert_reads_through(explain(sql), AUDIT, ("study_id", "object_type", "object_id"))


def test_the_access_log_pages_one_studys_events_newest_first_from_an_index(world):
    plan = plan_of(access_events(study=world.study)[:PAGE])

    assert_reads_through(plan, ACCESS, ("study_id", "created_at"))
    assert "Sort" not in {node["Node Type"] for node in nodes(plan)}, outline(plan)


def test_the_matrix_counts_one_studys_codings_through_an_index(world):
    counts = (
        theme_codings(user=world.analyst, study=world.study)
        .values_list("revision_id", "code_id")
        .annotate(n=Count("pk"))
        .order_by()
    )

    # Through the study's current revisions, or through the study itself.
    assert_reads_through(plan_of(counts), CODINGS, ("revision_id",), ("study_id",))


def test_the_consensus_finds_the_last_write_that_may_change_a_round_without_reading_codings(
    world,
):
    (sql,) = captured(AUDIT, lambda: rounds_version(world.study))

    plan = explain(sql)

    # The partial index leaves the coding writes out: no walk back over thousands of them.
    assert indexes_used(plan, AUDIT) == {"audit_may_change_rounds"}, outline(plan)
