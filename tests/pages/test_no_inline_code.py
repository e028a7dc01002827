"""Pages carry no inline script or style, so a Content-Security-Policy without
'unsafe-inline' will not break them."""

import re

import pytest
from django.urls import reverse

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
    (re.compile(r"<style[\s>]", re.IGNORECASE), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "event handler attribute"),
]


def pages(cast) -> list[tuple[str, object]]:
    return [
        (reverse("study-list"), cast.owner),
        (reverse("study-overview", args=["tcx"]), cast.owner),
        (reverse("dyad-detail", args=["tcx", cast.dyad.pk]), cast.owner),
        (reverse("interview-detail", args=["tcx", cast.client_interview.pk]), cast.owner),
        (reverse("password_change"), cast.owner),
        (reverse("password_change_done"), cast.owner),
        (reverse("interview-detail", args=["tcx", 999_999]), cast.owner),
        (reverse("login"), None),
    ]


@pytest.mark.parametrize("page", range(8))
def test_the_page_has_no_inline_script_or_style(cast, client_as, page):
    url, user = pages(cast)[page]

    html = client_as(user).get(url).content.decode()

    for pattern, what in INLINE:
        assert not pattern.search(html), f"{url} has an {what}"
    assert "/static/css/duet.css" in html
