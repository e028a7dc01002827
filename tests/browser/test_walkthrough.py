"""A new member logs in and reads a client's transcript, as a user would: by
typing and clicking in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from dyads.models import Role
from tests import factories

pytestmark = pytest.mark.browser

PASSWORD = "a-long-and-memorable-phrase"


@pytest.fixture
def newcomer(cast):
    user = factories.UserFactory(username="newcomer", first_name="Nora", last_name="Berg")
    user.set_password(PASSWORD)
    user.save()
    factories.MembershipFactory(study=cast.study, user=user, role=Role.ANALYST)
    return user


def test_a_new_member_logs_in_and_reads_a_clients_transcript(cast, newcomer, page, screenshot):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    screenshot("login")

    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your studies")
    expect(page.locator(".study-card .badge")).to_have_text("Analyst")
    screenshot("study-list")
    page.get_by_role("link", name="Therapist and client experiences").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Therapist and client experiences")
    expect(page.locator(".page-heading .badge")).to_have_text("Analyst")
    screenshot("study-overview")
    page.get_by_role("link", name="Dyad 1", exact=True).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dyad 1")
    screenshot("dyad")
    page.locator(".perspective-client").get_by_role("link", name="Interview 1").click()

    client = cast.dyad.client.pseudonym
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{client}, interview 1")
    turns = page.locator(".turn")
    expect(turns).to_have_count(4)
    expect(turns.nth(0)).to_have_class(re.compile(r"\bturn-interviewer\b"))
    expect(turns.nth(0)).to_contain_text(
        "How would you describe your relationship with the therapist?"
    )
    expect(turns.nth(1)).to_have_class(re.compile(r"\bturn-participant\b"))
    expect(turns.nth(1)).to_contain_text(
        "Like walking into a dark room 🌑 while somebody holds your hand."
    )
    expect(turns.nth(3)).to_contain_text("That she did not let me escape.")
    screenshot("interview")


def test_a_member_logs_out_from_the_user_menu(cast, newcomer, page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your studies")

    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Log out").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
