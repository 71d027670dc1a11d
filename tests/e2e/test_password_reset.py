"""Journey (issue 2): a person who forgot their password resets it through the emailed link,
signs in with the new one, and the link does not work a second time."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, link_in_email, sign_in

pytestmark = pytest.mark.no_transaction

PERSON = "graham.ross@kelvinmarine.example"
NEW_PASSWORD = "tidal-basin-lighthouse-42"


def test_forgotten_password_reset_by_email(new_context, live_server):
    page = new_context().new_page()
    page.goto("/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page).to_have_url(re.compile(r"/password/forgot$"))
    checkpoint(page, "reset-01-forgot")
    page.get_by_label("Email address").fill(PERSON)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.locator("main")).to_contain_text(PERSON)
    checkpoint(page, "reset-02-sent")

    link = link_in_email(live_server, PERSON, "/password/reset/")
    page.goto(link)
    checkpoint(page, "reset-03-new-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Your password has been changed")).to_be_visible()

    sign_in(page, PERSON, password=NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Graham Ross")

    response = new_context().new_page().goto(link)
    assert response.status == 410
