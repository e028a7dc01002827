"""An owner opens the comparison of two coders, settles a disagreement, and sees
it in the consensus and in the audit trail; an adjudicator works through the queue
with the keyboard only and selects a span with the mouse: in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from analysis.agreement.models import Resolution
from tests import factories
from tests.analysis.agreement_setup import double_coded
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your studies")


def test_an_owner_settles_a_disagreement_and_sees_the_consensus_and_the_audit_entry(
    cast, page, screenshot
):
    setup = double_coded(cast)
    log_in(page, "owner")

    page.goto(f"/studies/{cast.study.slug}/agreement/?session={setup.session.pk}")
    expect(page.get_by_role("heading", name="Per code", exact=True)).to_be_visible()
    screenshot("agreement-page")
    heat_map = page.locator('figure[data-chart="agreement-heatmap"]')
    with page.expect_download() as saved:
        heat_map.get_by_role("button", name="Save as SVG").click()
    assert saved.value.suggested_filename == "agreement-heatmap.svg"
    page.get_by_role("link", name="Disagreements of this session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Disagreements: {setup.session.name}"
    )
    expect(page.locator(".queue-progress")).to_have_text("1 of 3")
    page.get_by_role("link", name="See the whole transcript side by side").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("the coders side by side")
    headers = page.get_by_role("columnheader")
    expect(headers).to_have_text(["Speaker", "analyst", "analyst2", "Consensus"])
    card = page.locator(f"#passage-{setup.revision.pk}-{setup.a.pk}-68-110")
    expect(card.locator(".tag")).to_have_text("Unresolved")
    # "Like walking" (68-80) lies in the disagreement on A only.
    unsettled = page.locator(".lane-consensus .unresolved", has_text="Like walking")
    expect(unsettled).to_have_count(1)
    screenshot("agreement-comparison")

    card.get_by_label("Accept analyst's version").check()
    card.get_by_label("Reason").fill("The first coder kept to the sentence that carries it.")
    card.get_by_role("button", name="Settle").click()

    expect(page.locator(".message-success")).to_contain_text("it is in the consensus now")
    card = page.locator(f"#passage-{setup.revision.pk}-{setup.a.pk}-68-110")
    expect(card.locator(".tag")).to_have_text("Resolved")
    expect(card.locator(".resolution")).to_contain_text("Accept one coder's version (analyst)")
    expect(card.locator(".resolution")).to_contain_text(
        f"the consensus: “{setup.revision.text[68:100]}”"
    )
    expect(card.locator(".audit-ref")).to_have_text(
        re.compile(r"Audit event #\d+ \(resolution.create\)")
    )
    expect(unsettled).to_have_count(0)
    expect(page.locator(".lane-consensus .coded", has_text="Like walking")).to_have_count(1)
    screenshot("agreement-settled")

    page.get_by_role("link", name="Disagreements", exact=True).click()
    page.get_by_text("Resolutions and their audit trail").click()
    history = page.locator(".resolution-history")
    expect(history).to_contain_text("The first coder kept to the sentence that carries it.")
    expect(history.locator(".audit-ref")).to_contain_text(re.compile(r"#\d+ resolution.create"))


def ten_more(setup) -> None:
    """Eight codes more, each a disagreement at 68-110: eleven in all."""
    for number in range(8):
        code = factories.CodeFactory(study=setup.study, name=f"Code {number}")
        for coder, (start, end) in zip(setup.coders, [(68, 100), (75, 110)], strict=True):
            factories.CodingFactory(
                revision=setup.revision,
                code=code,
                coder=coder,
                session=setup.session,
                start=start,
                end=end,
            )


def test_an_adjudicator_settles_ten_disagreements_with_the_keyboard_only(
    cast, page, sign_in, screenshot
):
    setup = double_coded(cast)
    ten_more(setup)
    sign_in(page, cast.owner)
    page.goto(f"/studies/{cast.study.slug}/sessions/{setup.session.pk}/disagreements/")
    progress = page.locator(".queue-progress")
    expect(progress).to_have_text("1 of 11")
    screenshot("adjudication-queue")

    page.keyboard.press("j")
    expect(progress).to_have_text("2 of 11")
    page.keyboard.press("k")
    expect(progress).to_have_text("1 of 11")
    keys = ["1", "2", "b", "0"]
    for number in range(10):
        heading = page.locator("#current-heading").inner_text()
        page.keyboard.press(keys[number % 4])
        page.keyboard.type(f"Settled by key {number}.")
        page.keyboard.press("Enter")
        expect(page.locator(".message-success")).to_contain_text("it is in the consensus now")
        expect(progress).to_have_text(f"1 of {10 - number}")
        expect(page.locator("#current-heading")).not_to_have_text(heading)

    settled = Resolution.objects.order_by("pk")
    assert [r.kind for r in settled] == ["accept", "accept", "both", "neither"] * 2 + [
        "accept",
        "accept",
    ]
    assert [r.coder for r in settled[:2]] == setup.coders
    assert settled[3].reason == "Settled by key 3."


def test_an_adjudicator_settles_on_words_selected_with_the_mouse(cast, page, sign_in):
    setup = double_coded(cast)
    sign_in(page, cast.owner)
    page.goto(f"/studies/{cast.study.slug}/sessions/{setup.session.pk}/disagreements/")
    both = page.locator("#reading-passage .stretch-all [data-start]")
    box = both.bounding_box()

    # Drag across the words both coders coded (75-100).
    page.mouse.move(box["x"] + 1, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 1, box["y"] + box["height"] / 2)
    page.mouse.up()

    expect(page.locator("#selected-span")).to_contain_text("Your span:")
    expect(page.get_by_label("The words I select in the passage")).to_be_checked()
    page.get_by_label("Reason").fill("Only what both saw.")
    page.get_by_role("button", name="Settle").click()
    expect(page.locator(".message-success")).to_be_visible()
    resolution = Resolution.objects.get()
    assert resolution.kind == "edited"
    [[start, end]] = resolution.spans
    assert setup.revision.text[start:end].strip() == setup.revision.text[75:100].strip()


def test_an_adjudicator_selects_a_span_with_the_keyboard(cast, page, sign_in):
    setup = double_coded(cast)
    sign_in(page, cast.owner)
    page.goto(f"/studies/{cast.study.slug}/sessions/{setup.session.pk}/disagreements/")
    expect(page.locator(".queue-progress")).to_have_text("1 of 3")

    # The caret starts at the disagreement (68); seven characters to the right.
    page.keyboard.press("e")
    for _ in range(7):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Enter")

    expect(page.locator("#selected-span")).to_contain_text(setup.revision.text[68:75].strip())
    expect(page.get_by_label("The words I select in the passage")).to_be_checked()
    expect(page.get_by_label("Reason")).to_be_focused()
    page.keyboard.type("Only the opening words.")
    page.keyboard.press("Enter")
    expect(page.locator(".message-success")).to_be_visible()
    assert Resolution.objects.get().spans == [[68, 75]]
