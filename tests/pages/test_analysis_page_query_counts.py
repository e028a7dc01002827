"""The analysis and supervision pages run a bounded number of queries, however many
codings, audit events and access events the study holds (no N+1): a code's
excerpts, the dyad matrix, the audit timeline and the access log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis.coding.models import Coding
from analysis.coding.services.codings import coding_create
from dyads.access import access_log_record
from dyads.models import AccessAction
from tests.analysis.theme_setup import theme_study

# Two queries for the session and the user, two for the study and the membership;
# the rest are the page's selectors'.
MAX_QUERIES = {
    "retrieval": 13,
    "matrix": 14,
    "matrix-all-coders": 12,
    # the filters (5) and one per kind of object the page names: bounded by the kinds,
    # not by the number of events
    "audit-timeline": 16,
    "access-log": 6,
}


@pytest.fixture
def story(cast):
    return theme_study(cast)


def page_url(name: str, story) -> str:
    code = story.codes["A"].pk
    return {
        "retrieval": reverse("retrieval", args=["tcx"]) + f"?code={code}",
        "matrix": reverse("matrix", args=["tcx"]),
        "matrix-all-coders": reverse("matrix", args=["tcx"]) + "?source=all",
        "audit-timeline": reverse("audit-timeline", args=["tcx"]),
        "access-log": reverse("study-access-log", args=["tcx"]),
    }[name]


def grow(cast, story, *, codings: int) -> None:
    """More codings of every code (each audited) and as many transcript reads."""
    codes = list(story.codes.values())
    made = Coding.objects.filter(coder=cast.analyst).count()  # a span is coded once: go on
    for number in range(made, made + codings):
        start = 100 + number % 60
        coding_create(
            actor=cast.analyst,
            revision=cast.revision,
            start=start,
            end=start + 5 + number // 60,  # a coder applies a code to a span once
            code=codes[number % len(codes)],
        )
        access_log_record(
            user=cast.analyst,
            study=cast.study,
            action=AccessAction.READ_TRANSCRIPT,
            target=cast.revision,
        )


@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_each_page_runs_a_bounded_number_of_queries_for_a_busy_study(
    cast, story, client_as, name, django_assert_max_num_queries
):
    grow(cast, story, codings=30)
    client = client_as(cast.owner)

    with django_assert_max_num_queries(MAX_QUERIES[name]):
        response = client.get(page_url(name, story))

    assert response.status_code == 200


@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_no_page_runs_more_queries_as_the_study_grows(cast, story, client_as, name):
    client = client_as(cast.owner)
    grow(cast, story, codings=3)
    with CaptureQueriesContext(connection) as small:
        client.get(page_url(name, story))

    grow(cast, story, codings=30)
    with CaptureQueriesContext(connection) as large:
        client.get(page_url(name, story))

    assert len(large) == len(small)
