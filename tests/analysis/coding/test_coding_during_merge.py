"""A coding made while its code is being merged away waits for the merge and is then
refused: no live coding ever points at a retired code."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from analysis.coding.models import Code, Coding
from analysis.coding.services.codings import coding_create
from dyads.exceptions import DomainError
from tests.factories import CodeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until_a_query_waits_for_a_lock(deadline_seconds: float = 10) -> None:
    deadline = time.monotonic() + deadline_seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            # pg_locks, not pg_stat_activity: the latter is a snapshot per transaction.
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the coding never waited for the codebook lock")


def test_a_coding_that_waits_for_a_merge_is_refused_and_leaves_no_coding(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    code = CodeFactory(study=cast.study, name="Soon merged")
    locked, outcome = threading.Event(), []

    def code_while_merging():
        locked.wait()
        try:
            coding_create(actor=cast.analyst, revision=cast.revision, start=0, end=5, code=code)
            outcome.append("created")
        except DomainError as error:
            outcome.append(str(error))
        finally:
            connection.close()

    coder = threading.Thread(target=code_while_merging)
    coder.start()
    # What a merge does to the merged code: lock the codebook, retire the code, commit.
    with transaction.atomic():
        Code.objects.select_for_update(no_key=True).get(pk=code.pk)
        locked.set()
        wait_until_a_query_waits_for_a_lock()
        Code.objects.filter(pk=code.pk).update(retired_at=timezone.now())
    coder.join(timeout=20)

    assert outcome and "not an active code" in outcome[0]
    assert not Coding.objects.filter(code=code).exists()
