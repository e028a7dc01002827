"""The user guide is served inside Duet, and every main page links to the section that
explains it."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from config.help import guide_topics

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HELP = re.compile(r"{% block help %}([a-z-]+)/(#[a-z0-9-]+)?{% endblock %}")


def test_every_guide_page_renders_with_the_contents(db, client):
    for topic, title in guide_topics():
        page = client.get(reverse("help", args=[topic]))

        assert page.status_code == 200, topic
        assert "<h1" in page.content.decode() and title in page.content.decode()


def test_links_between_documents_and_screenshots_work_from_the_web_page(db, client):
    html = client.get(reverse("help", args=["coding"])).content.decode()

    images = re.findall(r'src="(/help/screenshots/[^"]+)"', html)
    assert images
    for image in images:
        response = client.get(image)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert 'href="/help/codebook/' in html
    assert ".md" not in "".join(re.findall(r'href="([^"]+)"', html))


@pytest.mark.parametrize("path", ["/help/nothing-here/", "/help/screenshots/../../settings.py"])
def test_anything_else_is_not_found(db, client, path):
    assert client.get(path).status_code == 404


def test_every_help_link_of_a_page_leads_to_a_heading_of_the_guide(db, client):
    links = {
        match.groups()
        for path in TEMPLATES.rglob("*.html")
        for match in HELP.finditer(path.read_text(encoding="utf-8"))
    }

    assert len(links) > 20
    for topic, anchor in links:
        html = client.get(reverse("help", args=[topic])).content.decode()
        if anchor:
            assert f'id="{anchor[1:]}"' in html, f"{topic}{anchor}"


def test_a_page_links_its_own_section(cast, client_as):
    html = client_as(cast.analyst).get(reverse("codebook", args=["tcx"])).content.decode()

    assert 'href="/help/codebook/#the-codebook-page"' in html
