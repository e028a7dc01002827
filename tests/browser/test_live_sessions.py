"""Two coders in two browsers on one transcript: in an open session each sees
the other's codings appear within two seconds, without reloading, and who is
on the transcript; in a blind session neither sees the other's."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from analysis.coding.models import Coding, SessionMode, SessionProgress
from tests import factories
from tests.browser.test_coding_page import select_with_mouse

pytestmark = pytest.mark.browser

PASSAGE = "That she did not let me escape"


@pytest.fixture
def coders(cast):
    second = factories.UserFactory(username="kari", first_name="Kari", last_name="Holm")
    factories.MembershipFactory(study=cast.study, user=second)
    factories.CodeFactory(study=cast.study, name="Being held", colour="#b07aa1")
    return cast.analyst, second


def session_page(cast, coders, mode: str) -> str:
    session = factories.CodingSessionFactory(
        study=cast.study,
        mode=mode,
        created_by=cast.owner,
        coders=coders,
        transcripts=[cast.revision.transcript],
    )
    url = reverse("coding-page", args=[cast.study.slug, cast.client_interview.pk])
    return f"{url}?session={session.pk}"


def open_both(another_page, coders, url):
    pages = []
    for coder in coders:
        page = another_page(coder)
        page.goto(url)
        expect(page.locator(".coding-workspace.is-ready")).to_be_visible()
        pages.append(page)
    return pages


def code_passage(page) -> None:
    select_with_mouse(page, PASSAGE)
    # The picker opens once the mouse is up; a person sees it before typing.
    expect(page.get_by_role("combobox", name="Find a code")).to_be_focused()
    page.keyboard.type("held")
    page.keyboard.press("Enter")
    expect(page.locator(".hl")).to_have_text(PASSAGE)


def test_in_an_open_session_each_coder_sees_the_others_codings_appear(cast, coders, another_page):
    url = session_page(cast, coders, SessionMode.OPEN)
    first, second = open_both(another_page, coders, url)
    expect(second.locator("#presence")).to_contain_text(coders[0].get_username())

    code_passage(first)

    expect(second.locator(".hl")).to_have_text(PASSAGE, timeout=2_000)
    expect(second.locator(".margin-code")).to_have_text("Being held")
    assert Coding.objects.get().coder == coders[0]

    first.get_by_role("button", name="Mark this transcript done").click()
    expect(first.get_by_role("status")).to_contain_text("Marked done")
    assert SessionProgress.objects.get(coder=coders[0]).done_at is not None


def test_in_a_blind_session_a_coder_does_not_see_the_others_codings(cast, coders, another_page):
    url = session_page(cast, coders, SessionMode.BLIND)
    first, second = open_both(another_page, coders, url)

    code_passage(first)

    second.wait_for_timeout(3_000)
    expect(second.locator(".hl")).to_have_count(0)
    assert Coding.objects.filter(coder=coders[0]).count() == 1
