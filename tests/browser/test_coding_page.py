"""An analyst codes a transcript as a new user would: selects a passage with
the mouse, picks a code with the keyboard, sees the highlight, finds it again
after a reload, and removes it. The text holds emoji and other characters
outside the Basic Multilingual Plane, so the page's UTF-16 positions must be
converted to the code points the server stores."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from analysis.coding.models import Coding
from analysis.coding.services.memos import memo_create, memo_update
from tests import factories

pytestmark = pytest.mark.browser

ASTRAL_TEXT = (
    "I: How did the first sessions feel? 🙂\n\n"
    "C: At first I was 😶 silent, \N{MATHEMATICAL SCRIPT CAPITAL A}lmost frozen. Then she said 𠀋 something small "
    "and I felt safe with her 🌱 for the first time.\n\n"
    "I: What changed later on?\n\n"
    "C: I started to trust my own voice 🗣️ again."
)
SELECTED = "I felt safe with her 🌱"

# Finds `words` in the transcript's text and answers where they start and end
# on the screen, so that the test can drag the mouse across them.
WHERE_ARE = """([words, within]) => {
  for (const element of document.querySelectorAll(within)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(words);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + words.length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      const first = rects[0];
      const last = rects[rects.length - 1];
      return {
        x0: first.left, y0: first.top + first.height / 2,
        x1: last.right, y1: last.top + last.height / 2,
      };
    }
  }
  return null;
}"""


# Selects `words` as caret browsing with Shift and the arrow keys would.
SELECT = """(words) => {
  for (const element of document.querySelectorAll('.coding-text')) {
    const node = element.firstChild;
    const at = node.data.indexOf(words);
    if (at < 0) continue;
    window.getSelection().setBaseAndExtent(node, at, node, at + words.length);
    return true;
  }
  return false;
}"""


def select_with_mouse(page, words: str, within: str = ".coding-text") -> None:
    box = page.evaluate(WHERE_ARE, [words, within])
    assert box, f"{words!r} is not on the page"
    page.mouse.move(box["x0"] + 1, box["y0"])
    page.mouse.down()
    page.mouse.move(box["x1"] - 1, box["y1"], steps=10)
    page.mouse.up()


def picker_options(page):
    return page.get_by_role("listbox", name="Codes").get_by_role("option")


def coding_url(cast, interview, session=None) -> str:
    url = reverse("coding-page", args=[cast.study.slug, interview.pk])
    return f"{url}?session={session.pk}" if session else url


@pytest.fixture
def astral_interview(cast):
    interview = factories.InterviewFactory(
        participant=cast.dyad.client, dyad=cast.dyad, sequence_number=2
    )
    factories.revision_for(interview, text=ASTRAL_TEXT)
    return interview


def test_an_analyst_codes_a_passage_with_mouse_and_keyboard_and_removes_it(
    cast, astral_interview, page, sign_in
):
    factories.CodeFactory(study=cast.study, name="Feeling safe", colour="#59a14f")
    factories.CodeFactory(study=cast.study, name="Silence", colour="#e15759")
    sign_in(page, cast.analyst)
    page.goto(coding_url(cast, astral_interview))
    expect(page.locator(".coding-workspace.is-ready")).to_be_visible()

    select_with_mouse(page, SELECTED)
    picker = page.get_by_role("combobox", name="Find a code")
    expect(picker).to_be_focused()
    page.keyboard.type("safe")
    expect(picker_options(page)).to_have_count(1)
    page.keyboard.press("Enter")

    highlight = page.locator(".hl")
    expect(highlight).to_have_text(SELECTED)
    expect(page.locator(".margin-code")).to_have_text("Feeling safe")
    coding = Coding.objects.get()
    revision = astral_interview.transcript.current_revision
    assert revision.text[coding.start : coding.end] == SELECTED
    assert (coding.code.name, coding.coder, coding.deleted_at) == (
        "Feeling safe",
        cast.analyst,
        None,
    )

    page.reload()
    expect(highlight).to_have_text(SELECTED)
    highlight.click()
    panel = page.get_by_role("complementary", name="Codings here")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Feeling safe")
    expect(panel).to_contain_text(cast.analyst.get_username())
    panel.get_by_role("button", name="Remove").click()

    expect(page.get_by_role("status")).to_contain_text("Removed")
    expect(highlight).to_have_count(0)
    coding.refresh_from_db()
    assert coding.deleted_at is not None


def test_the_keyboard_selects_picks_among_several_matches_cancels_and_recodes(
    cast, astral_interview, page, sign_in
):
    factories.CodeFactory(study=cast.study, name="Trust in the therapist", position=1)
    factories.CodeFactory(study=cast.study, name="Trust in oneself", position=2)
    sign_in(page, cast.analyst)
    page.goto(coding_url(cast, astral_interview))
    expect(page.locator(".coding-workspace.is-ready")).to_be_visible()

    select_with_mouse(page, "I started to trust my own voice")
    expect(page.get_by_role("combobox", name="Find a code")).to_be_focused()
    page.keyboard.type("trust")
    expect(picker_options(page)).to_have_count(2)
    page.keyboard.press("Escape")
    expect(page.get_by_role("combobox", name="Find a code")).to_be_hidden()
    assert not Coding.objects.exists()

    assert page.evaluate(SELECT, "I started to trust my own voice")
    page.keyboard.press("c")
    expect(page.get_by_role("combobox", name="Find a code")).to_be_focused()
    page.keyboard.type("trust")
    page.keyboard.press("ArrowDown")
    expect(picker_options(page).filter(has_text="Trust in oneself")).to_have_attribute(
        "aria-selected", "true"
    )
    page.keyboard.press("Enter")

    expect(page.locator(".hl")).to_have_text("I started to trust my own voice")
    assert Coding.objects.get().code.name == "Trust in oneself"

    page.locator(".hl").click()
    page.get_by_role("button", name="Re-code").click()
    expect(page.get_by_role("combobox", name="Find a code")).to_be_focused()
    page.keyboard.type("therapist")
    page.keyboard.press("Enter")
    expect(page.locator(".margin-code")).to_have_text("Trust in the therapist")
    assert Coding.objects.get().code.name == "Trust in the therapist"


REALISTIC_TEXT = (
    "I: Can you tell me about the beginning of the therapy?\n\n"
    "C: I remember the first session very well. I sat down and didn't say anything "
    "for a long time, and she just waited. Nobody had ever waited for me like that. "
    "After a while I felt that I could start anywhere, that it didn't have to be "
    "the right story.\n\n"
    "I: What was that like for you?\n\n"
    "C: Strange, at first. Then a relief. I think that was when I began to trust her, "
    "although I would not have called it trust back then. It was more like… my "
    "shoulders came down.\n\n"
    "I: And later on?\n\n"
    "C: Later it became harder. She asked about my father, and I got angry with her. "
    "But she stayed. She didn't back away, and she didn't push either."
)


def test_overlapping_codings_stack_and_the_panel_names_each_coder(cast, page, sign_in, screenshot):
    interview = factories.InterviewFactory(
        participant=cast.dyad.client, dyad=cast.dyad, sequence_number=3
    )
    revision = factories.revision_for(interview, text=REALISTIC_TEXT)
    second = factories.UserFactory(username="analyst2", first_name="Nora", last_name="Dahl")
    factories.MembershipFactory(study=cast.study, user=second)
    codes = {
        name: factories.CodeFactory(study=cast.study, name=name, colour=colour)
        for name, colour in [
            ("Being waited for", "#4e79a7"),
            ("Trust", "#f28e2b"),
            ("Rupture and repair", "#e15759"),
            ("Bodily relief", "#76b7b2"),
        ]
    }

    def code(name, passage, coder):
        start = REALISTIC_TEXT.index(passage)
        factories.CodingFactory(
            revision=revision,
            code=codes[name],
            coder=coder,
            start=start,
            end=start + len(passage),
        )

    code(
        "Being waited for",
        "she just waited. Nobody had ever waited for me like that.",
        cast.analyst,
    )
    code("Being waited for", "Nobody had ever waited for me like that.", second)
    code("Trust", "I think that was when I began to trust her", cast.analyst)
    code("Trust", "Then a relief. I think that was when I began to trust her", second)
    code("Bodily relief", "my shoulders came down", second)
    code("Rupture and repair", "I got angry with her. But she stayed.", cast.analyst)
    sign_in(page, cast.analyst)
    page.goto(coding_url(cast, interview))
    expect(page.locator(".coding-workspace.is-ready")).to_be_visible()

    shared = page.locator(
        ".hl", has_text=re.compile(r"^Nobody had ever waited for me like that\.$")
    )
    expect(shared).to_have_count(1)
    shared.click()
    panel = page.get_by_role("complementary", name="Codings here")
    expect(panel.locator(".panel-coding")).to_have_count(2)
    expect(panel).to_contain_text("Nora Dahl")
    expect(panel).to_contain_text(cast.analyst.get_username())
    screenshot("coding-panel")
    panel.get_by_role("button", name="Close").click()
    screenshot("coding-page")

    page.get_by_role("checkbox", name="Nora Dahl").uncheck()
    expect(page.locator(".hl", has_text="my shoulders came down")).to_have_count(0)
    page.get_by_label("Code", exact=True).select_option(label="Trust")
    expect(page.locator(".hl")).to_have_text(["I think that was when I began to trust her"])


def test_a_memo_changed_meanwhile_is_refused_and_the_page_shows_it_as_it_is_now(
    cast, astral_interview, page, sign_in
):
    code = factories.CodeFactory(study=cast.study, name="Silence")
    revision = astral_interview.transcript.current_revision
    start = ASTRAL_TEXT.index("silent")
    coding = factories.CodingFactory(
        revision=revision, code=code, coder=cast.analyst, start=start, end=start + 6
    )
    memo = memo_create(actor=cast.analyst, study=cast.study, text="First thought", coding=coding)
    sign_in(page, cast.analyst)
    page.goto(coding_url(cast, astral_interview))
    page.locator(".hl").click()
    text = page.get_by_role("textbox", name=f"Memo {memo.pk}")
    expect(text).to_have_value("First thought")

    memo_update(actor=cast.analyst, memo=memo, version=1, text="Edited in another tab")
    text.fill("My edit")
    page.get_by_role("button", name="Save memo").click()

    expect(page.get_by_role("status")).to_contain_text("changed by someone else")
    expect(text).to_have_value("Edited in another tab")
    memo.refresh_from_db()
    assert (memo.text, memo.version) == ("Edited in another tab", 2)

    text.fill("My edit, again")
    page.get_by_role("button", name="Save memo").click()
    expect(page.get_by_role("status")).to_contain_text("Memo saved")
    memo.refresh_from_db()
    assert (memo.text, memo.version) == ("My edit, again", 3)
