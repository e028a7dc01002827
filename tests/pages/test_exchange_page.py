"""The Exchange page offers each role the exports and imports its role allows."""

import pytest
from django.urls import reverse

from tests.pages.test_no_inline_code import INLINE


@pytest.mark.parametrize(
    "role, status",
    [("owner", 200), ("analyst", 200), ("auditor", 200), ("interviewer", 403), ("outsider", 404)],
)
def test_the_page_answers_each_role(cast, client_as, role, status):
    response = client_as(cast.user(role)).get(reverse("exchange", args=["tcx"]))

    assert response.status_code == status


def test_owners_may_back_up_and_import_projects(cast, client_as):
    html = client_as(cast.owner).get(reverse("exchange", args=["tcx"])).content.decode()

    assert 'data-format="backup"' in html
    assert 'value="qdpx">REFI-QDA project' in html


def test_analysts_import_codebooks_but_not_projects_and_do_not_back_up(cast, client_as):
    html = client_as(cast.analyst).get(reverse("exchange", args=["tcx"])).content.decode()

    assert 'data-format="backup"' not in html
    assert 'value="qdc"' in html and 'value="qdpx">' not in html


def test_auditors_export_and_import_nothing(cast, client_as):
    html = client_as(cast.auditor).get(reverse("exchange", args=["tcx"])).content.decode()

    assert 'data-format="qdpx"' in html
    assert "exchange-import" not in html


def test_the_page_has_no_inline_script_or_style(cast, client_as):
    html = client_as(cast.owner).get(reverse("exchange", args=["tcx"])).content.decode()

    for pattern, what in INLINE:
        assert not pattern.search(html), f"the exchange page has an {what}"
