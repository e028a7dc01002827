"""Finding one's way in a long transcript: an excerpt opens the coding page scrolled to
its passage, marked; the speaker filter shows one speaker's turns."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser

FAR_DOWN = "the passage the excerpt came from"


@pytest.fixture
def long_interview(cast):
    interview = factories.InterviewFactory(
        participant=cast.dyad.client, dyad=cast.dyad, sequence_number=2
    )
    turns = [f"C: Turn {n} says something ordinary 🙂 and goes on." for n in range(300)]
    turns[250] = f"C: And here is {FAR_DOWN}, late in the interview."
    factories.revision_for(interview, text="\n\n".join(turns))
    return interview


def test_an_excerpt_opens_the_transcript_at_its_passage(cast, long_interview, page, sign_in):
    text = long_interview.transcript.current_revision.text
    code = factories.CodeFactory(study=cast.study, name="Late")
    start = text.index(FAR_DOWN)
    factories.CodingFactory(
        revision=long_interview.transcript.current_revision,
        code=code,
        coder=cast.analyst,
        start=start,
        end=start + len(FAR_DOWN),
    )
    sign_in(page, cast.analyst)
    page.goto(reverse("retrieval", args=[cast.study.slug]) + f"?code={code.pk}")

    page.get_by_role("link", name=f"{cast.dyad.client.pseudonym}, interview 2").click()
    expect(page.locator(".coding-workspace.is-ready")).to_be_visible()

    marked = page.evaluate(
        "() => CSS.highlights.has('coding-found') && [...CSS.highlights.get('coding-found')][0].toString()"
    )
    assert marked == FAR_DOWN
    expect(page.get_by_text(f"And here is {FAR_DOWN}")).to_be_in_viewport()


def test_the_speaker_filter_shows_one_speakers_turns(cast, page, sign_in):
    interview = factories.InterviewFactory(
        participant=cast.dyad.client, dyad=cast.dyad, sequence_number=3
    )
    factories.revision_for(
        interview, text="I: How was it?\n\nC: Hard at first.\n\nI: And later?\n\nC: Easier."
    )
    sign_in(page, cast.analyst)
    page.goto(reverse("coding-page", args=[cast.study.slug, interview.pk]))
    expect(page.locator(".coding-workspace.is-ready")).to_be_visible()

    page.get_by_label("Speaker").select_option("C")

    expect(page.get_by_text("Hard at first.")).to_be_visible()
    expect(page.get_by_text("How was it?")).to_be_hidden()
    page.get_by_label("Speaker").select_option("")
    expect(page.get_by_text("How was it?")).to_be_visible()
