"""The retrieval pages: a code's excerpts with context and filters, and transcript search."""

import csv
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CodeFactory, CodingFactory
from tests.pages.test_no_inline_code import INLINE


@pytest.fixture
def code(cast):
    code = CodeFactory(study=cast.study, name="Safety", colour="#59a14f")
    start = cast.revision.text.index("dark room")
    CodingFactory(revision=cast.revision, code=code, coder=cast.analyst, start=start, end=start + 9)
    return code


def excerpts_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("retrieval", args=["tcx"]) + f"?{query}"


def test_the_excerpts_of_a_code_show_their_context_and_where_they_come_from(cast, client_as, code):
    response = client_as(cast.auditor).get(excerpts_url(code=code.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 excerpt" in html
    assert "<mark>dark room</mark>" in html
    assert "C: Like walking into a " in html
    assert cast.dyad.client.pseudonym in html and "Dyad 1" in html
    assert reverse("coding-page", args=["tcx", cast.client_interview.pk]) in html
    for pattern, what in INLINE:
        assert not pattern.search(html), what


def test_a_filter_that_matches_nothing_says_so(cast, client_as, code):
    response = client_as(cast.analyst).get(excerpts_url(code=code.pk, role="therapist"))

    assert "No excerpts you can see match these filters." in response.content.decode()


def test_a_bad_filter_is_named_on_the_page(cast, client_as, code):
    response = client_as(cast.analyst).get(excerpts_url(code=code.pk, dyad="first"))

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_search_shows_the_matching_transcripts_with_the_words_marked(cast, client_as):
    response = client_as(cast.analyst).get(reverse("transcript-search", args=["tcx"]) + "?q=hand")

    html = response.content.decode()
    assert "1 transcript matches" in html
    assert "<mark>hand</mark>" in html
    for pattern, what in INLINE:
        assert not pattern.search(html), what


@pytest.mark.parametrize(("role", "status"), [("interviewer", 403), ("outsider", 404)])
def test_interviewers_and_outsiders_cannot_open_the_retrieval_pages(cast, client_as, role, status):
    client = client_as(cast.user(role))

    assert client.get(reverse("retrieval", args=["tcx"])).status_code == status
    assert client.get(reverse("transcript-search", args=["tcx"]) + "?q=x").status_code == status


def test_the_excerpts_page_runs_the_same_queries_however_many_excerpts_there_are(
    cast, client_as, code
):
    client = client_as(cast.analyst)
    with CaptureQueriesContext(connection) as small:
        client.get(excerpts_url(code=code.pk))

    for start in range(40):
        CodingFactory(revision=cast.revision, code=code, coder=cast.owner, start=start, end=60)
    with CaptureQueriesContext(connection) as large:
        response = client.get(excerpts_url(code=code.pk))

    assert "41 excerpts" in response.content.decode()
    assert len(large) == len(small)


def test_excerpts_and_search_passages_link_to_their_place_in_the_transcript(cast, client_as, code):
    client = client_as(cast.analyst)
    coding_page = reverse("coding-page", args=["tcx", cast.client_interview.pk])
    start = cast.revision.text.index("dark room")

    excerpts = client.get(excerpts_url(code=code.pk)).content.decode()
    search = client.get(reverse("transcript-search", args=["tcx"]) + "?q=hand").content.decode()

    assert f'{coding_page}#passage-{start}-{start + 9}"' in excerpts
    found = re.search(rf'{coding_page}#passage-(\d+)-(\d+)"', search)
    assert found and "hand" in cast.revision.text[int(found[1]) : int(found[2])]


def test_the_excerpts_download_as_csv_and_xlsx_with_the_pages_filters(cast, client_as, code):
    client = client_as(cast.auditor)
    page = client.get(excerpts_url(code=code.pk)).content.decode()
    assert reverse("retrieval-download", args=["tcx"]) in page

    download = reverse("retrieval-download", args=["tcx"])
    as_csv = client.get(f"{download}?code={code.pk}&format=csv")
    as_xlsx = client.get(f"{download}?code={code.pk}&format=xlsx")
    filtered = client.get(f"{download}?code={code.pk}&role=therapist&format=csv")

    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert rows[0][:3] == ["Code", "Participant", "Role"]
    assert rows[1][0] == "Safety" and "dark room" in rows[1]
    assert as_csv["Content-Disposition"] == 'attachment; filename="tcx-excerpts-safety.csv"'
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet["A2"].value == "Safety" and sheet["L2"].value == "dark room"
    assert len(list(csv.reader(io.StringIO(filtered.content.decode())))) == 1


@pytest.mark.parametrize(
    ("query", "named"), [("format=pdf", "format: Unknown format 'pdf'"), ("code=999999", "code:")]
)
def test_a_bad_download_request_is_named(cast, client_as, code, query, named):
    response = client_as(cast.analyst).get(
        reverse("retrieval-download", args=["tcx"]) + f"?code={code.pk}&{query}"
    )

    assert response.status_code == 400
    assert named in response.content.decode()


def test_an_excerpt_that_looks_like_a_formula_is_downloaded_as_text(cast, client_as):
    code = CodeFactory(study=cast.study, name='=HYPERLINK("http://x")')
    CodingFactory(revision=cast.revision, code=code, coder=cast.analyst, start=0, end=5)

    download = client_as(cast.analyst).get(
        reverse("retrieval-download", args=["tcx"]) + f"?code={code.pk}&format=csv"
    )

    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
