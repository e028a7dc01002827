"""Each page runs a bounded number of queries, however many dyads, interviews
and turns the study has (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Interview

# Each page spends two queries on the session and the user, and each study page
# two more on the study and the user's membership; the rest are its selectors'.
# Reading a transcript also writes one AccessEvent row (the read log).
MAX_QUERIES = {
    "study-list": 3,
    "study-overview": 10,
    "dyad-detail": 6,
    "interview-detail": 8,
}


def page_url(name: str, cast) -> str:
    interview = (
        Interview.objects.filter(study=cast.study, guide__isnull=False).order_by("-pk").first()
    )
    return {
        "study-list": reverse("study-list"),
        "study-overview": reverse("study-overview", args=["tcx"]),
        "dyad-detail": reverse("dyad-detail", args=["tcx", cast.study.dyads.last().pk]),
        "interview-detail": reverse("interview-detail", args=["tcx", interview.pk]),
    }[name]


@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_each_page_runs_a_bounded_number_of_queries_for_a_study_of_several_dyads(
    cast, client_as, grow, name, django_assert_max_num_queries
):
    grow(cast.study, dyads=6, interviewer=cast.interviewer)
    client = client_as(cast.analyst)
    url = page_url(name, cast)

    with django_assert_max_num_queries(MAX_QUERIES[name]):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_no_page_runs_more_queries_as_the_study_grows(cast, client_as, grow, name):
    client = client_as(cast.owner)
    grow(cast.study, dyads=1, interviewer=cast.interviewer)
    with CaptureQueriesContext(connection) as small:
        client.get(page_url(name, cast))

    grow(cast.study, dyads=5, interviewer=cast.interviewer)
    with CaptureQueriesContext(connection) as large:
        client.get(page_url(name, cast))

    assert len(large) == len(small)
