"""Journey (issue 12): a learner imports a badge earned elsewhere into My badges, sees it verified,
shares it, and someone opens the shared link; the learner makes it public on their profile and
then revokes the link. axe checks every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import checkpoint, sign_in
from tests.factories.verification import baked_png

pytestmark = pytest.mark.no_transaction

LEARNER = "amy.wilson@tayvalleyhealth.example"


def test_a_learner_imports_a_badge_and_shares_it(page, new_context):
    sign_in(page, LEARNER)
    page.get_by_role("link", name="My badges").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My badges")
    checkpoint(page, "wallet-my-badges")

    page.get_by_label("Upload a badge file").set_input_files(
        {"name": "badge.png", "mimeType": "image/png", "buffer": baked_png(LEARNER)}
    )
    page.get_by_role("button", name="Add to my wallet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data Analysis with Python")
    expect(page.get_by_text("Data Analysis with Python added to your wallet: valid.")).to_be_visible()
    expect(page.get_by_text(f"Yes: it names {LEARNER}")).to_be_visible()
    checkpoint(page, "wallet-imported")

    page.get_by_role("button", name="Make a share link").click()
    link = page.get_by_label("Share link").input_value()
    assert re.search(r"/wallet/s/[A-Za-z0-9_-]{20,}$", link)
    expect(page.get_by_role("link", name=re.compile("Add to LinkedIn"))).to_have_attribute(
        "href", re.compile(r"^https://www\.linkedin\.com/profile/add\?")
    )
    checkpoint(page, "wallet-shared")

    visitor = new_context().new_page()
    visitor.goto(link)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Data Analysis with Python")
    expect(visitor.locator("main")).not_to_contain_text(LEARNER)
    checkpoint(visitor, "wallet-shared-page")

    page.get_by_role("button", name="Make it public").click()
    expect(page.get_by_text("Public: shown on your public profile.")).to_be_visible()
    page.get_by_role("link", name="Back to my badges").click()
    badges = page.get_by_role("region", name="My badges")
    expect(badges.get_by_role("row").filter(has_text="Data Analysis with Python")).to_contain_text(
        "Imported from a file"
    )
    page.get_by_role("button", name="Turn my public profile on").click()
    profile = page.locator("main a[href*='/wallet/people/']").first.get_attribute("href")
    visitor.goto(profile)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Amy Wilson's badges")
    expect(visitor.get_by_role("row").filter(has_text="Data Analysis with Python")).to_contain_text("Valid")
    checkpoint(visitor, "wallet-public-profile")

    badges.get_by_role("row").filter(has_text="Data Analysis with Python").get_by_role("link").first.click()
    page.get_by_role("button", name="Revoke the share link").click()
    expect(page.get_by_text("Share link revoked. It no longer works.")).to_be_visible()
    response = visitor.goto(link)
    assert response is not None and response.status == 404


def test_a_learner_shares_a_badge_issued_on_credwork(page):
    sign_in(page, LEARNER)
    page.goto("/wallet/")
    badges = page.get_by_role("region", name="My badges")
    badges.get_by_role("row").filter(has_text="Issued on Credwork").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=2, name="Share this badge")).to_be_visible()
    expect(page.get_by_role("link", name="Signed credential (VC-JWT)")).to_be_visible()
    expect(page.get_by_label("HTML to put this badge on your own web page")).to_contain_text("verifiable on Credwork")
    checkpoint(page, "wallet-issued")
    page.get_by_role("button", name="Show it on my profile").click()
    expect(page.get_by_text("Shown on your public profile.")).to_be_visible()
