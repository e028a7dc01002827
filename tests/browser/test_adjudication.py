"""An owner opens the comparison of two coders, settles a disagreement, and sees
it in the consensus and in the audit trail, as a user would: in a real browser."""

import re

import pytest
from playwright.sync_api import expect

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
    page.get_by_role("row").filter(has_text="68–110").get_by_role("link").click()

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
    expect(card.locator(".resolution")).to_contain_text("consensus 68–100")
    expect(card.locator(".audit-ref")).to_have_text(
        re.compile(r"Audit event #\d+ \(resolution.create\)")
    )
    expect(unsettled).to_have_count(0)
    expect(page.locator(".lane-consensus .coded", has_text="Like walking")).to_have_count(1)
    screenshot("agreement-settled")

    page.get_by_role("link", name="Disagreements", exact=True).click()
    history = page.locator(".resolution-history")
    expect(history).to_contain_text("The first coder kept to the sentence that carries it.")
    expect(history.locator(".audit-ref")).to_contain_text(re.compile(r"#\d+ resolution.create"))
